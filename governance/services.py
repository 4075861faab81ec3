"""Services of the working regulations: versions, meetings, attendance, decisions, minutes, assignments.

Every service that refuses to change a record in some state (an adopted
version, approved minutes, a decision already reported back) takes that row
with ``select_for_update()`` inside its transaction before reading the state:
lock, then check. Every decision is checked against the working regulation in
force on its date; a clerk cannot record as valid what fails a rule, only as
irregular, which puts it in the inspection committee's queue with its
reasons. Counts that cannot be true are refused always. Reasons are stored as
codes with parameters (``common.reasons``), citing the text in force on the
date of the act.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from audit.services import audit_record
from common.actors import is_system
from common.reasons import Reason, Refused, as_json
from organizations.access import authorize, can
from organizations.models import Body, BodyKind, Kinship, Organization, Person, PositionRole, Tenure, today
from regulations.citations import document_key, shared_codes
from regulations.models import Citation
from regulations.services import citations_build, citations_set

from . import rules
from .models import (
    AgendaItem,
    Assignment,
    Attendance,
    Decision,
    DecisionKind,
    DecisionStatus,
    Matter,
    Meeting,
    MeetingStatus,
    Mode,
    WorkingRegulation,
)
from .permissions import RECORD_DECISIONS, SIGN_DECISIONS


class DecisionRefused(Refused):
    """A rule failed: refused outright (``impossible`` counts), or unless recorded as irregular."""

    def __init__(self, reasons: list[Reason], impossible: bool = False):
        super().__init__(reasons)
        self.impossible = impossible


def _actor_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


# --- working regulation versions ---------------------------------------------


def _matter_refs(matter_provisions) -> list[tuple[str, str]]:
    return [(p["code"], p.get("ref", "")) for p in matter_provisions]


def _scope_of(organization_id: int) -> str:
    """The organization's path as it stands, read under its lock inside the citing transaction: a citation
    written while the organization moves waits for the move and is scoped by the new path."""
    return Organization.objects.select_for_update().filter(pk=organization_id).values_list("path", flat=True).get()


def _cite_matter(matter: Matter, refs: list[tuple[str, str]]) -> None:
    regulation = matter.regulation
    citations_set(obj=matter, refs=refs, label=matter.citation_label(), url=regulation.get_absolute_url(),
                  scope=_scope_of(regulation.organization_id))


def _summary(regulation: WorkingRegulation) -> str:
    """A version as the audit names it: its title and number, in no language (``str()`` says "phiên bản")."""
    return f"{regulation.title} #{regulation.version}"


def _lock_draft(regulation: WorkingRegulation, actor) -> WorkingRegulation:
    """The version, locked, its editor authorized; refused if adopted (checked after the lock, so an adoption
    cannot slip past)."""
    locked = WorkingRegulation.objects.select_for_update().select_related("organization").get(pk=regulation.pk)
    authorize(actor, RECORD_DECISIONS, locked.organization)
    if locked.is_adopted:
        raise Refused.because("working_regulation_adopted")
    return locked


def regulation_draft(*, organization: Organization, title: str, actor,
                     copy_from: WorkingRegulation | None = None, copy: bool = True) -> WorkingRegulation:
    """A new version, starting as a copy of ``copy_from`` (default: the latest version), or empty."""
    with transaction.atomic():
        scope = _scope_of(organization.pk)  # locked: one new version at a time, and its citations' scope
        authorize(actor, RECORD_DECISIONS, organization)
        latest = organization.working_regulations.order_by("-version").first()
        source = (copy_from or latest) if copy else None
        draft = WorkingRegulation.objects.create(
            organization=organization, version=(latest.version if latest else 0) + 1, title=title,
            previous=latest)
        if source is not None:
            originals = list(source.matters.prefetch_related("citations__document"))
            copies = Matter.objects.bulk_create([
                Matter(**{f.attname: getattr(m, f.attname) for f in Matter._meta.concrete_fields
                          if f.attname not in ("id", "regulation_id")}, regulation=draft)
                for m in originals])
            documents: dict = {}
            rows = []
            shared = shared_codes()  # a code two texts share is copied with its date
            for original, matter in zip(originals, copies):
                matter.regulation = draft
                refs = [(document_key(c.document, c.document.code in shared), c.ref)
                        for c in sorted(original.citations.all(), key=lambda c: c.order)]
                rows += citations_build(obj=matter, refs=refs, label=matter.citation_label(),
                                        url=draft.get_absolute_url(), scope=scope, documents=documents)
            Citation.objects.bulk_create(rows)
        audit_record(actor=actor, action="regulation.draft", obj=draft, summary=_summary(draft),
                     data={"copied_from": source.pk if source is not None else None})
    return draft


def matter_add(*, regulation: WorkingRegulation, actor, provisions: list[dict] = (), **fields) -> Matter:
    """Add an entry to a draft's catalog; ``provisions`` = [{"code": "ĐLĐ-2011", "ref": "9.5"}, ...]."""
    with transaction.atomic():
        regulation = _lock_draft(regulation, actor)
        if not fields.get("position"):  # at the end of the catalog
            last = regulation.matters.aggregate(last=Max("position"))["last"] or 0
            fields["position"] = last + 1
        matter = Matter(regulation=regulation, **fields)
        matter.full_clean()
        matter.save()
        _cite_matter(matter, _matter_refs(provisions))  # an unknown provision: CitationError, a Refused
        audit_record(actor=actor, action="matter.add", obj=matter, summary=str(matter),
                     data={"provisions": list(provisions)})
    return matter


# The fields of a catalog entry a clerk edits; the rest (regulation, position) belong to the services.
MATTER_FIELDS = ("code", "title", "field", "mode", "body_kind", "role", "quorum_num", "quorum_den",
                 "threshold_num", "threshold_den", "ballot", "election", "report_within_days")


def _lock_draft_matter(matter: Matter, actor) -> tuple[WorkingRegulation, Matter]:
    """The draft the entry belongs to, locked and checked, then the entry as it stands."""
    regulation = _lock_draft(matter.regulation, actor)
    return regulation, Matter.objects.select_for_update().get(pk=matter.pk)


def matter_change(*, matter: Matter, actor, provisions: list[dict] | None = None, **fields) -> Matter:
    """Change an entry of a draft's catalog (and, if given, the provisions it rests on)."""
    unknown = set(fields) - set(MATTER_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        regulation, matter = _lock_draft_matter(matter, actor)
        before = {f: getattr(matter, f) for f in fields}
        for name, value in fields.items():
            setattr(matter, name, value)
        matter.full_clean()
        matter.save()
        if provisions is not None:
            _cite_matter(matter, _matter_refs(provisions))
        changed = {f: [before[f], getattr(matter, f)] for f in fields if before[f] != getattr(matter, f)}
        audit_record(actor=actor, action="matter.change", obj=matter, summary=str(matter),
                     data={"changed": changed, "provisions": provisions})
    return matter


def matter_remove(*, matter: Matter, actor) -> None:
    """Take an entry out of a draft's catalog (its citations go with it)."""
    with transaction.atomic():
        regulation, matter = _lock_draft_matter(matter, actor)
        summary, pk = str(matter), matter.pk
        matter.citations.all().delete()
        matter.delete()
        audit_record(actor=actor, action="matter.remove", obj=regulation, summary=summary, data={"matter": pk})


def matter_move(*, matter: Matter, up: bool, actor) -> Matter:
    """Swap an entry with the one before (``up``) or after it in its draft's catalog."""
    with transaction.atomic():
        regulation, matter = _lock_draft_matter(matter, actor)
        entries = list(regulation.matters.select_for_update().order_by("position", "code"))
        i = next(n for n, m in enumerate(entries) if m.pk == matter.pk)
        j = i - 1 if up else i + 1
        if 0 <= j < len(entries):
            entries[i], entries[j] = entries[j], entries[i]
            for n, entry in enumerate(entries, start=1):  # renumber: positions stay 1..n
                entry.position = n
            Matter.objects.bulk_update(entries, ["position"])
            audit_record(actor=actor, action="matter.move", obj=entries[j], summary=str(entries[j]),
                         data={"position": j + 1})
        return entries[j] if 0 <= j < len(entries) else matter


def regulation_adoption_check(*, regulation: WorkingRegulation, start: dt.date,
                              lock: bool = False) -> list[WorkingRegulation]:
    """The versions in force on or after ``start`` that adopting ``regulation`` from then would end, oldest
    first; ``Refused`` when it may not be adopted from then. Writes nothing: the review page shows what
    the adoption would do (or why it would be refused) with it, and ``regulation_adopt`` checks again,
    with ``lock``, inside its transaction (that check is the one that counts)."""
    if regulation.is_adopted:
        raise Refused.because("working_regulation_adopted")
    if not regulation.matters.exists():
        raise Refused.because("working_regulation_empty")
    current = (WorkingRegulation.objects.filter(organization=regulation.organization).running_from(start)
               .exclude(pk=regulation.pk).order_by("start"))
    if lock:
        current = current.select_for_update()
    current = list(current)
    for old in current:
        if old.start >= start:
            raise Refused.because("working_regulation_start_not_after", v=old.version, d=old.start.isoformat())
    return current


def regulation_adopt(*, regulation: WorkingRegulation, start: dt.date, actor,
                     adopted_by: Decision | None = None, adoption_ref: str = "") -> WorkingRegulation:
    """Put a draft in force from ``start``; the version in force until then ends the day before."""
    with transaction.atomic():
        regulation = _lock_draft(regulation, actor)
        ended = []
        for old in regulation_adoption_check(regulation=regulation, start=start, lock=True):
            old.end = start - dt.timedelta(days=1)
            old.save(update_fields=["end"])
            ended.append(old.pk)
        regulation.start = start
        regulation.adopted_by = adopted_by
        regulation.adoption_ref = adoption_ref
        regulation.save(update_fields=["start", "adopted_by", "adoption_ref"])
        audit_record(actor=actor, action="regulation.adopt", obj=regulation,
                     summary=_summary(regulation), data={"ended": ended, "start": start.isoformat()},
                     note=Reason("working_regulation_in_force_from", {"d": start.isoformat()}))
    return regulation


def regulation_in_force(organization: Organization, on: dt.date) -> WorkingRegulation | None:
    return WorkingRegulation.objects.filter(organization=organization).in_force_on(on).first()


def regulation_from_template(*, organization: Organization, template: str, title: str, actor) -> WorkingRegulation:
    """A draft whose catalog is one of ``regulation_templates.TEMPLATES``, to adapt before adoption."""
    from .regulation_templates import TEMPLATES

    with transaction.atomic():
        authorize(actor, RECORD_DECISIONS, organization)
        if template not in TEMPLATES:
            raise Refused.because("working_regulation_no_template", t=template)
        draft = regulation_draft(organization=organization, title=title, actor=actor, copy=False)
        for fields in TEMPLATES[template]["matters"]:
            matter_add(regulation=draft, actor=actor, **fields)
    return draft


# --- meetings -----------------------------------------------------------------


def _full_member_on(person: Person, on: dt.date) -> bool:
    """Charter Art. 5: a probationary member (not yet official on ``on``) attends but does not vote."""
    return person.official_date is not None and person.official_date <= on


def meeting_open(*, body: Body, date: dt.date, title: str, actor, matters: list[Matter] = ()) -> Meeting:
    """A meeting convening every member in office in the body that day (all present until marked).

    A cell meeting convenes the cell's members; its probationary members attend without a vote.
    """
    with transaction.atomic():
        authorize(actor, RECORD_DECISIONS, body.organization)
        members = list(body.members_on(date))
        if not members:
            raise Refused.because("meeting_no_members", body=str(body), d=date.isoformat())
        cell = body.kind == BodyKind.CELL_MEETING
        meeting = Meeting.objects.create(body=body, date=date, title=title, created_by=_actor_or_none(actor))
        Attendance.objects.bulk_create([
            Attendance(meeting=meeting, person=p, voting=_full_member_on(p, date) if cell else True)
            for p in members])
        AgendaItem.objects.bulk_create([AgendaItem(meeting=meeting, order=i, matter=m, title=m.title)
                                        for i, m in enumerate(matters, start=1)])
        audit_record(actor=actor, action="meeting.open", obj=meeting, summary=str(meeting),
                     data={"convened": [p.pk for p in members]})
    return meeting


def _lock_open_meeting(meeting: Meeting, actor) -> Meeting:
    """The meeting, locked, its clerk authorized; refused if its minutes are approved (checked after the lock)."""
    locked = Meeting.objects.select_for_update().select_related("body__organization").get(pk=meeting.pk)
    authorize(actor, RECORD_DECISIONS, locked.body.organization)
    if locked.status == MeetingStatus.APPROVED:
        raise Refused.because("meeting_minutes_approved")
    return locked


@dataclass(frozen=True)
class AttendanceRow:
    person_id: int
    present: bool
    reason: str = ""


def attendance_save(*, meeting: Meeting, rows: list[AttendanceRow], actor) -> list[Attendance]:
    """The clerk's whole roll call in one act: every row is checked, then all are saved, or none."""
    with transaction.atomic():
        meeting = _lock_open_meeting(meeting, actor)
        if meeting.date > today():  # a meeting may be scheduled ahead; who came is known on the day
            raise Refused.because("attendance_ahead", d=meeting.date.isoformat())
        current = {a.person_id: a for a in meeting.attendance.select_related("person")}
        errors, changed = [], []
        for row in rows:
            attendance = current.get(row.person_id)
            if attendance is None:
                errors.append(Reason("attendance_not_convened", {"p": row.person_id}))
                continue
            reason = "" if row.present else row.reason.strip()
            if not row.present and not reason:
                errors.append(Reason("attendance_reason_missing", {"p": str(attendance.person)}))
                continue
            if (attendance.present, attendance.absence_reason) != (row.present, reason):
                attendance.present, attendance.absence_reason = row.present, reason
                changed.append(attendance)
        if errors:
            raise Refused(errors)
        Attendance.objects.bulk_update(changed, ["present", "absence_reason"])
        if changed:
            audit_record(actor=actor, action="attendance.save", obj=meeting, summary=str(meeting),
                         data={"changed": [{"person": a.person_id, "present": a.present} for a in changed]})
    return list(current.values())


def attendance_set(*, meeting: Meeting, person: Person, present: bool, actor, reason: str = "") -> Attendance:
    """One member's attendance (a roll call of one row)."""
    rows = attendance_save(meeting=meeting, rows=[AttendanceRow(person.pk, present, reason)], actor=actor)
    return next(a for a in rows if a.person_id == person.pk)


def minutes_approve(*, meeting: Meeting, actor) -> Meeting:
    with transaction.atomic():
        meeting = _lock_open_meeting(meeting, actor)
        meeting.status = MeetingStatus.APPROVED
        meeting.approved_at = timezone.now()
        meeting.approved_by = _actor_or_none(actor)
        meeting.save(update_fields=["status", "approved_at", "approved_by"])
        audit_record(actor=actor, action="minutes.approve", obj=meeting, summary=str(meeting))
    return meeting


# --- checking and recording decisions ----------------------------------------


def _authority_checks(organization: Organization, matter: Matter, on: dt.date
                      ) -> tuple[WorkingRegulation | None, list[Reason]]:
    regulation = regulation_in_force(organization, on)
    if regulation is None:
        return None, [Reason("no_regulation", {"org": str(organization), "date": on.isoformat()})]
    if matter.regulation_id != regulation.pk:
        return regulation, [Reason("other_version", {"matter": matter.code, "version": matter.regulation.version,
                                                     "current": regulation.version, "date": on.isoformat()})]
    return regulation, []


def recused_members(meeting: Meeting, concerns: Person | None) -> list[Person]:
    """Present voting members with a declared kinship to the person the decision concerns (either direction)."""
    if concerns is None:
        return []
    present = meeting.attendance.filter(present=True, voting=True).values("person_id")
    # A relation ended before the meeting (a divorce) no longer recuses; one declared since still does.
    related = (Kinship.objects.filter(Q(person=concerns) | Q(relative=concerns))
               .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=meeting.date)))
    kin = {pk for pair in related.values_list("person_id", "relative_id") for pk in pair} - {concerns.pk}
    return list(Person.objects.filter(pk__in=present).filter(Q(pk__in=kin) | Q(pk=concerns.pk)))


def collective_checks(*, meeting: Meeting, matter: Matter, votes_for: int, votes_against: int, abstaining: int,
                      ballot: str, concerns: Person | None = None
                      ) -> tuple[WorkingRegulation | None, list[Reason], list[Person], bool]:
    """The regulation applied, the reasons, the recused members, and whether the counts are impossible."""
    organization = meeting.body.organization
    regulation, reasons = _authority_checks(organization, matter, meeting.date)
    if regulation is not None and not reasons:
        if not matter.is_collective:
            reasons.append(Reason("head_matter_in_meeting", {"matter": matter.code, "who": matter.role,
                                                              "body": meeting.body.kind}))
        elif matter.body_kind != meeting.body.kind:
            reasons.append(Reason("wrong_body", {"matter": matter.code, "who": matter.body_kind,
                                                 "body": meeting.body.kind}))
        if ballot != matter.ballot:
            reasons.append(Reason("wrong_ballot", {"ballot": matter.ballot}))
    recused = recused_members(meeting, concerns)
    voters = list(meeting.attendance.filter(voting=True).values_list("present", flat=True))
    if matter.election:
        check = rules.check_election(convened=len(voters), present=sum(voters), votes_for=votes_for,
                                     votes_against=votes_against, abstaining=abstaining)
    else:
        check = rules.check_vote(in_office=len(voters), present=sum(voters), votes_for=votes_for,
                                 votes_against=votes_against, abstaining=abstaining, recused=len(recused),
                                 quorum=matter.quorum, threshold=matter.threshold)
    reasons += [f.reason(meeting.date) for f in check.failures]
    return regulation, reasons, recused, check.impossible


def individual_checks(*, organization: Organization, matter: Matter, on: dt.date, signatory: Person,
                      delegation_ref: str = "") -> tuple[WorkingRegulation | None, list[Reason], Tenure | None]:
    regulation, reasons = _authority_checks(organization, matter, on)
    tenures = list(Tenure.objects.filter(person=signatory, organization=organization).active_on(on)
                   .select_related("position").order_by("acting"))
    tenure = next((t for t in tenures if t.position.role == matter.role), None)
    if regulation is not None and not reasons:
        if matter.mode != Mode.HEAD_REPORTS:
            reasons.append(Reason("collective_matter", {"matter": matter.code, "who": matter.body_kind}))
        elif tenure is None:
            deputy = next((t for t in tenures if t.position.role == PositionRole.DEPUTY), None)
            if deputy is not None and matter.role == PositionRole.HEAD and delegation_ref.strip():
                tenure = deputy  # a recorded delegation to the deputy acting for the head
            else:
                reasons.append(Reason("signatory_deputy" if deputy else "signatory_post", {
                    "person": str(signatory), "role": matter.role, "org": str(organization), "date": on.isoformat()}))
    return regulation, reasons, tenure


# Failures that are the meeting's answer, not a fault of authority or procedure: too few votes for.
VOTED_DOWN = {"majority", "election"}


def _status(reasons: list[Reason], record_as_irregular: bool) -> str:
    if reasons and not record_as_irregular:
        raise DecisionRefused(reasons)
    return DecisionStatus.IRREGULAR if reasons else DecisionStatus.VALID


def _check_date(on: dt.date) -> None:
    if on > today():
        raise Refused.because("decision_date_ahead", d=on.isoformat())


def decision_record_collective(*, meeting: Meeting, matter: Matter, title: str, votes_for: int,
                               votes_against: int = 0, abstaining: int = 0, ballot: str | None = None,
                               concerns: Person | None = None, record_as_irregular: bool = False,
                               corrects: Decision | None = None, actor) -> Decision:
    ballot = ballot or matter.ballot
    with transaction.atomic():
        meeting = _lock_open_meeting(meeting, actor)
        _check_date(meeting.date)
        regulation, reasons, recused, impossible = collective_checks(
            meeting=meeting, matter=matter, votes_for=votes_for, votes_against=votes_against,
            abstaining=abstaining, ballot=ballot, concerns=concerns)
        if regulation is None or impossible:
            raise DecisionRefused(reasons, impossible=impossible)
        if reasons and all(r.code in VOTED_DOWN for r in reasons):
            status = DecisionStatus.NOT_PASSED  # the meeting could decide, and decided no
        else:
            status = _status(reasons, record_as_irregular)
        decision = Decision.objects.create(
            organization=meeting.body.organization, matter=matter, kind=DecisionKind.COLLECTIVE, date=meeting.date,
            title=title, meeting=meeting, votes_for=votes_for, votes_against=votes_against, abstaining=abstaining,
            ballot=ballot, concerns=concerns, regulation=regulation, status=status,
            reasons=as_json(reasons), corrects=corrects, recorded_by=_actor_or_none(actor))
        decision.recused.set(recused)
        audit_record(actor=actor, action="decision.record", obj=decision, summary=f"{decision}: {decision.status}",
                     data={"reasons": as_json(reasons)})
    return decision


def _authorize_signing(actor, organization: Organization, signatory: Person) -> None:
    """Committee staff record anyone's individual decision; a head records only the ones they sign."""
    if is_system(actor) or (actor is not None and can(actor, RECORD_DECISIONS, organization)):
        return
    authorize(actor, SIGN_DECISIONS, organization)
    if getattr(actor, "person", None) != signatory:
        raise Refused.because("decision_signatory_not_self")


def decision_record_individual(*, organization: Organization, matter: Matter, date: dt.date, title: str,
                               signatory: Person, delegation_ref: str = "", record_as_irregular: bool = False,
                               corrects: Decision | None = None, actor) -> Decision:
    with transaction.atomic():
        _authorize_signing(actor, organization, signatory)
        _check_date(date)
        regulation, reasons, tenure = individual_checks(organization=organization, matter=matter, on=date,
                                                        signatory=signatory, delegation_ref=delegation_ref)
        if regulation is None:
            raise DecisionRefused(reasons)
        decision = Decision.objects.create(
            organization=organization, matter=matter, kind=DecisionKind.INDIVIDUAL, date=date, title=title,
            signatory=signatory, signatory_tenure=tenure, delegation_ref=delegation_ref, regulation=regulation,
            report_due=(date + dt.timedelta(days=matter.report_within_days)
                        if matter.report_within_days is not None else None),
            status=_status(reasons, record_as_irregular), reasons=as_json(reasons), corrects=corrects,
            recorded_by=_actor_or_none(actor))
        audit_record(actor=actor, action="decision.record", obj=decision, summary=f"{decision}: {decision.status}",
                     data={"reasons": as_json(reasons)})
    return decision


def decision_report_back(*, decision: Decision, meeting: Meeting, actor) -> Decision:
    """The head reports an individual decision to the collective at ``meeting``."""
    with transaction.atomic():
        decision = Decision.objects.select_for_update().select_related("organization").get(pk=decision.pk)
        authorize(actor, RECORD_DECISIONS, decision.organization)
        if decision.kind != DecisionKind.INDIVIDUAL:
            raise Refused.because("report_back_not_individual")
        if decision.reported_on is not None:
            raise Refused.because("report_back_done", d=decision.reported_on.isoformat())
        if meeting.date < decision.date or meeting.body.organization_id != decision.organization_id:
            raise Refused.because("report_back_wrong_meeting")
        decision.reported_on, decision.report_meeting = meeting.date, meeting
        decision.save(update_fields=["reported_on", "report_meeting"])
        audit_record(actor=actor, action="decision.report_back", obj=decision, summary=str(meeting))
    return decision


def assignment_add(*, organization: Organization, person: Person, field: str, description: str,
                   start: dt.date, actor, end: dt.date | None = None) -> Assignment:
    with transaction.atomic():
        authorize(actor, RECORD_DECISIONS, organization)
        assignment = Assignment(organization=organization, person=person, field=field, description=description,
                                start=start, end=end)
        assignment.full_clean()
        assignment.save()
        audit_record(actor=actor, action="assignment.add", obj=assignment, summary=str(assignment))
    return assignment
