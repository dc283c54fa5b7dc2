"""Production settings: Django's deployment checks pass, and a secret key must be given."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROD = {"TACT_HTTPS": "true", "TACT_ALLOWED_HOSTS": "example.org"}


def _tact(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TACT_")}
    environment.update(TACT_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-m", "tact.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("preload", ["", "true"])
def test_deploy_check_passes_with_https(tmp_path, preload):
    env = {**PROD, "TACT_SECRET_KEY": "k" * 20 + "-Production-Secret-Key-0123456789-abcdef"}
    if preload:
        env["TACT_HSTS_PRELOAD"] = preload
    result = _tact(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_https_without_a_secret_key_refuses_to_start(tmp_path):
    result = _tact(tmp_path, "check", **PROD)
    assert result.returncode != 0
    assert "TACT_SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret-key").exists()


def test_zero_configuration_still_works(tmp_path):
    result = _tact(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret-key").exists()


def test_smtp_is_configured_from_the_environment(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL)"
    )
    result = _tact(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        code,
        TACT_EMAIL_HOST="smtp.example.org",
        TACT_EMAIL_FROM="TACT <noreply@example.org>",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:4] == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "True",
    ]
    assert "noreply@example.org" in result.stdout
    default = _tact(tmp_path, "shell", "--no-imports", "-c", code)
    assert default.stdout.startswith("django.core.mail.backends.console.EmailBackend")


def test_forms_need_a_csrf_token(client, db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post("/accounts/login/", {"username": "a@example.org", "password": "x"}).status_code
        == 403
    )
    page = strict.get("/accounts/login/")
    assert b"csrfmiddlewaretoken" in page.content
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"
