"""The Content-Security-Policy in Chromium: the portal's pages run under it with no violation, and the
harness that fails every browser test on a violation does see one."""

import pytest

from tests.e2e.conftest import login
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_login_page_and_the_home_page_run_under_the_policy(page, live_server):
    UserFactory(username="thuky")
    response = page.goto("/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    login(page, "thuky")
    with page.expect_navigation():
        page.get_by_label("Ngôn ngữ").select_option("en")  # the language switch: a handler from portal.js
    assert page.locator("html").get_attribute("lang") == "en"
    # the page fixture fails the test on any violation seen on these pages


def test_the_harness_catches_an_inline_script(browser, live_server):
    from tests.e2e.conftest import REPORT_CSP_VIOLATIONS, csp_violations

    context = browser.new_context(base_url=live_server.url)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    found = csp_violations(page)
    page.route("**/csp-probe/", lambda route: route.fulfill(
        status=200, content_type="text/html", headers={"Content-Security-Policy": "script-src 'self'"},
        body="<!doctype html><html><body><script>document.title = 'ran'</script></body></html>"))
    page.goto("/csp-probe/")
    page.wait_for_function("document.readyState === 'complete'")
    title = page.title()
    context.close()
    assert title != "ran"
    assert any("script-src" in v for v in found), found
