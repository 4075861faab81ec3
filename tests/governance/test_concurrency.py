"""Lock, then check: two connections race for the same meeting or draft version (PostgreSQL only).

Thread 1 runs one service inside a transaction and keeps it open, holding the
row lock the service took. Thread 2 (its own connection) calls a second
service on the same row; the main thread waits until PostgreSQL shows thread
2 waiting on a lock, then lets thread 1 commit. The second service must then
read the committed state and be refused, writing nothing, or, when the first
act leaves the row open to it, succeed on top of the first.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from audit.models import AuditEntry
from common.actors import SYSTEM
from governance import services as svc
from governance.models import Decision, Field, Meeting, MeetingStatus, Mode
from organizations.models import BodyKind
from tests.governance.test_views_working import _committee
from tests.races import race as _race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL and two connections"),
]
D = dt.date
APPROVED = "Biên bản hội nghị đã được thông qua"
ADOPTED = "Quy chế đã ban hành không sửa được"


@pytest.fixture(autouse=True)
def _postgresql_only(transactional_db):
    """Skip on SQLite; put back the posts of the data migration, which a transactional flush removes."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) need PostgreSQL and two connections")
    import importlib

    from django.apps import apps

    from organizations.models import Position

    if not Position.objects.exists():
        importlib.import_module("organizations.migrations.0002_database_rules_and_positions").add_positions(apps, None)


def _refused(outcome: dict, text: str) -> None:
    assert outcome["second_blocked"], "the second service did not wait for the first one's row lock"
    assert isinstance(outcome["second"], ValidationError), outcome["second"]
    assert any(text in m for m in outcome["second"].messages), outcome["second"].messages


@pytest.fixture
def committee(province):
    executive, people, collective, individual = _committee(province.grassroots)
    meeting = svc.meeting_open(body=executive, date=D(2026, 3, 2), title="HN tháng 3", actor=SYSTEM)
    return meeting, people, collective


def _audits(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def test_attendance_change_waits_for_approval_and_is_refused(transactional_db, committee):
    meeting, people, _collective = committee
    outcome = _race(lambda: svc.minutes_approve(meeting=meeting, actor=SYSTEM),
                    lambda: svc.attendance_set(meeting=meeting, person=people[1], present=False,
                                               reason="Ốm", actor=SYSTEM))
    _refused(outcome, APPROVED)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED
    attendance = meeting.attendance.get(person=people[1])
    assert attendance.present and attendance.absence_reason == ""  # nothing half-written
    assert _audits("minutes.approve") == 1 and _audits("attendance.save") == 0


def test_approval_waits_for_attendance_and_keeps_it(transactional_db, committee):
    meeting, people, _collective = committee
    outcome = _race(lambda: svc.attendance_set(meeting=meeting, person=people[1], present=False,
                                               reason="Ốm", actor=SYSTEM),
                    lambda: svc.minutes_approve(meeting=meeting, actor=SYSTEM))
    assert outcome["second_blocked"]
    assert isinstance(outcome["second"], Meeting), outcome["second"]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED
    attendance = meeting.attendance.get(person=people[1])
    assert not attendance.present and attendance.absence_reason == "Ốm"
    assert _audits("attendance.save") == 1 and _audits("minutes.approve") == 1


def test_a_matter_added_while_the_version_is_adopted_is_refused(transactional_db, province):
    _committee(province.grassroots)
    draft = svc.regulation_draft(organization=province.grassroots, title="Bản mới", actor=SYSTEM)
    before = sorted(draft.matters.values_list("code", flat=True))
    added = _audits("matter.add")
    outcome = _race(lambda: svc.regulation_adopt(regulation=draft, start=D(2026, 1, 1), actor=SYSTEM),
                    lambda: svc.matter_add(regulation=draft, actor=SYSTEM, code="PC-01", title="Phân công",
                                           field=Field.ORGANIZATION, mode=Mode.COLLECTIVE,
                                           body_kind=BodyKind.EXECUTIVE))
    _refused(outcome, ADOPTED)
    draft.refresh_from_db()
    assert draft.start == D(2026, 1, 1)
    assert sorted(draft.matters.values_list("code", flat=True)) == before == ["CT-01", "TC-01"]
    assert _audits("matter.add") == added and _audits("regulation.adopt") == 2  # the first version's and this one


def test_adoption_waits_for_a_matter_being_added_and_includes_it(transactional_db, province):
    _committee(province.grassroots)
    draft = svc.regulation_draft(organization=province.grassroots, title="Bản mới", actor=SYSTEM)
    outcome = _race(lambda: svc.matter_add(regulation=draft, actor=SYSTEM, code="PC-01", title="Phân công",
                                           field=Field.ORGANIZATION, mode=Mode.COLLECTIVE,
                                           body_kind=BodyKind.EXECUTIVE),
                    lambda: svc.regulation_adopt(regulation=draft, start=D(2026, 1, 1), actor=SYSTEM))
    assert outcome["second_blocked"]
    assert not isinstance(outcome["second"], Exception), outcome["second"]
    draft.refresh_from_db()
    assert draft.start == D(2026, 1, 1)
    assert sorted(draft.matters.values_list("code", flat=True)) == ["CT-01", "PC-01", "TC-01"]


def test_a_decision_recorded_while_the_minutes_are_approved_is_refused(transactional_db, committee):
    meeting, _people, collective = committee
    outcome = _race(lambda: svc.minutes_approve(meeting=meeting, actor=SYSTEM),
                    lambda: svc.decision_record_collective(meeting=meeting, matter=collective, title="Nghị quyết",
                                                           votes_for=5, actor=SYSTEM))
    _refused(outcome, APPROVED)
    assert not Decision.objects.exists()
    assert _audits("decision.record") == 0 and _audits("minutes.approve") == 1


def _catalog() -> None:
    """Put back the documents of the catalog migration, which a transactional flush removes."""
    import importlib

    from django.apps import apps

    from regulations.models import Document

    if not Document.objects.filter(code="ĐLĐ-2011").exists():
        with connection.schema_editor() as editor:
            importlib.import_module("regulations.migrations.0003_catalog").load(apps, editor)


@pytest.fixture
def cited_regulation(province):
    from governance.models import WorkingRegulation

    _catalog()
    regulation = WorkingRegulation.objects.create(organization=province.grassroots, version=1, title="Quy chế")
    svc.matter_add(regulation=regulation, actor=SYSTEM, code="NS-01", title="Giới thiệu nhân sự",
                   field=Field.PERSONNEL, mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE, ballot="secret",
                   provisions=[{"code": "ĐLĐ-2011", "ref": "9.5"}])
    return regulation


def _scopes() -> set[str]:
    from regulations.models import Citation

    return set(Citation.objects.values_list("scope", flat=True))


def test_a_draft_copied_while_its_organization_moves_cites_under_the_new_path(province, cited_regulation):
    from organizations.models import Organization
    from organizations.services import organization_move

    stale = Organization.objects.get(pk=province.grassroots.pk)  # as a page read it before the move
    outcome = _race(
        lambda: organization_move(organization=province.grassroots, parent=province.sub_b, actor=SYSTEM),
        lambda: svc.regulation_draft(organization=stale, title="Quy chế sửa đổi", actor=SYSTEM))
    assert outcome["second_blocked"] and not isinstance(outcome["second"], Exception), outcome["second"]
    assert _scopes() == {Organization.objects.get(pk=province.grassroots.pk).path}


def test_a_matter_cited_while_its_organization_moves_cites_under_the_new_path(province, cited_regulation):
    from organizations.models import Organization
    from organizations.services import organization_move

    outcome = _race(
        lambda: organization_move(organization=province.grassroots, parent=province.sub_b, actor=SYSTEM),
        lambda: svc.matter_add(regulation=cited_regulation, actor=SYSTEM, code="NS-02", title="Bổ nhiệm",
                               field=Field.PERSONNEL, mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE,
                               ballot="secret", provisions=[{"code": "ĐLĐ-2011", "ref": "9.5"}]))
    assert outcome["second_blocked"] and not isinstance(outcome["second"], Exception), outcome["second"]
    assert _scopes() == {Organization.objects.get(pk=province.grassroots.pk).path}
