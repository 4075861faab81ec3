"""Bad input never gives a 500: every URL and every form field, driven with hostile values.

Like ``test_urls_protected.py`` this walks the URL conf. On a small world
(``tests/hostile.py``: the province of ``conftest.py``, a working regulation,
meetings, decisions, imports) a superuser, who sees every page and every
form:

- requests every URL with each path parameter replaced by hostile values;
- requests every URL with hostile values for every query key the views read
  (found in the views' source and in the GET forms of the page);
- reads the forms of every page (``html.parser``) and posts each field with
  each hostile value while the other fields hold valid values, so the value
  gets past the form to the services, and then every field hostile at once;
- lets hypothesis mix hostile values and arbitrary text across fields and keys.

Every request runs in a savepoint rolled back afterwards, so each one meets
the same world. The test client re-raises a view's exception: a 500 fails
the test with its traceback. The tests are split by area so that a failure
in one app does not hide the others.
"""

from __future__ import annotations

import itertools
import re
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.db import transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.models import Assignment
from organizations.models import MemberImport, Person

from .hostile import (
    HOSTILE_CHOICE,
    HOSTILE_PATH,
    HOSTILE_TEXT,
    QUERY_KEYS,
    Form,
    Route,
    World,
    build_world,
    fill,
    forms_on,
    hostile_files,
    query_keys_in_views,
    routes,
    upload,
)

pytestmark = pytest.mark.django_db

AREAS = ["portal", "organizations", "governance", "regulations", "assessments", "personnel", "jobs", "reports",
         "admin"]
# Areas whose pages only show (a job's progress, a report): no form to aim at. A report is requested by a
# form without fields on the page it reports on (a button); its URL is in the path and query tests.
FORM_AREAS = [area for area in AREAS if area not in ("jobs", "reports")]
ROUTES = routes()
VIEW_KEYS = sorted(QUERY_KEYS | query_keys_in_views())
# The admin is Django's code over our models: fewer values there, so that the file runs in a minute.
ADMIN_QUERY = ["²", "", str(10**20), "x" * 500]
ADMIN_FORM = ["²", str(10**20)]
MANAGEMENT_FORM = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")
# The second and later forms of a formset are like the first.
LATER_FORMSET_FORM = re.compile(r"-[1-9]\d*-")

# Valid values by field name (the part after the last "-" for formset fields), so that one hostile
# field at a time reaches the service behind the form.
GOOD = {
    "date": "02/03/2026", "start": "01/01/2026", "end": "", "on": "01/03/2026", "from": "01/01/2026",
    "to": "31/12/2026", "title": "Nội dung hợp lệ", "description": "Phụ trách tài chính",
    "adoption_ref": "12-QĐ/ĐU", "delegation_ref": "", "votes_for": "3", "votes_against": "0",
    "abstaining": "0", "q": "quy", "reason": "Đi công tác", "username": "quantri", "full_name": "Trần Văn Thử",
    "birth_date": "17/05/1980", "join_date": "26/03/2005", "official_date": "26/03/2006",
}
GOOD_FILES = {".csv": ("danh_sach.csv", "Họ và tên,Giới tính,Ngày vào Đảng\nTrần Thị Mới,Nữ,19/05/2010\n"),
              ".txt": ("quy_dinh.txt", "Điều 1. Phạm vi\n1. Nội dung.\n")}


def area_of(route: Route) -> str:
    if route.route.startswith("admin/"):
        return "admin"
    name = route.name or ""
    return name.split(":")[0] if ":" in name else "portal"


def in_area(area: str) -> list[Route]:
    return [r for r in ROUTES if area_of(r) == area]


class Driver:
    """The superuser's browser: every request in a savepoint that is rolled back, and asserted < 500."""

    def __init__(self, client, world: World):
        self.client = client
        self.world = world
        client.raise_request_exception = True  # a view's exception fails the test with its traceback
        client.force_login(world.superuser)

    def get(self, url: str):
        return self._send("GET", url, None)

    def post(self, url: str, data: dict, multipart: bool):
        return self._send("POST", url, data, multipart)

    def _send(self, method: str, url: str, data: dict | None, multipart: bool = True):
        session = self.client.cookies.get("sessionid")
        try:
            with transaction.atomic():
                if method == "GET":
                    response = self.client.get(url)
                elif multipart:
                    response = self.client.post(url, data)
                else:
                    response = self.client.post(url, urlencode(data, doseq=True),
                                                content_type="application/x-www-form-urlencoded")
                transaction.set_rollback(True)
        except Exception as exc:  # not handled: re-raised with the request that caused it
            exc.add_note(f"{method} {url} {_short(data)}")
            raise
        assert response.status_code < 500, (method, url, data)
        if self.client.cookies.get("sessionid") != session:  # logged out, or the session was cycled
            self.client.force_login(self.world.superuser)
        return response

    def page(self, url: str) -> str | None:
        response = self.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return None
        return response.content.decode()


def _short(data: dict | None) -> str:
    if not data:
        return ""
    return repr({k: (v if not isinstance(v, str) or len(v) < 40 else v[:40] + "…") for k, v in data.items()})


@pytest.fixture
def driver(client, province, staff_a, an) -> Driver:
    return Driver(client, build_world(province, staff_a, an))


def url_of(driver: Driver, route: Route) -> str:
    return fill(route, {k: quote(v, safe="") for k, v in driver.world.params_for(route).items()})


# --- paths and query strings ---------------------------------------------------



@pytest.mark.parametrize("area", AREAS)
def test_path_parameters_take_hostile_values(driver, area):
    for route in in_area(area):
        real = {k: quote(v, safe="") for k, v in driver.world.params_for(route).items()}
        for param, value in itertools.product(route.params, HOSTILE_PATH):
            driver.get(fill(route, {**real, param: value}))


def query_keys(html: str | None) -> list[str]:
    """The keys the views read, and the fields of the page's GET forms."""
    names = {f.name for form in forms_on(html or "") if form.method == "get" for f in form.fields}
    return sorted(set(VIEW_KEYS) | names)


@pytest.mark.parametrize("area", AREAS)
def test_query_strings_take_hostile_values(driver, area):
    for route in in_area(area):
        if area == "admin" and (not route.name or route.name.endswith(("_history", "_delete"))):
            continue  # the same view as the change page, for the query string
        url = url_of(driver, route)
        keys = query_keys(driver.page(url))
        for value in ADMIN_QUERY if area == "admin" else HOSTILE_TEXT:
            driver.get(f"{url}?{urlencode({k: value for k in keys})}")


# Sort keys a tampered link sends: a column that does not exist, reversed or not, empty, odd text.
HOSTILE_SORTS = ["-nonexistent", "nonexistent", "", "-", "--stt", "stt", "-stt", "²", "x" * 500, "a,b,-c",
                 "__class__", "pk__gt"]


def _tables_of(response) -> list:
    import django_tables2 as tables

    contexts = response.context if isinstance(response.context, list) else [response.context]
    found = {}
    for context in contexts:
        for value in context.flatten().values():
            if isinstance(value, tables.Table):
                found[id(value)] = value
    return list(found.values())


def test_every_list_and_its_export_take_hostile_sorts(driver):
    """Every page showing a table, asked for that table sorted by hostile keys, as a page and as .xlsx."""
    lists = 0
    for route in ROUTES:
        if area_of(route) == "admin":
            continue
        url = url_of(driver, route)
        response = driver.get(url)
        if response.status_code != 200 or response.context is None:
            continue
        for table in _tables_of(response):
            lists += 1
            which = {"table": table.prefix[:-1]} if table.prefix else {}
            for sort in HOSTILE_SORTS:
                query = {**which, table.prefixed_order_by_field: sort}
                driver.get(f"{url}?{urlencode(query)}")
                exported = driver.get(f"{url}?{urlencode({**query, 'export': 'xlsx'})}")
                assert exported.status_code < 400, (url, sort)
    assert lists >= 15, lists


# --- forms -----------------------------------------------------------------------


def _target(page_url: str, form: Form) -> str:
    action = form.action or page_url
    return action if action.startswith("/") else page_url.rsplit("/", 1)[0] + "/" + action


def forms_of(driver: Driver, area: str) -> list[tuple[str, Form]]:
    """Every POST form on the area's pages whose target is in the area, once each."""
    seen, found = set(), []
    pages = in_area(area)
    if area == "admin":  # the admin's other pages hold no form of their own; a change page before an add page
        order = ("_changelist", "_change", "_add")
        pages = sorted((r for r in pages if (r.name or "").endswith(order)),
                       key=lambda r: next(i for i, end in enumerate(order) if r.name.endswith(end)))
    for route in pages:
        page_url = url_of(driver, route)
        for form in forms_on(driver.page(page_url) or ""):
            if form.method != "post":
                continue
            target = _target(page_url, form)
            try:
                match = resolve(urlsplit(target).path)
            except Resolver404:
                continue
            if area_of(Route(match.route, match.view_name, ())) != area:
                continue
            # The admin's add and change pages of a model share one form.
            key = tuple(form.names) if area == "admin" else (urlsplit(target).path, tuple(form.names))
            if key not in seen:
                seen.add(key)
                found.append((target, form))
    assert found, f"no form found in {area}"
    return found


def _good(driver: Driver, field) -> str | list[str] | None:
    short = field.name.rsplit("-", 1)[-1]
    if field.kind == "file":
        name, text = GOOD_FILES[".txt" if ".txt" in field.accept else ".csv"]
        return upload(name, text.encode())
    if field.kind in ("checkbox", "radio"):
        return (field.value or "on") if field.checked else None
    if field.kind == "select":  # an unbound form marks its empty choice as selected: take a real one
        chosen = [o for o in field.selected if o] or [o for o in field.options if o][:1]
        return chosen if field.multiple else (chosen[0] if chosen else "")
    if short in driver.world.cards:
        return driver.world.cards[short]
    if field.value:
        return field.value
    if short in GOOD:
        return GOOD[short]
    if field.kind == "number":
        return "1"
    if short.endswith("_0") or "date" in short:
        return "01/01/2020"
    if short.endswith("_1"):
        return "10:00"
    return "Giá trị hợp lệ"


def base_payload(driver: Driver, form: Form) -> dict:
    data, button = {}, False
    for field in form.fields:
        if field.kind in ("button", "submit"):
            if button:  # a browser sends only the button pressed: the first one here
                continue
            button = True
        value = _good(driver, field)
        if value is not None and field.name not in data:
            data[field.name] = value
    return data


def hostile_values(field) -> list:
    if field.kind == "file":
        return [upload(name, content) for name, content in hostile_files()]
    if field.kind in ("select", "checkbox", "radio", "hidden", "button", "submit"):
        values = HOSTILE_CHOICE
    else:
        values = HOSTILE_TEXT
    return [[v, v] for v in values] if field.multiple else values


def post(driver: Driver, target: str, form: Form, data: dict) -> None:
    multipart = any(f.kind == "file" for f in form.fields)
    driver.post(target, {k: v for k, v in data.items() if v is not None}, multipart)


@pytest.mark.parametrize("area", FORM_AREAS)
def test_every_form_field_takes_hostile_values(driver, area):
    for target, form in forms_of(driver, area):
        fields = [f for f in form.fields if f.name != "csrfmiddlewaretoken"]
        if area == "admin":  # every field hostile at once; hypothesis mixes them below
            # (An inline's form count stays valid: Django builds up to 1,000 forms for a huge one.)
            hostile = [f for f in fields if not f.name.endswith(MANAGEMENT_FORM)]
            for value in ADMIN_FORM:
                post(driver, target, form, {**base_payload(driver, form), **{f.name: value for f in hostile}})
            continue
        # One field at a time, the others valid: the value gets past the form to the service.
        for field in fields:
            if LATER_FORMSET_FORM.search(field.name):
                continue
            for value in hostile_values(field):
                post(driver, target, form, {**base_payload(driver, form), field.name: value})
        # Every field at once.
        for n, value in enumerate(HOSTILE_TEXT):
            post(driver, target, form, {**base_payload(driver, form), **{
                f.name: (hostile_values(f)[n % len(hostile_values(f))] if f.kind == "file" else value)
                for f in fields}})


# --- hypothesis: mixtures --------------------------------------------------------

hostile_text = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=30),
                         st.integers(min_value=-(10**30), max_value=10**30).map(str))


@pytest.mark.parametrize("area", FORM_AREAS)
@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_hostile_mixtures(driver, area, data):
    found = forms_of_cached(driver, area)
    if found and data.draw(st.booleans(), label="post"):
        target, form = data.draw(st.sampled_from(found), label="form")
        fields = [f for f in form.fields if f.name != "csrfmiddlewaretoken" and f.kind != "file"]
        chosen = data.draw(st.lists(st.sampled_from(fields), unique_by=lambda f: f.name), label="fields") \
            if fields else []
        payload = base_payload(driver, form)
        for field in chosen:
            payload[field.name] = data.draw(hostile_text, label=field.name)
        post(driver, target, form, payload)
    else:
        route = data.draw(st.sampled_from(in_area(area)), label="route")
        keys = data.draw(st.lists(st.sampled_from(VIEW_KEYS), min_size=1, max_size=4, unique=True), label="keys")
        query = {k: data.draw(hostile_text, label=k) for k in keys}
        driver.get(f"{url_of(driver, route)}?{urlencode(query)}")


def forms_of_cached(driver: Driver, area: str) -> list[tuple[str, Form]]:
    cache = driver.__dict__.setdefault("_forms", {})
    if area not in cache:
        cache[area] = forms_of(driver, area)
    return cache[area]


# --- NUL: refused before any view ------------------------------------------------


NUL_PAGE = "Dữ liệu gửi lên có ký tự không hợp lệ."


def test_a_nul_in_the_path_is_refused(driver):
    response = driver.get(f"/regulations/{driver.world.ids['slug']}/%00/")
    assert response.status_code == 400 and NUL_PAGE in response.content.decode()


def test_a_nul_in_a_query_value_or_key_is_refused(driver):
    for query in ("q=a%00b", "a%00=1"):
        response = driver.get(f"/people/?{query}")
        assert response.status_code == 400 and NUL_PAGE in response.content.decode()


def test_a_nul_in_a_posted_value_is_refused_and_nothing_changes(client, driver):
    org = driver.world.ids["organization"]
    before = Assignment.objects.count()
    response = client.post(f"/org/{org}/assignments/new/", {
        "person_card": driver.world.cards["person_card"], "field": "finance",
        "description": "Phụ trách\x00", "start": "01/01/2026"})
    assert response.status_code == 400 and NUL_PAGE in response.content.decode()
    assert Assignment.objects.count() == before


def test_a_nul_in_a_multipart_field_is_refused_before_the_upload_is_read(client, driver, province):
    before = MemberImport.objects.count(), Person.objects.count()
    response = client.post(f"/org/{province.cell_1.pk}/import/",
                           {"x": "\x00", "file": upload(GOOD_FILES[".csv"][0], GOOD_FILES[".csv"][1].encode())})
    assert response.status_code == 400
    assert (MemberImport.objects.count(), Person.objects.count()) == before


def test_the_refusal_reads_in_english_for_an_english_reader(client, driver):
    client.cookies["django_language"] = "en"
    response = client.get("/people/?q=%00")
    assert response.status_code == 400 and NUL_PAGE not in response.content.decode()
    assert 'lang="en"' in response.content.decode()


def test_a_version_in_digits_the_database_does_not_take_finds_nothing(driver):
    slug, anchor = driver.world.ids["slug"], driver.world.ids["anchor"]
    for url in (f"/regulations/{slug}/", f"/regulations/{slug}/{anchor}/"):
        for value in ("²", "١٢", str(10**20)):
            assert driver.get(f"{url}?{urlencode({'version': value})}").status_code == 404
        assert driver.get(f"{url}?version=1").status_code == 200


@pytest.mark.parametrize(("text", "message"), [
    ("Điều 1. X\n1. Y\n\x00\n", "Tệp có ký tự không hợp lệ (mã NUL)"),
    ("Điều 12345678901. X\n", "Dòng 1: số “12345678901” dài quá 10 ký tự."),
    ("Điều " + "9" * 5000 + ". X\n", "Văn bản có số điều, khoản quá dài."),
])
def test_a_regulation_text_the_database_cannot_hold_is_refused_by_the_form(driver, text, message):
    from regulations.models import DocumentVersion

    before = DocumentVersion.objects.count()
    response = driver.post("/regulations/import/", {"document": driver.world.ids["document"],
                                                    "file": upload("a.txt", text.encode())}, True)
    assert response.status_code == 200 and message in response.content.decode()
    assert DocumentVersion.objects.count() == before
