"""Sign a checkpoint of the responsibility ledger now (Celery beat signs one daily: ``personnel.tasks``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from common.actors import SYSTEM
from common.reasons import Refused
from personnel.checkpoints import checkpoint_sign
from personnel.models import LedgerCheckpoint


class Command(BaseCommand):
    help = "Sign the responsibility ledger's size and head hash now (nothing new since the last one: no new one)."

    def handle(self, *args, **options) -> None:
        last = LedgerCheckpoint.objects.order_by("-pk").values_list("pk", flat=True).first()
        try:
            checkpoint = checkpoint_sign(actor=SYSTEM)
        except Refused as exc:
            raise CommandError(f"{', '.join(exc.codes)}: {exc}") from None
        state = "unchanged since checkpoint" if checkpoint.pk == last else "signed checkpoint"
        self.stdout.write(f"{state} {checkpoint.pk}: {checkpoint.size} entries, head {checkpoint.head_hash}, "
                          f"key {checkpoint.key_id[:16]}, at {checkpoint.signed_at.isoformat()}")
