"""Closing the gaps of a survey round in the browser: close and reopen a campaign, scoring through
the API as a job, the hint to publish a new PDF edition, reminders, the admin."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone

from tact.catalogue import services as catalogue_services
from tact.catalogue.models import Practice
from tact.core.jobs import work
from tact.core.models import AuditEntry, Job
from tact.curation import selectors, services
from tact.curation.models import Campaign, OnePager, State
from tact.publication.models import Edition

from .conftest import sample, submit


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _link(email: str) -> str:
    body = next(
        m.body for m in reversed(mail.outbox) if email in m.to and "/curation/form/" in m.body
    )
    return re.search(r"http://testserver(/curation/form/[^\s]+)", body).group(1)


def _audit(action: str, campaign: Campaign) -> AuditEntry:
    return AuditEntry.objects.filter(action=action, object_id=str(campaign.pk)).latest("id")


def _campaign_page(client: Client, campaign: Campaign) -> str:
    response = client.get(f"/curation/campaigns/{campaign.pk}/")
    assert response.status_code == 200
    return response.content.decode()


# --- close and reopen -----------------------------------------------------------------------


def test_close_asks_for_confirmation_then_closes(campaign, world):
    client = login(world.user("curator"))
    page = _campaign_page(client, campaign)
    assert f'href="/curation/campaigns/{campaign.pk}/close/"' in page
    confirm = client.get(f"/curation/campaigns/{campaign.pk}/close/")
    assert confirm.status_code == 200
    text = confirm.content.decode()
    # The page names who has not submitted yet, and closes nothing by itself.
    assert "1 cluster initiative has not submitted" in text
    assert "Mechatronics Cluster (manager@example.org)" in text
    campaign.refresh_from_db()
    assert campaign.is_open
    response = client.post(f"/curation/campaigns/{campaign.pk}/close/", follow=True)
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert not campaign.is_open
    text = response.content.decode()
    assert "The campaign is closed." in text and "Reopen with a new deadline" in text
    # No reminder button and no invitation form on a closed campaign.
    assert "/remind/" not in text and "/invite/" not in text
    entry = _audit("campaign.closed", campaign)
    assert entry.actor == world.user("curator") and entry.changes["not_submitted"] == 1
    # The personal link says so.
    assert "The campaign is closed" in Client().get(_link("manager@example.org")).content.decode()


def test_close_twice_or_by_others_is_refused(campaign, world):
    url = f"/curation/campaigns/{campaign.pk}/close/"
    for role in ("manager", "other_manager", "member"):
        assert login(world.user(role)).post(url).status_code == 404
    campaign.refresh_from_db()
    assert campaign.is_open
    assert not AuditEntry.objects.filter(action="campaign.closed").exists()
    client = login(world.user("curator"))
    client.post(url)
    closed_at = Campaign.objects.get(pk=campaign.pk).closed_at
    again = client.post(url, follow=True).content.decode()
    assert "the campaign was already closed on" in again
    assert Campaign.objects.get(pk=campaign.pk).closed_at == closed_at
    assert AuditEntry.objects.filter(action="campaign.closed").count() == 1
    # The confirmation page of a closed campaign leads back with a message.
    assert "already closed" in client.get(url, follow=True).content.decode()


def test_a_closed_campaign_sends_no_reminders_nor_invitations(campaign, world):
    services.campaign_close(actor=world.user("curator"), campaign=campaign)
    client = login(world.user("curator"))
    mail.outbox.clear()
    page = client.post(f"/curation/campaigns/{campaign.pk}/remind/", follow=True)
    assert "the campaign is closed" in page.content.decode()
    page = client.post(
        f"/curation/campaigns/{campaign.pk}/invite/",
        {"invitations": "Mechatronics Cluster | second@example.org"},
        follow=True,
    )
    assert "reopen it to invite more" in page.content.decode()
    assert mail.outbox == []
    assert campaign.invitations.count() == 1


def test_reopen_with_a_new_deadline(campaign, world):
    link = _link("manager@example.org")
    services.campaign_close(actor=world.user("curator"), campaign=campaign)
    client = login(world.user("curator"))
    url = f"/curation/campaigns/{campaign.pk}/reopen/"
    form = client.get(url)
    assert form.status_code == 200 and 'name="deadline"' in form.content.decode()
    old_deadline = campaign.deadline
    for bad, message in (
        ("next week", "deadline: give the new deadline as a date (YYYY-MM-DD)"),
        ("2027-02-30", "deadline: give the new deadline as a date (YYYY-MM-DD)"),
        ("", "deadline: give the new deadline as a date (YYYY-MM-DD)"),
        ((timezone.localdate() - dt.timedelta(days=1)).isoformat(), "lies in the past"),
        ("9999-12-31", "deadline: the deadline 9999-12-31 lies more than 730 days ahead"),
    ):
        response = client.post(url, {"deadline": bad})
        assert response.status_code == 422, bad
        assert message in response.content.decode(), bad
        campaign.refresh_from_db()
        assert not campaign.is_open and campaign.deadline == old_deadline
    new = timezone.localdate() + dt.timedelta(days=60)
    response = client.post(url, {"deadline": new.isoformat()}, follow=True)
    assert f"The campaign is open again until {new.isoformat()}." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.is_open and campaign.deadline == new
    entry = _audit("campaign.reopened", campaign)
    assert entry.changes["deadline"] == [old_deadline.isoformat(), new.isoformat()]
    # The personal link saves again.
    anonymous = Client()
    assert "The campaign is closed" not in anonymous.get(link).content.decode()
    # Reopening an open campaign is refused and changes nothing.
    again = client.post(url, {"deadline": (new + dt.timedelta(days=1)).isoformat()})
    assert (
        again.status_code == 422 and "only a closed campaign is reopened" in again.content.decode()
    )
    campaign.refresh_from_db()
    assert campaign.deadline == new
    assert "The campaign is open." in client.get(url, follow=True).content.decode()
    assert login(world.user("manager")).post(url, {"deadline": new.isoformat()}).status_code == 404


def test_close_and_reopen_services_check_the_caller(campaign, world):
    with pytest.raises(services.NotAllowed):
        services.campaign_close(actor=world.user("manager"), campaign=campaign)
    services.campaign_close(actor=None, campaign=campaign)
    with pytest.raises(services.NotAllowed):
        services.campaign_reopen(
            actor=world.user("other_manager"),
            campaign=campaign,
            deadline=timezone.localdate() + dt.timedelta(days=3),
        )
    with pytest.raises(services.CurationError, match="more than 730 days ahead"):
        services.campaign_create(
            actor=None,
            name="Far away",
            regions=[world.region],
            deadline=timezone.localdate() + dt.timedelta(days=731),
        )
    # Today is a valid new deadline: the links work until the end of the day.
    services.campaign_reopen(
        actor=world.user("admin"), campaign=campaign, deadline=timezone.localdate()
    )
    assert Campaign.objects.get(pk=campaign.pk).is_open


def test_close_and_reopen_from_the_command_line(campaign):
    out = io.StringIO()
    call_command("curation", "close", str(campaign.pk), stdout=out)
    assert "closed" in out.getvalue()
    with pytest.raises(CommandError, match="already closed"):
        call_command("curation", "close", str(campaign.pk), stdout=io.StringIO())
    with pytest.raises(CommandError, match="--deadline: give a date"):
        call_command("curation", "reopen", str(campaign.pk), "--deadline", "soon")
    with pytest.raises(CommandError, match=r"deadline: the new deadline .* lies in the past"):
        call_command("curation", "reopen", str(campaign.pk), "--deadline", "2001-01-01")
    new = (timezone.localdate() + dt.timedelta(days=9)).isoformat()
    out = io.StringIO()
    call_command("curation", "reopen", str(campaign.pk), "--deadline", new, stdout=out)
    assert f"reopened until {new}" in out.getvalue()
    assert Campaign.objects.get(pk=campaign.pk).is_open


def test_close_and_reopen_through_the_api(campaign, world):
    client = login(world.user("curator"))
    base = f"/api/curation/campaigns/{campaign.pk}"
    closed = client.post(f"{base}/close")
    assert closed.status_code == 200 and closed.json()["open"] is False
    assert closed.json()["closed_at"]
    again = client.post(f"{base}/close")
    assert again.status_code == 422 and "already closed" in again.json()["detail"][0]["msg"]
    for body, where in (
        ({}, "deadline"),
        ({"deadline": "soon"}, "deadline"),
        ({"deadline": "2001-01-01"}, "deadline"),
    ):
        response = client.post(f"{base}/reopen", body, content_type="application/json")
        assert response.status_code == 422, body
        assert where in json.dumps(response.json()["detail"]), body
    assert not Campaign.objects.get(pk=campaign.pk).is_open
    new = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    reopened = client.post(f"{base}/reopen", {"deadline": new}, content_type="application/json")
    assert reopened.status_code == 200
    assert reopened.json()["open"] is True and reopened.json()["deadline"] == new
    manager = login(world.user("manager"))
    assert manager.post(f"{base}/close").status_code == 404
    assert Campaign.objects.get(pk=campaign.pk).is_open


# --- scoring through the API: a job ----------------------------------------------------------


def test_api_scoring_in_immediate_mode_has_finished(campaign, world):
    submit(campaign.one_pagers.get(), world)
    client = login(world.user("curator"))
    response = client.post(f"/api/curation/campaigns/{campaign.pk}/score")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "done" and body["error"] is None
    assert body["result"]["scored"] == 1 and body["result"]["classifier"]["examples"] == 23
    assert body["result_url"] == f"/curation/campaigns/{campaign.pk}/ranking/"
    assert body["page_url"] == f"/jobs/{body['job']}/"
    assert body["status_url"] == f"/api/curation/jobs/{body['job']}"
    polled = client.get(body["status_url"])
    assert polled.status_code == 200 and polled.json() == body
    assert campaign.one_pagers.get().score is not None
    # Someone else's job, or a job of another app, is not there for the caller.
    assert login(world.user("manager")).get(body["status_url"]).status_code == 404
    assert login(world.user("admin")).get(body["status_url"]).status_code == 200
    other = Job.objects.create(kind="events.schedule", label="x", owner=world.user("curator"))
    assert client.get(f"/api/curation/jobs/{other.pk}").status_code == 404
    assert client.get("/api/curation/jobs/not-a-uuid").status_code == 404


@override_settings(TACT_JOBS_MODE="worker")
def test_api_scoring_queued_answers_202_with_the_job_to_poll(campaign, world):
    submit(campaign.one_pagers.get(), world)
    client = login(world.user("curator"))
    response = client.post(f"/api/curation/campaigns/{campaign.pk}/score")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued" and body["result"] is None
    assert campaign.one_pagers.get().score is None
    assert client.get(body["status_url"]).json()["status"] == "queued"
    assert work(once=True) == 1
    done = client.get(body["status_url"]).json()
    assert done["status"] == "done" and done["result"]["scored"] == 1
    assert campaign.one_pagers.get().score is not None


def test_api_scoring_of_a_deleted_campaign_job_fails_with_a_message(campaign, world):
    with override_settings(TACT_JOBS_MODE="worker"):
        client = login(world.user("curator"))
        body = client.post(f"/api/curation/campaigns/{campaign.pk}/score").json()
    Campaign.objects.filter(pk=campaign.pk).delete()
    work(once=True)
    failed = client.get(body["status_url"]).json()
    assert failed["status"] == "failed" and "no longer exists" in failed["error"]


# --- the hint to publish a new edition of the PDF ------------------------------------------------


def _publish_through(campaign: Campaign, practice_id: str) -> OnePager:
    """The campaign's one-pager stands for a practice published through it (test data)."""
    one_pager = campaign.one_pagers.get()
    OnePager.objects.filter(pk=one_pager.pk).update(state=State.PUBLISHED, practice_id=practice_id)
    catalogue_services.practice_set_published(actor=None, practice_id=practice_id, published=True)
    Practice.objects.filter(pk=practice_id).update(
        published_at=timezone.now() - dt.timedelta(hours=1)
    )
    return one_pager


def _edition(number: int, practice_ids: list[str]) -> Edition:
    pdf = b"%PDF-1.4 test"
    return Edition.objects.create(
        number=number,
        date=timezone.localdate(),
        note="test",
        published_by_label="test",
        practice_count=len(practice_ids),
        page_count=1,
        practice_ids=practice_ids,
        pdf=pdf,
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
    )


def test_the_campaign_page_asks_for_a_new_edition(campaign, world):
    client = login(world.user("curator"))
    assert "edition-hint" not in _campaign_page(client, campaign)  # nothing published yet
    _publish_through(campaign, "growth-2")
    page = _campaign_page(client, campaign)
    assert "1 practice published and no edition of the toolbox PDF yet" in page
    assert 'href="/publication/publish/"' in page
    _edition(1, ["growth-1"])
    page = _campaign_page(client, campaign)
    assert "1 practice published since edition 1" in page and "growth-2" in page
    _edition(2, ["growth-1", "growth-2"])
    assert "edition-hint" not in _campaign_page(client, campaign)  # edition 2 carries it
    # Re-published (say, after an edit) after the edition: the PDF is behind again.
    catalogue_services.practice_set_published(actor=None, practice_id="growth-2", published=False)
    page = _campaign_page(client, campaign)
    assert "1 withdrawn practice is still printed in it" in page
    catalogue_services.practice_set_published(actor=None, practice_id="growth-2", published=True)
    assert "1 practice published since edition 2" in _campaign_page(client, campaign)


def test_the_edition_hint_counts_only_this_campaign(campaign, world):
    _publish_through(campaign, "growth-2")
    _edition(1, [])
    other = services.campaign_create(
        actor=None,
        name="Other round",
        regions=[world.region],
        deadline=timezone.localdate() + dt.timedelta(days=5),
    )
    assert selectors.edition_outdated(other) is None
    found = selectors.edition_outdated(campaign)
    assert found["published"] == ["growth-2"] and found["edition"].number == 1


# --- reminders -------------------------------------------------------------------------------------


def test_reminders_carry_link_deadline_and_name_and_skip_submitted(campaign, world):
    services.invitation_add(
        actor=world.user("curator"),
        campaign=campaign,
        cluster=world.cluster_a,
        email="deputy@example.org",
        base_url="http://testserver",
    )
    submitted = campaign.one_pagers.get(invitation__email="manager@example.org")
    submit(submitted, world)
    client = login(world.user("curator"))
    page = _campaign_page(client, campaign)
    assert "Send a reminder to the 1 manager who has not submitted" in page
    mail.outbox.clear()
    response = client.post(f"/curation/campaigns/{campaign.pk}/remind/", follow=True)
    text = response.content.decode()
    assert "1 reminder sent, to deputy@example.org." in text
    assert [m.to for m in mail.outbox] == [["deputy@example.org"]]
    message = mail.outbox[0]
    assert "Survey 2027" in message.subject and "Survey 2027" in message.body
    assert campaign.deadline.isoformat() in message.body
    link = _link("deputy@example.org")
    form = Client().get(link)
    assert form.status_code == 200 and 'name="title"' in form.content.decode()
    # The table tells when each cluster was last reminded.
    rows = {row["email"]: row for row in selectors.campaign_status(campaign)}
    assert rows["deputy@example.org"]["last_reminded"] is not None
    assert rows["manager@example.org"]["last_reminded"] is None
    reminded = timezone.localtime(rows["deputy@example.org"]["last_reminded"])
    assert reminded.strftime("%Y-%m-%d %H:%M") in text
    api = client.get(f"/api/curation/campaigns/{campaign.pk}").json()
    by_email = {c["email"]: c for c in api["clusters"]}
    assert by_email["deputy@example.org"]["last_reminded"]
    assert by_email["manager@example.org"]["last_reminded"] is None
    entry = _audit("campaign.reminded", campaign)
    assert entry.changes == {"to": ["deputy@example.org"]}


def test_a_reminder_about_a_requested_revision_says_so(campaign, world):
    one_pager = submit(campaign.one_pagers.get(), world)
    services.one_pager_transition(
        actor=None, one_pager=one_pager, to="revision_requested", comment="Figures?"
    )
    mail.outbox.clear()
    sent = services.invitations_remind(actor=None, campaign=campaign, base_url="http://testserver")
    assert sent == ["manager@example.org"]
    body = mail.outbox[0].body
    assert body.startswith("The regional contact asked you to revise your one-pager")
    assert "/curation/form/" in body and campaign.deadline.isoformat() in body


def test_no_reminder_when_everyone_submitted(campaign, world):
    submit(campaign.one_pagers.get(), world)
    client = login(world.user("curator"))
    assert "disabled" in _campaign_page(client, campaign)
    mail.outbox.clear()
    page = client.post(f"/curation/campaigns/{campaign.pk}/remind/", follow=True)
    assert "No reminder sent: every invited manager has submitted" in page.content.decode()
    assert mail.outbox == []


# --- the admin -------------------------------------------------------------------------------------


def test_the_admin_shows_curation_read_only(campaign, world):
    submit(campaign.one_pagers.get(), world)
    admin = login(world.user("admin"))
    invitation = campaign.invitations.get()
    for model in ("campaign", "invitation", "onepager", "version", "review", "comment"):
        assert admin.get(f"/admin/curation/{model}/").status_code == 200, model
        assert admin.get(f"/admin/curation/{model}/add/").status_code == 403, model
    page = admin.get(f"/admin/curation/invitation/{invitation.pk}/change/")
    assert page.status_code == 200 and "manager@example.org" in page.content.decode()
    assert invitation.secret not in page.content.decode()
    assert (
        invitation.secret
        not in admin.get(f"/admin/curation/campaign/{campaign.pk}/change/").content.decode()
    )
    changed = admin.post(f"/admin/curation/campaign/{campaign.pk}/change/", {"name": "Renamed"})
    assert changed.status_code == 403
    assert admin.post(f"/admin/curation/campaign/{campaign.pk}/delete/").status_code == 403
    assert Campaign.objects.get(pk=campaign.pk).name == "Survey 2027"
    one_pager = campaign.one_pagers.get()
    assert admin.get(f"/admin/curation/onepager/{one_pager.pk}/change/").status_code == 200
    assert login(world.user("curator")).get("/admin/curation/campaign/").status_code == 302


def test_closing_ends_drafts_for_link_and_login_but_revisions_go_on(
    campaign, world, second_curator
):
    from .test_views import form_post

    services.invitation_add(
        actor=None, campaign=campaign, cluster=world.cluster_a, email="deputy@example.org",
        base_url="http://testserver",
    )  # fmt: skip
    revised = submit(campaign.one_pagers.get(invitation__email="manager@example.org"), world)
    services.one_pager_transition(
        actor=world.user("curator"), one_pager=revised, to="revision_requested", comment="Figures?"
    )
    draft = campaign.one_pagers.get(invitation__email="deputy@example.org")
    services.campaign_close(actor=world.user("curator"), campaign=campaign)
    manager = login(world.user("manager"))
    data = sample("energy-audits")
    # The draft: neither the logged-in manager nor the personal link saves or submits it.
    page = manager.get(f"/curation/one-pagers/{draft.pk}/edit/").content.decode()
    assert "The campaign is closed" in page
    refused = manager.post(f"/curation/one-pagers/{draft.pk}/edit/", form_post(data, 1))
    assert refused.status_code == 403
    api = manager.put(
        f"/api/curation/one-pagers/{draft.pk}",
        {"version": 1, "one_pager": data},
        content_type="application/json",
    )
    assert api.status_code == 403 and "campaign is closed" in api.json()["detail"]
    with pytest.raises(services.NotAllowed, match="campaign is closed"):
        services.one_pager_transition(actor=world.user("manager"), one_pager=draft, to="submitted")
    assert Client().post(_link("deputy@example.org"), form_post(data, 1)).status_code == 403
    draft.refresh_from_db()
    assert draft.version == 1 and draft.state == State.DRAFT
    # The revision the regional contact asked for can be answered, by the personal link too.
    link = _link("manager@example.org")
    answer = dict(revised.data, title="Energy walk-throughs, with figures")
    response = Client().post(link, form_post(answer, revised.version, action="submit"))
    assert response.status_code == 302
    revised.refresh_from_db()
    assert revised.state == State.SUBMITTED and revised.title.startswith("Energy walk-throughs")
    # Administrators may still fill in a draft.
    services.one_pager_save(
        actor=world.user("admin"), one_pager=draft, data=data, expected_version=1
    )


def test_a_revision_request_mails_the_personal_link(campaign, world):
    one_pager = submit(campaign.one_pagers.get(), world)
    mail.outbox.clear()
    client = login(world.user("curator"))
    client.post(
        f"/curation/one-pagers/{one_pager.pk}/transition/",
        {"to": "revision_requested", "comment": "Add the number of companies."},
    )
    message = mail.outbox[-1]
    assert "Add the number of companies." in message.body
    link = re.search(r"http://testserver(/curation/form/\S+)", message.body).group(1)
    page = Client().get(link)
    assert page.status_code == 200 and 'name="title"' in page.content.decode()
    # Without a site address (the command line with no TACT_BASE_URL) there is no link.
    one_pager.refresh_from_db()
    submit(one_pager, world)
    mail.outbox.clear()
    with override_settings(TACT_BASE_URL=""):
        services.one_pager_transition(
            actor=None, one_pager=one_pager, to="revision_requested", comment="Again."
        )
    assert "/curation/form/" not in mail.outbox[-1].body
