"""Production settings refuse unsafe values, and `check --deploy` is clean for safe ones.

Each case starts a fresh interpreter: settings are read once, at import.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
DEV_SECRET = "dev-only-secret-key-change-me-in-production-0123456789"


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DANGBO_", "DJANGO_", "DATABASE_URL"))}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "dangbo.settings"
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def setup_django(**env: str) -> subprocess.CompletedProcess[str]:
    return run(["-c", "import django; django.setup()"], **env)


def good_production_env() -> dict[str, str]:
    return {
        "DANGBO_PRODUCTION": "true",
        "DANGBO_SECRET_KEY": secrets.token_urlsafe(64),
        "DANGBO_ALLOWED_HOSTS": "dangbo.example.vn",
    }


def test_development_settings_start_with_nothing_set():
    result = setup_django()
    assert result.returncode == 0, result.stderr


def test_production_refuses_debug_on():
    result = setup_django(**good_production_env(), DANGBO_DEBUG="true")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DANGBO_DEBUG must be off in production." in result.stderr


@pytest.mark.parametrize("secret", [None, DEV_SECRET, "too-short-secret"])
def test_production_refuses_a_default_or_weak_secret_key(secret):
    env = good_production_env()
    if secret is None:
        del env["DANGBO_SECRET_KEY"]
    else:
        env["DANGBO_SECRET_KEY"] = secret
    result = setup_django(**env)
    assert result.returncode != 0
    assert "Set DANGBO_SECRET_KEY to a random value of 50 characters or more in production." in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = good_production_env()
    del env["DANGBO_ALLOWED_HOSTS"]
    result = setup_django(**env)
    assert result.returncode != 0
    assert "Set DANGBO_ALLOWED_HOSTS in production." in result.stderr


def test_a_bad_boolean_fails_loudly():
    result = setup_django(DANGBO_DEBUG="perhaps")
    assert result.returncode != 0
    assert "DANGBO_DEBUG must be a boolean" in result.stderr


def test_check_deploy_is_clean_for_proper_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **good_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_warns_when_the_safeguards_are_off():
    # The same command does catch a weakened setup: HSTS switched off gives security.W004.
    env = {**good_production_env(), "DANGBO_HSTS_SECONDS": "0", "DANGBO_SSL_REDIRECT": "false"}
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W004" in output
    assert "security.W008" in output


def test_production_hashes_passwords_with_argon2():
    code = "import django; django.setup(); from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    result = run(["-c", code], **good_production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_with_debug_off_outside_production_whitenoise_serves_the_static_files():
    # No collectstatic here: outside production whitenoise reads the finders.
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/static/css/dangbo.css'); "
        "print(r.status_code, b''.join(r.streaming_content)[:40].decode())"
    )
    result = run(["-c", code], DANGBO_DEBUG="false", DANGBO_SQLITE_PATH=os.devnull)
    assert result.returncode == 0, result.stderr
    status, _, body = result.stdout.strip().partition(" ")
    assert status == "200"
    assert body.startswith(":root")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DANGBO_TRUSTED_PROXIES", "127.0.0.1,nginx", "DANGBO_TRUSTED_PROXIES must list IP addresses or networks"),
        ("DANGBO_TRUSTED_PROXY_HEADER", "X Forwarded For", "DANGBO_TRUSTED_PROXY_HEADER must be an HTTP header name"),
    ],
)
def test_a_bad_proxy_setting_fails_loudly(name, value, message):
    result = setup_django(**{name: value})
    assert result.returncode != 0
    assert message in result.stderr
