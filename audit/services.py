from typing import Any

from django.db import models

from common.reasons import Reason

from .models import AuditEntry


def audit_record(*, actor, action: str, obj: models.Model | type[models.Model], summary: str = "",
                 data: dict[str, Any] | None = None, note: Reason | None = None) -> AuditEntry:
    """Append one entry; call it inside the service's transaction.

    ``summary`` names what the act concerns, in no language (names, numbers, a file); anything that reads as
    a sentence goes in ``note``, a reason code with parameters, rendered in the reader's language when shown.

    ``obj`` is the record acted on, or a model class for an act on its table
    as a whole (a purge): then the entry has no object id.
    """
    whole_table = isinstance(obj, type)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id="" if whole_table else str(obj.pk),
        summary=summary[:300],
        data=data or {},
        note=note.to_json() if note is not None else None,
    )
