"""Printing a meeting's minutes and the register of decisions: requested from their pages, rendered, verified."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from common.actors import SYSTEM
from governance import services as svc
from governance.models import AgendaItem, Attendance, Decision, DecisionStatus, Field, Meeting, Mode, WorkingRegulation
from jobs.models import JobStatus
from organizations.models import BodyKind, Organization, Person, PositionRole
from reports import services
from reports.documents import Document, render_html
from reports.documents.governance import minutes_context, register_context
from reports.models import Report, ReportKind
from reports.render import html_to_pdf
from tests.factories import BodyFactory, MembershipFactory, TenureFactory, make_org, position
from tests.governance.test_views_working import _committee
from tests.reports.hostile_text import HOSTILE, assert_safe

pytestmark = pytest.mark.django_db
D = dt.date

NAMES = ["Nguyễn Thị Hương", "Trần Văn Đức", "Lê Thị Ánh Tuyết", "Phạm Quốc Việt", "Hoàng Minh Khuê"]
AWAY = "Đi công tác tại Thành phố Hồ Chí Minh"


def _text(pdf: bytes) -> str:
    """The PDF's text, whitespace normalised (lines wrap where the columns end)."""
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _report(response) -> Report:
    assert response.status_code == 302, response.content[:300]
    report = Report.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert response["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    return report


def _executive(org: Organization, names: list[str]):
    """An executive committee whose members hold office since 2020, and a working regulation in force."""
    executive = BodyFactory(organization=org, kind=BodyKind.EXECUTIVE)
    people = []
    for i, name in enumerate(names):
        code = "secretary" if i == 0 else "deputy-secretary" if i == 1 else "executive-member"
        person = TenureFactory(position=position(code), organization=org, body=executive, start=D(2020, 10, 1),
                               person__full_name=name).person
        MembershipFactory(person=person, organization=org)
        people.append(person)
    regulation = WorkingRegulation.objects.create(organization=org, version=1, title="Quy chế làm việc khóa 2020")
    matters = {
        "NS-01": svc.matter_add(regulation=regulation, actor=SYSTEM, code="NS-01", title="Giới thiệu nhân sự",
                                field=Field.PERSONNEL, mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE,
                                ballot="secret", provisions=[{"code": "ĐLĐ-2011", "ref": "9.5"}]),
        "CT-01": svc.matter_add(regulation=regulation, actor=SYSTEM, code="CT-01", title="Chương trình công tác",
                                field=Field.POLICY, mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE,
                                provisions=[{"code": "80-QĐ/TW", "ref": "21.1"}]),
        "TC-01": svc.matter_add(regulation=regulation, actor=SYSTEM, code="TC-01", title="Chi thường xuyên",
                                field=Field.FINANCE, mode=Mode.HEAD_REPORTS, role=PositionRole.HEAD,
                                report_within_days=15),
    }
    svc.regulation_adopt(regulation=regulation, start=D(2021, 1, 1), actor=SYSTEM)
    return executive, people, matters


@pytest.fixture
def meeting(province):
    """The grassroots committee's March meeting: 4 of 5 present, two agenda items, three decisions, minutes
    approved."""
    executive, people, matters = _executive(province.grassroots, NAMES)
    meeting = svc.meeting_open(body=executive, date=D(2026, 3, 10), title="Hội nghị Ban Chấp hành tháng 3 năm 2026",
                               actor=SYSTEM, matters=[matters["NS-01"], matters["CT-01"]])
    svc.attendance_set(meeting=meeting, person=people[4], present=False, reason=AWAY, actor=SYSTEM)
    svc.decision_record_collective(meeting=meeting, matter=matters["NS-01"],
                                   title="Giới thiệu đồng chí Trần Văn Đức ứng cử Phó Bí thư", votes_for=3,
                                   votes_against=1, abstaining=0, ballot="secret", actor=SYSTEM)
    svc.decision_record_collective(meeting=meeting, matter=matters["CT-01"], title="Chương trình công tác quý II",
                                   votes_for=4, votes_against=0, abstaining=0, actor=SYSTEM)
    voted_down = svc.decision_record_collective(meeting=meeting, matter=matters["CT-01"],
                                                title="Đề án sáp nhập thôn Đông và thôn Đoài", votes_for=2,
                                                votes_against=1, abstaining=1, actor=SYSTEM)
    assert voted_down.status == DecisionStatus.NOT_PASSED
    svc.minutes_approve(meeting=meeting, actor=SYSTEM)
    return Meeting.objects.get(pk=meeting.pk)


# --- the minutes --------------------------------------------------------------------------------


def test_a_clerk_prints_the_minutes_from_the_meeting_page(client, province, staff_a, meeting,
                                                          django_capture_on_commit_callbacks):
    client.force_login(staff_a)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="print-minutes"' in page and f"/reports/meeting/{meeting.pk}/minutes/" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/meeting/{meeting.pk}/minutes/")
    report = _report(response)
    assert report.job.status == JobStatus.SUCCEEDED, report.job.error
    assert (report.kind, report.organization, report.params) == (ReportKind.MINUTES, province.grassroots,
                                                                 {"meeting": meeting.pk})
    assert report.title == "Biên bản hội nghị Hội nghị Ban Chấp hành tháng 3 năm 2026 (10/03/2026)"
    text = _text(report.file.read())
    for expected in [
        "ĐẢNG BỘ KHỐI A", "ĐẢNG BỘ XÃ HÒA BÌNH", "ĐẢNG CỘNG SẢN VIỆT NAM", "ngày 10 tháng 03 năm 2026",
        "BIÊN BẢN HỘI NGHỊ", "Hội nghị Ban Chấp hành tháng 3 năm 2026", "Ban Chấp hành", "10/03/2026",
        "Triệu tập 5 đồng chí; có mặt 4, vắng mặt 1.", "Có mặt 4/5 thành viên có quyền biểu quyết; cần ít nhất 4",
        *NAMES, f"Lý do: {AWAY}",
        # the agenda, in order
        "1 Giới thiệu nhân sự NS-01", "2 Chương trình công tác CT-01",
        # each decision: its matter, its ballot, the provisions it rests on, its outcome
        "Giới thiệu đồng chí Trần Văn Đức ứng cử Phó Bí thư", "Vấn đề: NS-01 — Giới thiệu nhân sự",
        "Hình thức biểu quyết: Bỏ phiếu kín", "Căn cứ: Khoản 5 Điều 9 Điều lệ Đảng",
        "Chương trình công tác quý II", "Hình thức biểu quyết: Biểu quyết công khai",
        "Căn cứ: Khoản 1 Điều 21 Quy định 80-QĐ/", "Đề án sáp nhập thôn Đông và thôn Đoài", "Không thông qua",
        "Biên bản đã được hội nghị thông qua lúc", "THƯ KÝ HỘI NGHỊ", "CHỦ TRÌ HỘI NGHỊ",
        f"Trang 1/{report.pages}", "Số liệu đến",
    ]:
        assert expected in text, expected
    # The votes for / against / abstaining follow each decision's row, then its outcome.
    assert re.search(r"Phó Bí thư .*? 3 1 0 Hợp lệ", text)
    assert re.search(r"quý II .*? 4 0 0 Hợp lệ", text)
    assert re.search(r"thôn Đoài .*? 2 1 1 Không thông qua", text)
    assert "quá nửa số thành viên đương nhiệm" in text  # the reason the motion was not passed, as recorded
    check = services.report_verify(report)
    assert check.data_unchanged and check.file_intact and check.same_template


def test_minutes_not_yet_approved_say_so(province, staff_a):
    executive, people, matters = _executive(province.grassroots, NAMES[:3])
    meeting = svc.meeting_open(body=executive, date=D(2026, 4, 2), title="Hội nghị tháng 4", actor=SYSTEM)
    html = render_html("x", Document("reports/minutes.html", minutes_context({"meeting": meeting.pk})),
                       dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC))
    assert "Biên bản chưa được thông qua" in html and "Không có nội dung ghi trước." in html


def test_the_minutes_read_a_fixed_number_of_queries(province, meeting):
    executive, people, matters = _executive(province.cell_1, [f"Đảng viên số {i}" for i in range(20)])
    big = svc.meeting_open(body=executive, date=D(2026, 5, 5), title="Hội nghị lớn", actor=SYSTEM,
                           matters=list(matters.values())[:2])
    for person in people[15:]:
        svc.attendance_set(meeting=big, person=person, present=False, reason="Ốm", actor=SYSTEM)
    for i in range(12):
        svc.decision_record_collective(meeting=big, matter=matters["NS-01" if i % 2 else "CT-01"],
                                       title=f"Quyết định {i}", votes_for=14, ballot="secret" if i % 2 else "open",
                                       concerns=people[i] if i % 2 else None, actor=SYSTEM)
    minutes_context({"meeting": meeting.pk})  # the cited documents are read once per process
    counts = []
    for m in (meeting, big):
        with CaptureQueriesContext(connection) as queries:
            minutes_context({"meeting": m.pk})
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10, counts


# --- the register of decisions -------------------------------------------------------------------


@pytest.fixture
def register(province, meeting):
    """Decisions in A's subtree (the grassroots committee and its cell 1), one before the range, and one of B."""
    cell_executive, cell_people, cell_collective, cell_individual = _committee(province.cell_1)
    cell_meeting = svc.meeting_open(body=cell_executive, date=D(2026, 3, 10), title="Hội nghị chi bộ", actor=SYSTEM)
    svc.decision_record_collective(meeting=cell_meeting, matter=cell_collective, title="Nghị quyết chi bộ quý I",
                                   votes_for=5, actor=SYSTEM)
    svc.decision_record_individual(organization=province.cell_1, matter=cell_individual, date=D(2026, 6, 1),
                                   title="Chi hỗ trợ gia đình chính sách", signatory=cell_people[0], actor=SYSTEM)
    # A head deciding alone what the collective must decide: recorded irregular, flagged as wrong authority.
    svc.decision_record_individual(organization=province.cell_1, matter=cell_collective, date=D(2026, 6, 2),
                                   title="Tự quyết chương trình công tác", signatory=cell_people[0],
                                   record_as_irregular=True, actor=SYSTEM)
    svc.decision_record_individual(organization=province.cell_1, matter=cell_individual, date=D(2025, 12, 31),
                                   title="Chi trước kỳ sổ", signatory=cell_people[0], actor=SYSTEM)
    _b_executive, b_people, _b_collective, b_individual = _committee(province.cell_b)
    svc.decision_record_individual(organization=province.cell_b, matter=b_individual, date=D(2026, 3, 10),
                                   title="Chi của đơn vị khác", signatory=b_people[0], actor=SYSTEM)
    return meeting


def _print_register(client, org, capture, **dates) -> Report:
    with capture(execute=True):
        response = client.post(f"/reports/org/{org.pk}/register/", dates)
    return _report(response)


def test_the_register_lists_exactly_the_decisions_of_the_range_and_subtree(client, province, staff_a, register,
                                                                         django_capture_on_commit_callbacks):
    client.force_login(staff_a)
    page = client.get(f"/org/{province.sub_a.pk}/decisions/").content.decode()
    assert 'data-testid="print-register"' in page and f"/reports/org/{province.sub_a.pk}/register/" in page
    report = _print_register(client, province.sub_a, django_capture_on_commit_callbacks,
                             **{"from": "01/01/2026", "to": "30/06/2026"})
    assert report.job.status == JobStatus.SUCCEEDED, report.job.error
    assert (report.kind, report.organization) == (ReportKind.REGISTER, province.sub_a)
    assert report.params == {"from": "2026-01-01", "to": "2026-06-30"}
    assert report.title == "Sổ theo dõi quyết định Đảng bộ Khối A từ 01/01/2026 đến 30/06/2026"
    text = _text(report.file.read())
    listed = ["Giới thiệu đồng chí Trần Văn Đức ứng cử Phó Bí thư", "Chương trình công tác quý II",
              "Đề án sáp nhập thôn Đông và thôn Đoài", "Nghị quyết chi bộ quý I", "Chi hỗ trợ gia đình chính sách",
              "Tự quyết chương trình công tác"]
    # By date, then by organization (the grassroots committee before its cell on 10/03), every one once.
    positions = [text.find(title) for title in listed]
    assert -1 not in positions and positions == sorted(positions), positions
    assert all(text.count(title) == 1 for title in listed)
    assert "Chi trước kỳ sổ" not in text and "Chi của đơn vị khác" not in text
    expected = Decision.objects.filter(organization__path__startswith=province.sub_a.path,
                                       date__range=(D(2026, 1, 1), D(2026, 6, 30)))
    assert expected.count() == len(listed) and "Tổng số 6 quyết định" in text
    for expected_text in ["SỔ THEO DÕI QUYẾT ĐỊNH", "Đảng bộ Khối A và các tổ chức trực thuộc, từ ngày 01/01/2026 "
                          "đến ngày 30/06/2026", "3/1/0", "Bỏ phiếu kín", "Cá nhân quyết định",
                          "Tập thể quyết định", "Sai thẩm quyền", "(sai thẩm quyền: 1)",
                          f"Trang 1/{report.pages}", "Số liệu đến"]:
        assert expected_text in text, expected_text
    assert text.count("Sai thẩm quyền") == 1  # the head's own decision of a collective matter, and it only
    check = services.report_verify(report)
    assert check.data_unchanged and check.file_intact
    # A decision recorded later in the range: the stored register no longer matches a fresh one.
    head_matter = register.decisions.first().matter.regulation.matters.get(code="TC-01")
    svc.decision_record_individual(organization=province.grassroots, matter=head_matter, date=D(2026, 6, 3),
                                   title="Chi mới", signatory=Person.objects.get(full_name=NAMES[0]), actor=SYSTEM)
    check = services.report_verify(report)
    assert check.file_intact and not check.data_unchanged


def _many_decisions(meeting: Meeting, n: int) -> None:
    template = meeting.decisions.order_by("pk").first()
    Decision.objects.bulk_create([
        Decision(organization=template.organization, matter=template.matter, kind=template.kind,
                 date=meeting.date, title=f"Quyết định số {i}", meeting=meeting, votes_for=4, votes_against=0,
                 abstaining=0, ballot=template.ballot, regulation=template.regulation, status=template.status,
                 reasons=template.reasons) for i in range(n)], batch_size=500)


def test_thousands_of_decisions_cost_the_queries_of_one(province, register):
    params = {"from": "2026-01-01", "to": "2026-12-31"}
    register_context(province.sub_a, params)  # the cited documents are read once per process
    with CaptureQueriesContext(connection) as few:
        small = register_context(province.sub_a, params)
    _many_decisions(register, 3000)
    with CaptureQueriesContext(connection) as many:
        large = register_context(province.sub_a, params)
    assert len(few) == len(many) <= 3, [q["sql"] for q in many]
    assert large["total"] == small["total"] + 3000


def test_a_long_register_repeats_its_header_and_keeps_rows_whole(province, register):
    _many_decisions(register, 150)
    report = Report(kind=ReportKind.REGISTER, organization=province.sub_a, title="Sổ",
                    params={"from": "2026-01-01", "to": "2026-12-31"})
    as_of = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
    rendered = html_to_pdf(render_html(report.title, services.document_for(report, as_of), as_of))
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(rendered.pdf)).pages]
    assert rendered.pages == len(pages) >= 4
    assert all("STT Ngày Tổ chức Nội dung quyết định" in page for page in pages[1:-1])  # the header on every page
    assert all(f"Trang {i}/{len(pages)}" in page for i, page in enumerate(pages, start=1))
    numbers = [int(n) for page in pages for n in re.findall(r"Quyết định số (\d+)", page)]
    assert sorted(numbers) == list(range(150))  # every row once: none split across two pages


# --- who may ask, and what is refused ---------------------------------------------------------------


def test_an_outsider_gets_404_and_printing_is_a_post(client, province, staff_a, outsider, register):
    minutes, register_url = f"/reports/meeting/{register.pk}/minutes/", f"/reports/org/{province.sub_a.pk}/register/"
    dates = {"from": "01/01/2026", "to": "31/12/2026"}
    client.force_login(outsider)
    assert client.post(minutes).status_code == 404
    assert client.post(register_url, dates).status_code == 404
    assert client.post(f"/reports/org/{province.grassroots.pk}/register/", dates).status_code == 404
    assert client.post("/reports/meeting/99999999999999999999/minutes/").status_code == 404
    assert client.post("/reports/org/99999999999999999999/register/", dates).status_code == 404
    page = client.get(f"/org/{province.sub_b.pk}/decisions/").content.decode()
    assert 'data-testid="print-register"' in page  # their own register, of course
    assert Report.objects.count() == 0
    client.force_login(staff_a)
    assert client.get(minutes).status_code == 405
    assert client.get(register_url).status_code == 405
    assert Report.objects.count() == 0


@pytest.mark.parametrize(("dates", "message"), [
    ({"from": "30/06/2026", "to": "01/01/2026"}, "Ngày kết thúc không được trước ngày bắt đầu."),
    ({"from": "hôm qua", "to": "01/01/2026"}, "Nhập ngày theo dạng dd/mm/yyyy."),
    ({"from": "31/02/2026", "to": "01/03/2026"}, "Ngày 31/02/2026 không có trong lịch."),
    ({"from": "01/01/2026", "to": "01/02/2026"}, "Sổ in một lần không quá 31 ngày"),
    ({"from": "01/01/1800", "to": "01/01/2026"}, "Ngày phải trong khoảng 01/01/1900 – 31/12/2199."),
    ({"to": "01/01/2026"}, "Nhập ngày bắt đầu của sổ."),
    ({"from": "01/01/2026", "to": ""}, "Nhập ngày kết thúc của sổ."),
    ({"from": "x" * 5000, "to": "\x00"}, "Nhập ngày theo dạng dd/mm/yyyy."),
])
def test_bad_dates_are_refused_with_the_reason_and_create_nothing(client, province, staff_a, settings, dates,
                                                                  message):
    settings.REPORT_REGISTER_MAX_DAYS = 31
    client.force_login(staff_a)
    response = client.post(f"/reports/org/{province.sub_a.pk}/register/", dates, follow=True)
    assert response.status_code in (200, 400)
    if response.status_code == 200:  # (a NUL is refused before any view, with its own page)
        assert response.redirect_chain == [(f"/org/{province.sub_a.pk}/decisions/", 302)]
        shown = [str(m) for m in response.context["messages"]]
        assert any(message in m for m in shown), shown
        assert message in response.content.decode()
    assert Report.objects.count() == 0


def test_the_longest_range_allowed_is_accepted(client, province, staff_a, settings):
    settings.REPORT_REGISTER_MAX_DAYS = 31
    client.force_login(staff_a)
    response = client.post(f"/reports/org/{province.sub_a.pk}/register/", {"from": "01/01/2026", "to": "31/01/2026"})
    assert response.status_code == 302 and Report.objects.get().params == {"from": "2026-01-01", "to": "2026-01-31"}


# --- hostile text ------------------------------------------------------------------------------------

def _assert_safe(html: str) -> str:
    return _text(assert_safe(html).pdf)


def test_hostile_text_fetches_nothing_and_stays_on_the_page(province, register):
    meeting = register
    Meeting.objects.filter(pk=meeting.pk).update(title=(HOSTILE[0] + HOSTILE[3])[:255])
    Organization.objects.filter(pk=province.grassroots.pk).update(name=(HOSTILE[3] + HOSTILE[5])[:255])
    for i, item in enumerate(AgendaItem.objects.filter(meeting=meeting).order_by("order")):
        AgendaItem.objects.filter(pk=item.pk).update(title=HOSTILE[i * 2 + 1][:300])
    AgendaItem.objects.create(meeting=meeting, order=9, title=HOSTILE[4][:300])  # as long as the field holds
    for i, decision in enumerate(meeting.decisions.order_by("pk")):
        Decision.objects.filter(pk=decision.pk).update(title=HOSTILE[(i * 2) % len(HOSTILE)][:300])
    Attendance.objects.filter(meeting=meeting, present=False).update(absence_reason=HOSTILE[4][:255])
    absent = Attendance.objects.filter(meeting=meeting, present=False).get().person
    absent.full_name = HOSTILE[3][:120]
    absent.save(update_fields=["full_name"])
    as_of = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
    minutes = Report(kind=ReportKind.MINUTES, organization=province.grassroots, title="x",
                     params={"meeting": meeting.pk})
    text = _assert_safe(render_html(minutes.title, services.document_for(minutes, as_of), as_of))
    assert '<img src="file:///etc/passwd">' in text and "127.0.0.1:9/leak" in text
    registered = Report(kind=ReportKind.REGISTER, organization=province.sub_a, title="y",
                        params={"from": "2026-01-01", "to": "2026-12-31"})
    text = _assert_safe(render_html(registered.title, services.document_for(registered, as_of), as_of))
    assert "url(http://127.0.0.1:9/css)" in text.replace(" ", "")  # as text (wrapped in its column)


def test_a_hostile_organization_name_in_the_title_is_escaped_on_the_report_page(client, province, staff_a,
                                                                               django_capture_on_commit_callbacks):
    org = make_org(province.sub_a, name=HOSTILE[0])
    client.force_login(staff_a)
    report = _print_register(client, org, django_capture_on_commit_callbacks,
                             **{"from": "01/01/2026", "to": "31/12/2026"})
    assert report.job.status == JobStatus.SUCCEEDED, report.job.error
    page = client.get(report.get_absolute_url()).content.decode()
    assert HOSTILE[0] not in page and "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in page
    assert "Không có quyết định nào trong khoảng thời gian này." in _text(report.file.read())
