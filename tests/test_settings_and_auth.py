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
