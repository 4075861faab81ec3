"""The nomination's dossier (hồ sơ giới thiệu nhân sự): the submission, the nominee's personal record and posts,
the last three years' classifications, the standards check and the conflicts with their explanations, every
step, the decision, the ledger.

It prints what the personnel services recorded: the steps' roll calls as the snapshots of their members'
ids, the vote-counting minutes as the clerk copied them, the threshold and citation each step stored when it
was recorded (the text in force on its meeting's date), never a result worked out again here.

The wider conference's results (a step recorded ``confidential``) are printed only in the version decided
when the report was requested (``params["confidential"]``, see ``nomination_params``): for a requester who
may see them on the nomination's organization, or once the nomination has finished. Otherwise the step keeps
its meeting and roll call, and its counts and votes read "Kết quả không công bố".

The ledger part is the ledger as of the report's data: the entries recorded and the checkpoints signed by
then (both append-only), so a later entry or checkpoint does not change a stored record.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from common.ids import parse_pk
from common.reasons import Reason, Refused
from organizations import access
from organizations.models import Membership, Person, Tenure
from personnel import rules
from personnel.checking import judged, standards_facts
from personnel.models import EntryKind, LedgerCheckpoint, Nomination, ProcedureStep, ResponsibilityEntry
from personnel.permissions import VIEW_CONFIDENTIAL, VIEW_PERSONNEL
from personnel.reasons import OUTCOME_LABELS, PROGRAM_LABELS, SEVERITY_LABELS, STANDARD_ITEM_LABELS, step_label
from regulations.citations import citation_text, reason_text

from .governance import _superior

PROGRAM_PARTS = ("work", "people", "schedule", "results", "responsibility")


def _nominations():
    return Nomination.objects.select_related(
        "organization", "target", "position", "nominee", "nominator", "nominator_tenure__position",
        "nominator_tenure__organization", "dismissed_tenure__position", "dismissed_tenure__organization",
        "decision__organization", "decision__meeting__body", "appointed_tenure", "corrects__nominee")


def nomination_params(organization, params: dict[str, Any], actor) -> dict[str, Any]:
    """The parameters a nomination's record is rendered from, decided now, inside the request's transaction.

    The nomination is locked and its state read under the lock; the requester must see personnel work of the
    nomination's organization; whether the wider conference's results are printed is decided from the
    requester's permission and the nomination's state now, and kept, so the worker renders that version.
    """
    key = parse_pk(params.get("nomination"))
    nomination = (Nomination.objects.select_for_update(of=("self",)).select_related("organization")
                  .filter(pk=key, organization__path__startswith=organization.path).first()
                  if key is not None else None)
    if nomination is None:
        raise Refused.because("report_outside_scope", org=organization.name)
    access.authorize(actor, VIEW_PERSONNEL, nomination.organization)
    return {"nomination": nomination.pk, "confidential": confidential_shown(actor, nomination)}


def confidential_shown(user, nomination: Nomination) -> bool:
    """Whether ``user`` may read the wider conference's results of ``nomination`` (RULES.md, step 2)."""
    if nomination.finished:
        return True
    try:
        access.authorize(user, VIEW_CONFIDENTIAL, nomination.organization)
    except Refused:
        return False
    return True


def _names(steps: list[ProcedureStep]) -> dict[int, Person]:
    ids = {pk for step in steps for pk in (*step.convened, *step.present)}
    return {p.pk: p for p in Person.objects.filter(pk__in=ids).only("pk", "full_name", "sort_name")}


def _roll(step: ProcedureStep, people: dict[int, Person]) -> list[dict[str, Any]]:
    """The step's convened members in name order, each present or not (the snapshot of its recording)."""
    present = set(step.present)
    rows = [{"pk": pk, "name": people[pk].full_name if pk in people else f"#{pk}",
             "sort": people[pk].sort_name if pk in people else "", "present": pk in present}
            for pk in step.convened]
    return sorted(rows, key=lambda row: (row["sort"], row["pk"]))


def _threshold(step: ProcedureStep) -> dict[str, Any]:
    stored = step.threshold or {}
    cite = stored.get("cite") or {}
    shown: dict[str, Any] = {
        "citation": citation_text(cite.get("code", ""), cite.get("ref", "")) if cite.get("code") else "",
        "quorum_needed": stored.get("quorum_needed"),
    }
    if "needed" in stored:
        shown.update(needed=stored["needed"], base=stored.get("base"), base_kind=stored.get("base_kind"),
                     fraction=f"{stored.get('num')}/{stored.get('den')}")
    return shown


def _reasons(stored: list[dict] | None) -> list[dict[str, str]]:
    shown = []
    for item in stored or []:
        message, cited = reason_text(Reason.from_json(item))
        shown.append({"message": message, "citation": cited})
    return shown


def _step(step: ProcedureStep, people: dict[int, Person], show_confidential: bool) -> dict[str, Any]:
    hidden = step.confidential and not show_confidential
    roll = _roll(step, people)
    votes = sorted(step.votes, key=lambda v: (-int(v.get("votes", 0)), str(v.get("name", ""))))
    return {
        "s": step, "label": step_label(step.code), "meeting": step.meeting, "hidden": hidden,
        "roll": roll, "convened": len(step.convened), "present": len(step.present),
        "absent": len(step.convened) - len(step.present),
        "votes": [] if hidden else votes, "threshold": _threshold(step),
        "reasons": [] if hidden else _reasons(step.reasons),
        "nominee_votes": None if hidden else step.nominee_votes(),
    }


def _covering(entries_qs, as_of) -> tuple[list[ResponsibilityEntry], dict[int, LedgerCheckpoint]]:
    """The entries, each with the id of the latest checkpoint (signed by ``as_of``) whose size reaches its seq;
    and those checkpoints. Two queries whatever the number of entries or checkpoints."""
    latest = (LedgerCheckpoint.objects.filter(size__gte=OuterRef("seq"), signed_at__lte=as_of)
              .order_by("-signed_at", "-pk").values("pk")[:1])
    entries = list(entries_qs.annotate(checkpoint_id=Subquery(latest)).order_by("seq"))
    ids = {e.checkpoint_id for e in entries if e.checkpoint_id}
    checkpoints = {c.pk: c for c in LedgerCheckpoint.objects.filter(pk__in=ids)} if ids else {}
    return entries, checkpoints


def nomination_context(params: dict[str, Any], as_of) -> dict[str, Any]:
    """What the record shows, read in a fixed number of queries whatever the number of steps or entries."""
    key = parse_pk(params.get("nomination"))
    nomination = _nominations().filter(pk=key).first() if key is not None else None
    if nomination is None:
        raise Refused.because("report_nomination_gone")
    show = bool(params.get("confidential"))
    steps = list(nomination.steps.select_related("meeting__body__organization", "settled_by").order_by("number"))
    people = _names(steps)
    entries, checkpoints = _covering(
        ResponsibilityEntry.objects.filter(nomination=nomination, recorded_at__lte=as_of), as_of)
    specs = rules.steps_for(nomination.kind, nomination.source)
    basis = specs[0].cite.on(nomination.introduced_on) if nomination.introduced_on else specs[0].cite
    program = nomination.action_program or {}
    org = nomination.organization
    on = timezone.localdate(as_of) if timezone.is_aware(as_of) else as_of.date()
    return {
        **_dossier(nomination, on, entries),
        "n": nomination, "org": org, "superior": _superior(org),
        "basis": citation_text(basis.code, basis.ref),
        "program": [{"label": PROGRAM_LABELS[part], "text": program.get(part, "")} for part in PROGRAM_PARTS],
        "steps": [_step(step, people, show) for step in steps],
        "pending": [step_label(spec.code) for spec in specs if spec.number > max((s.number for s in steps), default=0)],
        "show_confidential": show,
        "any_confidential": any(step.confidential for step in steps),
        "decision": nomination.decision,
        "ledger": [{"e": e, "checkpoint": checkpoints.get(e.checkpoint_id), "step": (e.data or {}).get("step")}
                   for e in entries],
        "checkpoints": sorted(checkpoints.values(), key=lambda c: (c.size, c.pk)),
    }


def _dossier(nomination: Nomination, on, entries: list[ResponsibilityEntry]) -> dict[str, Any]:
    """The dossier's parts beyond the record: the nominee's personal record and posts, the last three years'
    classifications, and the standards check with the conflicts as they stood on the report's day, with the
    explanations and acknowledgments the ledger holds by then. Two queries and the check's six."""
    from assessments.choices import Level

    person = nomination.nominee
    tenures = list(Tenure.objects.filter(person=person).select_related("position", "organization")
                   .order_by("start", "pk"))
    membership = Membership.objects.filter(person=person).select_related("organization").order_by("-start").first()
    facts = standards_facts(nomination, on) if not nomination.dismissal else None
    items = judged(facts) if facts else []
    labels = dict(Level.choices)
    explained = [{"on": e.occurred_on, "step": (e.data or {}).get("step"),
                  "text": (e.data or {}).get("explanation", ""),
                  "warnings": [reason_text(Reason.from_json(w))[0] for w in (e.data or {}).get("warnings", [])]}
                 for e in entries if e.kind == EntryKind.STANDARDS_EXPLAINED]
    return {
        "person": person, "membership": membership, "tenures": tenures,
        "classifications": [{"year": y, "level": labels.get(dict(facts.classifications).get(y), "—")}
                            for y in facts.years] if facts else [],
        "standards": [{"label": STANDARD_ITEM_LABELS.get(i.code, i.code), "outcome": OUTCOME_LABELS[i.outcome],
                       "failed": i.outcome == "failed", "severity": SEVERITY_LABELS[i.severity],
                       "reasons": [reason_text(r) for r in i.reasons]} for i in items],
        "explained": explained, "checked_on": on,
    }
