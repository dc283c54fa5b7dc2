"""In headless Chromium, a survey round end to end: the regional contact starts a campaign, the
cluster manager fills the one-pager through the personal link and submits it, two reviewers rate
it, the regional contact scores and selects it, the manager validates it, the regional contact
publishes it, and the practice appears in the public toolbox. The campaign page then points to a
new edition of the toolbox PDF, and the regional contact closes the campaign."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from tact.accounts.models import ClusterInitiative, Region, Role, RoleAssignment, User

pytestmark = pytest.mark.browser

PASSWORD = "Mountain-Cluster-2026"
RUBRIC = (
    "Relevance for other cluster initiatives",
    "Evidence of results",
    "Transferability to other regions",
    "Clarity and completeness of the description",
    "Novelty of the service",
)


def _login(browser: Any, base: str, email: str) -> Any:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return page


def _rate(page: Any, values: tuple[int, ...]) -> None:
    for label, value in zip(RUBRIC, values, strict=True):
        page.get_by_role("row", name=label).get_by_label(str(value)).check()
    page.get_by_role("button", name="Save my rating").click()


def test_a_survey_round_in_the_browser(live_server: Any, loaded_toolbox: None, browser: Any):
    from playwright.sync_api import expect

    base = live_server.url
    region = Region.objects.create(code="AT31", country="AT", name="Upper Austria")
    cluster = ClusterInitiative.objects.create(name="Mechatronics Cluster", region=region)
    users = {}
    for email, role, scope in (
        ("manager@example.org", Role.MANAGER, {"cluster": cluster}),
        ("curator@example.org", Role.CURATOR, {"region": region}),
        ("reviewer@example.org", Role.CURATOR, {"region": region}),
    ):
        users[email] = User.objects.create_user(email, PASSWORD)
        RoleAssignment.objects.create(user=users[email], role=role, **scope)

    # The regional contact starts the campaign; the form proposes the region's clusters.
    curator = _login(browser, base, "curator@example.org")
    curator.goto(base + "/curation/")
    curator.get_by_role("link", name="Start a new campaign").click()
    curator.get_by_label("Name").fill("Good practices 2027")
    expect(curator.get_by_label("Invitations")).to_have_value(
        "Mechatronics Cluster | manager@example.org"
    )
    curator.get_by_role("button", name="Create the campaign and send the links").click()
    expect(curator.get_by_role("heading", name="Good practices 2027")).to_be_visible()
    expect(curator.get_by_role("row", name=re.compile("Mechatronics Cluster"))).to_contain_text(
        "draft"
    )

    # The manager opens the personal link from the e-mail, no login needed.
    body = next(m.body for m in mail.outbox if "/curation/form/" in m.body)
    link = re.search(r"https?://\S+/curation/form/\S+", body).group(0)
    link = base + link[link.index("/curation/") :]
    manager_context = browser.new_context()
    form = manager_context.new_page()
    form.set_default_timeout(20_000)
    form.goto(link)
    form.get_by_label("Title").fill("Energy Walk-Throughs for Small Manufacturers")
    form.get_by_label("Summary").fill(
        "Small manufacturers get a one-day walk-through of their plant by an energy engineer "
        "and a peer company, with savings they can make within a year."
    )
    form.get_by_label("Description").fill(
        "An energy engineer of the cluster and a member company that has already cut its "
        "consumption visit a small manufacturer for a day, read the meters and look at "
        "compressed air, heating, lighting and idle machines. Within two weeks the company "
        "receives a report listing measures with cost, savings and grants. Three months later "
        "the cluster asks which measures were taken and shares an anonymous comparison."
    )
    form.get_by_label("Contacts").fill("Anna Berger | Mechatronics Cluster | anna@example.org")
    form.get_by_label("Consulting and company visits").check()
    form.get_by_label("SMEs").check()
    form.get_by_label("Kind 1").select_option("frequency")
    form.get_by_label("What 1").fill("Walk-throughs per year")
    form.get_by_label("Value 1").fill("about twelve")
    form.get_by_label("Unit 1").select_option("event")
    form.get_by_role("button", name="Submit").click()
    # Field by field: the figure must be a number; what was typed is kept.
    expect(form.get_by_text("value: must be a number, not 'about twelve'")).to_be_visible()
    expect(form.get_by_label("Title")).to_have_value("Energy Walk-Throughs for Small Manufacturers")
    form.get_by_label("Value 1").fill("12")
    form.get_by_role("button", name="Submit").click()
    expect(form.get_by_text("Thank you: the one-pager is submitted.")).to_be_visible()
    manager_context.close()

    # The regional contact assigns two reviewers and rates.
    curator.reload()
    expect(curator.get_by_role("row", name=re.compile("Mechatronics Cluster"))).to_contain_text(
        "submitted"
    )
    curator.get_by_role("row", name=re.compile("Mechatronics Cluster")).get_by_role("link").click()
    curator.get_by_label("curator@example.org").check()
    curator.get_by_label("reviewer@example.org").check()
    curator.get_by_role("button", name="Assign reviewers").click()
    expect(curator.locator("#state")).to_have_text("in review")
    one_pager_url = curator.url
    _rate(curator, (5, 4, 4, 4, 3))
    expect(curator.get_by_text("Your rating is saved.")).to_be_visible()

    reviewer = _login(browser, base, "reviewer@example.org")
    reviewer.goto(base + "/curation/")
    reviewer.get_by_role("link", name=re.compile("Energy Walk-Throughs")).click()
    _rate(reviewer, (4, 4, 5, 4, 4))
    expect(reviewer.get_by_text("Your rating is saved.")).to_be_visible()
    reviewer.context.close()

    # The ranked table: score, then select.
    curator.goto(base + "/curation/")
    curator.get_by_role("link", name="Ranked table").click()
    curator.get_by_role("button", name="Score all submissions again").click()
    # Scoring runs as a background job (inline in tests): its page links to the table.
    expect(curator.get_by_text("1 one-pager scored.")).to_be_visible()
    curator.get_by_role("link", name="See the result").click()
    row = curator.locator("#ranking tbody tr").first
    expect(row).to_contain_text("Energy Walk-Throughs")
    expect(row).to_contain_text("2 reviews")
    row.get_by_role("checkbox").check()
    curator.get_by_role("button", name="Save the selection").click()
    expect(curator.get_by_text("1 one-pager selected.")).to_be_visible()

    # The cluster manager validates the selected one-pager.
    manager = _login(browser, base, "manager@example.org")
    manager.goto(base + "/curation/")
    manager.get_by_role("link", name=re.compile("Energy Walk-Throughs")).click()
    manager.get_by_role("button", name="Move to: validated by the cluster manager").click()
    expect(manager.locator("#state")).to_have_text("validated by the cluster manager")
    manager.context.close()

    # The regional contact accepts the suggested field and publishes.
    curator.goto(one_pager_url)
    curator.get_by_role("button", name="Set the field").click()
    curator.get_by_role("button", name="Move to: published").click()
    expect(curator.locator("#state")).to_have_text("published")
    practice_link = curator.get_by_role("link", name=re.compile(r"^[a-z]+-\d+$"))
    practice_id = practice_link.inner_text()

    # Back on the campaign page: the toolbox PDF lags behind, and the round ends.
    curator.goto(base + "/curation/")
    curator.get_by_role("link", name="Good practices 2027").click()
    expect(curator.locator("#edition-hint")).to_contain_text(
        "1 practice published and no edition of the toolbox PDF yet"
    )
    expect(curator.locator("#edition-hint")).to_contain_text(practice_id)
    curator.get_by_role("link", name="publish a new edition").click()
    expect(curator).to_have_url(re.compile(r"/publication/publish/$"))
    curator.go_back()
    curator.get_by_role("link", name=re.compile("Close campaign")).click()
    expect(
        curator.get_by_role("heading", name=re.compile("Close .Good practices 2027"))
    ).to_be_visible()
    expect(curator.get_by_text("Every invited cluster initiative has submitted")).to_be_visible()
    curator.get_by_role("button", name="Yes, close the campaign").click()
    expect(curator.get_by_text(re.compile("^The campaign is closed."))).to_be_visible()
    expect(curator.get_by_text(re.compile(r"Closed on \d{4}-\d{2}-\d{2}"))).to_be_visible()
    expect(
        curator.get_by_role("link", name=re.compile("Reopen with a new deadline"))
    ).to_be_visible()
    expect(curator.get_by_role("button", name=re.compile("Send a reminder"))).to_have_count(0)
    curator.context.close()

    visitor = browser.new_context().new_page()
    visitor.goto(base + "/practices/?q=energy+walk-through")
    expect(
        visitor.get_by_role("link", name="Energy Walk-Throughs for Small Manufacturers")
    ).to_be_visible()
    visitor.goto(base + f"/practices/{practice_id}/")
    expect(visitor.get_by_text("Walk-throughs per year")).to_be_visible()
    visitor.context.close()
