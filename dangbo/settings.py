"""Settings for dangbo: one file, configured by environment variables.

Every variable is read through a small typed helper that fails loudly on a bad value.
With nothing set, dangbo runs in development mode on SQLite under ``var/``.
"""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent

# Development only: production refuses to start with it.
DEV_SECRET_KEY = "dev-only-secret-key-change-me-in-production-0123456789"  # noqa: S105


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list[str]:
    """Comma-separated addresses or networks ("127.0.0.1,10.0.0.0/8"), each checked."""
    values = env_list(name, default)
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must list IP addresses or networks, got {value!r}") from exc
    return values


def env_header(name: str, default: str) -> str:
    """An HTTP header name ("X-Forwarded-For"), or empty for none."""
    value = env_str(name, default).strip()
    if value and not re.fullmatch(r"[A-Za-z0-9-]+", value):
        raise ImproperlyConfigured(f"{name} must be an HTTP header name such as X-Forwarded-For, got {value!r}")
    return value


# PRODUCTION=true switches on every safeguard and refuses unsafe values.
PRODUCTION = env_bool("DANGBO_PRODUCTION", False)
DEBUG = env_bool("DANGBO_DEBUG", not PRODUCTION)
SECRET_KEY = env_str("DANGBO_SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("DANGBO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DANGBO_DEBUG must be off in production.")
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Set DANGBO_SECRET_KEY to a random value of 50 characters or more in production.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set DANGBO_ALLOWED_HOSTS in production.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",  # one FilterSet per list, shared by page and API
    "treebeard",
    "ninja",  # Swagger UI from its bundled static files, not a CDN
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",  # authenticator apps (TOTP)
    "django_otp.plugins.otp_static",  # one-time backup codes
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "lib",
    "workdays",
    "orgs",
    "accounts",
    "members",
    "discipline",
    "reviews",
    "targets",
    "api",
    "dangbo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dangbo.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After the password, a user with an authenticator must give a code (or enrol, by policy).
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that the pages it renders still pass every other middleware on the way out.
    "dangbo.middleware.ErrorPageMiddleware",
]

# With DEBUG off, Django serves no static file itself: whitenoise does, in production from
# the collected, hashed files (collectstatic), elsewhere straight from the finders so that a
# development checkout with DANGBO_DEBUG=false needs no collectstatic. With DEBUG on,
# runserver and live_server serve them from the finders.
if not DEBUG:
    INSTALLED_APPS.insert(INSTALLED_APPS.index("django.contrib.staticfiles"), "whitenoise.runserver_nostatic")
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
    )

ROOT_URLCONF = "dangbo.urls"
CSRF_FAILURE_VIEW = "dangbo.views.csrf_failure"
WSGI_APPLICATION = "dangbo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Database: DATABASE_URL, or SQLite under var/ (DANGBO_SQLITE_PATH overrides the file).
SQLITE_PATH = Path(env_str("DANGBO_SQLITE_PATH", str(BASE_DIR / "var" / "dangbo.sqlite3")))
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DANGBO_DB_CONN_MAX_AGE", 60))}
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            # IMMEDIATE + WAL keep the web process and the task worker from "database is locked".
            # A page cache of up to 64 MB (2 MB by default): a large import's transaction then
            # keeps the member indexes it writes in memory (150,000 rows: 48 s -> 35 s of inserts).
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA cache_size=-65536"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS: list[dict[str, Any]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after SESSION_IDLE_SECONDS without a request (accounts.middleware.
# IdleTimeoutMiddleware: the last request's time is a signed cookie, so a request writes
# nothing to the database) and SESSION_COOKIE_AGE after the login in any case.
SESSION_IDLE_SECONDS = env_int("DANGBO_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_AGE = env_int("DANGBO_SESSION_MAX_SECONDS", 12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login lockout (django-axes): after AXES_FAILURE_LIMIT failures for a username from one address.
AXES_FAILURE_LIMIT = env_int("DANGBO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("DANGBO_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
# One combination of username and client address: a stranger's failures lock out only
# that stranger's address for that username, never the user everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind a reverse proxy the client address is what the trusted proxies forwarded
# (accounts/client_address.py); the header is ignored on requests from anywhere else.
TRUSTED_PROXIES = env_networks("DANGBO_TRUSTED_PROXIES", [])
TRUSTED_PROXY_HEADER = env_header("DANGBO_TRUSTED_PROXY_HEADER", "X-Forwarded-For")
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("DANGBO_AXES_ENABLED", True)

# Two-factor login (django-otp, TOTP). Staff roles must enrol when this is on; the demo
# runs with it off so that its printed logins work without codes.
REQUIRE_2FA_FOR_STAFF = env_bool("DANGBO_REQUIRE_2FA_FOR_STAFF", PRODUCTION)
OTP_TOTP_ISSUER = "dangbo"
# Our own lockout (accounts.otp: 5 wrong codes, 5 minutes) replaces django-otp's
# exponential delay, which would refuse a right code typed a second after a typo.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["dangbo.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DANGBO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production whitenoise reads the finders (no collectstatic); in production only the
# hashed names are kept and compressed, and source maps (read by developer tools only) are
# not compressed: that halves collectstatic's time.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_ROOT = Path(env_str("DANGBO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"

TASKS = {"default": {"BACKEND": env_str("DANGBO_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Content-Security-Policy: everything from our own origin; Alpine.js needs 'unsafe-eval'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
    }
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DANGBO_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DANGBO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    CSRF_TRUSTED_ORIGINS = env_list("DANGBO_CSRF_TRUSTED_ORIGINS", [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DANGBO_LOG_LEVEL", "WARNING")},
}
