"""Member import: parsed once at the preview, then all-or-nothing; errors as codes with row numbers."""

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.core.management import call_command
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils import translation
from openpyxl import Workbook

from audit.models import AuditEntry
from common.uploads import LimitedUploadHandler, upload_was_cut
from organizations import imports
from organizations.imports import error_message, parse_member_table
from organizations.models import ImportStatus, MemberImport, Membership, Person
from organizations.services import member_import_commit, member_import_preview
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

HEADER = "Họ và tên,Ngày sinh,Giới tính,Số thẻ đảng viên,Ngày vào Đảng,Ngày chính thức\n"
HEADER_START = HEADER.rstrip("\n") + ",Ngày bắt đầu sinh hoạt\n"
GOOD = HEADER + (
    "Nguyễn Thị Hoa,12/03/1985,Nữ,0200000001,19/05/2010,19/05/2011\n"
    "Trần Văn Bình,01/01/1979,Nam,0200000002,03/02/2005,\n"
)


def csv_file(text: str, name: str = "danh_sach.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_file(rows: list[list]) -> SimpleUploadedFile:
    return SimpleUploadedFile("danh_sach.xlsx", xlsx_bytes(rows))


def rezip(content: bytes, change) -> bytes:
    """The same .xlsx with each member passed through ``change(name, data)`` (None drops it)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = change(item.filename, source.read(item.filename))
            if data is not None:
                target.writestr(item, data)
    return out.getvalue()


def upload(client, org, f):
    return client.post(f"/org/{org.pk}/import/", {"file": f})


def codes(batch: MemberImport) -> dict:
    by_row: dict = {}
    for e in batch.errors:
        by_row.setdefault(e["row"], []).append(e["code"])
    return by_row


def test_csv_preview_writes_nothing_then_commit_writes_all(client, province, staff_a):
    client.force_login(staff_a)
    response = upload(client, province.cell_1, csv_file(GOOD))
    batch = MemberImport.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    assert batch.status == ImportStatus.PREVIEWED and batch.row_count == 2
    assert batch.rows[0] == {"row": 2, "full_name": "Nguyễn Thị Hoa", "birth_date": "1985-03-12",
                             "gender": "female", "card_number": "0200000001", "join_date": "2010-05-19",
                             "official_date": "2011-05-19", "start": "2010-05-19", "start_from_join": True}
    assert not Person.objects.exists()
    preview = client.get(batch.get_absolute_url())
    assert "Nguyễn Thị Hoa" in preview.content.decode() and "12/03/1985" in preview.content.decode()

    response = client.post(batch.get_absolute_url())
    assert response.status_code == 302
    hoa = Person.objects.get(card_number="0200000001")
    assert hoa.full_name == "Nguyễn Thị Hoa" and hoa.search_name == "nguyen thi hoa"
    assert hoa.memberships.get().start == dt.date(2010, 5, 19)  # from the join date, as the preview said
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
    MembershipFactory(person=PersonFactory(card_number="0200000009", full_name="Đã Có Sẵn"),
                      organization=province.cell_2)
    text = HEADER + (
        "Nguyễn Thị Hoa,12/03/1985,Nữ,0200000001,19/05/2010,19/05/2011\n"  # row 2: fine
        "Trần Văn Bình,31/02/1979,Nam,0200000002,03/02/2005,\n"  # row 3: no 31 February
        ",01/01/1980,Nam,0200000003,03/02/2005,\n"  # row 4: no name
        "Lê Thị Lan,01/01/1980,Khác,0200000001,03/02/2005,01/01/2004\n"  # row 5: gender, dup, official<join
        "Phan Văn Đã,01/01/1980,Nam,0200000009,03/02/2005,\n"  # row 6: card already in the database
        "Vũ Văn Số,01/01/1980,Nam,²²,01/01/9999,\n"  # row 7: "²" is no digit; a join date in the future
    )
    client.force_login(staff_a)
    upload(client, province.cell_1, csv_file(text))
    batch = MemberImport.objects.get()
    assert batch.status == ImportStatus.REJECTED
    assert codes(batch) == {3: ["bad_date"], 4: ["missing"],
                            5: ["bad_gender", "official_before_join", "duplicate_card"],
                            6: ["card_taken_by"], 7: ["bad_card", "future_date"]}
    assert {"row": 3, "code": "bad_date", "params": {"col": "birth_date", "v": "31/02/1979"}} in batch.errors
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Dòng 3: Ngày sinh “31/02/1979” không đúng định dạng ngày (dd/mm/yyyy)." in page
    assert "Dòng 4: Thiếu Họ và tên." in page
    assert "trùng với dòng 2" in page
    assert "Số thẻ đảng viên 0200000009 đã có trong hệ thống (Đã Có Sẵn)." in page  # staff_a may see them
    assert "không dòng nào được ghi" in page
    assert "import-commit" not in page
    assert client.post(batch.get_absolute_url()).status_code == 403
    assert Person.objects.count() == 1  # only the one that was there


def test_errors_are_stored_as_codes_and_read_in_the_readers_language(province, staff_a):
    batch, _ = member_import_preview(organization=province.cell_1, file_name="a.csv",
                                     content=(HEADER + "Hoa,,Khác,,19/05/2010,\n").encode(), actor=staff_a)
    assert batch.errors == [{"row": 2, "code": "bad_gender", "params": {"v": "Khác"}}]
    assert error_message(batch.errors[0]) == "Giới tính “Khác” không hợp lệ (ghi Nam hoặc Nữ)."
    with translation.override("en"):
        assert "Khác" in error_message(batch.errors[0])
        assert "Giới tính" not in error_message(batch.errors[0])


def test_errors_stored_as_text_before_codes_still_read():
    assert error_message({"row": 2, "code": imports.LEGACY, "params": {"text": "Thiếu Họ và tên."}}) == \
        "Thiếu Họ và tên."


def test_a_clerk_does_not_learn_who_holds_a_card_outside_their_reach(client, province, staff_a, outsider, an):
    """An (card 0100000001) is a member under committee A; the clerk of committee B must not learn his name."""
    text = HEADER + "Người Mới,,Nam,0100000001,19/05/2010,\n"
    client.force_login(outsider)
    upload(client, province.cell_b, csv_file(text))
    batch = MemberImport.objects.get()
    assert batch.errors == [{"row": 2, "code": "card_taken", "params": {"card": "0100000001"}}]
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Số thẻ đảng viên 0100000001 đã có trong hệ thống." in page
    assert "Nguyễn Văn An" not in page and "Nguyen Van An" not in page

    client.force_login(staff_a)  # who may see An is told whose card it is
    upload(client, province.cell_2, csv_file(text))
    batch = MemberImport.objects.latest("pk")
    assert batch.errors[0]["code"] == "card_taken_by"
    assert "(Nguyễn Văn An)" in client.get(batch.get_absolute_url()).content.decode()


def test_a_conflict_arising_after_the_preview_writes_nothing(province, staff_a):
    batch, _ = member_import_preview(organization=province.cell_1, file_name="a.csv",
                                     content=GOOD.encode(), actor=staff_a)
    PersonFactory(card_number="0200000002")  # someone registered the same card meanwhile
    assert member_import_commit(batch=batch, actor=staff_a) == 0
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REJECTED
    assert [(e["row"], e["code"]) for e in batch.errors] == [(3, "card_taken")]
    assert Person.objects.count() == 1 and not Membership.objects.exists()


def test_the_confirmation_writes_the_rows_kept_at_the_preview_without_reading_the_file(province, staff_a):
    batch, _ = member_import_preview(organization=province.cell_1, file_name="a.csv",
                                     content=GOOD.encode(), actor=staff_a)
    MemberImport.objects.filter(pk=batch.pk).update(content=b"not a member list any more")
    assert member_import_commit(batch=batch, actor=staff_a) == 2
    assert sorted(Person.objects.values_list("card_number", flat=True)) == ["0200000001", "0200000002"]


def test_an_import_previewed_before_rows_were_kept_must_be_uploaded_again(province, staff_a):
    batch, _ = member_import_preview(organization=province.cell_1, file_name="a.csv",
                                     content=GOOD.encode(), actor=staff_a)
    MemberImport.objects.filter(pk=batch.pk).update(rows=[])
    with pytest.raises(Exception, match="tải lên lại"):
        member_import_commit(batch=batch, actor=staff_a)
    assert not Person.objects.exists()


def _broken_sheet_xml(name: str, data: bytes) -> bytes:
    return data[: len(data) // 2] + b"<<<" if name == "xl/worksheets/sheet1.xml" else data


def _no_sheet(name: str, data: bytes) -> bytes | None:
    if name.startswith("xl/worksheets/"):
        return None
    if name == "xl/workbook.xml":
        return data[: data.index(b"<sheets>")] + b"<sheets/>" + data[data.index(b"</sheets>") + 9:]
    return data


GOOD_XLSX = xlsx_bytes([["Họ và tên", "Giới tính", "Ngày vào Đảng"]] + [["A", "Nam", "01/01/2000"]] * 50)


@pytest.mark.parametrize(("name", "content", "code"), [
    ("list.txt", b"x", "file_type"),
    ("list.csv", "Họ và tên,Ngày sinh\nA,01/01/1990\n".encode(), "missing_columns"),
    ("list.csv", "Họ và tên".encode("utf-16"), "upload_encoding"),
    ("list.csv", "Họ và tên,Giới tính,Ngày vào Đảng\n".encode(), "no_rows"),
    ("list.csv", b",,,\n\n", "empty"),
    ("list.csv", (HEADER + '"' + "x" * 200_000 + '",Nam,,,01/01/2000,\n').encode(), "upload_cell_too_long"),
    ("list.xlsx", b"not a workbook", "upload_unreadable"),
    ("list.xlsx", b"PK\x03\x04" + b"\x00" * 100, "upload_unreadable"),
    ("list.xlsx", rezip(GOOD_XLSX, _no_sheet), "upload_no_sheet"),
    ("list.xlsx", rezip(GOOD_XLSX, _broken_sheet_xml), "upload_broken"),
])
def test_unreadable_files_are_refused_with_a_clear_message(client, province, staff_a, name, content, code):
    client.force_login(staff_a)
    response = upload(client, province.cell_1, SimpleUploadedFile(name, content))
    if response.status_code == 200:  # refused by the form itself
        assert str(imports.MESSAGES[code]) in response.content.decode()
    else:
        batch = MemberImport.objects.get()
        assert batch.status == ImportStatus.REJECTED
        # a file common.uploads cannot read is kept as its reason, under the ``upload`` code
        assert [e["params"]["reason"]["code"] if e["code"] == imports.UPLOAD else e["code"]
                for e in batch.errors] == [code]
        assert "Dòng" in client.get(batch.get_absolute_url()).content.decode() or batch.errors[0]["row"] is None
    assert not Person.objects.exists()


def test_a_nul_in_a_csv_value_is_an_error_on_that_row(province, staff_a):
    text = HEADER + "Nguyễn Thị Hoa,,Nữ,,19/05/2010,\nTrần\x00Bình,,Nam,,19/05/2010,\n"
    batch, _ = member_import_preview(organization=province.cell_1, file_name="a.csv", content=text.encode(),
                                     actor=staff_a)
    assert batch.errors == [{"row": 3, "code": "nul", "params": {}}]
    assert "\x00" not in str(batch.rows)


def test_a_field_past_the_csv_limit_reports_its_row():
    text = HEADER + "A,,Nam,,01/01/2000,\n" + '"' + "x" * 200_000 + '",Nam,,,01/01/2000,\n'
    result = parse_member_table("a.csv", text.encode())
    assert result.errors == [{"row": None, "code": "upload", "params": {
        "reason": {"code": "upload_cell_too_long", "params": {"row": 3, "n": 131072}}}}]
    assert error_message(result.errors[0]) == "Dòng 3 có ô dài quá 131.072 ký tự; tệp không đọc tiếp được."


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_reading_stops_as_soon_as_the_file_has_too_many_rows(settings, kind):
    settings.IMPORT_MAX_ROWS = 50
    rows = [["Họ và tên", "Giới tính", "Ngày vào Đảng"]] + [[f"Người {i}", "Nam", "01/01/2000"] for i in range(5000)]
    if kind == "csv":
        content = "\n".join(",".join(r) for r in rows).encode()
    else:
        content = xlsx_bytes(rows)
    result = parse_member_table(f"a.{kind}", content)
    assert result.errors == [{"row": None, "code": "too_many_rows", "params": {"n": 50}}]
    assert result.rows == [] and result.rows_read == 51  # not 5000


def test_row_numbers_are_those_of_the_sheet_even_after_blank_rows(province, staff_a):
    content = xlsx_bytes([[None], ["Họ và tên", "Giới tính", "Ngày vào Đảng"], [None], ["A", "Khác", "01/01/2000"]])
    batch, _ = member_import_preview(organization=province.cell_1, file_name="a.xlsx", content=content,
                                     actor=staff_a)
    assert [(e["row"], e["code"]) for e in batch.errors] == [(4, "bad_gender")]


def test_import_only_into_a_cell(province, staff_a):
    batch, _ = member_import_preview(organization=province.grassroots, file_name="a.csv",
                                     content=GOOD.encode(), actor=staff_a)
    assert batch.status == ImportStatus.REJECTED
    assert batch.errors[0]["code"] == "not_cell"
    assert "Chỉ nhập danh sách đảng viên vào một chi bộ; “Đảng bộ xã Hòa Bình” là Đảng bộ cơ sở." == \
        error_message(batch.errors[0])


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


def test_a_post_without_a_file_asks_for_one(client, province, staff_a):
    client.force_login(staff_a)
    response = client.post(f"/org/{province.cell_1.pk}/import/", {})
    assert "Chọn tệp danh sách để tải lên." in response.content.decode()
    assert not MemberImport.objects.exists()


# --- size ---------------------------------------------------------------------


def test_a_request_declaring_too_many_bytes_is_refused_before_the_file_is_read(client, province, staff_a,
                                                                              settings):
    settings.IMPORT_MAX_BYTES = 2**20
    client.force_login(staff_a)
    big = HEADER + "Nguyễn Thị Hoa,,Nữ,,19/05/2010,\n" * 40_000  # about 1.4 MB
    response = upload(client, province.cell_1, csv_file(big))
    assert response.status_code == 200
    assert "Tệp quá lớn (tối đa 1,0\xa0MB)." in response.content.decode()
    assert response.wsgi_request.FILES == {}  # the handler stopped at the start of the file part
    assert not MemberImport.objects.exists()


def test_an_upload_is_cut_while_it_streams_once_past_the_limit(client, province, staff_a, settings):
    """The declared length passes (within the form's overhead), the file bytes do not: cut while reading."""
    settings.IMPORT_MAX_BYTES = 2000
    client.force_login(staff_a)
    response = upload(client, province.cell_1, csv_file(HEADER + "Nguyễn Thị Hoa,,Nữ,,19/05/2010,\n" * 400))
    assert "Tệp quá lớn" in response.content.decode()
    assert response.wsgi_request.FILES == {}
    assert not MemberImport.objects.exists()


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_the_handler_stops_reading_a_body_that_lies_about_its_length(rf, settings):
    settings.IMPORT_MAX_BYTES = 100 * 1024
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("a.csv", b"x" * (3 * 2**20))})
    request = rf.post("/org/1/import/", {})  # declares a few bytes; the stream below carries 3 MB
    stream = CountingStream(body)
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    handlers = [LimitedUploadHandler(request), MemoryFileUploadHandler(request)]
    post, files = MultiPartParser(meta, stream, handlers).parse()
    assert "file" not in files
    assert stream.bytes_read < 300 * 1024  # of more than 3 MB
    assert upload_was_cut(request)


def test_the_size_limit_applies_only_to_views_that_declare_one(rf, settings):
    settings.IMPORT_MAX_BYTES = 10
    handler = LimitedUploadHandler(rf.post("/people/"))
    handler.handle_raw_input(None, {}, 10**6, b"", None)
    assert handler.limit is None
    assert handler.receive_data_chunk(b"x" * 100, 0) == b"x" * 100


# --- purge ----------------------------------------------------------------------


def test_purge_forgets_old_uploads_and_keeps_the_record_of_written_ones(province, staff_a, settings):
    settings.IMPORT_KEEP_DAYS = 30
    bad = HEADER + "A,,Khác,,01/01/2000,\n"
    with time_machine.travel(dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC), tick=False):
        rejected, _ = member_import_preview(organization=province.cell_1, file_name="r.csv",
                                            content=bad.encode(), actor=staff_a)
        unconfirmed, _ = member_import_preview(organization=province.cell_1, file_name="u.csv",
                                               content=GOOD.encode(), actor=staff_a)
        written, _ = member_import_preview(organization=province.cell_2, file_name="w.csv",
                                           content=GOOD.replace("02000", "03000").encode(), actor=staff_a)
        member_import_commit(batch=written, actor=staff_a)
    with time_machine.travel(dt.datetime(2026, 1, 25, 9, tzinfo=dt.UTC), tick=False):
        recent, _ = member_import_preview(organization=province.cell_1, file_name="n.csv",
                                          content=bad.encode(), actor=staff_a)
        call_command("purge_imports", stdout=io.StringIO())  # nothing is old enough yet
        assert MemberImport.objects.count() == 4
    with time_machine.travel(dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC), tick=False):
        call_command("purge_imports", stdout=io.StringIO())
    assert set(MemberImport.objects.values_list("pk", flat=True)) == {written.pk, recent.pk}
    written.refresh_from_db()
    assert bytes(written.content) == b"" and written.rows == []
    assert written.row_count == 2 and written.status == ImportStatus.COMMITTED  # kept for the audit
    assert bytes(MemberImport.objects.get(pk=recent.pk).content) == bad.encode()
    assert Person.objects.filter(card_number="0300000001").exists()
    runs = AuditEntry.objects.filter(action="import.purge").order_by("at", "pk")
    assert runs.count() == 2
    assert runs.last().data["deleted"] == sorted([rejected.pk, unconfirmed.pk])
    assert runs.last().data["emptied"] == [written.pk]
    assert runs.last().object_type == "organizations.memberimport" and runs.last().object_id == ""


def test_the_purge_is_a_daily_task_of_celery_beat(settings):
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["purge-member-imports"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {2} and entry["schedule"].minute == {30}


# --- admin ----------------------------------------------------------------------


def test_the_admin_shows_imports_and_changes_none(client, province, staff_a):
    from tests.factories import UserFactory

    batch, _ = member_import_preview(organization=province.cell_1, file_name="a.csv",
                                     content=(HEADER + "A,,Khác,,01/01/2000,\n").encode(), actor=staff_a)
    client.force_login(UserFactory(username="quantri", is_superuser=True, is_staff=True))
    assert client.get("/admin/organizations/memberimport/").status_code == 200
    assert client.get("/admin/organizations/memberimport/add/").status_code == 403
    page = client.get(f"/admin/organizations/memberimport/{batch.pk}/change/")
    assert page.status_code == 200 and "Giới tính “Khác” không hợp lệ" in page.content.decode()
    assert client.post(f"/admin/organizations/memberimport/{batch.pk}/change/",
                       {"file_name": "x.csv"}).status_code == 403
    assert client.post(f"/admin/organizations/memberimport/{batch.pk}/delete/", {"post": "yes"}).status_code == 403
    batch.refresh_from_db()
    assert batch.file_name == "a.csv"


def test_the_charter_checks_age_and_the_start_of_activity(client, province, staff_a):
    rows = (HEADER_START
            + "Trẻ Tuổi,01/06/2000,Nam,,01/05/2018,,\n"  # 17 on the join date
            + "Đủ Tuổi,01/05/2000,Nam,,01/05/2018,,\n"  # 18 that very day
            + "Sinh Hoạt Sớm,01/01/1980,Nữ,,01/05/2010,,01/01/2009\n")  # active before joining
    client.force_login(staff_a)
    upload(client, province.cell_1, csv_file(rows))
    batch = MemberImport.objects.get()
    codes = {e["row"]: e["code"] for e in batch.errors}
    assert codes == {2: "under_18", 4: "start_before_join"}
    assert "khi đó mới 17 tuổi" in client.get(batch.get_absolute_url()).content.decode()
    # The date is kept as a date and shown in the reader's format.
    under_18 = next(e for e in batch.errors if e["code"] == "under_18")
    assert under_18["params"]["join"] == "2018-05-01"
    with translation.override("vi"):
        assert "01/05/2018" in error_message(under_18)
    with translation.override("en"):
        assert error_message(under_18).startswith("Joined the Party on 01/05/2018 at 17 years old")
    assert not Person.objects.exists()


def test_the_preview_shows_where_the_start_of_activity_comes_from_and_wraps_long_names(client, province, staff_a,
                                                                                       settings):
    long_name = "Nguyễn " + "Văn" * 25 + " An"
    rows = HEADER_START + "Có Ngày,01/01/1980,Nam,,01/05/2010,,01/06/2015\nKhông Ngày,01/01/1981,Nữ,,02/05/2011,,\n"
    client.force_login(staff_a)
    upload(client, province.cell_1, csv_file(rows + f"{long_name},01/01/1982,Nam,,03/05/2012,,\n"))
    html = client.get(MemberImport.objects.get().get_absolute_url()).content.decode()
    assert "01/06/2015" in html and "02/05/2011 (theo ngày vào Đảng)" in html
    assert 'class="text-break"' in html


# --- a file past a limit or unreadable: the upload's own reason --------------------------------------------


def test_a_file_past_the_size_limit_keeps_the_upload_s_reason(settings):
    settings.IMPORT_MAX_BYTES = 1024
    result = parse_member_table("a.csv", (HEADER + "A,,Nam,,01/01/2000,\n" * 100).encode())
    assert result.errors == [{"row": None, "code": imports.UPLOAD,
                              "params": {"reason": {"code": "upload_too_large", "params": {"size": 1024}}}}]
    with translation.override("en"):
        assert error_message(result.errors[0]) == "The file is too large (at most 1.0\xa0KB)."


def test_the_codes_of_imports_stored_earlier_still_render_and_are_written_no_more():
    with translation.override("vi"):
        assert error_message({"row": None, "code": "too_large", "params": {"mb": 5}}) == "Tệp quá lớn (tối đa 5 MB)."
        assert error_message({"row": None, "code": "xlsx_unreadable", "params": {}}).startswith(
            "Không đọc được tệp Excel")
        assert error_message({"row": 4, "code": "csv_field_too_long", "params": {"n": 10}}) == \
            "Có ô dài quá 10 ký tự; tệp không đọc tiếp được."
    for code in imports.STORED_EARLIER:
        with pytest.raises(ValueError, match="unknown import error code"):
            imports.error(code)
