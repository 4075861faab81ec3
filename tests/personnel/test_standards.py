"""The standards check's rules (personnel.standards): each item, each waiting period at its exact boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from common.reasons import Reason
from personnel import standards
from personnel.standards import FAILED, NOT_ASSESSED, PASSED, Facts

pytestmark = pytest.mark.django_db  # a failure's citation is the provision in force that day (the catalog)

D = dt.date
PROGRAM = {p: "x" for p in standards.PROGRAM_PARTS}
ALL_MET = {s: (True, "") for s in standards.ETHICS_STANDARDS}


def _facts(**kw) -> Facts:
    values = dict(on=D(2026, 6, 1), years=(2025, 2024, 2023), classifications=((2025, "good"),), ethics=ALL_MET,
                  action_program=PROGRAM, confidence=(D(2025, 11, 20), 1, 9, "ok"))
    values.update(kw)
    return Facts(**values)


def _items(facts: Facts, **kw) -> dict[str, standards.Item]:
    return {item.code: item for item in standards.check(facts, **kw)}


def test_a_clean_record_passes_every_item():
    items = _items(_facts())
    assert {code: i.outcome for code, i in items.items()} == dict.fromkeys(standards.ITEMS, PASSED)
    assert standards.blocking(list(items.values())) == standards.warnings(list(items.values())) == []


@pytest.mark.parametrize(("form", "months", "last_day_refused", "first_day_allowed"), [
    ("reprimand", 24, D(2026, 3, 14), D(2026, 3, 15)),
    ("warning", 36, D(2027, 3, 14), D(2027, 3, 15)),
    ("removal", 60, D(2029, 3, 14), D(2029, 3, 15)),
])
def test_a_discipline_waits_its_months_to_the_day(form, months, last_day_refused, first_day_allowed):
    decided = D(2024, 3, 15)
    assert standards.wait_ends(form, decided, standards.DEFAULT_WAIT_MONTHS) == first_day_allowed
    refused = _items(_facts(on=last_day_refused, disciplines=((form, decided),)))["discipline"]
    assert (refused.outcome, refused.severity, refused.blocks) == (FAILED, "block", True)
    (reason,) = refused.reasons
    assert (reason.code, reason.params) == ("standards_discipline_waiting", {
        "form": form, "d": "2024-03-15", "until": first_day_allowed.isoformat(), "months": months})
    assert reason.cite_code == "377-QĐ/TW"  # 80's successor, in force on the day judged
    assert _items(_facts(on=first_day_allowed, disciplines=((form, decided),)))["discipline"].outcome == PASSED


def test_a_waiting_period_from_the_end_of_a_month_ends_at_the_end_of_a_shorter_one():
    assert standards.wait_ends("reprimand", D(2024, 2, 29), standards.DEFAULT_WAIT_MONTHS) == D(2026, 2, 28)


def test_the_province_sets_the_waiting_periods_and_before_80_s_successor_the_citation_is_80():
    facts = _facts(on=D(2025, 1, 10), disciplines=(("reprimand", D(2024, 3, 15)),))
    item = _items(facts, wait_months={"reprimand": 6})["discipline"]
    assert item.outcome == PASSED  # 15/09/2024 ended the six months
    item = _items(facts)["discipline"]
    assert item.outcome == FAILED and item.reasons[0].cite_code == "80-QĐ/TW"


def test_an_expulsion_never_ends_and_other_forms_do_not_wait():
    item = _items(_facts(disciplines=(("expulsion", D(2001, 1, 1)),)))["discipline"]
    assert item.outcome == FAILED and item.reasons[0].code == "standards_discipline_never"
    assert _items(_facts(disciplines=(("other", D(2026, 5, 1)),)))["discipline"].outcome == PASSED


def test_a_not_completed_in_the_last_three_years_warns_by_default_and_blocks_when_the_province_says():
    facts = _facts(classifications=((2025, "good"), (2023, "not_completed")))
    item = _items(facts)["classification"]
    assert (item.outcome, item.severity, item.warns, item.blocks) == (FAILED, "warn", True, False)
    assert [r.params for r in item.reasons] == [{"year": 2023}]
    assert dict(item.details) == {"2025": "good", "2024": "", "2023": "not_completed"}
    assert _items(facts, severity={"classification": "block"})["classification"].blocks


def test_no_classification_in_the_years_judged_is_not_assessed_not_failed():
    item = _items(_facts(classifications=()))["classification"]
    assert item.outcome == NOT_ASSESSED and not item.reasons


@pytest.mark.parametrize(("on", "decided", "years"), [
    (D(2026, 6, 1), set(), (2025, 2024, 2023)),
    (D(2026, 12, 20), {2026}, (2026, 2025, 2024)),  # the year's review decided: it is the latest
])
def test_the_last_three_years(on, decided, years):
    assert standards.years_judged(on, decided) == years


def test_the_ethics_standards_are_the_board_s_checklist():
    partial = {"patriotism": (True, "")}
    assert _items(_facts(ethics=partial))["ethics"].outcome == NOT_ASSESSED
    unmet = {**ALL_MET, "integrity": (False, "Kê khai tài sản chưa trung thực")}
    item = _items(_facts(ethics=unmet))["ethics"]
    assert item.outcome == FAILED and item.warns
    assert item.reasons[0].params == {"standard": "integrity", "note": "Kê khai tài sản chưa trung thực"}
    assert "Kê khai tài sản chưa trung thực" in Reason.from_json(item.reasons[0].to_json()).message


def test_planning_and_the_action_program_block():
    planning = Reason("planning_required_internal", {"p": "A", "pos": "B", "org": "C"}, "377-QĐ/TW", "")
    items = _items(_facts(planning=[planning], action_program={**PROGRAM, "results": " "}))
    assert items["planning"].blocks and items["planning"].reasons == (planning,)
    assert items["action_program"].blocks and items["action_program"].reasons[0].params == {"parts": ["results"]}
    excepted = _items(_facts(planning_exception_ref="12-QĐ/TU"))["planning"]
    assert excepted.outcome == PASSED and dict(excepted.details) == {"exception": "12-QĐ/TU"}


def test_the_latest_confidence_vote_over_half_low_warns():
    item = _items(_facts(confidence=(D(2025, 11, 20), 5, 9, "low_half")))["confidence"]
    assert (item.outcome, item.warns) == (FAILED, True)
    assert item.reasons[0].params == {"d": "2025-11-20", "low": 5, "base": 9, "outcome": "low_half"}
    assert "20/11/2025" in item.reasons[0].message and item.reasons[0].cite_code == "96-QĐ/TW"
    assert _items(_facts(confidence=None))["confidence"].outcome == NOT_ASSESSED


def test_every_reason_reads_as_a_sentence():
    facts = _facts(disciplines=(("warning", D(2025, 1, 2)), ("expulsion", D(2020, 1, 1))),
                   classifications=((2024, "not_completed"),),
                   ethics={**ALL_MET, "solidarity": (False, "Gây mất đoàn kết")}, action_program={})
    reasons = [r for item in standards.check(facts) for r in item.reasons]
    assert len(reasons) == 5
    for reason in reasons:
        message = Reason.from_json(reason.to_json()).message
        assert message != reason.code and "%(" not in message, reason.code
    waiting = next(r for r in reasons if r.code == "standards_discipline_waiting")
    assert "02/01/2025" in waiting.message and "02/01/2028" in waiting.message and "cảnh cáo" in waiting.message
