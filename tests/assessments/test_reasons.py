"""Refusals and notes of the review are kept as codes: what a Vietnamese clerk's act stored reads in English for an
English reader (a job's failure, an audit entry's note, the event log)."""

from __future__ import annotations

import pytest
from django.utils import translation

from assessments import services as svc
from assessments.choices import Level
from assessments.models import AssessmentEvent, PeriodStatus
from audit.models import AuditEntry
from common.reasons import Refused
from jobs import services as jobs
from jobs.models import Job, JobStatus

from .conftest import of

COLLECTIVE = {"building": 8, "organization": 8, "inspection": 8, "tasks": 62}


def test_every_refusal_of_the_services_is_the_one_refusal():
    assert svc.Refused is Refused


def test_a_refusal_kept_on_the_opening_job_reads_in_the_readers_language(world, board_officer):
    period = svc.period_create(organization=world.province.root, year=2026, actor=board_officer)
    assert period.status == PeriodStatus.DRAFT  # its job was never queued: the job is refused
    job = Job.objects.create(kind="assessments.period_open", label="x", params={"period": period.pk})
    with translation.override("vi"):
        jobs.job_execute(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.failure["params"]["reasons"][0]["code"] == "period_not_opening"
    with translation.override("en"):
        assert job.error == "The review period is not waiting for its list to be drawn up."
    with translation.override("vi"):
        assert job.error == "Kỳ đánh giá không ở trạng thái chờ lập danh sách."


def test_an_audit_note_and_an_event_written_in_vietnamese_read_in_english(world, period_2026):
    cell = of(period_2026, world.province.cell_1)
    with translation.override("vi"):
        svc.assessments_review(period=period_2026, actor=world.cell_staff,
                               rows=[svc.Row(cell.pk, grades=COLLECTIVE, level=Level.GOOD)])
    entry = AuditEntry.objects.get(action="assessments.review")
    assert entry.note == {"code": "assessments_reviewed", "params": {"n": 1}}
    event = AssessmentEvent.objects.get(assessment=cell, transition="submit_self")
    assert event.data["reason"]["code"] == "assessment_entered_at_meeting"
    with translation.override("en"):
        assert entry.text.endswith("Reviewed 1 subjects")
        assert event.text == "Entered on their behalf at the meeting"
    with translation.override("vi"):
        assert entry.text.endswith("Kiểm điểm 1 đối tượng")
        assert event.text == "Nhập thay tại hội nghị"


def test_a_refused_period_setting_reads_in_the_readers_language(world, board_officer):
    with translation.override("vi"), pytest.raises(Refused) as refused:
        svc.period_create(organization=world.province.root, year=2026, actor=board_officer, quota_share=35)
    assert refused.value.codes == ["period_quota_share"]
    with translation.override("en"):
        assert "of the Good ones" in str(refused.value)
        assert "of the Good ones" in refused.value.messages[0]


def test_the_audit_of_a_period_names_it_in_no_language(world, board_officer):
    with translation.override("vi"):
        period = svc.period_create(organization=world.province.root, year=2026, quarter=2, actor=board_officer)
    entry = AuditEntry.objects.get(action="assessments.period_create", object_id=str(period.pk))
    assert entry.summary == f"{world.province.root.name} 2026-Q2"
    assert "Năm" not in entry.summary and "Quý" not in entry.summary
