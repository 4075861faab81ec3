"""A draft's catalog is edited on its page: add, change, remove, reorder; each field fits the way of deciding."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from common.actors import SYSTEM
from governance import services as svc
from governance.models import Matter, WorkingRegulation
from tests.governance.test_views_working import _committee

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def draft(province):
    _committee(province.grassroots)  # version 1 in force from 01/01/2021: CT-01 (collective), TC-01 (head)
    return svc.regulation_draft(organization=province.grassroots, title="Bản sửa đổi", actor=SYSTEM)


def _codes(regulation) -> list[str]:
    return list(regulation.matters.order_by("position").values_list("code", flat=True))


COLLECTIVE = {"code": "PC-01", "title": "Phân công cán bộ", "field": "organization", "mode": "collective",
              "body_kind": "executive", "quorum_num": "2", "quorum_den": "3", "threshold_num": "1",
              "threshold_den": "2", "ballot": "open", "provisions": "ĐLĐ-2011 9.5"}


def test_a_clerk_adds_a_matter_at_the_end_with_its_provisions(client, province, staff_a, draft):
    client.force_login(staff_a)
    response = client.post(f"/working-regulations/{draft.pk}/matters/new/", COLLECTIVE)
    assert response.status_code == 302
    assert _codes(draft) == ["CT-01", "TC-01", "PC-01"]
    added = draft.matters.get(code="PC-01")
    assert [(c.document.code, c.ref) for c in added.citations.all()] == [("ĐLĐ-2011", "9.5")]
    assert AuditEntry.objects.filter(action="matter.add", object_id=str(added.pk)).exists()


def test_a_head_matter_keeps_no_quorum_majority_or_ballot(client, province, staff_a, draft):
    client.force_login(staff_a)
    data = {**COLLECTIVE, "mode": "head_reports", "role": "head", "report_within_days": "10",
            "quorum_num": "3", "ballot": "secret", "election": "on"}
    client.post(f"/working-regulations/{draft.pk}/matters/new/", data)
    matter = draft.matters.get(code="PC-01")
    assert (matter.body_kind, matter.quorum_num, matter.ballot, matter.election) == ("", 2, "open", False)
    assert (matter.role, matter.report_within_days) == ("head", 10)
    page = client.get(f"/matters/{matter.pk}/edit/").content.decode()
    assert 'data-modes="collective head_proposes"' in page and 'data-modes="head_reports"' in page


def test_a_matter_without_its_authority_is_refused_with_the_reason(client, province, staff_a, draft):
    client.force_login(staff_a)
    response = client.post(f"/working-regulations/{draft.pk}/matters/new/", {**COLLECTIVE, "body_kind": ""})
    assert response.status_code == 200 and "Chọn tập thể quyết định vấn đề này." in response.content.decode()
    response = client.post(f"/working-regulations/{draft.pk}/matters/new/", {**COLLECTIVE, "code": "CT-01"})
    assert response.status_code == 200 and not draft.matters.filter(title="Phân công cán bộ").exists()
    response = client.post(f"/working-regulations/{draft.pk}/matters/new/",
                           {**COLLECTIVE, "provisions": "KHONG-CO 1.1"})
    assert response.status_code == 200 and "KHONG-CO" in response.content.decode()
    assert _codes(draft) == ["CT-01", "TC-01"]


def test_change_remove_and_reorder(client, province, staff_a, draft):
    client.force_login(staff_a)
    tc = draft.matters.get(code="TC-01")
    client.post(f"/matters/{tc.pk}/edit/", {"code": "TC-01", "title": "Chi tiêu dưới 50 triệu", "field": "finance",
                                             "mode": "head_reports", "role": "head", "report_within_days": "5"})
    tc.refresh_from_db()
    assert (tc.title, tc.report_within_days) == ("Chi tiêu dưới 50 triệu", 5)
    assert AuditEntry.objects.get(action="matter.change").data["changed"]["report_within_days"] == [10, 5]
    page = client.get(draft.get_absolute_url()).content.decode()
    assert f'action="/matters/{tc.pk}/move-up/"' in page and 'name="direction"' not in page
    client.post(f"/matters/{tc.pk}/move-up/")
    assert _codes(draft) == ["TC-01", "CT-01"]
    client.post(f"/matters/{tc.pk}/move-up/")  # already first: nothing moves
    assert _codes(draft) == ["TC-01", "CT-01"]
    client.post(f"/matters/{tc.pk}/move-down/")
    assert _codes(draft) == ["CT-01", "TC-01"]
    assert client.get(f"/matters/{tc.pk}/move-down/").status_code == 405
    client.post(f"/matters/{tc.pk}/move-up/")
    assert _codes(draft) == ["TC-01", "CT-01"]
    ct = draft.matters.get(code="CT-01")
    client.post(f"/matters/{ct.pk}/remove/")
    assert _codes(draft) == ["TC-01"] and not Matter.objects.filter(pk=ct.pk).exists()


def test_an_adopted_version_cannot_be_edited(client, province, staff_a, draft):
    adopted = WorkingRegulation.objects.get(organization=province.grassroots, version=1)
    matter = adopted.matters.get(code="CT-01")
    client.force_login(staff_a)
    client.post(f"/matters/{matter.pk}/edit/", {**COLLECTIVE, "code": "CT-01", "title": "Đổi"})
    client.post(f"/matters/{matter.pk}/remove/")
    response = client.post(f"/working-regulations/{adopted.pk}/matters/new/", COLLECTIVE, follow=True)
    assert "Quy chế đã ban hành không sửa được" in response.content.decode()
    matter.refresh_from_db()
    assert matter.title == "Chương trình" and adopted.matters.count() == 2


def test_adopting_names_the_version_it_ends(client, province, staff_a, draft):
    client.force_login(staff_a)
    response = client.post(f"/working-regulations/{draft.pk}/adopt/review/", {"start": "01/12/2026"})
    html = response.content.decode()
    assert 'data-testid="ends"' in html and "Phiên bản 1" in html
    draft.refresh_from_db()
    assert draft.start is None


def test_approving_the_minutes_says_what_it_freezes_first(client, province, staff_a):
    executive, people, collective, individual = _committee(province.grassroots)
    meeting = svc.meeting_open(body=executive, date=D(2026, 3, 2), title="HN", actor=SYSTEM)
    svc.decision_record_collective(meeting=meeting, matter=collective, title="Nghị quyết A", votes_for=5,
                                   actor=SYSTEM)
    client.force_login(staff_a)
    page = client.get(f"/meetings/{meeting.pk}/approve/").content.decode()
    assert 'data-testid="approve-confirm"' in page and "Nghị quyết A" in page and "5 có mặt, 0 vắng mặt" in page
    meeting.refresh_from_db()
    assert not meeting.frozen
    client.post(f"/meetings/{meeting.pk}/approve/")
    meeting.refresh_from_db()
    assert meeting.frozen


def test_outsiders_cannot_touch_a_draft(client, province, outsider, draft):
    matter = draft.matters.first()
    client.force_login(outsider)
    for url in (f"/matters/{matter.pk}/edit/", f"/working-regulations/{draft.pk}/matters/new/"):
        assert client.get(url).status_code == 404
    for url in (f"/matters/{matter.pk}/remove/", f"/matters/{matter.pk}/move/"):
        assert client.post(url).status_code == 404
    assert draft.matters.count() == 2
