"""Every page carries a Content-Security-Policy with no inline script; templates hold none to need one."""

import re
from pathlib import Path

import pytest

from common import csp
from common.charts import stacked_bars
from tests.factories import UserFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/", "/org/", "/people/", "/regulations/", "/assessments/"])
def test_every_page_has_a_policy_without_inline_script(client, url):
    if url != "/login/":
        client.force_login(UserFactory(username="thuky"))
    response = client.get(url)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src-elem"] and "'unsafe-eval'" not in str(policy)
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_an_error_page_has_the_policy_too(client):
    client.force_login(UserFactory(username="thuky"))
    assert "script-src 'self'" in client.get("/no-such-page/")["Content-Security-Policy"]


def test_no_template_has_an_inline_script_or_handler():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        if "reports" in path.relative_to(TEMPLATES).parts[:1]:
            continue  # the PDFs' templates: rendered by WeasyPrint, never served to a browser
        text = path.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:", text):
            found.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert not found


def test_a_chart_shown_in_a_page_carries_the_response_s_nonce_and_nothing_else_does():
    svg = stacked_bars("Xếp loại", ["Chi bộ 1"], [("Tốt", [3])])
    assert "<style" in svg and "nonce=" not in svg  # outside a request (a PDF): unchanged
    token = csp.set_nonce(lambda: "abc123")
    try:
        assert '<style nonce="abc123"' in str(svg) and '<style nonce="abc123"' in svg.__html__()
    finally:
        csp.reset_nonce(token)
    assert "nonce=" not in str(svg)
