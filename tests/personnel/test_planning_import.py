"""Importing a planning list from Excel: upload, preview with every row's errors, confirm; all rows or none."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from common.actors import SYSTEM
from personnel import services
from personnel.models import PlanningEntry
from personnel.planning_imports import LABELS, parse_planning_table

from ..factories import MembershipFactory, PersonFactory, position

pytestmark = pytest.mark.django_db
D = dt.date
HEADER = list(LABELS.values())


def xlsx(rows: list[list], header: list | None = None) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(header or HEADER)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def people(province):
    found = {}
    for key, org, name, card in [("an", province.cell_1, "Trần Văn An", "0300000001"),
                                 ("binh", province.cell_2, "Lê Thị Bình", "0300000002"),
                                 ("dung", province.cell_b, "Phạm Văn Dũng", "0300000004")]:
        found[key] = PersonFactory(full_name=name, card_number=card)
        MembershipFactory(person=found[key], organization=org)
    return found


def upload(client, org, content: bytes, name: str = "quy-hoach.xlsx"):
    return client.post(f"/org/{org.pk}/planning/import/", {"file": SimpleUploadedFile(name, content)})


def good_rows(province) -> list[list]:
    return [
        ["0300000001", "deputy-secretary", "2025-2030", "15-QĐ/TU", "01/12/2025", province.root.code],
        # A title instead of a code, and a real date cell.
        ["0300000002", "Ủy viên Ban Thường vụ", "2025-2030", "16-QĐ/ĐU", dt.datetime(2026, 1, 5), province.sub_a.code],
    ]


def test_a_valid_list_is_previewed_then_written_whole_and_audited(client, province, staff_a, people):
    client.force_login(staff_a)
    response = upload(client, province.sub_a, xlsx(good_rows(province)))
    assert response.status_code == 302
    preview_url = response["Location"]
    assert PlanningEntry.objects.count() == 0  # nothing until confirmed
    page = client.get(preview_url)
    assert page.status_code == 200 and not page.context["errors"]
    rows = list(page.context["table"].data)
    assert [(r["person"], r["position"].code, r["day"]) for r in rows] == [
        (people["an"], "deputy-secretary", D(2025, 12, 1)), (people["binh"], "standing-member", D(2026, 1, 5))]
    assert 'data-testid="import-commit"' in page.content.decode()
    audits = AuditEntry.objects.count()
    done = client.post(preview_url)
    assert done.status_code == 302 and done["Location"] == f"/org/{province.sub_a.pk}/planning/"
    entries = list(PlanningEntry.objects.order_by("added_on"))
    assert [(e.person, e.position.code, e.organization, e.term, e.added_ref, e.added_by) for e in entries] == [
        (people["an"], "deputy-secretary", province.sub_a, "2025-2030", "15-QĐ/TU", province.root),
        (people["binh"], "standing-member", province.sub_a, "2025-2030", "16-QĐ/ĐU", province.sub_a)]
    added = AuditEntry.objects.filter(action="planning.add", actor=staff_a)
    assert sorted(added.values_list("object_id", flat=True)) == sorted(str(e.pk) for e in entries)
    summary = AuditEntry.objects.get(action="planning.import")
    assert summary.data["count"] == 2 and len(summary.data["sha256"]) == 64
    assert AuditEntry.objects.count() == audits + 3
    assert client.get(preview_url).status_code == 404  # the preview is gone once written


def test_a_list_with_errors_shows_every_row_and_writes_nothing(client, province, staff_a, people):
    services.planning_add(organization=province.sub_a, person=people["an"], position=position("secretary"),
                          term="2025-2030", added_on=D(2025, 10, 1), added_ref="1-QĐ/TU", added_by=province.root,
                          actor=SYSTEM)
    client.force_login(staff_a)
    rows = good_rows(province) + [
        ["0399999999", "secretary", "2025-2030", "2-QĐ", "01/10/2025", province.root.code],  # no such card
        ["0300000004", "secretary", "2025-2030", "2-QĐ", "01/10/2025", province.root.code],  # B's: out of reach
        ["0300000002", "chu-tich", "2025-2030", "2-QĐ", "01/10/2025", province.root.code],  # no such position
        ["0300000002", "secretary", "2025-2030", "2-QĐ", "31/02/2025", province.root.code],  # not a day
        ["0300000001", "deputy-secretary", "2025-2030", "3-QĐ", "01/10/2025", province.root.code],  # = row 2
        ["0300000001", "secretary", "2025-2030", "4-QĐ", "01/10/2025", province.root.code],  # planned already
        ["0300000002", "executive-member", "2025-2030", "5-QĐ", "01/10/2025", province.grassroots.code],  # below A
        ["0300000002", "agency-head", "2025-2030", "", "01/12/2026", province.root.code],  # no ref; ahead
    ]
    before = PlanningEntry.objects.count(), AuditEntry.objects.count()
    response = upload(client, province.sub_a, xlsx(rows))
    page = client.get(response["Location"])
    errors = [(e["row"], e["message"]) for e in page.context["errors"]]
    assert errors == [
        (4, "Không tìm thấy đảng viên có số thẻ 0399999999."),
        (5, "Không tìm thấy đảng viên có số thẻ 0300000004."),
        (6, "Không có chức danh có mã hoặc tên “chu-tich”."),
        (7, "Ngày quyết định “31/02/2025” không đúng định dạng ngày (dd/mm/yyyy)."),
        (8, "Trùng với dòng 2 (cùng người, cùng chức danh, cùng nhiệm kỳ)."),
        (9, "Trần Văn An đã có trong quy hoạch chức danh Bí thư nhiệm kỳ 2025-2030."),
        (10, f"“{province.grassroots.code}” không phải mã của Đảng bộ Khối A hoặc một cấp trên của tổ chức này."),
        (11, "Thiếu Số quyết định."),
        (11, "Ngày quyết định (01/12/2026) không được sau hôm nay."),
    ]
    html = page.content.decode()
    assert 'data-testid="import-commit"' not in html and "Phạm Văn Dũng" not in html
    # Confirming anyway (a crafted POST) writes nothing either.
    refused = client.post(response["Location"])
    assert refused.status_code == 400
    assert (PlanningEntry.objects.count(), AuditEntry.objects.count()) == before


def test_an_entry_added_after_the_preview_refuses_the_whole_list(client, province, staff_a, people):
    client.force_login(staff_a)
    preview_url = upload(client, province.sub_a, xlsx(good_rows(province)))["Location"]
    assert not client.get(preview_url).context["errors"]
    services.planning_add(organization=province.sub_a, person=people["binh"], position=position("standing-member"),
                          term="2025-2030", added_on=D(2026, 1, 5), added_ref="16-QĐ/ĐU", added_by=province.sub_a,
                          actor=SYSTEM)
    response = client.post(preview_url)
    assert response.status_code == 400
    assert "Có 1 lỗi; không dòng nào được ghi." in response.content.decode()
    assert PlanningEntry.objects.count() == 1  # only the one added meanwhile


def test_a_file_that_cannot_be_read_is_refused_on_the_upload_form(client, province, staff_a, people):
    client.force_login(staff_a)
    missing = upload(client, province.sub_a, xlsx([["0300000001"]], header=["Số thẻ đảng viên", "Nhiệm kỳ"]))
    assert missing.status_code == 400
    assert missing.context["form"].errors["file"] == [
        "Thiếu cột bắt buộc: Chức danh quy hoạch (mã hoặc tên), Số quyết định, Ngày quyết định, Mã cấp phê duyệt."]
    broken = upload(client, province.sub_a, b"PK\x03\x04 not a zip")
    assert broken.status_code == 400 and "Không đọc được tệp .xlsx" in broken.content.decode()
    other = upload(client, province.sub_a, b"x", name="quy-hoach.pdf")
    assert other.status_code == 400 and other.context["form"].errors["file"] == ["Chỉ nhận tệp .xlsx hoặc .csv."]
    assert PlanningEntry.objects.count() == 0


def test_a_preview_belongs_to_its_organization(client, province, staff_a, people):
    client.force_login(staff_a)
    preview_url = upload(client, province.sub_a, xlsx(good_rows(province)))["Location"]
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    assert client.get(f"/org/{province.grassroots.pk}/planning/import/{token}/").status_code == 404
    assert client.post(f"/org/{province.grassroots.pk}/planning/import/{token}/").status_code == 404
    assert client.get(f"/org/{province.sub_a.pk}/planning/import/not-a-token/").status_code == 404
    assert PlanningEntry.objects.count() == 0


def test_the_template_has_the_columns_and_the_codes_to_use(client, province, staff_a):
    client.force_login(staff_a)
    response = client.get(f"/org/{province.grassroots.pk}/planning/import/template/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    header = next(book.worksheets[0].iter_rows(max_row=1, values_only=True))
    assert list(header) == HEADER
    codes = [r[0] for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert "deputy-secretary" in codes
    levels = [r[0] for r in book.worksheets[2].iter_rows(min_row=2, values_only=True)]
    assert levels == [province.grassroots.code, province.sub_a.code, province.root.code]
    # The template, filled in, reads back.
    assert parse_planning_table("mau.xlsx", response.content).errors == [
        {"row": None, "reason": {"code": "planning_import_no_rows", "params": {}}}]


def test_a_reader_may_not_import(client, province, inspector_a):
    client.force_login(inspector_a)
    assert client.get(f"/org/{province.sub_a.pk}/planning/import/").status_code == 403
    assert client.get(f"/org/{province.sub_a.pk}/planning/import/template/").status_code == 403


def test_a_csv_list_reads_like_an_xlsx_one(province):
    text = ",".join(HEADER) + "\n0300000001,deputy-secretary,2025-2030,15-QĐ/TU,01/12/2025,root\n"
    parsed = parse_planning_table("a.csv", text.encode())
    assert parsed.errors == []
    assert parsed.rows == [{"row": 2, "card": "0300000001", "position": "deputy-secretary", "term": "2025-2030",
                            "ref": "15-QĐ/TU", "day": "2025-12-01", "decider": "root"}]


def test_a_card_excel_made_a_number_of_still_reads(province):
    parsed = parse_planning_table("a.xlsx", xlsx([[300000001, "secretary", 2025, "1", "01/12/2025", "x"]]))
    assert parsed.rows[0]["card"] == "300000001" and parsed.rows[0]["term"] == "2025"
