"""Write a new Ed25519 key for signing the responsibility ledger's checkpoints.

The private key goes to ``LEDGER_SIGNING_KEY_FILE`` (mode 0600), its public half beside it (``.pub``) for
whoever verifies the ledger elsewhere (``verify_ledger --public-key``). An existing key is kept unless
``--force``: checkpoints signed with it then verify only with its public half, kept aside.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from personnel.checkpoints import key_file, key_generate, public_key_file


class Command(BaseCommand):
    help = "Write a new Ed25519 signing key for the ledger's checkpoints (refuses to overwrite without --force)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", help="where to write it (default: settings.LEDGER_SIGNING_KEY_FILE)")
        parser.add_argument("--force", action="store_true", help="replace an existing key")

    def handle(self, *args, file: str | None = None, force: bool = False, **options) -> None:
        path = Path(file) if file else key_file()
        try:
            key_id = key_generate(path, force=force)
        except FileExistsError:
            raise CommandError(f"{path} exists: a key is already there (--force replaces it; keep its .pub to "
                               "verify the checkpoints it signed)") from None
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
        self.stdout.write(f"private key: {path} (mode 0600)")
        self.stdout.write(f"public key:  {public_key_file(path)}")
        self.stdout.write(f"key id: {key_id}")
