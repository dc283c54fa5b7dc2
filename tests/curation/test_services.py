"""The curation workflow through its services: campaign, submission, review, scoring,
selection, validation, publication, withdrawal; permissions and conflicts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from tact.catalogue import selectors as catalogue
from tact.catalogue.models import Practice
from tact.core.models import AuditEntry
from tact.curation import content, selectors, services
from tact.curation.models import State, Version

from .conftest import sample, submit

GOOD = {"relevance": 4, "results": 4, "transferability": 5, "clarity": 4, "novelty": 3}


def test_campaign_sends_personal_links(campaign, world):
    sent = [m for m in mail.outbox if "/curation/form/" in m.body]
    assert len(sent) == 1
    message = sent[0]
    assert message.to == ["manager@example.org"]
    link = next(line for line in message.body.splitlines() if "/curation/form/" in line)
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = selectors.invitation_by_token(token)
    assert invitation is not None and invitation.cluster == world.cluster_a
    assert selectors.invitation_by_token(token[:-2] + "xx") is None
    one_pager = campaign.one_pagers.get()
    assert one_pager.state == State.DRAFT
    assert one_pager.data["clusters"][0]["name"] == "Mechatronics Cluster"
    assert AuditEntry.objects.filter(action="campaign.created").exists()


def test_campaign_refuses_foreign_regions_and_bad_input(world, toolbox):
    deadline = timezone.localdate() + dt.timedelta(days=10)
    with pytest.raises(services.NotAllowed, match="ITC4"):
        services.campaign_create(
            actor=world.user("curator"),
            name="x",
            regions=[world.cluster_b.region],
            deadline=deadline,
        )
    with pytest.raises(services.CurationError, match="past") as exc:
        services.campaign_create(
            actor=world.user("curator"),
            name="x",
            regions=[world.region],
            deadline=timezone.localdate() - dt.timedelta(days=1),
        )
    assert exc.value.field == "deadline"
    with pytest.raises(services.CurationError, match="does not lie"):
        services.campaign_create(
            actor=world.user("curator"),
            name="x",
            regions=[world.region],
            deadline=deadline,
            invitations=[(world.cluster_b, "someone@example.org")],
        )
    with pytest.raises(services.CurationError, match="valid e-mail"):
        services.campaign_create(
            actor=None,
            name="x",
            regions=[world.region],
            deadline=deadline,
            invitations=[(world.cluster_a, "not-an-address")],
        )


def test_submission_validates_field_by_field(one_pager, world):
    data = sample("hr-benchmark-copy")
    one_pager = services.one_pager_save(
        actor=world.user("manager"), one_pager=one_pager, data=data, expected_version=1
    )
    with pytest.raises(services.InvalidOnePager) as exc:
        services.one_pager_transition(
            actor=world.user("manager"), one_pager=one_pager, to="submitted"
        )
    assert exc.value.problems == {"facts[2].value": ["must be a number, not 'about 40'"]}
    one_pager.refresh_from_db()
    assert one_pager.state == State.DRAFT
    # The draft keeps what was typed.
    assert one_pager.data["facts"][1]["value"] == "about 40"


def test_only_the_manager_submits_and_the_curator_reviews(one_pager, world):
    with pytest.raises(services.NotAllowed):
        services.one_pager_transition(
            actor=world.user("other_manager"), one_pager=one_pager, to="submitted"
        )
    with pytest.raises(services.NotAllowed):
        services.one_pager_save(
            actor=world.user("curator"), one_pager=one_pager, data={}, expected_version=1
        )
    one_pager = submit(one_pager, world)
    assert one_pager.state == State.SUBMITTED
    with pytest.raises(services.NotAllowed):
        services.one_pager_transition(
            actor=world.user("manager"), one_pager=one_pager, to="in_review"
        )
    with pytest.raises(services.CurationError, match="revised"):
        services.one_pager_transition(
            actor=world.user("curator"), one_pager=one_pager, to="revision_requested"
        )
    mail.outbox.clear()
    services.one_pager_transition(
        actor=world.user("curator"),
        one_pager=one_pager,
        to="revision_requested",
        comment="Please add the number of companies.",
    )
    assert "Please add the number of companies." in mail.outbox[0].body
    assert one_pager.comments.get().text == "Please add the number of companies."
    assert services.allowed_transitions(world.user("manager"), one_pager) == [
        "submitted",
        "withdrawn",
    ]


def test_personal_link_acts_for_its_own_one_pager_only(one_pager, world):
    invitation = one_pager.invitation
    saved = services.one_pager_save(
        actor=world.user("member"),
        one_pager=one_pager,
        data=sample("energy-audits"),
        expected_version=1,
        invitation=invitation,
    )
    assert saved.version == 2
    assert saved.versions.first().author_label == "member@example.org"


def _through_review(one_pager, world, second_curator, ratings=(GOOD, GOOD)):
    one_pager = submit(one_pager, world)
    services.reviewers_assign(
        actor=world.user("curator"),
        one_pager=one_pager,
        reviewers=[world.user("curator"), second_curator],
    )
    one_pager.refresh_from_db()
    assert one_pager.state == State.IN_REVIEW
    services.review_save(actor=world.user("curator"), one_pager=one_pager, ratings=ratings[0])
    services.review_save(actor=second_curator, one_pager=one_pager, ratings=ratings[1])
    return one_pager


def test_full_workflow_publishes_and_withdraws(one_pager, world, second_curator):
    one_pager = _through_review(one_pager, world, second_curator)
    report = services.campaign_score(actor=world.user("curator"), campaign=one_pager.campaign)
    assert report.scored == 1
    one_pager.refresh_from_db()
    scores = one_pager.scores
    assert scores["completeness"]["score"] > 0.85
    assert scores["soundness"]["reviewers"] == 2 and not scores["soundness"]["disagreement"]
    assert 0 < scores["uniqueness"]["score"] < 1
    assert scores["suggestion"]["field"] in {
        "education",
        "innovation",
        "collaboration",
        "networking",
        "growth",
    }
    assert scores["overall"]["provisional"] is False

    with pytest.raises(services.CurationError, match="not selected"):
        services.one_pager_transition(
            actor=world.user("manager"), one_pager=one_pager, to="validated"
        )
    services.selection_set(
        actor=world.user("curator"), campaign=one_pager.campaign, selected=[one_pager.pk]
    )
    one_pager.refresh_from_db()
    services.one_pager_transition(actor=world.user("manager"), one_pager=one_pager, to="validated")
    with pytest.raises(services.InvalidOnePager, match="field"):
        services.one_pager_transition(
            actor=world.user("curator"), one_pager=one_pager, to="published"
        )
    services.one_pager_set_field(
        actor=world.user("curator"), one_pager=one_pager, field_id=scores["suggestion"]["field"]
    )
    before = Practice.objects.filter(published=True).count()
    services.one_pager_transition(actor=world.user("curator"), one_pager=one_pager, to="published")
    one_pager.refresh_from_db()
    practice = Practice.objects.get(id=one_pager.practice_id)
    assert practice.published and practice.origin == "curation"
    assert practice.facts.count() == 4
    assert Practice.objects.filter(published=True).count() == before + 1
    result = catalogue.practice_search(catalogue.parse_query({"q": "energy walk-through"}))
    assert practice.id in [p.id for p in result.practices]

    services.one_pager_transition(
        actor=world.user("curator"), one_pager=one_pager, to="withdrawn", comment="outdated"
    )
    practice.refresh_from_db()
    assert not practice.published
    assert catalogue.practice_get(practice.id) is None
    result = catalogue.practice_search(catalogue.parse_query({"q": "energy walk-through"}))
    assert practice.id not in [p.id for p in result.practices]
    # Republishing keeps the id.
    services.one_pager_transition(actor=world.user("curator"), one_pager=one_pager, to="published")
    one_pager.refresh_from_db()
    assert one_pager.practice_id == practice.id
    assert catalogue.practice_get(practice.id) is not None


def test_disagreement_is_flagged(one_pager, world, second_curator):
    low = dict.fromkeys(GOOD, 1)
    one_pager = _through_review(one_pager, world, second_curator, ratings=(GOOD, low))
    one_pager.refresh_from_db()
    assert set(one_pager.scores["soundness"]["disagreement"]) == set(GOOD)


def test_only_assigned_reviewers_rate(one_pager, world, second_curator):
    one_pager = submit(one_pager, world)
    services.reviewers_assign(
        actor=world.user("curator"), one_pager=one_pager, reviewers=[world.user("curator")]
    )
    with pytest.raises(services.NotAllowed):
        services.review_save(actor=second_curator, one_pager=one_pager, ratings=GOOD)
    with pytest.raises(services.CurationError) as exc:
        services.review_save(
            actor=world.user("curator"), one_pager=one_pager, ratings={**GOOD, "clarity": 9}
        )
    assert exc.value.field == "clarity"
    with pytest.raises(services.CurationError, match="not a curator"):
        services.reviewers_assign(
            actor=world.user("curator"), one_pager=one_pager, reviewers=[world.user("manager")]
        )


def test_two_reviewers_editing_get_a_conflict_and_lose_nothing(one_pager, world, second_curator):
    one_pager = _through_review(one_pager, world, second_curator)
    version = one_pager.version
    first = dict(one_pager.data, title="Energy walk-throughs (edited by the first reviewer)")
    second = dict(one_pager.data, summary="A different summary written by the second reviewer.")
    services.one_pager_save(
        actor=world.user("curator"), one_pager=one_pager, data=first, expected_version=version
    )
    with pytest.raises(services.EditConflict) as exc:
        services.one_pager_save(
            actor=second_curator, one_pager=one_pager, data=second, expected_version=version
        )
    conflict = exc.value
    assert "Someone else saved" in conflict.message
    assert conflict.one_pager.data["title"].endswith("(edited by the first reviewer)")
    assert conflict.mine["summary"] == "A different summary written by the second reviewer."
    assert "+summary: A different summary" in conflict.diff
    kept = Version.objects.get(one_pager=one_pager, conflict=True)
    assert kept.data["summary"] == second["summary"]
    one_pager.refresh_from_db()
    assert one_pager.data["title"] == first["title"]


def test_versions_have_differences(one_pager, world):
    submit(one_pager, world)
    versions = list(one_pager.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    text = content.diff(versions[0].data, versions[1].data, names=("v1", "v2"))
    assert "+title: Energy Efficiency Walk-Throughs" in text


def test_reminders_go_to_pending_managers_only(campaign, world):
    mail.outbox.clear()
    sent = services.invitations_remind(
        actor=world.user("curator"), campaign=campaign, base_url="http://testserver"
    )
    assert sent == ["manager@example.org"]
    assert "Reminder" in mail.outbox[0].subject
    submit(campaign.one_pagers.get(), world)
    assert services.invitations_remind(actor=None, campaign=campaign, base_url="http://x") == []
    with pytest.raises(services.NotAllowed):
        services.invitations_remind(
            actor=world.user("manager"), campaign=campaign, base_url="http://x"
        )


def test_scoping(campaign, world):
    one_pager = campaign.one_pagers.get()
    assert selectors.one_pager_get(world.user("manager"), one_pager.pk) == one_pager
    assert selectors.one_pager_get(world.user("curator"), one_pager.pk) == one_pager
    assert selectors.one_pager_get(world.user("other_manager"), one_pager.pk) is None
    assert selectors.one_pager_get(world.user("member"), one_pager.pk) is None
    assert selectors.campaign_for_curator(world.user("manager"), campaign.pk) is None
    assert selectors.campaign_for_curator(world.user("admin"), campaign.pk) == campaign
