"""Cross-mentoring pairing: explained compatibility scores, optimal assignment, stable matching.

Pure Python + numpy + scipy. Plain frozen dataclasses in and out; the Django side calls this.

``match`` maximises the total compatibility exactly with ``scipy.optimize.linear_sum_assignment``:
mentor capacity is modelled by repeating mentor columns, forbidden pairs get a score so negative
that the solver only uses them when nobody else is left (they are then dropped). The result is
therefore the highest total among the matchings that pair as many mentees as the hard rules allow.
Everything is deterministic: people are sorted by id before any work, so ties break by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

Side = Literal["mentor", "mentee"]

CRITERIA = ("topics", "seniority", "language", "gender", "location", "availability")
SENIORITY_FULL_GAP = 2  # a mentor this many levels above the mentee earns the full seniority score


@dataclass(frozen=True)
class Person:
    """A mentor or mentee profile. ``topics`` are offered by mentors and wanted by mentees."""

    id: str
    side: Side
    organisation: str
    function: str = ""
    seniority: int = 0
    topics: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    gender: str = ""
    preferred_gender: str | None = None
    location: str = ""
    availability: frozenset[str] = frozenset()
    capacity: int = 1  # mentors only: how many mentees they take


@dataclass(frozen=True)
class Rules:
    """Hard rules. Two people of the same organisation are never paired, whatever the flag says."""

    forbid_same_organisation: bool = True
    competitors: frozenset[tuple[str, str]] = (
        frozenset()
    )  # (organisation, organisation), either way
    excluded_pairs: frozenset[tuple[str, str]] = frozenset()  # (mentor_id, mentee_id)
    require_common_language: bool = False
    locked_pairs: tuple[tuple[str, str], ...] = ()  # (mentor_id, mentee_id), kept as they are
    # An organiser may lock a pair that breaks a hard rule or a mentor's capacity (a manual
    # override, shown with a warning); with this flag such locked pairs are kept, not refused.
    locked_may_break_rules: bool = False


@dataclass(frozen=True)
class Weights:
    """Organiser-set weights of the soft criteria (non-negative; only their ratios matter)."""

    topics: float = 3.0
    seniority: float = 1.0
    language: float = 1.0
    gender: float = 1.0
    location: float = 0.5
    availability: float = 1.0

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in CRITERIA}


@dataclass(frozen=True)
class PairScore:
    percent: float  # 0–100
    reasons: tuple[str, ...]
    concerns: tuple[str, ...]


@dataclass(frozen=True)
class Pair:
    mentor_id: str
    mentee_id: str
    percent: float
    reasons: tuple[str, ...]
    concerns: tuple[str, ...]
    locked: bool = False


@dataclass(frozen=True)
class Unmatched:
    person_id: str
    side: Side
    reason: str


@dataclass(frozen=True)
class Matching:
    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    total: float  # sum of the pairs' percentages


@dataclass(frozen=True)
class StableMatching:
    pairs: tuple[tuple[str, str], ...]  # (mentor_id, mentee_id), sorted
    unmatched_mentees: tuple[str, ...]
    free_capacity: Mapping[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- scoring


def _criteria(mentor: Person, mentee: Person) -> dict[str, float]:
    """Each soft criterion as a value in [0, 1] (same formulas as ``score_matrix``)."""
    wanted = mentee.topics
    topics = len(mentor.topics & wanted) / len(wanted) if wanted else 0.0
    gap = min(max(mentor.seniority - mentee.seniority, 0), SENIORITY_FULL_GAP)
    language = 1.0 if mentor.languages & mentee.languages else 0.0
    wishes = 0
    met = 0
    if mentee.preferred_gender is not None:
        wishes += 1
        met += mentee.preferred_gender == mentor.gender
    if mentor.preferred_gender is not None:
        wishes += 1
        met += mentor.preferred_gender == mentee.gender
    gender = met / wishes if wishes else 1.0
    location = 1.0 if mentor.location == mentee.location and mentor.location else 0.0
    avail = mentee.availability
    availability = len(mentor.availability & avail) / len(avail) if avail else 0.0
    return {
        "topics": topics,
        "seniority": gap / SENIORITY_FULL_GAP,
        "language": language,
        "gender": gender,
        "location": location,
        "availability": availability,
    }


def _percent(values: Mapping[str, float], weights: Weights) -> float:
    w = weights.as_dict()
    total = sum(w.values())
    if total <= 0:
        return 0.0
    return 100.0 * sum(w[k] * values[k] for k in CRITERIA) / total


def _explain(
    mentor: Person, mentee: Person, values: Mapping[str, float], weights: Weights
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    w = weights.as_dict()
    reasons: list[str] = []
    concerns: list[str] = []

    def add(name: str, good: str, bad: str) -> None:
        if w[name] <= 0:
            return
        (reasons if values[name] >= 0.5 else concerns).append(good if values[name] >= 0.5 else bad)

    shared = sorted(mentor.topics & mentee.topics)
    add(
        "topics",
        f"shared topics: {', '.join(shared)}",
        f"few of the wanted topics are offered ({len(shared)} of {len(mentee.topics)})",
    )
    gap = mentor.seniority - mentee.seniority
    add(
        "seniority",
        f"mentor is {gap} seniority level(s) above the mentee",
        "mentor is not more senior than the mentee"
        if gap <= 0
        else "mentor is only slightly more senior",
    )
    common = sorted(mentor.languages & mentee.languages)
    add("language", f"common language: {', '.join(common)}", "no common language")
    if mentor.preferred_gender is not None or mentee.preferred_gender is not None:
        add("gender", "gender preference respected", "a gender preference is not met")
    add("location", f"same location: {mentor.location}", "different locations")
    add(
        "availability",
        "availability overlaps well",
        "little overlap in availability",
    )
    return tuple(reasons), tuple(concerns)


def score_pair(mentor: Person, mentee: Person, weights: Weights) -> PairScore:
    """Compatibility of one mentor and one mentee, with its reasons and concerns."""
    _check_weights(weights)
    values = _criteria(mentor, mentee)
    reasons, concerns = _explain(mentor, mentee, values, weights)
    return PairScore(_percent(values, weights), reasons, concerns)


def _multi_hot(sets: Sequence[frozenset[str]], vocab: Mapping[str, int]) -> FloatArray:
    out = np.zeros((len(sets), max(len(vocab), 1)), dtype=np.float64)
    for i, s in enumerate(sets):
        for item in s:
            out[i, vocab[item]] = 1.0
    return out


def _codes(values: Sequence[str | None], vocab: dict[str, int]) -> npt.NDArray[np.int64]:
    """Integer codes; None becomes -1 and the empty string -2 (never equal to anything real)."""
    out = np.empty(len(values), dtype=np.int64)
    for i, v in enumerate(values):
        if v is None:
            out[i] = -1
        elif v == "":
            out[i] = -2
        else:
            out[i] = vocab.setdefault(v, len(vocab))
    return out


def _vocab(sets: Iterable[frozenset[str]]) -> dict[str, int]:
    return {item: i for i, item in enumerate(sorted(set().union(*sets)))}


def score_matrix(
    mentors: Sequence[Person], mentees: Sequence[Person], weights: Weights
) -> FloatArray:
    """Percent scores, mentors x mentees, vectorised (same values as ``score_pair``)."""
    _check_weights(weights)
    w = weights.as_dict()
    wsum = sum(w.values())
    n, m = len(mentors), len(mentees)
    if wsum <= 0 or n == 0 or m == 0:
        return np.zeros((n, m), dtype=np.float64)
    total = np.zeros((n, m), dtype=np.float64)

    def overlap(attr: str) -> FloatArray:
        a = [getattr(p, attr) for p in mentors]
        b = [getattr(p, attr) for p in mentees]
        vocab = _vocab([*a, *b])
        result: FloatArray = _multi_hot(a, vocab) @ _multi_hot(b, vocab).T
        return result

    def share(attr: str) -> FloatArray:
        sizes = np.array([len(getattr(p, attr)) for p in mentees], dtype=np.float64)
        result: FloatArray = np.divide(
            overlap(attr), sizes[None, :], out=np.zeros((n, m)), where=sizes[None, :] > 0
        )
        return result

    if w["topics"]:
        total += w["topics"] * share("topics")
    if w["seniority"]:
        s_m = np.array([p.seniority for p in mentors], dtype=np.float64)
        s_e = np.array([p.seniority for p in mentees], dtype=np.float64)
        gap = np.clip(s_m[:, None] - s_e[None, :], 0, SENIORITY_FULL_GAP)
        total += w["seniority"] * gap / SENIORITY_FULL_GAP
    if w["language"]:
        total += w["language"] * (overlap("languages") > 0)
    if w["gender"]:
        vocab: dict[str, int] = {}
        g_m = _codes([p.gender for p in mentors], vocab)
        g_e = _codes([p.gender for p in mentees], vocab)
        p_m = _codes([p.preferred_gender for p in mentors], vocab)
        p_e = _codes([p.preferred_gender for p in mentees], vocab)
        set_e = np.broadcast_to(p_e[None, :] != -1, (n, m))
        set_m = np.broadcast_to(p_m[:, None] != -1, (n, m))
        met = (set_e & (p_e[None, :] == g_m[:, None])).astype(np.float64)
        met += set_m & (p_m[:, None] == g_e[None, :])
        wishes = set_e.astype(np.float64) + set_m
        total += w["gender"] * np.divide(met, wishes, out=np.ones((n, m)), where=wishes > 0)
    if w["location"]:
        vocab = {}
        l_m = _codes([p.location for p in mentors], vocab)
        l_e = _codes([p.location for p in mentees], vocab)
        total += w["location"] * ((l_m[:, None] == l_e[None, :]) & (l_m[:, None] >= 0))
    if w["availability"]:
        total += w["availability"] * share("availability")
    total *= 100.0 / wsum
    return total


def _check_weights(weights: Weights) -> None:
    for name, value in weights.as_dict().items():
        if not value >= 0:
            raise ValueError(f"weight {name!r} must be a non-negative number, got {value!r}")


# --------------------------------------------------------------------------- hard rules


def allowed_matrix(mentors: Sequence[Person], mentees: Sequence[Person], rules: Rules) -> BoolArray:
    """True where the hard rules allow the pair (mentors x mentees)."""
    if not rules.forbid_same_organisation:
        raise ValueError("forbid_same_organisation cannot be turned off in cross-mentoring")
    vocab: dict[str, int] = {}
    o_m = _codes([p.organisation for p in mentors], vocab)
    o_e = _codes([p.organisation for p in mentees], vocab)
    allowed: BoolArray = o_m[:, None] != o_e[None, :]
    for a, b in rules.competitors:
        if a in vocab and b in vocab:
            ca, cb = vocab[a], vocab[b]
            allowed &= ~((o_m[:, None] == ca) & (o_e[None, :] == cb))
            allowed &= ~((o_m[:, None] == cb) & (o_e[None, :] == ca))
    if rules.require_common_language:
        allowed &= _language_matrix(mentors, mentees)
    row = {p.id: i for i, p in enumerate(mentors)}
    col = {p.id: j for j, p in enumerate(mentees)}
    for mentor_id, mentee_id in rules.excluded_pairs:
        if mentor_id in row and mentee_id in col:
            allowed[row[mentor_id], col[mentee_id]] = False
    return allowed


def _language_matrix(mentors: Sequence[Person], mentees: Sequence[Person]) -> BoolArray:
    a = [p.languages for p in mentors]
    b = [p.languages for p in mentees]
    vocab = _vocab([*a, *b])
    result: BoolArray = (_multi_hot(a, vocab) @ _multi_hot(b, vocab).T) > 0
    return result


def _unmatched_reason(
    same_org: BoolArray,
    language_ok: BoolArray,
    allowed: BoolArray,
    require_language: bool,
    other_side: str,
) -> str:
    """Why one person got nobody: each argument is a row over the other side."""
    if same_org.size == 0:
        return f"there are no {other_side}s in the programme"
    if same_org.all():
        return f"all {other_side}s are from the same organisation"
    if require_language:
        if not language_ok.any():
            return f"no {other_side} shares a common language"
        if same_org[language_ok].all():
            return f"all {other_side}s with a common language are from the same organisation"
    if not allowed.any():
        return f"every other {other_side} is excluded (competitor or named exclusion)"
    if other_side == "mentor":
        return (
            "no capacity left: every suitable mentor is taken by a better-scoring overall pairing"
        )
    return "no suitable mentee left: they are paired with mentors that fit them better overall"


# --------------------------------------------------------------------------- optimal matching


def _check_people(mentors: Sequence[Person], mentees: Sequence[Person]) -> None:
    seen: set[str] = set()
    for side, people in (("mentor", mentors), ("mentee", mentees)):
        for p in people:
            if p.side != side:
                raise ValueError(f"person {p.id!r} is a {p.side}, listed as a {side}")
            if p.id in seen:
                raise ValueError(f"person id {p.id!r} appears twice")
            if p.capacity < 0:
                raise ValueError(f"mentor {p.id!r} has a negative capacity")
            seen.add(p.id)


def match(
    mentors: Sequence[Person], mentees: Sequence[Person], rules: Rules, weights: Weights
) -> Matching:
    """Optimal pairing under the hard rules; locked pairs are kept and the rest re-matched."""
    _check_people(mentors, mentees)
    mentors = sorted(mentors, key=lambda p: p.id)
    mentees = sorted(mentees, key=lambda p: p.id)
    scores = score_matrix(mentors, mentees, weights)
    allowed = allowed_matrix(mentors, mentees, rules)
    capacity, locked_mentee, chosen = _apply_locks(mentors, mentees, allowed, rules)

    free_rows = np.flatnonzero(~locked_mentee)  # mentees still to place
    slots = np.repeat(np.arange(len(mentors)), np.maximum(capacity, 0))  # mentor per column
    if free_rows.size and slots.size:
        sub_scores = scores[np.ix_(slots, free_rows)].T
        sub_allowed = allowed[np.ix_(slots, free_rows)].T
        rows, cols = solve_assignment(sub_scores, sub_allowed)
        chosen.extend(
            (int(slots[c]), int(free_rows[r]), False) for r, c in zip(rows, cols, strict=True)
        )

    pairs = _pairs(mentors, mentees, chosen, scores, weights)
    same_org = (
        np.array([p.organisation for p in mentors], dtype=object)[:, None]
        == np.array([p.organisation for p in mentees], dtype=object)[None, :]
    ).astype(bool)
    language = _language_matrix(mentors, mentees) if mentors and mentees else allowed
    matched_mentors = {i for i, _, _ in chosen}
    matched_mentees = {j for _, j, _ in chosen}
    unmatched: list[Unmatched] = []
    for i, p in enumerate(mentors):
        if i not in matched_mentors:
            reason = (
                "offers no mentoring capacity"
                if p.capacity == 0
                else _unmatched_reason(
                    same_org[i], language[i], allowed[i], rules.require_common_language, "mentee"
                )
            )
            unmatched.append(Unmatched(p.id, "mentor", reason))
    for j, p in enumerate(mentees):
        if j not in matched_mentees:
            reason = _unmatched_reason(
                same_org[:, j],
                language[:, j],
                allowed[:, j],
                rules.require_common_language,
                "mentor",
            )
            unmatched.append(Unmatched(p.id, "mentee", reason))
    return Matching(pairs, tuple(unmatched), float(sum(p.percent for p in pairs)))


def _apply_locks(
    mentors: Sequence[Person], mentees: Sequence[Person], allowed: BoolArray, rules: Rules
) -> tuple[npt.NDArray[np.int64], BoolArray, list[tuple[int, int, bool]]]:
    """Capacity left per mentor, which mentees are locked, and the locked (row, col) pairs."""
    row = {p.id: i for i, p in enumerate(mentors)}
    col = {p.id: j for j, p in enumerate(mentees)}
    capacity = np.array([p.capacity for p in mentors], dtype=np.int64)
    locked_mentee = np.zeros(len(mentees), dtype=bool)
    chosen: list[tuple[int, int, bool]] = []
    override = rules.locked_may_break_rules
    for mentor_id, mentee_id in rules.locked_pairs:
        if mentor_id not in row or mentee_id not in col:
            raise ValueError(f"locked pair ({mentor_id!r}, {mentee_id!r}) names an unknown person")
        i, j = row[mentor_id], col[mentee_id]
        if not allowed[i, j] and not override:
            raise ValueError(f"locked pair ({mentor_id!r}, {mentee_id!r}) breaks a hard rule")
        if locked_mentee[j]:
            raise ValueError(f"mentee {mentee_id!r} is locked to more than one mentor")
        if capacity[i] <= 0 and not override:
            raise ValueError(f"mentor {mentor_id!r} has more locked pairs than capacity")
        capacity[i] = max(capacity[i] - 1, 0)
        locked_mentee[j] = True
        chosen.append((i, j, True))
    return capacity, locked_mentee, chosen


def _pairs(
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    chosen: list[tuple[int, int, bool]],
    scores: FloatArray,
    weights: Weights,
) -> tuple[Pair, ...]:
    chosen = sorted(chosen, key=lambda t: (mentors[t[0]].id, mentees[t[1]].id))
    pairs: list[Pair] = []
    for i, j, locked in chosen:
        mentor, mentee = mentors[i], mentees[j]
        reasons, concerns = _explain(mentor, mentee, _criteria(mentor, mentee), weights)
        pairs.append(
            Pair(mentor.id, mentee.id, float(scores[i, j]), reasons, concerns, locked=locked)
        )
    return tuple(pairs)


def hard_rule_breaks(mentor: Person, mentee: Person, rules: Rules) -> tuple[str, ...]:
    """The hard rules a pair breaks (empty when it is allowed); capacity is counted elsewhere."""
    breaks: list[str] = []
    if mentor.organisation == mentee.organisation:
        breaks.append(f"both work for the same organisation ({mentor.organisation})")
    orgs = {mentor.organisation, mentee.organisation}
    for a, b in sorted(rules.competitors):
        if a != b and {a, b} == orgs:
            breaks.append(f"{a} and {b} are listed as competitors")
            break
    if (mentor.id, mentee.id) in rules.excluded_pairs:
        breaks.append("this pair is excluded by name")
    if rules.require_common_language and not mentor.languages & mentee.languages:
        breaks.append("no common language, and the programme asks for one")
    return tuple(breaks)


# --------------------------------------------------------------------------- stable, explained


def match_stable(
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    rules: Rules,
    weights: Weights,
    mentor_prefs: Mapping[str, Sequence[str]],
    mentee_prefs: Mapping[str, Sequence[str]],
) -> Matching:
    """Stable matching on both sides' rankings, under the hard rules, explained like ``match``.

    Rankings name people of the other side by id, best first; unknown ids, repeats and pairs
    that break a hard rule are left out. Locked pairs are kept and take a place of their mentor.
    The percentages and reasons are those of ``score_pair``: they explain the pair, while the
    rankings alone decide who is paired.
    """
    _check_people(mentors, mentees)
    mentors = sorted(mentors, key=lambda p: p.id)
    mentees = sorted(mentees, key=lambda p: p.id)
    row = {p.id: i for i, p in enumerate(mentors)}
    col = {p.id: j for j, p in enumerate(mentees)}
    scores = score_matrix(mentors, mentees, weights)
    allowed = allowed_matrix(mentors, mentees, rules)
    capacity, locked_mentee, chosen = _apply_locks(mentors, mentees, allowed, rules)

    def clean(prefs: Sequence[str], me: int, mentor_side: bool) -> list[str]:
        out: list[str] = []
        for other in prefs:
            if mentor_side:
                j = col.get(other)
                ok = j is not None and not locked_mentee[j] and allowed[me, j]
            else:
                i = row.get(other)
                ok = i is not None and bool(allowed[i, me])
            if ok and other not in out:
                out.append(other)
        return out

    m_prefs = {p.id: clean(mentor_prefs.get(p.id, ()), i, True) for i, p in enumerate(mentors)}
    e_prefs = {
        p.id: clean(mentee_prefs.get(p.id, ()), j, False)
        for j, p in enumerate(mentees)
        if not locked_mentee[j]
    }
    caps = {p.id: int(capacity[i]) for i, p in enumerate(mentors)}
    result = stable_match(m_prefs, e_prefs, caps)
    chosen.extend((row[m], col[e], False) for m, e in result.pairs)
    pairs = _pairs(mentors, mentees, chosen, scores, weights)

    matched_mentors = {p.mentor_id for p in pairs}
    matched_mentees = {p.mentee_id for p in pairs}
    ranked_by_mentors = {e for prefs in m_prefs.values() for e in prefs}
    ranked_by_mentees = {m for prefs in e_prefs.values() for m in prefs}
    unmatched: list[Unmatched] = []
    for p in mentors:
        if p.id in matched_mentors:
            continue
        if p.capacity == 0:
            reason = "offers no mentoring capacity"
        elif not mentor_prefs.get(p.id):
            reason = "ranked no mentee"
        elif not m_prefs[p.id]:
            reason = "every mentee they ranked is excluded by a hard rule or already locked"
        elif p.id not in ranked_by_mentees:
            reason = "no mentee ranked them"
        else:
            reason = "the mentees they ranked were paired with mentors they ranked higher"
        unmatched.append(Unmatched(p.id, "mentor", reason))
    for p in mentees:
        if p.id in matched_mentees:
            continue
        if not mentee_prefs.get(p.id):
            reason = "ranked no mentor"
        elif not e_prefs[p.id]:
            reason = "every mentor they ranked is excluded by a hard rule"
        elif p.id not in ranked_by_mentors:
            reason = "no mentor ranked them"
        elif not any(p.id in m_prefs[m] for m in e_prefs[p.id]):
            reason = "none of the mentors they ranked ranked them back"
        else:
            reason = "the mentors they ranked filled their places with mentees they ranked higher"
        unmatched.append(Unmatched(p.id, "mentee", reason))
    return Matching(pairs, tuple(unmatched), float(sum(p.percent for p in pairs)))


def solve_assignment(
    scores: FloatArray, allowed: BoolArray
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Maximum-score assignment (rows x columns) keeping only allowed cells.

    Forbidden cells get a score below minus the largest possible total, so the solver uses one
    only when no allowed cell is left for that row; such cells are dropped from the result.
    """
    big = 2.0 * float(np.abs(scores).max(initial=0.0)) * min(scores.shape) + 1.0
    profit = np.where(allowed, scores, -big)
    rows, cols = linear_sum_assignment(profit, maximize=True)
    keep = allowed[rows, cols]
    return rows[keep], cols[keep]


# --------------------------------------------------------------------------- stable matching


def stable_match(
    mentor_prefs: Mapping[str, Sequence[str]],
    mentee_prefs: Mapping[str, Sequence[str]],
    capacities: Mapping[str, int] | None = None,
) -> StableMatching:
    """Mentee-proposing deferred acceptance with mentor capacities (default 1).

    Only mutually acceptable pairs (each lists the other) can be formed. The result is the
    mentee-optimal stable matching, which does not depend on the order of proposals.
    """
    caps = {m: (capacities or {}).get(m, 1) for m in mentor_prefs}
    rank = {m: {e: r for r, e in enumerate(prefs)} for m, prefs in mentor_prefs.items()}
    held: dict[str, list[str]] = {m: [] for m in mentor_prefs}
    next_choice = dict.fromkeys(mentee_prefs, 0)
    free = sorted(mentee_prefs, reverse=True)  # a stack: smallest id proposes first
    while free:
        e = free.pop()
        prefs = mentee_prefs[e]
        while next_choice[e] < len(prefs):
            m = prefs[next_choice[e]]
            next_choice[e] += 1
            if m not in rank or e not in rank[m] or caps[m] <= 0:
                continue
            held[m].append(e)
            held[m].sort(key=lambda x: rank[m][x])
            if len(held[m]) <= caps[m]:
                break
            rejected = held[m].pop()
            if rejected != e:
                free.append(rejected)
                break
    pairs = sorted((m, e) for m, es in held.items() for e in es)
    matched = {e for _, e in pairs}
    return StableMatching(
        pairs=tuple(pairs),
        unmatched_mentees=tuple(sorted(e for e in mentee_prefs if e not in matched)),
        free_capacity={m: caps[m] - len(held[m]) for m in sorted(mentor_prefs)},
    )
