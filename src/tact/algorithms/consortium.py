"""Consortium builder for R&D calls: the best eligible partner sets, with reasons.

A call is data (``Call``): partner counts, minimum counts per organisation type or type group,
regional counts or shares (NUTS prefixes), academic partners, the industry share of the budget,
required competences with a minimum level, forbidden pairs and mandatory partners (the first
one is the applicant, who coordinates). ``build`` returns the ``top`` best distinct consortia,
each with its objective broken down, a role for every partner and a rule-by-rule report;
``check`` reports on a consortium someone already has; ``explain_infeasible`` says which rules
cannot be met together and why.

The objective, all integers so that CP-SAT proves bounds on exactly what we report:

- competence coverage: for each required competence, the best level (1-5) any partner has in
  it, times ``weights.coverage``;
- trust (prior collaboration): how well the applicant side knows its partners. For each
  partner, the joint projects (counted up to 3) it already ran with a mandatory partner (the
  applicant); for a mandatory partner, with its closest other partner. A call without mandatory
  partners counts, for each partner, the joint projects with its closest partner. Times
  ``weights.trust``;
- interdisciplinarity: the number of different kinds of organisation taking part (SME, large
  company, university, research institute, public body, cluster organisation, other), times
  ``weights.sectors`` — different kinds bring different disciplines and viewpoints;
- small core group: each seat left free below the call's maximum, times
  ``weights.small_group``, so a partner is only added when it brings enough of the above.

Large registries (10,000 organisations) are cut to a *pool* before solving: the mandatory
partners and everyone who ever worked with them, for each required competence every provider
at the top levels (down to the level where at least ``max_partners`` providers are kept), and
per class of organisation (type x which regional rules its region meets) the best by budget,
by required levels and by ties. The cut is made sound by a relaxation: the left-out
organisations of each class *and* each profile of required levels (the tuple of their levels
in the required competences) are stood in for by a *phantom*, an integer variable "how many of
them", whose members have exactly that profile, the best budget of the group (largest for
industry, smallest otherwise) and no forbidden pairs. Trust through phantoms is bounded by the
recorded ties only:

- a pool member earns trust level ``lv`` from a phantom only if it is tied at ``lv`` or more to
  one of its members, and the pool members so served at ``lv`` number at most
  ``sum_k reach_k[lv] * u_k`` (``reach``: the most pool members one member of the group is
  tied to);
- a phantom's partners earn ``lv`` only as many as the chosen pool members have ties at ``lv``
  into the group, or (all of them) when a phantom with a tie at ``lv`` into the group is also
  used (two of its own members for a tie inside the group).

Any consortium of the whole registry maps to a solution of this relaxation with at least its
objective (``test_phantom_relaxation_bounds_the_registry`` checks it by brute force), so the
relaxation's proven bound bounds the whole registry. When its optimum uses no phantom, that
optimum is a real consortium and globally optimal; when it does, real organisations of those
groups (first those tied to the chosen partners) join the pool and the model is solved again;
every round's bound is valid, the smallest is kept. Without mandatory partners the pool also
takes in every organisation tied to two or more level-5 providers of the pool (``HUB_TIER``),
each round first solves the pool alone exactly (quick) for a real incumbent, and the
relaxation is asked only for a better objective (a cut-off): infeasible proves the incumbent
optimal, and otherwise the bound is max(cut-off - 1, solver bound). A relaxed optimum that uses
phantoms is also realised at once with real members of their groups (``_realize``). Whatever
the time limit leaves, the reported gap is against the global bound.

Before that, organisations *dominated* by at least ``max_partners`` pool members of their class
are dropped altogether (neither in the pool nor behind a phantom); ``_dominated`` says why this
loses no optimum. On the benchmark registry it drops 8,616 of 10,000.

Alternatives 2..k are found with diversity cuts: each must leave out at least ``min_difference``
(default 2) partners of every earlier consortium, ``|S & S_prev| <= |S_prev| - min_difference``,
so an alternative is not a near-copy that swaps a single partner. Their bounds hold among
consortia without dominated organisations: a dominated organisation can always be swapped for one at least as good, but the swapped consortium may be an earlier one.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

ORG_TYPES: tuple[str, ...] = (
    "sme",
    "large",
    "university",
    "research",
    "public",
    "cluster",
    "other",
)
INDUSTRIAL: frozenset[str] = frozenset({"sme", "large"})
ACADEMIC: frozenset[str] = frozenset({"university", "research"})
TYPE_LABELS: dict[str, str] = {
    "sme": "SME",
    "large": "large company",
    "university": "university",
    "research": "research institute",
    "public": "public body",
    "cluster": "cluster organisation",
    "other": "other organisation",
}
TIE_CAP = 3
HUB_TIER = 5  # see build(): without an applicant, hubs between strong providers
MAX_LEVEL = 5

Progress = Callable[[float, str], None]


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    type: str
    region: str = ""
    competences: Mapping[str, int] = field(default_factory=dict)
    budget: float = 0.0  # planned contribution to the project budget

    @property
    def industrial(self) -> bool:
        return self.type in INDUSTRIAL

    @property
    def academic(self) -> bool:
        return self.type in ACADEMIC

    def level(self, code: str) -> int:
        return int(self.competences.get(code, 0))


@dataclass(frozen=True)
class Collaboration:
    a: str
    b: str
    projects: int = 1


@dataclass(frozen=True)
class TypeRule:
    """At least (and optionally at most) ``min_count`` partners whose type is in ``types``."""

    label: str
    types: frozenset[str]
    min_count: int = 0
    max_count: int | None = None


@dataclass(frozen=True)
class RegionRule:
    """Partners from regions starting with one of ``prefixes`` (NUTS codes, e.g. CH022).

    ``among`` restricts the rule to partners of these types (``None``: all partners);
    ``min_share`` is the share of those partners that must be from the regions.
    """

    label: str
    prefixes: tuple[str, ...]
    min_count: int = 0
    min_share: float = 0.0
    among: frozenset[str] | None = None
    among_label: str = "partners"

    def matches(self, region: str) -> bool:
        r = region.strip().upper()
        return any(r.startswith(p.strip().upper()) for p in self.prefixes)

    def applies(self, org_type: str) -> bool:
        return self.among is None or org_type in self.among


@dataclass(frozen=True)
class CompetenceRequirement:
    code: str
    min_level: int = 1
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.code


@dataclass(frozen=True)
class Weights:
    coverage: int = 10
    trust: int = 2
    sectors: int = 6
    small_group: int = 12


@dataclass(frozen=True)
class Call:
    name: str = ""
    min_partners: int = 2
    max_partners: int = 12
    type_rules: tuple[TypeRule, ...] = ()
    region_rules: tuple[RegionRule, ...] = ()
    min_academic: int = 0
    min_industry_budget_share: float = 0.0
    required_competences: tuple[CompetenceRequirement, ...] = ()
    forbidden_pairs: tuple[tuple[str, str], ...] = ()
    mandatory: tuple[str, ...] = ()
    weights: Weights = Weights()

    def rule_keys(self) -> list[str]:
        keys = ["partners"]
        keys += [f"type:{i}" for i in range(len(self.type_rules))]
        keys += [f"region:{i}" for i in range(len(self.region_rules))]
        if self.min_academic:
            keys.append("academic")
        if self.min_industry_budget_share > 0:
            keys.append("budget")
        keys += [f"competence:{r.code}" for r in self.required_competences]
        keys += [f"forbidden:{a}|{b}" for a, b in self.forbidden_pairs]
        keys += [f"mandatory:{m}" for m in self.mandatory]
        return keys


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class RuleCheck:
    key: str
    kind: str  # partners | type | region | academic | budget | competence | forbidden | mandatory
    ok: bool
    actual: float
    required: float
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EligibilityReport:
    eligible: bool
    checks: tuple[RuleCheck, ...]

    @property
    def failures(self) -> tuple[RuleCheck, ...]:
        return tuple(c for c in self.checks if not c.ok)


@dataclass(frozen=True)
class Role:
    kind: str  # coordinator | mandatory | competence | academic | industrial | regional | connector
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Member:
    candidate: Candidate
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class Term:
    name: str  # coverage | trust | sectors | small_group
    value: int  # the raw count (levels, projects, kinds, free seats)
    points: int  # value x weight
    explanation: str


@dataclass(frozen=True)
class Breakdown:
    terms: tuple[Term, ...]

    @property
    def total(self) -> int:
        return sum(t.points for t in self.terms)


@dataclass(frozen=True)
class Consortium:
    rank: int
    members: tuple[Member, ...]
    objective: int
    breakdown: Breakdown
    report: EligibilityReport
    status: str  # optimal | feasible | greedy (no bound: the solver found nothing in time)
    bound: int | None
    gap: float | None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(m.candidate.id for m in self.members)


@dataclass(frozen=True)
class Blocker:
    key: str  # the rule (see Call.rule_keys), or "time" / "combination"
    message: str
    code: str = ""  # which explanation, for translating ``message`` from ``params``
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BuildResult:
    consortia: tuple[Consortium, ...]
    status: str  # optimal | feasible | infeasible | unknown
    bound: int | None
    gap: float | None
    blockers: tuple[Blocker, ...] = ()
    stats: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- helpers


def _cents(amount: float) -> int:
    return round(max(0.0, float(amount)) * 100)


def _ratio(share: float) -> tuple[int, int]:
    f = Fraction(str(share)).limit_denominator(10_000)
    return f.numerator, f.denominator


def _pct(x: float) -> str:
    return f"{x * 100:.0f} %"


def _money(cents: int) -> str:
    return f"{cents / 100:,.0f}"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _group_label(types: Iterable[str]) -> str:
    return ", ".join(TYPE_LABELS.get(t, t) for t in sorted(types))


def _ties(collaborations: Iterable[Collaboration]) -> dict[str, dict[str, int]]:
    ties: dict[str, dict[str, int]] = defaultdict(dict)
    for c in collaborations:
        if c.a == c.b or c.projects <= 0:
            continue
        w = min(TIE_CAP, int(c.projects))
        if w > ties[c.a].get(c.b, 0):
            ties[c.a][c.b] = w
            ties[c.b][c.a] = w
    return ties


def _anchors(call: Call, ids: Iterable[str]) -> set[str]:
    """Whom trust is measured against: the mandatory partners, or everyone if none."""
    ids = set(ids)
    return set(call.mandatory) & ids if call.mandatory else ids


def _type_rules(call: Call) -> list[tuple[str, TypeRule]]:
    rules = [(f"type:{i}", r) for i, r in enumerate(call.type_rules)]
    if call.min_academic:
        rules.append(("academic", TypeRule("academic", ACADEMIC, call.min_academic)))
    return rules


# --------------------------------------------------------------------------- objective


def evaluate(
    call: Call, members: Sequence[Candidate], collaborations: Iterable[Collaboration] = ()
) -> Breakdown:
    return _breakdown(call, members, _ties(collaborations))


def _breakdown(
    call: Call, members: Sequence[Candidate], ties: Mapping[str, Mapping[str, int]]
) -> Breakdown:
    w = call.weights
    ids = {m.id for m in members}
    cov = 0
    best_parts = []
    for req in call.required_competences:
        best = max((m.level(req.code) for m in members), default=0)
        best = min(MAX_LEVEL, best)
        cov += best
        best_parts.append(f"{req.name} {best}")
    trust = 0
    trusted = 0
    anchors = _anchors(call, ids)
    for m in members:
        near = ids if m.id in anchors and call.mandatory else anchors
        t = max((wt for o, wt in ties.get(m.id, {}).items() if o in near and o != m.id), default=0)
        trust += t
        trusted += t > 0
    kinds = sorted({m.type for m in members})
    free = call.max_partners - len(members)
    return Breakdown(
        (
            Term(
                "coverage",
                cov,
                cov * w.coverage,
                "best level per required competence: " + ", ".join(best_parts)
                if best_parts
                else "no required competences",
            ),
            Term(
                "trust",
                trust,
                trust * w.trust,
                f"{trusted} of {len(members)} partners already ran joint projects with "
                + ("the applicant side" if call.mandatory else "another partner")
                + f" ({trust} projects counted, up to {TIE_CAP} per partner)",
            ),
            Term(
                "sectors",
                len(kinds),
                len(kinds) * w.sectors,
                f"{len(kinds)} kinds of organisation: {_group_label(kinds)}",
            ),
            Term(
                "small_group",
                free,
                free * w.small_group,
                f"{len(members)} partners, {free} seats below the maximum of {call.max_partners}",
            ),
        )
    )


# --------------------------------------------------------------------------- check


def check(call: Call, members: Sequence[Candidate]) -> EligibilityReport:
    """Every rule of the call against a given consortium, in plain words."""
    out: list[RuleCheck] = []
    n = len(members)
    ids = {m.id for m in members}
    if n < call.min_partners:
        msg = f"{_plural(n, 'partner')}; the call needs at least {call.min_partners}."
    elif n > call.max_partners:
        msg = f"{_plural(n, 'partner')}; the call allows at most {call.max_partners}."
    else:
        msg = (
            f"{_plural(n, 'partner')}; the call allows {call.min_partners} to {call.max_partners}."
        )
    out.append(
        RuleCheck(
            "partners",
            "partners",
            call.min_partners <= n <= call.max_partners,
            n,
            call.min_partners,
            msg,
            {"min": call.min_partners, "max": call.max_partners},
        )
    )
    for key, rule in _type_rules(call):
        k = sum(1 for m in members if m.type in rule.types)
        ok = k >= rule.min_count and (rule.max_count is None or k <= rule.max_count)
        what = f"{rule.label} partner" if rule.label else "partner"
        msg = f"{_plural(k, what)} ({_group_label(rule.types)}); "
        if rule.max_count is not None and k > rule.max_count:
            msg += f"the call allows at most {rule.max_count}."
        else:
            msg += f"the call needs at least {rule.min_count}."
        out.append(
            RuleCheck(
                key,
                "academic" if key == "academic" else "type",
                ok,
                k,
                rule.min_count,
                msg,
                {"label": rule.label, "types": sorted(rule.types), "max": rule.max_count},
            )
        )
    for i, rr in enumerate(call.region_rules):
        group = [m for m in members if rr.applies(m.type)]
        inside = [m for m in group if rr.matches(m.region)]
        where = f"{rr.label} ({', '.join(rr.prefixes)})"
        ok = True
        parts = []
        if rr.min_count:
            ok = len(inside) >= rr.min_count
            parts.append(
                f"{len(inside)} {rr.among_label} from {where}; the call needs at least "
                f"{rr.min_count}."
            )
        if rr.min_share > 0:
            p, q = _ratio(rr.min_share)
            share_ok = len(inside) * q >= p * len(group)
            ok = ok and share_ok
            share = len(inside) / len(group) if group else 1.0
            if group:
                parts.append(
                    f"{len(inside)} of {len(group)} {rr.among_label} from {where} "
                    f"({_pct(share)}); the call needs at least {_pct(rr.min_share)}."
                )
            else:
                parts.append(f"no {rr.among_label}, so the share from {where} holds.")
        out.append(
            RuleCheck(
                f"region:{i}",
                "region",
                ok,
                len(inside),
                rr.min_count,
                _upper_first(" ".join(parts)) if parts else f"No condition on {where}.",
                {
                    "label": rr.label,
                    "prefixes": list(rr.prefixes),
                    "inside": len(inside),
                    "group": len(group),
                    "min_count": rr.min_count,
                    "min_share": rr.min_share,
                    "among_label": rr.among_label,
                },
            )
        )
    if call.min_industry_budget_share > 0:
        ind = sum(_cents(m.budget) for m in members if m.industrial)
        total = sum(_cents(m.budget) for m in members)
        p, q = _ratio(call.min_industry_budget_share)
        ok = ind > 0 and ind * q >= p * total
        share = ind / total if total else 0.0
        msg = (
            f"Industry provides {_pct(share)} of the budget ({_money(ind)} of {_money(total)}); "
            f"the call needs at least {_pct(call.min_industry_budget_share)}."
            if total
            else "No planned budget contributions; the call needs industry to provide at least "
            f"{_pct(call.min_industry_budget_share)}."
        )
        out.append(
            RuleCheck(
                "budget",
                "budget",
                ok,
                share,
                call.min_industry_budget_share,
                msg,
                {"industry": ind / 100, "total": total / 100},
            )
        )
    for req in call.required_competences:
        best = max(members, key=lambda m: m.level(req.code), default=None)
        level = best.level(req.code) if best else 0
        ok = level >= req.min_level
        if level > 0 and best is not None:
            msg = (
                f"{req.name} covered at level {level} by {best.name}; "
                f"the call needs level {req.min_level}."
            )
        else:
            msg = f"No partner has {req.name}; the call needs it at level {req.min_level}."
        out.append(
            RuleCheck(
                f"competence:{req.code}",
                "competence",
                ok,
                level,
                req.min_level,
                msg,
                {"code": req.code, "name": req.name, "by": best.name if best and level else ""},
            )
        )
    names = {m.id: m.name for m in members}
    for a, b in call.forbidden_pairs:
        both = a in ids and b in ids
        msg = (
            f"{names[a]} and {names[b]} are both in; the call forbids this pair."
            if both
            else f"{a} and {b} are not together."
        )
        out.append(
            RuleCheck(
                f"forbidden:{a}|{b}",
                "forbidden",
                not both,
                int(both),
                0,
                msg,
                {"a": a, "b": b, "a_name": names.get(a, a), "b_name": names.get(b, b)},
            )
        )
    for j, mid in enumerate(call.mandatory):
        who = "the applicant" if j == 0 else "a mandatory partner"
        there = mid in ids
        msg = (
            f"{names[mid]} ({who}) is in."
            if there
            else f"{mid} ({who}) must be in the consortium but is missing."
        )
        out.append(
            RuleCheck(
                f"mandatory:{mid}",
                "mandatory",
                there,
                int(there),
                1,
                msg,
                {"id": mid, "name": names.get(mid, mid), "applicant": j == 0},
            )
        )
    return EligibilityReport(all(c.ok for c in out), tuple(out))


def roles(
    call: Call, members: Sequence[Candidate], collaborations: Iterable[Collaboration] = ()
) -> tuple[Member, ...]:
    return _roles(call, members, _ties(collaborations))


def _roles(
    call: Call, members: Sequence[Candidate], ties: Mapping[str, Mapping[str, int]]
) -> tuple[Member, ...]:
    ids = {m.id for m in members}
    providers: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for req in call.required_competences:
        best = max((m.level(req.code) for m in members), default=0)
        if best >= max(1, req.min_level):
            for m in members:
                if m.level(req.code) == best:
                    providers[m.id].append((req.name, best))
    out = []
    for m in members:
        rs: list[Role] = []
        if call.mandatory and m.id == call.mandatory[0]:
            rs.append(Role("coordinator", "coordinator (the applicant)"))
        elif m.id in call.mandatory:
            rs.append(Role("mandatory", "mandatory partner named by the call"))
        for name, level in providers.get(m.id, []):
            rs.append(
                Role(
                    "competence",
                    f"competence provider for {name} (level {level})",
                    {"competence": name, "level": level},
                )
            )
        if m.academic:
            rs.append(
                Role("academic", f"academic partner ({TYPE_LABELS[m.type]})", {"type": m.type})
            )
        if m.industrial:
            rs.append(
                Role(
                    "industrial",
                    f"industrial partner ({TYPE_LABELS[m.type]}), "
                    f"contributes {_money(_cents(m.budget))}",
                    {"budget": m.budget, "type": m.type},
                )
            )
        for rr in call.region_rules:
            if rr.applies(m.type) and rr.matches(m.region):
                rs.append(
                    Role(
                        "regional",
                        f"counts for {rr.label} ({m.region})",
                        {"label": rr.label, "region": m.region},
                    )
                )
        known = sorted(o for o in ties.get(m.id, {}) if o in ids and o != m.id)
        if known:
            names = [x.name for x in members if x.id in known]
            rs.append(
                Role(
                    "connector",
                    "already worked with " + ", ".join(names),
                    {"partners": names},
                )
            )
        if not rs:
            rs.append(Role("partner", "partner"))
        out.append(Member(m, tuple(rs)))
    return tuple(out)


# --------------------------------------------------------------------------- model


@dataclass
class _Phantom:
    """Left-out organisations of one class *and* one profile of required levels.

    ``tie_pool[lv][c]``: how many of them are tied at ``lv`` or more to pool member ``c``;
    ``reach[lv]``: the most pool members any one of them is tied to at ``lv`` or more;
    ``tie_groups[lv]``: the other phantoms with a member tied at ``lv`` or more to one of
    these (the phantom itself when two of its own members are tied).
    """

    cls: tuple[str, tuple[bool, ...]]
    profile: tuple[int, ...]
    count: int
    budget: int
    levels: dict[str, int]
    members: tuple[str, ...]
    tie_pool: dict[int, dict[str, int]] = field(default_factory=dict)
    reach: dict[int, int] = field(default_factory=dict)
    # (t, lv): the most pool members of tier >= t (best required level) one member is tied to
    reach_tier: dict[tuple[int, int], int] = field(default_factory=dict)
    tie_groups: dict[int, set[int]] = field(default_factory=dict)

    @property
    def type(self) -> str:
        return self.cls[0]

    @property
    def key(self) -> tuple[tuple[str, tuple[bool, ...]], tuple[int, ...]]:
        return self.cls, self.profile


def _class(call: Call, c: Candidate) -> tuple[str, tuple[bool, ...]]:
    return c.type, tuple(rr.matches(c.region) for rr in call.region_rules)


def _profile(call: Call, c: Candidate) -> tuple[int, ...]:
    return tuple(min(MAX_LEVEL, c.level(r.code)) for r in call.required_competences)


def _phantoms(
    call: Call,
    outsiders: Sequence[Candidate],
    ties: Mapping[str, Mapping[str, int]],
    pool: set[str],
    pool_tier: Mapping[str, int] | None = None,
) -> list[_Phantom]:
    """One phantom per (class, profile of required levels) of the left-out organisations.

    Its levels are exactly the profile's (no phantom combines the best levels of different
    organisations); its budget is the best of the group (largest for industry, smallest
    otherwise) and it is exempt from forbidden pairs. Trust is not a number per phantom: the
    model lets a phantom's members earn or give trust only through the ties recorded here.
    Only ties that count are recorded: with mandatory partners (who are all in the pool, as is
    everyone tied to them) an outsider earns trust only from a mandatory partner.
    """
    mand = set(call.mandatory)
    by_key: dict[tuple[tuple[str, tuple[bool, ...]], tuple[int, ...]], list[Candidate]]
    by_key = defaultdict(list)
    for o in outsiders:
        by_key[(_class(call, o), _profile(call, o))].append(o)
    out: list[_Phantom] = []
    where: dict[str, int] = {}
    for (cls, prof), group in sorted(by_key.items()):
        industrial = cls[0] in INDUSTRIAL
        budgets = [_cents(o.budget) for o in group]
        ph = _Phantom(
            cls,
            prof,
            len(group),
            max(budgets) if industrial else min(budgets),
            {r.code: prof[i] for i, r in enumerate(call.required_competences)},
            tuple(o.id for o in group),
        )
        for o in group:
            where[o.id] = len(out)
        out.append(ph)
    tiers = pool_tier or {}
    for ph in out:
        for oid in ph.members:
            n_lv: dict[int, int] = defaultdict(int)
            n_tier: dict[tuple[int, int], int] = defaultdict(int)
            for t, wt in ties.get(oid, {}).items():
                if t in pool:
                    if mand and t not in mand:
                        continue
                    for lv in range(1, wt + 1):
                        ph.tie_pool.setdefault(lv, {})
                        ph.tie_pool[lv][t] = ph.tie_pool[lv].get(t, 0) + 1
                        n_lv[lv] += 1
                        for tier in range(1, tiers.get(t, 0) + 1):
                            n_tier[(tier, lv)] += 1
                elif t in where and not mand:
                    for lv in range(1, wt + 1):
                        ph.tie_groups.setdefault(lv, set()).add(where[t])
            for lv, n in n_lv.items():
                ph.reach[lv] = max(ph.reach.get(lv, 0), n)
            for key, n in n_tier.items():
                ph.reach_tier[key] = max(ph.reach_tier.get(key, 0), n)
    return out


@dataclass
class _Model:
    model: cp_model.CpModel
    x: dict[str, cp_model.IntVar]
    u: list[cp_model.IntVar]
    objective: Any


def _build_model(
    call: Call,
    pool: Sequence[Candidate],
    phantoms: Sequence[_Phantom],
    ties: Mapping[str, Mapping[str, int]],
    *,
    skip: frozenset[str] = frozenset(),
    cuts: Sequence[frozenset[str]] = (),
    min_difference: int = 1,
    with_objective: bool = True,
) -> _Model:
    m = cp_model.CpModel()
    x = {c.id: m.new_bool_var(f"x{i}") for i, c in enumerate(pool)}
    u = [m.new_int_var(0, min(p.count, call.max_partners), f"u{k}") for k, p in enumerate(phantoms)]
    pool_ids = set(x)
    size = sum(x.values()) + sum(u)
    if "partners" not in skip:
        m.add(size >= call.min_partners)
        m.add(size <= call.max_partners)
    else:
        m.add(size >= 1)
    for key, rule in _type_rules(call):
        if key in skip:
            continue
        cnt = sum(x[c.id] for c in pool if c.type in rule.types) + sum(
            u[k] for k, p in enumerate(phantoms) if p.type in rule.types
        )
        m.add(cnt >= rule.min_count)
        if rule.max_count is not None:
            m.add(cnt <= rule.max_count)
    for i, rr in enumerate(call.region_rules):
        if f"region:{i}" in skip:
            continue
        group = sum(x[c.id] for c in pool if rr.applies(c.type)) + sum(
            u[k] for k, p in enumerate(phantoms) if rr.applies(p.type)
        )
        inside = sum(x[c.id] for c in pool if rr.applies(c.type) and rr.matches(c.region)) + sum(
            u[k] for k, p in enumerate(phantoms) if rr.applies(p.type) and p.cls[1][i]
        )
        if rr.min_count:
            m.add(inside >= rr.min_count)
        if rr.min_share > 0:
            p_, q_ = _ratio(rr.min_share)
            m.add(q_ * inside >= p_ * group)
    if call.min_industry_budget_share > 0 and "budget" not in skip:
        p_, q_ = _ratio(call.min_industry_budget_share)
        terms = []
        ind_terms = []
        for c in pool:
            b = _cents(c.budget)
            if c.industrial:
                terms.append((q_ - p_) * b * x[c.id])
                ind_terms.append(b * x[c.id])
            elif b:
                terms.append(-p_ * b * x[c.id])
        for k, ph in enumerate(phantoms):
            if ph.type in INDUSTRIAL:
                terms.append((q_ - p_) * ph.budget * u[k])
                ind_terms.append(ph.budget * u[k])
            elif ph.budget:
                terms.append(-p_ * ph.budget * u[k])
        m.add(sum(terms) >= 0)
        m.add(sum(ind_terms) >= 1)
    for fa, fb in call.forbidden_pairs:
        if f"forbidden:{fa}|{fb}" not in skip and fa in pool_ids and fb in pool_ids:
            m.add(x[fa] + x[fb] <= 1)
    for mid in call.mandatory:
        if f"mandatory:{mid}" not in skip and mid in pool_ids:
            m.add(x[mid] == 1)
    for cut in cuts:
        # diversity cut: at least ``min_difference`` of an earlier consortium's partners are
        # left out (they are real pool members: the pool only grows, so all are in ``x``)
        m.add(sum(x[i] for i in cut if i in x) <= len(cut) - max(1, min_difference))

    cov_terms: list[Any] = []
    for req in call.required_competences:
        key = f"competence:{req.code}"
        top = max(
            [c.level(req.code) for c in pool] + [p.levels.get(req.code, 0) for p in phantoms],
            default=0,
        )
        top = min(MAX_LEVEL, top)
        need = req.min_level if key not in skip else 0
        if need > top:
            m.add_bool_or([])  # nobody reaches the level: infeasible
            continue
        levels = range(1, (top if with_objective else need) + 1)
        for lv in levels:
            z = m.new_bool_var(f"z_{req.code}_{lv}")
            providers = [x[c.id] for c in pool if c.level(req.code) >= lv] + [
                u[k] for k, p in enumerate(phantoms) if p.levels.get(req.code, 0) >= lv
            ]
            m.add(z <= sum(providers))
            if lv <= need:
                m.add(z == 1)
            cov_terms.append(z)
    if not with_objective:
        return _Model(m, x, u, 0)

    w = call.weights
    trust_terms: list[Any] = []
    trust_levels: dict[int, list[Any]] = defaultdict(list)
    mand = set(call.mandatory)
    # f[(c, lv)]: pool member c is tied at >= lv to some partner behind a phantom. A partner
    # behind phantom k is tied to at most ``reach[lv]`` pool members, hence the capacity.
    by_member: dict[tuple[str, int], list[Any]] = defaultdict(list)
    into: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for k, ph in enumerate(phantoms):
        for lv, tied in ph.tie_pool.items():
            for cid in tied:
                if cid in x and (not mand or cid in mand):
                    into[(cid, lv)].append(u[k])
    f_by_lv: dict[int, list[Any]] = defaultdict(list)
    for (cid, lv), us in sorted(into.items()):
        var = m.new_bool_var(f"f_{cid}_{lv}")
        m.add(var <= sum(us))
        by_member[(cid, lv)].append(var)
        f_by_lv[lv].append(var)
    for lv, fs in f_by_lv.items():
        m.add(sum(fs) <= sum(ph.reach.get(lv, 0) * u[k] for k, ph in enumerate(phantoms)))
    # the same capacity over the pool members with a required level of at least ``tier``: a
    # left-out organisation is seldom tied to several strong providers at once
    tier_of = {
        c.id: max((min(MAX_LEVEL, c.level(r.code)) for r in call.required_competences), default=0)
        for c in pool
    }
    for tier in range(1, MAX_LEVEL + 1):
        for lv in range(1, TIE_CAP + 1):
            fs = [
                by_member[(cid, lv)][0]
                for cid in x
                if tier_of.get(cid, 0) >= tier and (cid, lv) in by_member
            ]
            if fs:
                cap_t = [ph.reach_tier.get((tier, lv), 0) * u[k] for k, ph in enumerate(phantoms)]
                m.add(sum(fs) <= sum(cap_t))
    for c in pool:
        nb = ties.get(c.id, {})
        for lv in range(1, TIE_CAP + 1):
            friends = [
                x[o]
                for o, wt in nb.items()
                if wt >= lv and o in pool_ids and (not mand or c.id in mand or o in mand)
            ]
            friends += by_member.get((c.id, lv), [])
            if not friends:
                break
            t = m.new_bool_var(f"t_{c.id}_{lv}")
            m.add(t <= x[c.id])
            m.add(t <= sum(friends))
            trust_levels[lv].append(t)
            trust_terms.append(t)
    for k, ph in enumerate(phantoms):
        cap = min(ph.count, call.max_partners)
        for lv in range(1, TIE_CAP + 1):
            from_pool = [(n, x[cid]) for cid, n in ph.tie_pool.get(lv, {}).items() if cid in x]
            groups = ph.tie_groups.get(lv, set())
            if not from_pool and not groups:
                continue
            # how many partners behind phantom k earn trust >= lv: each needs a tied partner,
            # in the pool (at most that pool member's ties into the group) or behind a phantom
            tk = m.new_int_var(0, cap, f"T_{k}_{lv}")
            m.add(tk <= u[k])
            rhs: list[Any] = [min(n, cap) * xv for n, xv in from_pool]
            if groups:
                y = m.new_bool_var(f"y_{k}_{lv}")
                others = [u[j] for j in groups if j != k]
                if k in groups:
                    v = m.new_bool_var(f"v_{k}_{lv}")
                    m.add(2 * v <= u[k])  # two of its own members, tied to each other
                    others.append(v)
                m.add(y <= sum(others))
                rhs.append(cap * y)
            m.add(tk <= sum(rhs))
            trust_levels[lv].append(tk)
            trust_terms.append(tk)
    # redundant but tightens the bound: at most one trust point per partner and level
    for lv_terms in trust_levels.values():
        m.add(sum(lv_terms) <= size)
    sector_terms = []
    for t_ in ORG_TYPES:
        members = [x[c.id] for c in pool if c.type == t_] + [
            u[k] for k, p in enumerate(phantoms) if p.type == t_
        ]
        if members:
            s = m.new_bool_var(f"s_{t_}")
            m.add(s <= sum(members))
            sector_terms.append(s)
    obj = (
        w.coverage * sum(cov_terms)
        + w.trust * sum(trust_terms)
        + w.sectors * sum(sector_terms)
        + w.small_group * (call.max_partners - size)
    )
    m.maximize(obj)
    return _Model(m, x, u, obj)


# --------------------------------------------------------------------------- pool


def _strength(c: Candidate, ties: Mapping[str, Mapping[str, int]]) -> tuple[int, int]:
    nb = ties.get(c.id, {})
    return max(nb.values(), default=0), sum(nb.values())


def _initial_pool(
    call: Call,
    candidates: Sequence[Candidate],
    ties: Mapping[str, Mapping[str, int]],
    per_class: int,
) -> set[str]:
    """The organisations that plausibly matter; soundness does not rest on this choice."""
    by_id = {c.id: c for c in candidates}
    keep: set[str] = {m for m in call.mandatory if m in by_id}
    # everyone who worked with a mandatory partner: the only ones that can earn trust points
    for mid in list(keep):
        keep.update(o for o in ties.get(mid, {}) if o in by_id)
    per_comp = max(call.max_partners, 8)
    for req in call.required_competences:
        prov = [c for c in candidates if c.level(req.code) >= max(1, req.min_level)]
        prov.sort(key=lambda c: -c.level(req.code))
        if not prov:
            continue
        # every provider at the top levels, down to where enough are kept
        floor = prov[min(len(prov), per_comp) - 1].level(req.code)
        floor = min(floor, max(1, prov[0].level(req.code) - 1))
        keep.update(c.id for c in prov if c.level(req.code) >= floor)
    # enough of every class for the counting rules, the budget and ties
    by_cls: dict[tuple[str, tuple[bool, ...]], list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_cls[_class(call, c)].append(c)
    for cls, group in by_cls.items():
        industrial = cls[0] in INDUSTRIAL
        orders: list[Callable[[Candidate], Any]] = [
            (lambda c: (-c.budget, c.id)) if industrial else (lambda c: (c.budget, c.id)),
            lambda c: (
                -sum(min(MAX_LEVEL, c.level(r.code)) for r in call.required_competences),
                c.id,
            ),
        ]
        for key in orders:
            keep.update(c.id for c in sorted(group, key=key)[:per_class])
    return keep


def _dominated(
    call: Call,
    candidates: Sequence[Candidate],
    pool: set[str],
    ties: Mapping[str, Mapping[str, int]],
) -> set[str]:
    """Organisations that can be left out without losing any optimum.

    ``k`` dominates ``j`` when both are of the same class (type and regional flags), ``k`` is
    in no forbidden pair and is not mandatory, and ``k`` is at least as good on everything the
    rules and the objective read: each required competence level, the budget (higher for
    industry, lower otherwise: only the industry share reads it) and the tie with each
    mandatory partner (trust reads only those); equal rows are ordered by position, so the
    relation is a strict order. If ``j`` has at least ``max_partners`` dominators in the
    pool, then in any consortium containing ``j`` one of them is free, and swapping it in keeps
    every rule and does not lower the objective; repeating ends (the order is strict) at a
    consortium as good without any dropped organisation. Only used with mandatory partners:
    without them trust is pairwise and no such scalar comparison exists.
    """
    if not call.mandatory:
        return set()
    need = call.max_partners
    mand = list(dict.fromkeys(call.mandatory))
    in_pairs = {a for pair in call.forbidden_pairs for a in pair}
    reqs = [r.code for r in call.required_competences]

    def row(c: Candidate) -> list[float]:
        sign = 1.0 if c.industrial else -1.0
        nb = ties.get(c.id, {})
        return [
            *(float(min(MAX_LEVEL, c.level(code))) for code in reqs),
            sign * _cents(c.budget),
            *(float(nb.get(m, 0)) for m in mand),
        ]

    by_cls: dict[tuple[str, tuple[bool, ...]], list[int]] = defaultdict(list)
    for i, c in enumerate(candidates):
        if c.id not in call.mandatory:
            by_cls[_class(call, c)].append(i)
    out: set[str] = set()
    for idx in by_cls.values():
        dom = [i for i in idx if candidates[i].id in pool and candidates[i].id not in in_pairs]
        if len(dom) < need:
            continue
        d_rows = np.array([row(candidates[i]) for i in dom])
        d_pos = np.array(dom)
        c_rows = np.array([row(candidates[i]) for i in idx])
        c_pos = np.array(idx)
        for lo in range(0, len(idx), 512):
            blk = c_rows[lo : lo + 512, None, :]
            ge = (d_rows[None, :, :] >= blk).all(axis=2)
            eq = (d_rows[None, :, :] == blk).all(axis=2)
            first = d_pos[None, :] < c_pos[lo : lo + 512, None]
            count = (ge & (~eq | first)).sum(axis=1)
            for k in np.nonzero(count >= need)[0]:
                out.add(candidates[idx[lo + int(k)]].id)
    return out


def _expand(
    call: Call,
    candidates: Sequence[Candidate],
    pool: set[str],
    keys: set[tuple[tuple[str, tuple[bool, ...]], tuple[int, ...]]],
    ties: Mapping[str, Mapping[str, int]],
    per_class: int,
    skip: set[str],
    chosen: frozenset[str] = frozenset(),
) -> int:
    """Bring into the pool the most promising real organisations behind the given phantoms
    (class and profile of required levels): first those tied to the pool members the
    relaxation chose (they can give what the phantom promised), then the best tied, then the
    best budgets."""
    added = 0
    groups: dict[Any, list[Candidate]] = defaultdict(list)
    for c in candidates:
        if c.id in pool or c.id in skip:
            continue
        key = (_class(call, c), _profile(call, c))
        if key in keys:
            groups[key].append(c)
    for key, group in groups.items():
        sign = 1.0 if key[0][0] in INDUSTRIAL else -1.0

        def score(c: Candidate, sign: float = sign) -> tuple[Any, ...]:
            nb = ties.get(c.id, {})
            to_chosen = max((wt for o, wt in nb.items() if o in chosen), default=0)
            near = sum(wt for o, wt in nb.items() if o in pool)
            return (-to_chosen, -max(nb.values(), default=0), -near, -sign * c.budget, c.id)

        for c in sorted(group, key=score)[: max(per_class, 4 * call.max_partners)]:
            pool.add(c.id)
            added += 1
    return added


# --------------------------------------------------------------------------- greedy


def greedy(
    call: Call,
    candidates: Sequence[Candidate],
    collaborations: Iterable[Collaboration] = (),
) -> list[Candidate] | None:
    """A plain constructive baseline: satisfy each rule in turn with the best-looking partner,
    then add partners while the objective improves. Returns None when it gets stuck."""
    return _greedy(call, candidates, _ties(collaborations))


def _greedy(
    call: Call, candidates: Sequence[Candidate], ties: Mapping[str, Mapping[str, int]]
) -> list[Candidate] | None:
    by_id = {c.id: c for c in candidates}
    if any(m not in by_id for m in call.mandatory):
        return None
    chosen: list[Candidate] = [by_id[m] for m in dict.fromkeys(call.mandatory)]
    forbidden: dict[str, set[str]] = defaultdict(set)
    for a, b in call.forbidden_pairs:
        forbidden[a].add(b)
        forbidden[b].add(a)

    def allowed(c: Candidate) -> bool:
        ids = {m.id for m in chosen}
        return c.id not in ids and not (forbidden.get(c.id, set()) & ids)

    def tie_to_chosen(c: Candidate) -> int:
        nb = ties.get(c.id, {})
        return sum(nb.get(m.id, 0) for m in chosen)

    def unmet_regions(c: Candidate) -> int:
        return sum(1 for rr in call.region_rules if rr.applies(c.type) and rr.matches(c.region))

    def pick(pred: Callable[[Candidate], bool], key: Callable[[Candidate], Any]) -> bool:
        best = None
        best_key = None
        for c in candidates:
            if pred(c) and allowed(c):
                k = key(c)
                if best_key is None or k > best_key:
                    best, best_key = c, k
        if best is None or len(chosen) >= call.max_partners:
            return False
        chosen.append(best)
        return True

    for req in sorted(
        call.required_competences,
        key=lambda r: sum(1 for c in candidates if c.level(r.code) >= r.min_level),
    ):
        if any(m.level(req.code) >= req.min_level for m in chosen):
            continue
        if not pick(
            lambda c, r=req: c.level(r.code) >= r.min_level,  # type: ignore[misc]
            lambda c, r=req: (c.level(r.code), unmet_regions(c), tie_to_chosen(c), c.budget),  # type: ignore[misc]
        ):
            return None
    for _key, rule in _type_rules(call):
        while sum(1 for m in chosen if m.type in rule.types) < rule.min_count:
            if not pick(
                lambda c, r=rule: c.type in r.types,  # type: ignore[misc]
                lambda c: (unmet_regions(c), tie_to_chosen(c), c.budget if c.industrial else 0),
            ):
                return None
    for rr in call.region_rules:
        p, q = _ratio(rr.min_share)
        while True:
            group = [m for m in chosen if rr.applies(m.type)]
            inside = sum(1 for m in group if rr.matches(m.region))
            if inside >= rr.min_count and inside * q >= p * len(group):
                break
            if not pick(
                lambda c, r=rr: r.applies(c.type) and r.matches(c.region),  # type: ignore[misc]
                lambda c: (tie_to_chosen(c), c.budget if c.industrial else 0),
            ):
                return None
    if call.min_industry_budget_share > 0:
        p, q = _ratio(call.min_industry_budget_share)
        while True:
            ind = sum(_cents(m.budget) for m in chosen if m.industrial)
            tot = sum(_cents(m.budget) for m in chosen)
            if ind > 0 and ind * q >= p * tot:
                break
            if not pick(lambda c: c.industrial, lambda c: (c.budget, tie_to_chosen(c))):
                return None
    # fill to the minimum, then add while the objective improves; only a shortlist is tried
    shortlist = sorted(
        candidates,
        key=lambda c: (
            -sum(min(MAX_LEVEL, c.level(r.code)) for r in call.required_competences),
            -_strength(c, ties)[1],
            c.id,
        ),
    )[:300]
    while len(chosen) < call.max_partners:
        base = _breakdown(call, chosen, ties).total
        best_c = None
        best_v = -math.inf
        for c in shortlist:
            if not allowed(c):
                continue
            trial = [*chosen, c]
            if not check(call, trial).eligible and len(trial) >= call.min_partners:
                continue
            v = _breakdown(call, trial, ties).total
            if v > best_v:
                best_c, best_v = c, v
        if best_c is None:
            break
        if len(chosen) >= call.min_partners and best_v <= base:
            break
        chosen.append(best_c)
    return chosen if check(call, chosen).eligible else None


# --------------------------------------------------------------------------- build


def _consortium(
    call: Call,
    members: Sequence[Candidate],
    ties: Mapping[str, Mapping[str, int]],
    rank: int,
    status: str,
    bound: int | None,
) -> Consortium:
    order = {mid: i for i, mid in enumerate(call.mandatory)}
    ms = sorted(members, key=lambda c: (order.get(c.id, len(order)), c.name.lower(), c.id))
    bd = _breakdown(call, ms, ties)
    gap: float | None = None
    if bound is not None:
        bound = max(bound, bd.total)
        gap = round((bound - bd.total) / bound, 6) if bound > 0 else 0.0
        if status in ("feasible", "greedy") and gap == 0:
            status = "optimal"
    return Consortium(
        rank, _roles(call, ms, ties), bd.total, bd, check(call, ms), status, bound, gap
    )


def _realize(
    call: Call,
    chosen: Sequence[Candidate],
    units: Sequence[tuple[_Phantom, int]],
    by_id: Mapping[str, Candidate],
    ties: Mapping[str, Mapping[str, int]],
    cuts: Sequence[frozenset[str]],
    min_difference: int,
) -> list[Candidate] | None:
    """A real consortium from a relaxed one: each phantom's seats go to real members of its
    group, those with the strongest ties to the team first (then the best budget). None when
    the result breaks a rule or an earlier alternative's diversity cut."""
    team = list(chosen)
    ids = {c.id for c in team}
    banned: dict[str, set[str]] = defaultdict(set)
    for a, b in call.forbidden_pairs:
        banned[a].add(b)
        banned[b].add(a)
    for ph, n in sorted(units, key=lambda t: (t[0].key, t[1])):
        sign = 1.0 if ph.type in INDUSTRIAL else -1.0
        for _ in range(n):
            best: Candidate | None = None
            best_key: tuple[Any, ...] | None = None
            for oid in ph.members:
                if oid in ids or banned.get(oid, set()) & ids:
                    continue
                o = by_id[oid]
                nb = ties.get(oid, {})
                near = [min(TIE_CAP, wt) for t, wt in nb.items() if t in ids]
                key = (max(near, default=0), sum(near), sign * o.budget, oid)
                if best_key is None or key > best_key:
                    best, best_key = o, key
            if best is None:
                return None
            team.append(best)
            ids.add(best.id)
    if not check(call, team).eligible:
        return None
    if any(len(ids & cut) > len(cut) - max(1, min_difference) for cut in cuts):
        return None
    return team


def _solve_pool(
    call: Call,
    pool_c: Sequence[Candidate],
    ties: Mapping[str, Mapping[str, int]],
    cuts: Sequence[frozenset[str]],
    min_difference: int,
    start_with: Sequence[Candidate] | None,
    seconds: float,
    workers: int,
    seed: int,
) -> list[Candidate] | None:
    """The best real consortium over the pool alone (no phantoms) found in ``seconds``."""
    only = _build_model(call, pool_c, (), ties, cuts=cuts, min_difference=min_difference)
    if start_with:
        ids = {c.id for c in start_with}
        for c in pool_c:
            only.model.add_hint(only.x[c.id], int(c.id in ids))
    sub = cp_model.CpSolver()
    sub.parameters.max_time_in_seconds = max(0.05, seconds)
    sub.parameters.num_workers = max(1, workers)
    sub.parameters.random_seed = seed
    if sub.solve(only.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return [c for c in pool_c if sub.value(only.x[c.id])]
    return None


def build(
    call: Call,
    candidates: Sequence[Candidate],
    collaborations: Iterable[Collaboration] = (),
    *,
    top: int = 3,
    time_limit: float = 10.0,
    workers: int = 8,
    seed: int = 0,
    per_class: int | None = None,
    min_difference: int = 2,
    progress: Progress | None = None,
) -> BuildResult:
    """The ``top`` best eligible consortia (see the module docstring).

    Each alternative leaves out at least ``min_difference`` partners of every earlier one
    (``|S & S_prev| <= |S_prev| - min_difference``), so alternatives are not near-copies.
    """
    if min_difference < 1:
        raise ValueError("min_difference must be at least 1")
    start = time.monotonic()
    deadline = start + max(0.1, time_limit)
    say: Progress = progress or (lambda f, msg: None)
    ties = _ties(collaborations)
    by_id = {c.id: c for c in candidates}
    stats: dict[str, Any] = {"candidates": len(candidates), "rounds": 0}
    missing = [m for m in call.mandatory if m not in by_id]
    if missing:
        return BuildResult(
            (),
            "infeasible",
            None,
            None,
            tuple(
                Blocker(
                    f"mandatory:{m}",
                    f"{m} must be in the consortium but is not in the registry.",
                    "mandatory_missing",
                    {"name": m},
                )
                for m in missing
            ),
            stats,
        )

    say(0.02, "greedy start")
    g = _greedy(call, candidates, ties)
    stats["greedy_objective"] = _breakdown(call, g, ties).total if g else None
    per_class = per_class or max(call.max_partners, 12)
    pool = _initial_pool(call, candidates, ties, per_class)
    if g:
        pool.update(c.id for c in g)
    dropped = _dominated(call, candidates, pool, ties)
    pool -= dropped
    stats["dominated"] = len(dropped)
    if not call.mandatory:
        # organisations tied to two or more strong providers of the pool join it: a phantom
        # standing for them could serve any two providers, a real one only its own
        strong = {
            c.id
            for c in candidates
            if c.id in pool and max(_profile(call, c), default=0) >= HUB_TIER
        }
        hubs = {
            c.id
            for c in candidates
            if c.id not in pool
            and c.id not in dropped
            and sum(1 for o in ties.get(c.id, {}) if o in strong) >= 2
        }
        pool |= hubs
        stats["hubs"] = len(hubs)
    stats["pool_initial"] = len(pool)

    found: list[Consortium] = []
    cuts: list[frozenset[str]] = []
    overall: str | None = None
    global_bound: int | None = None
    for rank in range(1, top + 1):
        real: list[Candidate] | None = None
        bound: int | None = None
        status = "unknown"
        hint = g if rank == 1 else None
        # the best real consortium met on the way (the relaxation's optimum may use phantoms)
        incumbent: list[Candidate] | None = None
        inc_value = -math.inf
        if rank == 1 and g:
            incumbent, inc_value = g, _breakdown(call, g, ties).total
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0.05:
                break
            stats["rounds"] += 1
            pool_c = [by_id[i] for i in sorted(pool)]
            share = remaining / max(1, top - rank + 1)
            if not call.mandatory:
                # pairwise trust makes the relaxation slow to close: first the best real
                # consortium over the pool (exact and quick), as incumbent and complete hint
                cand = _solve_pool(
                    call,
                    pool_c,
                    ties,
                    cuts,
                    min_difference,
                    incumbent,
                    min(2.0, share / 4),
                    workers,
                    seed,
                )
                if cand is not None:
                    value = _breakdown(call, cand, ties).total
                    if value > inc_value:
                        incumbent, inc_value = cand, value
                    hint = incumbent
                remaining = deadline - time.monotonic()
                share = remaining / max(1, top - rank + 1)
            outsiders = [c for c in candidates if c.id not in pool and c.id not in dropped]
            tier_of = {c.id: max(_profile(call, c), default=0) for c in pool_c}
            phantoms = _phantoms(call, outsiders, ties, pool, tier_of)
            mdl = _build_model(
                call,
                pool_c,
                phantoms,
                ties,
                cuts=cuts,
                min_difference=min_difference,
            )
            # Without mandatory partners, ask the relaxation only for something better than
            # the incumbent: the cut-off prunes hard, and "nothing better" proves it optimal.
            cutoff: int | None = None
            if not call.mandatory and incumbent is not None:
                cutoff = int(inc_value) + 1
                mdl.model.add(mdl.objective >= cutoff)
            elif hint:
                for c in pool_c:
                    mdl.model.add_hint(mdl.x[c.id], int(c.id in {h.id for h in hint}))
                for v in mdl.u:
                    mdl.model.add_hint(v, 0)
            solver = cp_model.CpSolver()
            # a little headroom: building the result and the solver's own overrun
            budget_s = (share if rank < top else remaining) - 0.25
            solver.parameters.max_time_in_seconds = max(0.05, budget_s)
            solver.parameters.num_workers = max(1, workers)
            solver.parameters.random_seed = seed
            if phantoms and not call.mandatory:
                # probing the many phantom and trust variables costs seconds and gains little
                solver.parameters.cp_model_probing_level = 0
            say(
                0.05 + 0.9 * (rank - 1) / top,
                f"alternative {rank}: solving over {len(pool_c)} organisations",
            )
            st = solver.solve(mdl.model)
            if cutoff is not None and st != cp_model.MODEL_INVALID:
                # nothing in the whole registry beats the incumbent by more than this bound
                if st == cp_model.INFEASIBLE:
                    new_bound = cutoff - 1
                else:
                    new_bound = max(cutoff - 1, math.floor(solver.best_objective_bound + 1e-6))
                bound = new_bound if bound is None else min(bound, new_bound)
                if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    real = incumbent
                    status = "optimal" if st == cp_model.INFEASIBLE else "feasible"
                    break
            if st == cp_model.INFEASIBLE:
                status = "infeasible"
                bound = None
                break
            if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                break
            if cutoff is None:
                # every round's bound holds for the whole registry: keep the smallest
                new_bound = math.floor(solver.best_objective_bound + 1e-6)
                bound = new_bound if bound is None else min(bound, new_bound)
            used = [k for k, v in enumerate(mdl.u) if solver.value(v) > 0]
            chosen = [c for c in pool_c if solver.value(mdl.x[c.id])]
            if not used:
                value = _breakdown(call, chosen, ties).total
                if value >= inc_value:
                    real = chosen
                    status = "optimal" if st == cp_model.OPTIMAL else "feasible"
                else:  # the time limit stopped the solver below a consortium met earlier
                    real, status = incumbent, "feasible"
                break
            # the relaxation wants left-out organisations: try the real ones behind its
            # phantoms at once, then bring them into the pool and retry
            made = _realize(
                call,
                chosen,
                [(phantoms[k], int(solver.value(mdl.u[k]))) for k in used],
                by_id,
                ties,
                cuts,
                min_difference,
            )
            if made is not None:
                value = _breakdown(call, made, ties).total
                if value > inc_value:
                    incumbent, inc_value = made, value
                    stats["realized"] = stats.get("realized", 0) + 1
            if incumbent is not None and bound is not None and inc_value >= bound:
                real, status = incumbent, "optimal"  # it meets the global bound
                break
            # and everyone tied to the partners it chose: the real way to the trust it promised
            for c in chosen:
                pool.update(o for o in ties.get(c.id, {}) if o in by_id and o not in dropped)
            keys = {phantoms[k].key for k in used}
            stats.setdefault("expanded_classes", []).extend(sorted(str(c) for c in keys))
            _expand(
                call,
                candidates,
                pool,
                keys,
                ties,
                per_class,
                dropped,
                frozenset(c.id for c in chosen),
            )
            hint = incumbent or chosen
        if real is None and incumbent is not None and status != "infeasible":
            real = incumbent
            status = "greedy" if incumbent is g else "feasible"
        if real is None:
            if rank == 1:
                overall = status
            break
        cons = _consortium(call, real, ties, rank, status, bound)
        found.append(cons)
        cuts.append(frozenset(c.id for c in real))
        if rank == 1:
            overall = cons.status
            global_bound = bound
    stats["pool_final"] = len(pool)
    stats["seconds"] = round(time.monotonic() - start, 3)
    say(1.0, "done")
    if not found:
        blockers: tuple[Blocker, ...] = ()
        if overall == "infeasible":
            blockers = explain_infeasible(
                call, candidates, collaborations=(), time_limit=max(1.0, time_limit / 2)
            )
        return BuildResult((), overall or "unknown", None, None, blockers, stats)
    first = found[0]
    return BuildResult(
        tuple(found),
        overall or first.status,
        global_bound,
        first.gap,
        (),
        stats,
    )


# --------------------------------------------------------------------------- explain


def rule_params(call: Call, key: str, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A rule's figures by its key, for describing it in another language."""
    names = names or {}
    kind, _, arg = key.partition(":")
    if kind == "partners":
        return {"kind": kind, "min": call.min_partners, "max": call.max_partners}
    if kind == "type":
        r = call.type_rules[int(arg)]
        return {
            "kind": kind,
            "label": r.label,
            "types": sorted(r.types),
            "min": r.min_count,
            "max": r.max_count,
        }
    if kind == "academic":
        return {"kind": kind, "min": call.min_academic}
    if kind == "region":
        rr = call.region_rules[int(arg)]
        return {
            "kind": kind,
            "label": rr.label,
            "prefixes": list(rr.prefixes),
            "min_count": rr.min_count,
            "min_share": rr.min_share,
            "among_label": rr.among_label,
        }
    if kind == "budget":
        return {"kind": kind, "share": call.min_industry_budget_share}
    if kind == "competence":
        req = next(r for r in call.required_competences if r.code == arg)
        return {"kind": kind, "name": req.name, "level": req.min_level}
    if kind == "forbidden":
        a, _, b = arg.partition("|")
        return {"kind": kind, "a": names.get(a, a), "b": names.get(b, b)}
    if kind == "mandatory":
        return {"kind": kind, "name": names.get(arg, arg)}
    return {"kind": kind}


def describe_rule(call: Call, key: str, names: Mapping[str, str] | None = None) -> str:
    """A rule of the call in plain words, by its key (see ``Call.rule_keys``)."""
    names = names or {}
    kind, _, arg = key.partition(":")
    if kind == "partners":
        return f"{call.min_partners} to {call.max_partners} partners"
    if kind == "type":
        r = call.type_rules[int(arg)]
        text = f"at least {r.min_count} {r.label} partners ({_group_label(r.types)})"
        return text + (f", at most {r.max_count}" if r.max_count is not None else "")
    if kind == "academic":
        return f"at least {call.min_academic} academic partners (university, research institute)"
    if kind == "region":
        rr = call.region_rules[int(arg)]
        where = f"{rr.label} ({', '.join(rr.prefixes)})"
        parts = []
        if rr.min_count:
            parts.append(f"at least {rr.min_count} {rr.among_label} from {where}")
        if rr.min_share:
            parts.append(f"at least {_pct(rr.min_share)} of the {rr.among_label} from {where}")
        return " and ".join(parts) or f"no condition on {where}"
    if kind == "budget":
        return f"industry provides at least {_pct(call.min_industry_budget_share)} of the budget"
    if kind == "competence":
        req = next(r for r in call.required_competences if r.code == arg)
        return f"competence {req.name} at level {req.min_level} or more"
    if kind == "forbidden":
        a, _, b = arg.partition("|")
        return f"{names.get(a, a)} and {names.get(b, b)} not together"
    if kind == "mandatory":
        return f"{names.get(arg, arg)} is a partner"
    return key


def _feasible(
    call: Call, candidates: Sequence[Candidate], skip: frozenset[str], time_limit: float
) -> bool | None:
    mdl = _build_model(call, candidates, (), {}, skip=skip, with_objective=False)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = 8
    st = solver.solve(mdl.model)
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    if st == cp_model.INFEASIBLE:
        return False
    return None


def explain_infeasible(
    call: Call,
    candidates: Sequence[Candidate],
    collaborations: Iterable[Collaboration] = (),
    *,
    time_limit: float = 5.0,
) -> tuple[Blocker, ...]:
    """Why no consortium meets the call: each rule's necessary condition against the whole
    registry first; if all hold, the rules whose removal alone makes the call satisfiable."""
    out: list[Blocker] = []
    by_id = {c.id: c for c in candidates}
    for mid in call.mandatory:
        if mid not in by_id:
            out.append(
                Blocker(
                    f"mandatory:{mid}",
                    f"{mid} must be in the consortium but is not in the registry.",
                    "mandatory_missing",
                    {"name": mid},
                )
            )
    mand = [by_id[m] for m in call.mandatory if m in by_id]
    for a, b in call.forbidden_pairs:
        if a in call.mandatory and b in call.mandatory:
            out.append(
                Blocker(
                    f"forbidden:{a}|{b}",
                    f"{by_id[a].name if a in by_id else a} and "
                    f"{by_id[b].name if b in by_id else b} are both mandatory, "
                    "but the call forbids this pair.",
                    "mandatory_forbidden",
                    {
                        "a": by_id[a].name if a in by_id else a,
                        "b": by_id[b].name if b in by_id else b,
                    },
                )
            )
    if len(candidates) < call.min_partners:
        out.append(
            Blocker(
                "partners",
                f"The registry has {_plural(len(candidates), 'organisation')}; "
                f"the call needs at least {call.min_partners} partners.",
                "too_few_organisations",
                {"have": len(candidates), "need": call.min_partners},
            )
        )
    if len(set(call.mandatory)) > call.max_partners:
        out.append(
            Blocker(
                "partners",
                f"{len(set(call.mandatory))} mandatory partners; the call allows at most "
                f"{call.max_partners}.",
                "too_many_mandatory",
                {"n": len(set(call.mandatory)), "max": call.max_partners},
            )
        )
    if call.min_partners > call.max_partners:
        out.append(
            Blocker(
                "partners",
                f"The call asks for at least {call.min_partners} and at most "
                f"{call.max_partners} partners.",
                "min_above_max",
                {"min": call.min_partners, "max": call.max_partners},
            )
        )
    for key, rule in _type_rules(call):
        have = sum(1 for c in candidates if c.type in rule.types)
        if have < rule.min_count:
            out.append(
                Blocker(
                    key,
                    f"The registry has only {_plural(have, (rule.label + ' organisation').strip())} "
                    f"({_group_label(rule.types)}); the call needs at least {rule.min_count}.",
                    "type_short",
                    {
                        "have": have,
                        "label": rule.label,
                        "types": sorted(rule.types),
                        "need": rule.min_count,
                    },
                )
            )
        if rule.min_count > call.max_partners:
            out.append(
                Blocker(
                    key,
                    f"The call needs {rule.min_count} {rule.label} partners but allows only "
                    f"{call.max_partners} partners in all.",
                    "type_above_max",
                    {"need": rule.min_count, "label": rule.label, "max": call.max_partners},
                )
            )
        if rule.max_count is not None:
            already = sum(1 for m in mand if m.type in rule.types)
            if already > rule.max_count:
                out.append(
                    Blocker(
                        key,
                        f"{already} mandatory partners are {rule.label}; the call allows at most "
                        f"{rule.max_count}.",
                        "type_mandatory_over",
                        {"n": already, "label": rule.label, "max": rule.max_count},
                    )
                )
    for i, rr in enumerate(call.region_rules):
        inside = [c for c in candidates if rr.applies(c.type) and rr.matches(c.region)]
        where = f"{rr.label} ({', '.join(rr.prefixes)})"
        if len(inside) < rr.min_count:
            out.append(
                Blocker(
                    f"region:{i}",
                    f"The registry has only {len(inside)} {rr.among_label} from {where}; "
                    f"the call needs at least {rr.min_count}.",
                    "region_short",
                    {
                        "have": len(inside),
                        "among": rr.among_label,
                        "where": where,
                        "need": rr.min_count,
                    },
                )
            )
        if rr.min_share > 0 and rr.among is not None:
            need_group = max(
                [r.min_count for _k, r in _type_rules(call) if r.types <= rr.among] + [0]
            )
            p, q = _ratio(rr.min_share)
            need_inside = math.ceil(p * need_group / q)
            if len(inside) < need_inside:
                out.append(
                    Blocker(
                        f"region:{i}",
                        f"At least {need_group} {rr.among_label} are needed and "
                        f"{_pct(rr.min_share)} of them must be from {where}, i.e. {need_inside}; "
                        f"the registry has only {len(inside)}.",
                        "region_share_short",
                        {
                            "group": need_group,
                            "among": rr.among_label,
                            "share": rr.min_share,
                            "where": where,
                            "need": need_inside,
                            "have": len(inside),
                        },
                    )
                )
    for req in call.required_competences:
        best = max((c.level(req.code) for c in candidates), default=0)
        if best < req.min_level:
            out.append(
                Blocker(
                    f"competence:{req.code}",
                    f"No organisation in the registry has {req.name} at level {req.min_level} "
                    f"or more (the best is level {best}).",
                    "competence_missing",
                    {"name": req.name, "level": req.min_level, "best": best},
                )
            )
    if call.min_industry_budget_share > 0:
        ind_budgets = sorted((_cents(c.budget) for c in candidates if c.industrial), reverse=True)
        non = sorted(_cents(c.budget) for c in candidates if not c.industrial)
        need_non = max(
            [r.min_count for _k, r in _type_rules(call) if not (r.types & INDUSTRIAL)] + [0]
        )
        best_ind = sum(ind_budgets[: max(0, call.max_partners - need_non)])
        least_non = sum(non[:need_non])
        p, q = _ratio(call.min_industry_budget_share)
        if best_ind == 0 or best_ind * q < p * (best_ind + least_non):
            share = best_ind / (best_ind + least_non) if best_ind + least_non else 0.0
            out.append(
                Blocker(
                    "budget",
                    f"Even the largest industrial contributions reach only {_pct(share)} of the "
                    f"budget next to the {need_non} non-industrial partners the call needs; "
                    f"the call needs {_pct(call.min_industry_budget_share)}.",
                    "budget_short",
                    {"share": share, "non": need_non, "need": call.min_industry_budget_share},
                )
            )
    if out:
        return tuple(out)
    # every rule can be met on its own: find the rules that clash
    deadline = time.monotonic() + time_limit
    if _feasible(call, candidates, frozenset(), max(0.1, deadline - time.monotonic())):
        return ()
    keys = call.rule_keys()
    names = {c.id: c.name for c in candidates}
    for key in keys:
        left = deadline - time.monotonic()
        if left <= 0:
            out.append(Blocker("time", "Ran out of time before testing every rule.", "time"))
            break
        ok = _feasible(call, candidates, frozenset({key}), min(left, 1.0))
        if ok:
            out.append(
                Blocker(
                    key,
                    f'Without the rule "{describe_rule(call, key, names)}" an eligible consortium '
                    "exists: this rule cannot be met together with the others.",
                    "clash",
                    {"rule": rule_params(call, key, names)},
                )
            )
    if not out:
        out.append(
            Blocker(
                "combination",
                "Each rule can be met alone and no single rule is to blame: "
                "several rules together cannot be met.",
                "combination",
            )
        )
    return tuple(out)
