"""The curation pages through Django's test client."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.test import Client
from django.utils import timezone

from tact.curation import content, services
from tact.curation.models import Campaign, State

from .conftest import sample, submit

RUBRIC = [c.key for c in content.RUBRIC]


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_post(data: dict, version: int, action: str = "save") -> dict:
    values = content.form_values(data)
    post = {
        "version": str(version),
        "action": action,
        **{k: values[k] for k in ("field", "title", "summary", "description", "clusters")},
        **{k: values[k] for k in ("contacts", "funding_sources", "keywords", "scope_note")},
        "region_country": values["region_country"],
        "region_nuts": values["region_nuts"],
        "region_name": values["region_name"],
        **{k: values[k] for k in content.CHOICE_LISTS},
        **{k: values[k] for k in content.LINE_LISTS},
    }
    for i, fact in values["facts"]:
        for key in content.FACT_KEYS:
            post[f"fact-{i}-{key}"] = fact[key]
        if fact["approx"]:
            post[f"fact-{i}-approx"] = "yes"
    return {k: v for k, v in post.items() if v not in ("", [])}


def test_curator_creates_a_campaign_in_the_browser(world, toolbox):
    client = login(world.user("curator"))
    page = client.get("/curation/campaigns/new/")
    assert page.status_code == 200
    assert "Mechatronics Cluster | manager@example.org" in page.content.decode()
    deadline = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    bad = client.post(
        "/curation/campaigns/new/",
        {"name": "Round", "deadline": "soon", "regions": [world.region.pk], "invitations": "x"},
    )
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "YYYY-MM-DD" in text and "line 1" in text
    assert not Campaign.objects.exists()
    response = client.post(
        "/curation/campaigns/new/",
        {
            "name": "Round",
            "deadline": deadline,
            "regions": [world.region.pk],
            "invitations": "Mechatronics Cluster | manager@example.org",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/curation/campaigns/{campaign.pk}/"
    status = client.get(response["Location"]).content.decode()
    assert "Mechatronics Cluster" in status and "manager@example.org" in status


def _link(campaign) -> str:
    body = next(m.body for m in mail.outbox if "/curation/form/" in m.body)
    return re.search(r"http://testserver(/curation/form/[^\s]+)", body).group(1)


def test_manager_fills_the_form_by_the_personal_link(campaign, world):
    link = _link(campaign)
    anonymous = Client()
    page = anonymous.get(link)
    assert page.status_code == 200
    assert 'name="fact-0-value"' in page.content.decode()
    data = sample("hr-benchmark-copy")
    response = anonymous.post(link, form_post(data, 1, action="submit"))
    assert response.status_code == 422
    text = response.content.decode()
    assert "value: must be a number, not &#x27;about 40&#x27;" in text
    one_pager = campaign.one_pagers.get()
    assert one_pager.state == State.DRAFT and one_pager.version == 2  # the draft is kept
    data["facts"][1]["value"] = 40
    response = anonymous.post(link, form_post(data, 2, action="submit"))
    assert response.status_code == 302
    one_pager.refresh_from_db()
    assert one_pager.state == State.SUBMITTED
    assert one_pager.data["facts"][1]["value"] == 40
    closed = anonymous.get(link)
    assert "cannot be edited now" in closed.content.decode()
    assert anonymous.get("/curation/form/forged-token/").status_code == 404


def test_a_closed_campaign_keeps_its_one_pagers(campaign, world):
    from tact.curation import services

    link = _link(campaign)
    services.campaign_close(actor=world.user("curator"), campaign=campaign)
    client = Client()
    assert "The campaign is closed" in client.get(link).content.decode()
    data = sample("energy-audits")
    assert client.post(link, form_post(data, 1)).status_code == 403
    assert campaign.one_pagers.get().version == 1


def test_edit_conflict_shows_both_versions(campaign, world, second_curator):
    one_pager = submit(campaign.one_pagers.get(), world)
    version = one_pager.version
    first = login(world.user("curator"))
    second = login(second_curator)
    url = f"/curation/one-pagers/{one_pager.pk}/edit/"
    mine = dict(one_pager.data, title="Title by the first reviewer")
    theirs = dict(one_pager.data, title="Title by the second reviewer")
    assert first.post(url, form_post(mine, version)).status_code == 302
    response = second.post(url, form_post(theirs, version))
    assert response.status_code == 409
    text = response.content.decode()
    assert "Edit conflict" in text
    assert "Title by the first reviewer" in text and "Title by the second reviewer" in text
    versions = second.get(f"/curation/one-pagers/{one_pager.pk}/").content.decode()
    assert "(refused, conflict)" in versions


def test_ranking_compare_and_versions(campaign, world, second_curator):
    one_pager = submit(campaign.one_pagers.get(), world)
    client = login(world.user("curator"))
    job_page = client.post(f"/curation/campaigns/{campaign.pk}/score/")
    assert job_page.status_code == 302 and job_page["Location"].startswith("/jobs/")
    done = client.get(job_page["Location"]).content.decode()
    assert "1 one-pager scored." in done
    assert f"/curation/campaigns/{campaign.pk}/ranking/" in done
    ranking = client.get(f"/curation/campaigns/{campaign.pk}/ranking/").content.decode()
    assert one_pager.reference in ranking and "Suggested field" in ranking
    url = f"/curation/campaigns/{campaign.pk}/select/"
    refused = client.post(url, {"selected": [str(one_pager.pk)]}, follow=True)
    assert "needs ratings from at least 2 reviewers first" in refused.content.decode()
    one_pager.refresh_from_db()
    assert not one_pager.selected
    services.reviewers_assign(
        actor=None, one_pager=one_pager, reviewers=[world.user("curator"), second_curator]
    )
    for reviewer in (world.user("curator"), second_curator):
        services.review_save(actor=reviewer, one_pager=one_pager, ratings=dict.fromkeys(RUBRIC, 4))
    mail.outbox.clear()
    response = client.post(url, {"selected": [str(one_pager.pk)]})
    assert response.status_code == 302
    one_pager.refresh_from_db()
    assert one_pager.selected
    assert mail.outbox[0].to == ["manager@example.org"]
    assert "validate" in mail.outbox[0].body
    compare = client.get(f"/curation/one-pagers/{one_pager.pk}/compare/?with=practice:growth-2")
    assert compare.status_code == 200 and "HR Benchmark" in compare.content.decode()
    assert client.get(f"/curation/one-pagers/{one_pager.pk}/compare/?with=x").status_code == 404
    version = one_pager.versions.get(number=2)
    diff = client.get(f"/curation/one-pagers/{one_pager.pk}/versions/{version.pk}/")
    assert "+title: Energy Efficiency" in diff.content.decode()
    assert (
        login(world.user("manager")).get(f"/curation/campaigns/{campaign.pk}/ranking/").status_code
        == 404
    )


def test_export_and_import_round_trip(campaign, world):
    submit(campaign.one_pagers.get(), world)
    client = login(world.user("curator"))
    for fmt in ("json", "csv", "xlsx"):
        response = client.get(f"/curation/campaigns/{campaign.pk}/one-pagers.{fmt}")
        assert response.status_code == 200
        assert response.content
    csv_body = client.get(f"/curation/campaigns/{campaign.pk}/one-pagers.csv").content
    text = csv_body.decode("utf-8-sig").replace("Energy Efficiency", "Energy Saving")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("round.csv", text.encode("utf-8"))
    dry = client.post(
        f"/curation/campaigns/{campaign.pk}/import/", {"file": upload, "dry_run": "yes"}
    )
    assert dry.status_code == 200 and "Dry run" in dry.content.decode()
    one_pager = campaign.one_pagers.get()
    assert one_pager.title.startswith("Energy Efficiency")
    upload = SimpleUploadedFile("round.csv", text.encode("utf-8"))
    done = client.post(f"/curation/campaigns/{campaign.pk}/import/", {"file": upload})
    assert done.status_code == 200, done.content.decode()
    one_pager.refresh_from_db()
    assert one_pager.title.startswith("Energy Saving")
    assert one_pager.data["facts"][2]["value"] == 0.5
