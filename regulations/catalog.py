"""The documents named in RULES.md, loaded by migration 0003.

Codes, titles, dates and replacements, with an article skeleton where the
portal cites an article: numbers and short headings written by the portal
team, never official text. Users import the full texts (``import_regulation``).
Issue dates are taken as the effective dates unless a document says otherwise.
"""

from __future__ import annotations

import datetime as dt

from django.utils.text import slugify

D = dt.date

# code, kind, title, citation name, issue/effective date, effective_to, replaces
DOCUMENTS = [
    ("ĐLĐ-2011", "charter", "Điều lệ Đảng Cộng sản Việt Nam", "Điều lệ Đảng", D(2011, 1, 19), None, []),
    ("24-QĐ/TW", "regulation", "Quy định thi hành Điều lệ Đảng", "", D(2021, 7, 30), None, []),
    ("232-QĐ/TW", "regulation", "Quy định thi hành Điều lệ Đảng", "", D(2025, 1, 20), None, ["24-QĐ/TW"]),
    ("37-QĐ/TW", "regulation", "Quy định về những điều đảng viên không được làm", "", D(2021, 10, 25), None, []),
    ("80-QĐ/TW", "regulation", "Quy định về phân cấp quản lý cán bộ và bổ nhiệm, giới thiệu cán bộ ứng cử",
     "", D(2022, 8, 18), None, []),
    ("96-QĐ/TW", "regulation", "Quy định về lấy phiếu tín nhiệm đối với chức danh lãnh đạo, quản lý "
     "trong hệ thống chính trị", "", D(2023, 2, 2), None, []),
    ("114-QĐ/TW", "regulation", "Quy định về kiểm soát quyền lực và phòng, chống tham nhũng, tiêu cực trong "
     "công tác cán bộ", "", D(2023, 7, 11), None, []),
    ("124-QĐ/TW", "regulation", "Quy định về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với "
     "tập thể, cá nhân trong hệ thống chính trị", "", D(2023, 10, 4), None, []),
    ("25-HD/BTCTW", "guidance", "Hướng dẫn kiểm điểm và đánh giá, xếp loại chất lượng hằng năm "
     "(mẫu 02A, 02B)", "", D(2023, 11, 10), None, []),
    ("142-QĐ/TW", "regulation", "Quy định thí điểm thẩm quyền của người đứng đầu trong công tác cán bộ",
     "", D(2024, 4, 23), D(2029, 4, 23), []),
    ("144-QĐ/TW", "regulation", "Quy định chuẩn mực đạo đức cách mạng của cán bộ, đảng viên", "",
     D(2024, 5, 9), None, []),
    ("366-QĐ/TW", "regulation", "Quy định về kiểm điểm, đánh giá, xếp loại chất lượng đối với tập thể, "
     "cá nhân trong hệ thống chính trị", "", D(2025, 8, 30), None, ["124-QĐ/TW"]),
    ("377-QĐ/TW", "regulation", "Quy định về phân cấp quản lý cán bộ và bổ nhiệm, giới thiệu cán bộ "
     "ứng cử", "", D(2025, 10, 8), None, ["80-QĐ/TW"]),
    ("36/2018/QH14", "law", "Luật Phòng, chống tham nhũng", "Luật Phòng, chống tham nhũng", D(2019, 7, 1), None,
     []),
    ("43-HD/BTCTW", "guidance", "Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng (mẫu 01, 2A, 2B, 2C)",
     "", D(2025, 10, 31), None, ["25-HD/BTCTW"]),
]

# Skeletons: the articles (and clauses) the portal's rules cite. Headings are ours.
SKELETONS = {
    "ĐLĐ-2011": """
Điều 5. Đảng viên dự bị
(Đảng viên dự bị có quyền như đảng viên chính thức, trừ quyền biểu quyết, ứng cử, bầu cử.)
Điều 9. Nguyên tắc tập trung dân chủ
1. (Nội dung khoản 1.)
2. (Nội dung khoản 2.)
3. (Nội dung khoản 3.)
4. (Nội dung khoản 4.)
5. Nghị quyết của cơ quan lãnh đạo chỉ có giá trị khi quá nửa số thành viên tán thành.
Điều 12. Bầu cử cơ quan lãnh đạo
1. (Nội dung khoản 1.)
2. (Nội dung khoản 2.)
3. Người trúng cử phải được quá nửa số phiếu của tổng số đại biểu được triệu tập hoặc đảng viên chính thức.
""",
    "124-QĐ/TW": """
Điều 12. Mức xếp loại chất lượng
Điều 13. Thẩm quyền đánh giá, xếp loại; kiểm tra, hủy bỏ và xếp loại lại
""",
    "366-QĐ/TW": """
Điều 11. Mức xếp loại chất lượng
""",
    "142-QĐ/TW": """
Điều 3. Người đứng đầu giới thiệu nhân sự để bầu cử, bổ nhiệm
Điều 4. Đề xuất nhân sự bổ sung Ban Thường vụ
Điều 5. Bổ nhiệm, miễn nhiệm người đứng đầu đơn vị trực thuộc
""",
    "36/2018/QH14": """
Điều 20. Quy tắc ứng xử của người có chức vụ, quyền hạn
1. (Nội dung khoản 1.)
2. (Nội dung khoản 2.)
3. (Nội dung khoản 3.)
""",
    "144-QĐ/TW": """
Điều 1. Yêu nước, trung thành với Tổ quốc và với Đảng
Điều 2. Bản lĩnh chính trị, đổi mới, sáng tạo, hội nhập
Điều 3. Cần, kiệm, liêm, chính, chí công vô tư
Điều 4. Đoàn kết, kỷ luật, nhân ái, trách nhiệm
Điều 5. Nêu gương, khiêm tốn, tu dưỡng, học tập suốt đời
Điều 6. Tổ chức thực hiện
""",
    "80-QĐ/TW": """
Điều 21. Nguyên tắc bỏ phiếu, tỷ lệ có mặt
1. Hội nghị phải có ít nhất 2/3 số thành viên được triệu tập có mặt.
""",
}


def load(Document, DocumentVersion, Provision, fold, parse) -> None:
    """Create the documents and their skeletons with the given (historical) models."""
    by_code = {}
    for code, kind, title, citation_name, issued, effective_to, replaces in DOCUMENTS:
        slug = slugify(fold(code).replace("/", "-"))  # as Document.save() does
        document, _created = Document.objects.update_or_create(code=code, defaults=dict(
            slug=slug, kind=kind, title=title,
            citation_name=citation_name or f"{_KIND_WORD[kind]} {code}",
            issue_date=issued, effective_from=issued, effective_to=effective_to))
        by_code[code] = document
        for old in replaces:
            document.replaces.add(by_code[old])
    for code, text in SKELETONS.items():
        document = by_code[code]
        if DocumentVersion.objects.filter(document=document).exists():
            continue
        parsed = parse(text.strip().splitlines())
        assert parsed.ok, parsed.errors
        version = DocumentVersion.objects.create(document=document, number=1, is_current=True,
                                                 is_skeleton=True, source_name="Khung điều khoản",
                                                 changes={"added": [n.anchor for n in parsed.nodes]})
        saved = {}
        for order, node in enumerate(parsed.nodes, start=1):
            saved[node.anchor] = Provision.objects.create(
                version=version, parent=saved[node.parent.anchor] if node.parent else None,
                level=node.level, number=node.number, heading=node.heading, text=node.text or "",
                order=order, anchor=node.anchor, search_text=fold(f"{node.heading} {node.text}"))


_KIND_WORD = {"charter": "Điều lệ", "regulation": "Quy định", "guidance": "Hướng dẫn", "law": "Luật"}
