"""A small world for the review: cell 1 with a secretary and four members, cell 2 with three, cell B with two."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from assessments import services as svc
from assessments.models import Assessment, Period
from common.actors import SYSTEM
from organizations.models import Organization, Person, RoleKind
from organizations.services import role_grant
from tests.factories import MembershipFactory, PersonFactory, TenureFactory, UserFactory, position


@dataclass
class World:
    province: object
    secretary: Person  # Bí thư chi bộ thôn 1
    members: list[Person]  # the other members of cell 1
    cell_2_members: list[Person]
    cell_b_members: list[Person]
    cell_staff: object  # the office of cell 1 (enters the review)
    grassroots_staff: object  # the office of the grassroots committee (decides for its cells)
    sub_a_staff: object  # the office of committee A (decides for the grassroots committee, annuls below)


def _user(name: str, kind: str, org: Organization):
    user = UserFactory(username=name, first_name=name)
    role_grant(user=user, kind=kind, organization=org, actor=SYSTEM)
    return user


@pytest.fixture
def world(province, an) -> World:
    secretary = PersonFactory(full_name="Lê Thị Bí Thư")
    MembershipFactory(person=secretary, organization=province.cell_1)
    TenureFactory(person=secretary, position=position("secretary"), organization=province.cell_1)
    members = [an] + [PersonFactory(full_name=f"Phạm Văn Thôn Một {i}") for i in range(3)]
    for person in members[1:]:
        MembershipFactory(person=person, organization=province.cell_1)
    cell_2 = [PersonFactory(full_name=f"Hoàng Văn Thôn Hai {i}") for i in range(3)]
    for person in cell_2:
        MembershipFactory(person=person, organization=province.cell_2)
    cell_b = [PersonFactory(full_name=f"Vũ Thị Trường {i}") for i in range(2)]
    for person in cell_b:
        MembershipFactory(person=person, organization=province.cell_b)
    return World(province, secretary, members, cell_2, cell_b,
                 _user("cell_staff", RoleKind.COMMITTEE_STAFF, province.cell_1),
                 _user("grassroots_staff", RoleKind.COMMITTEE_STAFF, province.grassroots),
                 _user("sub_a_staff", RoleKind.COMMITTEE_STAFF, province.sub_a))


def open_period(root: Organization, actor, year: int = 2026, quarter: int | None = None,
                capture=None, **settings) -> Period:
    """Create and open a period; the opening job runs on commit (in-process in tests)."""
    period = svc.period_create(organization=root, year=year, quarter=quarter, actor=actor, **settings)
    with capture(execute=True):
        svc.period_open(period=period, actor=actor)
    period.refresh_from_db()
    return period


@pytest.fixture
def period_2026(world, board_officer, django_capture_on_commit_callbacks) -> Period:
    return open_period(world.province.root, board_officer, capture=django_capture_on_commit_callbacks)


def of(period: Period, subject) -> Assessment:
    if isinstance(subject, Person):
        return Assessment.objects.get(period=period, person=subject)
    return Assessment.objects.get(period=period, organization=subject, person__isnull=True)
