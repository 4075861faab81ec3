"""The browser harness: Playwright for Python driving Debian's Chromium.

Every issue's journeys use the ``page`` fixture and the ``login`` helper
against pytest-django's ``live_server``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.assessments.conftest import world  # noqa: F401  (the review's small world, for the journeys)
from tests.conftest import need
from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "e2e"



@pytest.fixture(scope="package")
def browser():
    need("browser", Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}")
    # Playwright's sync API keeps an event loop running in this thread while the
    # browser is open; the tests' own ORM calls are synchronous, so Django's async
    # guard is relaxed for the e2e package only, and restored after it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - requirements-dev installs it
        need("browser", False, "playwright is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Run in every document before its own scripts (Playwright injects it, outside the page's CSP): a
# Content-Security-Policy violation is reported on the console, where the fixture below collects it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline")
                + " in " + e.documentURI + (e.sample ? " (" + e.sample + ")" : ""));
});
"""


def csp_violations(page) -> list[str]:
    """Collect what the browser refused under the page's Content-Security-Policy (its events and messages)."""
    found: list[str] = []

    def on_console(message) -> None:
        text = message.text
        if message.type == "error" and ("CSP violation" in text or "Content Security Policy" in text):
            found.append(text)

    page.on("console", on_console)
    return found


@pytest.fixture
def page(browser, live_server, request):
    """A browser tab on the live server; the test fails on a page error, a missing static file or any
    Content-Security-Policy violation on any page it opened."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and "/static/" in r.url else None)
    violations = csp_violations(page)
    yield page
    errors.extend(violations)
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, f"browser errors: {errors}"


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture
def catalog(transactional_db):
    """The reference data of the data migrations (the posts, the regulations catalog).

    Browser tests run in transactional databases that are flushed after each
    test, which removes rows that migrations wrote; this puts them back.
    """
    import importlib

    from django.apps import apps

    from organizations.models import Position

    if not Position.objects.exists():
        importlib.import_module("organizations.migrations.0002_database_rules_and_positions").add_positions(apps, None)

    from common.text import fold
    from regulations import catalog as data
    from regulations.models import Document
    from regulations.parser import parse
    from regulations.services import refresh_search_vectors

    if not Document.objects.exists():
        data.load(apps.get_model("regulations", "Document"), apps.get_model("regulations", "DocumentVersion"),
                  apps.get_model("regulations", "Provision"), fold, parse)
        refresh_search_vectors()
