import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from common.actors import SYSTEM
from regulations.citations import KEY_DATE, CitationError, document_named
from regulations.models import DocKind, Document
from regulations.services import ImportRejected, document_import


def _date(value: str) -> dt.date:
    return dt.datetime.strptime(value, "%d/%m/%Y").date()


class Command(BaseCommand):
    help = ("Import the full text of a document (.txt or .docx) as its new current version. "
            "A document not yet in the catalog needs --kind and --title.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--code", required=True, help='e.g. "124-QĐ/TW"')
        parser.add_argument("--kind", choices=DocKind.values)
        parser.add_argument("--title")
        parser.add_argument("--issued", type=_date, help="dd/mm/yyyy; also the effective date. Names the text "
                                                         "when another shares its code")
        parser.add_argument("--effective-to", type=_date, help="dd/mm/yyyy, last day in force")

    def handle(self, *args, file: str, code: str, kind, title, issued, effective_to, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        # --issued tells apart two texts of one code (numbers restart with each term); a bare code two texts
        # share is refused with both listed.
        try:
            document = document_named(f"{code}{KEY_DATE}{issued.isoformat()}" if issued else code)
        except CitationError as exc:
            if exc.codes != ["citation_unknown_document"]:
                raise CommandError(str(exc)) from exc
            document = None
        if document is None:
            if not (kind and title):
                raise CommandError(f"{code} is not in the catalog: give --kind and --title to add it.")
            document = Document(code=code, kind=kind, title=title, issue_date=issued,
                                effective_from=issued, effective_to=effective_to)
        try:
            with transaction.atomic():  # a rejected text leaves no trace, not even a new catalog entry
                document.save()
                version = document_import(document=document, file_name=path.name,
                                          content=path.read_bytes(), actor=SYSTEM)
        except ImportRejected as exc:
            lines = [f"  {reason}" for reason in exc.all_reasons]  # each says its line
            raise CommandError("Nothing imported; the text has structural errors:\n" + "\n".join(lines)) from exc
        c = version.changes
        self.stdout.write(self.style.SUCCESS(
            f"{code}: version {version.number}, {version.provisions.count()} provisions "
            f"(+{len(c['added'])} ~{len(c['changed'])} -{len(c['removed'])})"))
