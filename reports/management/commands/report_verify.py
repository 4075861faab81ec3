"""Check stored reports: the file is the one recorded, and a fresh rendering as of its data gives the same bytes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.models import Report
from reports.services import report_verify


class Command(BaseCommand):
    help = "Verify stored reports against their sha256 and a fresh rendering (exit 1 if any differs)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("ids", nargs="+", type=int, help="report ids")

    def handle(self, *args, ids: list[int], **options) -> None:
        failed = 0
        for pk in ids:
            report = Report.objects.filter(pk=pk).first()
            if report is None:
                raise CommandError(f"report {pk}: no such report")
            try:
                check = report_verify(report)
            except ValidationError as error:
                raise CommandError(f"report {pk}: {' '.join(error.messages)}") from error
            verdict = []
            verdict.append("file intact" if check.file_intact else "FILE ALTERED (sha256 differs from the record)")
            verdict.append("same as a fresh rendering" if check.data_unchanged
                           else "data or layout changed since (a fresh rendering differs)")
            if not check.same_template:
                verdict.append("drawn by an older template version")
            failed += not (check.file_intact and check.data_unchanged)
            self.stdout.write(f"report {pk} {check.stored[:12]}: " + "; ".join(verdict))
        if failed:
            raise CommandError(f"{failed} of {len(ids)} reports differ")
