"""The organiser's pages and the participant's view, through Django's test client."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tact.core.tabular import read_rows
from tact.mentoring import selectors, services
from tact.mentoring.models import Pair, Programme

from .conftest import SAMPLE

pytestmark = pytest.mark.django_db


def test_create_import_match_lock_export(client: Any, world: Any) -> None:
    client.force_login(world.user("manager"))
    response = client.post(
        "/mentoring/programmes/new/",
        {
            "cluster": world.cluster_a.pk,
            "name": "Mentoring 2027",
            "start_date": "2027-02-01",
            "months": "9",
            "competitors": "Donau Drives AG | Steyr Precision GmbH",
            "weight_topics": "3", "weight_seniority": "1", "weight_language": "1",
            "weight_gender": "1", "weight_location": "0.5", "weight_availability": "1",
        },
    )  # fmt: skip
    assert response.status_code == 302
    programme = Programme.objects.get(name="Mentoring 2027")
    assert programme.competitors == [["Donau Drives AG", "Steyr Precision GmbH"]]
    base = f"/mentoring/programmes/{programme.pk}/"
    assert client.post(base + "dates/template/").status_code == 302
    assert programme.events.count() == 11

    # Dry run: nothing written, the file travels on in the form.
    upload = SimpleUploadedFile("profiles.csv", SAMPLE, content_type="text/csv")
    page = client.post(base + "profiles/import/", {"file": upload, "action": "check"})
    assert page.status_code == 200
    assert b"22 rows are fine" in page.content
    assert not programme.participants.exists()
    carried = base64.b64encode(SAMPLE).decode()
    assert carried.encode() in page.content
    done = client.post(
        base + "profiles/import/",
        {"content": carried, "filename": "profiles.csv", "action": "import"},
    )
    assert done.status_code == 302
    assert programme.participants.count() == 22

    assert (
        client.post(base + "match/", {"method": "optimal", "keep_locked": "on"}).status_code == 302
    )
    pairs = client.get(base + "pairs/")
    assert pairs.status_code == 200
    assert b"12 pairs" in pairs.content and b"shared topics" in pairs.content
    assert b"%" in pairs.content
    pair = Pair.objects.filter(programme=programme).first()
    assert pair is not None
    client.post(base + f"pairs/{pair.pk}/lock/", {"locked": "yes"})
    pair.refresh_from_db()
    assert pair.locked
    client.post(base + "match/", {"method": "optimal", "keep_locked": "on"})
    assert Pair.objects.filter(pk=pair.pk, locked=True).exists()

    csv = client.get(base + "pairs/export/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    rows = read_rows(csv.content, "pairs.csv")
    assert len(rows) == 12 and rows[0].get("match_percent")
    xlsx = client.get(base + "pairs/export/?format=xlsx")
    assert len(read_rows(xlsx.content, "pairs.xlsx")) == 12
    assert client.get(base + "pairs/export/?format=pdf").status_code == 422
    letters = client.get(base + "letters/")
    assert letters.content.count(b'class="letter"') == 12
    assert b"page-break-after: always" in letters.content
    ics = client.get(base + "calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert ics.content.count(b"BEGIN:VEVENT") == 11
    profiles = client.get(base + "profiles/?format=csv")
    assert len(read_rows(profiles.content, "p.csv")) == 22


def test_bad_import_shows_every_row_and_keeps_nothing(
    client: Any, world: Any, programme: Any
) -> None:
    client.force_login(world.user("manager"))
    bad = b"side,name,email,organisation\nmentor,A,a@example.org,X\nboss,B,b@,\n"
    upload = SimpleUploadedFile("bad.csv", bad, content_type="text/csv")
    page = client.post(f"/mentoring/programmes/{programme.pk}/profiles/import/", {"file": upload})
    assert page.status_code == 422
    text = page.content.decode()
    assert "nothing was imported" in text
    assert "row 3" in text and "side" in text and "organisation" in text
    assert not programme.participants.filter(email="a@example.org").exists()
    empty = client.post(f"/mentoring/programmes/{programme.pk}/profiles/import/", {})
    assert empty.status_code == 422 and b"Choose a CSV or XLSX file" in empty.content


def test_programme_form_errors_are_named(client: Any, world: Any) -> None:
    client.force_login(world.user("manager"))
    response = client.post(
        "/mentoring/programmes/new/",
        {"cluster": world.cluster_a.pk, "name": "", "start_date": "31.02.2026", "months": "99",
         "competitors": "only one name", "excluded_pairs": "a@example.org | nobody",
         **{f"weight_{n}": "0" for n in ("topics", "seniority", "language", "gender",
                                          "location", "availability")}},
    )  # fmt: skip
    assert response.status_code == 422
    form = response.context["form"]
    assert {"name", "start_date", "months", "competitors", "excluded_pairs"} <= set(form.errors)
    assert "line 1" in form.errors["competitors"][0]
    assert "at least one criterion" in str(form.non_field_errors())
    assert not Programme.objects.exists()


def test_manual_pair_needs_confirmation_when_it_breaks_a_rule(
    client: Any, world: Any, programme: Any
) -> None:
    client.force_login(world.user("manager"))
    anna = programme.participants.get(email="anna.berger@example.org")
    stefan = programme.participants.get(email="stefan.eder@example.org")
    url = f"/mentoring/programmes/{programme.pk}/pairs/new/"
    first = client.post(url, {"mentor": anna.pk, "mentee": stefan.pk, "lock": "on"})
    assert first.status_code == 422
    assert b"breaks a hard rule" in first.content and b"Save anyway" in first.content
    assert not Pair.objects.exists()
    second = client.post(
        url, {"mentor": anna.pk, "mentee": stefan.pk, "lock": "on", "confirm": "on"}
    )
    assert second.status_code == 302
    pairs = client.get(f"/mentoring/programmes/{programme.pk}/pairs/")
    assert b"Breaks a hard rule (confirmed by hand)" in pairs.content


def test_participant_sees_own_pair_once_published(client: Any, world: Any, programme: Any) -> None:
    manager = world.user("manager")
    member = world.user("member")
    mentee = programme.participants.get(email="lisa.hofer@example.org")
    services.participant_update(
        actor=manager,
        participant=mentee,
        data={**_row(mentee), "email": member.email, "name": "Lisa Member"},
    )
    services.programme_match(actor=manager, programme=programme)
    services.events_from_template(actor=manager, programme=programme)
    client.force_login(member)
    home = client.get("/mentoring/")
    assert b"has not published the pairs yet" in home.content
    assert client.get(f"/mentoring/programmes/{programme.pk}/calendar.ics").status_code == 404
    services.programme_publish(actor=manager, programme=programme, published=True)
    home = client.get("/mentoring/")
    pair = Pair.objects.get(mentee__email=member.email)
    assert pair.mentor.name.encode() in home.content
    assert b"Your mentor" in home.content and b"Kick-off" in home.content
    # Only their own pair: no other mentee's name appears.
    other = Pair.objects.exclude(pk=pair.pk).first()
    assert other is not None and other.mentee.name.encode() not in home.content
    assert client.get(f"/mentoring/programmes/{programme.pk}/calendar.ics").status_code == 200
    assert client.get(f"/mentoring/programmes/{programme.pk}/pairs/").status_code == 404
    mine = client.get("/api/mentoring/me").json()
    assert mine[0]["pairs"][0]["mentor"]["name"] == pair.mentor.name


def _row(participant: Any) -> dict[str, Any]:
    from tact.mentoring.profiles import to_row

    return to_row(participant)


def test_events_can_be_edited(client: Any, world: Any, programme: Any) -> None:
    client.force_login(world.user("manager"))
    events = services.events_from_template(actor=world.user("manager"), programme=programme)
    url = f"/mentoring/programmes/{programme.pk}/dates/{events[0].pk}/"
    moved = client.post(
        url, {"kind": "kickoff", "title": "Kick-off at the plant", "date": "2026-03-05",
              "start_time": "17:00", "end_time": "16:00"},
    )  # fmt: skip
    assert moved.status_code == 422 and b"must be after the start time" in moved.content
    moved = client.post(
        url, {"kind": "kickoff", "title": "Kick-off at the plant", "date": "2026-03-05",
              "start_time": "17:00", "end_time": "20:00"},
    )  # fmt: skip
    assert moved.status_code == 302
    first = selectors.events(programme).first()
    assert first is not None and first.title == "Kick-off at the plant"


def test_large_programme_shows_the_job_progress_page(
    client: Any, world: Any, programme: Any, settings: Any
) -> None:
    settings.TACT_MENTORING_INLINE_MAX = 10
    settings.TACT_JOBS_MODE = "worker"
    client.force_login(world.user("manager"))
    response = client.post(f"/mentoring/programmes/{programme.pk}/match/", {"method": "optimal"})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"Matching Cross-Mentoring 2026" in page.content
    from tact.core.jobs import run_job
    from tact.core.models import Job

    job = Job.objects.get(kind="mentoring.match")
    assert run_job(job.pk)
    status = client.get(response["Location"] + "status/")
    assert f"/mentoring/programmes/{programme.pk}/pairs/".encode() in status.content
    assert programme.pairs.count() == 12


def test_deleting_a_programme_needs_confirmation(client: Any, world: Any, programme: Any) -> None:
    client.force_login(world.user("manager"))
    services.programme_match(actor=world.user("manager"), programme=programme)
    url = f"/mentoring/programmes/{programme.pk}/delete/"
    assert client.post(url).status_code == 302
    assert Programme.objects.filter(pk=programme.pk).exists()
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert not Programme.objects.filter(pk=programme.pk).exists()
    assert not Pair.objects.exists()


def test_pairs_page_says_when_they_are_out_of_date(client: Any, world: Any, programme: Any) -> None:
    manager = world.user("manager")
    client.force_login(manager)
    services.programme_match(actor=manager, programme=programme)
    url = f"/mentoring/programmes/{programme.pk}/pairs/"
    assert b"changed after the last matching" not in client.get(url).content
    services.programme_update(actor=manager, programme=programme, data={"weight_gender": 4.0})
    assert b"The rules or weights changed after the last matching" in client.get(url).content
    services.programme_match(actor=manager, programme=programme)
    assert b"changed after the last matching" not in client.get(url).content
