"""The database itself refuses to change or remove a row of an append-only table (both databases, raw SQL).

Every model declared ``@append_only`` (``audit.appendonly``) is tried here with
raw UPDATE and DELETE, and on PostgreSQL TRUNCATE; the meta-test fails for a
model declared append-only that has no row fixture below or lacks a trigger.
"""

import datetime as dt

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation

from assessments.models import Assessment, AssessmentEvent, Step
from audit import appendonly
from audit.models import AuditEntry
from audit.services import audit_record
from common.actors import SYSTEM
from personnel.models import (
    ConfidenceResult,
    ConfidenceVote,
    LedgerCheckpoint,
    LedgerCountersignature,
    ResponsibilityEntry,
    StandardsNote,
)
from tests.assessments.conftest import period_2026, world  # noqa: F401  (fixtures)
from tests.chain.models import Link
from tests.personnel.conftest import committee  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def entry(province):
    return audit_record(actor=SYSTEM, action="test.write", obj=province.root, summary="một thao tác")


@pytest.fixture
def event(period_2026):  # noqa: F811
    assessment = Assessment.objects.filter(period=period_2026).first()
    return AssessmentEvent.objects.create(assessment=assessment, transition="submit_self", source=Step.PENDING,
                                          target=Step.SELF_ASSESSED, note="một thao tác")


@pytest.fixture
def link(db):
    return Link.append(text="một thao tác")


@pytest.fixture
def ledger_entry(committee):  # noqa: F811
    committee.introduced()
    return ResponsibilityEntry.objects.get()


@pytest.fixture
def checkpoint(db):
    return LedgerCheckpoint.objects.create(size=1, head_hash="0" * 64, signed_at=timezone.now(), key_id="k",
                                           signature="một thao tác")


@pytest.fixture
def countersignature(checkpoint, board_officer, province):
    return LedgerCountersignature.objects.create(checkpoint=checkpoint, organization=province.root,
                                                 signed_by=board_officer, signed_at=timezone.now(),
                                                 statement_hash="một thao tác")


@pytest.fixture
def standards_note(committee, board_officer):  # noqa: F811
    from personnel.services import standards_note_record

    return standards_note_record(nomination=committee.introduced(), standard="integrity", met=True,
                                 note="một thao tác", actor=board_officer)


@pytest.fixture
def confidence_result(committee):  # noqa: F811
    import datetime as dt

    from personnel.confidence import CadreCounts
    from personnel.confidence_services import confidence_record

    member = committee.members[1].tenures.get(position__code="standing-member")
    vote = confidence_record(organization=committee.org, meeting=committee.meeting(dt.date(2026, 3, 20)),
                             issued=9, returned=9, actor=committee.clerk,
                             rows=[(member.pk, CadreCounts(high=6, confidence=2, low=1, invalid=0))])
    return vote.results.get()


@pytest.fixture
def confidence_vote(confidence_result):
    return confidence_result.vote


# Each append-only model, the fixture that writes one of its rows, and a text column to try to change.
ROWS = {AuditEntry: ("entry", "summary"), AssessmentEvent: ("event", "note"), Link: ("link", "text"),
        ResponsibilityEntry: ("ledger_entry", "kind"), LedgerCheckpoint: ("checkpoint", "signature"),
        LedgerCountersignature: ("countersignature", "statement_hash"), StandardsNote: ("standards_note", "note"),
        ConfidenceVote: ("confidence_vote", "base_rule"), ConfidenceResult: ("confidence_result", "outcome")}
STATEMENTS = ["UPDATE {table} SET {column} = 'sửa' WHERE id = %s", "DELETE FROM {table} WHERE id = %s"]


def _row(request, model):
    fixture, column = ROWS[model]
    return request.getfixturevalue(fixture), column


@pytest.mark.parametrize("model", list(ROWS), ids=lambda m: m._meta.label)
@pytest.mark.parametrize("sql", STATEMENTS, ids=["update", "delete"])
def test_raw_update_and_delete_are_refused_by_the_database(request, model, sql):
    row, column = _row(request, model)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.format(table=model._meta.db_table, column=column), [row.pk])
    before = getattr(row, column)
    row.refresh_from_db()
    assert getattr(row, column) == before != "sửa"


@pytest.mark.skipif(not POSTGRESQL, reason="SQLite has no TRUNCATE (it empties a table with DELETE)")
@pytest.mark.parametrize("model", list(ROWS), ids=lambda m: m._meta.label)
def test_raw_truncate_is_refused_by_postgresql(request, model):
    row, _ = _row(request, model)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
    assert model.objects.filter(pk=row.pk).exists()


def test_every_model_declared_append_only_is_protected_and_tried_here():
    declared = set(appendonly.declared())
    assert {AuditEntry, AssessmentEvent} <= declared
    assert declared == set(ROWS), "every append-only model needs a row fixture in ROWS above"
    expected = {"UPDATE", "DELETE"} | ({"TRUNCATE"} if POSTGRESQL else set())
    unprotected = {model._meta.label: expected - appendonly.installed_protection(model) for model in declared}
    assert not {label: ops for label, ops in unprotected.items() if ops}


def test_the_triggers_come_back_after_a_migrate(entry):
    """What a test flush (or a migration that remakes a table on SQLite) takes away, post_migrate puts back."""
    appendonly.uninstall_for_flush()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # idempotent
    # On PostgreSQL the flush takes away the TRUNCATE trigger only: it is the one that must come back.
    expected = {"UPDATE", "DELETE"} | ({"TRUNCATE"} if connection.vendor == "postgresql" else set())
    assert expected <= appendonly.installed_protection(AuditEntry)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_the_orm_refuses_too(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(summary="sửa")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk, summary="một thao tác").exists()


def test_appending_still_works(entry):
    audit_record(actor=SYSTEM, action="test.write", obj=entry, summary="thêm")
    assert AuditEntry.objects.count() == 2


def test_times_are_shown_in_ho_chi_minh_city_through_the_date_formats(entry, settings):
    # 17:30 UTC is 00:30 the next day in Asia/Ho_Chi_Minh (UTC+7)
    shown = AuditEntry(at=dt.datetime(2026, 11, 23, 17, 30, tzinfo=dt.UTC), action="x", object_type="y",
                       object_id="1")
    assert str(shown).startswith("24/11/2026 00:30")
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"
    settings.SHORT_DATETIME_FORMAT = "Y-m-d H:i"
    with translation.override(None):  # no language: the settings' formats, so no hard-coded format
        assert str(shown).startswith("2026-11-24 00:30")
