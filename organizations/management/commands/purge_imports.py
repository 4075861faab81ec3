"""Forget old member-list uploads (``organizations.services.member_imports_purge``).

Scheduled daily by Celery beat (``CELERY_BEAT_SCHEDULE`` in the settings);
this command runs the same purge by hand or from cron.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from common.actors import SYSTEM
from organizations.services import member_imports_purge


class Command(BaseCommand):
    help = "Delete rejected and unconfirmed member imports older than IMPORT_KEEP_DAYS; empty old written ones."

    def handle(self, *args, **options) -> None:
        done = member_imports_purge(actor=SYSTEM)
        self.stdout.write(f"{len(done['deleted'])} deleted, {len(done['emptied'])} emptied")
