"""The database itself refuses to change or remove an audit entry (both databases, raw SQL)."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from common.actors import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(province):
    return audit_record(actor=SYSTEM, action="test.write", obj=province.root, summary="một thao tác")


@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditentry SET summary = 'sửa' WHERE id = %s",
    "DELETE FROM audit_auditentry WHERE id = %s",
])
def test_raw_update_and_delete_are_refused_by_the_database(entry, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.summary == "một thao tác"


def test_the_orm_refuses_too(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(summary="sửa")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk, summary="một thao tác").exists()


def test_appending_still_works(entry):
    audit_record(actor=SYSTEM, action="test.write", obj=entry, summary="thêm")
    assert AuditEntry.objects.count() == 2


def test_times_are_shown_in_ho_chi_minh_city(entry):
    # 17:30 UTC is 00:30 the next day in Asia/Ho_Chi_Minh (UTC+7)
    shown = AuditEntry(at=dt.datetime(2026, 11, 23, 17, 30, tzinfo=dt.UTC), action="x", object_type="y",
                       object_id="1")
    assert str(shown).startswith("24/11/2026 00:30")
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"
