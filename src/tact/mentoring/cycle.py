"""The programme cycle template: the usual dates of a cross-mentoring year from a start date.

Kick-off on the start date, a mentor–mentee meeting every month, a mid-term workshop half way
and a closing event at the end. The organiser edits, moves or deletes any of them afterwards.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_MONTHS = 24


@dataclass(frozen=True)
class PlannedEvent:
    kind: str
    title: str
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    description: str


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cycle_template(start: dt.date, months: int = 9) -> list[PlannedEvent]:
    if not 2 <= months <= MAX_MONTHS:
        raise ValueError(f"a cycle lasts 2 to {MAX_MONTHS} months, not {months}")
    middle = max(1, round(months / 2))
    out = [
        PlannedEvent(
            "kickoff",
            _("Kick-off"),
            start,
            dt.time(16, 0),
            dt.time(19, 0),
            _("Mentors and mentees meet their partner and agree on goals and a meeting rhythm."),
        )
    ]
    for month in range(1, months):
        day = add_months(start, month)
        if month == middle:
            out.append(
                PlannedEvent(
                    "workshop",
                    _("Mid-term workshop"),
                    day,
                    dt.time(9, 0),
                    dt.time(13, 0),
                    _("All pairs look back on the first half and share what works."),
                )
            )
        out.append(
            PlannedEvent(
                "meeting",
                _("Mentor–mentee meeting %(n)d") % {"n": month},
                day,
                None,
                None,
                _("Each pair meets in the weeks around this date, at a time they agree."),
            )
        )
    out.append(
        PlannedEvent(
            "closing",
            _("Closing event"),
            add_months(start, months),
            dt.time(16, 0),
            dt.time(20, 0),
            _("Pairs present what they achieved; certificates and feedback."),
        )
    )
    return out
