"""Tasks: in-process when no broker is configured, through a real worker in CI."""

import os
import uuid

import pytest

from portal.celery import app
from portal.tasks import healthcheck
from tests.conftest import need


def test_without_a_broker_tasks_run_in_process(settings):
    if settings.CELERY_BROKER_URL:
        pytest.skip("a broker is configured: the worker test below covers this run")
    nonce = uuid.uuid4().hex
    result = healthcheck.delay(nonce).get(timeout=5)
    assert result["nonce"] == nonce and result["pid"] == str(os.getpid())


@pytest.mark.celery_worker
def test_a_task_round_trips_through_a_real_worker():
    broker = os.environ.get("CELERY_BROKER_URL", "")
    need("celery", bool(broker), "CELERY_BROKER_URL is not set")
    app.conf.task_always_eager = False
    try:
        replies = app.control.ping(timeout=5)
        need("celery", bool(replies), f"no Celery worker answers on {broker}")
        nonce = uuid.uuid4().hex
        result = healthcheck.apply_async(args=[nonce]).get(timeout=30)
    finally:
        app.conf.task_always_eager = not broker
    assert result["nonce"] == nonce
    assert result["pid"] != str(os.getpid())  # ran in the worker process, not here


@pytest.mark.celery_worker
def test_a_period_opens_through_a_real_worker(django_db_blocker):
    """The opening job goes to the worker through the broker and reports its progress in the database.

    The worker and this test share the configured database (CI points both at one file), so this test
    works on it directly rather than on pytest's test database, with names of its own.
    """
    import time

    from django.db import connection

    broker = os.environ.get("CELERY_BROKER_URL", "")
    need("celery", bool(broker), "CELERY_BROKER_URL is not set")
    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"].startswith("test_") or "memory" in str(connection.settings_dict["NAME"]):
            pytest.skip("the worker cannot see pytest's test database; CI runs this on a shared database")
        from assessments import services as svc
        from assessments.models import Assessment, PeriodStatus
        from jobs.models import Job, JobStatus
        from organizations.models import Organization, OrgKind
        from tests.factories import MembershipFactory, PersonFactory, UserFactory

        app.conf.task_always_eager = False
        try:
            replies = app.control.ping(timeout=5)
            need("celery", bool(replies), f"no Celery worker answers on {broker}")
            tag = uuid.uuid4().hex[:8]
            root = Organization.objects.add_root({"name": f"Đảng bộ thử {tag}", "code": f"w-{tag}",
                                                  "kind": OrgKind.PROVINCIAL})
            cell = Organization.objects.add_child(root, {"name": f"Chi bộ {tag}", "code": f"w-{tag}-c",
                                                         "kind": OrgKind.GRASSROOTS_CELL})
            for i in range(3):
                MembershipFactory(person=PersonFactory(card_number=f"9{tag[:6]}{i:03d}"), organization=cell)
            actor = UserFactory(username=f"worker-{tag}", is_superuser=True)
            period = svc.period_create(organization=root, year=2026, actor=actor)
            job = svc.period_open(period=period, actor=actor)  # outside a transaction: queued at once
            for _ in range(120):
                job.refresh_from_db()
                if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
                    break
                time.sleep(0.5)
        finally:
            app.conf.task_always_eager = not broker
        period.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED, job.error
        assert period.status == PeriodStatus.OPEN and job.done == job.total == 5  # 2 collectives, 3 members
        assert Assessment.objects.filter(period=period).count() == 5
        assert Job.objects.get(pk=job.pk).result["url"] == period.get_absolute_url()
