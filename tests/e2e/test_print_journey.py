"""Printing in the browser: the province's organization board prints every form of a cell from the cell's
dashboard, follows the job on the report's page until the file is ready, downloads it, and finds it again
under "Báo cáo của tôi"."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments import services as svc
from jobs.services import job_execute
from jobs.tasks import job_run
from reports.models import Report
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_board_prints_a_cell_s_forms_and_downloads_the_pdf(page, catalog, world, board_officer, monkeypatch):
    period = svc.period_create(organization=world.province.root, year=2026, actor=board_officer)
    job_execute(svc.period_open(period=period, actor=board_officer).pk)
    period.refresh_from_db()
    cell = world.province.cell_1
    # The print job waits in the queue until this test runs it (below), as a worker would: without a broker
    # the live server would run it in-process before answering, and the page would never show it under way.
    queued: list[int] = []
    monkeypatch.setattr(job_run, "delay", queued.append)

    login(page, "board_officer")
    page.goto(period.get_absolute_url())
    page.get_by_test_id("dashboard-link").first.click()
    page.get_by_role("link", name="Đảng bộ Khối A").click()
    page.get_by_role("link", name="Đảng bộ xã Hòa Bình").click()
    page.get_by_role("link", name=cell.name).click()
    page.wait_for_url(f"**/org/{cell.pk}/")
    form = page.get_by_test_id("print-forms")
    form.locator("select[name=fmt]").select_option("pdf")
    form.get_by_role("button", name="In hàng loạt").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))

    report = Report.objects.select_related("job").get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert queued == [report.job_id] and report.organization == cell and report.fmt == "pdf"
    status = page.get_by_test_id("report-status")
    expect(status).to_have_attribute("data-status", "queued")
    expect(status.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")
    expect(status).to_contain_text("Đang chờ")
    expect(page.get_by_test_id("download")).to_have_count(0)

    # The page polls its status; the polls wait in the browser while the job runs here (on SQLite the live
    # server shares this thread's connection, so the two must not use it at once).
    page.route("**/reports/*/progress/", lambda route: route.continue_())
    job_execute(report.job_id)
    download = page.get_by_test_id("download")
    expect(download).to_be_visible(timeout=20_000)  # the poll brought the finished status, no reload
    expect(status).to_have_attribute("data-status", "succeeded")
    expect(status).to_contain_text("Hoàn thành")
    expect(status.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    page.unroute("**/reports/*/progress/")

    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename.endswith(".pdf")
    with open(info.value.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    report.refresh_from_db()
    assert len(reader.pages) == report.pages
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for person in [world.secretary, *world.members]:
        assert person.full_name in text  # "Lê Thị Bí Thư", "Phạm Văn Thôn Một 0": the diacritics kept
    assert world.cell_2_members[0].full_name not in text  # only the cell's own members

    page.get_by_role("link", name="Báo cáo của tôi").first.click()
    page.wait_for_url("**/reports/")
    mine = page.locator("main")
    expect(mine).to_contain_text(report.title)
    mine.get_by_role("link", name=report.title).click()
    page.wait_for_url(f"**/reports/{report.pk}/")
    expect(page.get_by_test_id("download")).to_be_visible()
