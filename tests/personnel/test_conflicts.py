"""Relatives in personnel work: a related voter is recused (present, out of the ballot and the base), kinship
counts whoever declared it, a nominator related to the nominee acknowledges it in writing, and Art. 20(3) of
the Law on Anti-Corruption refuses a close relative of the unit's head or deputy in its accounting post."""

from __future__ import annotations

import datetime as dt

import pytest

from common.actors import SYSTEM
from organizations.services import kinship_declare, kinship_end
from personnel import services
from personnel.models import EntryKind, ResponsibilityEntry

from ..factories import position
from .conftest import counts, nothing_recorded, refused
from .test_views_flows import through_step_2

pytestmark = pytest.mark.django_db
D = dt.date


DECLARED = D(2025, 1, 1)


def _declare(person, relative, relation: str, on: dt.date = DECLARED):
    return kinship_declare(person=person, relative=relative, relation=relation, declared_on=on, actor=SYSTEM)


def test_related_voters_are_recused_out_of_the_base_whoever_declared_the_kinship(client, committee):
    c = committee
    n = through_step_2(c)
    voter_a, voter_b = [m for m in c.members if m not in (c.head, c.nominee)][:2]
    _declare(c.nominee, voter_a, "sibling")  # the nominee declared
    _declare(voter_b, c.nominee, "in_law")  # the voter declared
    meeting = c.meeting(D(2026, 3, 16))
    with nothing_recorded(), refused("ballots_issued_over_present"):  # 9 present, 2 recused: 7 ballots at most
        services.step_record(nomination=n, meeting=meeting, counts=counts(9, {c.nominee.pk: 4}), actor=c.clerk)
    step = services.step_record(nomination=n, meeting=meeting, counts=counts(7, {c.nominee.pk: 4}), actor=c.clerk)
    assert sorted(step.recused) == sorted([voter_a.pk, voter_b.pk])
    assert len(step.present) == 9 and step.threshold["base"] == 7 and step.threshold["needed"] == 4
    assert step.result == "selected"  # 4 of a base of 7; of 9 it would have needed 5
    flag = next(r for r in step.reasons if r["code"] == "conflict_voters_recused")
    assert sorted(flag["params"]["names"]) == sorted([voter_a.full_name, voter_b.full_name])
    client.force_login(c.clerk)  # the minutes on the nomination's page name them
    html = client.get(n.get_absolute_url()).content.decode()
    assert "Không tham gia biểu quyết vì có quan hệ gia đình với người được giới thiệu" in html
    assert f"{voter_a.full_name} (anh, chị, em ruột)" in html


def test_a_kinship_ended_before_the_meeting_recuses_nobody(committee):
    c = committee
    n = through_step_2(c)
    voter = next(m for m in c.members if m not in (c.head, c.nominee))
    kinship_end(kinship=_declare(c.nominee, voter, "spouse"), ended_on=D(2026, 3, 1), actor=SYSTEM)
    step = services.step_record(nomination=n, meeting=c.meeting(D(2026, 3, 16)), counts=counts(9, {c.nominee.pk: 5}),
                                actor=c.clerk)
    assert step.recused == [] and step.threshold["base"] == 9


def test_a_nominator_related_to_the_nominee_acknowledges_it_in_writing(committee):
    c = committee
    _declare(c.head, c.nominee, "child")
    n = c.draft()
    with refused("standards_explanation_missing", "conflict_nominator") as info:
        services.nomination_introduce(nomination=n, on=D(2026, 3, 2), actor=c.head_user)
    conflict = next(r for r in info.value.reasons if r.code == "conflict_nominator")
    assert conflict.cite_code == "114-QĐ/TW" and "con" in conflict.message
    services.nomination_introduce(nomination=n, on=D(2026, 3, 2), actor=c.head_user,
                                  explanation="Tôi xác nhận người được giới thiệu là con tôi; đề nghị tập thể xem xét")
    entry = ResponsibilityEntry.objects.get(nomination=n, kind=EntryKind.STANDARDS_EXPLAINED)
    assert entry.nominator_id == c.head.pk and "con tôi" in entry.data["explanation"]


def test_a_close_relative_of_the_unit_s_head_is_refused_its_accounting_post(committee, province):
    c = committee
    accountant = position("chief-accountant")
    assert accountant.work == "accounting"
    services.planning_add(organization=c.org, person=c.nominee, position=accountant, term="2025-2030",
                          added_on=D(2025, 12, 1), added_ref="17-QĐ/TU", added_by=province.root, actor=SYSTEM)
    _declare(c.nominee, c.head, "spouse")
    n = services.nomination_draft(organization=c.org, kind="standard", position=accountant, nominee=c.nominee,
                                  source="internal", rationale="Có chuyên môn", action_program=c.draft().action_program,
                                  actor=SYSTEM)
    with refused("conflict_art_20") as info:
        services.nomination_introduce(nomination=n, on=D(2026, 3, 2), actor=c.clerk)
    reason = next(r for r in info.value.reasons if r.code == "conflict_art_20")
    assert (reason.cite_code, reason.cite_ref) == ("36/2018/QH14", "20.3")
    assert reason.params["leader"] == c.head.full_name and "vợ, chồng" in reason.message


def test_an_in_law_is_not_within_art_20(committee, province):
    from personnel.conflicts import art_20_reasons

    c = committee
    n = c.draft()
    n.position = position("cashier")
    _declare(c.nominee, c.head, "in_law")
    assert art_20_reasons(n, D(2026, 3, 2)) == []
    n.position = position("deputy-secretary")  # not a post of Art. 20(3)
    assert art_20_reasons(n, D(2026, 3, 2)) == []
