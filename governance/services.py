"""Services of the working regulations: versions, meetings, decisions, minutes, assignments.

Every decision is checked against the working regulation in force on its
date (``decision_checks``); a clerk cannot record as valid what fails a rule,
only as irregular, which puts it in the inspection committee's queue with
its reasons. Approved minutes freeze a meeting and its decisions.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from organizations.models import Body, Kinship, Organization, Person, PositionRole, Tenure
from regulations.citations import CitationError, resolve

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


class DecisionRefused(ValidationError):
    """A rule failed and the clerk did not choose to record the decision as irregular."""

    def __init__(self, reasons: list[dict]):
        super().__init__([r["message"] + (f" ({r['citation']})" if r.get("citation") else "") for r in reasons])
        self.reasons = reasons


def _reason(code: str, message: str, citation=None) -> dict:
    return {"code": code, "message": message, "citation": str(citation) if citation else ""}


# --- working regulation versions ---------------------------------------------


def regulation_draft(*, organization: Organization, title: str, actor,
                     copy_from: WorkingRegulation | None = None, copy: bool = True) -> WorkingRegulation:
    """A new version, starting as a copy of ``copy_from`` (default: the latest version), or empty."""
    with transaction.atomic():
        latest = organization.working_regulations.select_for_update().order_by("-version").first()
        source = (copy_from or latest) if copy else None
        draft = WorkingRegulation.objects.create(
            organization=organization, version=(latest.version if latest else 0) + 1, title=title,
            previous=latest)
        if source is not None:
            Matter.objects.bulk_create([
                Matter(**{f.attname: getattr(m, f.attname) for f in Matter._meta.concrete_fields
                          if f.attname not in ("id", "regulation_id")}, regulation=draft)
                for m in source.matters.all()])
        audit_record(actor=actor, action="regulation.draft", obj=draft, summary=str(draft),
                     data={"copied_from": source.pk if source is not None else None})
    return draft


def matter_add(*, regulation: WorkingRegulation, actor, **fields) -> Matter:
    regulation = WorkingRegulation.objects.get(pk=regulation.pk)  # the caller's copy may be stale
    if regulation.is_adopted:
        raise ValidationError(_("Quy chế đã ban hành không sửa được; hãy tạo phiên bản mới."))
    for p in fields.get("provisions", []):
        try:
            resolve(p["code"], p["ref"])
        except CitationError as exc:
            raise ValidationError(str(exc)) from exc
    matter = Matter(regulation=regulation, **fields)
    matter.full_clean(exclude=["regulation"])
    with transaction.atomic():
        matter.save()
        audit_record(actor=actor, action="matter.add", obj=matter, summary=str(matter))
    return matter


def regulation_adopt(*, regulation: WorkingRegulation, start: dt.date, actor,
                     adopted_by: Decision | None = None, adoption_ref: str = "") -> WorkingRegulation:
    """Put a draft in force from ``start``; the version in force until then ends the day before."""
    with transaction.atomic():
        regulation = WorkingRegulation.objects.select_for_update().get(pk=regulation.pk)
        if regulation.is_adopted:
            raise ValidationError(_("Phiên bản này đã được ban hành."))
        if not regulation.matters.exists():
            raise ValidationError(_("Quy chế chưa có vấn đề nào trong danh mục."))
        current = (WorkingRegulation.objects.select_for_update()
                   .filter(organization=regulation.organization, start__isnull=False)
                   .filter(Q(end__isnull=True) | Q(end__gte=start))
                   .exclude(pk=regulation.pk))
        for old in current:
            if old.start >= start:
                raise ValidationError(_("Ngày hiệu lực phải sau ngày hiệu lực của phiên bản %(v)s (%(d)s).")
                                      % {"v": old.version, "d": old.start.strftime("%d/%m/%Y")})
            old.end = start - dt.timedelta(days=1)
            old.save(update_fields=["end"])
        regulation.start = start
        regulation.adopted_by = adopted_by
        regulation.adoption_ref = adoption_ref
        regulation.save(update_fields=["start", "adopted_by", "adoption_ref"])
        audit_record(actor=actor, action="regulation.adopt", obj=regulation,
                     summary=f"{regulation} từ {start:%d/%m/%Y}")
    return regulation


def regulation_in_force(organization: Organization, on: dt.date) -> WorkingRegulation | None:
    return WorkingRegulation.objects.filter(organization=organization).in_force_on(on).first()


# --- meetings -----------------------------------------------------------------


def meeting_open(*, body: Body, date: dt.date, title: str, actor, matters: list[Matter] = ()) -> Meeting:
    """A meeting convening every member in office in the body that day (all present until marked)."""
    members = list(body.members_on(date))
    if not members:
        raise ValidationError(_("%(body)s không có thành viên đương nhiệm vào ngày %(d)s.")
                              % {"body": body, "d": date.strftime("%d/%m/%Y")})
    with transaction.atomic():
        meeting = Meeting.objects.create(body=body, date=date, title=title, created_by=actor)
        Attendance.objects.bulk_create([Attendance(meeting=meeting, person=p) for p in members])
        AgendaItem.objects.bulk_create([AgendaItem(meeting=meeting, order=i, matter=m, title=m.title)
                                        for i, m in enumerate(matters, start=1)])
        audit_record(actor=actor, action="meeting.open", obj=meeting, summary=str(meeting),
                     data={"convened": [p.pk for p in members]})
    return meeting


def _refuse_if_frozen(meeting: Meeting) -> None:
    # Asked of the database: the caller's copy of the meeting may predate the approval.
    if Meeting.objects.filter(pk=meeting.pk, status=MeetingStatus.APPROVED).exists():
        raise ValidationError(_("Biên bản hội nghị đã được thông qua; không sửa được. Hãy ghi một quyết định "
                                "đính chính."))


def attendance_set(*, meeting: Meeting, person: Person, present: bool, actor, reason: str = "") -> Attendance:
    _refuse_if_frozen(meeting)
    if not present and not reason.strip():
        raise ValidationError(_("Ghi lý do vắng mặt của %(p)s.") % {"p": person})
    with transaction.atomic():
        row = Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
        if row is None:
            raise ValidationError(_("%(p)s không thuộc thành phần được triệu tập.") % {"p": person})
        row.present, row.absence_reason = present, "" if present else reason.strip()
        row.save(update_fields=["present", "absence_reason"])
        audit_record(actor=actor, action="attendance.set", obj=meeting,
                     summary=f"{person}: {'có mặt' if present else 'vắng'}", data={"person": person.pk})
    return row


def minutes_approve(*, meeting: Meeting, actor) -> Meeting:
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _refuse_if_frozen(meeting)
        meeting.status = MeetingStatus.APPROVED
        meeting.approved_at = timezone.now()
        meeting.approved_by = actor if getattr(actor, "pk", None) else None
        meeting.save(update_fields=["status", "approved_at", "approved_by"])
        audit_record(actor=actor, action="minutes.approve", obj=meeting, summary=str(meeting))
    return meeting


# --- checking and recording decisions ----------------------------------------


def _authority_checks(organization: Organization, matter: Matter, on: dt.date) -> tuple[WorkingRegulation | None,
                                                                                         list[dict]]:
    regulation = regulation_in_force(organization, on)
    if regulation is None:
        return None, [_reason("regulation", _("%(org)s không có quy chế làm việc có hiệu lực vào ngày %(d)s.")
                              % {"org": organization, "d": on.strftime("%d/%m/%Y")})]
    if matter.regulation_id != regulation.pk:
        return regulation, [_reason("version", _(
            "Vấn đề “%(m)s” thuộc quy chế phiên bản %(v)s, không phải phiên bản %(cur)s có hiệu lực ngày %(d)s.")
            % {"m": matter.code, "v": matter.regulation.version, "cur": regulation.version,
               "d": on.strftime("%d/%m/%Y")})]
    return regulation, []


def recused_members(meeting: Meeting, concerns: Person | None) -> list[Person]:
    """Present members with a declared kinship to the person the decision concerns (either direction)."""
    if concerns is None:
        return []
    present = meeting.attendance.filter(present=True).values("person_id")
    related = Kinship.objects.filter(Q(person=concerns) | Q(relative=concerns))
    kin = {pk for pair in related.values_list("person_id", "relative_id") for pk in pair} - {concerns.pk}
    return list(Person.objects.filter(pk__in=present).filter(Q(pk__in=kin) | Q(pk=concerns.pk)))


def collective_checks(*, meeting: Meeting, matter: Matter, votes_for: int, votes_against: int, abstaining: int,
                      ballot: str, concerns: Person | None = None) -> tuple[WorkingRegulation | None, list[dict],
                                                                            list[Person]]:
    organization = meeting.body.organization
    regulation, reasons = _authority_checks(organization, matter, meeting.date)
    if regulation is not None and not reasons:
        if not matter.is_collective or matter.body_kind != meeting.body.kind:
            who = matter.get_body_kind_display() if matter.is_collective else matter.get_role_display()
            reasons.append(_reason("authority", _("Vấn đề “%(m)s” thuộc thẩm quyền của %(who)s, không phải %(body)s.")
                                   % {"m": matter.code, "who": who, "body": meeting.body.get_kind_display()}))
        if ballot != matter.ballot:
            reasons.append(_reason("ballot", _("Vấn đề này phải %(b)s.") % {"b": matter.get_ballot_display().lower()}))
    recused = recused_members(meeting, concerns)
    rows = list(meeting.attendance.values_list("present", flat=True))
    check = rules.check_vote(in_office=len(rows), present=sum(rows), votes_for=votes_for,
                             votes_against=votes_against, abstaining=abstaining, recused=len(recused),
                             quorum=matter.quorum, threshold=matter.threshold)
    reasons += [_reason(f.code, f.message, f.citation) for f in check.failures]
    return regulation, reasons, recused


def individual_checks(*, organization: Organization, matter: Matter, on: dt.date, signatory: Person,
                      delegation_ref: str = "") -> tuple[WorkingRegulation | None, list[dict], Tenure | None]:
    regulation, reasons = _authority_checks(organization, matter, on)
    tenures = list(Tenure.objects.filter(person=signatory, organization=organization).active_on(on)
                   .select_related("position").order_by("acting"))
    tenure = next((t for t in tenures if t.position.role == matter.role), None)
    if regulation is not None and not reasons:
        if matter.mode != Mode.HEAD_REPORTS:
            reasons.append(_reason("authority", _("Vấn đề “%(m)s” do %(who)s quyết định, không phải cá nhân.")
                                   % {"m": matter.code, "who": matter.get_body_kind_display()}))
        elif tenure is None:
            deputy = next((t for t in tenures if t.position.role == PositionRole.DEPUTY), None)
            if deputy is not None and matter.role == PositionRole.HEAD and delegation_ref.strip():
                tenure = deputy  # a recorded delegation to the deputy acting for the head
            else:
                reasons.append(_reason("authority", _(
                    "%(p)s không giữ chức danh %(role)s của %(org)s vào ngày %(d)s%(hint)s.")
                    % {"p": signatory, "role": matter.get_role_display().lower(), "org": organization,
                       "d": on.strftime("%d/%m/%Y"),
                       "hint": _(" (cấp phó cần văn bản ủy quyền)") if deputy else ""}))
    return regulation, reasons, tenure


def _status(reasons: list[dict], record_as_irregular: bool) -> str:
    if reasons and not record_as_irregular:
        raise DecisionRefused(reasons)
    return DecisionStatus.IRREGULAR if reasons else DecisionStatus.VALID


def decision_record_collective(*, meeting: Meeting, matter: Matter, title: str, votes_for: int,
                               votes_against: int = 0, abstaining: int = 0, ballot: str | None = None,
                               concerns: Person | None = None, record_as_irregular: bool = False,
                               corrects: Decision | None = None, actor) -> Decision:
    ballot = ballot or matter.ballot
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _refuse_if_frozen(meeting)
        regulation, reasons, recused = collective_checks(
            meeting=meeting, matter=matter, votes_for=votes_for, votes_against=votes_against,
            abstaining=abstaining, ballot=ballot, concerns=concerns)
        if regulation is None:
            raise DecisionRefused(reasons)
        decision = Decision.objects.create(
            organization=meeting.body.organization, matter=matter, kind=DecisionKind.COLLECTIVE, date=meeting.date,
            title=title, meeting=meeting, votes_for=votes_for, votes_against=votes_against, abstaining=abstaining,
            ballot=ballot, concerns=concerns, regulation=regulation, status=_status(reasons, record_as_irregular),
            reasons=reasons, corrects=corrects, recorded_by=actor if getattr(actor, "pk", None) else None)
        decision.recused.set(recused)
        audit_record(actor=actor, action="decision.record", obj=decision, summary=f"{decision}: {decision.status}",
                     data={"reasons": reasons})
    return decision


def decision_record_individual(*, organization: Organization, matter: Matter, date: dt.date, title: str,
                               signatory: Person, delegation_ref: str = "", record_as_irregular: bool = False,
                               corrects: Decision | None = None, actor) -> Decision:
    with transaction.atomic():
        regulation, reasons, tenure = individual_checks(organization=organization, matter=matter, on=date,
                                                        signatory=signatory, delegation_ref=delegation_ref)
        if regulation is None:
            raise DecisionRefused(reasons)
        decision = Decision.objects.create(
            organization=organization, matter=matter, kind=DecisionKind.INDIVIDUAL, date=date, title=title,
            signatory=signatory, signatory_tenure=tenure, delegation_ref=delegation_ref, regulation=regulation,
            report_due=(date + dt.timedelta(days=matter.report_within_days)
                        if matter.report_within_days is not None else None),
            status=_status(reasons, record_as_irregular), reasons=reasons, corrects=corrects,
            recorded_by=actor if getattr(actor, "pk", None) else None)
        audit_record(actor=actor, action="decision.record", obj=decision, summary=f"{decision}: {decision.status}",
                     data={"reasons": reasons})
    return decision


def decision_report_back(*, decision: Decision, meeting: Meeting, actor) -> Decision:
    """The head reports an individual decision to the collective at ``meeting``."""
    if decision.kind != DecisionKind.INDIVIDUAL:
        raise ValidationError(_("Chỉ quyết định cá nhân mới cần báo cáo lại tập thể."))
    if decision.reported_on is not None:
        raise ValidationError(_("Quyết định này đã được báo cáo ngày %(d)s.")
                              % {"d": decision.reported_on.strftime("%d/%m/%Y")})
    if meeting.date < decision.date or meeting.body.organization_id != decision.organization_id:
        raise ValidationError(_("Hội nghị nghe báo cáo phải của chính tổ chức và sau ngày quyết định."))
    with transaction.atomic():
        decision.reported_on, decision.report_meeting = meeting.date, meeting
        decision.save(update_fields=["reported_on", "report_meeting"])
        audit_record(actor=actor, action="decision.report_back", obj=decision, summary=str(meeting))
    return decision


def assignment_add(*, organization: Organization, person: Person, field: str, description: str,
                   start: dt.date, actor, end: dt.date | None = None) -> Assignment:
    assignment = Assignment(organization=organization, person=person, field=field, description=description,
                            start=start, end=end)
    assignment.full_clean()
    with transaction.atomic():
        assignment.save()
        audit_record(actor=actor, action="assignment.add", obj=assignment, summary=str(assignment))
    return assignment



def regulation_from_template(*, organization: Organization, template: str, title: str, actor) -> WorkingRegulation:
    """A draft whose catalog is one of ``regulation_templates.TEMPLATES``, to adapt before adoption."""
    from .regulation_templates import TEMPLATES

    if template not in TEMPLATES:
        raise ValidationError(_("Không có mẫu quy chế “%(t)s”.") % {"t": template})
    with transaction.atomic():
        draft = regulation_draft(organization=organization, title=title, actor=actor, copy=False)
        for fields in TEMPLATES[template]["matters"]:
            matter_add(regulation=draft, actor=actor, **fields)
    return draft
