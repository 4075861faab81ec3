"""Thin Celery tasks of personnel work: they call a service."""

from __future__ import annotations

import logging

from celery import shared_task

from common.actors import SYSTEM
from common.reasons import Refused

from .checkpoints import checkpoint_sign

log = logging.getLogger(__name__)


@shared_task(name="personnel.ledger_checkpoint")
def ledger_checkpoint() -> dict:
    """The daily checkpoint of the responsibility ledger (CELERY_BEAT_SCHEDULE)."""
    try:
        checkpoint = checkpoint_sign(actor=SYSTEM)
    except Refused as exc:  # no key, an empty ledger, a chain that lost entries: said, not retried
        log.warning("ledger checkpoint not signed: %s", ", ".join(exc.codes))
        return {"refused": exc.to_json()}
    return {"checkpoint": checkpoint.pk, "size": checkpoint.size}
