"""The accounts world (tests/accounts/conftest.py), the assessment models and a peer population."""

from __future__ import annotations

import random
from typing import Any

import pytest

from tact.accounts.models import Organisation
from tact.assessments import services
from tact.assessments.definitions import items
from tact.assessments.models import AssessmentModel, Response
from tests.accounts.conftest import world  # noqa: F401  (a fixture)

PASSWORD = "Mountain-Cluster-2026"


@pytest.fixture
def models(db: Any) -> dict[str, AssessmentModel]:
    services.model_load()
    return {m.pk: m for m in AssessmentModel.objects.all()}


def maturity_answers(model: AssessmentModel, level: int, target: int | None = None) -> dict:
    return {
        i["id"]: {"current": level, "target": level if target is None else target}
        for i in items(model.definition)
    }


def add_respondent(
    model: AssessmentModel,
    cluster: Any,
    name: str,
    *,
    sector: str = "machinery",
    size_class: str = "small",
    region: str = "AT31",
    level: int = 2,
    answers: dict | None = None,
) -> Response:
    org = Organisation.objects.create(cluster=cluster, name=name)
    response = services.response_start(
        actor=None,
        organisation=org,
        model=model,
        sector=sector,
        size_class=size_class,
        region=region,
    )
    services.response_save(
        actor=None,
        response=response,
        answers=answers or maturity_answers(model, level),
        submit=True,
    )
    return response


@pytest.fixture
def peers(world, models) -> list[Response]:  # noqa: F811
    """24 submitted Industrie 4.0 responses in cluster A, spread over groups."""
    rnd = random.Random(8)
    out = []
    for i in range(24):
        out.append(
            add_respondent(
                models["industrie40"],
                world.cluster_a,
                f"Peer {i}",
                sector=["machinery", "automotive"][i % 2],
                size_class=["small", "medium", "large"][i % 3],
                region=["AT31", "AT32"][i % 4 // 3],
                level=rnd.randint(0, 5),
            )
        )
    return out
