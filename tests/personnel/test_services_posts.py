"""One person for one post; a finalized nomination is never edited, it is withdrawn or corrected by a new act."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from common.reasons import registered_codes
from personnel import services
from personnel.models import Nomination, NominationState, ResponsibilityEntry

from ..factories import TenureFactory, position
from .conftest import PROGRAM, refused, through_steps

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_second_open_nomination_for_the_post_is_refused(committee):
    c = committee
    first = c.draft()
    with refused("nomination_post_open") as info:
        c.draft(nominee=c.members[4], planning_exception_ref="20-QĐ/TU")
    reason = info.value.reasons[0]
    assert reason.params == {"pos": "Phó Bí thư", "t": str(c.org), "p": str(c.nominee)}
    assert (reason.cite_code, reason.cite_ref) == ("142-QĐ/TW", "3")
    services.nomination_introduce(nomination=first, on=D(2026, 3, 2), actor=c.head_user)
    with refused("nomination_post_open"):  # still open once introduced, at a step, or selected
        c.draft(nominee=c.members[4], kind="standard", nominator=None)
    assert Nomination.objects.filter(target=c.org).count() == 1


def test_a_standard_nomination_cites_the_procedure_for_one_per_post(committee):
    c = committee
    c.draft(kind="standard", nominator=None)
    with refused("nomination_post_open") as info:
        c.draft(kind="standard", nominator=None, nominee=c.members[4])
    assert info.value.reasons[0].cite_code == "377-QĐ/TW"


def test_after_withdrawal_or_rejection_a_new_nomination_is_allowed(committee):
    c = committee
    first = c.introduced()
    services.nomination_withdraw(nomination=first, reason="Điều động công tác khác", on=D(2026, 3, 5), actor=c.clerk)
    second = c.introduced(nominee=c.members[4], planning_exception_ref="20-QĐ/TU", on=D(2026, 3, 6))
    through_steps(c, second, [6, 4])
    assert second.state == NominationState.REJECTED
    third = c.draft(nominee=c.members[5], planning_exception_ref="21-QĐ/TU")
    assert third.state == NominationState.DRAFT
    assert ResponsibilityEntry.objects.filter(nomination=first).values_list("kind", flat=True).last() == "withdrawn"


def test_other_posts_and_a_dismissal_of_the_same_post_are_separate(committee):
    c = committee
    c.draft()
    other = c.draft(kind="election", position=position("standing-member"), nominee=c.members[5])
    assert other.state == NominationState.DRAFT


def test_withdrawal_needs_a_reason_an_open_nomination_and_the_right_person(committee):
    c = committee
    n = c.introduced()
    with refused("withdrawal_reason_missing"):
        services.nomination_withdraw(nomination=n, reason="  ", on=D(2026, 3, 5), actor=c.clerk)
    with refused("nomination_date_ahead"):
        services.nomination_withdraw(nomination=n, reason="Lý do", on=D(2026, 12, 1), actor=c.clerk)
    from ..factories import UserFactory

    with refused("not_permitted"):
        services.nomination_withdraw(nomination=n, reason="Lý do", on=D(2026, 3, 5), actor=UserFactory())
    services.nomination_withdraw(nomination=n, reason="Lý do", on=D(2026, 3, 5), actor=c.head_user)
    with refused("nomination_closed"):
        services.nomination_withdraw(nomination=n, reason="Lý do", on=D(2026, 3, 5), actor=c.clerk)
    n.refresh_from_db()
    assert (n.state, n.withdrawal_reason, n.closed_on) == (NominationState.WITHDRAWN, "Lý do", D(2026, 3, 5))


def test_a_withdrawn_draft_leaves_no_ledger_entry(committee):
    c = committee
    draft = c.draft()
    services.nomination_withdraw(nomination=draft, reason="Soạn nhầm", on=D(2026, 3, 1), actor=c.clerk)
    assert not ResponsibilityEntry.objects.filter(nomination=draft).exists()


def test_a_draft_is_edited_an_introduced_nomination_never(committee):
    c = committee
    draft = c.draft()
    changed = services.nomination_change(nomination=draft, rationale="  Trưởng thành từ cơ sở ", actor=c.clerk)
    assert changed.rationale == "Trưởng thành từ cơ sở"
    with pytest.raises(ValueError):
        services.nomination_change(nomination=draft, state="selected", actor=c.clerk)
    with refused("nomination_source_unknown"):
        services.nomination_change(nomination=draft, source="abroad", actor=c.clerk)
    services.nomination_introduce(nomination=draft, on=D(2026, 3, 2), actor=c.head_user)
    with refused("nomination_not_draft"):
        services.nomination_change(nomination=draft, rationale="Sửa sau khi gửi", actor=c.clerk)
    draft.refresh_from_db()
    assert draft.rationale == "Trưởng thành từ cơ sở"


def test_a_correction_withdraws_and_opens_a_draft_pointing_at_it(committee):
    c = committee
    n = c.introduced()
    before = list(ResponsibilityEntry.objects.filter(nomination=n).values_list("pk", "kind"))
    corrected = services.nomination_correct(nomination=n, reason="Ghi sai chương trình hành động",
                                            on=D(2026, 3, 3), actor=c.clerk)
    n.refresh_from_db()
    assert n.state == NominationState.WITHDRAWN and n.withdrawal_reason == "Ghi sai chương trình hành động"
    assert (corrected.state, corrected.corrects_id) == (NominationState.DRAFT, n.pk)
    assert (corrected.nominee_id, corrected.position_id, corrected.nominator_id, corrected.action_program) == (
        n.nominee_id, n.position_id, n.nominator_id, PROGRAM)
    after = list(ResponsibilityEntry.objects.filter(nomination=n).values_list("pk", "kind"))
    assert after[:len(before)] == before and after[-1][1] == "withdrawn"  # the old record is kept as it was
    services.nomination_change(nomination=corrected, action_program={**PROGRAM, "schedule": "Quý II/2027"},
                               actor=c.clerk)
    again = services.nomination_introduce(nomination=corrected, on=D(2026, 3, 4), actor=c.head_user)
    assert again.state == NominationState.INTRODUCED and again.action_program["schedule"] == "Quý II/2027"


def test_a_closed_nomination_is_not_corrected(committee):
    c = committee
    n = c.introduced()
    through_steps(c, n, [6, 4])
    with refused("nomination_closed"):
        services.nomination_correct(nomination=n, reason="Sửa", on=D(2026, 3, 20), actor=c.clerk)
    assert not Nomination.objects.filter(corrects=n).exists()


def test_an_unknown_kind_or_source_is_refused(committee):
    c = committee
    with refused("nomination_kind_unknown"):
        c.draft(kind="by_lot")
    with refused("nomination_source_unknown"):
        c.draft(source="abroad")


def test_a_dismissal_of_a_post_and_an_appointment_to_it_may_both_be_open(committee, province):
    from organizations.models import OrgKind

    from ..factories import PersonFactory, make_org

    c = committee
    agency = make_org(c.org, OrgKind.AGENCY, "Ban Dân vận Khối A")
    holder = PersonFactory()
    tenure = TenureFactory(person=holder, position=position("agency-head"), organization=agency, start=D(2023, 1, 1))
    c.draft(kind="subordinate_dismissal", target=agency, nominee=holder, dismissed_tenure=tenure,
            grounds="Vi phạm", procedure="Đúng quy trình")
    assert c.draft(kind="subordinate_head", target=agency, position=position("agency-head"), nominee=c.members[6],
                   planning_exception_ref="22-QĐ/TU").state == NominationState.DRAFT


# --- every refusal is a registered code --------------------------------------------------------------


def _codes_in(path: Path) -> set[str]:
    codes = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("because", "Reason"):
                codes.add(node.args[0].value)
    return codes


def test_every_refusal_of_the_rules_and_services_is_a_registered_code():
    root = Path(services.__file__).parent
    codes = _codes_in(root / "services.py") | _codes_in(root / "rules.py")
    assert len(codes) > 40
    assert codes - registered_codes() == set()


def test_the_database_refuses_a_second_open_nomination_when_the_check_is_passed_by(committee, monkeypatch):
    """Two clerks at once on a database without row locks: the constraint answers, as a refusal."""
    c = committee
    c.draft()
    monkeypatch.setattr(services, "_refuse_open", lambda *args, **kwargs: None)
    with refused("nomination_post_taken") as info:
        c.draft(nominee=c.members[4], planning_exception_ref="20-QĐ/TU")
    assert info.value.reasons[0].params == {"pos": "Phó Bí thư", "t": str(c.org)}
    assert Nomination.objects.filter(target=c.org).count() == 1


@pytest.mark.parametrize(("code", "params", "text"), [
    ("nomination_position_role", {"pos": "Ủy viên Ban Thường vụ", "role": "deputy", "k": "deputy"}, "cấp phó"),
    ("dismissal_before_tenure", {"d": "2026-02-01"}, "01/02/2026"),
    ("step_meeting_used", {"n": 3, "d": "2026-03-16"}, "16/03/2026"),
])
def test_the_new_reasons_read(code, params, text):
    from common.reasons import Reason

    message = Reason(code, params).message
    assert message != code and text in message


def test_an_outsider_is_refused_before_learning_the_state(committee, outsider):
    c = committee
    n = c.introduced()
    services.nomination_withdraw(nomination=n, reason="Lý do", on=D(2026, 3, 5), actor=c.clerk)
    with refused("not_permitted"):
        services.nomination_withdraw(nomination=n, reason="Lý do", on=D(2026, 3, 5), actor=outsider)
    with refused("introducer_not_self"):  # not "already introduced"
        services.nomination_introduce(nomination=n, on=D(2026, 3, 5), actor=outsider)
    step = n.steps.get()
    with refused("not_permitted"):
        services.step_settle_tie(step=step, selected=True, actor=outsider)
