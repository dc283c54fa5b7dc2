"""One settings module, read from the environment (TACT_*), with safe defaults.

Zero configuration gives an SQLite file under ./var and DEBUG off. Any setting named in
``_secret`` may also come from a file named by ``<NAME>_FILE`` (Docker and systemd secrets).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("TACT_VAR_DIR", Path.cwd() / "var")).resolve()


def env(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "")
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env(name, "")
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


DEBUG = env_bool("TACT_DEBUG", False)


def _local_secret_key() -> str:
    """A key generated once per installation, so a fresh clone runs without configuration."""
    path = VAR_DIR / "secret-key"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker created it first
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(get_random_secret_key())
    return path.read_text(encoding="utf-8").strip()


# Behind HTTPS (a reverse proxy that terminates TLS) turn this on: cookies become Secure, HSTS is sent.
HTTPS = env_bool("TACT_HTTPS", False)

SECRET_KEY = env("TACT_SECRET_KEY")
if not SECRET_KEY:
    if HTTPS:
        # A production site must not depend on a key file that a redeploy may lose or change.
        raise ImproperlyConfigured(
            "TACT_SECRET_KEY (or TACT_SECRET_KEY_FILE) must be set when TACT_HTTPS is on; "
            "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env_list("TACT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("TACT_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Listed so the API docs use the Swagger UI files shipped with django-ninja, not a CDN.
    "ninja",
    "tact.accounts",
    "tact.core",
    "tact.catalogue",
    "tact.advisor",
    "tact.assessments",
    "tact.community",
    "tact.consortium",
    "tact.curation",
    "tact.publication",
    "tact.mentoring",
    "tact.events",
    "tact.demo",
]

AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tact.urls"
WSGI_APPLICATION = "tact.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASE_URL = env("TACT_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tact.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while `tact catalogue load` writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
TIME_ZONE = env("TACT_TIME_ZONE", "Europe/Vienna")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Only for `tact collectstatic` when a front web server should serve the files itself.
STATIC_ROOT = env("TACT_STATIC_ROOT") or None
# Served from the installed package by WhiteNoise, so `make run` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "catalogue:home"

# Sessions end after TACT_SESSION_AGE seconds (8 hours by default), logged in or not.
SESSION_COOKIE_AGE = env_int("TACT_SESSION_AGE", 60 * 60 * 8)
# Password reset links work for TACT_PASSWORD_RESET_HOURS (default 2 hours).
PASSWORD_RESET_TIMEOUT = env_int("TACT_PASSWORD_RESET_HOURS", 2) * 60 * 60
# Invitation links work once, for TACT_INVITATION_DAYS days.
TACT_INVITATION_DAYS = env_int("TACT_INVITATION_DAYS", 14)
# After this many failed logins for one e-mail address from one IP address within the window
# (seconds), further attempts are refused until the window has passed.
TACT_LOGIN_FAILURE_LIMIT = env_int("TACT_LOGIN_FAILURE_LIMIT", 5)
TACT_LOGIN_FAILURE_WINDOW = env_int("TACT_LOGIN_FAILURE_WINDOW", 15 * 60)
# The public address used in links sent by the command line (invitations), e.g. https://tact.example.org
TACT_BASE_URL = env("TACT_BASE_URL", "")

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env("TACT_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("TACT_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("TACT_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env("TACT_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("TACT_EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("TACT_EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = env_int("TACT_EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = env("TACT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("TACT_EMAIL_FROM", "TACT <tact@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SILENCED_SYSTEM_CHECKS: list[str] = []
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("TACT_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("TACT_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("TACT_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is hard to undo (browsers ship the list), so it is a choice for the
        # operator (TACT_HSTS_PRELOAD=true), not a default; the deployment check is told so.
        SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("TACT_LOG_LEVEL", "WARNING")},
}

# Smallest peer group for which a benchmark figure is shown (never below 3; see assessments).
TACT_BENCHMARK_MIN_GROUP = env_int("TACT_BENCHMARK_MIN_GROUP", 5)

# Page size of practice lists (web and API).
TACT_PAGE_SIZE = env_int("TACT_PAGE_SIZE", 20)

# Background jobs (tact.core.jobs): "worker" queues them for `tact jobs worker` (started by
# `tact serve`); "immediate" runs them inline, for tests and scripts.
TACT_JOBS_MODE = env("TACT_JOBS_MODE", "worker")
if TACT_JOBS_MODE not in ("worker", "immediate"):
    raise ImproperlyConfigured(
        f"TACT_JOBS_MODE must be 'worker' or 'immediate', not {TACT_JOBS_MODE!r}"
    )
