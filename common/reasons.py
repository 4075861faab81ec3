"""One shape for the reason a rule refuses or flags something: a code, parameters, a citation.

A reason is stored as data (``{"code": "quorum", "params": {...}, "cite": {"code": "80-QĐ/TW", "ref": "21.1"}}``)
and rendered only when shown, through the message function its app registered,
so a refusal recorded by a Vietnamese clerk reads in English for an English
reader. The citation is the provision in force on the date of the act (see
``regulations.citations.Cite.on``); an empty ``ref`` cites the document as a whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Message = Callable[[dict[str, Any]], str]
_messages: dict[str, Message] = {}


def register_messages(messages: dict[str, Message]) -> None:
    """Each app registers how its codes read (functions calling gettext, so the reader's language applies)."""
    for code, message in messages.items():
        if code in _messages and _messages[code] is not message:
            raise ValueError(f"reason code {code!r} is registered twice")
        _messages[code] = message


def registered_codes() -> set[str]:
    return set(_messages)


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    cite_code: str = ""  # the document cited ("" = none)
    cite_ref: str = ""  # "9.5", or "" for the document as a whole

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "params": dict(self.params)}
        if self.cite_code:
            data["cite"] = {"code": self.cite_code, "ref": self.cite_ref}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reason:
        cite = data.get("cite") or {}
        return cls(str(data.get("code", "")), dict(data.get("params") or {}),
                   str(cite.get("code", "")), str(cite.get("ref", "")))

    @property
    def message(self) -> str:
        """The sentence in the active language (without the citation)."""
        render = _messages.get(self.code)
        if render is None:
            return self.code
        try:
            return render(self.params)
        except (KeyError, TypeError, ValueError):
            return self.code

    def __str__(self) -> str:
        return self.message


def as_json(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    return [r.to_json() for r in reasons]


def from_json(items: Iterable[dict[str, Any]] | None) -> list[Reason]:
    return [Reason.from_json(item) for item in (items or [])]
