"""The reads of the personnel pages: the registers, a nomination's page, the nominator's record.

Each read is a fixed number of queries whatever the number of rows. The wider conference's results (a step
marked ``confidential``) are withheld here, once, from whoever lacks ``VIEW_CONFIDENTIAL`` on the nomination's
organization while the nomination is open: the pages and the exports only show what these reads hand them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.reasons import shown_day
from governance.models import Decision, Meeting
from organizations.access import granted_paths, subtree_q
from organizations.models import DisciplineForm, Organization, Person, Position, Tenure

from . import rules
from .models import (
    LATER_EVENTS,
    EntryKind,
    LedgerCheckpoint,
    Nomination,
    NominationKind,
    ProcedureStep,
    ResponsibilityEntry,
    Source,
    StepResult,
)
from .permissions import VIEW_CONFIDENTIAL, VIEW_NOMINATOR_RECORD, VIEW_PERSONNEL
from .reasons import step_label

ROW_RELATIONS = ("organization", "target", "position", "nominee", "nominator")


# --- secrecy ------------------------------------------------------------------------------------------


def _covered(path: str, paths: list[str] | None) -> bool:
    return paths is None or any(path.startswith(p) for p in paths)


def confidential_paths(user) -> list[str] | None:
    """The subtrees where ``user`` may read the wider conference's results before the process ends."""
    return granted_paths(user, VIEW_CONFIDENTIAL)


def shows_confidential(nomination: Nomination, paths: list[str] | None) -> bool:
    """Whether a reader holding ``VIEW_CONFIDENTIAL`` on ``paths`` may read this nomination's secret step."""
    return nomination.finished or _covered(nomination.organization.path, paths)


def entry_hidden(entry: ResponsibilityEntry, nomination: Nomination, paths: list[str] | None) -> bool:
    """A ledger entry whose data are the wider conference's results, withheld from this reader."""
    return (entry.kind == EntryKind.STEP and bool((entry.data or {}).get("confidential"))
            and not shows_confidential(nomination, paths))


# --- registers ----------------------------------------------------------------------------------------


def _rows(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(*ROW_RELATIONS)


def nomination_register(org: Organization) -> QuerySet[Nomination]:
    """The nominations made in ``org``'s subtree: one query a page."""
    return _rows(Nomination.objects.in_subtree(org))


def nominations_for(user) -> QuerySet[Nomination]:
    """Every nomination of an organization where ``user`` holds ``VIEW_PERSONNEL``: one query a page."""
    return _rows(Nomination.objects.filter(subtree_q(granted_paths(user, VIEW_PERSONNEL), "organization__path")))


def step_name(nomination: Nomination, number: int) -> str:
    """The label of step ``number`` of ``nomination`` ("" before the first)."""
    if not number:
        return ""
    try:
        spec = rules.step_spec(nomination.kind, nomination.source, number)
    except ValueError:
        return str(number)
    return f"{number}. {step_label(spec.code)}" if spec else str(number)


# --- a nomination's page ------------------------------------------------------------------------------


@dataclass
class ShownStep:
    step: ProcedureStep
    label: str
    hidden: bool  # the wider conference's results, withheld from this reader
    votes: list[dict[str, Any]] = field(default_factory=list)
    threshold: dict[str, Any] = field(default_factory=dict)
    citation: str = ""


@dataclass
class ShownEntry:
    entry: ResponsibilityEntry
    hidden: bool
    data: list[tuple[str, str]]
    checkpoint: LedgerCheckpoint | None


def _citation(cite: dict | None) -> str:
    from regulations.citations import citation_text

    cite = cite or {}
    return citation_text(cite.get("code", ""), cite.get("ref", "")) if cite.get("code") else ""


def nomination_steps(nomination: Nomination, paths: list[str] | None) -> list[ShownStep]:
    """The steps of ``nomination`` with their meetings: one query."""
    shown = []
    secret_ok = shows_confidential(nomination, paths)
    for step in nomination.steps.select_related("meeting__body__organization", "settled_by").order_by("number"):
        hidden = step.confidential and not secret_ok
        threshold = dict(step.threshold or {})
        shown.append(ShownStep(step=step, label=step_label(step.code), hidden=hidden,
                               votes=[] if hidden else list(step.votes or []),
                               threshold={} if hidden else threshold,
                               citation=_citation(threshold.get("cite"))))
    return shown


DATA_LABELS = {
    "kind": gettext_lazy("Loại"), "source": gettext_lazy("Nguồn nhân sự"), "step": gettext_lazy("Bước"),
    "code": gettext_lazy("Nội dung bước"), "result": gettext_lazy("Kết quả"), "meeting": gettext_lazy("Hội nghị"),
    "convened": gettext_lazy("Triệu tập"), "present": gettext_lazy("Có mặt"),
    "issued": gettext_lazy("Phiếu phát ra"), "returned": gettext_lazy("Phiếu thu về"),
    "valid": gettext_lazy("Phiếu hợp lệ"), "invalid": gettext_lazy("Phiếu không hợp lệ"),
    "votes": gettext_lazy("Số phiếu"), "threshold": gettext_lazy("Ngưỡng"),
    "selected": gettext_lazy("Lựa chọn"), "head": gettext_lazy("Người đứng đầu"),
    "decision": gettext_lazy("Quyết định"), "tenure": gettext_lazy("Chức vụ"),
    "start": gettext_lazy("Ngày bắt đầu"), "position": gettext_lazy("Chức danh"),
    "target": gettext_lazy("Nơi có chức danh"), "dismissal": gettext_lazy("Miễn nhiệm"),
    "event": gettext_lazy("Sự kiện"), "form": gettext_lazy("Hình thức"), "nomination": gettext_lazy("Giới thiệu số"),
    "decided_by": gettext_lazy("Cấp quyết định"), "decision_ref": gettext_lazy("Số quyết định"),
    "year": gettext_lazy("Năm"), "quarter": gettext_lazy("Quý"),
}
# The order an entry's data is shown in, on every database (PostgreSQL's jsonb sorts the keys).
DATA_ORDER = {key: i for i, key in enumerate(DATA_LABELS)}
# Keys whose value is the id of a row another key already describes: not shown.
HIDDEN_KEYS = {"confidential", "discipline", "assessment", "period"}
CHOICES = {"kind": NominationKind, "source": Source, "result": StepResult, "event": EntryKind,
           "form": DisciplineForm}
# Keys whose value is the id of a row, shown by its name: the model and how it is read.
REFERENCES = {
    "position": "position", "target": "organization", "decided_by": "organization", "tenure": "tenure",
    "meeting": "meeting", "decision": "decision", "head": "person",
}


def data_names(datas) -> dict[tuple[str, int], str]:
    """The names of the rows the entries' data point to (posts, organizations, tenures, meetings, decisions,
    the people voted for), as ``(model, id) -> name``: one query a model, whatever the number of entries."""
    wanted: dict[str, set[int]] = {}
    for data in datas:
        for key, value in (data or {}).items():
            if key in REFERENCES and isinstance(value, int) and not isinstance(value, bool):
                wanted.setdefault(REFERENCES[key], set()).add(value)
            elif key == "votes" and isinstance(value, list):
                wanted.setdefault("person", set()).update(
                    v[0] for v in value if isinstance(v, list | tuple) and v and isinstance(v[0], int))
    names: dict[tuple[str, int], str] = {}
    readers = {
        "position": lambda ids: ((p.pk, p.title) for p in Position.objects.filter(pk__in=ids)),
        "organization": lambda ids: Organization.objects.filter(pk__in=ids).values_list("pk", "name"),
        "person": lambda ids: Person.objects.filter(pk__in=ids).values_list("pk", "full_name"),
        "meeting": lambda ids: ((m.pk, f"{m} — {m.body}") for m in
                                Meeting.objects.filter(pk__in=ids).select_related("body")),
        "decision": lambda ids: ((d.pk, str(d)) for d in Decision.objects.filter(pk__in=ids)),
        "tenure": lambda ids: ((t.pk, f"{t.position.title} {t.organization.name}") for t in
                               Tenure.objects.filter(pk__in=ids).select_related("position", "organization")),
    }
    for model, ids in wanted.items():
        names.update(((model, pk), name) for pk, name in readers[model](ids))
    return names


def _value(key: str, value: Any, names: dict[tuple[str, int], str]) -> str:
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if key in REFERENCES and isinstance(value, int):
        return names.get((REFERENCES[key], value), str(value))
    if key in CHOICES and isinstance(value, str):
        try:
            return str(CHOICES[key](value).label)
        except ValueError:
            return value
    if key == "code" and isinstance(value, str):
        return step_label(value)
    if key == "start" and isinstance(value, str):
        return shown_day(value)
    if key == "threshold" and isinstance(value, dict):
        if "needed" in value:
            return str(_("cần %(needed)s phiếu, trên 1/2 của %(base)s") % {"needed": value["needed"],
                                                                         "base": value.get("base", "")})
        return str(_("không xét ngưỡng"))
    if key == "votes" and isinstance(value, list):
        return "; ".join(f"{names.get(('person', v[0]), v[0])}: {v[1]}" if isinstance(v, list | tuple) and len(v) == 2
                         else str(v) for v in value)
    if isinstance(value, list):
        return "; ".join(": ".join(str(x) for x in v) if isinstance(v, list | tuple) else str(v) for v in value)
    return "—" if value is None else str(value)


def data_rows(data: dict, names: dict[tuple[str, int], str] | None = None) -> list[tuple[str, str]]:
    """An entry's data (codes and parameters) as labelled values, for the page and the export; ``names`` from
    ``data_names`` over the entries shown (without it, a referenced row shows its id)."""
    keys = sorted((k for k in (data or {}) if k not in HIDDEN_KEYS),
                  key=lambda k: (DATA_ORDER.get(k, len(DATA_ORDER)), k))
    return [(str(DATA_LABELS.get(key, key)), _value(key, data[key], names or {})) for key in keys]


def checkpoint_covering(seqs: list[int]) -> dict[int, LedgerCheckpoint | None]:
    """For each ``seq``, the latest signed checkpoint whose size reaches it (or ``None``): one query."""
    if not seqs:
        return {}
    candidates = list(LedgerCheckpoint.objects.filter(size__gte=min(seqs)).order_by("-signed_at", "-pk")[:200])
    return {seq: next((c for c in candidates if c.size >= seq), None) for seq in seqs}


def nomination_entries(nomination: Nomination, paths: list[str] | None) -> list[ShownEntry]:
    """The ledger entries of ``nomination``, each with the checkpoint that covers it, and the names of the rows
    their data point to: at most eight queries whatever their number."""
    entries = list(nomination.ledger.order_by("seq"))
    covering = checkpoint_covering([e.seq for e in entries])
    names = data_names(e.data for e in entries if not entry_hidden(e, nomination, paths))
    shown = []
    for entry in entries:
        hidden = entry_hidden(entry, nomination, paths)
        shown.append(ShownEntry(entry=entry, hidden=hidden, data=[] if hidden else data_rows(entry.data, names),
                                checkpoint=covering.get(entry.seq)))
    return shown


# --- the nominator's record ---------------------------------------------------------------------------


def record_paths(user) -> list[str] | None:
    return granted_paths(user, VIEW_NOMINATOR_RECORD)


def record_nominations(person: Person, paths: list[str] | None) -> QuerySet[Nomination]:
    """What ``person`` introduced, in the organizations the reader may read the record of. A draft never
    introduced (the office may prepare one in the head's name) is not the head's act and is left out.

    Read from ``Nomination.nominator``, never from tenures: the record stays whole after the nominator is
    transferred, retires or holds no post.
    """
    return (_made_by(person, paths)
            .select_related("organization", "target", "position", "nominee", "nominator_tenure__position",
                            "nominator_tenure__organization"))


def record_entries(person: Person, paths: list[str] | None) -> QuerySet[ResponsibilityEntry]:
    """The ledger entries attached to ``person`` as nominator (``ResponsibilityEntry.nominator``), event by
    event, with their nominations: one query a page."""
    return (ResponsibilityEntry.objects.filter(nominator=person).filter(subtree_q(paths, "organization__path"))
            .select_related("organization", "nominee", "nomination__position", "nomination__target",
                            "nomination__organization", "nomination__nominator_tenure__position",
                            "nomination__nominator_tenure__organization")
            .order_by("-occurred_on", "-seq"))


def later_events() -> Coalesce:
    """A nomination's number of later events of its nominee in the ledger (a discipline, a Not completed, a
    low confidence, a dismissal): a subquery per row shown, so a page of the record costs the same whatever
    the ledger's size."""
    counted = (ResponsibilityEntry.objects.filter(nomination=OuterRef("pk"), kind__in=LATER_EVENTS)
               .order_by().values("nomination").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def record_visible(person: Person, paths: list[str] | None) -> bool:
    """Whether the reader may open ``person``'s record at all: one nomination of theirs under the reader."""
    if paths is not None and not paths:
        return False
    return _made_by(person, paths).exists()


def _made_by(person: Person, paths: list[str] | None) -> QuerySet[Nomination]:
    return Nomination.objects.filter(nominator=person, introduced_on__isnull=False).filter(
        subtree_q(paths, "organization__path"))


# --- the standards check ------------------------------------------------------------------------------


@dataclass
class ShownItem:
    code: str
    label: str
    outcome: str
    outcome_label: str
    severity_label: str
    reasons: list[tuple[str, str]]  # (sentence, citation)
    details: list[tuple[str, str]]


def _item_details(code: str, details) -> list[tuple[str, str]]:
    from assessments.choices import Level

    from .reasons import ETHICS_LABELS

    shown = []
    for key, value in details:
        if code == "classification":
            shown.append((str(_("Năm %(year)s") % {"year": key}), str(Level(value).label) if value else "—"))
        elif code == "discipline":
            shown.append((str(DisciplineForm(key).label) if key in DisciplineForm.values else key, shown_day(value)))
        elif code == "ethics":
            judged = {True: _("Đạt"), False: _("Chưa đạt"), None: _("Chưa đánh giá")}[value]
            shown.append((str(ETHICS_LABELS.get(key, key)), str(judged)))
        elif code == "confidence":
            shown.append((str(_("Ngày lấy phiếu")) if key == "held_on" else str(_("Tín nhiệm thấp")),
                          shown_day(value) if key == "held_on" else str(value)))
        elif code == "planning" and key == "exception":
            shown.append((str(_("Quyết định cho phép ngoài quy hoạch")), str(value)))
    return shown


def shown_standards(nomination: Nomination, on) -> dict[str, Any]:
    """The standards check of ``nomination`` on ``on`` as the page shows it, with the settings it applied."""
    from django.conf import settings

    from regulations.citations import reason_text

    from .checking import standards_for
    from .reasons import OUTCOME_LABELS, SEVERITY_LABELS, STANDARD_ITEM_LABELS

    items, checked = [], standards_for(nomination, on)
    for item in checked:
        items.append(ShownItem(
            code=item.code, label=str(STANDARD_ITEM_LABELS.get(item.code, item.code)), outcome=item.outcome,
            outcome_label=str(OUTCOME_LABELS[item.outcome]), severity_label=str(SEVERITY_LABELS[item.severity]),
            reasons=[reason_text(r) for r in item.reasons], details=_item_details(item.code, item.details)))
    months = settings.PERSONNEL_DISCIPLINE_WAIT_MONTHS
    return {"on": on, "items": items, "warned": any(item.warns for item in checked),
            "blocked": any(item.blocks for item in checked),
            "waits": [(str(DisciplineForm(form).label), n) for form, n in months.items()]}
