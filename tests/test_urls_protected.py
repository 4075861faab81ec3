"""Every URL needs a login, except a short explicit public list (Indigo's meta-test)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# name -> why it is public
PUBLIC = {
    "login": "the login page itself",
    "logout": "logging out needs no login",
    "set_language": "choosing the language on the login page",
    "healthz": "monitoring by the reverse proxy",
    "admin:login": "the admin's own login page",
}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (namespace + p.name) if p.name else None, p.callback


def _sample_url(route: str) -> str:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\/", "/")
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:str|slug|path):?\w*>", "x", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    return "/" + route


ALL = list(_walk(get_resolver().url_patterns))


def test_the_public_list_is_short_and_real():
    names = {name for _, name, _ in ALL}
    assert {n for n in PUBLIC if PUBLIC[n]} <= names


@pytest.mark.parametrize(("route", "name", "callback"), ALL, ids=[r for r, _, _ in ALL])
def test_every_view_needs_a_login_unless_listed(route, name, callback):
    if getattr(callback, "login_required", True) is False:
        assert name in PUBLIC, f"{route} ({name}) is public but not on the public list"


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name", "callback"),
                         [a for a in ALL if a[1] not in PUBLIC and "(?P" not in a[0]],
                         ids=[r for r, n, _ in ALL if n not in PUBLIC and "(?P" not in r])
def test_anonymous_requests_are_sent_to_a_login_page(client, route, name, callback):
    response = client.get(_sample_url(route))
    assert response.status_code in (301, 302, 405), route
    if response.status_code != 405:
        assert "login" in response["Location"], route
