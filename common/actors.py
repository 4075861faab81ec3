"""Who acts: a person signed in, or the portal itself.

Every service takes an ``actor`` and checks, under its transaction, that the actor may do that act on that
object (``organizations.access.authorize`` for acts on the tree, ``require_perm`` for the few global ones).
Work that no person asks for (the demo seed, a beat chore, a benchmark's bulk path, a migration) passes
``SYSTEM``: it is authorized by being code, never by a request, and it is recorded in the audit with no actor.
"""

from __future__ import annotations

from typing import Any

from .reasons import Refused


class _System:
    """The portal acting on its own. Not a user: nothing in a request can be it."""

    is_authenticated = False
    is_active = False
    is_superuser = False
    is_staff = False
    pk = None
    id = None

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "SYSTEM"

    def get_username(self) -> str:
        return ""

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False


SYSTEM = _System()


def is_system(actor: Any) -> bool:
    return actor is SYSTEM


def require_perm(actor: Any, perm: str) -> None:
    """Refuse unless ``actor`` holds the global Django permission ``perm`` (``"regulations.import_document"``).

    For acts on national data that belong to no organization (the regulations catalog); acts on the tree
    are authorized on the organization instead."""
    if is_system(actor):
        return
    if not (getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False)
            and actor.has_perm(perm)):
        raise Refused.because("not_permitted", perm=perm.rsplit(".", 1)[-1])
