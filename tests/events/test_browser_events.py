"""In headless Chromium: an organiser sets up a B2B day, imports participants and requests from
CSV, a participant accepts a request, the organiser presses Schedule, watches the progress page,
reads the dashboard, publishes, and opens a participant's printable agenda and calendar file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from tact.accounts.models import ClusterInitiative, Organisation, Region, Role, RoleAssignment, User
from tact.events.models import Event, MeetingRequest

from .conftest import DATA

pytestmark = pytest.mark.browser

PASSWORD = "Mountain-Cluster-2026"


def _login(page: Any, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_organiser_schedules_a_b2b_day(
    live_server: Any, loaded_toolbox: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    region = Region.objects.create(code="AT31", country="AT", name="Oberösterreich")
    cluster = ClusterInitiative.objects.create(name="Mechatronics Cluster", region=region)
    manager = User.objects.create_user("manager@example.org", PASSWORD)
    RoleAssignment.objects.create(user=manager, role=Role.MANAGER, cluster=cluster)
    steyr = Organisation.objects.create(cluster=cluster, name="Steyr Drive Systems AG")
    huber = User.objects.create_user("k.huber@steyr-drive.example", PASSWORD)
    RoleAssignment.objects.create(user=huber, role=Role.MEMBER, cluster=cluster, organisation=steyr)

    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    _login(page, base, "manager@example.org")
    page.goto(base + "/events/")
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Title").fill("Mechatronics Innovation Day")
    page.get_by_label("Date").fill("2026-05-12")
    page.get_by_label("Venue").fill("Tabakfabrik Linz")
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_role("heading", name="Mechatronics Innovation Day")).to_be_visible()
    for name, start, end in (("Morning", "09:00", "12:00"), ("Afternoon", "13:30", "16:00")):
        page.get_by_label("Session name").fill(name)
        page.get_by_label("Start", exact=True).fill(start)
        page.get_by_label("End", exact=True).fill(end)
        page.get_by_role("button", name="Add session").click()
        expect(page.get_by_text("Session added")).to_be_visible()
    page.get_by_label("Number of tables").fill("6")
    page.get_by_role("button", name="Add tables").click()
    page.get_by_label("Number of remote rooms").fill("2")
    page.get_by_label("Video link").last.fill("https://meet.example/b2b")
    page.get_by_role("button", name="Add remote rooms").click()
    expect(page.locator("input[value='Remote room 2']")).to_be_visible()
    event = Event.objects.get()

    page.get_by_role("link", name="Import participants").click()
    page.get_by_label("File").set_input_files(str(DATA / "sample-participants.csv"))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Dry run: all 24 rows are fine")).to_be_visible()
    page.get_by_label("File").set_input_files(str(DATA / "sample-participants.csv"))
    page.get_by_label("Dry run").uncheck()
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Imported: 24 new, 0 updated.").first).to_be_visible()
    page.goto(base + f"/events/{event.pk}/import/?kind=requests")
    page.get_by_label("File").set_input_files(str(DATA / "sample-requests.csv"))
    page.get_by_label("Dry run").uncheck()
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Imported: 28 new").first).to_be_visible()
    # The organiser accepts a pending request on somebody's behalf.
    page.get_by_role("link", name="Requests").click()
    page.get_by_label("Status").select_option("pending")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role(
        "button", name="Accept Steyr Drive Systems AG → Business Upper Austria – Funding Desk"
    ).click()
    expect(page.get_by_text("Request accepted.")).to_be_visible()

    # The participant with a login answers the request sent to her.
    other = browser.new_context()
    member = other.new_page()
    member.set_default_timeout(20_000)
    _login(member, base, "k.huber@steyr-drive.example")
    member.goto(base + f"/events/{event.pk}/")
    expect(member.get_by_role("heading", name="Requests waiting for your answer")).to_be_visible()
    expect(member.get_by_text("Gmunden Smart Textiles GmbH (Helena Auer)")).to_be_visible()
    member.get_by_role("button", name="Accept").click()
    expect(member.get_by_text("Request accepted.")).to_be_visible()
    expect(
        member.get_by_text("The organisers have not published the schedule yet.")
    ).to_be_visible()
    assert MeetingRequest.objects.filter(status="accepted").count() == 27

    # Schedule: the web request only starts a job; the progress page shows it and links on.
    page.goto(base + f"/events/{event.pk}/")
    page.get_by_label("Time limit (seconds)").fill("3")
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page).to_have_url(f"{base}/jobs/{page.url.rstrip('/').rsplit('/', 1)[1]}/")
    expect(page.locator("#job-status progress")).to_be_visible()
    page.get_by_role("link", name="See the result").click()
    expect(page.get_by_role("heading", name="Organiser dashboard")).to_be_visible()
    expect(page.get_by_text("upper bound")).to_be_visible()
    expect(page.get_by_role("heading", name="Idle gaps per participant")).to_be_visible()
    mail.outbox.clear()
    page.get_by_role("button", name="Publish the schedule").click()
    expect(page.get_by_text("Published:")).to_be_visible()
    expect(
        page.get_by_text("participants their agenda; 0 without an e-mail address")
    ).to_be_visible()
    assert any(m.to == ["k.huber@steyr-drive.example"] for m in mail.outbox)

    person = event.participants.get(email="k.huber@steyr-drive.example")
    page.goto(base + f"/events/{event.pk}/participants/{person.pk}/agenda/")
    expect(
        page.get_by_role("heading", name="Agenda: Katrin Huber, Steyr Drive Systems AG")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Gmunden Smart Textiles GmbH").first).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Add to calendar (ICS)").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and "Gmunden Smart Textiles GmbH" in text
    page.goto(base + f"/events/{event.pk}/table-plan/")
    expect(page.get_by_role("columnheader", name="Remote room 1")).to_be_visible()

    # The participant now sees her own published agenda, and nobody else's.
    member.goto(base + f"/events/{event.pk}/me/")
    expect(member.get_by_role("link", name="Printable agenda")).to_be_visible()
    expect(member.get_by_role("cell", name="Gmunden Smart Textiles GmbH").first).to_be_visible()
    other_person = event.participants.get(email="s.eder@kpe.example")
    response = member.goto(base + f"/events/{event.pk}/participants/{other_person.pk}/agenda/")
    assert response is not None and response.status == 404

    # After publishing, she can only come in the afternoon and takes fewer meetings.
    member.goto(base + f"/events/{event.pk}/me/")
    member.get_by_role("link", name="Edit my profile and availability").click()
    member.get_by_label("Morning 09:00-12:00").uncheck()
    member.get_by_label("Maximum number of meetings (0 to 8)").fill("4")
    member.get_by_label("What we seek").fill("Battery cooling partners")
    member.get_by_role("button", name="Save my profile").click()
    expect(member.get_by_text("Your profile is saved.")).to_be_visible()
    expect(
        member.get_by_text("they will take it into account when they schedule again")
    ).to_be_visible()
    person.refresh_from_db()
    assert person.max_meetings == 4 and [s.name for s in person.sessions.all()] == ["Afternoon"]
    # The organiser sees that the schedule is out of date, and closes registration.
    page.goto(base + f"/events/{event.pk}/dashboard/")
    expect(page.get_by_role("heading", name="The schedule is out of date")).to_be_visible()
    expect(page.get_by_text("Katrin Huber (Steyr Drive Systems AG)").first).to_be_visible()
    page.goto(base + f"/events/{event.pk}/")
    page.get_by_role("button", name="Close registration").click()
    expect(page.get_by_role("button", name="Open registration")).to_be_visible()
    member.reload()
    expect(member.get_by_text("Registration is closed: your profile can no longer")).to_be_visible()
    expect(member.get_by_role("button", name="Save my profile")).to_have_count(0)
    other.close()
    context.close()
