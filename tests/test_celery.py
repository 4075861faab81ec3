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
