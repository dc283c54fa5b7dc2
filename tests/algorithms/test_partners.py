"""The partner ranking: competences by level, regions, types, collaboration history, reasons."""

from __future__ import annotations

from tact.algorithms.partners import Candidate, Need, Wanted, rank, region_in


def cand(i: int, name: str, levels: dict[str, int], kind: str = "sme", region: str = "AT31",
         partners: dict[int, int] | None = None, projects: int = 0) -> Candidate:  # fmt: skip
    return Candidate(i, name, kind, region, levels, partners or {}, projects)


def test_higher_level_ranks_first_and_reasons_name_levels() -> None:
    need = Need(competences=(Wanted("cnc", 3), Wanted("robotics", 1)))
    pool = [
        cand(1, "Low", {"cnc": 3}),
        cand(2, "High", {"cnc": 5, "robotics": 4}),
        cand(3, "Middle", {"cnc": 4, "robotics": 2}),
    ]
    result = rank(need, pool)
    assert [r.name for r in result] == ["High", "Middle", "Low"]
    high = result[0]
    assert [(m.code, m.level, m.met) for m in high.matches] == [
        ("cnc", 5, True),
        ("robotics", 4, True),
    ]
    assert high.competence_score == 75 * (5 + 4) / 10
    low = result[2]
    assert [(m.code, m.level, m.met) for m in low.matches] == [
        ("cnc", 3, True),
        ("robotics", 0, False),
    ]


def test_near_miss_ranks_below_a_match_and_above_nothing() -> None:
    need = Need(competences=(Wanted("cnc", 4),))
    result = rank(need, [cand(1, "Near", {"cnc": 3}), cand(2, "Match", {"cnc": 4}),
                         cand(3, "None", {"welding": 5})])  # fmt: skip
    assert [r.name for r in result] == ["Match", "Near"]
    assert result[1].matches[0].met is False
    assert result[1].competence_score == 75 * 0.25 * 3 / 5


def test_types_filter_and_regions_prefer_or_restrict() -> None:
    pool = [
        cand(1, "Uni CH", {"cnc": 3}, kind="university", region="CH022"),
        cand(2, "SME AT", {"cnc": 3}, region="AT31"),
        cand(3, "SME CH", {"cnc": 3}, region="CH022"),
    ]
    only_sme = rank(Need(competences=(Wanted("cnc"),), kinds=("sme",)), pool)
    assert {r.name for r in only_sme} == {"SME AT", "SME CH"}
    prefer = rank(Need(competences=(Wanted("cnc"),), regions=("CH02",), kinds=("sme",)), pool)
    assert [r.name for r in prefer] == ["SME CH", "SME AT"]
    assert prefer[0].region_match is True and prefer[1].region_match is False
    assert prefer[0].score - prefer[1].score == 15
    strict = rank(Need(competences=(Wanted("cnc"),), regions=("CH",), regions_only=True), pool)
    assert {r.name for r in strict} == {"Uni CH", "SME CH"}


def test_region_codes_nest_by_prefix() -> None:
    assert region_in("CH022", ["CH02"]) and region_in("ch022", ["CH"])
    assert not region_in("CH01", ["CH02"]) and not region_in("AT31", [""])


def test_joint_projects_with_known_partners_count_as_trust() -> None:
    need = Need(competences=(Wanted("cnc"),), known=frozenset({9}), exclude=frozenset({9}))
    pool = [
        cand(1, "Stranger", {"cnc": 3}, projects=8),
        cand(2, "Friend", {"cnc": 3}, partners={9: 2}, projects=2),
        cand(9, "Us", {"cnc": 5}),
    ]
    result = rank(need, pool)
    assert [r.name for r in result] == ["Friend", "Stranger"]
    assert result[0].known_partners == (9,) and result[0].joint_projects == 2
    assert result[0].history_score == round(10 * 2 / 3, 2)
    assert result[1].history_score == 0


def test_without_known_partners_experience_counts_a_little() -> None:
    result = rank(Need(competences=(Wanted("cnc"),)),
                  [cand(1, "A", {"cnc": 3}), cand(2, "B", {"cnc": 3}, projects=10)])  # fmt: skip
    assert [r.name for r in result] == ["B", "A"]
    assert result[0].history_score == 5.0


def test_ties_break_by_name_and_limit_applies() -> None:
    pool = [cand(i, name, {"cnc": 2}) for i, name in enumerate(["b", "C", "a"])]
    result = rank(Need(competences=(Wanted("cnc"),)), pool, limit=2)
    assert [r.name for r in result] == ["a", "b"]
    assert rank(Need(competences=(Wanted("cnc"),)), pool, limit=0) == []


def test_need_without_competences_ranks_by_region() -> None:
    pool = [cand(1, "AT", {}, region="AT31"), cand(2, "IT", {}, region="ITC4")]
    result = rank(Need(regions=("ITC",)), pool)
    assert [r.name for r in result] == ["IT", "AT"]
    assert result[0].matches == ()
