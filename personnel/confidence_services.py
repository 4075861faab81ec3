"""Confidence votes: the list the portal proposes, the vote recorded from its minutes, and what follows.

One act, one transaction: ``confidence_record`` locks the organization, authorizes the office, checks the
meeting, the presence and the counts, records the vote and each cadre's result, ends the planning for higher
posts of a cadre over half low (a recorded act: the vote), and announces each such result as a later event of
the person (the responsibility ledger links it to whoever nominated them: ``personnel.ledger``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from audit.services import audit_record
from common.reasons import Reason, Refused, as_json
from governance.models import Meeting
from organizations import events
from organizations.access import authorize
from organizations.models import BodyKind, Organization, Tenure, today

from . import confidence, rules
from .models import ConfidenceResult, ConfidenceVote, PlanningEntry
from .permissions import MANAGE_PERSONNEL

VOTING_BODIES = (BodyKind.EXECUTIVE, BodyKind.STANDING, BodyKind.LEADERSHIP)


@dataclass(frozen=True)
class Proposed:
    tenure: Tenure
    left_out: str  # "" when on the list; else ``confidence.RETIRING`` or ``confidence.NEW_THIS_YEAR``


def confidence_proposal(organization: Organization, on: dt.date, retiring: set[int] = frozenset()
                        ) -> list[Proposed]:
    """Everyone holding a post in ``organization`` on ``on`` (their highest post), each with why they are left
    off the year's list, if they are: notified of retirement (``retiring``: tenure ids), or elected or
    appointed that year. Two queries."""
    held = (Tenure.objects.active_on(on).filter(organization=organization)
            .select_related("person", "position").order_by("person__sort_name", "person_id", "position__rank"))
    seen, proposed = set(), []
    for tenure in held:
        if tenure.person_id in seen:
            continue
        seen.add(tenure.person_id)
        proposed.append(Proposed(tenure, confidence.exemption(start=tenure.start, year=on.year,
                                                              retirement_notified=tenure.pk in retiring)))
    return proposed


def confidence_record(*, organization: Organization, meeting: Meeting, issued: int, returned: int,
                      rows: list[tuple[int, confidence.CadreCounts]], actor, retiring: set[int] = frozenset()
                      ) -> ConfidenceVote:
    """Record a confidence vote from its vote-counting minutes: ``rows`` are (tenure id, counts) of the cadres
    on the list. Refused, nothing recorded: another organization's meeting or body, a meeting ahead, under 2/3
    present, a cadre not on the list (or left off it), impossible counts."""
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        authorize(actor, MANAGE_PERSONNEL, organization)
        meeting = Meeting.objects.select_related("body").get(pk=meeting.pk)
        on = meeting.date
        cited = confidence.THRESHOLDS.on(on)
        if meeting.body.organization_id != organization.pk or meeting.body.kind not in VOTING_BODIES:
            raise Refused.because("confidence_wrong_body", org=str(organization), cite=(cited.code, cited.ref))
        if on > today():
            raise Refused.because("step_meeting_ahead", d=on.isoformat())
        if ConfidenceVote.objects.filter(meeting=meeting).exists():
            raise Refused.because("confidence_meeting_used", d=on.isoformat())
        voters = list(meeting.attendance.filter(voting=True).values_list("person_id", "present"))
        convened = sorted(p for p, _ in voters)
        present = sorted(p for p, here in voters if here)
        reasons = rules.quorum_reasons(present=len(present), convened=len(convened), on=on.isoformat(),
                                       cited=cited)
        proposal = {p.tenure.pk: p for p in confidence_proposal(organization, on, retiring)}
        for tenure_id, _counts in rows:
            chosen = proposal.get(tenure_id)
            if chosen is None:
                reasons.append(Reason("confidence_not_on_list", {"tenure": tenure_id}))
            elif chosen.left_out:
                reasons.append(Reason(f"confidence_left_out_{chosen.left_out}", {"p": str(chosen.tenure.person)},
                                      cited.code, cited.ref))
        if len({t for t, _ in rows}) != len(rows):
            reasons.append(Reason("ballots_candidate_twice"))
        if reasons:
            raise Refused(reasons)
        reasons = confidence.count_reasons(issued=issued, returned=returned, present=len(present), rows=[
            (str(proposal[t].tenure.person), c) for t, c in rows])
        if reasons:
            raise Refused(reasons)
        rule = settings.PERSONNEL_CONFIDENCE_BASE
        base = confidence.base_of(rule, issued=issued, returned=returned, convened=len(convened))
        vote = ConfidenceVote.objects.create(
            organization=organization, meeting=meeting, held_on=on, year=on.year, convened=convened,
            present=present, ballots_issued=issued, ballots_returned=returned, base_rule=rule,
            left_out=[{"tenure": p.tenure.pk, "person": p.tenure.person_id, "why": p.left_out}
                      for p in proposal.values() if p.left_out],
            recorded_by=actor if getattr(actor, "pk", None) else None)
        for tenure_id, counts in rows:
            tenure = proposal[tenure_id].tenure
            flags = confidence.outcome_reasons(str(tenure.person), counts.low, base, rule, on)
            result = ConfidenceResult.objects.create(
                vote=vote, person=tenure.person, tenure=tenure, high=counts.high, confidence=counts.confidence,
                low=counts.low, invalid=counts.invalid, base=base, outcome=confidence.outcome(counts.low, base),
                reasons=as_json(flags))
            if result.outcome != confidence.OK:
                _follow(result, on, actor)
        audit_record(actor=actor, action="confidence.record", obj=vote, summary=str(vote),
                     data={"meeting": meeting.pk, "results": len(rows), "base_rule": rule})
    return vote


def _follow(result: ConfidenceResult, on: dt.date, actor) -> None:
    """Over half low: out of the planning for higher posts (the vote is the recorded act), and a later event of
    the person, which the ledger links to whoever nominated them."""
    cited = confidence.CONSEQUENCES.on(on)
    higher = PlanningEntry.objects.standing_on(on).filter(person=result.person,
                                                          position__rank__lt=result.tenure.position.rank)
    ended = []
    for entry in higher.select_for_update(of=("self",)):
        entry.removed_on, entry.removed_by = on, result.vote.organization
        entry.removed_ref = f"Lấy phiếu tín nhiệm ngày {on:%d/%m/%Y}"[:60]
        # As the office would write it: the vote, its count, and the text it applies.
        entry.removal_reason = (f"Quá một nửa phiếu tín nhiệm thấp ({result.low}/{result.base}), "
                                f"{cited.code} và {confidence.THRESHOLDS.code}")
        entry.save(update_fields=["removed_on", "removed_by", "removed_ref", "removal_reason"])
        ended.append(entry.pk)
        audit_record(actor=actor, action="planning.remove", obj=entry, summary=f"{entry.person} · {entry.position}",
                     data={"removed_on": on.isoformat(), "confidence_result": result.pk})
    events.announce(events.PersonEvent("low_confidence", result.person_id, on, {
        "vote": result.vote_id, "low": result.low, "base": result.base, "outcome": result.outcome,
        "planning_ended": ended}))
