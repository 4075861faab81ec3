"""Forget old member-list uploads: they hold personal data that nothing needs any more.

After ``settings.IMPORT_KEEP_DAYS`` days, imports that were rejected or never
confirmed are deleted, and the file content and parsed rows of written ones
are emptied; a written import keeps its record (who, when, which cell, how
many rows) for the audit. One audit entry per run lists what was done.
Run it daily (cron or a scheduler).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from organizations.models import ImportStatus, MemberImport


def purge_imports(now: dt.datetime | None = None) -> dict[str, list[int]]:
    """Delete stale imports and empty old written ones; returns the ids touched."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.IMPORT_KEEP_DAYS)
    with transaction.atomic():
        stale = MemberImport.objects.filter(
            status__in=[ImportStatus.REJECTED, ImportStatus.PREVIEWED], uploaded_at__lt=cutoff)
        deleted = sorted(stale.values_list("pk", flat=True))
        stale.delete()
        # A non-empty rows list also counts: the parsed rows are the file's personal data in another shape.
        written = (MemberImport.objects.filter(status=ImportStatus.COMMITTED, committed_at__lt=cutoff)
                   .exclude(Q(content=b"") & Q(rows=[])))
        emptied = sorted(written.values_list("pk", flat=True))
        written.update(content=b"", rows=[])
        # One entry per run, about the table as a whole (an unsaved instance: no single record).
        audit_record(actor=None, action="import.purge", obj=MemberImport(),
                     summary=f"{len(deleted)} lượt nhập đã xóa, {len(emptied)} tệp đã làm rỗng "
                             f"(quá {settings.IMPORT_KEEP_DAYS} ngày)",
                     data={"deleted": deleted, "emptied": emptied, "cutoff": cutoff.isoformat()})
    return {"deleted": deleted, "emptied": emptied}


class Command(BaseCommand):
    help = "Delete rejected and unconfirmed member imports older than IMPORT_KEEP_DAYS; empty old written ones."

    def handle(self, *args, **options) -> None:
        done = purge_imports()
        self.stdout.write(f"{len(done['deleted'])} deleted, {len(done['emptied'])} emptied")
