"""Decisions checked against the working regulation in force: quorum, majority, authority,
versions, recusal, individual authority, report-back, frozen minutes and corrections."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from common.actors import SYSTEM
from governance import services as svc
from governance.models import Decision, DecisionStatus, Field, Mode, WorkingRegulation
from organizations.models import BodyKind, Kinship, PositionRole, Relation
from regulations.citations import citation_text
from tests.factories import BodyFactory, PersonFactory, TenureFactory, make_org, position

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def committee(province):
    """A grassroots committee: an 11-member executive committee, a 3-member standing committee."""
    org = province.grassroots
    executive = BodyFactory(organization=org, kind=BodyKind.EXECUTIVE)
    standing = BodyFactory(organization=org, kind=BodyKind.STANDING)
    members = []
    for i in range(11):
        code = "secretary" if i == 0 else "deputy-secretary" if i == 1 else "executive-member"
        tenure = TenureFactory(position=position(code), organization=org, body=executive, start=D(2020, 10, 1),
                               person__full_name=f"Ủy viên {i + 1}")
        members.append(tenure.person)
        if i < 3:
            TenureFactory(person=tenure.person, position=position(code if i < 2 else "standing-member"),
                          organization=org, body=standing, start=D(2020, 10, 1))
    regulation = WorkingRegulation.objects.create(organization=org, version=1, title="Quy chế làm việc khóa 2020")
    matters = {
        "NS-01": svc.matter_add(regulation=regulation, actor=SYSTEM, code="NS-01", title="Giới thiệu nhân sự",
                                field=Field.PERSONNEL, mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE,
                                ballot="secret", provisions=[{"code": "ĐLĐ-2011", "ref": "9.5"}]),
        "CT-01": svc.matter_add(regulation=regulation, actor=SYSTEM, code="CT-01", title="Chương trình công tác",
                                field=Field.POLICY, mode=Mode.COLLECTIVE, body_kind=BodyKind.STANDING),
        "TC-01": svc.matter_add(regulation=regulation, actor=SYSTEM, code="TC-01", title="Chi thường xuyên",
                                field=Field.FINANCE, mode=Mode.HEAD_REPORTS, role=PositionRole.HEAD,
                                report_within_days=15),
    }
    svc.regulation_adopt(regulation=regulation, start=D(2021, 1, 1), actor=SYSTEM, adoption_ref="01-QĐ/ĐU")
    return {"org": org, "executive": executive, "standing": standing, "members": members,
            "regulation": regulation, "matters": matters}


MEETING_DAY = D(2025, 3, 10)


def _meeting(c, date=MEETING_DAY, body="executive", absent=()):
    meeting = svc.meeting_open(body=c[body], date=date, title="Hội nghị Ban Chấp hành", actor=SYSTEM,
                               matters=[c["matters"]["NS-01"]])
    for person in absent:
        svc.attendance_set(meeting=meeting, person=person, present=False, reason="Đi công tác", actor=SYSTEM)
    return meeting


def test_the_worked_example_quorum_then_majority_then_valid(committee):
    ns = committee["matters"]["NS-01"]
    meeting = _meeting(committee, absent=committee["members"][7:])  # 7 of 11 present
    with pytest.raises(svc.DecisionRefused) as refused:
        svc.decision_record_collective(meeting=meeting, matter=ns, title="Giới thiệu A", votes_for=7, actor=SYSTEM)
    assert [r.code for r in refused.value.reasons] == ["quorum"]
    assert citation_text(refused.value.reasons[0].cite_code, refused.value.reasons[0].cite_ref) == \
        "Khoản 1 Điều 21 Quy định 80-QĐ/TW"  # a meeting of 2025-03-10: Regulation 80 was still in force

    svc.attendance_set(meeting=meeting, person=committee["members"][7], present=True, actor=SYSTEM)  # 8 present
    # A quorate meeting that votes no has decided: the motion is recorded as not passed, not refused.
    voted_down = svc.decision_record_collective(meeting=meeting, matter=ns, title="Giới thiệu A", votes_for=5,
                                                votes_against=3, actor=SYSTEM)
    assert voted_down.status == DecisionStatus.NOT_PASSED
    assert [r["code"] for r in voted_down.reasons] == ["majority"]
    assert citation_text(voted_down.reasons[0]["cite"]["code"], voted_down.reasons[0]["cite"]["ref"]) == \
        "Khoản 5 Điều 9 Điều lệ Đảng"

    decision = svc.decision_record_collective(meeting=meeting, matter=ns, title="Giới thiệu A", votes_for=6,
                                              votes_against=2, actor=SYSTEM)
    assert decision.status == DecisionStatus.VALID and decision.reasons == []
    assert decision.regulation == committee["regulation"] and decision.ballot == "secret"


def test_a_failing_decision_can_only_be_recorded_as_irregular(committee):
    meeting = _meeting(committee, absent=committee["members"][7:])
    decision = svc.decision_record_collective(meeting=meeting, matter=committee["matters"]["NS-01"], title="X",
                                              votes_for=7, record_as_irregular=True, actor=SYSTEM)
    assert decision.status == DecisionStatus.IRREGULAR
    assert decision.reasons[0]["code"] == "quorum"


def test_the_wrong_body_or_ballot_is_flagged(committee):
    meeting = _meeting(committee, body="standing")
    with pytest.raises(svc.DecisionRefused) as refused:
        svc.decision_record_collective(meeting=meeting, matter=committee["matters"]["NS-01"], title="X",
                                       votes_for=3, ballot="open", actor=SYSTEM)
    codes = [r.code for r in refused.value.reasons]
    assert codes == ["wrong_body", "wrong_ballot"]
    assert "thuộc thẩm quyền của Ban Chấp hành, không phải Ban Thường vụ" in refused.value.reasons[0].message


def test_a_decision_under_a_superseded_working_regulation(committee):
    old_matter = committee["matters"]["NS-01"]
    draft = svc.regulation_draft(organization=committee["org"], title="Quy chế khóa 2025", actor=SYSTEM)
    assert sorted(draft.matters.values_list("code", flat=True)) == ["CT-01", "NS-01", "TC-01"]  # a copy
    svc.regulation_adopt(regulation=draft, start=D(2025, 10, 1), actor=SYSTEM)
    committee["regulation"].refresh_from_db()
    assert committee["regulation"].end == D(2025, 9, 30)

    before = _meeting(committee, date=D(2025, 9, 30))
    assert svc.decision_record_collective(meeting=before, matter=old_matter, title="Cũ", votes_for=8,
                                          actor=SYSTEM).status == DecisionStatus.VALID
    after = _meeting(committee, date=D(2025, 10, 1))
    with pytest.raises(svc.DecisionRefused) as refused:
        svc.decision_record_collective(meeting=after, matter=old_matter, title="Mới", votes_for=8, actor=SYSTEM)
    assert refused.value.reasons[0].code == "other_version"
    assert "phiên bản 1, không phải phiên bản 2" in refused.value.reasons[0].message
    new_matter = draft.matters.get(code="NS-01")
    assert svc.decision_record_collective(meeting=after, matter=new_matter, title="Mới", votes_for=8,
                                          actor=SYSTEM).regulation == draft


def test_an_adopted_version_is_frozen_and_personnel_goes_by_secret_ballot(committee):
    with pytest.raises(ValidationError, match="đã ban hành không sửa được"):
        svc.matter_add(regulation=committee["regulation"], actor=SYSTEM, code="X", title="X", field=Field.OTHER,
                       mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE)
    draft = svc.regulation_draft(organization=committee["org"], title="Dự thảo", actor=SYSTEM)
    with pytest.raises(ValidationError, match="phải bỏ phiếu kín"):
        svc.matter_add(regulation=draft, actor=SYSTEM, code="NS-02", title="Bổ nhiệm", field=Field.PERSONNEL,
                       mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE, ballot="open")
    with pytest.raises(ValidationError, match="Không tìm thấy Điều 99"):
        svc.matter_add(regulation=draft, actor=SYSTEM, code="NS-03", title="Y", field=Field.OTHER,
                       mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE,
                       provisions=[{"code": "ĐLĐ-2011", "ref": "99"}])


def test_a_member_related_to_the_person_concerned_is_recused_and_not_counted(committee):
    nominee = PersonFactory(full_name="Người được giới thiệu")
    Kinship.objects.create(person=nominee, relative=committee["members"][4], relation=Relation.SIBLING,
                           organization=committee["org"])
    meeting = _meeting(committee, absent=committee["members"][9:])  # 9 present, one of them recused
    decision = svc.decision_record_collective(meeting=meeting, matter=committee["matters"]["NS-01"], title="GT",
                                              votes_for=6, votes_against=2, concerns=nominee, actor=SYSTEM)
    assert list(decision.recused.all()) == [committee["members"][4]]
    assert decision.status == DecisionStatus.VALID  # 6 of a base of 10
    with pytest.raises(svc.DecisionRefused) as refused:  # 9 votes cast by 8 who may vote
        svc.decision_record_collective(meeting=meeting, matter=committee["matters"]["NS-01"], title="GT",
                                       votes_for=7, votes_against=2, concerns=nominee, actor=SYSTEM)
    assert refused.value.reasons[0].code == "count_votes_over_voters"


def test_a_relation_ended_before_the_meeting_recuses_nobody(committee):
    nominee = PersonFactory(full_name="Người được giới thiệu")
    meeting = _meeting(committee, absent=committee["members"][9:])
    Kinship.objects.create(person=nominee, relative=committee["members"][4], relation=Relation.SPOUSE,
                           organization=committee["org"], declared_on=meeting.date - dt.timedelta(days=400),
                           ended_on=meeting.date - dt.timedelta(days=1))
    decision = svc.decision_record_collective(meeting=meeting, matter=committee["matters"]["NS-01"], title="GT",
                                              votes_for=6, votes_against=3, concerns=nominee, actor=SYSTEM)
    assert list(decision.recused.all()) == []


def test_the_head_decides_and_must_report_back(committee):
    tc, secretary, deputy = committee["matters"]["TC-01"], committee["members"][0], committee["members"][1]
    decision = svc.decision_record_individual(organization=committee["org"], matter=tc, date=D(2025, 4, 1),
                                              title="Chi hội nghị", signatory=secretary, actor=SYSTEM)
    assert decision.status == DecisionStatus.VALID and decision.signatory_tenure.position.code == "secretary"
    assert decision.report_due == D(2025, 4, 16)
    assert not decision.overdue_on(D(2025, 4, 16)) and decision.overdue_on(D(2025, 4, 17))
    decision = svc.decision_report_back(decision=decision, meeting=_meeting(committee, date=D(2025, 4, 10)),
                                        actor=SYSTEM)
    assert not decision.overdue_on(D(2025, 5, 1))

    with pytest.raises(svc.DecisionRefused, match="cấp phó cần văn bản ủy quyền"):
        svc.decision_record_individual(organization=committee["org"], matter=tc, date=D(2025, 4, 2),
                                       title="Chi", signatory=deputy, actor=SYSTEM)
    delegated = svc.decision_record_individual(organization=committee["org"], matter=tc, date=D(2025, 4, 2),
                                               title="Chi", signatory=deputy, delegation_ref="05-UQ/ĐU", actor=SYSTEM)
    assert delegated.status == DecisionStatus.VALID and delegated.signatory_tenure.person == deputy
    with pytest.raises(svc.DecisionRefused, match="thuộc thẩm quyền|không giữ chức danh"):
        svc.decision_record_individual(organization=committee["org"], matter=tc, date=D(2025, 4, 2), title="Chi",
                                       signatory=committee["members"][5], actor=SYSTEM)
    with pytest.raises(svc.DecisionRefused, match="do Ban Thường vụ quyết định, không phải cá nhân"):
        svc.decision_record_individual(organization=committee["org"], matter=committee["matters"]["CT-01"],
                                       date=D(2025, 4, 2), title="CT", signatory=secretary, actor=SYSTEM)


def test_the_secretary_who_heads_the_agency_decides_for_the_agency(committee):
    agency = make_org(committee["org"], kind="agency", name="Sở Tài chính")
    leadership = BodyFactory(organization=agency, kind=BodyKind.LEADERSHIP)
    secretary = committee["members"][0]
    TenureFactory(person=secretary, position=position("agency-head"), organization=agency, body=leadership,
                  start=D(2024, 1, 1), concurrent=True)
    regulation = WorkingRegulation.objects.create(organization=agency, version=1, title="Quy chế của Sở")
    buy = svc.matter_add(regulation=regulation, actor=SYSTEM, code="MS-01", title="Mua sắm dưới 50 triệu",
                         field=Field.PROCUREMENT, mode=Mode.HEAD_REPORTS, role=PositionRole.HEAD)
    svc.regulation_adopt(regulation=regulation, start=D(2024, 1, 1), actor=SYSTEM)
    decision = svc.decision_record_individual(organization=agency, matter=buy, date=D(2025, 5, 5),
                                              title="Mua máy tính", signatory=secretary, actor=SYSTEM)
    assert decision.status == DecisionStatus.VALID
    assert decision.signatory_tenure.organization == agency  # the agency post, not the party post


def test_approved_minutes_freeze_the_meeting_and_corrections_are_new_decisions(committee):
    meeting = _meeting(committee)
    original = svc.decision_record_collective(meeting=meeting, matter=committee["matters"]["NS-01"],
                                              title="Giới thiệu B", votes_for=8, actor=SYSTEM)
    svc.minutes_approve(meeting=meeting, actor=SYSTEM)
    with pytest.raises(ValidationError, match="đã được thông qua"):
        svc.attendance_set(meeting=meeting, person=committee["members"][3], present=False, reason="ốm", actor=SYSTEM)
    with pytest.raises(ValidationError, match="đã được thông qua"):
        svc.decision_record_collective(meeting=meeting, matter=committee["matters"]["NS-01"], title="Thêm",
                                       votes_for=8, actor=SYSTEM)
    with pytest.raises(ValidationError, match="đã được thông qua"):
        svc.minutes_approve(meeting=meeting, actor=SYSTEM)
    later = _meeting(committee, date=D(2025, 3, 20))
    correction = svc.decision_record_collective(meeting=later, matter=committee["matters"]["NS-01"],
                                                title="Đính chính: giới thiệu B", votes_for=9, corrects=original,
                                                actor=SYSTEM)
    assert list(original.corrections.all()) == [correction]
    original.refresh_from_db()
    assert original.votes_for == 8  # the old record is unchanged


def test_an_absence_needs_a_reason_and_only_convened_members_are_marked(committee):
    meeting = _meeting(committee)
    with pytest.raises(ValidationError, match="Ghi lý do vắng mặt"):
        svc.attendance_set(meeting=meeting, person=committee["members"][2], present=False, actor=SYSTEM)
    with pytest.raises(ValidationError, match="không thuộc thành phần được triệu tập"):
        svc.attendance_set(meeting=meeting, person=PersonFactory(), present=True, actor=SYSTEM)
    assert meeting.attendance.count() == 11


def test_no_regulation_in_force_refuses_with_a_reason(committee):
    meeting = _meeting(committee, date=D(2020, 12, 31))  # before the first version took effect
    with pytest.raises(svc.DecisionRefused, match="không có quy chế làm việc có hiệu lực"):
        svc.decision_record_collective(meeting=meeting, matter=committee["matters"]["NS-01"], title="X",
                                       votes_for=9, record_as_irregular=True, actor=SYSTEM)


@pytest.mark.parametrize("template", ["provincial", "grassroots", "agency"])
def test_templates_start_a_draft_whose_every_citation_resolves(province, template):
    from governance.regulation_templates import TEMPLATES
    from regulations.citations import resolve

    draft = svc.regulation_from_template(organization=province.sub_a, template=template, title="Dự thảo",
                                         actor=SYSTEM)
    assert draft.matters.count() == len(TEMPLATES[template]["matters"]) and not draft.is_adopted
    expected = sum(len(m.get("provisions", [])) for m in TEMPLATES[template]["matters"])
    cited = [c for matter in draft.matters.prefetch_related("citations__document") for c in matter.citations.all()]
    assert len(cited) == expected > 0
    for citation in cited:
        assert resolve(citation.document.code, citation.ref) is not None
        assert citation.scope == province.sub_a.path


def test_a_provision_lists_the_matters_that_cite_it_to_those_who_may_see_them(committee, staff_a, outsider):
    from regulations.citations import cited_by, resolve

    labels = [c.label for c in cited_by(resolve("ĐLĐ-2011", "9.5"), staff_a)]
    assert any(label.startswith("NS-01 — Giới thiệu nhân sự") for label in labels)
    assert not cited_by(resolve("ĐLĐ-2011", "9.5"), outsider).exists()  # committee B sees nothing of A


def test_a_roll_call_with_one_bad_row_saves_nothing(committee):
    meeting = _meeting(committee)
    members = committee["members"]
    rows = [svc.AttendanceRow(members[0].pk, False, "Ốm"), svc.AttendanceRow(members[1].pk, False, "  ")]
    with pytest.raises(ValidationError, match="Ghi lý do vắng mặt"):
        svc.attendance_save(meeting=meeting, rows=rows, actor=SYSTEM)
    assert meeting.attendance.filter(present=False).count() == 0  # the good row was not saved either
    svc.attendance_save(meeting=meeting, rows=[*rows[:1], svc.AttendanceRow(members[1].pk, False, "Đi học")],
                        actor=SYSTEM)
    assert set(meeting.attendance.filter(present=False).values_list("person_id", flat=True)) == {
        members[0].pk, members[1].pk}


def test_a_probationary_member_attends_a_cell_meeting_without_a_vote(province):
    from governance.models import WorkingRegulation
    from tests.factories import MembershipFactory

    cell = province.cell_b
    full = [MembershipFactory(organization=cell, person__official_date=D(2010, 1, 1)).person for _ in range(3)]
    probationary = MembershipFactory(organization=cell, person__join_date=D(2025, 1, 1),
                                     person__official_date=None).person
    body = BodyFactory(organization=cell, kind=BodyKind.CELL_MEETING)
    regulation = WorkingRegulation.objects.create(organization=cell, version=1, title="Quy chế chi bộ")
    matter = svc.matter_add(regulation=regulation, actor=SYSTEM, code="CB-01", title="Nghị quyết chi bộ",
                            field=Field.POLICY, mode=Mode.COLLECTIVE, body_kind=BodyKind.CELL_MEETING)
    svc.regulation_adopt(regulation=regulation, start=D(2021, 1, 1), actor=SYSTEM)
    meeting = svc.meeting_open(body=body, date=MEETING_DAY, title="Sinh hoạt chi bộ", actor=SYSTEM)
    assert meeting.attendance.count() == 4
    assert list(meeting.attendance.filter(voting=False).values_list("person", flat=True)) == [probationary.pk]
    # the base is the 3 full members: 2 votes are more than half of 3 (they would not be of 4)
    decision = svc.decision_record_collective(meeting=meeting, matter=matter, title="NQ", votes_for=2, actor=SYSTEM)
    assert decision.status == DecisionStatus.VALID
    with pytest.raises(svc.DecisionRefused) as refused:  # 4 votes from 3 voters: impossible, never recorded
        svc.decision_record_collective(meeting=meeting, matter=matter, title="NQ", votes_for=4,
                                       record_as_irregular=True, actor=SYSTEM)
    assert refused.value.impossible and [r.code for r in refused.value.reasons] == ["count_votes_over_voters"]
    assert full  # the full members are the ones convened with a vote


def test_an_election_needs_more_than_half_of_all_convened_and_no_quorum(committee):
    regulation = svc.regulation_draft(organization=committee["org"], title="Quy chế sửa đổi", actor=SYSTEM)
    svc.matter_add(regulation=regulation, actor=SYSTEM, code="BC-01", title="Bầu bổ sung", field=Field.PERSONNEL,
                   mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE, ballot="secret", election=True)
    svc.regulation_adopt(regulation=regulation, start=D(2025, 1, 1), actor=SYSTEM)
    election = regulation.matters.get(code="BC-01")
    meeting = _meeting(committee, absent=committee["members"][6:])  # 6 of 11 present: below a 2/3 quorum
    decision = svc.decision_record_collective(meeting=meeting, matter=election, title="Bầu A", votes_for=6,
                                              actor=SYSTEM)
    assert decision.status == DecisionStatus.VALID  # 6 of 11 convened elects; no quorum applies
    not_elected = svc.decision_record_collective(meeting=meeting, matter=election, title="Bầu B", votes_for=5,
                                                 actor=SYSTEM)
    assert not_elected.status == DecisionStatus.NOT_PASSED  # 5 of 11: not elected, a valid outcome
    assert not_elected.reasons == [{"code": "election", "params": {"votes": 5, "convened": 11, "needed": 6},
                                    "cite": {"code": "ĐLĐ-2011", "ref": "12.3"}}]


def test_a_refusal_reads_in_the_readers_language(committee):
    from django.utils import translation

    meeting = _meeting(committee, absent=committee["members"][7:])
    decision = svc.decision_record_collective(meeting=meeting, matter=committee["matters"]["NS-01"], title="X",
                                              votes_for=7, record_as_irregular=True, actor=SYSTEM)
    assert decision.reasons == [{"code": "quorum", "params": {"present": 7, "in_office": 11, "needed": 8},
                                 "cite": {"code": "80-QĐ/TW", "ref": "21.1"}}]
    from common.reasons import Reason

    with translation.override("en"):
        assert Reason.from_json(decision.reasons[0]).message == "Only 7/11 members present; at least 8 needed."
    with translation.override("vi"):
        assert Reason.from_json(decision.reasons[0]).message == "Chỉ có 7/11 thành viên có mặt; cần ít nhất 8."


def test_nothing_is_decided_after_today_and_overdue_follows_the_clock(committee, clock):
    from tests.conftest import TODAY

    tc, secretary = committee["matters"]["TC-01"], committee["members"][0]
    tomorrow = TODAY + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match=r"sau hôm nay \(25/11/2026\)"):
        svc.decision_record_individual(organization=committee["org"], matter=tc, date=tomorrow,
                                       title="Chi", signatory=secretary, actor=SYSTEM)
    decision = svc.decision_record_individual(organization=committee["org"], matter=tc, date=TODAY,
                                              title="Chi", signatory=secretary, actor=SYSTEM)
    assert decision.report_due == D(2026, 12, 9) and not decision.overdue_on()
    clock.move_to(dt.datetime(2026, 12, 10, 9, tzinfo=dt.UTC))  # the day after the deadline
    assert decision.overdue_on()
    svc.decision_record_individual(organization=committee["org"], matter=tc, date=tomorrow,
                                   title="Chi (ngày đã qua)", signatory=secretary, actor=SYSTEM)


def test_voted_down_with_another_fault_is_still_irregular_and_impossible_counts_never_record(committee):
    meeting = _meeting(committee, absent=committee["members"][7:])  # 7 of 11: no quorum
    with pytest.raises(svc.DecisionRefused) as refused:  # no quorum and too few votes: not a "no"
        svc.decision_record_collective(meeting=meeting, matter=committee["matters"]["NS-01"], title="X",
                                       votes_for=2, votes_against=5, actor=SYSTEM)
    assert [r.code for r in refused.value.reasons] == ["quorum", "majority"]
    with pytest.raises(svc.DecisionRefused) as refused:  # 9 votes from 7 present: refused, even as irregular
        svc.decision_record_collective(meeting=meeting, matter=committee["matters"]["NS-01"], title="X",
                                       votes_for=2, votes_against=7, record_as_irregular=True, actor=SYSTEM)
    assert refused.value.impossible and [r.code for r in refused.value.reasons] == ["count_votes_over_voters"]
    assert not Decision.objects.exists()


def test_a_meeting_ahead_takes_no_roll_call_and_no_decision_until_its_day(committee, clock):
    from tests.conftest import TODAY

    ahead = svc.meeting_open(body=committee["executive"], date=TODAY + dt.timedelta(days=7), title="HN sắp tới",
                             actor=SYSTEM)  # scheduling ahead is allowed
    with pytest.raises(ValidationError, match="chưa diễn ra"):
        svc.attendance_set(meeting=ahead, person=committee["members"][3], present=False, reason="Ốm", actor=SYSTEM)
    with pytest.raises(ValidationError, match="sau hôm nay"):
        svc.decision_record_collective(meeting=ahead, matter=committee["matters"]["CT-01"], title="Sớm",
                                       votes_for=3, actor=SYSTEM)
    clock.move_to(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC))  # the day of the meeting
    svc.attendance_set(meeting=ahead, person=committee["members"][3], present=False, reason="Ốm", actor=SYSTEM)
    assert ahead.attendance.get(person=committee["members"][3]).absence_reason == "Ốm"
