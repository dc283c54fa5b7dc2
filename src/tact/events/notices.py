"""E-mail notices of B2B events, sent through Django's e-mail backend.

- the requested participant, when a meeting request arrives;
- the requester, when their request is accepted or declined;
- every participant with a meeting (or a cancelled one) when the organiser publishes the schedule,
  with their agenda in the text, what changed since the last publication, and a ``.ics`` file.

Participants without a usable e-mail address are skipped and counted. A failing mail server never
undoes the write that caused the notice: the failure is logged and counted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PRIORITIES, Event, MeetingRequest, Participant, RequestStatus
from .outputs import agenda_ics

log = logging.getLogger(__name__)


@dataclass
class NoticeReport:
    sent: int = 0
    skipped: int = 0  # participants without a usable e-mail address
    failed: int = 0  # the mail server refused or could not be reached


def _address(p: Participant) -> str:
    email = (p.email or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def _link(path: str, base_url: str) -> str:
    base = (base_url or getattr(settings, "TACT_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def _my_page(event: Event, base_url: str) -> str:
    return _link(reverse("events:me", args=[event.pk]), base_url)


def _send(messages: list[EmailMessage], report: NoticeReport) -> NoticeReport:
    if not messages:
        return report
    try:
        connection = get_connection()
        connection.open()
    except Exception:  # an unreachable server: nothing goes out, the write stands
        log.exception("events: cannot connect to the mail server")
        report.failed += len(messages)
        return report
    try:
        for message in messages:
            message.connection = connection
            try:
                report.sent += message.send()
            except Exception:
                log.exception("events: e-mail to %s failed", message.to)
                report.failed += 1
    finally:
        try:
            connection.close()
        except Exception:
            log.exception("events: closing the mail connection failed")
    return report


def _subject(text: str) -> str:
    """One line: a name with a line break must not make the mail header invalid."""
    return " ".join(str(text).split())[:250]


def _when(event: Event) -> str:
    place = f", {event.venue}" if event.venue else ""
    return f"{event.title}, {event.date:%d.%m.%Y}{place}"


def request_arrived(req: MeetingRequest, *, base_url: str = "") -> NoticeReport:
    report = NoticeReport()
    to = _address(req.requested)
    if not to:
        report.skipped += 1
        return report
    event, who = req.event, req.requester
    lines = [
        _("Hello %(name)s,") % {"name": req.requested.person},
        "",
        _("%(person)s of %(org)s would like to meet you at %(event)s.")
        % {"person": who.person, "org": who.organisation_name, "event": _when(event)},
        _("Priority for them: %(p)s.") % {"p": PRIORITIES.get(req.priority, req.priority)},
    ]
    if who.offers:
        lines.append(_("They offer: %(t)s") % {"t": who.offers})
    if who.seeks:
        lines.append(_("They seek: %(t)s") % {"t": who.seeks})
    if req.message:
        lines += ["", _("Their message: %(m)s") % {"m": req.message}]
    lines += ["", _("Accept or decline the request on your page: %(url)s")
              % {"url": _my_page(event, base_url)}]  # fmt: skip
    subject = _("Meeting request from %(org)s – %(event)s") % {
        "org": who.organisation_name,
        "event": event.title,
    }
    return _send([EmailMessage(_subject(subject), "\n".join(lines), None, [to])], report)


def request_decided(req: MeetingRequest, *, base_url: str = "") -> NoticeReport:
    report = NoticeReport()
    to = _address(req.requester)
    if not to or req.status == RequestStatus.PENDING:
        report.skipped += 1
        return report
    event, who = req.event, req.requested
    accepted = req.status == RequestStatus.ACCEPTED
    if accepted:
        subject = _("%(org)s accepted your meeting request – %(event)s")
        text = _(
            "%(person)s of %(org)s accepted your request to meet at %(event)s. The meeting will "
            "be in your agenda once the organisers publish the schedule."
        )
    else:
        subject = _("%(org)s declined your meeting request – %(event)s")
        text = _("%(person)s of %(org)s declined your request to meet at %(event)s.")
    values = {"person": who.person, "org": who.organisation_name, "event": _when(event)}
    lines = [
        _("Hello %(name)s,") % {"name": req.requester.person},
        "",
        text % values,
        "",
        _("Your requests and agenda: %(url)s") % {"url": _my_page(event, base_url)},
    ]
    subject = subject % {"org": who.organisation_name, "event": event.title}
    return _send([EmailMessage(_subject(subject), "\n".join(lines), None, [to])], report)


def _line(item: Any) -> str:
    where = item.table_name + (f" ({item.link})" if item.remote and item.link else "")
    return f"{item.when}  {where}  –  {item.other.organisation_name} ({item.other.person})"


def _short(item: Any) -> str:
    return f"{timezone.localtime(item.start):%H:%M} {item.table_name}"


def agenda_message(
    event: Event,
    participant: Participant,
    before: list[Any],
    now: list[Any],
    *,
    update: bool,
    base_url: str,
) -> EmailMessage:
    """The e-mail of one participant's published agenda: agenda, changes, calendar file."""
    from .selectors import agenda_changes

    changes = agenda_changes(before, now)
    lines = [
        _("Hello %(name)s,") % {"name": participant.person},
        "",
        (
            _("the organisers updated the schedule of %(event)s.")
            if update
            else _("the organisers published the schedule of %(event)s.")
        )
        % {"event": _when(event)},
        "",
    ]
    if update and changes:
        lines.append(_("What changed for you:"))
        for old, new in changes.moved:
            lines.append(
                "  "
                + _("moved: %(org)s, from %(old)s to %(new)s")
                % {"org": new.other.organisation_name, "old": _short(old), "new": _short(new)}
            )
        for item in changes.new:
            lines.append(
                "  "
                + _("new: %(org)s, %(at)s")
                % {"org": item.other.organisation_name, "at": _short(item)}
            )
        for item in changes.cancelled:
            lines.append(
                "  "
                + _("cancelled: %(org)s (was %(at)s)")
                % {"org": item.other.organisation_name, "at": _short(item)}
            )
        lines.append("")
    elif update:
        lines += [_("Your meetings did not change."), ""]
    lines.append(_("Your agenda:") if now else _("You have no meetings in the schedule now."))
    lines += ["  " + _line(i) for i in now]
    lines += [
        "",
        _("The attached calendar file adds the meetings to your calendar (importing it again "
          "updates them)."),
        _("Your page: %(url)s") % {"url": _my_page(event, base_url)},
    ]  # fmt: skip
    subject = (_("Updated agenda: %(event)s") if update else _("Your agenda: %(event)s")) % {
        "event": event.title
    }
    message = EmailMessage(_subject(subject), "\n".join(lines), None, [participant.email.strip()])
    message.attach("agenda.ics", agenda_ics(event, participant, now), "text/calendar")
    return message


def schedule_published(
    event: Event,
    before: dict[int, list[Any]],
    now: dict[int, list[Any]],
    *,
    update: bool,
    base_url: str = "",
) -> NoticeReport:
    """E-mail each participant who has a meeting now or had one before this publication."""
    report = NoticeReport()
    messages = []
    for p in event.participants.order_by("organisation_name", "person"):
        if not now.get(p.pk) and not before.get(p.pk):
            continue
        if not _address(p):
            report.skipped += 1
            continue
        messages.append(
            agenda_message(
                event, p, before.get(p.pk, []), now.get(p.pk, []), update=update, base_url=base_url
            )
        )
    return _send(messages, report)
