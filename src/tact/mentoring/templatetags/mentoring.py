"""``{% load mentoring %}``: ``{{ reason|explain }}`` and ``{{ pair.reasons|explain_all|join:"; " }}``."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from tact.mentoring.texts import explain as _explain
from tact.mentoring.texts import explain_all as _explain_all

register = template.Library()


@register.filter
def explain(text: str) -> str:
    return _explain(str(text or ""))


@register.filter
def explain_all(texts: Iterable[str]) -> list[str]:
    return _explain_all(texts or [])
