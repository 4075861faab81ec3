"""Writes of the regulations catalog: importing a text as a new version."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from audit.services import audit_record
from common.actors import require_perm
from common.reasons import Reason, Refused
from common.text import fold

from .models import Citation, Document, DocumentVersion, Provision, TextImport, TextImportStatus
from .parser import Node, ParseResult, parse, read_lines

IMPORT = "regulations.import_document"  # the catalog is national: a global permission, not one on the tree

# Children are inserted after their parents: one bulk insert per level.
_LEVEL_ORDER = ["chuong", "muc", "dieu", "khoan", "diem"]


class ImportRejected(Refused):
    """A text that cannot be read (``reasons``) or is malformed (``rows``: its structural errors by line).

    Its errors are codes with parameters (``regulations.reasons``), read in the language of whoever is shown
    them.
    """

    @classmethod
    def of(cls, parsed: ParseResult) -> ImportRejected:
        return cls(parsed.overall, rows=parsed.rows)

    @property
    def all_reasons(self) -> list[Reason]:
        """The reasons of the text as a whole, then those of each line, in line order."""
        return self.reasons + [r for _line, row in sorted(self.rows.items()) for r in row]


@dataclass
class Changes:
    added: list[str]
    changed: list[str]
    removed: list[str]

    def as_dict(self) -> dict[str, list[str]]:
        return {"added": self.added, "changed": self.changed, "removed": self.removed}


def diff_versions(old: dict[str, tuple[str, str]], new: dict[str, tuple[str, str]]) -> Changes:
    """Anchors added, changed (heading or text) and removed between two texts."""
    return Changes(
        added=[a for a in new if a not in old],
        changed=[a for a in new if a in old and old[a] != new[a]],
        removed=[a for a in old if a not in new],
    )


def refresh_search_vectors(version: DocumentVersion | None = None) -> None:
    """PostgreSQL: the full-text vector of each provision (of one version, or all), unaccented."""
    if connection.vendor != "postgresql":
        return
    sql = ("UPDATE regulations_provision SET search_vector = "
           "setweight(to_tsvector('simple', unaccent(heading)), 'A') || "
           "setweight(to_tsvector('simple', unaccent(text)), 'B')")
    with connection.cursor() as cursor:
        if version is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql + " WHERE version_id = %s", [version.pk])


def provisions_create(version: DocumentVersion, nodes: list[Node]) -> None:
    """Insert a parsed tree: one bulk insert per level, parents before children."""
    by_anchor: dict[str, Provision] = {}
    for level in _LEVEL_ORDER:
        batch = [
            Provision(version=version, level=node.level, number=node.number, heading=node.heading[:500],
                      text=node.text, order=order, anchor=node.anchor,
                      parent=by_anchor[node.parent.anchor] if node.parent else None,
                      # bulk_create skips save(), so the folded column is set here
                      search_text=fold(f"{node.heading} {node.text}"))
            for order, node in enumerate(nodes, start=1) if node.level == level
        ]
        Provision.objects.bulk_create(batch, batch_size=1000)
        by_anchor.update({p.anchor: p for p in batch})
    refresh_search_vectors(version)


def document_import(*, document: Document, file_name: str, content: bytes, actor,
                    skeleton: bool = False) -> DocumentVersion:
    """Parse a text and save it as the document's new current version, or raise ImportRejected.

    The previous version stays readable; the new one records which provisions
    were added, changed or removed.
    """
    require_perm(actor, IMPORT)
    try:
        lines = read_lines(file_name, content)
    except Refused as exc:  # UploadRefused: another kind of file, past a limit, unreadable
        raise ImportRejected(exc.reasons) from exc
    return document_import_lines(document=document, lines=lines, source_name=file_name, actor=actor,
                                 skeleton=skeleton)


def _current_provisions(document: Document) -> tuple[int, dict[str, tuple[str, str]]]:
    current = document.versions.filter(is_current=True).first()
    if current is None:
        return 0, {}
    return current.number, {a: (h, t) for a, h, t in current.provisions.values_list("anchor", "heading", "text")}


def document_import_preview(*, document: Document, file_name: str, content: bytes, actor) -> TextImport:
    """Read and check an upload and keep it with the changes it would make; the current text is untouched.

    Raises ``ImportRejected`` (nothing kept) when the text cannot be read or is malformed.
    """
    require_perm(actor, IMPORT)  # before the upload is even read
    try:
        lines = read_lines(file_name, content)
    except Refused as exc:  # UploadRefused: another kind of file, past a limit, unreadable
        raise ImportRejected(exc.reasons) from exc
    parsed = parse(lines)
    if not parsed.ok:
        raise ImportRejected.of(parsed)
    base, old = _current_provisions(document)
    new = {n.anchor: (n.heading[:500], n.text) for n in parsed.nodes}
    changes = diff_versions(old, new) if base else Changes(list(new), [], [])
    with transaction.atomic():
        batch = TextImport.objects.create(
            document=document, uploaded_by=actor if getattr(actor, "pk", None) else None,
            file_name="".join(ch for ch in file_name if ch.isprintable())[:255], content=content,
            base_number=base, changes=changes.as_dict())
        audit_record(actor=actor, action="regulation.import_preview", obj=batch, summary=str(batch),
                     data={"base": base, "added": len(changes.added), "changed": len(changes.changed),
                           "removed": len(changes.removed)})
    return batch


def document_import_confirm(*, batch: TextImport, actor) -> DocumentVersion:
    """Make a previewed text the document's current version, as previewed; refused if the current text
    changed since the preview (the changes shown would no longer be the changes made)."""
    with transaction.atomic():
        require_perm(actor, IMPORT)
        batch = TextImport.objects.select_for_update().select_related("document").get(pk=batch.pk)
        if batch.status != TextImportStatus.PREVIEWED:
            raise Refused.because("regulation_import_done")
        base, _old = _current_provisions(batch.document)
        if base != batch.base_number:
            raise Refused.because("regulation_import_stale")
        try:  # read again within the limits in force now, which may have been lowered since the preview
            lines = read_lines(batch.file_name, bytes(batch.content))
        except Refused as exc:
            raise ImportRejected(exc.reasons) from exc
        version = document_import_lines(document=batch.document, lines=lines, source_name=batch.file_name,
                                        actor=actor)
        batch.status, batch.version = TextImportStatus.COMMITTED, version
        batch.save(update_fields=["status", "version"])
    return version


def document_import_cancel(*, batch: TextImport, actor) -> None:
    with transaction.atomic():
        require_perm(actor, IMPORT)
        batch = TextImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != TextImportStatus.PREVIEWED:
            raise Refused.because("regulation_import_done")
        batch.status = TextImportStatus.CANCELLED
        batch.content = b""
        batch.save(update_fields=["status", "content"])
        audit_record(actor=actor, action="regulation.import_cancel", obj=batch, summary=str(batch))


def document_import_lines(*, document: Document, lines: list[str], source_name: str, actor,
                          skeleton: bool = False) -> DocumentVersion:
    require_perm(actor, IMPORT)
    parsed = parse(lines)
    if not parsed.ok:
        raise ImportRejected.of(parsed)
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        previous = document.versions.filter(is_current=True).first()
        old = {}
        if previous is not None:
            old = {a: (h, t) for a, h, t in previous.provisions.values_list("anchor", "heading", "text")}
            previous.is_current = False
            previous.save(update_fields=["is_current"])
        number = (previous.number if previous else 0) + 1
        new = {n.anchor: (n.heading[:500], n.text) for n in parsed.nodes}
        changes = diff_versions(old, new) if previous else Changes(list(new), [], [])
        version = DocumentVersion.objects.create(
            document=document, number=number, is_current=True, is_skeleton=skeleton,
            source_name=source_name[:255], imported_by=actor if getattr(actor, "pk", None) else None,
            changes=changes.as_dict())
        provisions_create(version, parsed.nodes)
        audit_record(actor=actor, action="regulation.import", obj=version,
                     summary=f"{document.code} #{number}: +{len(changes.added)} "
                             f"~{len(changes.changed)} -{len(changes.removed)}",
                     note=Reason("regulation_imported", {"n": number, "a": len(changes.added),
                                                         "c": len(changes.changed), "r": len(changes.removed)}))
    return version


# --- citations by the records of other apps -------------------------------------


def citations_build(*, obj, refs: list[tuple[str, str]], label: str, url: str = "", scope: str = "",
                    documents: dict[str, Document] | None = None) -> list[Citation]:
    """Unsaved ``Citation`` rows for ``obj`` (for bulk inserts); every reference must resolve.

    Raises ``CitationError`` (a ``Refused``) for an unknown document or provision, or for a code two texts
    share named without its date (``regulations.citations.document_named``).
    """
    from django.contrib.contenttypes.models import ContentType

    from .citations import anchor_for, document_named, resolve

    documents = documents if documents is not None else {}
    ct = ContentType.objects.get_for_model(obj)
    rows, seen = [], set()
    for order, (code, ref) in enumerate(refs):
        resolve(code, ref)
        if code not in documents:
            documents[code] = document_named(code)
        key = (code, anchor_for(ref))
        if key in seen:
            continue
        seen.add(key)
        rows.append(Citation(document=documents[code], anchor=key[1], content_type=ct, object_id=obj.pk,
                             scope=scope, label=label[:400], url=url[:300], order=order))
    return rows


def citations_set(*, obj, refs: list[tuple[str, str]], label: str, url: str = "", scope: str = "") -> list[Citation]:
    """Make ``obj``'s citations exactly ``refs``; call it inside the citing service's transaction."""
    rows = citations_build(obj=obj, refs=refs, label=label, url=url, scope=scope)
    Citation.objects.of(obj).delete()
    return Citation.objects.bulk_create(rows)


def citations_rescope(old_prefix: str, new_prefix: str) -> int:
    """Citing rows scoped under ``old_prefix`` are scoped under ``new_prefix`` instead: a scope is the citing
    record's tree path, and a subtree that moves takes its citations along. Runs inside the caller's
    transaction (an organization's move); returns the number of rows rescoped."""
    from django.db.models import Value
    from django.db.models.functions import Concat, Substr

    if not old_prefix or old_prefix == new_prefix:
        return 0
    return (Citation.objects.filter(scope__startswith=old_prefix)
            .update(scope=Concat(Value(new_prefix), Substr("scope", len(old_prefix) + 1))))
