"""Who may open the curation pages and endpoints (collected by tests/accounts/test_permissions.py).

The sample campaign runs in region AT31, whose curator is the accounts world's curator; cluster A
is invited, and its one-pager is submitted and in review with that curator as reviewer. Cluster
B's manager, the member and visitors see nothing of it (404 or the login page).
"""

from __future__ import annotations

from typing import Any

from tests.accounts.matrix import LOGGED_IN, NOBODY, Expect

CURATORS = frozenset({"curator", "admin"})
VIEWERS = frozenset({"manager", "curator", "admin"})
REVIEWER = frozenset({"curator"})

EXPECTED: dict[str, Expect] = {
    "curation:home": Expect(LOGGED_IN, why="each sees their own campaigns and one-pagers"),
    "curation:campaign_create": Expect(CURATORS, why="regional contacts run campaigns"),
    "curation:campaign": Expect(CURATORS, why="the campaign of region AT31: its curator"),
    "curation:campaign_remind": Expect(CURATORS, method="post"),
    "curation:campaign_close": Expect(CURATORS, why="the confirmation page"),
    "curation:campaign_reopen": Expect(
        CURATORS, method="post", why="the campaign is open: 422 with the reason"
    ),
    "curation:campaign_invite": Expect(CURATORS, method="post", why="empty list: redirects"),
    "curation:ranking": Expect(CURATORS, why="the ranked table is the curator's"),
    "curation:campaign_score": Expect(CURATORS, method="post"),
    "curation:campaign_select": Expect(CURATORS, method="post"),
    "curation:campaign_import": Expect(CURATORS),
    "curation:campaign_export": Expect(CURATORS),
    "curation:form": Expect(NOBODY, why="a forged personal link is refused; a real one is the key"),
    "curation:one_pager": Expect(VIEWERS, why="cluster A's manager, the curator"),
    "curation:one_pager_edit": Expect(VIEWERS, why="in review: the page says it is closed"),
    "curation:one_pager_transition": Expect(VIEWERS, method="post", why="no state: a message"),
    "curation:one_pager_comment": Expect(VIEWERS, method="post", why="empty: a message"),
    "curation:one_pager_review": Expect(REVIEWER, method="post", why="assigned reviewers only"),
    "curation:one_pager_reviewers": Expect(CURATORS, method="post"),
    "curation:one_pager_field": Expect(CURATORS, method="post"),
    "curation:version": Expect(VIEWERS),
    "curation:compare": Expect(VIEWERS),
    "api:curation_campaigns": Expect(LOGGED_IN, why="lists only the caller's campaigns"),
    "api:curation_campaign_create": Expect(CURATORS, method="post", why="{} answers 422"),
    "api:curation_campaign": Expect(CURATORS),
    "api:curation_remind": Expect(CURATORS, method="post"),
    "api:curation_score": Expect(CURATORS, method="post"),
    "api:curation_job": Expect(CURATORS, why="the sample job was started by the curator"),
    "api:curation_close": Expect(CURATORS, method="post"),
    "api:curation_reopen": Expect(CURATORS, method="post", why="no body: 422 after the check"),
    "api:curation_ranking": Expect(CURATORS),
    "api:curation_selection": Expect(CURATORS, method="put", why="{} answers 422 after the check"),
    "api:curation_export": Expect(CURATORS),
    "api:curation_import": Expect(CURATORS, method="post", why="no file: 422 after the check"),
    "api:curation_one_pagers": Expect(LOGGED_IN, why="lists only what the caller may see"),
    "api:curation_one_pager": Expect(VIEWERS),
    "api:curation_one_pager_save": Expect(
        CURATORS, method="put", why="in review: reviewers and curators edit; the manager waits"
    ),
    "api:curation_transition": Expect(VIEWERS, method="post", why="{} answers 422"),
    "api:curation_review": Expect(REVIEWER, method="post", why="assigned reviewers only"),
    "api:curation_reviewers": Expect(CURATORS, method="post"),
    "api:curation_versions": Expect(VIEWERS),
}
# Written through the services only (checked and audited): read-only in the admin.
for _model in ("campaign", "invitation", "onepager", "version", "review", "comment"):
    for _view in ("add", "delete"):
        EXPECTED[f"admin:curation_{_model}_{_view}"] = Expect(
            NOBODY, why="written through services only: read-only in the admin"
        )


def samples(world: Any) -> dict[str, str]:
    import datetime as dt

    from django.utils import timezone

    from tact.core.models import Job
    from tact.curation import services
    from tests.curation.conftest import sample

    campaign = services.campaign_create(
        actor=None,
        name="Matrix sample",
        regions=[world.region],
        deadline=timezone.localdate() + dt.timedelta(days=30),
        invitations=[(world.cluster_a, "manager@example.org")],
    )
    one_pager = campaign.one_pagers.get()
    one_pager = services.one_pager_save(
        actor=None, one_pager=one_pager, data=sample("energy-audits"), expected_version=1
    )
    services.one_pager_transition(actor=None, one_pager=one_pager, to="submitted")
    services.reviewers_assign(actor=None, one_pager=one_pager, reviewers=[world.user("curator")])
    job = Job.objects.create(
        kind="curation.score",
        label="Score the matrix sample",
        params={"campaign_id": campaign.pk},
        owner=world.user("curator"),
    )
    return {
        "job": str(job.pk),
        "campaign_id": str(campaign.pk),
        "one_pager_id": str(one_pager.pk),
        "version_id": str(one_pager.versions.order_by("number").first().pk),
    }
