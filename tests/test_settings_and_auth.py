"""Login, lockout, password rules, language, deploy checks, health."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_login_and_logout(client):
    UserFactory(username="thuky")
    response = client.post("/login/", {"username": "thuky", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_a_wrong_password_gets_a_vietnamese_message(client):
    UserFactory(username="thuky")
    response = client.post("/login/", {"username": "thuky", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()  # Django's own Vietnamese text


def test_repeated_failures_lock_the_account_out(client, settings):
    UserFactory(username="thuky")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "thuky", "password": "sai-mat-khau"})
    response = client.post("/login/", {"username": "thuky", "password": PASSWORD})
    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khóa" in response.content.decode()
    assert client.get("/").status_code == 302  # not logged in


def _fail(client, username: str, **meta) -> None:
    client.post("/login/", {"username": username, "password": "sai-mat-khau"}, **meta)


def test_an_account_is_locked_after_failures_from_different_addresses(client, settings):
    UserFactory(username="thuky")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, "thuky", REMOTE_ADDR=f"203.0.113.{n + 1}")
    # the right password, from an address that has never failed: still locked
    response = client.post("/login/", {"username": "thuky", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert client.get("/").status_code == 302


def test_an_account_locked_from_one_address_is_locked_from_another(client, settings):
    UserFactory(username="thuky")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, "thuky", REMOTE_ADDR="203.0.113.1")
    response = client.post("/login/", {"username": "thuky", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429


def test_another_account_is_not_locked_by_failures_on_the_first(client, settings):
    UserFactory(username="thuky")
    UserFactory(username="bithu")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, "thuky", REMOTE_ADDR="203.0.113.1")
    response = client.post("/login/", {"username": "bithu", "password": PASSWORD}, REMOTE_ADDR="203.0.113.1")
    assert response.status_code == 302


def _address(settings, count: int, **meta) -> str | None:
    from django.test import RequestFactory

    from portal.middleware import client_ip

    settings.TRUSTED_PROXY_COUNT = count
    return client_ip(RequestFactory().get("/", **meta))


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    assert _address(settings, 0, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4") == "203.0.113.9"


def test_behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client(settings):
    # What the client wrote itself ("1.2.3.4") is on the left; each proxy appended the address it saw.
    forwarded = "1.2.3.4, 198.51.100.20, 10.0.0.2"
    assert _address(settings, 1, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded) == "10.0.0.2"
    assert _address(settings, 2, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded) == "198.51.100.20"
    # A header shorter than the proxies, or not an address: the nearest proxy's address, never the client's word.
    assert _address(settings, 2, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4") == "10.0.0.1"
    assert _address(settings, 1, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, x") == "10.0.0.1"


def test_behind_the_proxy_two_clients_are_two_addresses(client, settings):
    """One client's failures lock the account; the address axes records is the client's, not the proxy's."""
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="thuky")
    _fail(client, "thuky", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    _fail(client, "thuky", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5", "198.51.100.7"}


def test_behind_the_proxy_an_account_locked_by_one_client_is_locked_for_another(client, settings):
    """Every request comes from the proxy (10.0.0.1); the failures count per client address and per account."""
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="thuky")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, "thuky", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    response = client.post("/login/", {"username": "thuky", "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429
    assert client.get("/").status_code == 302


def test_the_documented_proxy_set_up_trusts_one_proxy():
    import subprocess
    import sys

    code = "from django.conf import settings; import django; django.setup(); print(settings.TRUSTED_PROXY_COUNT)"
    env = {**__import__("os").environ, "BEHIND_PROXY": "1", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    env.pop("TRUSTED_PROXY_COUNT", None)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "1"


@pytest.mark.parametrize("weak", ["12345678901", "password123", "ngắn"])
def test_password_validators_refuse_weak_passwords(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)
    validate_password("Chi-bo-thon-1-nam-2026")


def test_english_is_a_language_switch_away(client):
    client.force_login(UserFactory(username="thuky"))
    # Vietnamese by default, whatever the browser asks for
    assert "Cây tổ chức" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Organization tree" in html and 'lang="en"' in html


def test_dates_are_day_month_year_in_both_languages():
    import datetime as dt

    from django.utils import formats, translation

    for lang in ("vi", "en"):
        with translation.override(lang):
            assert formats.date_format(dt.date(2025, 9, 2), "SHORT_DATE_FORMAT") == "02/09/2025"


def test_healthz_is_public(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_deploy_checks_pass_with_debug_off():
    env = {k: v for k, v in os.environ.items() if k not in ("HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DEBUG="0", SECRET_KEY="k" * 20 + "-a-long-random-production-key-0123456789-xyz",
               ALLOWED_HOSTS="portal.tinhuy.vn")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_checks_catch_an_insecure_setting():
    """The check above could fail: with HTTPS turned off it does."""
    env = dict(os.environ, DEBUG="0", HTTPS="0", ALLOWED_HOSTS="portal.tinhuy.vn",
               SECRET_KEY="k" * 20 + "-a-long-random-production-key-0123456789-xyz")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "SECURE_SSL_REDIRECT" in result.stdout + result.stderr
