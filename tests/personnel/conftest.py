"""A subordinate committee whose head introduces a deputy: its standing committee, a planned nominee, meetings."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

from common.actors import SYSTEM
from common.reasons import Refused
from governance.models import Decision, Matter
from governance.services import (
    AttendanceRow,
    attendance_save,
    decision_record_collective,
    meeting_open,
    regulation_adopt,
    regulation_from_template,
)
from organizations.models import Body, BodyKind, Organization, Person, RoleKind
from organizations.services import role_grant
from personnel import services
from personnel.models import Nomination, ProcedureStep, ResponsibilityEntry
from personnel.rules import Counts

from ..factories import MembershipFactory, PersonFactory, TenureFactory, UserFactory, position

PROGRAM = {"work": "Chuyển đổi số công tác đảng", "people": "Ban Tổ chức, Văn phòng", "schedule": "Quý I/2027",
           "results": "100% chi bộ dùng sổ điện tử", "responsibility": "Phó Bí thư trực tiếp chịu trách nhiệm"}


@dataclass
class Committee:
    org: Organization
    standing: Body
    executive: Body
    head: Person
    head_user: object
    clerk: object
    members: list[Person]  # the standing committee, the head among them
    nominee: Person
    others: list[Person] = field(default_factory=list)

    def meeting(self, day: dt.date, body: Body | None = None, absent: int = 0, title: str = "Hội nghị"):
        meeting = meeting_open(body=body or self.standing, date=day, title=title, actor=SYSTEM)
        if absent:
            rows = [AttendanceRow(a.person_id, i >= absent, "Đi công tác" if i < absent else "")
                    for i, a in enumerate(meeting.attendance.order_by("person_id"))]
            attendance_save(meeting=meeting, rows=rows, actor=SYSTEM)
        return meeting

    def draft(self, **kw) -> Nomination:
        fields = dict(organization=self.org, kind="deputy", position=position("deputy-secretary"),
                      nominee=self.nominee, source="internal", nominator=self.head, rationale="Có năng lực",
                      action_program=PROGRAM, actor=SYSTEM)
        fields.update(kw)
        return services.nomination_draft(**fields)

    def introduced(self, on: dt.date = dt.date(2026, 3, 2), **kw) -> Nomination:
        nomination = self.draft(**kw)
        return services.nomination_introduce(nomination=nomination, on=on, actor=self.head_user)


def counts(present: int, votes: dict[int, int], invalid: int = 0) -> Counts:
    return Counts(issued=present, returned=present, valid=present - invalid, invalid=invalid,
                  votes=tuple(votes.items()))


def build_committee(org: Organization, *, cell: Organization | None, planned_by: Organization, suffix: str = "a",
                    names: str = "Ủy viên Thường vụ") -> Committee:
    """A committee at ``org``: a standing committee of 9 (the head among them, each also of the executive), their
    memberships in ``cell``, the head with a login and the head's role, a clerk, and a nominee planned for deputy
    secretary there by ``planned_by``."""
    standing = Body.objects.create(organization=org, kind=BodyKind.STANDING)
    executive = Body.objects.create(organization=org, kind=BodyKind.EXECUTIVE)
    members = [PersonFactory(full_name=f"{names} {i}") for i in range(9)]
    if cell is not None:
        for p in members:
            MembershipFactory(person=p, organization=cell)
    head = members[0]
    TenureFactory(person=head, position=position("secretary"), organization=org, body=standing,
                  start=dt.date(2025, 9, 1))
    for p in members[1:]:
        TenureFactory(person=p, position=position("standing-member"), organization=org, body=standing,
                      start=dt.date(2025, 9, 1))
    for p in members:
        TenureFactory(person=p, position=position("executive-member"), organization=org, body=executive,
                      start=dt.date(2025, 9, 1))
    nominee = members[3]
    head_user = UserFactory(username=f"bithu_{suffix}")
    role_grant(user=head_user, kind=RoleKind.HEAD, organization=org, actor=SYSTEM)
    head.user = head_user
    head.save()
    clerk = UserFactory(username=f"vanphong_{suffix}")
    role_grant(user=clerk, kind=RoleKind.COMMITTEE_STAFF, organization=org, actor=SYSTEM)
    services.planning_add(organization=org, person=nominee, position=position("deputy-secretary"),
                          term="2025-2030", added_on=dt.date(2025, 12, 1), added_ref="15-QĐ/TU",
                          added_by=planned_by, actor=SYSTEM)
    return Committee(org, standing, executive, head, head_user, clerk, members, nominee)


@pytest.fixture
def committee(province) -> Committee:
    """Subordinate committee A: its standing committee of 9 registered in cell 1, head ``bithu_a``, clerk
    ``vanphong_a``, the nominee planned for deputy secretary by the province."""
    return build_committee(province.sub_a, cell=province.cell_1, planned_by=province.root)


@contextmanager
def refused(*codes: str):
    """The block is refused with (at least) these codes; the refusal is ``info.value``."""
    with pytest.raises(Refused) as info:
        yield info
    assert set(codes) <= set(info.value.codes), info.value.codes


@contextmanager
def nothing_recorded():
    """The block writes no step and no ledger entry (a refusal leaves no trace of the act)."""
    steps, entries = ProcedureStep.objects.count(), ResponsibilityEntry.objects.count()
    yield
    assert (ProcedureStep.objects.count(), ResponsibilityEntry.objects.count()) == (steps, entries)


def through_steps(c: Committee, nomination: Nomination, votes: list[int], start: dt.date = dt.date(2026, 3, 9),
                  body=None):
    """Record the remaining steps one a week, with these votes for the nominee out of 9 present."""
    from personnel import services

    steps = []
    for i, v in enumerate(votes):
        meeting = c.meeting(start + dt.timedelta(days=7 * i), body)
        steps.append(services.step_record(nomination=nomination, meeting=meeting,
                                          counts=counts(9, {nomination.nominee_id: v}), actor=c.clerk))
    nomination.refresh_from_db()
    return steps


@dataclass
class Appointing:
    """Committee A's working regulation (the provincial template, in force from 01/09/2025): NS-01 is a personnel
    matter of the standing committee, CT-01 a policy matter of the executive."""

    committee: Committee
    personnel: Matter
    policy: Matter

    def decision(self, day: dt.date, votes_for: int = 7, matter: Matter | None = None,
                 title: str = "Quyết định về công tác cán bộ") -> Decision:
        matter = matter or self.personnel
        body = self.committee.standing if matter.body_kind == "standing" else self.committee.executive
        meeting = meeting_open(body=body, date=day, title="Hội nghị", actor=SYSTEM, matters=[matter])
        return decision_record_collective(meeting=meeting, matter=matter, title=title, votes_for=votes_for,
                                          votes_against=9 - votes_for, actor=SYSTEM)


@pytest.fixture
def appointing(committee) -> Appointing:
    draft = regulation_from_template(organization=committee.org, template="provincial",
                                     title="Quy chế làm việc Ban Chấp hành khóa 2025-2030", actor=SYSTEM)
    regulation_adopt(regulation=draft, start=dt.date(2025, 9, 1), actor=SYSTEM, adoption_ref="01-QC/ĐU")
    return Appointing(committee, draft.matters.get(code="NS-01"), draft.matters.get(code="CT-01"))
