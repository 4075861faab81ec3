"""Posts are taken and left through the tenure services, from the organization's posts page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from common.actors import SYSTEM
from organizations import services
from organizations.models import Tenure
from tests.factories import MembershipFactory, PersonFactory, TenureFactory, position

pytestmark = pytest.mark.django_db


def _start(client, org, card, code="secretary", **extra):
    data = {"card_number": card, "position": position(code).pk, "start": "01/10/2025", **extra}
    return client.post(f"/org/{org.pk}/posts/new/", data)


def test_clerk_records_a_member_taking_a_post(client, province, staff_a, an):
    client.force_login(staff_a)
    response = _start(client, province.grassroots, an.card_number, decision_ref="12-QĐ/ĐU")
    assert response.status_code == 302
    tenure = Tenure.objects.get(person=an)
    assert (tenure.organization, tenure.start, tenure.end) == (province.grassroots, dt.date(2025, 10, 1), None)
    entry = AuditEntry.objects.get(action="tenure.start")
    assert entry.actor == staff_a and entry.data["decision_ref"] == "12-QĐ/ĐU"
    page = client.get(f"/org/{province.grassroots.pk}/posts/").content.decode()
    assert an.full_name in page and "12-QĐ/ĐU" in page


def test_a_card_out_of_reach_reads_like_a_card_that_does_not_exist(client, province, staff_a):
    stranger = PersonFactory(full_name="Người Khối B", card_number="0900000009")
    MembershipFactory(person=stranger, organization=province.cell_b)
    client.force_login(staff_a)
    out_of_reach = _start(client, province.grassroots, "0900000009").content.decode()
    missing = _start(client, province.grassroots, "0900000000").content.decode()
    assert "Không tìm thấy đảng viên có số thẻ 0900000009." in out_of_reach
    assert "Không tìm thấy đảng viên có số thẻ 0900000000." in missing
    assert "Người Khối B" not in out_of_reach
    assert not Tenure.objects.exists()


def test_a_second_substantive_head_is_refused_an_acting_one_is_not(client, province, staff_a, an):
    holder = TenureFactory(position=position("secretary"), organization=province.grassroots,
                           person__full_name="Bí Thư Đương Nhiệm", start=dt.date(2020, 10, 1))
    client.force_login(staff_a)
    refused = _start(client, province.grassroots, an.card_number)
    assert refused.status_code == 400
    assert "Bí Thư Đương Nhiệm đang giữ chức vụ" in refused.content.decode()
    assert list(Tenure.objects.all()) == [holder]
    assert _start(client, province.grassroots, an.card_number, acting="on").status_code == 302
    assert Tenure.objects.filter(person=an, acting=True).exists()


def test_the_same_post_twice_is_refused(province, an):
    services.tenure_start(person=an, position=position("deputy-secretary"), organization=province.cell_1,
                          start=dt.date(2024, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError, match="đã giữ chức vụ"):
        services.tenure_start(person=an, position=position("deputy-secretary"), organization=province.cell_1,
                              start=dt.date(2025, 1, 1), actor=SYSTEM)


def test_a_body_of_another_organization_is_refused(province, an):
    from organizations.models import BodyKind
    from tests.factories import BodyFactory

    body_b = BodyFactory(organization=province.sub_b, kind=BodyKind.EXECUTIVE)
    with pytest.raises(ValidationError, match="phải thuộc chính tổ chức này"):
        services.tenure_start(person=an, position=position("secretary"), organization=province.cell_1,
                              body=body_b, start=dt.date(2024, 1, 1), actor=SYSTEM)
    assert not Tenure.objects.exists()


def test_ending_a_post_once_and_not_before_it_began(client, province, staff_a):
    tenure = TenureFactory(position=position("secretary"), organization=province.grassroots,
                           start=dt.date(2020, 10, 1))
    client.force_login(staff_a)
    early = client.post(f"/tenures/{tenure.pk}/end/", {"end": "30/09/2020"}, follow=True).content.decode()
    assert "không được trước ngày bắt đầu (01/10/2020)" in early
    tenure.refresh_from_db()
    assert tenure.end is None
    client.post(f"/tenures/{tenure.pk}/end/", {"end": "31/12/2025"})
    tenure.refresh_from_db()
    assert tenure.end == dt.date(2025, 12, 31)
    again = client.post(f"/tenures/{tenure.pk}/end/", {"end": "01/01/2026"}, follow=True).content.decode()
    assert "đã kết thúc ngày 31/12/2025" in again
    tenure.refresh_from_db()
    assert tenure.end == dt.date(2025, 12, 31)
    assert AuditEntry.objects.filter(action="tenure.end").count() == 1


def test_another_committee_cannot_see_or_end_a_post(client, province, outsider, an):
    tenure = TenureFactory(position=position("secretary"), organization=province.grassroots)
    client.force_login(outsider)
    assert client.get(f"/org/{province.grassroots.pk}/posts/").status_code == 404
    assert client.post(f"/tenures/{tenure.pk}/end/", {"end": "31/12/2025"}).status_code == 404
    assert _start(client, province.grassroots, an.card_number).status_code == 404
    tenure.refresh_from_db()
    assert tenure.end is None


def test_a_reader_without_the_permission_sees_posts_but_no_forms(client, province, inspector_a):
    TenureFactory(position=position("secretary"), organization=province.grassroots, person__full_name="Bí Thư X")
    client.force_login(inspector_a)
    page = client.get(f"/org/{province.grassroots.pk}/posts/").content.decode()
    assert "Bí Thư X" in page and "/posts/new/" not in page


def test_the_posts_page_is_a_table_with_an_end_form_on_current_posts_only(client, province, staff_a):
    current = TenureFactory(position=position("secretary"), organization=province.grassroots)
    past = TenureFactory(position=position("deputy-secretary"), organization=province.grassroots,
                         start=dt.date(2015, 1, 1), end=dt.date(2020, 9, 30))
    client.force_login(staff_a)
    response = client.get(f"/org/{province.grassroots.pk}/posts/")
    html = response.content.decode()
    assert f"/tenures/{current.pk}/end/" in html and f"/tenures/{past.pk}/end/" not in html
    assert [row.record for row in response.context["table"].page.object_list] == [current, past]
