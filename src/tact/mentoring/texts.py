"""The algorithm's explanations in the reader's language.

``tact.algorithms.mentoring`` is pure Python and writes its reasons, concerns and rule breaks in
English; they are stored as written (so data and API stay stable) and translated here when shown.
Each known sentence is a pattern with its translatable template; anything else is shown as is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

_PATTERNS = [
    (r"shared topics: (?P<topics>.+)", _("shared topics: %(topics)s")),
    (
        r"few of the wanted topics are offered \((?P<n>\d+) of (?P<m>\d+)\)",
        _("few of the wanted topics are offered (%(n)s of %(m)s)"),
    ),
    (r"mentor is not more senior than the mentee", _("mentor is not more senior than the mentee")),
    (r"mentor is only slightly more senior", _("mentor is only slightly more senior")),
    (r"common language: (?P<languages>.+)", _("common language: %(languages)s")),
    (r"no common language", _("no common language")),
    (r"gender preference respected", _("gender preference respected")),
    (r"a gender preference is not met", _("a gender preference is not met")),
    (r"same location: (?P<place>.+)", _("same location: %(place)s")),
    (r"different locations", _("different locations")),
    (r"availability overlaps well", _("availability overlaps well")),
    (r"little overlap in availability", _("little overlap in availability")),
    (r"there are no mentors in the programme", _("there are no mentors in the programme")),
    (r"there are no mentees in the programme", _("there are no mentees in the programme")),
    (
        r"all mentors are from the same organisation",
        _("all mentors are from the same organisation"),
    ),
    (
        r"all mentees are from the same organisation",
        _("all mentees are from the same organisation"),
    ),
    (r"no mentor shares a common language", _("no mentor shares a common language")),
    (r"no mentee shares a common language", _("no mentee shares a common language")),
    (
        r"all mentors with a common language are from the same organisation",
        _("all mentors with a common language are from the same organisation"),
    ),
    (
        r"all mentees with a common language are from the same organisation",
        _("all mentees with a common language are from the same organisation"),
    ),
    (
        r"every other mentor is excluded \(competitor or named exclusion\)",
        _("every other mentor is excluded (competitor or named exclusion)"),
    ),
    (
        r"every other mentee is excluded \(competitor or named exclusion\)",
        _("every other mentee is excluded (competitor or named exclusion)"),
    ),
    (
        r"no capacity left: every suitable mentor is taken by a better-scoring overall pairing",
        _("no capacity left: every suitable mentor is taken by a better-scoring overall pairing"),
    ),
    (
        r"no suitable mentee left: they are paired with mentors that fit them better overall",
        _("no suitable mentee left: they are paired with mentors that fit them better overall"),
    ),
    (r"offers no mentoring capacity", _("offers no mentoring capacity")),
    (r"ranked no mentee", _("ranked no mentee")),
    (r"ranked no mentor", _("ranked no mentor")),
    (
        r"every mentee they ranked is excluded by a hard rule or already locked",
        _("every mentee they ranked is excluded by a hard rule or already locked"),
    ),
    (
        r"every mentor they ranked is excluded by a hard rule",
        _("every mentor they ranked is excluded by a hard rule"),
    ),
    (r"no mentee ranked them", _("no mentee ranked them")),
    (r"no mentor ranked them", _("no mentor ranked them")),
    (
        r"the mentees they ranked were paired with mentors they ranked higher",
        _("the mentees they ranked were paired with mentors they ranked higher"),
    ),
    (
        r"none of the mentors they ranked ranked them back",
        _("none of the mentors they ranked ranked them back"),
    ),
    (
        r"the mentors they ranked filled their places with mentees they ranked higher",
        _("the mentors they ranked filled their places with mentees they ranked higher"),
    ),
    (
        r"both work for the same organisation \((?P<organisation>.+)\)",
        _("both work for the same organisation (%(organisation)s)"),
    ),
    (
        r"(?P<a>.+) and (?P<b>.+) are listed as competitors",
        _("%(a)s and %(b)s are listed as competitors"),
    ),
    (r"this pair is excluded by name", _("this pair is excluded by name")),
    (
        r"no common language, and the programme asks for one",
        _("no common language, and the programme asks for one"),
    ),
]
_COMPILED = [(re.compile(pattern + r"\Z"), template) for pattern, template in _PATTERNS]
_SENIORITY = re.compile(r"mentor is (?P<n>-?\d+) seniority level\(s\) above the mentee\Z")


def explain(text: str) -> str:
    """One sentence of the algorithm, translated (unknown sentences are returned unchanged)."""
    found = _SENIORITY.match(text)
    if found:
        n = int(found["n"])
        return ngettext(
            "mentor is %(n)d seniority level above the mentee",
            "mentor is %(n)d seniority levels above the mentee",
            n,
        ) % {"n": n}
    for pattern, template in _COMPILED:
        found = pattern.match(text)
        if found:
            return str(template) % found.groupdict() if found.groupdict() else str(template)
    return text


def explain_all(texts: Iterable[str]) -> list[str]:
    return [explain(t) for t in texts]


def is_known(text: str) -> bool:
    """True when ``explain`` has a translation pattern for the sentence."""
    return bool(_SENIORITY.match(text)) or any(p.match(text) for p, _t in _COMPILED)
