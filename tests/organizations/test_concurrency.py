"""Lock, then check, for the tree and kinship: two connections race (PostgreSQL only; see
``tests/governance/test_concurrency.py`` for the harness)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from common.actors import SYSTEM
from common.reasons import Refused
from organizations.models import Kinship, Membership, Organization, OrgKind, Relation
from organizations.services import (
    kinship_declare,
    membership_start,
    organization_create,
    organization_dissolve,
    organization_move,
)
from tests.factories import MembershipFactory
from tests.governance.test_concurrency import _race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL and two connections"),
]
D = dt.date


def test_the_same_pair_declared_both_ways_at_once_is_declared_once(transactional_db, province):
    a = MembershipFactory(organization=province.cell_1, start=D(2010, 1, 1)).person
    b = MembershipFactory(organization=province.cell_2, start=D(2010, 1, 1)).person
    outcome = _race(
        lambda: kinship_declare(person=a, relative=b, relation=Relation.SPOUSE, declared_on=D(2025, 1, 1),
                                actor=SYSTEM),
        lambda: kinship_declare(person=b, relative=a, relation=Relation.SPOUSE, declared_on=D(2025, 1, 1),
                                actor=SYSTEM))
    assert outcome["second_blocked"]
    assert isinstance(outcome["second"], Refused) and outcome["second"].codes == ["kinship_exists"]
    assert Kinship.objects.count() == 1


def test_a_child_added_while_its_parent_moves_lands_in_the_new_place(transactional_db, province):
    outcome = _race(
        lambda: organization_move(organization=province.grassroots, parent=province.sub_b, actor=SYSTEM),
        lambda: organization_create(parent=province.grassroots, name="Chi bộ thôn 3", code="thon-3",
                                    kind=OrgKind.CELL, actor=SYSTEM))
    assert outcome["second_blocked"]
    moved = Organization.objects.get(pk=province.grassroots.pk)
    child = Organization.objects.get(code="thon-3")
    assert moved.path.startswith(Organization.objects.get(pk=province.sub_b.pk).path)
    assert child.path.startswith(moved.path) and child.depth == moved.depth + 1


def test_a_member_registered_while_the_cell_is_dissolved_is_refused(transactional_db, province):
    person = MembershipFactory(organization=province.cell_1, start=D(2010, 1, 1)).person
    outcome = _race(
        lambda: organization_dissolve(organization=province.cell_2, on=D(2026, 6, 30), actor=SYSTEM),
        lambda: membership_start(person=person, organization=province.cell_2, start=D(2026, 7, 1), actor=SYSTEM))
    assert outcome["second_blocked"]
    assert isinstance(outcome["second"], Refused) and outcome["second"].codes == ["org_dissolved"]
    assert not Membership.objects.filter(organization=province.cell_2).exists()


def test_a_child_added_under_a_descendant_while_the_subtree_moves_follows_the_move(transactional_db, province):
    """The create locks only the descendant it adds under; the move, coming second, waits for it and then
    rewrites the new child's path with the rest of the subtree."""
    outcome = _race(
        lambda: organization_create(parent=province.grassroots, name="Chi bộ thôn 3", code="thon-3",
                                    kind=OrgKind.CELL, actor=SYSTEM),
        lambda: organization_move(organization=province.sub_a, parent=province.sub_b, actor=SYSTEM))
    assert outcome["second_blocked"]
    assert not isinstance(outcome["second"], Exception), outcome["second"]
    grassroots = Organization.objects.get(pk=province.grassroots.pk)
    child = Organization.objects.get(code="thon-3")
    assert grassroots.path.startswith(Organization.objects.get(pk=province.sub_b.pk).path)
    assert child.path.startswith(grassroots.path) and child.depth == grassroots.depth + 1


def test_a_child_added_under_a_descendant_waits_for_the_move_and_lands_in_the_new_place(transactional_db, province):
    outcome = _race(
        lambda: organization_move(organization=province.sub_a, parent=province.sub_b, actor=SYSTEM),
        lambda: organization_create(parent=province.grassroots, name="Chi bộ thôn 3", code="thon-3",
                                    kind=OrgKind.CELL, actor=SYSTEM))
    assert outcome["second_blocked"]
    grassroots = Organization.objects.get(pk=province.grassroots.pk)
    child = Organization.objects.get(code="thon-3")
    assert grassroots.path.startswith(Organization.objects.get(pk=province.sub_b.pk).path)
    assert child.path.startswith(grassroots.path) and child.depth == grassroots.depth + 1
