"""Working-regulation pages: who may see and record, the dashboard and its query count."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from common.actors import SYSTEM
from governance import services as svc
from governance.models import Decision, Field, Mode, WorkingRegulation
from organizations.models import BodyKind, PositionRole
from tests.factories import BodyFactory, MembershipFactory, TenureFactory, make_org, position

pytestmark = pytest.mark.django_db
D = dt.date


TERM_START = D(2020, 10, 1)


def _committee(org, members=5, start=TERM_START):
    executive = BodyFactory(organization=org, kind=BodyKind.EXECUTIVE)
    people = [TenureFactory(position=position("secretary" if i == 0 else "executive-member"), organization=org,
                            body=executive, start=start).person for i in range(members)]
    for person in people:  # office holders are party members of the organization
        MembershipFactory(person=person, organization=org)
    regulation = WorkingRegulation.objects.create(organization=org, version=1, title="Quy chế")
    collective = svc.matter_add(regulation=regulation, actor=SYSTEM, code="CT-01", title="Chương trình",
                                field=Field.POLICY, mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE)
    individual = svc.matter_add(regulation=regulation, actor=SYSTEM, code="TC-01", title="Chi",
                                field=Field.FINANCE, mode=Mode.HEAD_REPORTS, role=PositionRole.HEAD,
                                report_within_days=10)
    svc.regulation_adopt(regulation=regulation, start=D(2021, 1, 1), actor=SYSTEM)
    return executive, people, collective, individual


def irregular_decision(meeting, people, matter, title: str):
    """A decision of a meeting without its quorum (3 of 5 present), recorded as irregular."""
    for person in people[-2:]:
        svc.attendance_set(meeting=meeting, person=person, present=False, reason="Ốm", actor=SYSTEM)
    return svc.decision_record_collective(meeting=meeting, matter=matter, title=title, votes_for=3,
                                          record_as_irregular=True, actor=SYSTEM)


def test_recording_needs_the_committee_staff_role(client, province, staff_a, board_officer, outsider):
    _committee(province.grassroots)
    url = f"/org/{province.grassroots.pk}/meetings/new/"
    client.force_login(board_officer)
    assert client.get(url).status_code == 403  # may see, may not record
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(staff_a)
    assert client.get(url).status_code == 200


def test_a_template_draft_is_created_from_the_page(client, province, staff_a):
    client.force_login(staff_a)
    response = client.post(f"/org/{province.grassroots.pk}/working-regulations/",
                           {"template": "grassroots", "title": "Quy chế khóa 2025–2030"})
    draft = WorkingRegulation.objects.get()
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    assert draft.matters.count() == 4
    response = client.post(f"/working-regulations/{draft.pk}/adopt/review/", {"start": "31/02/2026"})
    assert "Ngày 31/02/2026 không có trong lịch." in [str(m) for m in response.wsgi_request._messages]
    form = {"start": "01/01/2026", "adoption_ref": "12-QĐ/ĐU"}
    confirm = client.post(f"/working-regulations/{draft.pk}/adopt/review/", form)  # first: what it will do
    html = confirm.content.decode()
    assert 'data-testid="adopt-confirm"' in html
    assert f'action="/working-regulations/{draft.pk}/adopt/"' in html and 'name="confirm"' not in html
    draft.refresh_from_db()
    assert draft.start is None
    assert client.get(f"/working-regulations/{draft.pk}/adopt/review/").status_code == 405
    assert client.get(f"/working-regulations/{draft.pk}/adopt/").status_code == 405
    client.post(f"/working-regulations/{draft.pk}/adopt/", form)
    draft.refresh_from_db()
    assert draft.start == D(2026, 1, 1) and draft.adoption_ref == "12-QĐ/ĐU"


def test_the_version_page_shows_what_changed(client, province, staff_a):
    _committee(province.grassroots)
    draft = svc.regulation_draft(organization=province.grassroots, title="Bản mới", actor=SYSTEM)
    draft.matters.filter(code="TC-01").update(report_within_days=5)
    svc.matter_add(regulation=draft, actor=SYSTEM, code="PC-01", title="Phân công", field=Field.ORGANIZATION,
                   mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE)
    client.force_login(staff_a)
    changes = client.get(draft.get_absolute_url()).context["changes"]
    assert [m.code for m in changes["added"]] == ["PC-01"]
    assert [m.code for m in changes["changed"]] == ["TC-01"] and changes["removed"] == []


def test_dashboard_lists_irregular_overdue_and_stale(client, province, inspector_a):
    executive, people, collective, individual = _committee(province.grassroots)
    meeting = svc.meeting_open(body=executive, date=D(2026, 3, 2), title="HN", actor=SYSTEM)
    irregular_decision(meeting, people, collective, "Thiếu phiếu")
    svc.decision_record_individual(organization=province.grassroots, matter=individual, date=D(2026, 3, 3),
                                   title="Chi chưa báo cáo", signatory=people[0], actor=SYSTEM)
    TenureFactory(position=position("executive-member"), organization=province.grassroots, body=executive,
                  start=D(2026, 2, 1))  # someone took office after the regulation was adopted
    client.force_login(inspector_a)
    board = client.get(f"/org/{province.sub_a.pk}/decisions-dashboard/?from=01/01/2026&to=31/12/2026"
                       ).context["board"]
    assert [d.title for d in board.irregular] == ["Thiếu phiếu"]
    assert [d.title for d in board.overdue] == ["Chi chưa báo cáo"]
    assert [r.organization for r in board.stale_regulations] == [province.grassroots]
    assert sorted(n for _k, _s, n in board.by_authority) == [1, 1]


@pytest.mark.parametrize("size", [1, 6])
def test_dashboard_query_count_does_not_grow_with_the_subtree(client, province, inspector_a, size,
                                                             django_assert_max_num_queries):
    for i in range(size):
        org = make_org(province.sub_a, kind="grassroots_committee", name=f"Đảng bộ {i}")
        executive, people, collective, individual = _committee(org)
        meeting = svc.meeting_open(body=executive, date=D(2026, 3, 2), title="HN", actor=SYSTEM)
        irregular_decision(meeting, people, collective, "X")
    client.force_login(inspector_a)
    url = f"/org/{province.sub_a.pk}/decisions-dashboard/?from=01/01/2026&to=31/12/2026"
    client.get(url)
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
    assert Decision.objects.count() == size


def test_the_inspection_queue_is_for_inspectors(client, province, inspector_a, staff_a):
    executive, people, collective, individual = _committee(province.grassroots)
    meeting = svc.meeting_open(body=executive, date=D(2026, 3, 2), title="HN", actor=SYSTEM)
    irregular_decision(meeting, people, collective, "Sai")
    client.force_login(staff_a)
    assert client.get(f"/org/{province.sub_a.pk}/irregular/").status_code == 403
    client.force_login(inspector_a)
    queue = client.get(f"/org/{province.sub_a.pk}/irregular/")
    assert [row.record.title for row in queue.context["table"].page.object_list] == ["Sai"]
    assert 'data-testid="irregular-count">1<' in queue.content.decode()


def test_responsibility_matrix_on_a_date(client, province, staff_a):
    executive, people, *_ = _committee(province.grassroots)
    svc.assignment_add(organization=province.grassroots, person=people[1], field=Field.FINANCE,
                       description="Phụ trách tài chính", start=D(2024, 1, 1), end=D(2025, 12, 31), actor=SYSTEM)
    svc.assignment_add(organization=province.grassroots, person=people[2], field=Field.FINANCE,
                       description="Phụ trách tài chính", start=D(2026, 1, 1), actor=SYSTEM)
    client.force_login(staff_a)
    rows = client.get(f"/org/{province.grassroots.pk}/responsibilities/?on=31/12/2025").context["rows"]
    assert [a.person for a in rows] == [people[1]]
    rows = client.get(f"/org/{province.grassroots.pk}/responsibilities/?on=01/01/2026").context["rows"]
    assert [a.person for a in rows] == [people[2]]
    history = client.get(f"/org/{province.grassroots.pk}/responsibilities/?person={people[1].pk}").context["history"]
    assert [a.description for a in history] == ["Phụ trách tài chính"]


def test_the_heads_decision_is_recorded_from_the_form_and_reported_back(client, province, staff_a):
    executive, people, collective, individual = _committee(province.grassroots)
    people[0].card_number, people[3].card_number = "0300000001", "0300000004"
    people[0].save(), people[3].save()
    client.force_login(staff_a)
    url = f"/org/{province.grassroots.pk}/decisions/new/"
    page = client.get(url).content.decode()  # the signatory is picked among the post holders
    assert f'<option value="{people[0].pk}">' in page and f'<option value="{people[3].pk}">' not in page
    form = {"matter": individual.pk, "date": "02/03/2026", "title": "Chi hội nghị", "signatory": people[3].pk}
    response = client.post(url, form)  # an ordinary committee member is no choice
    assert response.status_code == 200 and "signatory" in response.context["form"].errors
    assert not Decision.objects.exists()
    response = client.post(url, {**form, "signatory": people[0].pk})
    decision = Decision.objects.get()
    assert response["Location"] == decision.get_absolute_url() and decision.report_due == D(2026, 3, 12)
    meeting = svc.meeting_open(body=executive, date=D(2026, 3, 9), title="HN tháng 3", actor=SYSTEM)
    client.post(f"/decisions/{decision.pk}/report-back/", {"meeting": meeting.pk})
    decision.refresh_from_db()
    assert decision.reported_on == D(2026, 3, 9) and decision.report_meeting == meeting


def test_assignments_are_added_from_the_matrix_page(client, province, staff_a, board_officer):
    executive, people, *_ = _committee(province.grassroots)
    people[1].card_number = "0300000002"
    people[1].save()
    form = {"person_card": "0300000002", "field": "finance", "description": "Phụ trách tài chính",
            "start": "01/01/2026"}
    client.force_login(board_officer)
    assert client.post(f"/org/{province.grassroots.pk}/assignments/new/", form).status_code == 403
    client.force_login(staff_a)
    client.post(f"/org/{province.grassroots.pk}/assignments/new/", {**form, "end": "01/01/2025"})
    assert not province.grassroots.assignments.exists()  # ends before it starts: refused
    client.post(f"/org/{province.grassroots.pk}/assignments/new/", form)
    assert province.grassroots.assignments.get().person == people[1]


def test_a_correction_is_recorded_from_the_meeting_form(client, province, staff_a):
    executive, people, collective, individual = _committee(province.grassroots)
    first = svc.meeting_open(body=executive, date=D(2026, 3, 2), title="HN 1", actor=SYSTEM)
    original = svc.decision_record_collective(meeting=first, matter=collective, title="Nghị quyết", votes_for=5,
                                              actor=SYSTEM)
    svc.minutes_approve(meeting=first, actor=SYSTEM)
    second = svc.meeting_open(body=executive, date=D(2026, 3, 9), title="HN 2", actor=SYSTEM)
    client.force_login(staff_a)
    response = client.post(f"/meetings/{second.pk}/decisions/", {
        "matter": collective.pk, "title": "Đính chính nghị quyết", "votes_for": 5,
        "votes_against": 0, "abstaining": 0, "ballot": "open", "corrects": original.pk})
    assert response.status_code == 302
    assert original.corrections.get().title == "Đính chính nghị quyết"
    approvals = AuditEntry.objects.filter(action="minutes.approve").count()
    response = client.post(f"/meetings/{first.pk}/approve/", follow=True)
    assert "Biên bản hội nghị đã được thông qua; không sửa được" in response.content.decode()
    assert AuditEntry.objects.filter(action="minutes.approve").count() == approvals  # a frozen meeting takes no writes


def test_a_head_records_and_signs_their_own_decision(client, province, staff_a):
    from organizations.models import RoleKind
    from organizations.services import role_grant
    from tests.factories import UserFactory

    executive, people, collective, individual = _committee(province.grassroots)
    head = UserFactory(username="bithu")
    people[0].user = head
    people[0].save()
    role_grant(user=head, kind=RoleKind.HEAD, organization=province.grassroots, actor=SYSTEM)
    client.force_login(head)
    url = f"/org/{province.grassroots.pk}/decisions/new/"
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"]["signatory"].value() == people[0].pk
    response = client.post(url, {"matter": individual.pk, "date": "02/03/2026", "title": "Chi tiếp khách",
                                 "signatory": people[1].pk})  # tries to sign for someone else: ignored
    decision = Decision.objects.get()
    assert response["Location"] == decision.get_absolute_url()
    assert decision.signatory == people[0] and decision.recorded_by == head
    other = UserFactory(username="uy_vien")  # a head's role without a person of their own: no form
    role_grant(user=other, kind=RoleKind.HEAD, organization=province.grassroots, actor=SYSTEM)
    client.force_login(other)
    assert client.get(url).status_code == 403


def test_a_meeting_ahead_shows_no_recording_forms_until_its_day(client, province, staff_a):
    executive, people, collective, individual = _committee(province.grassroots)
    ahead = svc.meeting_open(body=executive, date=D(2026, 12, 20), title="HN cuối năm", actor=SYSTEM)
    client.force_login(staff_a)
    html = client.get(ahead.get_absolute_url()).content.decode()
    assert 'data-testid="ahead"' in html and "Lưu điểm danh" not in html and "Ghi quyết định</button>" not in html


def test_the_dashboard_shows_the_latest_few_with_the_count_and_a_way_to_all(client, province, inspector_a):
    executive, people, collective, individual = _committee(province.grassroots)
    for day in range(1, 13):
        meeting = svc.meeting_open(body=executive, date=D(2026, 3, day), title=f"HN {day}", actor=SYSTEM)
        irregular_decision(meeting, people, collective, f"Sai {day:02d}")
    client.force_login(inspector_a)
    html = client.get(f"/org/{province.sub_a.pk}/decisions-dashboard/?from=01/01/2026&to=31/12/2026"
                      ).content.decode()
    assert 'data-testid="irregular-count">12<' in html and html.count(">Sai ") == 10
    assert f"/org/{province.sub_a.pk}/decisions/?status=irregular&amp;date_from=01/01/2026" in html


def test_the_adoption_review_shows_the_refusal_of_a_start_the_adoption_would_refuse(client, province, staff_a):
    _committee(province.grassroots)  # version 1 in force from 01/01/2021
    draft = svc.regulation_draft(organization=province.grassroots, title="Quy chế sửa đổi", actor=SYSTEM)
    client.force_login(staff_a)
    review = client.post(f"/working-regulations/{draft.pk}/adopt/review/", {"start": "01/06/2020"})
    html = review.content.decode()
    assert review.status_code == 400
    assert 'data-testid="adopt-refused"' in html
    assert "Ngày hiệu lực phải sau ngày hiệu lực của phiên bản 1 (01/01/2021)." in html
    # No confirmation offered for it, nothing written.
    assert 'data-testid="adopt-confirm"' not in html and f'action="/working-regulations/{draft.pk}/adopt/"' not in html
    draft.refresh_from_db()
    assert draft.start is None and WorkingRegulation.objects.get(version=1).end is None
    # The same start the review refuses, the adoption refuses (its own check).
    with pytest.raises(svc.Refused) as refused:
        svc.regulation_adopt(regulation=draft, start=D(2020, 6, 1), actor=SYSTEM)
    assert refused.value.codes == ["working_regulation_start_not_after"]
    # A start after version 1's: offered, naming the version it ends.
    review = client.post(f"/working-regulations/{draft.pk}/adopt/review/", {"start": "01/06/2026"})
    html = review.content.decode()
    assert review.status_code == 200 and 'data-testid="adopt-confirm"' in html and 'data-testid="ends"' in html


def test_the_adoption_review_refuses_an_empty_draft_before_the_confirmation(client, province, staff_a):
    draft = WorkingRegulation.objects.create(organization=province.grassroots, version=1, title="Quy chế trống")
    client.force_login(staff_a)
    review = client.post(f"/working-regulations/{draft.pk}/adopt/review/", {"start": "01/06/2026"})
    assert review.status_code == 400
    assert "Quy chế chưa có vấn đề nào trong danh mục." in review.content.decode()
    assert 'data-testid="adopt-confirm"' not in review.content.decode()
