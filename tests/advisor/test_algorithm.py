"""The advisor algorithm on hand-computed cases, the real toolbox and synthetic data (no DB)."""

from __future__ import annotations

import random
from functools import cache

import numpy as np
import pytest

from tact.algorithms import advisor as a
from tact.catalogue.records import read_toolbox


def practice(pid: str, **kw: object) -> a.PracticeFeatures:
    base: dict[str, object] = {"field": "f1", "objectives": ("a",), "target_groups": ("smes",),
                               "sectors": ("energy",), "formats": ("event",)}  # fmt: skip
    base.update(kw)
    return a.PracticeFeatures(id=pid, **base)  # type: ignore[arg-type]


def profile(**kw: object) -> a.Profile:
    base: dict[str, object] = {
        "objectives": {"a": 3, "b": 1}, "target_groups": ("smes",), "stage": "growing",
        "management_fte": 2.0, "budget_eur": 50_000.0, "sectors": ("energy",), "members": 10,
    }  # fmt: skip
    base.update(kw)
    return a.Profile(**base)  # type: ignore[arg-type]


@cache
def toolbox_features() -> list[a.PracticeFeatures]:
    box = read_toolbox()
    units = box.vocabulary["units"]
    return [a.features_from_record(r, units) for r in box.practices]


def test_weights_add_up_to_one() -> None:
    assert sum(a.WEIGHTS.values()) == pytest.approx(1.0)


def test_hand_computed_score() -> None:
    p1 = practice("p1", staff_persons=2.0, duration_months=1.0)
    total, factors, est = a.score_practice(profile(), p1)
    values = {f.name: f.value for f in factors}
    # Objectives: best 3/3 * .5 + breadth 3/4 * .25 + focus 3/3 * .25.
    assert values["objectives"] == pytest.approx(0.9375)
    assert values["complementarity"] == 1.0  # nothing runs yet, new field
    assert values["target_groups"] == 1.0
    # 2 persons x 0.25 FTE = 0.5 FTE <= half of 2 FTE; 30,000 EUR <= 50,000 EUR; 1 month.
    assert est.fte == pytest.approx(0.5)
    assert est.cost_per_year_eur == pytest.approx(30_000)
    assert values["resources"] == 1.0
    assert values["sector"] == 1.0
    # Complexity .5*.2 + .2*.5 + .15*(1/12) = .2125; growing targets .5: 1 - .2875*1.25.
    assert est.complexity == pytest.approx(0.2125)
    assert values["stage"] == pytest.approx(0.640625)
    assert values["scope"] == 1.0
    assert total == pytest.approx(0.95609375)
    assert all(f.why for f in factors)


def test_resources_scale_down_when_the_cluster_is_small() -> None:
    p1 = practice("p1", staff_persons=4.0)  # 1 FTE, 60,000 EUR a year
    _t, factors, _e = a.score_practice(profile(management_fte=1.0, budget_eur=30_000.0), p1)
    resources = next(f for f in factors if f.name == "resources")
    # staff .5/1 -> .5; cost 30k/60k -> .5; duration and member base fit.
    assert resources.value == pytest.approx(0.4 * 0.5 + 0.4 * 0.5 + 0.1 + 0.1)
    assert any("FTE" in h for h in resources.hints)
    assert any("EUR" in h for h in resources.hints)


def test_a_practice_already_run_scores_zero_on_complementarity() -> None:
    running = a.CurrentService("Our event", "f1", ("a",), practice_id="p1")
    prof = profile(current_services=(running,))
    _t, factors, _e = a.score_practice(prof, practice("p1"))
    assert next(f for f in factors if f.name == "complementarity").value == 0.0
    # A different practice for the same objective is also low, one for a gap is high.
    _t, same, _e = a.score_practice(prof, practice("p2"))
    _t, gap, _e = a.score_practice(prof, practice("p3", objectives=("b",), field="f2"))
    assert next(f for f in same if f.name == "complementarity").value == 0.0
    assert next(f for f in gap if f.name == "complementarity").value == 1.0


def test_sector_relatedness() -> None:
    assert a._sector_value(("energy",), ("energy",)) == a.SECTOR_SAME
    assert a._sector_value(("energy",), ("construction",)) == a.SECTOR_RELATED
    assert a._sector_value(("construction",), ("energy",)) == a.SECTOR_RELATED  # symmetric
    assert a._sector_value(("energy",), ("cross-sector",)) == a.SECTOR_UNIVERSAL
    assert a._sector_value(("energy",), ("food",)) == a.SECTOR_OTHER
    assert a._sector_value((), ("food",)) == a.NEUTRAL


def test_stage_fit_prefers_light_services_for_emerging_clusters() -> None:
    light = practice("light", formats=("event",))
    heavy = practice("heavy", formats=("competence-centre",), staff_persons=4.0,
                     duration_months=24.0, cross_cluster=True)  # fmt: skip
    for stage, winner in (("emerging", "light"), ("mature", "heavy")):
        prof = profile(stage=stage, management_fte=20.0, budget_eur=1e6)
        values = {
            p.id: next(f for f in a.score_practice(prof, p)[1] if f.name == "stage").value
            for p in (light, heavy)
        }
        assert max(values, key=values.__getitem__) == winner


def test_ties_are_broken_by_id_and_ranking_is_deterministic() -> None:
    ps = [practice("c"), practice("a"), practice("b")]
    first = a.recommend(profile(), ps)
    assert isinstance(first, list)
    assert [r.practice_id for r in first] == ["a", "b", "c"]
    assert [r.rank for r in first] == [1, 2, 3]
    again = a.recommend(profile(), list(reversed(ps)))
    assert isinstance(again, list)
    assert [(r.practice_id, r.score) for r in again] == [(r.practice_id, r.score) for r in first]


def test_limits_exclude_with_a_reason() -> None:
    cheap = practice("cheap", staff_persons=1.0)  # 15,000 EUR a year
    dear = practice("dear", staff_persons=4.0)  # 60,000 EUR a year, 4 persons
    other = practice("other", field="f2")
    ranking = a.rank(profile(), [cheap, dear, other], a.Limits(max_cost_eur=20_000, fields=("f1",)))
    assert [r.practice_id for r in ranking.recommendations] == ["cheap"]
    reasons = {e.practice_id: e for e in ranking.excluded}
    assert reasons["dear"].limit == "max_cost_eur" and "20,000" in reasons["dear"].reason
    assert reasons["other"].limit == "fields"
    staff = a.rank(profile(), [cheap, dear], a.Limits(max_staff=2))
    assert [r.practice_id for r in staff.recommendations] == ["cheap"]
    assert staff.excluded[0].limit == "max_staff"


def test_nothing_fits_explains_the_binding_limits() -> None:
    ps = [practice("p1", staff_persons=2.0), practice("p2", staff_persons=3.0, field="f2")]
    result = a.recommend(profile(), ps, a.Limits(max_cost_eur=1_000))
    assert isinstance(result, a.NoFit)
    (reason,) = result.reasons
    assert reason.limit == "max_cost_eur" and reason.excluded == 2
    assert reason.relax_to == 30_000  # the cheapest: 2 persons x .25 FTE x 60,000 EUR
    assert "30,000" in result.message
    both = a.recommend(profile(), ps, a.Limits(max_staff=1, fields=("f2",)))
    assert isinstance(both, a.NoFit)
    assert {r.limit for r in both.reasons} == {"max_staff", "fields"}
    assert all(r.message for r in both.reasons)
    empty = a.recommend(profile(), [])
    assert isinstance(empty, a.NoFit) and empty.reasons[0].limit == "toolbox"


def test_every_recommendation_explains_every_factor() -> None:
    result = a.recommend(profile(objectives={"rd-support": 3}), toolbox_features())
    assert isinstance(result, list) and len(result) == 23
    for rec in result:
        assert [f.name for f in rec.factors] == list(a.WEIGHTS)
        assert all(0.0 <= f.value <= 1.0 and f.why for f in rec.factors)
        assert rec.score == pytest.approx(sum(f.contribution for f in rec.factors))


def random_profile(rng: random.Random, objective_ids: list[str], groups: list[str]) -> a.Profile:
    return a.Profile(
        sectors=tuple(rng.sample(["energy", "food", "ict", "mechatronics", "cross-sector"], 2)),
        stage=rng.choice(a.STAGES),
        members=rng.randint(0, 200),
        share_smes=rng.random(),
        share_large=rng.random() / 3,
        share_research=rng.random() / 3,
        share_public=rng.random() / 5,
        management_fte=rng.choice([0.0, 0.5, 1.0, 3.0]),
        budget_eur=rng.choice([0.0, 5_000.0, 50_000.0]),
        objectives={o: rng.randint(0, 3) for o in rng.sample(objective_ids, 5)},
        target_groups=tuple(rng.sample(groups, rng.randint(0, 3))),
        cross_border=rng.random() < 0.5,
        current_services=(
            a.CurrentService("x", "growth", tuple(rng.sample(objective_ids, 2)), "growth-2"),
        ),
    )


def test_vectorised_scores_equal_the_per_practice_reference() -> None:
    features = toolbox_features()
    matrix = a.PracticeMatrix(features)
    objective_ids = sorted({o for p in features for o in p.objectives})
    groups = sorted({g for p in features for g in p.target_groups})
    rng = random.Random(4)
    for _ in range(40):
        prof = random_profile(rng, objective_ids, groups)
        vector = matrix.scores(prof)
        reference = np.array([a.score_practice(prof, p)[0] for p in features])
        np.testing.assert_allclose(vector, reference, atol=1e-9)
        ranked = [r.practice_id for r in a.rank(prof, matrix).recommendations]
        assert ranked == [pid for pid, _s in a.recommend_naive(prof, features)]


def test_features_from_records() -> None:
    by_id = {p.id: p for p in toolbox_features()}
    assert by_id["collaboration-1"].preparation_months == 4
    assert by_id["collaboration-1"].fee_eur == 3000
    assert by_id["collaboration-3"].cost_eur == 50_000  # each cluster's share
    assert by_id["networking-3"].effort_fte == 1
    assert by_id["networking-6"].effort_fte == pytest.approx(400 / 1720)  # person-hours
    assert by_id["growth-2"].member_participants == 40
    assert by_id["growth-3"].duration_months == 9
    assert by_id["education-1"].cross_border is True


def test_gap_analysis_weights_coverage_by_priority() -> None:
    objectives = [
        a.Objective("a", "f1", "A"),
        a.Objective("b", "f1", "B"),
        a.Objective("c", "f2", "C"),
    ]
    prof = profile(
        objectives={"a": 3, "b": 1, "c": 2},
        current_services=(a.CurrentService("Ours", "f1", ("a",)),),
    )
    ps = [practice("p1", objectives=("b",)), practice("p2", objectives=("c", "b"), field="f2"),
          practice("p3", objectives=("c",))]  # fmt: skip
    result = a.gaps(prof, objectives, ps)
    assert result.coverage == pytest.approx(3 / 6)
    fields = {f.field: f for f in result.fields}
    assert fields["f1"].coverage == pytest.approx(3 / 4) and fields["f2"].coverage == 0
    assert [g.objective.id for g in result.gaps] == ["c", "b"]  # priority 2 before 1
    gap_c = result.gaps[0]
    assert set(gap_c.candidates) == {"p2", "p3"}
    assert next(o for o in result.objectives if o.objective.id == "a").services == ("Ours",)


def plan_for(pid: str, prof: a.Profile | None = None) -> a.ServicePlan:
    box = read_toolbox()
    units = box.vocabulary["units"]
    texts = [a.practice_text_from_record(r, units) for r in box.practices]
    record = next(r for r in box.practices if r["id"] == pid)
    text = next(t for t in texts if t.features.id == pid)
    return a.plan(
        prof or profile(), text, a.facts_from_record(record["facts"], units), toolbox=texts
    )


def test_plan_of_innovation_days_has_four_months_preparation() -> None:
    plan = plan_for("collaboration-1")
    prep = plan.phases[0]
    assert prep.end_month == 4 and "Preparation time" in prep.basis
    assert plan.fees and "3,000–4,000" in plan.fees[0]
    assert plan.staffing_persons == 2
    assert plan.contacts[0][0] == "Iris Reingruber"
    assert any(f.from_practice != "collaboration-1" for f in plan.funding)
    assert plan.checklist[0].startswith("Clearly defining")


def test_plan_of_the_mentoring_cycle_places_its_events() -> None:
    plan = plan_for("education-1")
    delivery = plan.phases[1]
    assert delivery.end_month - delivery.start_month == 9
    milestones = {m.name: m.month for m in plan.milestones}
    assert milestones["Kick-off event"] == delivery.start_month
    assert milestones["Mid-term workshop"] == pytest.approx(delivery.start_month + 4.5)
    assert milestones["Closing event"] == delivery.end_month
    assert any("not stated" in x for x in plan.assumptions)  # preparation assumed, and said so


def test_plan_runs_phases_in_sequence_and_states_risks() -> None:
    plan = plan_for("growth-3", profile(management_fte=0.5, budget_eur=1_000.0))
    names = [p.name for p in plan.phases]
    assert names[1] == "Acceleration phase" and names[2] == "Post-acceleration phase"
    assert plan.phases[2].start_month == pytest.approx(plan.phases[1].end_month)
    assert any(r.startswith("Staffing") for r in plan.risks)
    assert any(r.startswith("Budget") for r in plan.risks)
    text = a.plan_markdown(plan)
    for heading in ("## Phases and timeline", "## Staffing", "## Budget estimate", "## Funding options",
                    "## Checklist of success factors", "## Risks", "## KPIs to track",
                    "## Contact reference", "## Assumptions"):  # fmt: skip
        assert heading in text
