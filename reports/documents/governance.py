"""The governance documents: a meeting's minutes, and the register of decisions of a subtree over a date range.

Both show what the governance services recorded: the roll call as the clerk
saved it, each decision with its votes and the outcome and reasons the rules
gave when it was recorded (``Decision.status`` and ``Decision.reasons``), never
an outcome worked out again here. Each reads in a fixed number of queries,
whatever the number of members, agenda items or decisions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch

from common.ids import parse_pk
from common.reasons import Reason, Refused
from governance import rules
from governance.models import AgendaItem, Attendance, Decision, DecisionKind, DecisionStatus, Meeting
from governance.selectors import decision_register
from organizations.models import Organization
from regulations.citations import citation_text, reason_text
from regulations.models import Citation

# Reasons that say the wrong body or person decided (not a fault of the count or of the procedure).
WRONG_AUTHORITY = frozenset({"wrong_body", "head_matter_in_meeting", "collective_matter", "signatory_post",
                             "signatory_deputy"})


def _superior(organization: Organization) -> Organization | None:
    """The organization above (the first line of the heading), one query."""
    return Organization.objects.filter(path=organization.parent_path).first() if organization.depth > 1 else None


def _reasons(stored: list[dict] | None) -> list[dict[str, Any]]:
    """The stored reasons as they read: sentence, cited provision, and whether it is about authority."""
    shown = []
    for item in stored or []:
        reason = Reason.from_json(item)
        message, cited = reason_text(reason)
        shown.append({"message": message, "citation": cited, "authority": reason.code in WRONG_AUTHORITY})
    return shown


def _row(d: Decision) -> dict[str, Any]:
    """A decision with its reasons as they read, flagged when the wrong body or person decided."""
    reasons = _reasons(d.reasons)
    return {"d": d, "reasons": reasons, "wrong_authority": any(r["authority"] for r in reasons)}


# --- the minutes --------------------------------------------------------------------------


def _citations() -> Prefetch:
    return Prefetch("matter__citations", queryset=Citation.objects.select_related("document").order_by("order", "pk"))


def meeting_for_minutes(pk) -> Meeting | None:
    """The meeting with everything its minutes show: six queries for any size of meeting."""
    key = parse_pk(pk)
    if key is None:
        return None
    decisions = (Decision.objects.select_related("matter", "concerns", "corrects")
                 .prefetch_related("recused", _citations()).order_by("pk"))
    return (Meeting.objects.filter(pk=key)
            .select_related("body__organization", "approved_by__person")
            .prefetch_related(
                Prefetch("attendance", queryset=Attendance.objects.select_related("person")
                         .order_by("person__sort_name", "person_id")),
                Prefetch("agenda", queryset=AgendaItem.objects.select_related("matter").order_by("order")),
                Prefetch("decisions", queryset=decisions))
            .first())


def _approver(meeting: Meeting) -> str:
    user = meeting.approved_by
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.full_name if person is not None else (user.get_full_name() or user.get_username())


def minutes_context(params: dict) -> dict:
    meeting = meeting_for_minutes(params.get("meeting"))
    if meeting is None:
        raise Refused.because("report_meeting_gone")
    org = meeting.body.organization
    convened = list(meeting.attendance.all())
    voters = [a for a in convened if a.voting]
    present_voters = sum(a.present for a in voters)
    # The meeting's quorum under the default rule; each decision's own outcome is the one recorded with it.
    needed = rules.quorum_needed(len(voters))
    quorum_cite = rules.QUORUM.on(meeting.date)
    return {
        "meeting": meeting, "org": org, "superior": _superior(org),
        "convened": convened,
        "present": [a for a in convened if a.present],
        "absent": [a for a in convened if not a.present],
        "voters": len(voters), "present_voters": present_voters,
        "quorum": {"needed": needed, "met": rules.quorum_met(present_voters, len(voters)),
                   "citation": citation_text(quorum_cite.code, quorum_cite.ref)},
        "agenda": list(meeting.agenda.all()),
        "decisions": [{**_row(d), "citations": [c.text() for c in d.matter.citations.all()]}
                      for d in meeting.decisions.all()],
        "approved": meeting.frozen, "approver": _approver(meeting),
    }


# --- the register of decisions -------------------------------------------------------------


def _day(params: dict, key: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(params.get(key, "")))
    except ValueError as bad:
        raise Refused.because("report_register_dates") from bad


def register_decisions(organization: Organization, start: dt.date, end: dt.date) -> list[Decision]:
    """Every decision of the subtree dated in [start, end], by date then organization: one query.

    The rows of the register page (``governance.selectors.decision_register``), with what the printed
    register shows besides: the body that voted, the post that gave the signatory authority, the corrected one.
    """
    return list(decision_register(organization).filter(date__range=(start, end))
                .select_related("meeting__body", "signatory_tenure__position", "corrects")
                .order_by("date", "organization__path", "pk"))


def register_context(organization: Organization, params: dict) -> dict:
    start, end = _day(params, "from"), _day(params, "to")
    if end < start:
        raise Refused.because("report_register_dates")
    decisions = register_decisions(organization, start, end)
    rows = [_row(d) for d in decisions]
    collective = sum(1 for d in decisions if d.kind == DecisionKind.COLLECTIVE)
    counts = {status: sum(1 for d in decisions if d.status == status) for status in DecisionStatus.values}
    return {
        "org": organization, "superior": _superior(organization), "start": start, "end": end, "rows": rows,
        "total": len(rows), "collective": collective, "individual": len(rows) - collective,
        "valid": counts[DecisionStatus.VALID], "not_passed": counts[DecisionStatus.NOT_PASSED],
        "irregular": counts[DecisionStatus.IRREGULAR],
        "wrong_authority": sum(1 for row in rows if row["wrong_authority"]),
    }
