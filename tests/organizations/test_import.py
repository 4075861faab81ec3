"""Member import: preview, then all-or-nothing, with per-row errors in Vietnamese."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from audit.models import AuditEntry
from organizations.models import ImportStatus, MemberImport, Membership, Person
from organizations.services import member_import_commit, member_import_preview
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HEADER = "Họ và tên,Ngày sinh,Giới tính,Số thẻ đảng viên,Ngày vào Đảng,Ngày chính thức\n"
GOOD = HEADER + (
    "Nguyễn Thị Hoa,12/03/1985,Nữ,0200000001,19/05/2010,19/05/2011\n"
    "Trần Văn Bình,01/01/1979,Nam,0200000002,03/02/2005,\n"
)


def csv_file(text: str, name: str = "danh_sach.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def xlsx_file(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("danh_sach.xlsx", buffer.getvalue())


def upload(client, org, f):
    return client.post(f"/org/{org.pk}/import/", {"file": f})


def test_csv_preview_writes_nothing_then_commit_writes_all(client, province, staff_a):
    client.force_login(staff_a)
    response = upload(client, province.cell_1, csv_file(GOOD))
    batch = MemberImport.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    assert batch.status == ImportStatus.PREVIEWED and batch.row_count == 2
    assert not Person.objects.exists()
    preview = client.get(batch.get_absolute_url())
    assert "Nguyễn Thị Hoa" in preview.content.decode()

    response = client.post(batch.get_absolute_url())
    assert response.status_code == 302
    hoa = Person.objects.get(card_number="0200000001")
    assert hoa.full_name == "Nguyễn Thị Hoa" and hoa.search_name == "nguyen thi hoa"
    assert hoa.birth_date == dt.date(1985, 3, 12) and hoa.gender == "female"
    assert Membership.objects.filter(organization=province.cell_1).count() == 2
    assert AuditEntry.objects.filter(action="import.commit", actor=staff_a).exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    # a second confirmation does not write the rows twice
    assert client.post(batch.get_absolute_url()).status_code == 403
    assert Person.objects.count() == 2


def test_xlsx_with_excel_dates_and_numeric_card(client, province, staff_a):
    client.force_login(staff_a)
    rows = [["HỌ VÀ TÊN", "ngay sinh", "Giới tính", "Số thẻ đảng viên", "Ngày vào Đảng"],
            ["Lê Văn Cường", dt.datetime(1990, 7, 2), "nam", 300000001.0, dt.date(2015, 9, 2)]]
    upload(client, province.cell_1, xlsx_file(rows))
    batch = MemberImport.objects.get()
    assert batch.errors == []
    client.post(batch.get_absolute_url())
    person = Person.objects.get()
    assert person.card_number == "300000001" and person.birth_date == dt.date(1990, 7, 2)


def test_one_bad_row_rejects_the_whole_file_with_row_numbers(client, province, staff_a):
    PersonFactory(card_number="0200000009", full_name="Đã Có Sẵn")
    text = HEADER + (
        "Nguyễn Thị Hoa,12/03/1985,Nữ,0200000001,19/05/2010,19/05/2011\n"  # row 2: fine
        "Trần Văn Bình,31/02/1979,Nam,0200000002,03/02/2005,\n"  # row 3: no 31 February
        ",01/01/1980,Nam,0200000003,03/02/2005,\n"  # row 4: no name
        "Lê Thị Lan,01/01/1980,Khác,0200000001,03/02/2005,01/01/2004\n"  # row 5: gender, dup, official<join
        "Phan Văn Đã,01/01/1980,Nam,0200000009,03/02/2005,\n"  # row 6: card already in the database
    )
    client.force_login(staff_a)
    upload(client, province.cell_1, csv_file(text))
    batch = MemberImport.objects.get()
    assert batch.status == ImportStatus.REJECTED
    by_row = {}
    for e in batch.errors:
        by_row.setdefault(e["row"], []).append(e["message"])
    assert set(by_row) == {3, 4, 5, 6}
    assert any("Ngày sinh “31/02/1979” không đúng định dạng ngày" in m for m in by_row[3])
    assert by_row[4] == ["Thiếu Họ và tên."]
    assert any("Giới tính “Khác” không hợp lệ" in m for m in by_row[5])
    assert any("trùng với dòng 2" in m for m in by_row[5])
    assert any("Ngày chính thức không được trước ngày vào Đảng" in m for m in by_row[5])
    assert any("đã có trong hệ thống (Đã Có Sẵn)" in m for m in by_row[6])
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Dòng 3" in page and "không dòng nào được ghi" in page
    assert b"import-commit" not in client.get(batch.get_absolute_url()).content
    assert client.post(batch.get_absolute_url()).status_code == 403
    assert Person.objects.count() == 1  # only the one that was there


def test_a_conflict_arising_after_the_preview_writes_nothing(province, staff_a):
    batch, _ = member_import_preview(organization=province.cell_1, file_name="a.csv",
                                     content=GOOD.encode(), actor=staff_a)
    PersonFactory(card_number="0200000002")  # someone registered the same card meanwhile
    assert member_import_commit(batch=batch, actor=staff_a) == 0
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REJECTED
    assert batch.errors[0]["row"] == 3
    assert Person.objects.count() == 1 and not Membership.objects.exists()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("list.txt", b"x", "Chỉ nhận tệp .xlsx hoặc .csv."),
    ("list.csv", "Họ và tên,Ngày sinh\nA,01/01/1990\n".encode(), "Thiếu cột bắt buộc: Giới tính, Ngày vào Đảng."),
    ("list.csv", "Họ và tên".encode("utf-16"), "Tệp CSV phải được lưu với bảng mã UTF-8."),
    ("list.xlsx", b"not a workbook", "Không đọc được tệp Excel"),
    ("list.csv", b"", "Tệp không có dữ liệu."),
])
def test_unreadable_files_are_refused_with_a_clear_message(client, province, staff_a, name, content, message):
    client.force_login(staff_a)
    response = upload(client, province.cell_1, SimpleUploadedFile(name, content))
    if response.status_code == 200:  # refused by the form itself
        assert message in response.content.decode()
    else:
        batch = MemberImport.objects.get()
        assert message in batch.errors[0]["message"]
    assert not Person.objects.exists()


def test_import_only_into_a_cell(province, staff_a):
    batch, _ = member_import_preview(organization=province.grassroots, file_name="a.csv",
                                     content=GOOD.encode(), actor=staff_a)
    assert batch.status == ImportStatus.REJECTED
    assert "Chỉ nhập danh sách đảng viên vào một chi bộ" in batch.errors[0]["message"]


def test_who_may_import(client, province, board_officer, outsider, staff_a):
    client.force_login(board_officer)  # sees the cell, may not change it
    assert client.get(f"/org/{province.cell_1.pk}/import/").status_code == 403
    client.force_login(outsider)  # does not even see it
    assert client.get(f"/org/{province.cell_1.pk}/import/").status_code == 404
    client.force_login(staff_a)
    upload(client, province.cell_1, csv_file(GOOD))
    batch = MemberImport.objects.get()
    client.force_login(board_officer)
    assert client.post(batch.get_absolute_url()).status_code == 403
    assert not Person.objects.exists()
