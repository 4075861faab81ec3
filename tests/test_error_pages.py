"""The error pages speak to the user in the portal's frame, never Django's bare defaults."""

import pytest

pytestmark = pytest.mark.django_db


def test_404_is_the_portal_page_with_a_way_home(client, province, outsider):
    client.force_login(outsider)
    response = client.get(f"/org/{province.cell_1.pk}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-testid="error-404"' in page and "không thuộc phạm vi bạn được xem" in page
    assert 'href="/"' in page and "Đăng xuất" in page  # inside the portal's frame


def test_403_explains_what_is_missing(client, province, inspector_a):
    client.force_login(inspector_a)
    response = client.get(f"/org/{province.cell_1.pk}/import/")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="error-403"' in page
    # True whether the page itself or only the act on it is closed to the reader.
    assert "Bạn không có quyền thực hiện thao tác này hoặc mở trang này." in page
    assert "xem được trang này" not in page


def test_500_renders_without_any_context():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "Lỗi hệ thống (500)" in html and "/static/" in html
