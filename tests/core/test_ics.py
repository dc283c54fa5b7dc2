"""iCalendar output that calendar programs accept: escaping, folding, UTC, all-day events."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tact.core.ics import IcsEvent, ics_calendar

STAMP = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


def test_timed_and_all_day_events() -> None:
    vienna = ZoneInfo("Europe/Vienna")
    text = ics_calendar(
        "Innovation Day",
        [
            IcsEvent(
                uid="m-1@tact",
                start=dt.datetime(2026, 5, 4, 10, 0, tzinfo=vienna),
                end=dt.datetime(2026, 5, 4, 10, 20, tzinfo=vienna),
                summary="Meeting: Alpha, Beta; table 4",
                description="Line one\nLine two",
                location="Hall A",
            ),
            IcsEvent(
                uid="k@tact", start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 2), summary="Kick-off"
            ),
        ],
        stamp=STAMP,
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20260504T080000Z" in text  # 10:00 in Vienna (summer time) is 08:00 UTC
    assert "SUMMARY:Meeting: Alpha\\, Beta\\; table 4" in text
    assert "DESCRIPTION:Line one\\nLine two" in text
    assert "DTSTART;VALUE=DATE:20260901" in text
    assert text.count("BEGIN:VEVENT") == 2


def test_long_lines_are_folded_at_75_octets() -> None:
    text = ics_calendar(
        "x",
        [
            IcsEvent(
                uid="u", start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 2), summary="Zürich " * 40
            )
        ],
        stamp=STAMP,
    )
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:" + "Zürich " * 40 in unfolded.replace("\r\n", "\n")


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ics_calendar(
            "x",
            [
                IcsEvent(
                    uid="u",
                    start=dt.datetime(2026, 1, 1, 9),
                    end=dt.datetime(2026, 1, 1, 10),
                    summary="s",
                )
            ],
        )
