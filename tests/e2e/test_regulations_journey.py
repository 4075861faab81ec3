"""A reader searches the regulations, opens a provision and follows a "cited by" link."""

import pytest

from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_search_open_a_provision_and_follow_cited_by(page, catalog, province, board_officer):
    from regulations.services import citations_set

    citations_set(obj=province.root, refs=[("ĐLĐ-2011", "9.5")], label="Tổ chức áp dụng quy tắc đa số",
                  url=province.root.get_absolute_url(), scope=province.root.path)
    login(page, "board_officer")
    page.get_by_role("link", name="Tìm điều khoản").click()
    page.get_by_role("searchbox").fill("qua nua so thanh vien")  # typed without diacritics
    page.get_by_role("button", name="Tìm").click()
    hits = page.get_by_test_id("hits")
    assert hits.locator("mark").first.inner_text() == "quá"
    hits.get_by_role("link", name="Khoản 5 Điều 9 Điều lệ Đảng").click()

    page.wait_for_url("**/regulations/dld-2011/dieu-9.khoan-5/")
    assert page.get_by_test_id("citation").inner_text() == "Khoản 5 Điều 9 Điều lệ Đảng"
    page.get_by_test_id("cited-by").get_by_role("link", name="Tổ chức áp dụng quy tắc đa số").click()
    page.wait_for_url(f"**{province.root.get_absolute_url()}")
    assert page.get_by_test_id("org-name").inner_text() == province.root.name
