"""Showing stored reasons: the sentence in the reader's language and the provision it cites."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from common.reasons import Reason

from ..citations import reason_text

register = template.Library()


@dataclass(frozen=True)
class ShownReason:
    message: str
    citation: str


@register.filter
def reasons(items) -> list[ShownReason]:
    """``{% for r in decision.reasons|reasons %}{{ r.message }} ({{ r.citation }})``: stored JSON or ``Reason``s."""
    shown = []
    for item in items or []:
        reason = item if isinstance(item, Reason) else Reason.from_json(item)
        shown.append(ShownReason(*reason_text(reason)))
    return shown
