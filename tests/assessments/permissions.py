"""Who may open the assessment pages and endpoints (collected by tests/accounts/test_permissions.py).

The sample response belongs to the member's organisation in cluster A: only that organisation's
members see its answers and report. Cluster managers (and administrators) see aggregates only.
"""

from __future__ import annotations

from typing import Any

from tests.accounts.matrix import LOGGED_IN, Expect

MEMBER = frozenset({"member"})
OWNERS = frozenset({"manager", "admin"})

EXPECTED: dict[str, Expect] = {
    "assessments:home": Expect(LOGGED_IN),
    "assessments:start": Expect(MEMBER, why="only members answer for their organisation"),
    "assessments:answer": Expect(MEMBER, why="answers: the organisation's members only"),
    "assessments:report": Expect(MEMBER, why="reports: the organisation's members only"),
    "assessments:export": Expect(LOGGED_IN, why="each downloads their own data (maybe none)"),
    "assessments:delete": Expect(MEMBER, method="post", why="without confirmation it redirects"),
    "assessments:benchmark": Expect(LOGGED_IN, why="k-anonymous aggregates only"),
    "assessments:cluster": Expect(OWNERS, why="cluster A's aggregates: its manager"),
    "assessments:cluster_csv": Expect(OWNERS),
    "api:assessments_models": Expect(LOGGED_IN),
    "api:assessments_responses": Expect(LOGGED_IN, why="lists only the caller's own"),
    "api:assessments_response": Expect(MEMBER),
    "api:assessments_benchmark": Expect(LOGGED_IN),
}


def answers_all(level: int) -> dict[str, Any]:
    from tact.assessments.definitions import items
    from tact.assessments.models import AssessmentModel

    model = AssessmentModel.objects.get(pk="industrie40")
    return {i["id"]: {"current": level, "target": level + 1} for i in items(model.definition)}


def samples(world: Any) -> dict[str, str]:
    from tact.assessments import services
    from tact.assessments.models import AssessmentModel

    services.model_load()
    model = AssessmentModel.objects.get(pk="industrie40")
    response = services.response_start(
        actor=None,
        organisation=world.organisation,
        model=model,
        sector="machinery",
        size_class="small",
        region="AT31",
    )
    services.response_save(actor=None, response=response, answers=answers_all(2), submit=True)
    return {
        "response_id": str(response.pk),
        "respondent_id": str(response.respondent_id),
        "model_id": "industrie40",
    }
