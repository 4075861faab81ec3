"""The summary of a period: progress against the deadlines, levels with the charts, the quota, every organization."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from assessments import services as svc
from assessments.choices import Level
from assessments.models import PeerGroup, Period
from common.actors import SYSTEM
from jobs.models import JobStatus
from organizations.models import Organization, RoleKind
from organizations.services import role_grant
from reports import services
from reports.documents import render_html
from reports.documents.summary import summary_context
from reports.models import Report, ReportKind
from reports.render import html_to_pdf
from tests.assessments.conftest import of
from tests.assessments.test_concurrency import CELL_366, EXCELLENT_366
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def decided(world, period_2026, board_officer):
    """Cell 1 reviewed and its members decided Good by the grassroots committee; the self-assessment is late."""
    p = world.province
    rows = [svc.Row(of(period_2026, p.cell_1).pk, grades=CELL_366, level=Level.GOOD)]
    rows += [svc.Row(of(period_2026, m).pk, grades=EXCELLENT_366, level=Level.GOOD) for m in world.members]
    svc.assessments_review(period=period_2026, rows=rows, actor=world.cell_staff)
    svc.assessments_decide(period=period_2026, actor=world.grassroots_staff,
                           decisions=[svc.Decision(of(period_2026, m).pk, Level.GOOD) for m in world.members])
    Period.objects.filter(pk=period_2026.pk).update(self_by=dt.date(2026, 11, 1))
    period_2026.refresh_from_db()
    return period_2026


def test_the_board_prints_the_provincial_summary(client, world, decided, board_officer,
                                                 django_capture_on_commit_callbacks):
    root = world.province.root
    # A group over the quota (as after an annulment above it): it is named in the summary.
    group = PeerGroup.objects.filter(period=decided, good__gt=0).first()
    PeerGroup.objects.filter(pk=group.pk).update(excellent=group.good)
    client.force_login(board_officer)
    page = client.get(f"/assessments/periods/{decided.pk}/org/{root.pk}/").content.decode()
    assert 'data-testid="print-summary"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/period/{decided.pk}/org/{root.pk}/summary/")
    report = Report.objects.get(kind=ReportKind.SUMMARY)
    assert response["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    assert report.job.status == JobStatus.SUCCEEDED, report.job.error
    text = _text(report.file.read())
    assert "BÁO CÁO TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG" in text and decided.title in text
    # Every organization below the root, in the table.
    below = Organization.objects.filter(path__startswith=root.path, depth__gt=root.depth)
    for name in below.values_list("name", flat=True):
        assert name in text, name
    total = decided.assessments.count()
    assert f"Tổng số {total} tập thể và cá nhân" in text
    assert f"đã quyết định xếp loại {len(world.members)}" in text
    assert "Quá hạn" in text  # the self-assessment's deadline has passed with subjects still pending
    assert f"{group.name}" in text and "1 nhóm vượt tỷ lệ" in text
    assert f"Trang 1/{report.pages}" in text and "Số liệu đến" in text
    check = services.report_verify(report)
    assert check.file_intact and check.data_unchanged


def test_the_summary_reads_a_fixed_number_of_queries(world, decided, django_assert_num_queries):
    """Whatever the size of the subtree: the province costs what a cell costs."""
    as_of = dt.datetime(2026, 11, 24, 2, tzinfo=dt.UTC)
    with django_assert_num_queries(6):
        summary_context(world.province.root, {"period": decided.pk}, as_of)
    with django_assert_num_queries(6):
        context = summary_context(world.province.cell_1, {"period": decided.pk}, as_of)
    assert context["rows"] == [] and context["own"].decided == len(world.members)


def test_the_summary_is_drawn_without_fetching_anything(world, decided):
    """The charts are inline SVG: nothing is asked for (the print stylesheet comes parsed from the renderer)."""
    report = Report(kind=ReportKind.SUMMARY, organization=world.province.root, params={"period": decided.pk},
                    title="x")
    as_of = dt.datetime(2026, 11, 24, 2, tzinfo=dt.UTC)
    html = render_html(report.title, services.document_for(report, as_of), as_of)
    assert "<svg" in html and "<script" not in html
    rendered = html_to_pdf(html)
    assert rendered.refused == [] and rendered.served == []


def test_who_may_print_a_summary(client, world, decided, board_officer, django_capture_on_commit_callbacks):
    url = f"/reports/period/{decided.pk}/org/{world.province.grassroots.pk}/summary/"
    outsider = UserFactory(username="sub_b_staff")
    role_grant(user=outsider, kind=RoleKind.COMMITTEE_STAFF, organization=world.province.sub_b, actor=SYSTEM)
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    # The office sees the organization but not its dashboard: the summary is the dashboard's.
    client.force_login(world.grassroots_staff)
    assert client.post(url).status_code == 403
    client.force_login(board_officer)
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    report = Report.objects.get()
    assert report.job.status == JobStatus.SUCCEEDED
    # The office that may not see the dashboard may not read the summary made of it either.
    client.force_login(world.grassroots_staff)
    for suffix in ("", "progress/", "download/"):
        assert client.get(f"/reports/{report.pk}/{suffix}").status_code == 403


def test_hostile_names_in_the_summary_fetch_nothing_and_stay_on_the_page(world, decided):
    """The user text a summary prints: the organizations' names (the table, the chart) and the peer groups'."""
    from tests.reports.hostile_text import HOSTILE, assert_safe

    for org, text in zip([world.province.cell_1, world.province.cell_2, world.province.sub_a], HOSTILE, strict=False):
        Organization.objects.filter(pk=org.pk).update(name=text[:250])
    group = PeerGroup.objects.filter(period=decided, good__gt=0).first()
    PeerGroup.objects.filter(pk=group.pk).update(excellent=group.good, name=HOSTILE[4][:200])
    report = Report(kind=ReportKind.SUMMARY, organization=world.province.root, params={"period": decided.pk},
                    title=HOSTILE[1])
    as_of = dt.datetime(2026, 11, 24, 2, tzinfo=dt.UTC)
    html = render_html(report.title, services.document_for(report, as_of), as_of)
    text = _text(assert_safe(html).pdf).replace(" ", "")  # the table's narrow column wraps the names anywhere
    assert '<imgsrc="file:///etc/passwd">' in text and "Đ" * 40 in text
