"""The organization board officer browses the tree and opens a person."""

import pytest

from tests.e2e.conftest import login
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_board_officer_opens_the_tree_expands_two_levels_and_opens_a_person(page, province, board_officer):
    member = MembershipFactory(organization=province.cell_1, person__full_name="Nguyễn Văn An").person
    board_officer.first_name = "Cán bộ Ban Tổ chức"
    board_officer.save()

    login(page, "board_officer")
    assert "Cán bộ Ban Tổ chức" in page.get_by_test_id("whoami").inner_text()

    page.get_by_role("link", name="Cây tổ chức").first.click()
    tree = page.get_by_test_id("tree")
    assert tree.get_by_role("link", name="Đảng bộ tỉnh Thử Nghiệm").is_visible()
    assert tree.get_by_role("link", name="Đảng bộ Khối A").count() == 0  # not loaded yet

    page.get_by_test_id(f"expand-{province.root.pk}").click()
    tree.get_by_role("link", name="Đảng bộ Khối A").wait_for()
    page.get_by_test_id(f"expand-{province.sub_a.pk}").click()
    tree.get_by_role("link", name="Đảng bộ xã Hòa Bình").wait_for()
    page.get_by_test_id(f"expand-{province.grassroots.pk}").click()
    tree.get_by_role("link", name="Chi bộ thôn 1").click()

    page.wait_for_url(f"**/org/{province.cell_1.pk}/")
    assert page.get_by_test_id("members-here").inner_text() == "1"
    page.get_by_role("link", name="Danh sách đảng viên").click()
    page.get_by_role("link", name="Nguyễn Văn An").click()
    page.wait_for_url(f"**/people/{member.pk}/")
    assert page.get_by_test_id("person-name").inner_text() == "Nguyễn Văn An"

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/login/")
    page.goto(member.get_absolute_url())
    assert "/login/" in page.url  # really logged out


def test_person_search_without_diacritics_in_the_browser(page, province, board_officer):
    MembershipFactory(organization=province.cell_2, person__full_name="Đặng Thị Hương")
    login(page, "board_officer")
    page.goto("/people/")
    page.get_by_role("searchbox").fill("dang thi huong")
    page.get_by_role("button", name="Tìm").click()
    assert page.get_by_role("link", name="Đặng Thị Hương").is_visible()
