"""``report_request`` authorizes its actor itself, under its transaction: whoever requests a report must see the
organization it covers (and, for a summary, its dashboard), and the forms or meeting it prints must lie in that
organization's subtree. Refused: nothing recorded (no report, no job, no audit entry)."""

from __future__ import annotations

import pytest

from assessments.models import Assessment
from audit.models import AuditEntry
from common.reasons import Refused
from jobs.models import Job
from reports import services
from reports.models import Report, ReportKind


def refused_without_writing(code: str, **request) -> None:
    counted = (Report, Job, AuditEntry)
    before = {m: m.objects.count() for m in counted}
    with pytest.raises(Refused) as refused:
        services.report_request(title="Báo cáo", **request)
    assert refused.value.codes == [code]
    assert {m: m.objects.count() for m in counted} == before


def _one_form(period, world) -> Assessment:
    return Assessment.objects.get(period=period, person=world.members[0])


@pytest.mark.parametrize("who", ["outsider", "an"])
def test_a_form_is_printed_only_by_whoever_sees_its_organization(world, period_2026, who, request):
    actor = request.getfixturevalue(who)
    actor = getattr(actor, "user", actor)  # An, a member: sees his own result, does not print
    form = _one_form(period_2026, world)
    refused_without_writing("not_permitted", kind=ReportKind.FORM, organization=form.organization,
                            params={"assessments": [form.pk]}, actor=actor)


def test_a_form_outside_the_organization_named_is_refused(world, period_2026, outsider):
    """B's office may print B's forms, not a form of A passed with B's name on the request."""
    form = _one_form(period_2026, world)
    refused_without_writing("report_outside_scope", kind=ReportKind.FORM, organization=world.province.sub_b,
                            params={"assessments": [form.pk]}, actor=outsider)


@pytest.mark.parametrize("who", ["outsider", "an"])
def test_a_batch_of_forms_is_printed_only_by_whoever_sees_the_subtree(world, period_2026, who, request):
    actor = request.getfixturevalue(who)
    actor = getattr(actor, "user", actor)
    refused_without_writing("not_permitted", kind=ReportKind.FORMS, organization=world.province.sub_a,
                            params={"period": period_2026.pk}, actor=actor)


@pytest.mark.parametrize("who", ["outsider", "staff_a"])
def test_a_summary_is_printed_only_by_whoever_sees_the_dashboard(world, period_2026, who, request):
    """A's office sees A but not its dashboard: the summary prints what the dashboard shows."""
    actor = request.getfixturevalue(who)
    refused_without_writing("not_permitted", kind=ReportKind.SUMMARY, organization=world.province.sub_a,
                            params={"period": period_2026.pk}, actor=actor)


@pytest.mark.parametrize("who", ["outsider", "an"])
def test_minutes_and_registers_are_printed_only_by_whoever_sees_the_organization(province, meeting, who, request):
    actor = request.getfixturevalue(who)
    actor = getattr(actor, "user", actor)
    refused_without_writing("not_permitted", kind=ReportKind.MINUTES, organization=province.grassroots,
                            params={"meeting": meeting.pk}, actor=actor)
    refused_without_writing("not_permitted", kind=ReportKind.REGISTER, organization=province.sub_a,
                            params={"from": "2026-01-01", "to": "2026-12-31"}, actor=actor)


def test_minutes_of_a_meeting_outside_the_organization_named_are_refused(province, meeting, outsider):
    refused_without_writing("report_outside_scope", kind=ReportKind.MINUTES, organization=province.sub_b,
                            params={"meeting": meeting.pk}, actor=outsider)


def test_the_organization_s_office_requests_its_forms(world, period_2026, staff_a, django_capture_on_commit_callbacks):
    form = _one_form(period_2026, world)
    report = services.report_request(kind=ReportKind.FORM, organization=world.province.sub_a,
                                     params={"assessments": [form.pk]}, title="Bản kiểm điểm", actor=staff_a)
    assert AuditEntry.objects.filter(action="reports.request", object_id=str(report.pk)).exists()
