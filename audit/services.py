from typing import Any

from django.db import models

from .models import AuditEntry


def audit_record(*, actor, action: str, obj: models.Model, summary: str = "",
                 data: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry; call it inside the service's transaction."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary[:300],
        data=data or {},
    )
