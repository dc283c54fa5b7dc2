"""Login throttling: after N failures for one e-mail address from one IP address within a
window, further attempts are refused for the rest of the window, whether or not the address
belongs to an account (so the refusal tells nothing about which addresses exist)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from .models import LoginFailure


def client_ip(request: HttpRequest | None) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by clients too. Behind a proxy, the proxy must
    # pass the client address on as REMOTE_ADDR (gunicorn: --forwarded-allow-ips).
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def _key(email: str) -> str:
    return (email or "").strip().lower()[:254]


def login_throttled(*, email: str, ip: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.TACT_LOGIN_FAILURE_WINDOW)
    failures = LoginFailure.objects.filter(email=_key(email), ip=ip, at__gte=since).count()
    return failures >= settings.TACT_LOGIN_FAILURE_LIMIT


def login_failure_record(*, email: str, ip: str) -> None:
    """Bookkeeping for throttling, not a change of anyone's data: not audited."""
    LoginFailure.objects.create(email=_key(email), ip=ip)
    # Keep the table small: what is older than the window no longer counts.
    since = timezone.now() - timedelta(seconds=settings.TACT_LOGIN_FAILURE_WINDOW)
    LoginFailure.objects.filter(at__lt=since).delete()


def login_failures_clear(*, email: str, ip: str) -> None:
    LoginFailure.objects.filter(email=_key(email), ip=ip).delete()
