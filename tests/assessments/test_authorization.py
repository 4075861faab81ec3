"""Every service of the review that changes state authorizes its actor itself, under its transaction: an actor
of another subtree and a reader without the permission are refused, and nothing is written (rows and audit
entries counted before and after). The pages' checks only choose what to show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from assessments import services as svc
from assessments.choices import Level, SubjectKind
from assessments.models import Assessment, AssessmentEvent, PeerGroup, Period, Rollup, Target, TargetResult
from audit.models import AuditEntry
from common.actors import SYSTEM
from common.reasons import Refused
from jobs.models import Job
from organizations.models import RoleKind
from organizations.services import role_grant
from tests.factories import MembershipFactory, PersonFactory, TenureFactory, UserFactory, position

from .conftest import of, open_period

COLLECTIVE = {"building": 8, "organization": 8, "inspection": 8, "tasks": 62}


def _user(name: str, kind: str, org):
    user = UserFactory(username=name, first_name=name)
    role_grant(user=user, kind=kind, organization=org, actor=SYSTEM)
    return user


@pytest.fixture
def board_b(province):
    """The organization board's officer of committee B: manages periods, but only in B's subtree."""
    return _user("board_b", RoleKind.PROVINCE_BOARD, province.sub_b)


def _codes(exc: Refused) -> set[str]:
    return set(exc.codes) | {r.code for rows in exc.rows.values() for r in rows}


def refused_without_writing(act: Callable[[], object], *models, code: str = "not_permitted") -> None:
    """``act`` is refused with ``code`` and writes nothing: no row of ``models``, no audit entry, no event."""
    counted = (*models, AuditEntry, AssessmentEvent, Job)
    before = {m: m.objects.count() for m in counted}
    with pytest.raises(Refused) as refused:
        act()
    assert code in _codes(refused.value), _codes(refused.value)
    assert {m: m.objects.count() for m in counted} == before


# --- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["board_b", "inspector_a"])
def test_a_period_is_created_only_by_a_manager_of_its_organization(world, who, request):
    actor = request.getfixturevalue(who)
    refused_without_writing(lambda: svc.period_create(organization=world.province.sub_a, year=2026, actor=actor),
                            Period)


@pytest.mark.parametrize("who", ["board_b", "inspector_a"])
def test_a_period_is_changed_and_opened_only_by_its_managers(world, board_officer, who, request):
    actor = request.getfixturevalue(who)
    period = svc.period_create(organization=world.province.root, year=2026, actor=board_officer)
    refused_without_writing(lambda: svc.period_update(period=period, actor=actor, self_by=dt.date(2026, 12, 2)),
                            Period)
    refused_without_writing(lambda: svc.period_open(period=period, actor=actor), Period)
    period.refresh_from_db()
    assert (period.status, period.self_by, period.job) == ("draft", dt.date(2026, 12, 10), None)


@pytest.mark.parametrize("who", ["board_b", "inspector_a"])
def test_rollups_are_rebuilt_only_by_the_period_s_managers(world, period_2026, who, request):
    actor = request.getfixturevalue(who)
    counts = sorted(Rollup.objects.filter(period=period_2026).values_list("organization_id", "kind", "count"))
    refused_without_writing(lambda: svc.rollups_rebuild(period=period_2026, actor=actor), Rollup)
    assert sorted(Rollup.objects.filter(period=period_2026).values_list("organization_id", "kind", "count")) == counts


# --- peer groups -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "inspector_a"])
def test_peer_groups_are_merged_and_split_only_by_their_deciding_level(world, period_2026, who, request):
    actor = request.getfixturevalue(who)
    period, p = period_2026, world.province
    members = PeerGroup.objects.get(period=period, organization=p.grassroots, kind=SubjectKind.MEMBER)
    collectives = PeerGroup.objects.get(period=period, organization=p.grassroots, kind=SubjectKind.COLLECTIVE)
    refused_without_writing(lambda: svc.peer_groups_merge(period=period, source=collectives, target=members,
                                                          actor=actor), PeerGroup)
    refused_without_writing(lambda: svc.peer_group_split(period=period, group=members, name="Thôn 2",
                                                         organizations=[p.cell_2], actor=actor), PeerGroup)
    assert Assessment.objects.filter(peer_group=members).count() == members.size
    # Their deciding level may.
    new = svc.peer_group_split(period=period, group=members, name="Thôn 2", organizations=[p.cell_2],
                               actor=world.grassroots_staff)
    assert new.size == len(world.cell_2_members)


# --- targets ---------------------------------------------------------------------------------


@pytest.fixture
def head_of_a(world):
    """The secretary of committee A, a member of cell 1: the province decides (and assigns) his tasks."""
    head = PersonFactory(full_name="Đỗ Văn Khối Trưởng")
    MembershipFactory(person=head, organization=world.province.cell_1)
    TenureFactory(person=head, position=position("secretary"), organization=world.province.sub_a)
    return head


@pytest.fixture
def period_with_head(world, head_of_a, board_officer, django_capture_on_commit_callbacks):
    return open_period(world.province.root, board_officer, capture=django_capture_on_commit_callbacks)


def test_the_grassroots_office_cannot_assign_targets_to_a_head_the_province_decides(world, head_of_a,
                                                                                   period_with_head):
    period = period_with_head
    head = of(period, head_of_a)
    assert (head.kind, head.decider) == (SubjectKind.LEADER, world.province.root)
    secretary = of(period, world.secretary)  # decided by the grassroots committee, like the cell's members
    refused_without_writing(lambda: svc.targets_assign(period=period, assessments=[secretary, head],
                                                       titles=["Kết nạp 2 đảng viên"], due=None,
                                                       actor=world.grassroots_staff),
                            Target, code="targets_not_assigner")
    assert not Target.objects.exists()
    # The province's office assigns them.
    province_staff = _user("province_staff", RoleKind.COMMITTEE_STAFF, world.province.root)
    assert svc.targets_assign(period=period, assessments=[head], titles=["Kết nạp 2 đảng viên"], due=None,
                              actor=province_staff) == 1


def test_the_targets_page_assigns_each_subject_by_its_own_deciding_level(client, world, head_of_a, period_with_head):
    period, cell = period_with_head, world.province.cell_1
    client.force_login(world.grassroots_staff)
    url = f"/assessments/periods/{period.pk}/org/{cell.pk}/targets/"
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="targets-others"' in page.content.decode()
    response = client.post(url, {"kind": SubjectKind.LEADER, "titles": "Kết nạp 2 đảng viên", "due": ""})
    assert response.status_code == 302
    assert of(period, world.secretary).targets.count() == 1
    assert not of(period, head_of_a).targets.exists()  # not guessed from the page's first subject


def test_the_decision_grid_opens_for_whoever_decides_any_of_its_subjects(client, world, head_of_a,
                                                                        period_with_head):
    """The province's office decides the head of A among cell 1's subjects; the cell's own office decides none
    of them (each is decided by the level above)."""
    period, cell = period_with_head, world.province.cell_1
    province_staff = _user("province_staff", RoleKind.COMMITTEE_STAFF, world.province.root)
    client.force_login(province_staff)
    assert client.get(f"/assessments/periods/{period.pk}/org/{cell.pk}/decide/").status_code == 200
    client.force_login(world.cell_staff)
    assert client.get(f"/assessments/periods/{period.pk}/org/{cell.pk}/decide/").status_code == 403


@pytest.mark.parametrize("who", ["outsider", "inspector_a", "board_officer"])
def test_targets_are_assigned_and_their_results_recorded_only_by_the_deciding_level(world, period_2026, who,
                                                                                    request):
    actor = request.getfixturevalue(who)
    period = period_2026
    member = of(period, world.members[0])
    refused_without_writing(lambda: svc.targets_assign(period=period, assessments=[member], titles=["Chỉ tiêu"],
                                                       due=None, actor=actor), Target, code="targets_not_assigner")
    svc.targets_assign(period=period, assessments=[member], titles=["Chỉ tiêu"], due=None,
                       actor=world.grassroots_staff)
    target = Target.objects.get()
    refused_without_writing(lambda: svc.target_result_record(target=target, result=TargetResult.EXCEEDED, note="",
                                                             actor=actor), Target)
    target.refresh_from_db()
    assert target.result == TargetResult.PENDING


@pytest.mark.parametrize("who", ["board_b", "inspector_a"])
def test_last_year_s_targets_are_copied_only_by_the_period_s_managers(world, board_officer, who, request,
                                                                      django_capture_on_commit_callbacks):
    actor = request.getfixturevalue(who)
    root = world.province.root
    last = open_period(root, board_officer, year=2025, capture=django_capture_on_commit_callbacks)
    svc.targets_assign(period=last, assessments=[of(last, world.members[0])], titles=["Chỉ tiêu A"], due=None,
                       actor=world.grassroots_staff)
    this = open_period(root, board_officer, year=2026, capture=django_capture_on_commit_callbacks)
    refused_without_writing(lambda: svc.targets_copy(period=this, source=last, actor=actor), Target)


# --- the steps (fsm transitions) and the results import ---------------------------------------


@pytest.mark.parametrize("who", ["outsider", "inspector_a"])
def test_the_review_grid_and_the_results_import_refuse_an_actor_who_may_not_enter(world, period_2026, who,
                                                                                  request):
    """The import's confirmation saves through ``assessments_review``, as the grid does."""
    actor = request.getfixturevalue(who)
    cell = of(period_2026, world.province.cell_1)
    refused_without_writing(lambda: svc.assessments_review(period=period_2026, actor=actor, rows=[
        svc.Row(cell.pk, grades=COLLECTIVE, level=Level.GOOD)]), Assessment, code="not_allowed")
    assert of(period_2026, world.province.cell_1).state == "pending"


@pytest.mark.parametrize("who", ["outsider", "inspector_a"])
def test_a_decision_is_refused_to_whoever_does_not_decide(world, period_2026, who, request):
    actor = request.getfixturevalue(who)
    cell = of(period_2026, world.province.cell_1)
    svc.assessments_review(period=period_2026, actor=world.cell_staff,
                           rows=[svc.Row(cell.pk, grades=COLLECTIVE, level=Level.GOOD)])
    refused_without_writing(lambda: svc.assessments_decide(period=period_2026, actor=actor, decisions=[
        svc.Decision(cell.pk, Level.GOOD)]), Assessment, code="not_allowed")
    assert of(period_2026, world.province.cell_1).level == ""
