from typing import Any

from django.db import models

from .models import AuditEntry


def audit_record(*, actor, action: str, obj: models.Model | type[models.Model], summary: str = "",
                 data: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry; call it inside the service's transaction.

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
    )
