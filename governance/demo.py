"""The demo's working regulations: registered with ``organizations.demo.register_demo_step``."""

from __future__ import annotations

from common.actors import SYSTEM
from organizations.demo import TERM_START
from organizations.models import Organization, OrgKind
from regulations.models import Citation
from regulations.services import citations_build

from .models import Matter, WorkingRegulation
from .regulation_templates import TEMPLATES

TEMPLATE_FOR = {OrgKind.PROVINCIAL: "provincial", OrgKind.SUBORDINATE: "provincial",
                OrgKind.GRASSROOTS_COMMITTEE: "grassroots", OrgKind.AGENCY: "agency"}


def working_regulations(organizations: list[Organization]) -> str:
    """Each committee and agency gets the matching template, adopted when its term began."""

    def ref(i: int, node: Organization) -> str:
        return f"{i + 1:03d}-QĐ/{'TU' if node.kind == OrgKind.PROVINCIAL else 'ĐU'}"

    regulations = [(node, WorkingRegulation(organization=node, version=1, title="Quy chế làm việc nhiệm kỳ",
                                            start=TERM_START[node.kind], adoption_ref=ref(i, node)))
                   for i, node in enumerate(organizations) if node.kind in TEMPLATE_FOR]
    WorkingRegulation.objects.bulk_create([r for _n, r in regulations], batch_size=2000)
    matters, refs = [], []
    for node, regulation in regulations:
        for position, fields in enumerate(TEMPLATES[TEMPLATE_FOR[node.kind]]["matters"], start=1):
            fields = dict(fields)
            refs.append([(p["code"], p.get("ref", "")) for p in fields.pop("provisions", [])])
            matters.append(Matter(regulation=regulation, position=position, **fields))
    Matter.objects.bulk_create(matters, batch_size=2000)
    documents: dict = {}
    citations = []
    for matter, matter_refs in zip(matters, refs):
        regulation = matter.regulation
        citations += citations_build(obj=matter, refs=matter_refs, label=matter.citation_label(),
                                     url=regulation.get_absolute_url(), scope=regulation.organization.path,
                                     documents=documents)
    Citation.objects.bulk_create(citations, batch_size=5000)
    return f"{len(regulations)} quy chế làm việc"


def meetings_and_decisions(organizations: list[Organization]) -> str:
    """Months of office work in every committee, through the services that record it in use:
    a monthly meeting of the executive committee (some members absent with a reason), its decisions
    (most valid, some voted down, a few irregular for want of a quorum), the head's own decisions
    (reported to the next meeting, or not yet: due and overdue), the minutes approved up to the last
    meeting, and one meeting scheduled ahead. A province seeds three months, a small demo six."""
    import datetime as dt
    import random

    from organizations.models import Body, BodyKind, today

    from . import services as svc
    from .models import Decision, Meeting

    rng = random.Random(2025)
    now = today()
    months = 3 if len(organizations) > 2000 else 6
    committees = [o for o in organizations if o.kind in (OrgKind.PROVINCIAL, OrgKind.SUBORDINATE,
                                                         OrgKind.GRASSROOTS_COMMITTEE)]
    bodies = {b.organization_id: b for b in Body.objects.filter(organization__in=committees,
                                                               kind=BodyKind.EXECUTIVE)}
    # Per committee: the first matter its executive committee votes on, and the first its head decides.
    collective_of: dict[int, Matter] = {}
    individual_of: dict[int, Matter] = {}
    for m in (Matter.objects.filter(regulation__organization__in=committees, regulation__end__isnull=True)
              .select_related("regulation").order_by("position", "code")):
        org_id = m.regulation.organization_id
        if m.mode == "collective" and m.body_kind == BodyKind.EXECUTIVE and not m.election:
            collective_of.setdefault(org_id, m)
        elif m.mode == "head_reports":
            individual_of.setdefault(org_id, m)
    counts = {"meetings": 0, "decisions": 0}
    for n, org in enumerate(committees):
        body, collective, individual = bodies.get(org.pk), collective_of.get(org.pk), individual_of.get(org.pk)
        if body is None or collective is None:
            continue
        held: list[Meeting] = []
        pending: list[Decision] = []
        for back in range(months, 0, -1):
            first = (now.replace(day=1) - dt.timedelta(days=31 * back)).replace(day=1)
            day = first.replace(day=min(5 + n % 10, 28))
            if day >= now:
                continue
            meeting = svc.meeting_open(body=body, date=day, title=f"Hội nghị Ban Chấp hành tháng {day:%m/%Y}",
                                       actor=SYSTEM, matters=[collective])
            counts["meetings"] += 1
            members = list(meeting.attendance.values_list("person_id", flat=True))
            irregular = (n + back) % 11 == 0
            away = members[: (len(members) + 1) // 2] if irregular else rng.sample(members, min(2, len(members)))
            svc.attendance_save(meeting=meeting, actor=SYSTEM, rows=[
                svc.AttendanceRow(pk, False, rng.choice(["Đi công tác", "Ốm", "Việc gia đình", "Đi học"]))
                for pk in away])
            present = meeting.attendance.filter(present=True).count()
            voted_down = (n + back) % 9 == 0
            svc.decision_record_collective(
                meeting=meeting, matter=collective, title=f"{collective.title} (tháng {day:%m})",
                votes_for=max(0, present // 3) if voted_down else present, record_as_irregular=True, actor=SYSTEM)
            counts["decisions"] += 1
            for decision in pending:  # the head reports last month's own decisions to this meeting
                if rng.random() < 0.75:
                    svc.decision_report_back(decision=decision, meeting=meeting, actor=SYSTEM)
            pending = []
            held.append(meeting)
            head = org.head_on(day + dt.timedelta(days=2))
            if individual is not None and head is not None:
                pending.append(svc.decision_record_individual(
                    organization=org, matter=individual, date=day + dt.timedelta(days=2), signatory=head,
                    title=f"{individual.title} (tháng {day:%m})", record_as_irregular=True, actor=SYSTEM))
                counts["decisions"] += 1
        recent = now - dt.timedelta(days=3)  # one decision of the head still within its report deadline
        head = org.head_on(recent)
        if individual is not None and head is not None:
            svc.decision_record_individual(organization=org, matter=individual, date=recent, signatory=head,
                                           title=f"{individual.title} (mới)", record_as_irregular=True, actor=SYSTEM)
            counts["decisions"] += 1
        for meeting in held[:-1]:  # the last meeting's minutes still wait for approval
            svc.minutes_approve(meeting=meeting, actor=SYSTEM)
        ahead = (now.replace(day=1) + dt.timedelta(days=32)).replace(day=min(5 + n % 10, 28))
        svc.meeting_open(body=body, date=ahead, title=f"Hội nghị Ban Chấp hành tháng {ahead:%m/%Y}", actor=SYSTEM)
        counts["meetings"] += 1
    return f"{counts['meetings']} hội nghị, {counts['decisions']} quyết định ({months} tháng)"
