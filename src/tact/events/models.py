"""B2B events: sessions cut into time slots, tables and remote rooms, participants with their
offers and wishes, meeting requests, and the meetings the scheduler placed.

An event belongs to a cluster initiative; its managers organise it. Times are local to the
event's time zone (the site's, settings.TIME_ZONE) and stored aware.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tact.accounts.models import ClusterInitiative, Organisation


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled, not published")
    PUBLISHED = "published", _("published")


class ParticipantRole(models.TextChoices):
    OEM = "oem", _("OEM")
    SUPPLIER = "supplier", _("supplier")
    RESEARCH = "research", _("research")
    INVESTOR = "investor", _("investor")
    SERVICE = "service", _("service provider")
    PUBLIC = "public", _("public body")
    STARTUP = "startup", _("start-up")
    OTHER = "other", _("other")


class Attendance(models.TextChoices):
    ONSITE = "onsite", _("on site")
    REMOTE = "remote", _("remote")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


PRIORITIES = {1: _("nice to meet"), 2: _("important"), 3: _("must meet")}


class Event(models.Model):
    cluster = models.ForeignKey(
        ClusterInitiative, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    meeting_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=20)
    break_minutes = models.PositiveSmallIntegerField(
        _("break between meetings (minutes)"), default=5
    )
    default_max_meetings = models.PositiveSmallIntegerField(
        _("default maximum meetings per participant"), default=8
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    registration_open = models.BooleanField(
        _("registration open"),
        default=True,
        help_text=_("While open, participants with a login edit their own profile."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("B2B event")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"


class Session(models.Model):
    """A block of the day in which meetings happen, e.g. "Morning" 09:00-12:00."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("name"), max_length=100)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.start:%H:%M}-{self.end:%H:%M}"


class Slot(models.Model):
    """A meeting time, generated from its session's times, the meeting length and the break."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{local:%H:%M}-{timezone.localtime(self.end):%H:%M}"


class Table(models.Model):
    """A table on site, or a remote room (a video link) for meetings with remote participants."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(_("name"), max_length=100)
    remote = models.BooleanField(_("remote room"), default=False)
    link = models.URLField(_("video link"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["remote", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="events_table_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    organisation_name = models.CharField(_("organisation"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.CharField(_("person"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(
        _("role"), max_length=12, choices=ParticipantRole.choices, default=ParticipantRole.OTHER
    )
    attendance = models.CharField(
        _("attendance"), max_length=8, choices=Attendance.choices, default=Attendance.ONSITE
    )
    sessions = models.ManyToManyField(
        Session, blank=True, related_name="+", verbose_name=_("available in sessions")
    )
    max_meetings = models.PositiveSmallIntegerField(_("maximum meetings"), default=8)
    offers = models.TextField(_("offers"), blank=True)
    seeks = models.TextField(_("seeks"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    availability_changed_at = models.DateTimeField(
        _("availability last changed"),
        null=True,
        blank=True,
        help_text=_("When the sessions, attendance or maximum of meetings last changed."),
    )

    class Meta:
        ordering = ["organisation_name", "person"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="events_participant_email")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation_name})"

    @property
    def remote(self) -> bool:
        return self.attendance == Attendance.REMOTE


class MeetingRequest(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sent")
    requested = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="received")
    priority = models.PositiveSmallIntegerField(_("priority"), default=2)
    message = models.CharField(_("message"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-priority", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "requested"], name="events_request_once_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requester} -> {self.requested}"

    @property
    def remote(self) -> bool:
        return self.requester.remote or self.requested.remote


class Meeting(models.Model):
    """A scheduled meeting. ``published`` marks meetings people were told about."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="meetings")
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="meetings")
    published = models.BooleanField(default=False)

    class Meta:
        ordering = ["slot__start", "table__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "table"], name="events_one_meeting_per_table")
        ]

    def __str__(self) -> str:
        return f"{self.request} @ {self.slot} {self.table}"


class PublishedMeeting(models.Model):
    """A meeting as the participants were last told when the organiser published.

    Participants read their agenda from here, so re-scheduling (a draft) changes nothing they see
    until the organiser publishes again. Time and place are copied, so a later change of the slots
    or tables leaves what was announced readable.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="published_meetings")
    request = models.OneToOneField(
        MeetingRequest, on_delete=models.CASCADE, related_name="published_meeting"
    )
    slot = models.ForeignKey(Slot, null=True, on_delete=models.SET_NULL, related_name="+")
    table = models.ForeignKey(Table, null=True, on_delete=models.SET_NULL, related_name="+")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    table_name = models.CharField(_("table"), max_length=100)
    remote = models.BooleanField(_("remote room"), default=False)
    link = models.URLField(_("video link"), blank=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("published meeting")

    def __str__(self) -> str:
        return f"{self.request} @ {timezone.localtime(self.start):%H:%M} {self.table_name}"


class ScheduleRun(models.Model):
    """The figures of one scheduler run, shown on the organiser's dashboard."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="runs")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    keep_published = models.BooleanField(default=True)
    figures = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.created_at:%Y-%m-%d %H:%M}"


def slot_times(
    day: dt.date, start: dt.time, end: dt.time, meeting_minutes: int, break_minutes: int
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Meeting times of a session: back to back with a break, the last one ending by ``end``."""
    tz = timezone.get_current_timezone()
    at = dt.datetime.combine(day, start, tzinfo=tz)
    stop = dt.datetime.combine(day, end, tzinfo=tz)
    length = dt.timedelta(minutes=meeting_minutes)
    step = length + dt.timedelta(minutes=break_minutes)
    out = []
    while meeting_minutes > 0 and at + length <= stop:
        out.append((at, at + length))
        at += step
    return out
