import itertools
import random

import numpy as np
import pytest

from tact.algorithms.mentoring import (
    Matching,
    Person,
    Rules,
    Weights,
    allowed_matrix,
    hard_rule_breaks,
    match,
    match_stable,
    score_matrix,
    score_pair,
    stable_match,
)


def mentor(pid: str, org: str, **kw: object) -> Person:
    return Person(id=pid, side="mentor", organisation=org, **kw)  # type: ignore[arg-type]


def mentee(pid: str, org: str, **kw: object) -> Person:
    return Person(id=pid, side="mentee", organisation=org, **kw)  # type: ignore[arg-type]


TOPICS = ["lean", "export", "finance", "hr", "digital", "quality"]
LANGS = ["de", "en", "fr"]
SLOTS = ["mon", "tue", "wed", "thu", "fri"]


def random_person(rng: random.Random, pid: str, side: str, n_orgs: int = 3) -> Person:
    return Person(
        id=pid,
        side=side,  # type: ignore[arg-type]
        organisation=f"org{rng.randrange(n_orgs)}",
        seniority=rng.randrange(5),
        topics=frozenset(rng.sample(TOPICS, rng.randrange(0, 4))),
        languages=frozenset(rng.sample(LANGS, rng.randrange(1, 3))),
        gender=rng.choice(["f", "m"]),
        preferred_gender=rng.choice([None, None, "f", "m"]),
        location=rng.choice(["a", "b"]),
        availability=frozenset(rng.sample(SLOTS, rng.randrange(0, 4))),
        capacity=rng.randrange(1, 3) if side == "mentor" else 1,
    )


def brute_force(
    mentors: list[Person], mentees: list[Person], rules: Rules, weights: Weights
) -> tuple[int, float]:
    """Best (pairs, total) over every capacity-respecting assignment, lexicographically."""
    s = score_matrix(mentors, mentees, weights)
    ok = allowed_matrix(mentors, mentees, rules)
    best = (-1, -1.0)
    options = [None, *range(len(mentors))]
    for choice in itertools.product(options, repeat=len(mentees)):
        load = [0] * len(mentors)
        count, total, valid = 0, 0.0, True
        for j, i in enumerate(choice):
            if i is None:
                continue
            load[i] += 1
            if not ok[i, j] or load[i] > mentors[i].capacity:
                valid = False
                break
            count += 1
            total += s[i, j]
        if valid and (count, total) > (best[0], best[1] + 1e-9):
            best = (count, total)
    return best


def test_score_pair_hand_checked() -> None:
    m = mentor(
        "m", "A", seniority=4, topics=frozenset({"lean", "export"}), languages=frozenset({"de"})
    )
    e = mentee(
        "e", "B", seniority=1, topics=frozenset({"lean", "hr"}), languages=frozenset({"de", "en"})
    )
    w = Weights(topics=1, seniority=1, language=1, gender=0, location=0, availability=0)
    # topics 1/2, seniority full (gap 3 capped at 2), language 1 -> 2.5 / 3
    result = score_pair(m, e, w)
    assert result.percent == pytest.approx(100 * 2.5 / 3)
    assert "shared topics: lean" in result.reasons
    assert "common language: de" in result.reasons
    assert result.concerns == ()
    junior = mentor("j", "A", seniority=0, languages=frozenset({"fr"}))
    result = score_pair(junior, e, w)
    assert result.percent == 0
    assert "mentor is not more senior than the mentee" in result.concerns
    assert "no common language" in result.concerns


def test_score_matrix_equals_score_pair() -> None:
    rng = random.Random(1)
    mentors = [random_person(rng, f"m{i}", "mentor") for i in range(12)]
    mentees = [random_person(rng, f"e{i}", "mentee") for i in range(15)]
    w = Weights(topics=2, seniority=1, language=1.5, gender=1, location=0.5, availability=1)
    s = score_matrix(mentors, mentees, w)
    for i, m in enumerate(mentors):
        for j, e in enumerate(mentees):
            assert s[i, j] == pytest.approx(score_pair(m, e, w).percent)
            assert 0 <= s[i, j] <= 100


@pytest.mark.parametrize("seed", range(25))
def test_optimal_against_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    mentors = [random_person(rng, f"m{i}", "mentor") for i in range(rng.randrange(1, 4))]
    mentees = [random_person(rng, f"e{i}", "mentee") for i in range(rng.randrange(1, 6))]
    rules = Rules(
        require_common_language=rng.random() < 0.5,
        competitors=frozenset({("org0", "org1")}) if rng.random() < 0.3 else frozenset(),
    )
    w = Weights()
    result = match(mentors, mentees, rules, w)
    count, total = brute_force(mentors, mentees, rules, w)
    assert len(result.pairs) == count
    assert result.total == pytest.approx(max(total, 0.0))
    assert_valid(result, mentors, mentees, rules)


def assert_valid(
    result: Matching, mentors: list[Person], mentees: list[Person], rules: Rules
) -> None:
    by_id = {p.id: p for p in [*mentors, *mentees]}
    load: dict[str, int] = {}
    seen: set[str] = set()
    for p in result.pairs:
        m, e = by_id[p.mentor_id], by_id[p.mentee_id]
        assert m.organisation != e.organisation
        assert e.id not in seen
        seen.add(e.id)
        load[m.id] = load.get(m.id, 0) + 1
        assert load[m.id] <= m.capacity
        if rules.require_common_language:
            assert m.languages & e.languages
        assert (m.id, e.id) not in rules.excluded_pairs
    unmatched = {u.person_id for u in result.unmatched}
    assert unmatched.isdisjoint(seen)
    assert {e.id for e in mentees} == seen | {
        u.person_id for u in result.unmatched if u.side == "mentee"
    }


def test_same_organisation_never_paired() -> None:
    mentors = [mentor("m1", "A", topics=frozenset({"lean"}))]
    mentees = [mentee("e1", "A", topics=frozenset({"lean"})), mentee("e2", "B")]
    result = match(mentors, mentees, Rules(), Weights())
    assert [(p.mentor_id, p.mentee_id) for p in result.pairs] == [("m1", "e2")]
    (left,) = result.unmatched
    assert left.person_id == "e1"
    assert left.reason == "all mentors are from the same organisation"
    with pytest.raises(ValueError, match="cannot be turned off"):
        match(mentors, mentees, Rules(forbid_same_organisation=False), Weights())


def test_capacity_respected_and_reason() -> None:
    mentors = [mentor("m1", "A", capacity=2)]
    mentees = [mentee(f"e{i}", "B") for i in range(3)]
    result = match(mentors, mentees, Rules(), Weights())
    assert len(result.pairs) == 2
    assert {p.mentor_id for p in result.pairs} == {"m1"}
    (left,) = result.unmatched
    assert left.person_id == "e2"  # ties broken by id
    assert left.reason.startswith("no capacity left")


def test_exclusions() -> None:
    mentors = [mentor("m1", "A", topics=frozenset({"x"})), mentor("m2", "C")]
    mentees = [mentee("e1", "B", topics=frozenset({"x"}))]
    rules = Rules(competitors=frozenset({("B", "A")}))
    result = match(mentors, mentees, rules, Weights())
    assert [(p.mentor_id, p.mentee_id) for p in result.pairs] == [("m2", "e1")]
    rules = Rules(competitors=frozenset({("B", "A")}), excluded_pairs=frozenset({("m2", "e1")}))
    result = match(mentors, mentees, rules, Weights())
    assert result.pairs == ()
    reasons = {u.person_id: u.reason for u in result.unmatched}
    assert reasons["e1"] == "every other mentor is excluded (competitor or named exclusion)"


def test_language_rule_and_reason() -> None:
    mentors = [
        mentor("m1", "A", languages=frozenset({"de"})),
        mentor("m2", "B", languages=frozenset({"fr"})),
    ]
    mentees = [mentee("e1", "A", languages=frozenset({"de"}))]
    rules = Rules(require_common_language=True)
    result = match(mentors, mentees, rules, Weights())
    assert result.pairs == ()
    reasons = {u.person_id: u.reason for u in result.unmatched}
    assert reasons["e1"] == "all mentors with a common language are from the same organisation"
    # without the rule, the French-speaking mentor is better than nobody
    result = match(mentors, mentees, Rules(), Weights())
    assert [(p.mentor_id, p.mentee_id) for p in result.pairs] == [("m2", "e1")]
    assert "no common language" in result.pairs[0].concerns


def test_locked_pairs_kept_and_rest_rematched() -> None:
    mentors = [
        mentor("m1", "A", topics=frozenset({"x"})),
        mentor("m2", "A", topics=frozenset({"y"})),
    ]
    mentees = [
        mentee("e1", "B", topics=frozenset({"x"})),
        mentee("e2", "C", topics=frozenset({"y"})),
    ]
    free = match(mentors, mentees, Rules(), Weights())
    assert {(p.mentor_id, p.mentee_id) for p in free.pairs} == {("m1", "e1"), ("m2", "e2")}
    locked = match(mentors, mentees, Rules(locked_pairs=(("m1", "e2"),)), Weights())
    assert {(p.mentor_id, p.mentee_id, p.locked) for p in locked.pairs} == {
        ("m1", "e2", True),
        ("m2", "e1", False),
    }
    assert locked.total < free.total
    with pytest.raises(ValueError, match="breaks a hard rule"):
        match(mentors, [mentee("e3", "A")], Rules(locked_pairs=(("m1", "e3"),)), Weights())
    with pytest.raises(ValueError, match="more locked pairs than capacity"):
        match(mentors, mentees, Rules(locked_pairs=(("m1", "e1"), ("m1", "e2"))), Weights())


def test_no_mentors_reason() -> None:
    result = match([], [mentee("e1", "A")], Rules(), Weights())
    assert result.unmatched[0].reason == "there are no mentors in the programme"


def test_determinism() -> None:
    rng = random.Random(7)
    mentors = [random_person(rng, f"m{i:02d}", "mentor") for i in range(20)]
    mentees = [random_person(rng, f"e{i:02d}", "mentee") for i in range(30)]
    w = Weights(topics=0, seniority=0, language=0, gender=0, location=1, availability=0)
    first = match(mentors, mentees, Rules(), w)
    shuffled_m, shuffled_e = mentors[:], mentees[:]
    rng.shuffle(shuffled_m)
    rng.shuffle(shuffled_e)
    assert match(shuffled_m, shuffled_e, Rules(), w) == first


def blocking_pairs(
    mentor_prefs: dict[str, list[str]],
    mentee_prefs: dict[str, list[str]],
    caps: dict[str, int],
    pairs: tuple[tuple[str, str], ...],
) -> list[tuple[str, str]]:
    of_mentee = {e: m for m, e in pairs}
    of_mentor: dict[str, list[str]] = {m: [] for m in mentor_prefs}
    for m, e in pairs:
        of_mentor[m].append(e)
    found = []
    for e, prefs in mentee_prefs.items():
        for m in prefs:
            if m not in mentor_prefs or e not in mentor_prefs[m] or of_mentee.get(e) == m:
                continue
            current = of_mentee.get(e)
            e_wants = current is None or prefs.index(m) < prefs.index(current)
            held = of_mentor[m]
            m_wants = len(held) < caps[m] or any(
                mentor_prefs[m].index(e) < mentor_prefs[m].index(x) for x in held
            )
            if e_wants and m_wants:
                found.append((m, e))
    return found


@pytest.mark.parametrize("seed", range(30))
def test_stable_match_has_no_blocking_pair(seed: int) -> None:
    rng = random.Random(seed)
    ms = [f"m{i}" for i in range(rng.randrange(1, 6))]
    es = [f"e{i}" for i in range(rng.randrange(1, 9))]
    mentor_prefs = {m: rng.sample(es, rng.randrange(0, len(es) + 1)) for m in ms}
    mentee_prefs = {e: rng.sample(ms, rng.randrange(0, len(ms) + 1)) for e in es}
    caps = {m: rng.randrange(0, 3) for m in ms}
    result = stable_match(mentor_prefs, mentee_prefs, caps)
    assert blocking_pairs(mentor_prefs, mentee_prefs, caps, result.pairs) == []
    for m, e in result.pairs:
        assert e in mentor_prefs[m] and m in mentee_prefs[e]
    counts = {m: sum(1 for x, _ in result.pairs if x == m) for m in ms}
    assert all(counts[m] <= caps[m] for m in ms)
    assert len({e for _, e in result.pairs}) == len(result.pairs)
    assert stable_match(mentor_prefs, mentee_prefs, caps) == result


def test_stable_match_hand_checked() -> None:
    # Both mentees want m1; m1 prefers e2 and has one place; e1 falls back to m2.
    result = stable_match(
        {"m1": ["e2", "e1"], "m2": ["e1"]},
        {"e1": ["m1", "m2"], "e2": ["m1"]},
    )
    assert result.pairs == (("m1", "e2"), ("m2", "e1"))
    assert result.unmatched_mentees == ()


def test_scores_are_numpy_floats() -> None:
    s = score_matrix([mentor("m", "A")], [mentee("e", "B")], Weights())
    assert s.dtype == np.float64


def test_gender_preference_and_zero_capacity() -> None:
    w = Weights(topics=0, seniority=0, language=0, gender=1, location=0, availability=0)
    e = mentee("e", "B", gender="m", preferred_gender="f")
    assert score_pair(mentor("m", "A", gender="f"), e, w).percent == 100
    met_not = score_pair(mentor("m", "A", gender="m"), e, w)
    assert met_not.percent == 0
    assert met_not.concerns == ("a gender preference is not met",)
    # no wishes on either side: full score, nothing to explain
    assert score_pair(mentor("m", "A"), mentee("e", "B"), w) == score_pair(
        mentor("m", "A"), mentee("e", "B"), w
    )
    assert score_pair(mentor("m", "A"), mentee("e", "B"), w).reasons == ()
    result = match([mentor("m", "A", capacity=0)], [e], Rules(), w)
    reasons = {u.person_id: u.reason for u in result.unmatched}
    assert reasons == {"m": "offers no mentoring capacity", "e": reasons["e"]}
    assert reasons["e"].startswith("no capacity left")


def test_locked_rule_breaks_kept_only_when_allowed() -> None:
    mentors = [mentor("m1", "A", capacity=1), mentor("m2", "C")]
    mentees = [mentee("e1", "A"), mentee("e2", "B")]
    with pytest.raises(ValueError, match="breaks a hard rule"):
        match(mentors, mentees, Rules(locked_pairs=(("m1", "e1"),)), Weights())
    rules = Rules(locked_pairs=(("m1", "e1"), ("m1", "e2")), locked_may_break_rules=True)
    result = match(mentors, mentees, rules, Weights())
    # Both overrides are kept exactly (same organisation, and over capacity); m2 gets nobody.
    assert {(p.mentor_id, p.mentee_id, p.locked) for p in result.pairs} == {
        ("m1", "e1", True),
        ("m1", "e2", True),
    }
    assert [u.person_id for u in result.unmatched] == ["m2"]


def test_hard_rule_breaks_names_each_rule() -> None:
    m = mentor("m1", "A", languages=frozenset({"de"}))
    same = mentee("e1", "A", languages=frozenset({"fr"}))
    rules = Rules(
        competitors=frozenset({("A", "B")}),
        excluded_pairs=frozenset({("m1", "e2")}),
        require_common_language=True,
    )
    assert hard_rule_breaks(m, same, rules) == (
        "both work for the same organisation (A)",
        "no common language, and the programme asks for one",
    )
    rival = mentee("e2", "B", languages=frozenset({"de"}))
    assert hard_rule_breaks(m, rival, rules) == (
        "A and B are listed as competitors",
        "this pair is excluded by name",
    )
    assert hard_rule_breaks(m, mentee("e3", "C", languages=frozenset({"de"})), rules) == ()


def test_match_stable_respects_rules_locks_and_explains() -> None:
    mentors = [
        mentor("m1", "A", topics=frozenset({"lean"}), capacity=1),
        mentor("m2", "B", topics=frozenset({"hr"}), capacity=2),
        mentor("m3", "C"),
    ]
    mentees = [
        mentee("e1", "B", topics=frozenset({"lean"})),
        mentee("e2", "A", topics=frozenset({"hr"})),
        mentee("e3", "D"),
        mentee("e4", "D"),
        mentee("e5", "E"),
    ]
    mentor_prefs = {"m1": ["e2", "e1", "e3"], "m2": ["e1", "e3", "e2", "zz"], "m3": []}
    mentee_prefs = {
        "e1": ["m1", "m2"],
        "e2": ["m1", "m2"],  # m1 is the same organisation: dropped
        "e3": ["m2", "m1"],
        "e4": ["m2"],  # m2 never ranked e4
        "e5": [],
    }
    rules = Rules(locked_pairs=(("m2", "e3"),))
    result = match_stable(mentors, mentees, rules, Weights(), mentor_prefs, mentee_prefs)
    got = {(p.mentor_id, p.mentee_id, p.locked) for p in result.pairs}
    assert got == {("m1", "e1", False), ("m2", "e3", True), ("m2", "e2", False)}
    lean = next(p for p in result.pairs if p.mentee_id == "e1")
    assert "shared topics: lean" in lean.reasons
    assert lean.percent == pytest.approx(score_pair(mentors[0], mentees[0], Weights()).percent)
    reasons = {u.person_id: u.reason for u in result.unmatched}
    assert reasons == {
        "m3": "ranked no mentee",
        "e4": "no mentor ranked them",
        "e5": "ranked no mentor",
    }
    # The unlocked part has no blocking pair among the cleaned rankings.
    assert result.total == pytest.approx(sum(p.percent for p in result.pairs))


def test_match_stable_equals_stable_match_without_rules() -> None:
    rng = random.Random(3)
    ms = [mentor(f"m{i}", f"o{i}", capacity=rng.randrange(1, 3)) for i in range(5)]
    es = [mentee(f"e{i}", f"x{i}") for i in range(8)]
    mentor_prefs = {m.id: rng.sample([e.id for e in es], 5) for m in ms}
    mentee_prefs = {e.id: rng.sample([m.id for m in ms], 3) for e in es}
    plain = stable_match(mentor_prefs, mentee_prefs, {m.id: m.capacity for m in ms})
    explained = match_stable(ms, es, Rules(), Weights(), mentor_prefs, mentee_prefs)
    assert tuple((p.mentor_id, p.mentee_id) for p in explained.pairs) == plain.pairs
