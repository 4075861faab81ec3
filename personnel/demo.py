"""The demo's personnel work, through the services a committee uses (``organizations.demo.register_demo_step``).

In the first subordinate committees of the province: a planning list; a deputy introduced by the head under
Regulation 142, voted through its five steps and appointed, whose head has since retired and who was
disciplined about a year later (the retired head's record shows it); a standing-committee seat (Art. 4) at its
second step; the head of a directly subordinate unit (Art. 5) introduced; a dismissal with its grounds; a
nomination the collective rejected at step 3; a member introduced for election; and a standard-procedure
nomination of the province past its first step. Also: a standing-committee seat whose nominee's brother-in-law is
recused at the standing committee's step, with a standards judgement of the organization board; and the executive
committee's confidence vote on the standing committee, one cadre over half low.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from common.actors import SYSTEM
from governance.models import Field, Matter
from governance.services import decision_record_collective, meeting_open
from organizations.models import Body, Organization, OrgKind, Person, Position, Relation, Tenure, today
from organizations.services import discipline_record, kinship_declare, tenure_end, tenure_start

from . import services
from .models import Nomination
from .rules import Counts

User = get_user_model()

PROGRAM = {"work": "Nâng cao chất lượng sinh hoạt chi bộ; chuyển đổi số công tác đảng",
           "people": "Ban Tổ chức, Văn phòng, các chi bộ trực thuộc",
           "schedule": "Hoàn thành trong 12 tháng kể từ khi được bổ nhiệm",
           "results": "100% chi bộ sinh hoạt đúng kỳ; sổ đảng viên điện tử",
           "responsibility": "Người được giới thiệu chịu trách nhiệm trước Ban Thường vụ"}


def _counts(meeting, nominee: Person, share: float, others: list[tuple[Person, float]] = ()) -> Counts:
    present = meeting.attendance.filter(present=True, voting=True).count()
    valid = present - 1 if present > 4 else present
    votes = [(nominee.pk, int(valid * share))] + [(p.pk, int(valid * s)) for p, s in others]
    return Counts(issued=present, returned=present, valid=valid, invalid=present - valid, votes=tuple(votes))


def _meeting(body: Body, day: dt.date, title: str):
    return meeting_open(body=body, date=day, title=title, actor=SYSTEM)


def _planned(org: Organization, person: Person, position: Position, on: dt.date, ref: str, by: Organization):
    return services.planning_add(organization=org, person=person, position=position, term="2025-2030",
                                 added_on=on, added_ref=ref, added_by=by, actor=SYSTEM)


def _steps(nomination: Nomination, bodies: dict[str, Body], days: list[dt.date], shares: list[float]) -> None:
    """Record the steps after the introduction on the given days, with the nominee's share of valid ballots."""
    from .rules import step_spec

    for day, share in zip(days, shares):
        spec = step_spec(nomination.kind, nomination.source, nomination.current_step + 1)
        body = bodies["standing"] if "standing" in spec.bodies and spec.mode != "conference" else bodies[
            "executive"]
        meeting = _meeting(body, day, f"Hội nghị xem xét nhân sự (bước {spec.number})")
        services.step_record(nomination=nomination, meeting=meeting, counts=_counts(meeting, nomination.nominee, share),
                             actor=SYSTEM)
        nomination.refresh_from_db()


def personnel_work(organizations: list[Organization]) -> str:
    now = today()
    subs = [o for o in organizations if o.kind == OrgKind.SUBORDINATE][:2]
    root = next(o for o in organizations if o.depth == 1)
    if len(subs) < 2:
        return "0 hồ sơ nhân sự"
    pos = {p.code: p for p in Position.objects.all()}
    made = 0
    first, second = subs
    bodies = {b.kind: b for b in Body.objects.filter(organization=first)}
    head_tenure = Tenure.objects.filter(organization=first, position__code="secretary", end__isnull=True).first()
    head = head_tenure.person
    standing = set(bodies["standing"].members_on(now).values_list("pk", flat=True))
    executives = list(bodies["executive"].members_on(now).exclude(pk__in=standing).order_by("pk"))
    if len(executives) < 5:
        return "0 hồ sơ nhân sự"
    deputy, seat, spare, other_seat, _rest = executives[0], executives[1], executives[2], executives[3], executives[4:]
    # The planning list of the committee, approved by the province's standing committee.
    for person in (deputy, seat, spare):
        _planned(first, person, pos["deputy-secretary"], dt.date(2025, 9, 20), "120-QĐ/TU", root)
    _planned(first, other_seat, pos["standing-member"], dt.date(2025, 9, 20), "120-QĐ/TU", root)

    # 1. A deputy introduced by the head (Art. 3), voted through the five steps and appointed.
    n1 = services.nomination_draft(organization=first, kind="deputy", position=pos["deputy-secretary"],
                                   nominee=deputy, source="internal", nominator=head, action_program=PROGRAM,
                                   rationale="Trưởng thành từ cơ sở, hoàn thành xuất sắc nhiệm vụ ba năm liền",
                                   actor=SYSTEM)
    services.nomination_introduce(nomination=n1, on=dt.date(2025, 10, 20), actor=SYSTEM)
    _steps(n1, bodies, [dt.date(2025, 10, 27), dt.date(2025, 11, 3), dt.date(2025, 11, 10), dt.date(2025, 11, 17)],
           [0.8, 0.75, 0.85, 0.8])
    matter = Matter.objects.filter(regulation__organization=first, field=Field.PERSONNEL, body_kind="standing",
                                   regulation__end__isnull=True).order_by("position").first()
    meeting = _meeting(bodies["standing"], dt.date(2025, 11, 24), "Hội nghị Ban Thường vụ quyết định nhân sự")
    present = meeting.attendance.filter(present=True).count()
    decision = decision_record_collective(meeting=meeting, matter=matter, votes_for=present, concerns=deputy,
                                          title=f"Bổ nhiệm đồng chí {deputy.full_name} giữ chức Phó Bí thư",
                                          actor=SYSTEM)
    services.nomination_appoint(nomination=n1, decision=decision, start=dt.date(2025, 12, 1), actor=SYSTEM)
    made += 1
    # The head has since retired; a year on, the person they introduced was disciplined.
    retired_on = dt.date(2026, 1, 31)
    for tenure in Tenure.objects.filter(person=head, organization=first, end__isnull=True):
        tenure_end(tenure=tenure, end=retired_on, actor=SYSTEM, decision_ref="05-QĐ/TU (nghỉ hưu)")
    successor = bodies["standing"].members_on(now).exclude(pk=deputy.pk).order_by("pk").first()
    tenure_start(person=successor, position=pos["secretary"], organization=first, body=bodies["standing"],
                 start=retired_on + dt.timedelta(days=1), actor=SYSTEM, decision_ref="06-QĐ/TU")
    discipline_day = min(now - dt.timedelta(days=10), dt.date(2026, 11, 10))
    discipline_record(form="reprimand", person=deputy, decided_on=discipline_day, decided_by=first,
                      decision_ref="15-QĐ/UBKT", reason="Vi phạm quy định về trách nhiệm nêu gương", actor=SYSTEM)

    # 2. A vacant standing-committee seat (Art. 4), proposed by the new head, at its second step.
    n2 = services.nomination_draft(organization=first, kind="standing_seat", position=pos["standing-member"],
                                   nominee=other_seat, source="internal", nominator=successor,
                                   action_program=PROGRAM, rationale="Bổ sung ủy viên Ban Thường vụ còn thiếu",
                                   actor=SYSTEM)
    services.nomination_introduce(nomination=n2, on=now - dt.timedelta(days=20), actor=SYSTEM)
    made += 1
    # Its nominee's brother-in-law (another family name) sits on the standing committee: recused at the
    # standing committee's step, named on the minutes; the organization board has judged one of the Regulation
    # 144 standards.
    family = other_seat.full_name.split()[0]
    voters = [p for p in bodies["standing"].members_on(now).exclude(pk__in=[successor.pk, other_seat.pk])
              .order_by("pk") if p.cell_on(now - dt.timedelta(days=18)) is not None
              and p.full_name.split()[0] != family]
    if voters and other_seat.cell_on(now - dt.timedelta(days=18)) is not None:
        kinship_declare(person=other_seat, relative=voters[-1], relation=Relation.IN_LAW,
                        declared_on=now - dt.timedelta(days=18), actor=SYSTEM)
        board = User.objects.filter(username="bantochuc").first()
        if board is not None:
            services.standards_note_record(nomination=n2, standard="integrity", met=True,
                                           note="Kê khai tài sản đầy đủ, trung thực", actor=board)
        meeting = _meeting(bodies["standing"], now - dt.timedelta(days=14), "Hội nghị Ban Thường vụ (bước 2)")
        voting = meeting.attendance.filter(present=True, voting=True).exclude(person=voters[-1]).count()
        services.step_record(nomination=n2, meeting=meeting, actor=SYSTEM, counts=Counts(
            issued=voting, returned=voting, valid=voting, invalid=0, votes=((other_seat.pk, voting - 1),)))

    # 3. The head of a directly subordinate unit (Art. 5), introduced; 4. a dismissal there, with its grounds.
    units = [o for o in organizations if o.parent_path == first.path and o.kind != OrgKind.CELL
             and Tenure.objects.filter(organization=o, position__role="head", end__isnull=True).exists()]
    if len(units) >= 2:
        unit_a, unit_b = units[0], units[1]
        held = Tenure.objects.filter(organization=unit_b, position__role="head", end__isnull=True).first()
        post_a = Tenure.objects.filter(organization=unit_a, position__role="head", end__isnull=True).first().position
        n3 = services.nomination_draft(organization=first, target=unit_a, kind="subordinate_head",
                                       position=post_a, nominee=spare, source="external",
                                       nominator=successor, action_program=PROGRAM, rationale="Tăng cường cán bộ",
                                       planning_exception_ref="88-QĐ/TU", actor=SYSTEM)
        services.nomination_introduce(nomination=n3, on=now - dt.timedelta(days=12), actor=SYSTEM)
        n4 = services.nomination_draft(organization=first, target=unit_b, kind="subordinate_dismissal",
                                       position=held.position, nominee=held.person, source="internal",
                                       nominator=successor, dismissed_tenure=held,
                                       grounds="Đơn vị hai năm liền không hoàn thành chỉ tiêu (dưới 70%)",
                                       procedure="Đã trao đổi với cá nhân; tập thể lãnh đạo thảo luận ngày 10/11",
                                       actor=SYSTEM)
        services.nomination_introduce(nomination=n4, on=now - dt.timedelta(days=5), actor=SYSTEM)
        made += 2

    # 5. In the second committee: a deputy the collective did not select at step 3 (rejected, with its vote).
    bodies2 = {b.kind: b for b in Body.objects.filter(organization=second)}
    head2 = second.head_on(now)
    standing2 = set(bodies2["standing"].members_on(now).values_list("pk", flat=True))
    candidates = list(bodies2["executive"].members_on(now).exclude(pk__in=standing2).order_by("pk")[:1])
    if head2 is not None and candidates:
        nominee = candidates[0]
        _planned(second, nominee, pos["deputy-secretary"], dt.date(2025, 9, 25), "121-QĐ/TU", root)
        n5 = services.nomination_draft(organization=second, kind="deputy", position=pos["deputy-secretary"],
                                       nominee=nominee, source="internal", nominator=head2, action_program=PROGRAM,
                                       actor=SYSTEM)
        services.nomination_introduce(nomination=n5, on=now - dt.timedelta(days=60), actor=SYSTEM)
        _steps(n5, bodies2, [now - dt.timedelta(days=50), now - dt.timedelta(days=40)], [0.7, 0.3])
        made += 1
        # 6. There too: a member introduced for election to the executive committee (Art. 3), at step 2.
        office = Tenure.objects.filter(end__isnull=True).values("person_id")
        member = (Person.objects.members_of(second, now, subtree=True).exclude(pk__in=office).order_by("pk").first())
        if member is not None:
            _planned(second, member, pos["executive-member"], dt.date(2025, 9, 25), "121-QĐ/TU", root)
            n7 = services.nomination_draft(organization=second, kind="election", position=pos["executive-member"],
                                           nominee=member, source="internal", nominator=head2,
                                           action_program=PROGRAM, rationale="Bổ sung cấp ủy viên", actor=SYSTEM)
            services.nomination_introduce(nomination=n7, on=now - dt.timedelta(days=15), actor=SYSTEM)
            _steps(n7, bodies2, [now - dt.timedelta(days=8)], [0.9])
            made += 1

    # 7. The province: a standard-procedure nomination (no pilot power), past its first step.
    root_bodies = {b.kind: b for b in Body.objects.filter(organization=root)}
    root_standing = set(root_bodies["standing"].members_on(now).values_list("pk", flat=True))
    pool = list(root_bodies["executive"].members_on(now).exclude(pk__in=root_standing).order_by("pk")[:1])
    if pool:
        nominee = pool[0]
        _planned(root, nominee, pos["standing-member"], dt.date(2025, 11, 1), "01-QĐ/TW", root)
        n6 = services.nomination_draft(organization=root, kind="standard", position=pos["standing-member"],
                                       nominee=nominee, source="internal", action_program=PROGRAM, actor=SYSTEM)
        services.nomination_introduce(nomination=n6, on=now - dt.timedelta(days=30), actor=SYSTEM)
        meeting = _meeting(root_bodies["standing"], now - dt.timedelta(days=25), "Hội nghị Ban Thường vụ")
        services.step_record(nomination=n6, meeting=meeting, counts=_counts(meeting, nominee, 0.9), actor=SYSTEM)
        made += 1
    votes = _confidence_vote(first, bodies, now)
    return f"{made} hồ sơ giới thiệu nhân sự, {votes} lần lấy phiếu tín nhiệm"


def _confidence_vote(org: Organization, bodies: dict[str, Body], now: dt.date) -> int:
    """The executive committee's confidence vote on the standing committee, a month ago: one cadre over half
    low (out of the planning for higher posts; the ledger of whoever nominated them follows)."""
    from .confidence import CadreCounts
    from .confidence_services import confidence_proposal, confidence_record

    meeting = _meeting(bodies["executive"], now - dt.timedelta(days=30), "Hội nghị lấy phiếu tín nhiệm giữa nhiệm kỳ")
    present = meeting.attendance.filter(present=True, voting=True).count()
    standing = set(bodies["standing"].members_on(meeting.date).values_list("pk", flat=True))
    listed = [p.tenure for p in confidence_proposal(org, meeting.date)
              if not p.left_out and p.tenure.person_id in standing][:4]
    if len(listed) < 2 or present < 4:
        return 0
    high = present - 2
    rows = [(t.pk, CadreCounts(high=high, confidence=2, low=0, invalid=0)) for t in listed[:-1]]
    low = present // 2 + 1
    rows.append((listed[-1].pk, CadreCounts(high=0, confidence=present - low, low=low, invalid=0)))
    confidence_record(organization=org, meeting=meeting, issued=present, returned=present, rows=rows, actor=SYSTEM)
    return 1
