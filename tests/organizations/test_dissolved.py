"""A dissolved organization offers no act its services would refuse, and those services refuse them."""

import datetime as dt

import pytest

from common.reasons import Refused
from organizations import services
from organizations.models import Organization
from tests.factories import PersonFactory, position

pytestmark = pytest.mark.django_db

CSV = "Họ và tên,Giới tính,Ngày sinh,Ngày vào Đảng\nTrần Văn Mới,Nam,01/01/1990,01/01/2015\n".encode()


def _dissolve(cell: Organization) -> Organization:
    Organization.objects.filter(pk=cell.pk).update(dissolved_on=dt.date(2026, 6, 30))
    return Organization.objects.get(pk=cell.pk)


def test_a_dissolved_cell_offers_no_member_import_nor_new_member(client, province, staff_a):
    client.force_login(staff_a)
    page = client.get(province.cell_2.get_absolute_url()).content.decode()
    assert "Nhập danh sách đảng viên" in page and "Thêm đảng viên" in page
    cell = _dissolve(province.cell_2)
    page = client.get(cell.get_absolute_url()).content.decode()
    assert "Nhập danh sách đảng viên" not in page and "Thêm đảng viên" not in page
    assert f"/org/{cell.pk}/import/" not in page


def test_a_member_list_for_a_dissolved_cell_is_rejected(province, staff_a):
    cell = _dissolve(province.cell_2)
    batch, _rows = services.member_import_preview(organization=cell, file_name="a.csv", content=CSV, actor=staff_a)
    assert [e["code"] for e in batch.errors] == ["dissolved"]


def test_no_post_begins_in_a_dissolved_organization(client, province, staff_a):
    cell = _dissolve(province.cell_2)
    with pytest.raises(Refused) as refused:
        services.tenure_start(person=PersonFactory(), position=position("secretary"), organization=cell,
                              start=dt.date(2026, 7, 1), actor=staff_a)
    assert refused.value.codes == ["org_dissolved"]
    client.force_login(staff_a)
    page = client.get(f"/org/{cell.pk}/posts/")
    assert page.status_code == 200 and page.context["form"] is None
