"""Verify the responsibility ledger end to end: every hash recomputed, every checkpoint checked.

Exit status: 0 the ledger holds; 1 it is broken (the first broken entry is named); 2 it holds but the
checkpoints' signatures could not be checked (no key: give ``--public-key``).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from personnel.checkpoints import public_key, verify_ledger


class Command(BaseCommand):
    help = ("Recompute the responsibility ledger's hash chain and check its signed checkpoints; exit 1 at a break, "
            "2 when the checkpoints cannot be verified (no key).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--public-key", action="append", default=[], metavar="FILE", dest="key_files",
                            help="a PEM public (or private) key to verify with; repeat for retired keys "
                                 "(default: the key of LEDGER_SIGNING_KEY_FILE)")
        parser.add_argument("--chunk-size", type=int, default=2000, help="rows fetched from the cursor at a time")

    def handle(self, *args, key_files: list[str], chunk_size: int, **options) -> None:
        keys = None
        if key_files:
            keys = []
            for name in key_files:
                key = public_key(Path(name))
                if key is None:
                    raise CommandError(f"{name}: no Ed25519 key in it")
                keys.append(key)
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1")

        def progress(n: int) -> None:
            self.stderr.write(f"  {n:,} entries…")

        report = verify_ledger(chunk_size=chunk_size, public_keys=keys, progress=progress)
        self.stdout.write(f"{report.entries:,} entries in {report.seconds:.1f} s "
                          f"({report.entries_per_second:,.0f} entries/second); {report.checkpoints} checkpoints, "
                          f"{report.signatures_checked} signatures verified")
        if not report.holds:
            first = report.first
            for problem in report.problems:
                if problem is not first:
                    self.stderr.write(f"  also: {problem}")
            raise CommandError(f"BROKEN at {first}", returncode=1)
        if report.unverifiable:
            raise CommandError("the chain holds, but its checkpoints are UNVERIFIABLE: no signing key "
                               "(LEDGER_SIGNING_KEY_FILE missing or unreadable; give --public-key)", returncode=2)
        self.stdout.write(self.style.SUCCESS("the ledger holds"))
