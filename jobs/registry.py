"""The kinds of job: each app registers the function that does one kind of work.

A job function takes the ``Job`` and a ``progress(done, total, stage="")``
callback. It commits its own work (in batches, or at the end) and returns what
it made (``{"url": ..., "label": ...}``); raising ``ValidationError`` fails the
job with that message, shown to the person who asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Progress = Callable[..., None]
JobFunction = Callable[[Any, Progress], dict]
_kinds: dict[str, JobFunction] = {}


def register(kind: str, function: JobFunction) -> None:
    if kind in _kinds and _kinds[kind] is not function:
        raise ValueError(f"job kind {kind!r} is registered twice")
    _kinds[kind] = function


def function_for(kind: str) -> JobFunction:
    return _kinds[kind]


def kinds() -> set[str]:
    return set(_kinds)
