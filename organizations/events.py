"""Events of a person that higher apps follow: a discipline, a Not completed rating, a low confidence result.

The lower apps announce them here inside the transaction of the act (``announce``); a higher app (personnel:
the responsibility ledger) registers a listener in its ``AppConfig.ready()``. Nothing here imports upwards,
and an event is codes and parameters, never a sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PersonEvent:
    kind: str  # "discipline", "not_completed", "low_confidence"
    person_id: int
    on: dt.date
    data: dict[str, Any] = field(default_factory=dict)


Listener = Callable[[PersonEvent], None]
_listeners: list[Listener] = []


def register_listener(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def announce(event: PersonEvent) -> None:
    """Tell every listener, inside the caller's transaction: a listener's refusal undoes the act."""
    for listener in _listeners:
        listener(event)
