import datetime as dt

from audit.appendonly import verify_chain
from personnel.models import NominationState, ResponsibilityEntry, StepResult

from .conftest import counts


def test_an_internal_deputy_goes_through_five_steps(committee):
    c = committee
    n = c.introduced()
    assert n.state == NominationState.AT_STEP or n.state == NominationState.INTRODUCED
    from personnel import services
    s2 = services.step_record(nomination=n, meeting=c.meeting(dt.date(2026, 3, 9), c.executive),
                              counts=counts(9, {c.nominee.pk: 7}), actor=c.clerk)
    assert s2.result == StepResult.RECORDED and s2.confidential
    s3 = services.step_record(nomination=n, meeting=c.meeting(dt.date(2026, 3, 16)),
                              counts=counts(9, {c.nominee.pk: 6}), actor=c.clerk)
    assert s3.result == StepResult.SELECTED
    s4 = services.step_record(nomination=n, meeting=c.meeting(dt.date(2026, 3, 20), c.executive),
                              counts=counts(9, {c.nominee.pk: 8}), actor=c.clerk)
    s5 = services.step_record(nomination=n, meeting=c.meeting(dt.date(2026, 3, 23)),
                              counts=counts(9, {c.nominee.pk: 5}), actor=c.clerk)
    assert s5.result == StepResult.PASSED
    n.refresh_from_db()
    assert n.state == NominationState.SELECTED
    kinds = list(ResponsibilityEntry.objects.filter(nomination=n).values_list("kind", flat=True))
    assert kinds == ["introduced", "step", "step", "step", "step", "selected"]
    assert verify_chain(ResponsibilityEntry) is None
    assert s4.threshold == {"cite": {"code": "377-QĐ/TW", "ref": ""}, "half_rule": "head_decides", "quorum_needed": 6}
