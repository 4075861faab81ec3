"""Named actors and a small province, the way the tests talk about them."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine

from common.actors import SYSTEM
from organizations.models import Organization, OrgKind, RoleKind
from organizations.services import role_grant

from .factories import MembershipFactory, PersonFactory, UserFactory, make_org


def need(service: str, available: bool, why: str) -> None:
    """Skip a test whose service is missing, unless PORTAL_REQUIRE names it (CI): then fail."""
    if available:
        return
    if service in os.environ.get("PORTAL_REQUIRE", "").split():
        pytest.fail(f"{service} is required here but unavailable: {why}")
    pytest.skip(why)


# Every test runs on a known day, so no result depends on when the suite is run; a test that needs
# another day travels there itself (``clock.move_to(...)`` or a nested ``time_machine.travel``).
# The browser and the Celery worker are other processes on the real clock, so their tests stay on it.
TODAY = dt.date(2026, 11, 24)
NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def clock(request):
    if request.node.get_closest_marker("e2e") or request.node.get_closest_marker("celery_worker"):
        yield None
        return
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def transactional_db(transactional_db):
    """pytest-django's, plus: the flush that ends the test empties the append-only tables (DELETE on SQLite,
    TRUNCATE on PostgreSQL), which their triggers refuse.

    Those triggers are dropped just before the flush; the flush's post_migrate
    signal puts them back (``audit.appendonly.install``).
    """
    from audit import appendonly

    yield
    appendonly.uninstall_for_flush()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing is not under test here; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Province:
    root: Organization
    sub_a: Organization  # Đảng bộ trực thuộc A
    grassroots: Organization  # Đảng bộ cơ sở under A
    cell_1: Organization
    cell_2: Organization
    sub_b: Organization
    cell_b: Organization  # Chi bộ cơ sở under B


@pytest.fixture
def province(db) -> Province:
    root = make_org(None, OrgKind.PROVINCIAL, "Đảng bộ tỉnh Thử Nghiệm")
    sub_a = make_org(root, OrgKind.SUBORDINATE, "Đảng bộ Khối A")
    grassroots = make_org(sub_a, OrgKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã Hòa Bình")
    cell_1 = make_org(grassroots, OrgKind.CELL, "Chi bộ thôn 1")
    cell_2 = make_org(grassroots, OrgKind.CELL, "Chi bộ thôn 2")
    sub_b = make_org(root, OrgKind.SUBORDINATE, "Đảng bộ Khối B")
    cell_b = make_org(sub_b, OrgKind.GRASSROOTS_CELL, "Chi bộ cơ sở Trường B")
    return Province(*(Organization.objects.get(pk=o.pk) for o in
                      (root, sub_a, grassroots, cell_1, cell_2, sub_b, cell_b)))


def _actor(username: str, kind: str | None, org: Organization | None):
    user = UserFactory(username=username, first_name=username)
    if kind:
        role_grant(user=user, kind=kind, organization=org, actor=SYSTEM)
    return user


@pytest.fixture
def board_officer(province):
    """Cán bộ Ban Tổ chức Tỉnh ủy: sees the whole province."""
    return _actor("board_officer", RoleKind.PROVINCE_BOARD, province.root)


@pytest.fixture
def staff_a(province):
    """Committee staff of subordinate committee A: manages members below A."""
    return _actor("staff_a", RoleKind.COMMITTEE_STAFF, province.sub_a)


@pytest.fixture
def inspector_a(province):
    return _actor("inspector_a", RoleKind.INSPECTION, province.sub_a)


@pytest.fixture
def outsider(province):
    """Staff of committee B: must not see anything of A."""
    return _actor("outsider", RoleKind.COMMITTEE_STAFF, province.sub_b)


@pytest.fixture
def an(province):
    """Nguyễn Văn An, a member of cell 1 with a login of his own."""
    person = PersonFactory(full_name="Nguyễn Văn An", card_number="0100000001")
    MembershipFactory(person=person, organization=province.cell_1)
    person.user = _actor("an", RoleKind.MEMBER, province.cell_1)
    person.save()
    return person
