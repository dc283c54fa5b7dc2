"""Agendas as calendar files (``.ics``): for the web, the command line and the e-mails."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tact.core.ics import IcsEvent, ics_calendar

from .models import Event, Participant


def agenda_events(event: Event, participant: Participant, items: list[Any]) -> list[IcsEvent]:
    out = []
    for item in items:
        other = item.other
        location = (
            (item.link or item.table_name)
            if item.remote
            else f"{item.table_name}, {event.venue}".strip(", ")
        )
        out.append(
            IcsEvent(
                # One id per request: a calendar importing a new version moves the meeting.
                uid=f"tact-event-{event.pk}-request-{item.request.pk}@tact",
                start=item.start,
                end=item.end,
                summary=_("B2B meeting: %(org)s (%(person)s)")
                % {"org": other.organisation_name, "person": other.person},
                description="\n".join(
                    x
                    for x in [
                        event.title,
                        _("Offers: %(t)s") % {"t": other.offers} if other.offers else "",
                        _("Seeks: %(t)s") % {"t": other.seeks} if other.seeks else "",
                        item.request.message,
                    ]
                    if x
                ),
                location=location,
                url=item.link if item.remote else "",
            )
        )
    return out


def agenda_ics(event: Event, participant: Participant, items: list[Any]) -> str:
    return ics_calendar(
        f"{event.title} – {participant.person}", agenda_events(event, participant, items)
    )
