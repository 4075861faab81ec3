"""Printing a review form: requested from the subject's page, rendered by the job, downloaded, verified."""

from __future__ import annotations

import hashlib
import io
import os
import re
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from assessments.models import Target
from common.actors import SYSTEM
from jobs.models import JobStatus
from organizations.models import RoleKind
from organizations.services import role_grant
from reports import services
from reports.documents import render_html
from reports.models import Report, ReportKind
from reports.render import BASE_URL, html_to_pdf, print_stylesheet
from tests.assessments.conftest import of
from tests.factories import UserFactory
from tests.reports.hostile_text import HOSTILE, assert_safe

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _print(client, assessment, capture) -> Report:
    with capture(execute=True):
        response = client.post(f"/reports/assessment/{assessment.pk}/print/")
    assert response.status_code == 302
    report = Report.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert response["Location"] == report.get_absolute_url()
    return report


def test_a_clerk_prints_a_members_form_and_downloads_it(client, world, period_2026,
                                                        django_capture_on_commit_callbacks):
    member = of(period_2026, world.members[1])
    Target.objects.create(assessment=member, title="Vận động 20 hộ tham gia làm đường giao thông nông thôn")
    client.force_login(world.cell_staff)
    page = client.get(member.get_absolute_url()).content.decode()
    assert 'data-testid="print-form"' in page and "In Mẫu 2A" in page
    report = _print(client, member, django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert report.job.status == JobStatus.SUCCEEDED, report.job.error
    assert (report.kind, report.organization, report.requested_by) == (ReportKind.FORM, world.province.cell_1,
                                                                       world.cell_staff)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="download"' in page and report.sha256 in page
    response = client.get(f"/reports/{report.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert hashlib.sha256(pdf).hexdigest() == report.sha256 and report.size == len(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == report.pages >= 1
    text = " ".join(_text(pdf).split())  # lines wrap where the columns end
    for expected in ["Mẫu 2A", "BẢN TỰ KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG", "Phạm Văn Thôn Một 0",
                     world.province.cell_1.name, "Vận động 20 hộ tham gia làm đường giao thông nông thôn",
                     "NGƯỜI TỰ KIỂM ĐIỂM", f"Trang 1/{report.pages}", "Số liệu đến",
                     "ĐẢNG CỘNG SẢN VIỆT NAM", period_2026.title]:
        assert expected in text, expected
    # The footer's short hash is the HTML's, and the same on every page.
    short = text.split("Mã ")[1][:12]
    assert len(short) == 12 and all(c in "0123456789abcdef" for c in short)
    # Listed in "my reports", with its own Excel export.
    mine = client.get("/reports/").content.decode()
    assert report.title in mine
    assert client.get("/reports/?export=xlsx")["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_same_data_give_the_same_bytes_and_a_stored_report_verifies(client, world, period_2026,
                                                                        django_capture_on_commit_callbacks):
    client.force_login(world.cell_staff)
    report = _print(client, of(period_2026, world.province.cell_1), django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert report.kind == ReportKind.COLLECTIVE and "Mẫu 01" in _text(report.file.read())
    check = services.report_verify(report)
    assert check.file_intact and check.data_unchanged and check.same_template
    # The data change: a fresh rendering no longer matches; the file itself is still the one stored.
    member = of(period_2026, world.province.cell_1)
    member.self_text = "Chi bộ đã bổ sung nghị quyết chuyên đề."
    member.save(update_fields=["self_text"])
    check = services.report_verify(report)
    assert check.file_intact and not check.data_unchanged
    # The file altered on disk: caught.
    with open(report.file.path, "ab") as handle:
        handle.write(b"%tampered")
    assert not services.report_verify(report).file_intact


def test_who_may_print_and_download(client, world, period_2026, django_capture_on_commit_callbacks, an):
    member = of(period_2026, world.members[1])
    client.force_login(world.cell_staff)
    report = _print(client, member, django_capture_on_commit_callbacks)
    urls = [f"/reports/{report.pk}/", f"/reports/{report.pk}/download/", f"/reports/{report.pk}/progress/"]
    # The committee above sees the cell: it may read and download what the cell printed.
    client.force_login(world.grassroots_staff)
    assert [client.get(u).status_code for u in urls] == [200, 200, 200]
    assert report.title not in client.get("/reports/").content.decode()  # not among *its* reports
    # Another committee's office sees none of it, and cannot print the cell's forms.
    outsider = UserFactory(username="sub_b_staff")
    role_grant(user=outsider, kind=RoleKind.COMMITTEE_STAFF, organization=world.province.sub_b, actor=SYSTEM)
    client.force_login(outsider)
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]
    assert client.post(f"/reports/assessment/{member.pk}/print/").status_code == 404
    assert client.post("/reports/assessment/99999999999999999999/print/").status_code == 404
    assert Report.objects.count() == 1
    # Printing is a POST.
    client.force_login(world.cell_staff)
    assert client.get(f"/reports/assessment/{member.pk}/print/").status_code == 405


def test_hostile_text_fetches_nothing_and_stays_on_the_page(world, period_2026, capsys):
    """Every user text field that reaches a form: the person's and organization's names, the self-assessment,
    the targets' titles and notes, the override reason."""
    member = of(period_2026, world.members[1])
    person, cell = member.person, member.organization
    person.full_name = HOSTILE[3][:120]
    person.save(update_fields=["full_name"])
    cell.name = HOSTILE[3] + HOSTILE[5]
    cell.save(update_fields=["name"])
    member.self_text = "\n".join(HOSTILE)
    member.save(update_fields=["self_text"])
    for i, text in enumerate(HOSTILE):
        Target.objects.create(assessment=member, title=text[:300], note=HOSTILE[-1 - i][:300], order=i)
    report = Report(kind=ReportKind.FORM, organization=cell, params={"assessments": [member.pk]}, title="x")
    html = render_html(report.title, services.document_for(report, period_2026.opened_at), period_2026.opened_at)
    text = _text(assert_safe(html).pdf)
    assert '<img src="file:///etc/passwd">' in text and "127.0.0.1:9/leak" in text
    assert "ال" in text or "الحزب" in text


def test_the_renderer_refuses_every_address_but_its_own_static_files():
    html = ('<link rel="stylesheet" href="/static/reports/print.css">'
            '<link rel="attachment" href="/static/portal/portal.js">'
            '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/a.png"><img src="https://example.org/b.png">'
            '<img src="/static/../../../etc/passwd"><img src="/static/%2e%2e/secret_key">'
            '<img src="data:image/png;base64,iVBORw0KGgo="><a rel="attachment" href="/static/reports/print.css">x</a>')
    rendered = html_to_pdf(html)
    assert rendered.served == [f"{BASE_URL}static/reports/print.css"]
    assert set(rendered.refused) >= {"file:///etc/passwd", "http://127.0.0.1:9/a.png", "https://example.org/b.png"}
    assert any(r.startswith("attachment") for r in rendered.refused)  # the attachment, never embedded
    assert b"/EmbeddedFile" not in rendered.pdf and b"passwd" not in rendered.pdf


def test_the_kept_fonts_and_stylesheet_change_nothing_in_the_bytes(world, period_2026, settings, tmp_path):
    """A thread renders with the font configuration and parsed stylesheet it keeps; a new thread, which makes
    its own, draws the same bytes. The stylesheet is parsed once, and again when the file changes."""
    member = of(period_2026, world.members[1])
    report = Report(kind=ReportKind.FORM, organization=world.province.cell_1, params={"assessments": [member.pk]},
                    title="x")
    html = render_html(report.title, services.document_for(report, period_2026.opened_at), period_2026.opened_at)
    warm = html_to_pdf(html).pdf
    assert html_to_pdf(html).pdf == warm
    fresh: list[bytes] = []
    thread = threading.Thread(target=lambda: fresh.append(html_to_pdf(html).pdf))
    thread.start()
    thread.join()
    assert fresh == [warm]

    css = (Path(settings.BASE_DIR) / "static/reports/print.css").read_text()
    own = tmp_path / "static" / "reports" / "print.css"
    own.parent.mkdir(parents=True)
    own.write_text(css)
    settings.STATICFILES_DIRS = [tmp_path / "static", *settings.STATICFILES_DIRS]
    first = print_stylesheet()
    assert print_stylesheet() is first
    assert html_to_pdf(html).pdf == warm  # the same rules from another file: the same bytes
    own.write_text(css.replace("size: A4;", "size: A5;"))
    os.utime(own, ns=(own.stat().st_atime_ns, own.stat().st_mtime_ns + 10**9))
    assert print_stylesheet() is not first
    changed = PdfReader(io.BytesIO(html_to_pdf(html).pdf)).pages[0].mediabox
    assert round(float(changed.width)) == 420  # A5, in points: the new rules were read
    # What keeping them relies on: the stylesheet imports nothing, and no report declares a font of its own.
    sources = [Path(settings.BASE_DIR) / "static/reports/print.css",
               *sorted((Path(settings.BASE_DIR) / "templates/reports").glob("*.html"))]
    assert len(sources) > 5 and not [p.name for p in sources if re.search(r"@import|@font-face", p.read_text())]


def test_the_verify_command_says_which_reports_differ(client, world, period_2026,
                                                      django_capture_on_commit_callbacks):
    from django.core.management import CommandError, call_command

    client.force_login(world.cell_staff)
    report = _print(client, of(period_2026, world.members[1]), django_capture_on_commit_callbacks)
    out = io.StringIO()
    call_command("report_verify", str(report.pk), stdout=out)
    assert "file intact; same as a fresh rendering" in out.getvalue()
    with open(Report.objects.get(pk=report.pk).file.path, "r+b") as handle:
        handle.seek(100)
        handle.write(b"X")
    with pytest.raises(CommandError, match="1 of 1 reports differ"):
        call_command("report_verify", str(report.pk), stdout=out)
    assert "FILE ALTERED" in out.getvalue()
    with pytest.raises(CommandError, match="no such report"):
        call_command("report_verify", "999999")
