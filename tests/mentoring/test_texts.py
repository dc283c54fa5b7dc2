"""Every sentence the algorithm writes has a translatable pattern in tact.mentoring.texts."""

from __future__ import annotations

import random

from tact.algorithms import mentoring as algo
from tact.mentoring.texts import explain, is_known

TOPICS = ["lean", "export", "hr", "finance"]


def people(rng: random.Random, side: str, n: int) -> list[algo.Person]:
    return [
        algo.Person(
            id=f"{side}{i}",
            side=side,  # type: ignore[arg-type]
            organisation=rng.choice(["A", "B", "C"]),
            seniority=rng.randrange(5),
            topics=frozenset(rng.sample(TOPICS, rng.randrange(0, 3))),
            languages=frozenset(rng.sample(["de", "en", "it"], rng.randrange(1, 3))),
            gender=rng.choice(["f", "m"]),
            preferred_gender=rng.choice([None, "f", "m"]),
            location=rng.choice(["Linz", "Wels"]),
            availability=frozenset(rng.sample(["mon-am", "tue-pm"], rng.randrange(0, 3))),
            capacity=rng.randrange(0, 3) if side == "mentor" else 1,
        )
        for i in range(n)
    ]


def test_every_sentence_of_the_algorithm_is_known() -> None:
    seen: set[str] = set()
    for seed in range(40):
        rng = random.Random(seed)
        mentors = people(rng, "mentor", rng.randrange(0, 5))
        mentees = people(rng, "mentee", rng.randrange(1, 8))
        rules = algo.Rules(
            competitors=frozenset({("A", "B")}) if seed % 3 == 0 else frozenset(),
            require_common_language=seed % 2 == 0,
            excluded_pairs=frozenset({("mentor0", "mentee0")}),
        )
        result = algo.match(mentors, mentees, rules, algo.Weights())
        prefs_m = {
            m.id: [e.id for e in rng.sample(mentees, rng.randrange(0, len(mentees) + 1))]
            for m in mentors
        }
        prefs_e = {
            e.id: [m.id for m in rng.sample(mentors, rng.randrange(0, len(mentors) + 1))]
            for e in mentees
        }
        stable = algo.match_stable(mentors, mentees, rules, algo.Weights(), prefs_m, prefs_e)
        for outcome in (result, stable):
            for pair in outcome.pairs:
                seen.update(pair.reasons, pair.concerns)
            seen.update(u.reason for u in outcome.unmatched)
        for m in mentors:
            for e in mentees:
                seen.update(algo.hard_rule_breaks(m, e, rules))
    unknown = sorted(t for t in seen if not is_known(t))
    assert not unknown, unknown
    assert len(seen) > 30


def test_explain_keeps_the_values() -> None:
    assert explain("shared topics: lean, export") == "shared topics: lean, export"
    assert explain("mentor is 1 seniority level(s) above the mentee") == (
        "mentor is 1 seniority level above the mentee"
    )
    assert explain("Alpha and Beta are listed as competitors") == (
        "Alpha and Beta are listed as competitors"
    )
    assert explain("something new") == "something new"
