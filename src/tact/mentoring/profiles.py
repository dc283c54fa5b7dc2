"""Checking a participant profile, wherever it comes from (form, API, CSV/XLSX row).

``clean_participant`` takes text values (as a spreadsheet cell or a form field gives them) and
returns the values to store, or raises ``ProfileError`` with one problem per bad field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .models import GENDERS, SENIORITY_LEVELS, SLOTS, Side

COLUMNS = (
    "side", "name", "email", "organisation", "function", "seniority", "topics", "languages",
    "gender", "preferred_gender", "location", "availability", "capacity", "ranking", "notes",
)  # fmt: skip
REQUIRED_COLUMNS = ("side", "name", "email", "organisation")
MAX_CAPACITY = 20
MAX_ITEMS = 30
LIST_SPLIT = re.compile(r"[;,|]")
SENIORITY_WORDS = {
    "junior": 1, "professional": 2, "senior": 3, "lead": 4, "manager": 4, "lead or manager": 4,
    "executive": 5,
}  # fmt: skip
GENDER_WORDS = {
    "f": "f", "female": "f", "woman": "f", "w": "f",
    "m": "m", "male": "m", "man": "m",
    "d": "d", "diverse": "d", "x": "d", "non-binary": "d",
}  # fmt: skip
NO_PREFERENCE = {"", "-", "any", "none", "no preference", "no"}


@dataclass(frozen=True)
class ProfileProblem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ProfileError(Exception):
    def __init__(self, problems: list[ProfileProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def split_list(value: Any) -> list[str]:
    """'Lean; Export, HR' or a list -> ['lean', 'export', 'hr'] (trimmed, lower case, unique)."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else LIST_SPLIT.split(str(value))
    out: list[str] = []
    for item in items:
        text = " ".join(str(item).split()).lower()
        if text and text not in out:
            out.append(text)
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return ""
    return " ".join(str(value).split())


def clean_participant(values: dict[str, Any]) -> dict[str, Any]:
    """The stored values of one profile; ProfileError names every bad field."""
    problems: list[ProfileProblem] = []

    def bad(field: str, message: str) -> None:
        problems.append(ProfileProblem(field, message))

    side = _text(values.get("side")).lower()
    if side not in Side.values:
        bad("side", _("must be mentor or mentee, not %(v)r") % {"v": side})
    out: dict[str, Any] = {"side": side}
    for field, limit, required in (
        ("name", 200, True),
        ("organisation", 200, True),
        ("function", 200, False),
        ("location", 200, False),
    ):
        text = _text(values.get(field))
        if required and not text:
            bad(field, _("required"))
        elif len(text) > limit:
            bad(field, _("at most %(n)d characters") % {"n": limit})
        out[field] = text
    email = _text(values.get("email")).lower()
    try:
        validate_email(email)
    except ValidationError:
        bad("email", _("not a valid e-mail address: %(v)r") % {"v": email[:100]})
    out["email"] = email

    raw = _text(values.get("seniority")).lower()
    seniority = 0
    if raw:
        if raw.isdigit() and int(raw) in SENIORITY_LEVELS:
            seniority = int(raw)
        elif raw in SENIORITY_WORDS:
            seniority = SENIORITY_WORDS[raw]
        else:
            bad(
                "seniority",
                _("give 1–5 or one of %(words)s, not %(v)r")
                % {"words": ", ".join(str(v) for v in SENIORITY_LEVELS.values()), "v": raw[:50]},
            )
    out["seniority"] = seniority

    topics = split_list(values.get("topics"))
    if len(topics) > MAX_ITEMS or any(len(t) > 80 for t in topics):
        bad("topics", _("at most %(n)d topics of at most 80 characters") % {"n": MAX_ITEMS})
    out["topics"] = topics

    languages = split_list(values.get("languages"))
    wrong = [code for code in languages if not re.fullmatch(r"[a-z]{2,3}", code)]
    if wrong:
        bad(
            "languages",
            _("use ISO language codes such as de, en, it; not %(v)s")
            % {"v": ", ".join(repr(w[:20]) for w in wrong[:5])},
        )
    out["languages"] = languages

    for field in ("gender", "preferred_gender"):
        raw = _text(values.get(field)).lower()
        if (field == "preferred_gender" and raw in NO_PREFERENCE) or (
            field == "gender" and raw == ""
        ):
            out[field] = ""
        elif raw in GENDER_WORDS:
            out[field] = GENDER_WORDS[raw]
        else:
            bad(
                field,
                _("give %(codes)s or leave it empty, not %(v)r")
                % {"codes": ", ".join(f"{k} ({v})" for k, v in GENDERS.items()), "v": raw[:30]},
            )
            out[field] = ""

    availability = split_list(values.get("availability"))
    wrong = [slot for slot in availability if slot not in SLOTS]
    if wrong:
        bad(
            "availability",
            _("unknown half-day %(v)s; use mon-am, mon-pm … fri-pm")
            % {"v": ", ".join(repr(w[:20]) for w in wrong[:5])},
        )
    out["availability"] = [s for s in SLOTS if s in availability]

    raw = _text(values.get("capacity"))
    capacity = 1
    if raw:
        if not raw.isdigit() or int(raw) > MAX_CAPACITY:
            bad("capacity", _("a whole number from 0 to %(n)d") % {"n": MAX_CAPACITY})
        else:
            capacity = int(raw)
    if side == Side.MENTEE and capacity != 1:
        bad("capacity", _("only mentors take several mentees: leave it empty for a mentee"))
    out["capacity"] = capacity

    ranking = split_list(values.get("ranking"))
    wrong = []
    for address in ranking:
        try:
            validate_email(address)
        except ValidationError:
            wrong.append(address)
    if wrong:
        bad(
            "ranking",
            _("list e-mail addresses of the other side, best first; not %(v)s")
            % {"v": ", ".join(repr(w[:60]) for w in wrong[:5])},
        )
    if email in ranking:
        bad("ranking", _("a person cannot rank themselves"))
    if len(ranking) > 500:
        bad("ranking", _("at most 500 names"))
    out["ranking"] = ranking
    notes = str(values.get("notes") or "").strip()
    if len(notes) > 2000:
        bad("notes", _("at most 2000 characters"))
    out["notes"] = notes
    if problems:
        raise ProfileError(problems)
    return out


def to_row(participant: Any) -> dict[str, str]:
    """A participant in the shape of an import row (the export of profiles, and the form)."""
    return {
        "side": participant.side,
        "name": participant.name,
        "email": participant.email,
        "organisation": participant.organisation,
        "function": participant.function,
        "seniority": str(participant.seniority or ""),
        "topics": "; ".join(participant.topics),
        "languages": "; ".join(participant.languages),
        "gender": participant.gender,
        "preferred_gender": participant.preferred_gender,
        "location": participant.location,
        "availability": "; ".join(participant.availability),
        "capacity": str(participant.capacity) if participant.side == Side.MENTOR else "",
        "ranking": "; ".join(participant.ranking),
        "notes": participant.notes,
    }
