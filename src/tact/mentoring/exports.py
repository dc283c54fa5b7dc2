"""What leaves the app: the pairs as rows (CSV/XLSX), the profiles as rows, the cycle as ICS."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from tact.core.ics import IcsEvent, ics_calendar

from . import selectors
from .models import Programme, ProgrammeEvent
from .profiles import COLUMNS, to_row

PAIR_COLUMNS = (
    "mentor_name", "mentor_email", "mentor_organisation", "mentee_name", "mentee_email",
    "mentee_organisation", "match_percent", "reasons", "concerns", "rule_warnings", "locked",
    "source",
)  # fmt: skip
UNMATCHED_COLUMNS = ("side", "name", "email", "organisation", "reason")


def pair_rows(programme: Programme) -> list[dict[str, Any]]:
    return [
        {
            "mentor_name": p.mentor.name,
            "mentor_email": p.mentor.email,
            "mentor_organisation": p.mentor.organisation,
            "mentee_name": p.mentee.name,
            "mentee_email": p.mentee.email,
            "mentee_organisation": p.mentee.organisation,
            "match_percent": round(p.percent, 1),
            "reasons": list(p.reasons),
            "concerns": list(p.concerns),
            "rule_warnings": list(p.warnings),
            "locked": "yes" if p.locked else "no",
            "source": p.source,
        }
        for p in selectors.pairs(programme)
    ]


def unmatched_rows(programme: Programme) -> list[dict[str, Any]]:
    return [
        {
            "side": p.side,
            "name": p.name,
            "email": p.email,
            "organisation": p.organisation,
            "reason": p.unmatched_reason or _("not matched yet"),
        }
        for p in selectors.unmatched(programme)
    ]


def profile_rows(programme: Programme) -> list[dict[str, str]]:
    return [to_row(p) for p in programme.participants.all()]


def profile_columns() -> tuple[str, ...]:
    return COLUMNS


def _ics_event(programme: Programme, event: ProgrammeEvent) -> IcsEvent:
    zone = ZoneInfo(settings.TIME_ZONE)
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    if event.start_time is not None:
        start = dt.datetime.combine(event.date, event.start_time, tzinfo=zone)
        end_time = (
            event.end_time
            or (dt.datetime.combine(event.date, event.start_time) + dt.timedelta(hours=1)).time()
        )
        end = dt.datetime.combine(event.date, end_time, tzinfo=zone)
        if end <= start:
            end = start + dt.timedelta(hours=1)
    else:
        start, end = event.date, event.date + dt.timedelta(days=1)
    return IcsEvent(
        uid=f"mentoring-{programme.pk}-event-{event.pk}@tact",
        start=start,
        end=end,
        summary=f"{programme.name}: {event.title}",
        description=event.description,
        location=event.location,
    )


def programme_ics(programme: Programme) -> str:
    return ics_calendar(
        programme.name, [_ics_event(programme, e) for e in selectors.events(programme)]
    )
