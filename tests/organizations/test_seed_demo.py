"""The demo: deterministic, province-shaped, refuses production and a second load."""

import datetime as dt
import random

import pytest
from django.core.management import CommandError, call_command

from organizations import demo
from organizations.models import AccessRole, Body, Membership, Organization, OrgKind, Person, RoleKind, Tenure

pytestmark = pytest.mark.django_db


def _shape(tree: demo.Node) -> dict[str, int]:
    counts: dict[str, int] = {}
    for node in demo._walk(tree):
        counts[node.kind] = counts.get(node.kind, 0) + 1
    return counts


def test_the_province_scale_has_the_shape_of_a_real_province():
    scale = demo.SCALES["province"]
    tree = demo._build_tree(scale, random.Random(demo.SEED))
    shape = _shape(tree)
    assert shape[OrgKind.PROVINCIAL] == 1
    assert shape[OrgKind.SUBORDINATE] == 15
    assert shape[OrgKind.GRASSROOTS_COMMITTEE] + shape[OrgKind.GRASSROOTS_CELL] == 921
    assert shape[OrgKind.CELL] == 4293
    assert sum(shape.values()) > 5000
    assert scale.members == 110_300


def test_the_tree_and_names_are_the_same_every_time():
    def sample():
        rng = random.Random(demo.SEED)
        tree = demo._build_tree(demo.SCALES["province"], rng)
        return [n.name for n in demo._walk(tree)][:300], [demo._person(i, rng).full_name for i in range(50)]

    assert sample() == sample()


def test_small_demo_loads_a_consistent_province(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--scale", "small", stdout=open("/dev/null", "w"))
    assert Organization.objects.filter(kind=OrgKind.PROVINCIAL).count() == 1
    assert Organization.objects.filter(kind=OrgKind.SUBORDINATE).count() == 2
    assert Organization.objects.filter(kind=OrgKind.CELL).count() == 12
    assert Person.objects.count() == 300
    assert Person.objects.filter(full_name="Nguyễn Văn An", search_name="nguyen van an").exists()
    # every member is registered in exactly one cell today, and only in cells
    current = Membership.objects.active_on()
    assert current.count() == 300 and current.values("person").distinct().count() == 300
    assert not current.exclude(organization__kind__in=[OrgKind.CELL, OrgKind.GRASSROOTS_CELL]).exists()
    # every organization has a body and a head today
    for org in Organization.objects.all():
        assert Body.objects.filter(organization=org).exists(), org
        assert org.head_on() is not None, org
    # the unified model: every agency head is the secretary of the party organization above it
    for agency in Organization.objects.filter(kind=OrgKind.AGENCY):
        assert agency.head_on() == Organization.objects.get(path=agency.ancestor_paths()[-2]).head_on()
    # numchild matches the real children (paths were computed by the seed, not treebeard)
    for org in Organization.objects.all():
        assert org.numchild == Organization.objects.filter(path__startswith=org.path,
                                                           depth=org.depth + 1).count()
    assert Tenure.objects.filter(end__isnull=False).exists()  # a previous secretary
    users = {r.group.user_set.get().username: r.kind for r in AccessRole.objects.all()}
    assert users == {"bantochuc": RoleKind.PROVINCE_BOARD, "vanphong": RoleKind.COMMITTEE_STAFF,
                     "bithu": RoleKind.HEAD, "kiemtra": RoleKind.INSPECTION, "dangvien": RoleKind.MEMBER}


def test_a_second_load_is_refused_and_if_empty_leaves_the_data_alone(settings):
    settings.DEBUG = True
    devnull = open("/dev/null", "w")
    call_command("seed_demo", "--scale", "small", stdout=devnull)
    with pytest.raises(CommandError, match="empty database"):
        call_command("seed_demo", "--scale", "small", stdout=devnull)
    call_command("seed_demo", "--scale", "small", "--if-empty", stdout=devnull)
    assert Person.objects.count() == 300


def test_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo", "--scale", "small")
    assert not Organization.objects.exists()


def test_every_committee_and_agency_has_a_working_regulation_in_force(settings):
    from governance.services import regulation_in_force

    settings.DEBUG = True
    call_command("seed_demo", "--scale", "small", stdout=open("/dev/null", "w"))
    for org in Organization.objects.exclude(kind__in=[OrgKind.CELL, OrgKind.GRASSROOTS_CELL]):
        regulation = regulation_in_force(org, dt.date(2026, 1, 1))
        assert regulation is not None and regulation.matters.count() >= 4, org


def test_the_small_demo_has_months_of_office_work_to_look_at(settings):
    from governance.models import Decision, DecisionStatus, Meeting, MeetingStatus
    from organizations.models import Kinship, Relation, today
    from tests.conftest import TODAY

    settings.DEBUG = True
    call_command("seed_demo", "--scale", "small", stdout=open("/dev/null", "w"))
    assert today() == TODAY
    meetings = Meeting.objects.all()
    assert meetings.filter(status=MeetingStatus.APPROVED).exists() and meetings.filter(
        status=MeetingStatus.OPEN, date__lte=TODAY).exists() and meetings.filter(date__gt=TODAY).exists()
    assert meetings.filter(date__lt=TODAY - dt.timedelta(days=120)).exists()  # months, not days
    statuses = set(Decision.objects.values_list("status", flat=True))
    assert statuses == {DecisionStatus.VALID, DecisionStatus.NOT_PASSED, DecisionStatus.IRREGULAR}
    unreported = Decision.objects.filter(report_due__isnull=False, reported_on__isnull=True)
    assert unreported.filter(report_due__lt=TODAY).exists() and unreported.filter(report_due__gte=TODAY).exists()
    assert Decision.objects.filter(reported_on__isnull=False).exists()

    for tenure in Tenure.objects.filter(position__code__in=["secretary", "deputy-secretary"]):
        born = tenure.person.birth_date
        assert 30 <= (tenure.start - born).days // 365 <= 59, tenure  # of working age for the post
    for kinship in Kinship.objects.select_related("person", "relative"):
        same_family = kinship.person.full_name.split()[0] == kinship.relative.full_name.split()[0]
        assert same_family == (kinship.relation in (Relation.PARENT, Relation.CHILD, Relation.SIBLING)), kinship


def test_departments_sit_under_their_own_party_committee():
    tree = demo._build_tree(demo.SCALES["small"], random.Random(demo.SEED))
    government = tree.children[1]
    agencies = [(committee, child) for committee in government.children for child in committee.children
                if child.kind == OrgKind.AGENCY]
    assert agencies
    for committee, agency in agencies:
        assert committee.name == f"Đảng bộ {agency.name}" and agency.name.startswith("Sở ")
        assert all(not c.name.startswith("Chi bộ thôn") for c in committee.children)
