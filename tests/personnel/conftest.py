"""A subordinate committee whose head introduces a deputy: its standing committee, a planned nominee, meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from common.actors import SYSTEM
from governance.services import AttendanceRow, attendance_save, meeting_open
from organizations.models import Body, BodyKind, Organization, Person, RoleKind
from organizations.services import role_grant
from personnel import services
from personnel.models import Nomination
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


@pytest.fixture
def committee(province) -> Committee:
    org = province.sub_a
    standing = Body.objects.create(organization=org, kind=BodyKind.STANDING)
    executive = Body.objects.create(organization=org, kind=BodyKind.EXECUTIVE)
    members = [PersonFactory(full_name=f"Ủy viên Thường vụ {i}") for i in range(9)]
    for p in members:
        MembershipFactory(person=p, organization=province.cell_1)
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
    head_user = UserFactory(username="bithu_a")
    role_grant(user=head_user, kind=RoleKind.HEAD, organization=org, actor=SYSTEM)
    head.user = head_user
    head.save()
    clerk = UserFactory(username="vanphong_a")
    role_grant(user=clerk, kind=RoleKind.COMMITTEE_STAFF, organization=org, actor=SYSTEM)
    services.planning_add(organization=org, person=nominee, position=position("deputy-secretary"),
                          term="2025-2030", added_on=dt.date(2025, 12, 1), added_ref="15-QĐ/TU",
                          added_by=province.root, actor=SYSTEM)
    return Committee(org, standing, executive, head, head_user, clerk, members, nominee)
