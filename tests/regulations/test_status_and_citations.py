"""Status on a date, citation round trips, the "cited by" registry, and code citations."""

import datetime as dt
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

from regulations import citations
from regulations.citations import CitationError, anchor_for, cite, resolve
from regulations.models import DocStatus, Document

pytestmark = pytest.mark.django_db
D = dt.date
ROOT = Path(__file__).resolve().parents[2]
APPS = ["portal", "audit", "regulations", "governance", "assessments", "personnel", "reports"]


@pytest.mark.parametrize(("code", "on", "status"), [
    ("142-QĐ/TW", D(2024, 4, 22), DocStatus.PENDING),
    ("142-QĐ/TW", D(2024, 4, 23), DocStatus.IN_FORCE),
    ("142-QĐ/TW", D(2029, 4, 23), DocStatus.IN_FORCE),  # the pilot's last day
    ("142-QĐ/TW", D(2029, 4, 24), DocStatus.EXPIRED),
    ("124-QĐ/TW", D(2025, 8, 29), DocStatus.IN_FORCE),
    ("124-QĐ/TW", D(2025, 8, 30), DocStatus.REPLACED),  # 366-QĐ/TW takes effect
    ("366-QĐ/TW", D(2025, 8, 30), DocStatus.IN_FORCE),
    ("80-QĐ/TW", D(2025, 10, 8), DocStatus.REPLACED),
    ("25-HD/BTCTW", D(2025, 10, 30), DocStatus.IN_FORCE),
    ("25-HD/BTCTW", D(2025, 10, 31), DocStatus.REPLACED),
])
def test_status_on_a_date(code, on, status):
    assert Document.objects.get(code=code).status_on(on) == status


def test_a_document_without_dates_is_a_draft():
    assert Document.objects.create(code="01-DT/TU", kind="decision", title="Dự thảo").status_on() == DocStatus.DRAFT


@pytest.mark.parametrize("on", [D(2023, 1, 1), D(2025, 8, 30), D(2026, 11, 23), D(2029, 4, 24)])
def test_the_status_filters_agree_with_status_on(on):
    for status in DocStatus.values:
        in_sql = set(Document.objects.with_status(status, on).values_list("code", flat=True))
        in_python = {d.code for d in Document.objects.all() if d.status_on(on) == status}
        assert in_sql == in_python, status
    assert set(Document.objects.in_force_on(on)) == set(Document.objects.with_status(DocStatus.IN_FORCE, on))


@pytest.mark.parametrize(("code", "ref", "rendered"), [
    ("ĐLĐ-2011", "9.5", "Khoản 5 Điều 9 Điều lệ Đảng"),
    ("ĐLĐ-2011", "12.3", "Khoản 3 Điều 12 Điều lệ Đảng"),
    ("124-QĐ/TW", "12", "Điều 12 Quy định 124-QĐ/TW"),
    ("80-QĐ/TW", "21.1", "Khoản 1 Điều 21 Quy định 80-QĐ/TW"),
    ("142-QĐ/TW", "dieu-3", "Điều 3 Quy định 142-QĐ/TW"),
])
def test_catalog_citations_round_trip(code, ref, rendered):
    provision = resolve(code, ref)
    assert provision.citation() == rendered
    assert resolve(code, provision.anchor) == provision


def test_a_point_renders_the_vietnamese_way():
    document = Document.objects.get(code="124-QĐ/TW")
    assert citations.render_anchor(document, anchor_for("12.4.a")) == "Điểm a Khoản 4 Điều 12 Quy định 124-QĐ/TW"
    assert anchor_for("12.a") == "dieu-12.diem-a"


@pytest.mark.parametrize(("code", "ref", "message"), [
    ("124-QĐ/TW", "99", "Không tìm thấy Điều 99 trong Quy định 124-QĐ/TW."),
    ("124-QĐ/TW", "12.4.a", "Không tìm thấy Điểm a Khoản 4 Điều 12 trong Quy định 124-QĐ/TW."),
    ("999-QĐ/TW", "1", "Không có văn bản 999-QĐ/TW trong danh mục."),
    ("124-QĐ/TW", "điều mười hai", "Không hiểu tham chiếu"),
])
def test_unknown_references_are_clear_errors(code, ref, message):
    with pytest.raises(CitationError, match=re.escape(message)):
        resolve(code, ref)


def test_records_of_other_apps_are_cited_by_rows_shown_only_within_the_readers_scopes(province, staff_a,
                                                                                      outsider):
    from regulations.services import citations_set

    provision = resolve("ĐLĐ-2011", "9.5")
    # any record can cite: here an organization of A, with A's path as its scope
    citations_set(obj=province.grassroots, refs=[("ĐLĐ-2011", "9.5"), ("ĐLĐ-2011", "9.5")],
                  label="Vấn đề BTV-01: Quyết định nhân sự", url="/somewhere/", scope=province.grassroots.path)
    assert [c.label for c in citations.cited_by(provision, staff_a)] == ["Vấn đề BTV-01: Quyết định nhân sự"]
    assert not citations.cited_by(provision, outsider).exists()
    assert not citations.cited_by(resolve("ĐLĐ-2011", "9.4"), staff_a).exists()
    with pytest.raises(CitationError):
        citations_set(obj=province.grassroots, refs=[("ĐLĐ-2011", "99")], label="x")


def test_an_act_cites_the_text_in_force_on_its_date():
    """Regulation 377 replaced 80 on 08/10/2025: a quorum refusal of 2026 cites 377, one of 2024 keeps 80."""
    from governance import rules

    assert str(rules.QUORUM.on(D(2024, 5, 20))) == "Khoản 1 Điều 21 Quy định 80-QĐ/TW"
    assert str(rules.QUORUM.on(D(2025, 10, 7))) == "Khoản 1 Điều 21 Quy định 80-QĐ/TW"
    assert str(rules.QUORUM.on(D(2025, 10, 8))) == "Quy định 377-QĐ/TW"
    assert str(rules.QUORUM.on(D(2026, 11, 20))) == "Quy định 377-QĐ/TW"
    assert rules.MAJORITY.on(D(2026, 11, 20)) == rules.MAJORITY  # the Charter is not replaced
    reason = rules.check_vote(in_office=11, present=7, votes_for=7).failures[0].reason(D(2026, 11, 20))
    assert (reason.code, reason.cite_code, reason.cite_ref) == ("quorum", "377-QĐ/TW", "")


def _import_all_app_modules() -> None:
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                importlib.import_module(info.name)


def test_every_provision_cited_in_the_code_resolves():
    _import_all_app_modules()
    assert citations.unresolved_citations() == []
    # every literal cite(...) in the source is one the registry knows about
    registered = {(c.code, c.ref) for c in citations.code_citations()}
    pattern = re.compile(r"""\bcite\(\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']""")
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for code, ref in pattern.findall(path.read_text()):
                assert (code, ref) in registered, f"{path}: cite({code!r}, {ref!r}) is never imported"


def test_the_code_citation_check_catches_a_bad_citation():
    bogus = cite("124-QĐ/TW", "77.1", by="a rule that cites a missing article")
    try:
        bad = citations.unresolved_citations()
        assert [c for c, _why in bad] == [bogus]
        assert "Không tìm thấy Khoản 1 Điều 77" in bad[0][1]
    finally:
        citations._code_citations.remove(bogus)


def test_the_provision_page_lists_the_rules_that_cite_it(client):
    from governance import rules  # noqa: F401  (its citations register on import)
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    html = client.get("/regulations/dld-2011/dieu-9.khoan-5/").content.decode()
    assert "governance.rules.majority_passed" in html
