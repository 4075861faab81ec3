"""The first page of each kind of report, drawn as an image and compared with a stored reference.

The references are PNG files in ``tests/reports/references/``. A layout that
moves (a heading lost, a table wider than the page, a font missing) changes
many pixels; what may differ from one run to the next (the short hash in the
footer, a database id) changes a few. After a deliberate change of layout,
draw them again with ``UPDATE_REPORT_REFERENCES=1 .venv/bin/pytest tests/reports/test_references.py``
and look at them before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageChops

from assessments import services as svc
from assessments.choices import Level
from assessments.models import Target
from reports import services
from reports.models import Report, ReportFormat, ReportKind
from tests.assessments.conftest import of
from tests.assessments.test_concurrency import CELL_366, EXCELLENT_366

pytestmark = pytest.mark.django_db

REFERENCES = Path(__file__).parent / "references"
# A pixel "differs" when its grey level moves by more than this; a page may have this share of such pixels.
LEVEL_STEP, SHARE = 64, 0.006


def _first_page(report: Report) -> Image.Image:
    with report.file.open("rb") as handle:
        document = pypdfium2.PdfDocument(handle.read())
    try:
        return document[0].render(scale=1).to_pil().convert("L")
    finally:
        document.close()


def _compare(name: str, image: Image.Image) -> tuple[float, Path]:
    reference = REFERENCES / f"{name}.png"
    if os.environ.get("UPDATE_REPORT_REFERENCES") or not reference.exists():
        if not os.environ.get("UPDATE_REPORT_REFERENCES"):
            pytest.fail(f"no reference for {name}: draw it with UPDATE_REPORT_REFERENCES=1")
        REFERENCES.mkdir(exist_ok=True)
        image.save(reference, optimize=True)
    stored = Image.open(reference).convert("L")
    assert stored.size == image.size, (stored.size, image.size)
    diff = ImageChops.difference(stored, image)
    differing = diff.point(lambda v: 255 if v > LEVEL_STEP else 0).histogram()[255]
    share = differing / (image.size[0] * image.size[1])
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"report-diff-{name}.png"
    if share > SHARE:
        diff.save(out)
    return share, out


def _request(kind, organization, params, actor, capture, fmt=ReportFormat.PDF) -> Report:
    with capture(execute=True):
        report = services.report_request(kind=kind, organization=organization, params=params, title="Mẫu",
                                         actor=actor, fmt=fmt)
    report.refresh_from_db()
    assert report.job.status == "succeeded", report.job.error
    return report


@pytest.fixture
def reviewed(world, period_2026):
    """Cell 1 reviewed (so the forms show grades and levels), its members decided Good."""
    p = world.province
    member = of(period_2026, world.members[1])
    Target.objects.create(assessment=member, title="Vận động 20 hộ tham gia làm đường giao thông nông thôn")
    rows = [svc.Row(of(period_2026, p.cell_1).pk, grades=CELL_366, level=Level.GOOD)]
    rows += [svc.Row(of(period_2026, m).pk, grades=EXCELLENT_366, level=Level.GOOD) for m in world.members]
    svc.assessments_review(period=period_2026, rows=rows, actor=world.cell_staff)
    svc.assessments_decide(period=period_2026, actor=world.grassroots_staff,
                           decisions=[svc.Decision(of(period_2026, m).pk, Level.GOOD) for m in world.members])
    return period_2026


def _report_of(kind, world, period, board_officer, capture) -> Report:
    p = world.province
    if kind == "form":
        return _request(ReportKind.FORM, p.cell_1, {"assessments": [of(period, world.members[1]).pk]},
                        board_officer, capture)
    if kind == "collective":
        return _request(ReportKind.COLLECTIVE, p.cell_1, {"assessments": [of(period, p.cell_1).pk]},
                        board_officer, capture)
    if kind == "forms":
        return _request(ReportKind.FORMS, p.cell_1, {"period": period.pk}, board_officer, capture)
    if kind == "summary":
        return _request(ReportKind.SUMMARY, p.root, {"period": period.pk}, board_officer, capture)
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["form", "collective", "forms", "summary"])
def test_the_first_page_looks_like_its_reference(kind, world, reviewed, board_officer,
                                                 django_capture_on_commit_callbacks):
    report = _report_of(kind, world, reviewed, board_officer, django_capture_on_commit_callbacks)
    share, diff = _compare(kind, _first_page(report))
    assert share <= SHARE, f"{share:.2%} of the first page differs from the reference (see {diff})"


@pytest.mark.parametrize("kind", ["minutes", "register"])
def test_the_first_page_of_the_governance_reports_looks_like_its_reference(kind, province, register, board_officer,
                                                                           django_capture_on_commit_callbacks):
    if kind == "minutes":
        report = _request(ReportKind.MINUTES, register.body.organization, {"meeting": register.pk}, board_officer,
                          django_capture_on_commit_callbacks)
    else:
        report = _request(ReportKind.REGISTER, province.grassroots, {"from": "2026-01-01", "to": "2026-12-31"},
                          board_officer, django_capture_on_commit_callbacks)
    share, diff = _compare(kind, _first_page(report))
    assert share <= SHARE, f"{share:.2%} of the first page differs from the reference (see {diff})"


def test_the_comparison_catches_a_layout_that_moved(world, reviewed, board_officer, settings,
                                                    django_capture_on_commit_callbacks, tmp_path):
    """The same form drawn with its margins changed is far from the reference: the tolerance is not a blanket."""
    css = (Path(settings.BASE_DIR) / "static/reports/print.css").read_text()
    moved = tmp_path / "static" / "reports"
    moved.mkdir(parents=True)
    (moved / "print.css").write_text(css.replace("margin: 20mm 15mm 22mm 25mm", "margin: 30mm 15mm 22mm 35mm"))
    settings.STATICFILES_DIRS = [tmp_path / "static", *settings.STATICFILES_DIRS]
    report = _report_of("form", world, reviewed, board_officer, django_capture_on_commit_callbacks)
    share, _diff = _compare("form", _first_page(report))
    assert share > SHARE * 5
