"""Consortium builder: small instances checked against brute force, rule checks, explanations."""

from __future__ import annotations

import itertools
import random

import pytest

from tact.algorithms.consortium import (
    ACADEMIC,
    INDUSTRIAL,
    Call,
    Candidate,
    Collaboration,
    CompetenceRequirement,
    RegionRule,
    TypeRule,
    Weights,
    build,
    check,
    describe_rule,
    evaluate,
    explain_infeasible,
    greedy,
)

TYPES = ["sme", "sme", "sme", "large", "university", "research", "public", "other"]


def innovation1(**kw: object) -> Call:
    base: dict[str, object] = {
        "name": "innovation-1",
        "min_partners": 4,
        "max_partners": 6,
        "type_rules": (TypeRule("industrial", INDUSTRIAL, 3),),
        "region_rules": (
            RegionRule(
                "Fribourg",
                ("CH022",),
                min_share=0.5,
                among=INDUSTRIAL,
                among_label="industrial partners",
            ),
        ),
        "min_academic": 1,
        "min_industry_budget_share": 0.35,
        "required_competences": (CompetenceRequirement("a", 3), CompetenceRequirement("b", 2)),
    }
    base.update(kw)
    return Call(**base)  # type: ignore[arg-type]


def random_registry(
    seed: int, n: int, comps: str = "abcd"
) -> tuple[list[Candidate], list[Collaboration]]:
    rng = random.Random(seed)
    orgs = []
    for i in range(n):
        t = rng.choice(TYPES)
        orgs.append(
            Candidate(
                f"o{i}",
                f"Org {i}",
                t,
                rng.choice(["CH022", "CH021", "CH0221", "DE111"]),
                {c: rng.randint(1, 5) for c in comps if rng.random() < 0.4},
                float(rng.choice([0, 10_000, 50_000, 120_000, 400_000])),
            )
        )
    collabs = [
        Collaboration(f"o{a}", f"o{b}", rng.randint(1, 4))
        for a, b in itertools.combinations(range(n), 2)
        if rng.random() < 0.15
    ]
    return orgs, collabs


def brute_force(call: Call, orgs: list[Candidate], collabs: list[Collaboration]) -> int | None:
    best = None
    mand = [o for o in orgs if o.id in call.mandatory]
    rest = [o for o in orgs if o.id not in call.mandatory]
    for size in range(call.min_partners, call.max_partners + 1):
        for combo in itertools.combinations(rest, size - len(mand)):
            members = [*mand, *combo]
            if check(call, members).eligible:
                v = evaluate(call, members, collabs).total
                best = v if best is None else max(best, v)
    return best


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("applicant", [True, False])
def test_build_matches_brute_force(seed: int, applicant: bool) -> None:
    orgs, collabs = random_registry(seed, 13)
    app = next((o.id for o in orgs if o.type == "sme"), None)
    call = innovation1(mandatory=(app,) if applicant and app else ())
    expected = brute_force(call, orgs, collabs)
    res = build(call, orgs, collabs, top=2, time_limit=10, workers=2)
    if expected is None:
        assert res.consortia == ()
        assert res.status == "infeasible"
        assert res.blockers
        return
    best = res.consortia[0]
    assert res.status == "optimal"
    assert best.objective == expected == res.bound
    assert best.report.eligible
    assert best.breakdown.total == best.objective
    members = [m.candidate for m in best.members]
    assert evaluate(call, members, collabs).total == best.objective
    if applicant and app:
        assert best.members[0].candidate.id == app
        assert best.members[0].roles[0].kind == "coordinator"
    if len(res.consortia) > 1:
        assert set(res.consortia[1].ids) != set(best.ids)
        assert res.consortia[1].objective <= best.objective
        assert res.consortia[1].report.eligible


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("per_class", [1, None])
def test_prefilter_keeps_the_optimum(seed: int, per_class: int | None) -> None:
    """Many near-identical organisations and tiny per-class quotas force the dominance cut and
    the phantom relaxation (with pool expansion) to do the work; the optimum must survive."""
    rng = random.Random(100 + seed)
    orgs, collabs = random_registry(seed, 12, comps="ab")
    # clones: same class, slightly worse or equal, so dominance applies
    sources = rng.sample(orgs, 2)
    for i in range(16):
        src = sources[i % 2]
        orgs.append(
            Candidate(
                f"c{i}",
                f"Clone {i}",
                src.type,
                src.region,
                {k: max(1, v - rng.randint(0, 1)) for k, v in src.competences.items()},
                src.budget,
            )
        )
    app = next(o.id for o in orgs if o.type == "sme")
    call = innovation1(mandatory=(app,), max_partners=5)
    res = build(call, orgs, collabs, top=1, time_limit=10, workers=2, per_class=per_class)
    expected = brute_force(call, orgs, collabs)
    if expected is None:
        assert res.status == "infeasible"
        return
    assert res.consortia[0].objective == expected
    assert res.status == "optimal"
    if per_class is None:
        assert res.stats["dominated"] > 0


def test_phantom_relaxation_without_applicant() -> None:
    orgs, collabs = random_registry(3, 14)
    call = innovation1()
    expected = brute_force(call, orgs, collabs)
    res = build(call, orgs, collabs, top=1, time_limit=10, workers=2, per_class=1)
    assert res.consortia[0].objective == expected
    assert res.status == "optimal"


def fribourg_world() -> tuple[list[Candidate], list[Collaboration]]:
    orgs = [
        Candidate("app", "Applicant SA", "sme", "CH022", {"a": 4}, 200_000),
        Candidate("s1", "Bolt AG", "sme", "CH021", {"b": 3}, 100_000),
        Candidate("s2", "Frigo Sàrl", "sme", "CH022", {"b": 5}, 80_000),
        Candidate("l1", "Big Corp", "large", "DE111", {"a": 5}, 500_000),
        Candidate("u1", "HEIA-FR", "university", "CH022", {"a": 3, "b": 4}, 300_000),
        Candidate("r1", "Lab Institute", "research", "CH040", {"b": 2}, 150_000),
    ]
    collabs = [Collaboration("app", "u1", 5), Collaboration("app", "s2", 1)]
    return orgs, collabs


def test_check_messages_are_plain() -> None:
    orgs, _ = fribourg_world()
    by = {o.id: o for o in orgs}
    call = innovation1(mandatory=("app",), forbidden_pairs=(("s1", "l1"),))
    rep = check(call, [by["app"], by["s1"], by["u1"]])
    assert not rep.eligible
    msgs = {c.key: c.message for c in rep.checks}
    assert (
        msgs["type:0"] == "2 industrial partners (large company, SME); the call needs at least 3."
    )
    assert msgs["partners"] == "3 partners; the call needs at least 4."
    assert "1 of 2 industrial partners from Fribourg (CH022) (50 %)" in msgs["region:0"]
    assert msgs["academic"].startswith("1 academic partner ")
    assert "Industry provides 50 %" in msgs["budget"]
    assert msgs["competence:a"].startswith("a covered at level 4 by Applicant SA")
    assert msgs["mandatory:app"] == "Applicant SA (the applicant) is in."
    failing = {c.key for c in rep.failures}
    assert failing == {"partners", "type:0"}

    rep = check(call, [by["app"], by["s1"], by["l1"], by["u1"], by["s2"]])
    assert rep.eligible is False
    assert [c.key for c in rep.failures] == ["forbidden:s1|l1"]
    assert "both in" in rep.failures[0].message


def test_region_share_counts_only_the_group_and_prefixes() -> None:
    orgs, _ = fribourg_world()
    by = {o.id: o for o in orgs}
    call = innovation1()
    # 3 industrial: app (CH022), s1 (CH021), l1 (DE111): 1 of 3 < 50 %
    rep = check(call, [by["app"], by["s1"], by["l1"], by["u1"]])
    assert [c.key for c in rep.failures] == ["region:0"]
    # a sub-region code (CH0221) still matches the CH022 prefix
    sub = Candidate("s3", "Sub", "sme", "ch0221", {}, 90_000)
    rep = check(call, [by["app"], by["s1"], by["l1"], by["u1"], sub])
    assert rep.eligible


def test_budget_share_rule() -> None:
    orgs, _ = fribourg_world()
    by = {o.id: o for o in orgs}
    rich_uni = Candidate("u2", "Rich Uni", "university", "CH022", {"a": 5, "b": 5}, 5_000_000)
    call = innovation1()
    rep = check(call, [by["app"], by["s2"], by["s1"], rich_uni])
    assert [c.key for c in rep.failures] == ["budget"]
    assert "the call needs at least 35 %" in rep.failures[0].message
    zero = [Candidate(o.id, o.name, o.type, o.region, o.competences, 0) for o in orgs]
    rep = check(call, zero[:5])
    assert "budget" in {c.key for c in rep.failures}


def test_build_explains_roles_and_breakdown() -> None:
    orgs, collabs = fribourg_world()
    call = innovation1(mandatory=("app",))
    res = build(call, orgs, collabs, top=3, time_limit=5, workers=2)
    best = res.consortia[0]
    assert res.status == "optimal" and best.gap == 0.0
    roles = {m.candidate.id: [r.kind for r in m.roles] for m in best.members}
    assert roles["app"][0] == "coordinator"
    assert "academic" in roles["u1"]
    assert "connector" in roles["u1"]  # worked with the applicant
    assert any(
        r.kind == "competence" and r.params["competence"] == "a"
        for m in best.members
        for r in m.roles
    )
    names = [t.name for t in best.breakdown.terms]
    assert names == ["coverage", "trust", "sectors", "small_group"]
    trust = best.breakdown.terms[1]
    # applicant-u1 tie of 5 projects counts 3 for each of them
    assert trust.value >= 6
    assert len({frozenset(c.ids) for c in res.consortia}) == len(res.consortia)


def test_weights_change_the_choice() -> None:
    orgs, collabs = fribourg_world()
    lean = build(innovation1(), orgs, collabs, top=1, time_limit=5, workers=2)
    wide = build(
        innovation1(weights=Weights(small_group=0, sectors=50)),
        orgs,
        collabs,
        top=1,
        time_limit=5,
        workers=2,
    )
    assert len(wide.consortia[0].members) >= len(lean.consortia[0].members)
    kinds = {m.candidate.type for m in wide.consortia[0].members}
    assert len(kinds) == 4  # every kind in the registry


def test_infeasible_necessary_conditions() -> None:
    orgs, collabs = fribourg_world()
    call = innovation1(
        type_rules=(TypeRule("industrial", INDUSTRIAL, 5),),
        required_competences=(CompetenceRequirement("zz", 2, "Quantum"),),
        mandatory=("ghost",),
    )
    blockers = explain_infeasible(call, orgs, collabs)
    text = {b.key: b.message for b in blockers}
    assert "registry has only 4 industrial organisations" in text["type:0"]
    assert "Quantum" in text["competence:zz"]
    assert "ghost" in text["mandatory:ghost"]
    res = build(call, orgs, collabs, time_limit=2, workers=2)
    assert res.status == "infeasible" and res.consortia == ()
    assert res.blockers


def test_infeasible_clash_names_the_rule() -> None:
    orgs, collabs = fribourg_world()
    # every industrial partner is needed (4), but s1 and l1 may not be together
    call = innovation1(
        type_rules=(TypeRule("industrial", INDUSTRIAL, 4),),
        forbidden_pairs=(("s1", "l1"),),
        region_rules=(),
    )
    res = build(call, orgs, collabs, time_limit=3, workers=2)
    assert res.status == "infeasible"
    keys = {b.key for b in res.blockers}
    assert "type:0" in keys and "forbidden:s1|l1" in keys
    assert any("at least 4 industrial partners" in b.message for b in res.blockers)


def test_academic_and_type_max() -> None:
    orgs, collabs = fribourg_world()
    call = innovation1(
        type_rules=(
            TypeRule("industrial", INDUSTRIAL, 3),
            TypeRule("academic", ACADEMIC, 0, max_count=1),
        ),
    )
    res = build(call, orgs, collabs, top=1, time_limit=5, workers=2)
    best = res.consortia[0]
    assert sum(1 for m in best.members if m.candidate.academic) == 1
    assert describe_rule(call, "type:1") == (
        "at least 0 academic partners (research institute, university), at most 1"
    )


def test_greedy_is_eligible_or_none() -> None:
    for seed in range(5):
        orgs, collabs = random_registry(seed, 30)
        call = innovation1()
        g = greedy(call, orgs, collabs)
        if g is not None:
            assert check(call, g).eligible
            res = build(call, orgs, collabs, top=1, time_limit=5, workers=2)
            assert res.consortia[0].objective >= evaluate(call, g, collabs).total


def test_time_limit_reports_a_gap_or_optimum() -> None:
    orgs, collabs = random_registry(11, 60, comps="abcdef")
    call = innovation1(
        max_partners=8,
        required_competences=tuple(CompetenceRequirement(c, 2) for c in "abcdef"),
    )
    res = build(call, orgs, collabs, top=1, time_limit=0.2, workers=1)
    if res.consortia:
        best = res.consortia[0]
        assert best.status in {"optimal", "feasible", "greedy"}
        if best.status != "greedy":
            assert res.bound is not None and res.bound >= best.objective
            assert res.gap == pytest.approx((res.bound - best.objective) / res.bound, abs=1e-6)


def brute_force_all(
    call: Call, orgs: list[Candidate], collabs: list[Collaboration]
) -> list[tuple[int, frozenset[str]]]:
    out = []
    mand = [o for o in orgs if o.id in call.mandatory]
    rest = [o for o in orgs if o.id not in call.mandatory]
    for size in range(call.min_partners, call.max_partners + 1):
        for combo in itertools.combinations(rest, size - len(mand)):
            members = [*mand, *combo]
            if check(call, members).eligible:
                out.append(
                    (evaluate(call, members, collabs).total, frozenset(m.id for m in members))
                )
    return out


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("min_difference", [1, 2, 3])
@pytest.mark.parametrize("per_class", [None, 1])
def test_alternatives_differ_by_at_least_d_partners(
    seed: int, min_difference: int, per_class: int | None
) -> None:
    orgs, collabs = random_registry(seed, 12)
    app = next(o.id for o in orgs if o.type == "sme")
    call = innovation1(mandatory=(app,) if seed % 2 else ())
    everything = brute_force_all(call, orgs, collabs)
    res = build(
        call,
        orgs,
        collabs,
        top=3,
        time_limit=10,
        workers=2,
        min_difference=min_difference,
        per_class=per_class,
    )
    if not everything:
        assert res.consortia == ()
        return
    earlier: list[frozenset[str]] = []
    for cons in res.consortia:
        ids = frozenset(cons.ids)
        # the best consortium that leaves out at least D partners of each earlier one
        allowed = [
            v for v, s in everything if all(len(s & p) <= len(p) - min_difference for p in earlier)
        ]
        assert cons.status == "optimal"
        assert cons.objective == max(allowed)
        for p in earlier:
            assert len(ids & p) <= len(p) - min_difference
        earlier.append(ids)
    # fewer alternatives only when no consortium is left that differs enough
    if len(res.consortia) < 3:
        assert not [
            v for v, s in everything if all(len(s & p) <= len(p) - min_difference for p in earlier)
        ]


def test_min_difference_must_be_positive() -> None:
    orgs, collabs = fribourg_world()
    with pytest.raises(ValueError):
        build(innovation1(), orgs, collabs, min_difference=0)


@pytest.mark.parametrize("seed", range(8))
def test_relaxation_without_applicant_is_sound(seed: int) -> None:
    """Without an applicant the pool is tiny (per_class=1) so most organisations stand behind
    phantoms, whose trust is bounded only through recorded ties: the optimum must survive and
    the bound must never fall below the true optimum, even when the time limit cuts in."""
    orgs, collabs = random_registry(200 + seed, 20, comps="ab")
    rng = random.Random(seed)
    # dense ties, so that phantoms give and earn trust through pool members and each other
    collabs += [
        Collaboration(f"o{a}", f"o{b}", rng.randint(1, 4))
        for a, b in itertools.combinations(range(20), 2)
        if rng.random() < 0.2
    ]
    call = innovation1(max_partners=5)
    expected = brute_force(call, orgs, collabs)
    res = build(call, orgs, collabs, top=1, time_limit=10, workers=2, per_class=1)
    if expected is None:
        assert res.status == "infeasible"
        return
    assert res.consortia[0].objective == expected
    assert res.status == "optimal"
    assert res.bound == expected
    short = build(call, orgs, collabs, top=1, time_limit=0.3, workers=1, per_class=1)
    if short.bound is not None:
        assert short.bound >= expected
        assert short.consortia[0].objective <= expected


@pytest.mark.parametrize("seed", range(8))
def test_phantom_relaxation_bounds_the_registry(seed: int) -> None:
    """The relaxation itself (pool + phantoms, before any expansion) never scores below the
    best real consortium of the whole registry: that is what makes the reported gap proven."""
    from ortools.sat.python import cp_model

    from tact.algorithms.consortium import _build_model, _initial_pool, _phantoms, _ties

    orgs, collabs = random_registry(300 + seed, 20, comps="ab")
    rng = random.Random(seed)
    collabs += [
        Collaboration(f"o{a}", f"o{b}", rng.randint(1, 4))
        for a, b in itertools.combinations(range(20), 2)
        if rng.random() < 0.25
    ]
    app = next(o.id for o in orgs if o.type == "sme")
    call = innovation1(max_partners=5, mandatory=(app,) if seed % 2 else ())
    expected = brute_force(call, orgs, collabs)
    ties = _ties(collabs)
    pool = _initial_pool(call, orgs, ties, 1)
    outsiders = [o for o in orgs if o.id not in pool]
    assert outsiders
    pool_c = [o for o in orgs if o.id in pool]
    mdl = _build_model(call, pool_c, _phantoms(call, outsiders, ties, pool), ties)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 20
    st = solver.solve(mdl.model)
    if expected is None:
        return
    assert st == cp_model.OPTIMAL
    assert solver.objective_value >= expected
