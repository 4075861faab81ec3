"""The legal-text parser: the usual Vietnamese structure, and malformed texts with line numbers."""

import pytest

from regulations.parser import parse, read_lines, roman

GOOD = """QUY ĐỊNH
về kiểm điểm và đánh giá
Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Quy định này quy định về kiểm điểm.
Điều 2. Đối tượng áp dụng
1. Tập thể lãnh đạo, quản lý.
2. Cá nhân:
a) Cán bộ, đảng viên;
b) Công chức, viên chức.
tiếp tục điểm b trên dòng sau.
Chương II
Mục 1. ĐÁNH GIÁ TẬP THỂ
Điều 3. Tiêu chí
Mục 2
Điều 4: Xếp loại
a) điểm thẳng dưới điều
đ) sai thứ tự
"""


def test_reads_the_usual_structure_with_stable_anchors():
    text = GOOD.replace("đ) sai thứ tự\n", "b) điểm b dưới điều\n")
    result = parse(text.splitlines())
    assert result.ok, result.errors
    anchors = [n.anchor for n in result.nodes]
    assert anchors == ["chuong-i", "dieu-1", "dieu-2", "dieu-2.khoan-1", "dieu-2.khoan-2",
                       "dieu-2.khoan-2.diem-a", "dieu-2.khoan-2.diem-b", "chuong-ii", "chuong-ii.muc-1",
                       "dieu-3", "chuong-ii.muc-2", "dieu-4", "dieu-4.diem-a", "dieu-4.diem-b"]
    by = {n.anchor: n for n in result.nodes}
    assert by["chuong-i"].heading == "QUY ĐỊNH CHUNG"  # title on the next line
    assert by["chuong-ii.muc-1"].heading == "ĐÁNH GIÁ TẬP THỂ"
    assert by["dieu-2"].heading == "Đối tượng áp dụng"
    assert by["dieu-2.khoan-2.diem-b"].text == "Công chức, viên chức.\ntiếp tục điểm b trên dòng sau."
    assert by["dieu-3"].parent.anchor == "chuong-ii.muc-1"
    assert by["dieu-4"].heading == "Xếp loại"
    assert result.preamble.startswith("QUY ĐỊNH")


@pytest.mark.parametrize(("text", "line", "message"), [
    ("Điều 7. A\nĐiều 5. B\n", 2, "Điều 5 đứng sau Điều 7"),
    ("Điều 1. A\nĐiều 1. B\n", 2, "Điều 1 đứng sau Điều 1"),
    ("Chương I\nTên\n1. khoản không có điều\nĐiều 1. A\n", 3, "Khoản 1 nằm ngoài điều nào"),
    ("Điều 1. A\n1. một\n3. ba\n", 3, "Khoản 3 của Điều 1 không đúng thứ tự"),
    ("Điều 1. A\n1. một\na) a\nc) c\n", 4, "Điểm c) của Khoản 1 không đúng thứ tự (cần điểm b)"),
    ("a) điểm trước mọi điều\nĐiều 1. A\n", 1, "Điểm a) nằm ngoài điều nào"),
    ("Mục 1\nĐiều 1. A\n", 1, "Mục 1 nằm ngoài chương nào"),
    ("Chương II\nTên\nĐiều 1. A\n", 1, "Chương II không đúng thứ tự"),
])
def test_malformed_texts_are_reported_with_the_line(text, line, message):
    result = parse(text.splitlines())
    assert not result.ok
    assert any(e.params["line"] == line and message in str(e) for e in result.errors), result.errors
    assert line in result.rows


def test_points_follow_the_vietnamese_alphabet():
    lines = ["Điều 1. A", "1. x"] + [f"{c}) điểm" for c in "abcdđeghik"]
    assert parse(lines).ok


def test_a_text_without_structure_is_refused():
    result = parse(["Chỉ là một đoạn văn.", "Không có điều nào."])
    assert not result.ok and "Không tìm thấy chương, điều hay khoản" in str(result.errors[0])
    assert [r.code for r in result.overall] == ["regulation_text_empty"] and result.rows == {}


def test_roman_numerals():
    assert [roman(v) for v in ("I", "IV", "IX", "XIV", "XL", "12")] == [1, 4, 9, 14, 40, 12]


def test_reads_docx_paragraphs():
    import io

    from docx import Document

    doc = Document()
    for line in ("Điều 1. Phạm vi", "1. Khoản một.", "a) Điểm a."):
        doc.add_paragraph(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    result = parse(read_lines("quy-dinh.docx", buffer.getvalue()))
    assert [n.anchor for n in result.nodes] == ["dieu-1", "dieu-1.khoan-1", "dieu-1.khoan-1.diem-a"]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("a.pdf", b"%PDF", "Chỉ nhận tệp .txt hoặc .docx."),
    ("a.txt", "Điều 1".encode("utf-16"), "UTF-8"),
    ("a.docx", b"not a zip", "Không đọc được tệp .docx"),
])
def test_unreadable_files(name, content, message):
    with pytest.raises(ValueError, match=message):
        read_lines(name, content)


def test_a_damaged_docx_is_explained_in_the_readers_words():
    with pytest.raises(ValueError) as exc:
        read_lines("a.docx", b"not a zip")
    assert "zip" not in str(exc.value) and "lưu lại dạng .docx" in str(exc.value)
