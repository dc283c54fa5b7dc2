"""Scoring, key figures and peer statistics against figures computed by hand."""

from __future__ import annotations

import itertools

import pytest

from tact.algorithms import assessment as algo
from tact.assessments.definitions import DATA_DIR, maturity_model, read

I40 = read(DATA_DIR / "industrie40.yaml")
MODEL = maturity_model(I40)
FIELDS = {d.id: [f.items[0].id for f in d.fields] for d in MODEL.dimensions}


def answers(levels: dict[str, list[object]]) -> dict[str, algo.Answer]:
    out: dict[str, algo.Answer] = {}
    for dim, values in levels.items():
        for item, value in zip(FIELDS[dim], values, strict=True):
            out[item] = value  # type: ignore[assignment]
    return out


def test_the_shipped_model_has_the_impuls_structure():
    assert [d.id for d in MODEL.dimensions] == [
        "strategy",
        "factory",
        "operations",
        "products",
        "services",
        "employees",
    ]
    assert [d.weight for d in MODEL.dimensions] == [25, 14, 10, 19, 14, 18]
    assert sum(len(d.fields) for d in MODEL.dimensions) == 18
    assert all(d.aggregation == "minimum" for d in MODEL.dimensions)
    assert (MODEL.min_level, MODEL.max_level) == (0, 5)


def test_dimension_is_the_minimum_and_overall_the_weighted_mean():
    # strategy min(5,4,4)=4, factory min(1,2,1,3)=1, operations 2, products min(0,1)=0,
    # services 3, employees min(2,5)=2 -> (25*4 + 14*1 + 10*2 + 19*0 + 14*3 + 18*2) / 100 = 2.12
    s = algo.score(
        MODEL,
        answers(
            {
                "strategy": [5, 4, 4],
                "factory": [1, 2, 1, 3],
                "operations": [2, 2, 2, 2],
                "products": [0, 1],
                "services": [3, 3, 3],
                "employees": [2, 5],
            }
        ),
    )
    assert [d.level for d in s.dimensions] == [4, 1, 2, 0, 3, 2]
    assert s.overall == pytest.approx(2.12)
    assert s.group == "learner"
    assert s.answered == 18 and not s.missing


def test_one_weak_field_pulls_its_dimension_down():
    # everything 3 but one smart-factory field at 2: (300 - 14) / 100 = 2.86, still a learner
    levels = {d: [3] * len(f) for d, f in FIELDS.items()}
    levels["factory"] = [4, 2, 3, 3]
    s = algo.score(MODEL, answers(levels))
    assert s.overall == pytest.approx(2.86)
    assert s.group == "learner"


@pytest.mark.parametrize(
    ("level", "group"),
    [(0, "newcomer"), (1, "newcomer"), (2, "learner"), (3, "leader"), (4, "leader"), (5, "leader")],
)
def test_groups(level, group):
    s = algo.score(MODEL, answers({d: [level] * len(f) for d, f in FIELDS.items()}))
    assert s.overall == pytest.approx(level)
    assert s.group == group


def test_not_relevant_items_are_left_out_and_weights_renormalised():
    levels = {d: [3] * len(f) for d, f in FIELDS.items()}
    levels["products"] = ["n/a", "n/a"]
    levels["services"] = [0, 4, "n/a"]
    # services min(0,4)=0; products left out: (25*3 + 14*3 + 10*3 + 14*0 + 18*3) / 81 = 201/81
    s = algo.score(MODEL, answers(levels))
    assert s.level_of("products") is None
    assert s.level_of("services") == 0
    assert s.overall == pytest.approx(201 / 81)
    assert s.not_relevant == 3


def test_mean_and_weighted_aggregation():
    model = algo.MaturityModel(
        dimensions=(
            algo.Dimension(
                "a",
                (
                    algo.MField("x", (algo.Item("x1"),)),
                    algo.MField("y", (algo.Item("y1"),)),
                    algo.MField("z", (algo.Item("z1"),), weight=2),
                ),
                aggregation="mean",
            ),
            algo.Dimension(
                "b",
                (
                    algo.MField("x", (algo.Item("b1"),)),
                    algo.MField("z", (algo.Item("b2"),), weight=2),
                ),
                aggregation="weighted",
                weight=3,
            ),
        )
    )
    s = algo.score(model, {"x1": 1, "y1": 2, "z1": 4, "b1": 1, "b2": 4})
    assert s.level_of("a") == pytest.approx(7 / 3)
    assert s.level_of("b") == pytest.approx((1 + 8) / 3)
    assert s.overall == pytest.approx((7 / 3 + 3 * 3) / 4)


def test_bad_answers_name_the_item():
    with pytest.raises(algo.AnswerError) as err:
        algo.score(MODEL, {"strategy.strategy": 9})
    assert err.value.item == "strategy.strategy"
    with pytest.raises(algo.AnswerError) as err:
        algo.score(MODEL, {"nope": 1})
    assert err.value.item == "nope"


def test_gap_from_current_to_target():
    cur = algo.score(MODEL, answers({d: [1] * len(f) for d, f in FIELDS.items()}))
    tgt = algo.score(MODEL, answers({d: [3] * len(f) for d, f in FIELDS.items()}))
    assert {g.gap for g in algo.gaps(cur, tgt)} == {2}


HR = {
    "headcount_start": 100,
    "headcount_end": 120,
    "leavers": 11,
    "new_hires": 30,
    "new_hires_from_abroad": 6,
    "leavers_moved_out_of_region": 2,
    "management_positions": 12,
    "women_in_management": 3,
    "training_days": 330,
    "vacancies_filled": 20,
    "days_to_fill_total": 900,
    "absence_days": 1100,
    "working_days_per_employee": 220,
    "hr_staff_fte": 1.65,
}


def test_hr_key_figures_by_hand():
    f = {k: v.value for k, v in algo.hr_figures(HR).items()}
    assert f["staff_turnover"] == pytest.approx(10.0)  # 11 / 110 * 100 (BDA)
    assert f["women_in_management"] == pytest.approx(25.0)
    assert f["training_days_per_employee"] == pytest.approx(3.0)
    assert f["time_to_fill"] == pytest.approx(45.0)
    assert f["absence_rate"] == pytest.approx(1100 / (110 * 220) * 100)
    assert f["hires_from_abroad"] == pytest.approx(20.0)
    assert f["brain_drain"] == pytest.approx(200 / 11)
    assert f["hr_staff_per_100"] == pytest.approx(1.5)
    assert "leavers" in algo.hr_figures(HR)["staff_turnover"].formula


def test_zero_denominators_give_no_figure():
    f = algo.hr_figures({**HR, "leavers": 0, "leavers_moved_out_of_region": 0})
    assert f["brain_drain"].value is None
    assert f["staff_turnover"].value == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"leavers": 200}, "leavers"),
        ({"headcount_end": -1}, "headcount_end"),
        ({"women_in_management": 13}, "women_in_management"),
        ({"new_hires_from_abroad": 31}, "new_hires_from_abroad"),
        ({"leavers_moved_out_of_region": 12}, "leavers_moved_out_of_region"),
        ({"absence_days": 10**6}, "absence_days"),
        ({"leavers": "eleven"}, "leavers"),
        ({"leavers": 1.5}, "leavers"),
        ({"training_days": float("nan")}, "training_days"),
        ({"hr_staff_fte": None}, "hr_staff_fte"),
        ({"bogus": 1}, "bogus"),
    ],
)
def test_implausible_entries_are_refused_naming_the_field(change, field):
    with pytest.raises(algo.PlausibilityError) as err:
        algo.hr_figures({**HR, **change})
    assert field in [p.field for p in err.value.problems]


def test_quantiles_and_rank():
    assert algo.quantile([1, 2, 3, 4], 0.5) == 2.5
    assert algo.quantile([1, 2, 3, 4], 0.25) == 1.75
    assert algo.percentile_rank(below=2, equal=1, n=5) == 50
    stats = algo.group_stats([5, 1, 3, 2, 4], k=5, own=3, edges=[0, 2, 4])
    assert stats.shown and stats.percentiles[50] == 3 and stats.rank == 50
    assert stats.histogram == {"0–2": 1, "2–4": 2, "≥4": 2}


def test_small_groups_show_nothing():
    assert not algo.group_stats([1, 2, 3, 4], k=5).shown
    assert algo.group_stats([1, 2, 3, 4], k=5).percentiles == {}
    with pytest.raises(ValueError, match="at least 3"):
        algo.check_k(2)


def test_differences_below_k_are_refused():
    assert algo.may_show(6, 5, [11])  # 5 left outside
    assert algo.may_show(6, 5, [6])  # the filter changed nothing
    assert not algo.may_show(6, 5, [8])  # 2 companies could be singled out by subtraction


def test_no_subtraction_of_two_shown_groups_isolates_fewer_than_k():
    # Any nested pair of shown groups differs by 0 or at least k.
    import random

    rnd = random.Random(4)
    rows = [(rnd.choice("ab"), rnd.choice("xyz")) for _ in range(40)]
    k = 5

    def n(sector, region):
        return sum(1 for s, r in rows if sector in (None, s) and region in (None, r))

    for sector, region in itertools.product([None, "a", "b"], [None, "x", "y", "z"]):
        parents = [n(None, region)] if sector else []
        parents += [n(sector, None)] if region else []
        if algo.may_show(n(sector, region), k, parents):
            assert n(sector, region) >= k
            assert all(p - n(sector, region) in (0,) or p - n(sector, region) >= k for p in parents)


def test_round_labels():
    assert algo.round_label(2026, 1) == "2026"
    assert algo.round_label(2026, 2) == "2026–2027"
    assert algo.round_label(2027, 2) == "2026–2027"
    assert algo.size_class(9) == "micro" and algo.size_class(250) == "large"


def test_statistics_from_counts_equal_those_from_values():
    import random
    from collections import Counter

    rnd = random.Random(3)
    for _ in range(200):
        values = [
            rnd.choice([0.0, 1.0, 1.5, 2.12, 3.0, 4.7, 5.0]) for _ in range(rnd.randint(1, 40))
        ]
        own = rnd.choice([*values, 2.5])
        counts = sorted(Counter(values).items())
        a = algo.group_stats(values, k=3, own=own, edges=[0, 2, 4])
        b = algo.group_stats_from_counts(counts, k=3, own=own, edges=[0, 2, 4])
        assert a.shown == b.shown and a.n == b.n
        if a.shown:
            assert a.percentiles == pytest.approx(b.percentiles)
            assert a.rank == pytest.approx(b.rank)
            assert a.histogram == b.histogram
