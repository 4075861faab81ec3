"""Every write of personnel work: planning, nominations, their steps, the appointment; each with its ledger entry.

Each service runs in one transaction, locks the nomination (or planning entry) whose state it checks before
checking it, authorizes its actor on the object under that lock, and appends to the responsibility ledger in
the same transaction. A step's result follows from the clerk's counts and the thresholds of the text in force
on the meeting's date: no service takes a result as input. Refusals are codes with parameters and citations
(``personnel.reasons``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from audit.services import audit_record
from common.actors import is_system
from common.reasons import Reason, Refused, as_json
from governance.models import Decision, DecisionStatus, Field, Meeting
from organizations import services as org_services
from organizations.access import authorize, can
from organizations.models import (
    Body,
    BodyKind,
    Membership,
    Organization,
    Person,
    Position,
    PositionRole,
    Tenure,
    today,
)
from regulations.models import Document

from . import rules, standards
from .checking import standards_for
from .conflicts import art_20_reasons, relatives
from .ledger import ledger_append
from .models import (
    EntryKind,
    Nomination,
    NominationKind,
    NominationState,
    PlanningEntry,
    ProcedureStep,
    ResponsibilityEntry,
    Source,
    StandardsNote,
    StepResult,
)
from .permissions import ASSESS_STANDARDS, INTRODUCE, MANAGE_PERSONNEL

# The "5 clear" headings of an action program (Hai Duong practice; the province edits the prompts).
PROGRAM_PARTS = ("work", "people", "schedule", "results", "responsibility")


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _refuse_future(code: str, day: dt.date) -> None:
    if day > today():
        raise Refused.because(code, d=day.isoformat())


def _at_or_above(upper: Organization, lower: Organization) -> bool:
    return lower.path.startswith(upper.path)


# --- planning -----------------------------------------------------------------------------------------


def planning_add(*, organization: Organization, person: Person, position: Position, term: str, added_on: dt.date,
                 added_ref: str, added_by: Organization, actor) -> PlanningEntry:
    """Plan ``person`` for ``position`` in ``organization`` for ``term``, by the decision ``added_ref`` of
    ``added_by`` (the organization itself or a level above it)."""
    term, added_ref = term.strip(), added_ref.strip()
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).get()  # one act on its list at a time
        authorize(actor, MANAGE_PERSONNEL, organization)
        _check_planning(organization, person, position, term, added_on, added_ref, added_by)
        entry = PlanningEntry.objects.create(organization=organization, person=person, position=position,
                                             term=term, added_on=added_on, added_ref=added_ref, added_by=added_by)
        audit_record(actor=actor, action="planning.add", obj=entry, summary=f"{person} · {position} · {term}",
                     data={"person": person.pk, "position": position.pk, "term": term,
                           "added_on": added_on.isoformat(), "added_ref": added_ref, "added_by": added_by.pk})
    return entry


def planning_reasons(organization: Organization, person: Person, position: Position, term: str,
                     added_on: dt.date | None, added_ref: str, added_by: Organization | None) -> list[Reason]:
    """Why an entry may not be added (a preview of an import reads the same reasons)."""
    reasons = []
    if not term:
        reasons.append(Reason("planning_term_missing"))
    if not added_ref:
        reasons.append(Reason("planning_decision_missing"))
    if added_on is None:
        reasons.append(Reason("planning_date_missing"))
    elif added_on > today():
        reasons.append(Reason("planning_date_ahead", {"d": added_on.isoformat()}))
    if added_by is not None and not _at_or_above(added_by, organization):
        cited = rules.PLANNING.on(added_on or today())
        reasons.append(Reason("planning_decider_not_above", {"by": str(added_by), "org": str(organization)},
                              cited.code, cited.ref))
    if term and PlanningEntry.objects.filter(organization=organization, person=person, position=position,
                                             term=term, removed_on__isnull=True).exists():
        reasons.append(Reason("planning_already", {"p": str(person), "pos": str(position), "term": term}))
    return reasons


def _check_planning(organization, person, position, term, added_on, added_ref, added_by) -> None:
    reasons = planning_reasons(organization, person, position, term, added_on, added_ref, added_by)
    if reasons:
        raise Refused(reasons)


def planning_remove(*, entry: PlanningEntry, removed_on: dt.date, removed_ref: str, removed_by: Organization,
                    reason: str, actor) -> PlanningEntry:
    """Take a person out of the planning by a recorded decision (the row stays, with who removed it)."""
    with transaction.atomic():
        entry = PlanningEntry.objects.select_for_update(of=("self",)) \
            .select_related("organization", "person", "position").get(pk=entry.pk)
        authorize(actor, MANAGE_PERSONNEL, entry.organization)
        if entry.removed_on is not None:
            raise Refused.because("planning_already_removed", d=entry.removed_on.isoformat())
        _refuse_future("planning_date_ahead", removed_on)
        if removed_on < entry.added_on:
            raise Refused.because("planning_removed_before_added", d=entry.added_on.isoformat())
        if not removed_ref.strip():
            raise Refused.because("planning_decision_missing")
        if not _at_or_above(removed_by, entry.organization):
            cited = rules.PLANNING.on(removed_on)
            raise Refused.because("planning_decider_not_above", by=str(removed_by), org=str(entry.organization),
                                  cite=(cited.code, cited.ref))
        entry.removed_on, entry.removed_ref, entry.removed_by = removed_on, removed_ref.strip(), removed_by
        entry.removal_reason = reason.strip()
        entry.save(update_fields=["removed_on", "removed_ref", "removed_by", "removal_reason"])
        audit_record(actor=actor, action="planning.remove", obj=entry,
                     summary=f"{entry.person} · {entry.position} · {entry.term}",
                     data={"removed_on": removed_on.isoformat(), "removed_ref": entry.removed_ref,
                           "removed_by": removed_by.pk})
    return entry


# --- the pilot ----------------------------------------------------------------------------------------


def pilot_document() -> Document | None:
    """Regulation 142 as the catalog holds it: its end date is read from there, never written in code.

    Numbers restart with each term, so a later text numbered 142-QĐ/TW is another text: the pilot is the one
    issued on ``rules.PILOT_ISSUED`` (or, should the catalog not date it, the only one of that number)."""
    documents = Document.objects.filter(code=rules.PILOT.code)
    dated = documents.filter(issue_date=rules.PILOT_ISSUED).first()
    if dated is not None:
        return dated
    candidates = list(documents[:2])
    return candidates[0] if len(candidates) == 1 else None


def pilot_in_force(on: dt.date) -> tuple[bool, dt.date | None]:
    document = pilot_document()
    if document is None:
        return False, None
    return Document.objects.in_force_on(on).filter(pk=document.pk).exists(), document.effective_to


def pilot_scope() -> tuple[str, ...]:
    """The levels where the province lets heads use the 142 power (a setting; RULES.md: open for communes)."""
    return tuple(settings.PERSONNEL_PILOT_SCOPE)


def organization_level(organization: Organization) -> str:
    parent_level = None
    if organization.kind == "agency" and organization.depth > 1:
        parent = Organization.objects.get_parent(organization)
        parent_level = organization_level(parent)
    return rules.level_of(organization.kind, organization.depth, parent_level)


def pilot_reasons(organization: Organization, kind: str, on: dt.date) -> list[Reason]:
    in_force, ends = pilot_in_force(on)
    # The end is named only when it is why (a day before the pilot began, or after a replacement, is not "after
    # its end").
    ended = ends is not None and on > ends
    return rules.pilot_reasons(level=organization_level(organization), scope=pilot_scope(), in_force=in_force,
                               ends_on=ends.isoformat() if ended else None, on=on.isoformat(), kind=kind)


def head_tenure_on(person: Person, organization: Organization, on: dt.date) -> Tenure | None:
    """The head's tenure ``person`` holds in ``organization`` on ``on`` (a substantive one first)."""
    return (Tenure.objects.filter(person=person, organization=organization, position__role=PositionRole.HEAD)
            .active_on(on).order_by("acting", "start").first())


def planning_requirement(nomination: Nomination, on: dt.date) -> list[Reason]:
    """377: an internal candidate planned for the post or an equivalent or higher one in the organization;
    an external one for an equivalent or higher post anywhere. An exception needs a recorded decision."""
    if nomination.dismissal or nomination.planning_exception_ref.strip():
        return []
    standing = PlanningEntry.objects.standing_on(on).filter(person_id=nomination.nominee_id)
    rows = list(standing.values_list("organization_id", "position__rank"))
    same = [rank for org, rank in rows if org == nomination.target_id]
    other = [rank for org, rank in rows if org != nomination.target_id]
    if rules.planning_met(source=nomination.source, post_rank=nomination.position.rank, same_org_ranks=same,
                          other_org_ranks=other):
        return []
    cited = rules.PLANNING.on(on)
    code = "planning_required_internal" if nomination.source == Source.INTERNAL else "planning_required_external"
    return [Reason(code, {"p": str(nomination.nominee), "pos": str(nomination.position),
                          "org": str(nomination.target)}, cited.code, cited.ref)]


# --- nominations --------------------------------------------------------------------------------------


DRAFT_FIELDS = ("rationale", "action_program", "grounds", "procedure", "planning_exception_ref", "source",
                "nominator")


def _program(value: dict | None) -> dict[str, str]:
    value = value or {}
    return {part: str(value.get(part, "") or "").strip() for part in PROGRAM_PARTS}


# The posts each kind is for: a deputy's appointment is of a deputy (142 Art. 3), Art. 5 of a unit's head.
KIND_ROLES = {NominationKind.DEPUTY: PositionRole.DEPUTY, NominationKind.SUBORDINATE_HEAD: PositionRole.HEAD,
              NominationKind.SUBORDINATE_DISMISSAL: PositionRole.HEAD}


def _kind_cite(kind: str, on: dt.date) -> rules.Cite:
    """The text a nomination of ``kind`` rests on: its article of 142, or the standard procedure in force."""
    cited = rules.steps_for(kind, Source.INTERNAL)[0].cite
    return cited.on(on)


def _check_target(kind: str, organization: Organization, target: Organization) -> None:
    if kind in (NominationKind.SUBORDINATE_HEAD, NominationKind.SUBORDINATE_DISMISSAL):
        if target.parent_path != organization.path:
            raise Refused.because("nomination_target_not_subordinate", t=str(target), org=str(organization),
                                  cite=(rules.ART_5.code, rules.ART_5.ref))
    elif target.pk != organization.pk:
        raise Refused.because("nomination_target_not_own", t=str(target), org=str(organization))


def _check_position(kind: str, position: Position) -> None:
    role = KIND_ROLES.get(kind)
    if role is not None and position.role != role:
        cited = _kind_cite(kind, today())
        raise Refused.because("nomination_position_role", pos=str(position), role=role, k=kind,
                              cite=(cited.code, cited.ref))


def _authorize_drafting(actor, organization: Organization) -> None:
    """The office drafts; a head may draft their own introduction."""
    if is_system(actor):
        return
    try:
        authorize(actor, MANAGE_PERSONNEL, organization)
    except Refused:
        authorize(actor, INTRODUCE, organization)


def nomination_draft(*, organization: Organization, kind: str, position: Position, nominee: Person, source: str,
                     actor, target: Organization | None = None, nominator: Person | None = None,
                     rationale: str = "", action_program: dict | None = None,
                     dismissed_tenure: Tenure | None = None, grounds: str = "", procedure: str = "",
                     planning_exception_ref: str = "", corrects: Nomination | None = None) -> Nomination:
    """A draft nomination: one person for one post. A second open one for the post is refused (and the
    database refuses it too, should two arrive at once)."""
    target = target or organization
    if kind not in NominationKind.values:
        raise Refused.because("nomination_kind_unknown", k=kind)
    if source not in Source.values:
        raise Refused.because("nomination_source_unknown", s=source)
    dismissal = kind == NominationKind.SUBORDINATE_DISMISSAL
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=target.pk).get()  # the post's nominations, one at a time
        _authorize_drafting(actor, organization)
        _check_target(kind, organization, target)
        if kind != NominationKind.STANDARD and nominator is None and not is_system(actor) \
                and can(actor, INTRODUCE, organization):
            nominator = getattr(actor, "person", None)  # the head drafting their own introduction
        if dismissal:
            if dismissed_tenure is not None:
                dismissed_tenure = Tenure.objects.select_related("position").get(pk=dismissed_tenure.pk)
            if dismissed_tenure is None or dismissed_tenure.person_id != nominee.pk \
                    or dismissed_tenure.organization_id != target.pk or dismissed_tenure.end is not None:
                raise Refused.because("dismissal_tenure_missing", p=str(nominee), t=str(target),
                                      cite=(rules.ART_5.code, rules.ART_5.ref))
            position = dismissed_tenure.position
        _check_position(kind, position)
        _refuse_open(target, position, dismissal, kind)
        nomination = Nomination(
            organization=organization, target=target, kind=kind, position=position, dismissal=dismissal,
            nominee=nominee, nominator=nominator if kind != NominationKind.STANDARD else None, source=source,
            rationale=rationale.strip(), action_program=_program(action_program), dismissed_tenure=dismissed_tenure,
            grounds=grounds.strip(), procedure=procedure.strip(),
            planning_exception_ref=planning_exception_ref.strip(), corrects=corrects, created_by=_user(actor))
        try:
            with transaction.atomic():
                nomination.save()
        except IntegrityError as exc:  # another clerk opened one for the post a moment ago
            cited = _one_per_post_cite(kind)
            raise Refused.because("nomination_post_taken", pos=str(position), t=str(target),
                                  cite=(cited.code, cited.ref)) from exc
        audit_record(actor=actor, action="nomination.draft", obj=nomination, summary=str(nomination),
                     data={"kind": kind, "source": source, "nominee": nominee.pk,
                           "nominator": nominator.pk if nominator else None, "position": position.pk,
                           "target": target.pk, "corrects": corrects.pk if corrects else None})
    return nomination


def _one_per_post_cite(kind: str) -> rules.Cite:
    """One person for one post: 142 Art. 3 for the head's powers, step 3 of the standard procedure otherwise."""
    return rules.PROCEDURE.on(today()) if kind == NominationKind.STANDARD else rules.ART_3


def _refuse_open(target: Organization, position: Position, dismissal: bool, kind: str,
                 exclude: int | None = None) -> None:
    other = Nomination.objects.open().filter(target=target, position=position, dismissal=dismissal) \
        .exclude(pk=exclude).select_related("nominee").first()
    if other is not None:
        cited = _one_per_post_cite(kind)
        raise Refused.because("nomination_post_open", pos=str(position), t=str(target), p=str(other.nominee),
                              cite=(cited.code, cited.ref))


def _lock(nomination: Nomination) -> Nomination:
    # Only the nomination's row (``of``): PostgreSQL cannot lock the nullable side of the nominator's outer join.
    return (Nomination.objects.select_for_update(of=("self",))
            .select_related("organization", "target", "position", "nominee", "nominator").get(pk=nomination.pk))


def nomination_change(*, nomination: Nomination, actor, **fields: Any) -> Nomination:
    """Change a draft; an introduced nomination is never edited (a mistake is corrected by a new act)."""
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        nomination = _lock(nomination)
        _authorize_drafting(actor, nomination.organization)
        if nomination.state != NominationState.DRAFT:
            raise Refused.because("nomination_not_draft", s=nomination.state)
        if "source" in fields and fields["source"] not in Source.values:
            raise Refused.because("nomination_source_unknown", s=fields["source"])
        if nomination.kind == NominationKind.STANDARD:
            fields.pop("nominator", None)  # the standard procedure is the collective's: no head's introduction
        for name, value in fields.items():
            if name == "action_program":
                value = _program(value)
            elif isinstance(value, str):
                value = value.strip()
            setattr(nomination, name, value)
        nomination.save(update_fields=list(fields))
        audit_record(actor=actor, action="nomination.change", obj=nomination, summary=str(nomination),
                     data={"fields": sorted(fields)})
    return nomination


def _power_cite(nomination: Nomination) -> rules.Cite:
    """The article of 142 whose power the nomination uses (3, 4 or 5): its first step's citation."""
    return rules.steps_for(nomination.kind, nomination.source)[0].cite


def introduction_reasons(nomination: Nomination, on: dt.date) -> list[Reason]:
    """Everything that stops an introduction on ``on``: the form shows them before the head signs."""
    reasons: list[Reason] = []
    if nomination.is_pilot:
        reasons += pilot_reasons(nomination.organization, nomination.kind, on)
        cited = _power_cite(nomination)
        if nomination.nominator_id is None or head_tenure_on(nomination.nominator, nomination.organization,
                                                             on) is None:
            reasons.append(Reason("introducer_not_head", {
                "p": str(nomination.nominator) if nomination.nominator_id else "", "org": str(nomination.organization),
                "d": on.isoformat()}, cited.code, cited.ref))
        if nomination.nominator_id == nomination.nominee_id:
            reasons.append(Reason("introducer_is_nominee", {}, cited.code, cited.ref))
    if nomination.dismissal:
        if not nomination.grounds or not nomination.procedure:
            reasons.append(Reason("dismissal_grounds_missing", {}, rules.ART_5.code, rules.ART_5.ref))
    else:
        missing = [part for part in PROGRAM_PARTS if not nomination.action_program.get(part)]
        if missing:
            reasons.append(Reason("action_program_missing", {"parts": missing}))
        reasons += planning_requirement(nomination, on)
        reasons += art_20_reasons(nomination, on)
    return reasons


def nomination_introduce(*, nomination: Nomination, on: dt.date, actor, explanation: str = "") -> Nomination:
    """The head introduces the person (142: it is step 1); for the standard procedure, the office opens it and
    step 1 is the leadership collective's meeting."""
    with transaction.atomic():
        nomination = _lock(nomination)
        person = getattr(actor, "person", None)
        if nomination.state == NominationState.DRAFT and nomination.is_pilot and nomination.nominator_id is None \
                and person is not None and not is_system(actor):
            nomination.nominator = person  # a draft the office prepared: the head introduces it in person
        if not (is_system(actor) or nomination.may_introduce(actor)):
            if nomination.is_pilot:
                cited = _power_cite(nomination)
                raise Refused.because("introducer_not_self", cite=(cited.code, cited.ref),
                                      org=str(nomination.organization))
            raise Refused.because("not_permitted", org=str(nomination.organization))
        if nomination.state != NominationState.DRAFT:
            raise Refused.because("nomination_not_draft", s=nomination.state)
        _refuse_future("nomination_date_ahead", on)
        reasons = introduction_reasons(nomination, on)
        if reasons:
            raise Refused(reasons)
        items = standards_for(nomination, on, planning=[])  # the planning requirement was just met
        warned = _check_standards(items, explanation, nomination)
        tenure = head_tenure_on(nomination.nominator, nomination.organization, on) if nomination.is_pilot else None
        nomination.introduce()
        nomination.introduced_on, nomination.nominator_tenure = on, tenure
        fields = ["state", "introduced_on", "nominator_tenure", "nominator"]
        if nomination.is_pilot:  # the introduction is step 1
            spec = rules.steps_for(nomination.kind, nomination.source)[0]
            ProcedureStep.objects.create(nomination=nomination, number=1, code=spec.code, held_on=on,
                                         result=StepResult.INTRODUCED, recorded_by=_user(actor),
                                         threshold={"cite": {"code": spec.cite.code, "ref": spec.cite.ref}})
            nomination.current_step = 1
            fields.append("current_step")
        nomination.save(update_fields=fields)
        ledger_append(nomination=nomination, kind=EntryKind.INTRODUCED, on=on, data={
            "kind": nomination.kind, "source": nomination.source, "position": nomination.position_id,
            "target": nomination.target_id, "tenure": tenure.pk if tenure else None,
            "dismissal": nomination.dismissal})
        _explained(nomination, warned, explanation, on, step=1)
        audit_record(actor=actor, action="nomination.introduce", obj=nomination, summary=str(nomination),
                     data={"on": on.isoformat(), "tenure": tenure.pk if tenure else None})
    return nomination


# --- the standards check ------------------------------------------------------------------------------


def _explained_before(nomination: Nomination) -> list[dict[str, Any]]:
    """The warnings already explained for ``nomination`` (in the ledger), each as its stored reason."""
    return [w for data in ResponsibilityEntry.objects.filter(nomination=nomination,
                                                             kind=EntryKind.STANDARDS_EXPLAINED)
            .values_list("data", flat=True) for w in (data or {}).get("warnings", [])]


def _new_warnings(items: list[standards.Item], nomination: Nomination) -> list[Reason]:
    """The warnings of ``items`` not explained before: an explanation holds for the same reason thereafter."""
    warned = standards.warnings(items)
    if not warned:
        return []
    before = _explained_before(nomination)
    return [r for r in warned if r.to_json() not in before]


def _check_standards(items: list[standards.Item], explanation: str, nomination: Nomination) -> list[Reason]:
    """A failed item that blocks refuses the act; a failed one that warns lets it go on only with a written
    explanation, once (the same warning explained before goes on). (The planning requirement and the action
    program are refused before, as they always were.)"""
    blocked = standards.blocking(items)
    if blocked:
        raise Refused(blocked)
    warned = _new_warnings(items, nomination)
    if warned and not explanation.strip():
        raise Refused([Reason("standards_explanation_missing", {"codes": [r.code for r in warned]}), *warned])
    return warned


def _explained(nomination: Nomination, warned: list[Reason], explanation: str, on: dt.date, *, step: int) -> None:
    """The explanation under which a warned nomination went on (``warned``: the new warnings
    ``_check_standards`` returned): an entry of the ledger, the nominator's."""
    if warned:
        ledger_append(nomination=nomination, kind=EntryKind.STANDARDS_EXPLAINED, on=on, data={
            "step": step, "warnings": [r.to_json() for r in warned], "explanation": explanation.strip()})


def standards_note_record(*, nomination: Nomination, standard: str, met: bool, note: str, actor) -> StandardsNote:
    """The organization board's judgement of one Regulation 144 standard for the nominee; a later note of the
    same standard supersedes it in the check (both stay). Not after the nomination has ended."""
    with transaction.atomic():
        nomination = _lock(nomination)
        authorize(actor, ASSESS_STANDARDS, nomination.organization)
        if standard not in standards.ETHICS_STANDARDS:
            raise Refused.because("standards_unknown", s=standard)
        if nomination.finished:
            raise Refused.because("nomination_closed")
        if not met and not note.strip():
            raise Refused.because("standards_note_missing", cite=(standards.ETHICS.code, standards.ETHICS.ref))
        row = StandardsNote.objects.create(nomination=nomination, standard=standard, met=met, note=note.strip(),
                                           recorded_by=_user(actor))
        audit_record(actor=actor, action="nomination.standards_note", obj=nomination, summary=str(nomination),
                     data={"standard": standard, "met": met})
    return row


# --- steps --------------------------------------------------------------------------------------------


def _works_at(person_id: int, organization: Organization, on: dt.date) -> bool:
    """Where an external nominee works: a post held there, or a membership of a cell there, on ``on``."""
    return (Tenure.objects.filter(person_id=person_id, organization=organization).active_on(on).exists()
            or Membership.objects.filter(person_id=person_id, organization__path__startswith=organization.path)
            .active_on(on).exists())


def _check_meeting(nomination: Nomination, spec: rules.StepSpec, meeting: Meeting, previous: dt.date | None
                   ) -> None:
    body = meeting.body
    cited = spec.cite.on(meeting.date)
    cite = (cited.code, cited.ref)
    if body.kind not in spec.bodies:
        raise Refused.because("step_wrong_body", body=body.kind, allowed=list(spec.bodies), n=spec.number,
                              cite=cite)
    if spec.where == "own":
        if body.organization_id != nomination.organization_id:
            raise Refused.because("step_wrong_organization", org=str(body.organization),
                                  own=str(nomination.organization), cite=cite)
    elif not _works_at(nomination.nominee_id, body.organization, meeting.date):
        raise Refused.because("step_not_where_nominee_works", org=str(body.organization), p=str(nomination.nominee),
                              cite=cite)
    used = nomination.steps.filter(meeting=meeting).values_list("number", flat=True).first()
    if used is not None:  # each step is a meeting of its own
        raise Refused.because("step_meeting_used", n=used, d=meeting.date.isoformat())
    if meeting.date > today():
        raise Refused.because("step_meeting_ahead", d=meeting.date.isoformat())
    if previous is not None and meeting.date < previous:
        raise Refused.because("step_before_previous", d=meeting.date.isoformat(), prev=previous.isoformat())


def _half_rule() -> str:
    return settings.PERSONNEL_HALF_VOTE


def step_record(*, nomination: Nomination, meeting: Meeting, counts: rules.Counts, actor, note: str = "",
                explanation: str = "") -> ProcedureStep:
    """The next step: a meeting of the right body and its vote-counting minutes; the result follows the counts.

    The convened and present members are copied from the meeting's roll call (a snapshot). Impossible counts,
    a meeting without 2/3 present, the wrong body, a nominee missing from the count: refused, nothing recorded.
    """
    with transaction.atomic():
        nomination = _lock(nomination)
        authorize(actor, MANAGE_PERSONNEL, nomination.organization)
        if nomination.state not in (NominationState.INTRODUCED, NominationState.AT_STEP):
            raise Refused.because("nomination_not_in_steps", s=nomination.state)
        pending = nomination.steps.filter(result=StepResult.TIE).first()
        if pending is not None:
            raise Refused.because("step_tie_pending", n=pending.number)
        number = nomination.current_step + 1
        spec = rules.step_spec(nomination.kind, nomination.source, number)
        if spec is None or spec.mode == "introduction":
            raise Refused.because("step_none_left", n=number)
        previous = nomination.steps.order_by("-number").values_list("held_on", flat=True).first() \
            or nomination.introduced_on
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("body__organization") \
            .get(pk=meeting.pk)
        _check_meeting(nomination, spec, meeting, previous)
        voters = list(meeting.attendance.filter(voting=True).values_list("person_id", "present"))
        convened = sorted(p for p, _ in voters)
        present = sorted(p for p, here in voters if here)
        # A member related to the nominee that day is recused: counted present, out of the ballot and the base.
        kin = relatives(nomination.nominee_id, convened, meeting.date)
        recused = sorted(kin)
        reasons = rules.count_reasons(counts, present=len([p for p in present if p not in kin]))
        if reasons:
            raise Refused(reasons)
        day = meeting.date.isoformat()
        reasons = rules.quorum_reasons(present=len(present), convened=len(convened), on=day,
                                       cited=rules.QUORUM.on(meeting.date))
        if spec.mode != "conference" and nomination.nominee_id not in dict(counts.votes):
            reasons.append(Reason("step_nominee_not_counted", {"p": str(nomination.nominee)}))
        if reasons:
            raise Refused(reasons)
        cited = spec.cite.on(meeting.date)
        base = len(convened) - len(recused)
        threshold = rules.threshold_for(spec.mode, members=base, convened=base, cited=cited)
        outcome = rules.outcome(mode=spec.mode, nominee=nomination.nominee_id, counts=counts, threshold=threshold,
                                half_rule=_half_rule())
        names = dict(Person.objects.filter(pk__in=[p for p, _ in counts.votes]).values_list("pk", "full_name"))
        if set(names) != {p for p, _ in counts.votes}:
            raise Refused.because("step_candidate_unknown")
        items = standards_for(nomination, meeting.date)
        warned = _check_standards(items, explanation, nomination)
        names_of = dict(Person.objects.filter(pk__in=recused).values_list("pk", "full_name")) if recused else {}
        step = ProcedureStep.objects.create(
            nomination=nomination, number=number, code=spec.code, meeting=meeting, held_on=meeting.date,
            convened=convened, present=present, ballots_issued=counts.issued, ballots_returned=counts.returned,
            ballots_valid=counts.valid, ballots_invalid=counts.invalid,
            votes=[{"person": p, "name": names[p], "votes": v} for p, v in counts.votes],
            result=outcome.result, confidential=spec.confidential, note=note.strip(), recorded_by=_user(actor),
            threshold={**(threshold.to_json() if threshold else {"cite": {"code": cited.code, "ref": cited.ref}}),
                       "half_rule": _half_rule(), "quorum_needed": rules.quorum_needed(len(convened))},
            reasons=as_json(outcome.reasons + ([Reason("conflict_voters_recused", {
                "names": [names_of[p] for p in recused], "relations": [kin[p] for p in recused]})] if recused else [])),
            standards=[item.to_json() for item in items], recused=recused)
        nomination.current_step = number
        ledger_append(nomination=nomination, kind=EntryKind.STEP, on=meeting.date, data=_step_data(step))
        _explained(nomination, warned, explanation, meeting.date, step=number)
        _follow_result(nomination, step, spec, outcome.result, actor)
        audit_record(actor=actor, action="nomination.step", obj=nomination, summary=str(nomination),
                     data={"step": number, "meeting": meeting.pk, "result": outcome.result})
    return step


def _step_data(step: ProcedureStep) -> dict[str, Any]:
    return {"step": step.number, "code": step.code, "meeting": step.meeting_id, "result": step.result,
            "convened": len(step.convened), "present": len(step.present), "issued": step.ballots_issued,
            "returned": step.ballots_returned, "valid": step.ballots_valid, "invalid": step.ballots_invalid,
            "votes": [[v["person"], v["votes"]] for v in step.votes], "threshold": step.threshold,
            "confidential": step.confidential}


def _follow_result(nomination: Nomination, step: ProcedureStep, spec: rules.StepSpec, result: str, actor) -> None:
    """Move the nomination as the step's result says: on, selected at the last step, or closed as not passed."""
    last = spec.number == rules.last_step(nomination.kind, nomination.source)
    fields = ["state", "current_step"]
    if result == StepResult.TIE:
        nomination.advance()  # waits at this step for the head's decision
    elif result == StepResult.NOT_PASSED:
        nomination.reject()
        nomination.closed_on = step.held_on
        fields.append("closed_on")
        ledger_append(nomination=nomination, kind=EntryKind.REJECTED, on=step.held_on, data={
            "step": step.number, "votes": [[v["person"], v["votes"]] for v in step.votes],
            "threshold": step.threshold})
    elif last:
        nomination.select()
        ledger_append(nomination=nomination, kind=EntryKind.SELECTED, on=step.held_on, data={"step": step.number})
    else:
        nomination.advance()
    nomination.save(update_fields=fields)


def step_settle_tie(*, step: ProcedureStep, selected: bool, actor) -> ProcedureStep:
    """Exactly 50%: the head of the organization on the meeting's day settles it (a setting, default so)."""
    with transaction.atomic():
        nomination = _lock(step.nomination)
        step = ProcedureStep.objects.select_for_update().get(pk=step.pk)
        authorize(actor, INTRODUCE, nomination.organization)
        if step.result != StepResult.TIE:
            raise Refused.because("step_no_tie", n=step.number)
        if nomination.state not in (NominationState.INTRODUCED, NominationState.AT_STEP):
            raise Refused.because("nomination_not_in_steps", s=nomination.state)
        head = getattr(actor, "person", None)
        if not is_system(actor) and (head is None or head_tenure_on(head, nomination.organization,
                                                                      step.held_on) is None):
            cited = rules.PROCEDURE.on(step.held_on)
            raise Refused.because("tie_not_head", org=str(nomination.organization), d=step.held_on.isoformat(),
                                  cite=(cited.code, cited.ref))
        if is_system(actor):
            head = nomination.organization.head_on(step.held_on)
        step.result, step.settled_by, step.settled_selected = StepResult.TIE_SETTLED, head, selected
        step.save(update_fields=["result", "settled_by", "settled_selected"])
        ledger_append(nomination=nomination, kind=EntryKind.TIE_SETTLED, on=today(), data={
            "step": step.number, "selected": selected, "head": head.pk if head else None})
        spec = rules.step_spec(nomination.kind, nomination.source, step.number)
        _follow_result(nomination, step, spec, StepResult.PASSED if selected else StepResult.NOT_PASSED, actor)
        audit_record(actor=actor, action="nomination.tie", obj=nomination, summary=str(nomination),
                     data={"step": step.number, "selected": selected})
    return step


# --- the end of the process -------------------------------------------------------------------------


def nomination_appoint(*, nomination: Nomination, decision: Decision, start: dt.date, actor) -> Nomination:
    """The competent level's decision (in the decision register) appoints the selected person, or dismisses
    the holder: the tenure starts (or ends) through the organizations services, in this transaction."""
    with transaction.atomic():
        nomination = _lock(nomination)
        authorize(actor, MANAGE_PERSONNEL, nomination.organization)
        if nomination.state != NominationState.SELECTED:
            raise Refused.because("nomination_not_selected", s=nomination.state)
        decision = Decision.objects.select_related("matter", "organization").get(pk=decision.pk)
        last = nomination.steps.order_by("-number").values_list("held_on", flat=True).first()
        if decision.status != DecisionStatus.VALID:
            raise Refused.because("appointment_decision_not_valid", s=decision.status)
        if decision.matter.field != Field.PERSONNEL:
            raise Refused.because("appointment_decision_not_personnel", m=decision.matter.code)
        if not _at_or_above(decision.organization, nomination.organization):
            raise Refused.because("appointment_decision_elsewhere", org=str(decision.organization))
        if last is not None and decision.date < last:
            raise Refused.because("appointment_before_steps", d=decision.date.isoformat(), last=last.isoformat())
        if start < decision.date:
            raise Refused.because("appointment_start_before_decision", d=decision.date.isoformat())
        # The tenure's reference to the decision, as a clerk writes it: its content and day (the day kept whole).
        day = f" ({decision.date:%d/%m/%Y})"
        ref = decision.title[:60 - len(day)] + day
        if nomination.dismissal:
            # Dismissed from ``start``: the post is held up to the day before, so a successor may start then.
            dismissed = Tenure.objects.get(pk=nomination.dismissed_tenure_id)
            if start <= dismissed.start:
                raise Refused.because("dismissal_before_tenure", d=dismissed.start.isoformat())
            tenure = org_services.tenure_end(tenure=dismissed, end=start - dt.timedelta(days=1), actor=actor,
                                             decision_ref=ref)
        else:
            body = None
            if nomination.kind == NominationKind.STANDING_SEAT:  # the seat is in the standing committee (Art. 4)
                body = Body.objects.filter(organization=nomination.target, kind=BodyKind.STANDING).first()
            tenure = org_services.tenure_start(person=nomination.nominee, position=nomination.position,
                                               organization=nomination.target, start=start, actor=actor,
                                               body=body, decision_ref=ref)
        nomination.appoint()
        nomination.decision, nomination.closed_on = decision, decision.date
        nomination.appointed_tenure = None if nomination.dismissal else tenure
        nomination.save(update_fields=["state", "decision", "closed_on", "appointed_tenure"])
        kind = EntryKind.DISMISSED if nomination.dismissal else EntryKind.APPOINTED
        ledger_append(nomination=nomination, kind=kind, on=decision.date, data={
            "decision": decision.pk, "tenure": tenure.pk, "start": start.isoformat()})
        if nomination.dismissal:  # a later event of whoever appointed the dismissed holder to that post
            for earlier in Nomination.objects.filter(appointed_tenure=nomination.dismissed_tenure,
                                                     state=NominationState.APPOINTED):
                ledger_append(nomination=earlier, kind=EntryKind.DISMISSAL, on=decision.date, data={
                    "event": "dismissal", "nomination": nomination.pk, "decision": decision.pk})
        audit_record(actor=actor, action="nomination.appoint", obj=nomination, summary=str(nomination),
                     data={"decision": decision.pk, "tenure": tenure.pk, "start": start.isoformat()})
    return nomination


def nomination_withdraw(*, nomination: Nomination, reason: str, on: dt.date, actor) -> Nomination:
    """The head (or the office) withdraws an open nomination, with the reason; it stays in the ledger."""
    with transaction.atomic():
        nomination = _lock(nomination)
        if not (is_system(actor) or nomination.may_withdraw(actor)):
            raise Refused.because("not_permitted", org=str(nomination.organization))
        if nomination.state not in (NominationState.DRAFT, NominationState.INTRODUCED, NominationState.AT_STEP,
                                    NominationState.SELECTED):
            raise Refused.because("nomination_closed", s=nomination.state)
        if not reason.strip():
            raise Refused.because("withdrawal_reason_missing")
        _refuse_future("nomination_date_ahead", on)
        was_draft = nomination.state == NominationState.DRAFT
        nomination.withdraw()
        nomination.withdrawal_reason, nomination.closed_on = reason.strip(), on
        nomination.save(update_fields=["state", "withdrawal_reason", "closed_on"])
        if not was_draft:
            ledger_append(nomination=nomination, kind=EntryKind.WITHDRAWN, on=on,
                          data={"step": nomination.current_step})
        audit_record(actor=actor, action="nomination.withdraw", obj=nomination, summary=str(nomination),
                     data={"on": on.isoformat(), "draft": was_draft})
    return nomination


def nomination_correct(*, nomination: Nomination, reason: str, on: dt.date, actor) -> Nomination:
    """A mistake in an introduced nomination: it is withdrawn with the reason, and a new draft that corrects it
    is opened with the same contents (one act, so the post is never left without its nomination)."""
    with transaction.atomic():
        old = nomination_withdraw(nomination=nomination, reason=reason, on=on, actor=actor)
        return nomination_draft(
            organization=old.organization, target=old.target, kind=old.kind, position=old.position,
            nominee=old.nominee, source=old.source, nominator=old.nominator, rationale=old.rationale,
            action_program=old.action_program, dismissed_tenure=old.dismissed_tenure, grounds=old.grounds,
            procedure=old.procedure, planning_exception_ref=old.planning_exception_ref, corrects=old, actor=actor)



# --- planning import ---
#
# A planning list uploaded as a file (``personnel.planning_imports`` reads it): each row is checked against the
# database by ``planning_import_check``, the same way for the preview and, again under the lock, for the commit,
# which writes every row or none. Lookups are a fixed number of queries whatever the number of rows.


def _import_people(actor, cards: set[str]) -> dict[str, Person]:
    """The people holding these cards among those ``actor`` may see: a card out of reach reads as unknown."""
    from organizations.access import people_for

    people = Person.objects.all() if is_system(actor) else people_for(actor)
    return {p.card_number: p for p in people.filter(card_number__in=cards)} if cards else {}


def _import_positions() -> tuple[dict[str, Position], dict[str, list[Position]]]:
    """Positions by code (any case) and by title (diacritics and case ignored): reference data, one query."""
    from common.text import fold

    by_code: dict[str, Position] = {}
    by_title: dict[str, list[Position]] = {}
    for p in Position.objects.all():
        by_code[p.code.lower()] = p
        by_title.setdefault(fold(p.title), []).append(p)
    return by_code, by_title


def planning_import_check(*, organization: Organization, rows: list[dict[str, Any]], actor
                          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each parsed row resolved (``person``, ``position``, ``decider``, ``day`` as objects), and the reasons a
    row may not be written, as ``{"row": n, "reason": {...}}``. Reads only."""
    from common.text import fold

    cards = {r["card"] for r in rows if r.get("card")}
    people = _import_people(actor, cards)
    by_code, by_title = _import_positions()
    deciders = {o.code.lower(): o for o in Organization.objects.filter(path__in=organization.ancestor_paths())}
    standing = set(PlanningEntry.objects.filter(organization=organization, removed_on__isnull=True,
                                                person__in=list(people.values()))
                   .values_list("person_id", "position_id", "term"))
    now = today()
    checked: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[int, int, str], int] = {}

    def bad(number: int, reason: str, **params: Any) -> None:
        errors.append({"row": number, "reason": Reason(reason, params).to_json()})

    for raw in rows:
        number = raw["row"]
        row = {"row": number, "card": raw.get("card", ""), "term": raw.get("term", ""), "ref": raw.get("ref", ""),
               "day": dt.date.fromisoformat(raw["day"]) if raw.get("day") else None,
               "person": None, "position": None, "decider": None}
        card = row["card"]
        if card:
            row["person"] = people.get(card)
            if row["person"] is None:  # alike for a card that does not exist and one out of reach
                bad(number, "planning_import_card_unknown", card=card)
        text = raw.get("position", "")
        if text:
            found = by_code.get(text.lower())
            titled = by_title.get(fold(text), [])
            if found is None and len(titled) == 1:
                found = titled[0]
            if found is None:
                bad(number, "planning_import_position_ambiguous" if titled else "planning_import_position_unknown",
                    v=text)
            row["position"] = found
        code = raw.get("decider", "")
        if code:
            row["decider"] = deciders.get(code.lower())
            if row["decider"] is None:
                bad(number, "planning_import_decider_unknown", v=code, org=str(organization))
        if row["day"] is not None and row["day"] > now:
            bad(number, "planning_date_ahead", d=row["day"].isoformat())
        person, position, term = row["person"], row["position"], row["term"]
        if person is not None and position is not None and term:
            key = (person.pk, position.pk, term)
            if key in seen:
                bad(number, "planning_import_duplicate", other=seen[key])
            else:
                seen[key] = number
                if key in standing:
                    bad(number, "planning_already", p=str(person), pos=str(position), term=term)
        checked.append(row)
    errors.sort(key=lambda e: e["row"] or 0)
    return checked, errors


def planning_import_preview(*, organization: Organization, rows: list[dict[str, Any]], actor
                            ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What a commit of ``rows`` would write, and why it would not: nothing is written."""
    authorize(actor, MANAGE_PERSONNEL, organization)
    return planning_import_check(organization=organization, rows=rows, actor=actor)


def planning_import_commit(*, organization: Organization, rows: list[dict[str, Any]], file_name: str, sha256: str,
                           actor, parse_errors: list[dict[str, Any]] | None = None) -> list[PlanningEntry]:
    """Write every row of a previewed list, or none: the rows are checked again under the lock of the
    organization's list (an entry may have been added since the preview). A refusal carries each row's reasons
    (``Refused.rows``)."""
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).get()  # one act on its list at a time
        authorize(actor, MANAGE_PERSONNEL, organization)
        checked, errors = planning_import_check(organization=organization, rows=rows, actor=actor)
        errors = sorted([*(parse_errors or []), *errors], key=lambda e: e["row"] or 0)
        if not rows or errors:
            by_row: dict[Any, list[Reason]] = {}
            for e in errors:
                by_row.setdefault(e["row"], []).append(Reason.from_json(e["reason"]))
            raise Refused([Reason("planning_import_refused", {"n": len(errors)})], rows=by_row)
        entries = [PlanningEntry(organization=organization, person=r["person"], position=r["position"],
                                 term=r["term"], added_on=r["day"], added_ref=r["ref"], added_by=r["decider"])
                   for r in checked]
        try:
            with transaction.atomic():
                PlanningEntry.objects.bulk_create(entries, batch_size=1000)
        except IntegrityError:  # the same person planned for the same post by another act meanwhile
            raise Refused.because("planning_import_changed") from None
        for entry in entries:
            audit_record(actor=actor, action="planning.add", obj=entry,
                         summary=f"{entry.person} · {entry.position} · {entry.term}",
                         data={"person": entry.person_id, "position": entry.position_id, "term": entry.term,
                               "added_on": entry.added_on.isoformat(), "added_ref": entry.added_ref,
                               "added_by": entry.added_by_id, "import": sha256})
        audit_record(actor=actor, action="planning.import", obj=organization, summary=file_name[:200],
                     note=Reason("planning_imported", {"n": len(entries), "org": str(organization)}),
                     data={"sha256": sha256, "count": len(entries), "entries": [e.pk for e in entries]})
    return entries
