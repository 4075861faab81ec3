"""The nomination pages, role by role: registers, the nomination page, and each act's form."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from common.actors import SYSTEM
from organizations.models import RoleKind
from organizations.services import role_grant
from personnel.models import Nomination, NominationState, ProcedureStep, ResponsibilityEntry, StepResult

from ..factories import PersonFactory, UserFactory, position
from .conftest import PROGRAM
from .test_views_flows import personnel_decision, selected, through_step_2

pytestmark = pytest.mark.django_db
D = dt.date


def _login(client, user):
    client.force_login(user)
    return client


# --- registers ----------------------------------------------------------------------------------------


def test_the_register_lists_the_subtree_for_clerk_head_board_and_inspection(client, committee, board_officer,
                                                                          inspector_a):
    n = committee.introduced()
    for user in (committee.clerk, committee.head_user, board_officer, inspector_a):
        page = _login(client, user).get(f"/org/{committee.org.pk}/nominations/")
        assert page.status_code == 200, user
        assert [r.record.pk for r in page.context["table"].page.object_list] == [n.pk]
        assert committee.nominee.full_name in page.content.decode()


def test_the_register_is_404_to_an_outsider_and_a_member(client, committee, outsider, an):
    committee.introduced()
    for user in (outsider, an.user):
        assert _login(client, user).get(f"/org/{committee.org.pk}/nominations/").status_code == 404


def test_my_register_covers_the_reach_and_filters(client, committee, board_officer):
    n = committee.introduced()
    page = _login(client, board_officer).get("/nominations/")
    assert page.status_code == 200
    assert [r.record.pk for r in page.context["table"].page.object_list] == [n.pk]
    assert client.get("/nominations/?state=withdrawn").context["table"].paginator.count == 0
    assert client.get("/nominations/?q=Thường+vụ+3").context["table"].paginator.count == 1
    assert client.get("/nominations/?kind=election").context["table"].paginator.count == 0


def test_my_register_is_404_for_a_member_and_empty_for_the_outsider(client, committee, outsider, an):
    committee.introduced()
    assert _login(client, an.user).get("/nominations/").status_code == 404
    page = _login(client, outsider).get("/nominations/")
    assert page.status_code == 200 and page.context["table"].paginator.count == 0


def test_the_nav_link_is_shown_to_those_who_see_personnel_work(client, committee, an):
    assert 'data-testid="nav-personnel"' in _login(client, committee.clerk).get("/nominations/").content.decode()
    assert 'data-testid="nav-personnel"' not in _login(client, an.user).get("/").content.decode()


def test_the_register_exports_exactly_the_filtered_rows(client, committee, settings):
    settings.PAGE_SIZE = 1
    committee.introduced()
    other = PersonFactory(full_name="Người Khác")
    committee.draft(nominee=other, position=position("standing-member"), kind="election")
    _login(client, committee.clerk)
    url = f"/org/{committee.org.pk}/nominations/"
    assert client.get(url).context["table"].paginator.count == 2
    rows = list(openpyxl.load_workbook(io.BytesIO(client.get(url + "?export=xlsx").content)).active
                .iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2
    rows = list(openpyxl.load_workbook(io.BytesIO(client.get(url + "?state=draft&export=xlsx").content)).active
                .iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and "Người Khác" in rows[0]


def _closed_drafts(c, n: int) -> None:
    from personnel import services

    for i in range(n):
        services.nomination_withdraw(nomination=c.draft(nominee=PersonFactory(), kind="standard",
                                                                   position=position("executive-member")),
                                     reason=f"Rút {i}", on=D(2026, 3, 1), actor=SYSTEM)


def test_the_register_costs_the_same_for_2_and_20_nominations(client, committee, django_assert_num_queries,
                                                              settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_SIZE = 50
    committee.introduced()
    _closed_drafts(committee, 1)
    _login(client, committee.clerk)
    url = f"/org/{committee.org.pk}/nominations/"
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).context["table"].paginator.count == 2
    _closed_drafts(committee, 18)
    with django_assert_num_queries(len(two)):
        assert client.get(url).context["table"].paginator.count == 20


# --- the nomination page ---------------------------------------------------------------------------------


def test_the_page_shows_the_submission_the_pilot_the_steps_and_the_ledger(client, committee, board_officer):
    n = through_step_2(committee)
    from personnel.models import LedgerCheckpoint

    first = ResponsibilityEntry.objects.filter(nomination=n).order_by("seq").first()
    LedgerCheckpoint.objects.create(size=first.seq, head_hash=first.hash, signed_at="2026-03-03T00:00:00Z",
                                    key_id="k1", signature="s")
    page = _login(client, board_officer).get(f"/nominations/{n.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Điều 3 Quy định 142" in html  # the kind with its article
    assert PROGRAM["results"] in html and "Rõ kết quả" in html
    assert "23/04/2029" in html or "thí điểm" in html
    assert committee.head.full_name in html and "Bí thư" in html
    assert 'data-testid="nominator-record"' in html  # the board may read the nominator's record
    entries = page.context["entries"]
    assert [e.entry.kind for e in entries] == ["introduced", "step"]
    assert entries[0].checkpoint is not None and entries[1].checkpoint is None
    assert first.hash in html and "Chưa có trong điểm kiểm chứng nào" in html
    assert "Hội nghị mở rộng" in html


def test_the_page_is_404_to_the_outsider_and_the_member(client, committee, outsider, an):
    n = committee.introduced()
    for user in (outsider, an.user):
        assert _login(client, user).get(f"/nominations/{n.pk}/").status_code == 404


def test_the_clerk_sees_no_link_to_the_nominators_record(client, committee):
    n = committee.introduced()
    html = _login(client, committee.clerk).get(f"/nominations/{n.pk}/").content.decode()
    assert 'data-testid="nominator-record"' not in html and committee.head.full_name in html


# --- a new draft -----------------------------------------------------------------------------------------


def _draft_data(c, **kw):
    data = {"kind": "deputy", "position": position("deputy-secretary").pk, "nominee_card": c.nominee.card_number,
            "source": "internal", "rationale": "Có năng lực, uy tín",
            **{f"program_{k}": v for k, v in PROGRAM.items()}}
    data.update(kw)
    return data


def test_the_clerk_drafts_for_the_head(client, committee):
    c = committee
    response = _login(client, c.clerk).post(f"/org/{c.org.pk}/nominations/new/", _draft_data(c))
    n = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/nominations/{n.pk}/"
    assert n.nominator == c.head and n.state == NominationState.DRAFT and n.action_program == PROGRAM


def test_a_second_open_nomination_for_the_post_is_refused_with_the_inputs_kept(client, committee):
    c = committee
    c.introduced()
    other = PersonFactory(full_name="Người Thứ Hai", card_number="0300000009")
    from ..factories import MembershipFactory

    MembershipFactory(person=other, organization=c.org)
    response = _login(client, c.clerk).post(f"/org/{c.org.pk}/nominations/new/",
                                            _draft_data(c, nominee_card="0300000009", rationale="Lý do giữ lại"))
    assert response.status_code == 400
    assert "mỗi chức danh giới thiệu một người" in response.content.decode()
    assert "Lý do giữ lại" in response.content.decode()
    assert Nomination.objects.count() == 1


def test_an_unknown_card_is_refused_on_the_form(client, committee):
    response = _login(client, committee.clerk).post(f"/org/{committee.org.pk}/nominations/new/",
                                                    _draft_data(committee, nominee_card="9999999999"))
    assert response.status_code == 400 and Nomination.objects.count() == 0
    assert "9999999999" in response.content.decode()


def test_the_form_prefills_the_provinces_program_template(client, committee, province):
    from personnel.models import ActionProgramTemplate

    ActionProgramTemplate.objects.create(organization=province.root, headings={"work": "Nêu rõ việc gì"})
    html = _login(client, committee.clerk).get(f"/org/{committee.org.pk}/nominations/new/").content.decode()
    assert "Nêu rõ việc gì" in html


def test_a_member_and_the_inspection_may_not_draft(client, committee, inspector_a, an):
    assert _login(client, an.user).get(f"/org/{committee.org.pk}/nominations/new/").status_code == 404
    assert _login(client, inspector_a).get(f"/org/{committee.org.pk}/nominations/new/").status_code == 403


def test_editing_a_draft(client, committee):
    n = committee.draft()
    data = {"source": "internal", "rationale": "Lý do mới", **{f"program_{k}": v for k, v in PROGRAM.items()}}
    response = _login(client, committee.clerk).post(f"/nominations/{n.pk}/edit/", data)
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.rationale == "Lý do mới"


# --- introduce ---------------------------------------------------------------------------------------------


def test_the_head_sees_the_reasons_then_introduces(client, committee):
    n = committee.draft(action_program={"work": "Chỉ một mục"})
    page = _login(client, committee.head_user).get(f"/nominations/{n.pk}/introduce/")
    assert page.status_code == 200 and page.context["reasons"]
    assert "Rõ người" in page.content.decode()
    response = client.post(f"/nominations/{n.pk}/introduce/", {"on": "02/03/2026"})
    assert response.status_code == 400  # the program is incomplete: refused, shown on the form
    assert "02/03/2026" in response.content.decode()
    n.refresh_from_db()
    assert n.state == NominationState.DRAFT


def test_the_head_introduces_in_person(client, committee):
    n = committee.draft()
    response = _login(client, committee.head_user).post(f"/nominations/{n.pk}/introduce/", {"on": "02/03/2026"})
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.state == NominationState.INTRODUCED and n.nominator_tenure is not None


def test_the_clerk_may_not_introduce_for_the_head(client, committee):
    n = committee.draft()
    assert _login(client, committee.clerk).get(f"/nominations/{n.pk}/introduce/").status_code == 403
    assert client.post(f"/nominations/{n.pk}/introduce/", {"on": "02/03/2026"}).status_code == 403
    n.refresh_from_db()
    assert n.state == NominationState.DRAFT


# --- steps -------------------------------------------------------------------------------------------------


def _step_data(meeting, **kw):
    data = {"meeting": meeting.pk, "issued": 9, "returned": 9, "valid": 9, "invalid": 0, "nominee_votes": 7}
    data.update(kw)
    return data


def test_the_step_form_offers_only_meetings_the_step_may_be(client, committee):
    """Not the meeting an earlier step used, nor one before the previous step (the service refuses both)."""
    c = committee
    n = c.introduced()
    before_introduction = c.meeting(D(2026, 2, 20), c.executive)
    wider = c.meeting(D(2026, 3, 9), c.executive)
    earlier = c.meeting(D(2026, 3, 5), c.standing)
    later = c.meeting(D(2026, 3, 16), c.standing)
    offered = _login(client, c.clerk).get(f"/nominations/{n.pk}/steps/new/").context["form"].fields["meeting"]
    assert wider in offered.queryset and before_introduction not in offered.queryset
    client.post(f"/nominations/{n.pk}/steps/new/", _step_data(wider))
    offered = client.get(f"/nominations/{n.pk}/steps/new/").context["form"].fields["meeting"].queryset
    assert later in offered and wider not in offered and earlier not in offered


def test_the_clerk_records_the_wider_conference(client, committee):
    n = committee.introduced()
    meeting = committee.meeting(D(2026, 3, 9), committee.executive)
    page = _login(client, committee.clerk).get(f"/nominations/{n.pk}/steps/new/")
    assert page.status_code == 200 and meeting in page.context["form"].fields["meeting"].queryset
    response = client.post(f"/nominations/{n.pk}/steps/new/", _step_data(meeting))
    assert response.status_code == 302
    step = ProcedureStep.objects.get(nomination=n, number=2)
    assert step.ballots_valid == 9 and step.nominee_votes() == 7 and step.confidential


def test_impossible_counts_are_refused_with_the_inputs_kept(client, committee):
    n = committee.introduced()
    meeting = committee.meeting(D(2026, 3, 9), committee.executive)
    response = _login(client, committee.clerk).post(f"/nominations/{n.pk}/steps/new/",
                                                    _step_data(meeting, returned=8, valid=9, note="Ghi chú giữ lại"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "phải bằng số phiếu thu về" in html and "Ghi chú giữ lại" in html and 'value="8"' in html
    assert not ProcedureStep.objects.filter(nomination=n, number=2).exists()


def test_other_candidates_by_card(client, committee):
    n = through_step_2(committee)
    other = committee.members[5]
    other.card_number = "0500000005"
    other.save()
    meeting = committee.meeting(D(2026, 3, 16))
    response = _login(client, committee.clerk).post(f"/nominations/{n.pk}/steps/new/", _step_data(
        meeting, nominee_votes=6, other_card_1="0500000005", other_votes_1=3))
    assert response.status_code == 302
    step = ProcedureStep.objects.get(nomination=n, number=3)
    assert step.result == StepResult.SELECTED and {v["person"] for v in step.votes} == {committee.nominee.pk, other.pk}


def test_the_head_or_the_inspection_may_not_record_a_step(client, committee, inspector_a):
    n = committee.introduced()
    meeting = committee.meeting(D(2026, 3, 9), committee.executive)
    for user in (committee.head_user, inspector_a):
        assert _login(client, user).post(f"/nominations/{n.pk}/steps/new/", _step_data(meeting)).status_code == 403


def test_a_tie_is_settled_by_the_head(client, committee):
    from organizations.models import Tenure
    from organizations.services import tenure_end

    c = committee
    n = through_step_2(c)
    tenure_end(tenure=Tenure.objects.get(person=c.members[8], body=c.standing), end=D(2026, 3, 10), actor=SYSTEM)
    meeting = c.meeting(D(2026, 3, 16))
    _login(client, c.clerk).post(f"/nominations/{n.pk}/steps/new/", _step_data(
        meeting, issued=8, returned=8, valid=8, nominee_votes=4))
    step = ProcedureStep.objects.get(nomination=n, number=3)
    assert step.result == StepResult.TIE
    assert 'data-testid="tie-form"' not in client.get(f"/nominations/{n.pk}/").content.decode()
    assert client.post(f"/nomination-steps/{step.pk}/settle/", {"selected": "yes"}).status_code == 403
    html = _login(client, c.head_user).get(f"/nominations/{n.pk}/").content.decode()
    assert 'data-testid="tie-form"' in html
    assert client.post(f"/nomination-steps/{step.pk}/settle/", {"selected": "yes"}).status_code == 302
    step.refresh_from_db()
    assert step.result == StepResult.TIE_SETTLED and step.settled_by == c.head
    response = client.post(f"/nomination-steps/{step.pk}/settle/", {"selected": "yes"})
    assert response.status_code == 400 and "không có trường hợp đạt đúng 50%" in response.content.decode()


# --- the end ---------------------------------------------------------------------------------------------


def test_the_appointment_starts_the_tenure(client, committee):
    c = committee
    n = selected(c)
    decision = personnel_decision(c)
    page = _login(client, c.clerk).get(f"/nominations/{n.pk}/appoint/")
    assert decision in page.context["form"].fields["decision"].queryset
    response = client.post(f"/nominations/{n.pk}/appoint/", {"decision": decision.pk, "start": "20/03/2026"})
    assert response.status_code == 400 and "không được trước ngày quyết định" in response.content.decode()
    response = client.post(f"/nominations/{n.pk}/appoint/", {"decision": decision.pk, "start": "01/04/2026"})
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.state == NominationState.APPOINTED and n.appointed_tenure.person == c.nominee


def test_withdraw_needs_a_reason_and_then_closes(client, committee):
    n = committee.introduced()
    _login(client, committee.head_user)
    response = client.post(f"/nominations/{n.pk}/withdraw/", {"w-reason": " "})
    assert response.status_code == 400
    n.refresh_from_db()
    assert n.state == NominationState.INTRODUCED
    assert client.post(f"/nominations/{n.pk}/withdraw/", {"w-reason": "Sức khỏe"}).status_code == 302
    n.refresh_from_db()
    assert n.state == NominationState.WITHDRAWN and n.withdrawal_reason == "Sức khỏe"
    response = client.post(f"/nominations/{n.pk}/withdraw/", {"w-reason": "Lần nữa"})
    assert response.status_code == 400 and "Giới thiệu đã kết thúc" in response.content.decode()


def test_correct_opens_a_new_draft(client, committee):
    n = committee.introduced()
    response = _login(client, committee.clerk).post(f"/nominations/{n.pk}/correct/", {"c-reason": "Sai chức danh"})
    new = Nomination.objects.get(corrects=n)
    assert response.status_code == 302 and response["Location"] == f"/nominations/{new.pk}/"
    assert new.state == NominationState.DRAFT
    n.refresh_from_db()
    assert n.state == NominationState.WITHDRAWN


def test_the_inspection_may_not_withdraw(client, committee, inspector_a):
    n = committee.introduced()
    assert _login(client, inspector_a).post(f"/nominations/{n.pk}/withdraw/", {"w-reason": "x"}).status_code == 403


def test_a_second_head_with_no_nomination_of_their_own_may_not_withdraw(client, committee, province):
    n = committee.introduced()
    deputy = UserFactory(username="pho_bi_thu")
    role_grant(user=deputy, kind=RoleKind.HEAD, organization=committee.org, actor=SYSTEM)
    assert _login(client, deputy).post(f"/nominations/{n.pk}/withdraw/", {"w-reason": "x"}).status_code == 403




def test_a_dismissal_under_art_5_is_drafted_from_the_holders_tenure(client, committee, province):
    from ..factories import TenureFactory

    holder = TenureFactory(position=position("secretary"), organization=province.grassroots, start=D(2024, 1, 1))
    c = committee
    page = _login(client, c.clerk).get(f"/org/{c.org.pk}/nominations/new/")
    assert holder in page.context["form"].fields["dismissed_tenure"].queryset
    response = client.post(f"/org/{c.org.pk}/nominations/new/", {
        "kind": "subordinate_dismissal", "dismissed_tenure": holder.pk, "source": "internal",
        "grounds": "Không hoàn thành nhiệm vụ hai năm liền", "procedure": "Đã họp tập thể lãnh đạo"})
    n = Nomination.objects.get()
    assert response.status_code == 302
    assert n.dismissal and n.nominee == holder.person and n.target == province.grassroots
