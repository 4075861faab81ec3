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

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

Message = Callable[[dict[str, Any]], str]
_messages: dict[str, Message] = {}


def _refused(params: dict[str, Any]) -> str:
    return gettext("Không thực hiện được thao tác này.")


def _not_permitted(params: dict[str, Any]) -> str:
    if params.get("org"):
        return gettext("Bạn không có quyền thực hiện thao tác này tại %(org)s.") % params
    return gettext("Bạn không có quyền thực hiện thao tác này.")


# The two codes every app may raise; each app registers its own (``register_messages``).
_messages.update({"refused": _refused, "not_permitted": _not_permitted})


def shown_day(value: Any) -> str:
    """A date kept in a reason's params as an ISO string, in the reader's format; reasons stored before dates
    were kept as ISO (already "dd/mm/yyyy") read as they were written."""
    import datetime as dt

    from django.utils.formats import date_format

    try:
        return date_format(dt.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    except ValueError:
        return str(value)


def dated(params: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The params with the dates under ``keys`` shown in the reader's format (keys absent are left out)."""
    return {**params, **{k: shown_day(params[k]) for k in keys if k in params}}


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


# --- citations, rendered by the app that holds the catalog -------------------------

CitationText = Callable[[str, str], str]
_citation_text: list[CitationText] = []


def register_citation_text(render: CitationText) -> None:
    """The regulations app says how ``(code, ref)`` reads ("Khoản 5 Điều 9 Điều lệ Đảng")."""
    _citation_text[:] = [render]


def citation_of(reason: Reason) -> str:
    """The provision a reason cites, as text ("" when it cites none)."""
    if not reason.cite_code:
        return ""
    if _citation_text:
        return _citation_text[0](reason.cite_code, reason.cite_ref)
    return f"{reason.cite_code} {reason.cite_ref}".strip()


def text_of(reason: Reason) -> str:
    """The sentence in the active language, followed by its citation in brackets."""
    citation = citation_of(reason)
    return f"{reason.message} ({citation})" if citation else reason.message


# --- the one refusal --------------------------------------------------------------


class _Shown:
    """A reason standing in a ``ValidationError``'s message list: rendered each time it is read, so a form
    error raised in one language reads in the language of whoever is shown it."""

    __slots__ = ("reason",)

    def __init__(self, reason: Reason) -> None:
        self.reason = reason

    def __str__(self) -> str:
        return text_of(self.reason)

    def __repr__(self) -> str:
        return f"<{self.reason.code}>"

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __mod__(self, params):  # ValidationError applies its params with %; a reason carries its own
        return self


class Refused(ValidationError):
    """A service refused the act: one or more reasons, each a code with parameters and a citation.

    Every service refuses with it, never with a sentence. It is a ``ValidationError`` so that a view adds it
    to its form (``form.add_error(None, exc)``) or to the messages as it would any other; the sentences are
    rendered only when read, in the reader's language. Where it is kept (a job's failure, an audit entry) it is
    kept as ``to_json()``, codes and parameters. ``rows`` maps a row's key to its own reasons, for grids and
    imports that refuse row by row; the first few of them stand as the messages when there is no overall one.
    """

    def __init__(self, reasons: Reason | Iterable[Reason], rows: dict[Any, list[Reason]] | None = None) -> None:
        self.reasons: list[Reason] = [reasons] if isinstance(reasons, Reason) else list(reasons)
        self.rows: dict[Any, list[Reason]] = rows or {}
        self._shown = self.reasons or [r for row in self.rows.values() for r in row][:5] or [Reason("refused")]
        super().__init__([ValidationError(_Shown(r), code=r.code) for r in self._shown])

    @classmethod
    def because(cls, code: str, cite: tuple[str, str] | None = None, **params: Any) -> Refused:
        """``raise Refused.because("tenure_ended", end=tenure.end)``: one reason, without building it."""
        cite_code, cite_ref = cite or ("", "")
        return cls(Reason(code, params, cite_code, cite_ref))

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]

    def to_json(self) -> list[dict[str, Any]]:
        return as_json(self.reasons or [r for row in self.rows.values() for r in row])

    def __str__(self) -> str:
        return " ".join(text_of(r) for r in self._shown)


def as_json(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    return [r.to_json() for r in reasons]


def from_json(items: Iterable[dict[str, Any]] | None) -> list[Reason]:
    return [Reason.from_json(item) for item in (items or [])]
