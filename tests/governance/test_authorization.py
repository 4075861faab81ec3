"""Every service of the working regulations authorizes its actor under its own transaction.

For each act, committee staff of another subtree (``outsider``) and the provincial board, which reads the
whole province but records nothing (``board_officer``), are refused with ``not_permitted`` and nothing is
written: no row, no audit entry, no field changed. The same act by committee staff of the subtree
(``staff_a``) goes through, so the refusal is the actor's and not the set-up's.
"""

import datetime as dt

import pytest

from audit.models import AuditEntry
from common.actors import SYSTEM
from common.reasons import Refused
from governance import services as svc
from governance.models import AgendaItem, Assignment, Attendance, Decision, Field, Matter, Meeting, WorkingRegulation
from organizations.models import RoleKind
from organizations.services import role_grant
from regulations.models import Citation
from tests.factories import UserFactory

from .test_services import _meeting, committee  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world(committee):  # noqa: F811
    """The committee of ``test_services`` with a draft (a copy of the version in force), a meeting of 2025
    and an individual decision waiting to be reported back."""
    draft = svc.regulation_draft(organization=committee["org"], title="Dự thảo khóa 2025", actor=SYSTEM)
    meeting = _meeting(committee)
    individual = svc.decision_record_individual(
        organization=committee["org"], matter=committee["matters"]["TC-01"], date=D(2025, 3, 1),
        title="Chi hội nghị", signatory=committee["members"][0], actor=SYSTEM)
    return {**committee, "draft": draft, "draft_matter": draft.matters.order_by("position").first(),
            "meeting": meeting, "individual": individual}


ACTS = {
    "regulation_draft": lambda w, actor: svc.regulation_draft(
        organization=w["org"], title="Bản mới", actor=actor),
    "regulation_from_template": lambda w, actor: svc.regulation_from_template(
        organization=w["org"], template="grassroots", title="Theo mẫu", actor=actor),
    "matter_add": lambda w, actor: svc.matter_add(
        regulation=w["draft"], actor=actor, code="PC-01", title="Phân công", field=Field.OTHER,
        mode="collective", body_kind="standing"),
    "matter_change": lambda w, actor: svc.matter_change(matter=w["draft_matter"], title="Tên mới", actor=actor),
    "matter_remove": lambda w, actor: svc.matter_remove(matter=w["draft_matter"], actor=actor),
    "matter_move": lambda w, actor: svc.matter_move(matter=w["draft_matter"], up=False, actor=actor),
    "regulation_adopt": lambda w, actor: svc.regulation_adopt(
        regulation=w["draft"], start=D(2026, 1, 1), actor=actor),
    "meeting_open": lambda w, actor: svc.meeting_open(
        body=w["executive"], date=D(2025, 6, 2), title="Hội nghị tháng 6", actor=actor),
    "attendance_save": lambda w, actor: svc.attendance_save(
        meeting=w["meeting"], rows=[svc.AttendanceRow(w["members"][4].pk, False, "Ốm")], actor=actor),
    "minutes_approve": lambda w, actor: svc.minutes_approve(meeting=w["meeting"], actor=actor),
    "decision_record_collective": lambda w, actor: svc.decision_record_collective(
        meeting=w["meeting"], matter=w["matters"]["NS-01"], title="Giới thiệu", votes_for=9, actor=actor),
    "decision_record_individual": lambda w, actor: svc.decision_record_individual(
        organization=w["org"], matter=w["matters"]["TC-01"], date=D(2025, 4, 1), title="Chi",
        signatory=w["members"][0], actor=actor),
    "decision_report_back": lambda w, actor: svc.decision_report_back(
        decision=w["individual"], meeting=w["meeting"], actor=actor),
    "assignment_add": lambda w, actor: svc.assignment_add(
        organization=w["org"], person=w["members"][2], field=Field.FINANCE, description="Tài chính",
        start=D(2025, 1, 1), actor=actor),
}


def _state() -> tuple:
    """Every row the services write, and the fields they change."""
    return (
        list(WorkingRegulation.objects.order_by("pk").values_list("pk", "start", "end", "adoption_ref")),
        list(Matter.objects.order_by("pk").values_list("pk", "position", "title")),
        list(Meeting.objects.order_by("pk").values_list("pk", "status")),
        list(Attendance.objects.order_by("pk").values_list("pk", "present", "absence_reason")),
        AgendaItem.objects.count(),
        list(Decision.objects.order_by("pk").values_list("pk", "status", "reported_on")),
        Assignment.objects.count(),
        Citation.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("act", sorted(ACTS))
def test_every_act_is_refused_to_another_subtree_and_to_a_reader(act, world, outsider, board_officer, staff_a):
    for actor in (outsider, board_officer, None):
        before = _state()
        with pytest.raises(Refused) as refused:
            ACTS[act](world, actor)
        assert refused.value.codes == ["not_permitted"], (act, actor)
        assert _state() == before, (act, actor)
    before = _state()
    ACTS[act](world, staff_a)  # the clerk of the subtree may
    assert _state() != before


def test_the_refusal_names_the_organization(world, outsider):
    with pytest.raises(Refused) as refused:
        ACTS["meeting_open"](world, outsider)
    assert refused.value.messages == [f"Bạn không có quyền thực hiện thao tác này tại {world['org'].name}."]


@pytest.fixture
def head(world):
    """The secretary of the committee, with the head's role and a login of his own."""
    secretary = world["members"][0]
    secretary.user = UserFactory(username="bithu")
    secretary.save()
    role_grant(user=secretary.user, kind=RoleKind.HEAD, organization=world["org"], actor=SYSTEM)
    return secretary


def test_a_head_records_the_decisions_they_sign_and_no_one_elses(world, head):
    decision = svc.decision_record_individual(organization=world["org"], matter=world["matters"]["TC-01"],
                                              date=D(2025, 4, 1), title="Chi", signatory=head, actor=head.user)
    assert decision.signatory == head and decision.recorded_by == head.user
    before = _state()
    with pytest.raises(Refused) as refused:
        svc.decision_record_individual(organization=world["org"], matter=world["matters"]["TC-01"],
                                       date=D(2025, 4, 2), title="Chi", signatory=world["members"][1],
                                       delegation_ref="05-UQ/ĐU", actor=head.user)
    assert refused.value.codes == ["decision_signatory_not_self"]
    with pytest.raises(Refused) as refused:  # signing is not clerking: the meetings stay with the staff
        ACTS["meeting_open"](world, head.user)
    assert refused.value.codes == ["not_permitted"]
    assert _state() == before
