"""The advisor: rank the toolbox's practices for a cluster's profile, find portfolio gaps, plan one.

Pure Python and numpy, no Django. Plain dataclasses in, plain dataclasses out.

The score of a practice is a weighted sum of factors, each in [0, 1] (see ``WEIGHTS`` and
docs/advisor.md). Every number that goes into it is either a fact of the practice or an assumption
named in ``ASSUMPTIONS``, so a recommendation can always say why it ranks where it does.

Ranking many practices is vectorised (``PracticeMatrix``); the same factors are computed one
practice at a time by ``score_practice`` for the explanations, and the tests check both agree.

Sentences go through ``_``, which is the identity until an application installs a translator
(``use_translator``), so the same strings can be extracted and translated by the web app.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_translator: Callable[[str], str] = str


def use_translator(translate: Callable[[str], str]) -> None:
    """Install a gettext function for the sentences of explanations and plans."""
    global _translator
    _translator = translate


def _(message: str) -> str:
    return _translator(message)


# --- vocabulary the algorithm relies on -------------------------------------------------------

STAGES = ("emerging", "growing", "mature")
PRIORITY_MAX = 3
GENERIC_GROUP = "cluster-members"

#: Weights of the factors; they add up to 1. Objective fit and complementarity lead because the
#: seed frames every service by the Target Board objective it serves and the toolbox exists to
#: help a manager add the *next* service; resources and target groups decide whether the cluster
#: can run it and for whom; sector, stage and scope adjust (services transfer across sectors).
WEIGHTS: dict[str, float] = {
    "objectives": 0.30,
    "complementarity": 0.20,
    "target_groups": 0.15,
    "resources": 0.15,
    "sector": 0.08,
    "stage": 0.07,
    "scope": 0.05,
}

#: Stated assumptions behind estimates. Each one appears in the explanation that uses it.
ASSUMPTIONS: dict[str, float] = {
    # Share of a working year one named organiser spends on a service (2 project managers ~ 0.5 FTE).
    "fte_per_person": 0.25,
    # Yearly cost of one FTE of cluster-management staff, salary and overhead, EUR.
    "eur_per_fte_year": 60_000.0,
    # Share of the management team a cluster can put on one new service.
    "capacity_share": 0.5,
    # Working hours in an FTE-year, to turn person-hours into FTE.
    "hours_per_fte_year": 1_720.0,
    # A service whose preparation and run fit in one budget year is easy to plan.
    "months_per_budget_year": 12.0,
}

#: How demanding a format is to run, 0 (an evening event) to 1 (a standing competence centre).
FORMAT_COMPLEXITY: dict[str, float] = {
    "event": 0.2,
    "seminar": 0.2,
    "conference": 0.4,
    "b2b-meetings": 0.4,
    "training-course": 0.4,
    "online-tool": 0.4,
    "benchmark": 0.5,
    "mentoring": 0.5,
    "consulting": 0.5,
    "hackathon": 0.6,
    "trade-fair": 0.6,
    "academy": 0.6,
    "programme": 0.6,
    "funding-support": 0.6,
    "mission": 0.7,
    "collaborative-project": 0.8,
    "consortium": 0.8,
    "competence-centre": 0.9,
    "accelerator": 0.9,
}
DEFAULT_COMPLEXITY = 0.4

#: The complexity each stage handles best: light events build a young community, mature clusters
#: can carry projects, programmes and international activity (Target Board, Greenbook 2003).
STAGE_TARGET: dict[str, float] = {"emerging": 0.2, "growing": 0.5, "mature": 0.8}

#: Sectors whose firms share technologies, supply chains or customers. Symmetric; a sector is fully
#: related to itself; "cross-sector" and "human-resources" practices are moderately related to all.
RELATED_SECTORS: dict[str, tuple[str, ...]] = {
    "manufacturing": ("mechatronics", "plastics", "foundry", "automotive", "aerospace", "wood"),
    "mechatronics": ("automotive", "aerospace", "energy", "ict"),
    "plastics": ("textiles", "carbon-composites", "automotive", "medical-devices"),
    "wood": ("construction",),
    "aerospace": ("carbon-composites", "automotive"),
    "automotive": ("carbon-composites", "foundry"),
    "energy": ("construction", "environment"),
    "construction": ("environment",),
    "textiles": ("carbon-composites", "medical-devices"),
    "medical-devices": ("life-sciences",),
    "life-sciences": ("food",),
    "environment": ("carbon-composites",),
    "ict": ("manufacturing",),
}
UNIVERSAL_SECTORS = ("cross-sector", "human-resources")
SECTOR_SAME, SECTOR_RELATED, SECTOR_UNIVERSAL, SECTOR_OTHER, NEUTRAL = 1.0, 0.7, 0.6, 0.2, 0.5


def related_sectors(sector: str) -> set[str]:
    out = set(RELATED_SECTORS.get(sector, ()))
    out |= {s for s, rel in RELATED_SECTORS.items() if sector in rel}
    out.discard(sector)
    return out


# --- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeFeatures:
    """What the advisor reads of a practice. ``None`` means the source does not say."""

    id: str
    field: str
    objectives: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    title: str = ""
    fee_eur: float | None = None
    staff_persons: float | None = None
    effort_fte: float | None = None
    duration_months: float | None = None
    preparation_months: float | None = None
    cost_eur: float | None = None
    participants: float | None = None
    member_participants: float | None = None
    cross_border: bool = False
    cross_cluster: bool = False


@dataclass(frozen=True)
class CurrentService:
    """A service the cluster runs today: a practice of the toolbox or described freely."""

    name: str
    field: str
    objectives: tuple[str, ...] = ()
    practice_id: str | None = None


@dataclass
class Profile:
    name: str = ""
    country: str = ""
    nuts: str = ""
    sectors: tuple[str, ...] = ()
    stage: str = "growing"
    members: int = 0
    share_smes: float = 0.0
    share_large: float = 0.0
    share_research: float = 0.0
    share_public: float = 0.0
    management_fte: float = 0.0
    budget_eur: float = 0.0
    objectives: dict[str, int] = field(default_factory=dict)
    target_groups: tuple[str, ...] = ()
    cross_border: bool = False
    current_services: tuple[CurrentService, ...] = ()

    def priority(self, objective: str) -> int:
        return int(self.objectives.get(objective, 0))


@dataclass(frozen=True)
class Limits:
    """Hard limits: a practice beyond one of them is excluded, with the reason."""

    max_cost_eur: float | None = None
    max_staff: float | None = None
    fields: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        return self.max_cost_eur is not None or self.max_staff is not None or bool(self.fields)


# --- outputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Factor:
    name: str
    value: float
    weight: float
    why: str
    hints: tuple[str, ...] = ()

    @property
    def contribution(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True)
class Estimate:
    """Resource figures of a practice, each with the sentence saying where it comes from."""

    fte: float
    persons: float
    cost_per_year_eur: float
    months: float
    complexity: float
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Recommendation:
    practice_id: str
    title: str
    field: str
    rank: int
    score: float
    factors: tuple[Factor, ...]
    estimate: Estimate

    @property
    def hints(self) -> list[str]:
        return [h for f in self.factors for h in f.hints]

    def factor(self, name: str) -> Factor:
        return next(f for f in self.factors if f.name == name)


@dataclass(frozen=True)
class Exclusion:
    practice_id: str
    title: str
    limit: str
    reason: str


@dataclass(frozen=True)
class BindingLimit:
    limit: str
    excluded: int
    message: str
    relax_to: float | None = None


@dataclass(frozen=True)
class NoFit:
    """Nothing passes the limits: which limits bind and what would let something through."""

    reasons: tuple[BindingLimit, ...]
    considered: int

    @property
    def message(self) -> str:
        return " ".join(r.message for r in self.reasons)


@dataclass
class Ranking:
    recommendations: list[Recommendation]
    excluded: list[Exclusion]
    no_fit: NoFit | None
    total: int


# --- estimates -------------------------------------------------------------------------------


def format_complexity(formats: Iterable[str]) -> float:
    values = [FORMAT_COMPLEXITY.get(f, DEFAULT_COMPLEXITY) for f in formats]
    return max(values) if values else DEFAULT_COMPLEXITY


def _fmt(value: float, digits: int = 2) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def estimate(practice: PracticeFeatures) -> Estimate:
    """Staff, yearly cost, months and complexity of a practice, from facts or stated assumptions."""
    a = ASSUMPTIONS
    notes: list[str] = []
    fcx = format_complexity(practice.formats)
    if practice.effort_fte is not None:
        fte = practice.effort_fte
        notes.append(_("effort of %(fte)s FTE as the source states") % {"fte": _fmt(fte)})
    elif practice.staff_persons is not None:
        fte = practice.staff_persons * a["fte_per_person"]
        notes.append(
            _("%(p)s persons named in the source, each assumed to spend %(s)s FTE on it")
            % {"p": _fmt(practice.staff_persons), "s": _fmt(a["fte_per_person"])}
        )
    else:
        fte = 0.1 + 0.6 * fcx
        notes.append(
            _("staff not stated; %(fte)s FTE assumed from how demanding its format is")
            % {"fte": _fmt(fte)}
        )
    if practice.staff_persons is not None:
        persons = practice.staff_persons
    else:
        persons = float(max(1, math.ceil(fte / a["fte_per_person"] - 1e-9)))
    months = (practice.preparation_months or 0.0) + (practice.duration_months or 0.0)
    if practice.cost_eur is not None:
        cost = practice.cost_eur / max(1.0, months / a["months_per_budget_year"])
        notes.append(
            _("budget of %(eur)s EUR from the source, spread over %(m)s months")
            % {"eur": _fmt(practice.cost_eur), "m": _fmt(max(months, 12.0))}
        )
    else:
        cost = fte * a["eur_per_fte_year"]
        notes.append(
            _("yearly cost = %(fte)s FTE x %(eur)s EUR per FTE-year (assumed staff cost)")
            % {"fte": _fmt(fte), "eur": _fmt(a["eur_per_fte_year"])}
        )
    complexity = (
        0.5 * fcx
        + 0.2 * min(1.0, fte)
        + 0.15 * min(1.0, months / a["months_per_budget_year"])
        + 0.15 * float(practice.cross_border or practice.cross_cluster)
    )
    return Estimate(fte, persons, cost, months, complexity, tuple(notes))


# --- the factors, one practice at a time -----------------------------------------------------


def implied_groups(profile: Profile) -> set[str]:
    """Target groups implied by the member mix (counted at half weight)."""
    out = set()
    if profile.share_smes >= 0.5:
        out.add("smes")
    if profile.share_large >= 0.2:
        out.add("large-companies")
    if profile.share_research >= 0.2:
        out |= {"universities", "researchers"}
    if profile.share_public >= 0.1:
        out.add("public-bodies")
    return out - set(profile.target_groups)


#: Objective fit = best (does it serve one of your top objectives?) + breadth (share of your
#: priority weight it serves) + focus (share of what it does that you want). Focus keeps a
#: practice that lists many objectives from winning on breadth alone.
OBJECTIVE_MIX = (0.5, 0.25, 0.25)


def _objective_factor(profile: Profile, p: PracticeFeatures, names: Mapping[str, str]) -> Factor:
    total = sum(max(0, v) for v in profile.objectives.values())
    if total == 0:
        return Factor(
            "objectives", NEUTRAL, WEIGHTS["objectives"],
            _("You have not given priorities to Target Board objectives."),
            (_("Set a priority (1-3) for the objectives your cluster pursues."),),
        )  # fmt: skip
    prios = {o: profile.priority(o) for o in p.objectives}
    best = max(prios.values(), default=0)
    served = sum(prios.values())
    focus = served / (PRIORITY_MAX * len(prios)) if prios else 0.0
    value = OBJECTIVE_MIX[0] * best / PRIORITY_MAX + OBJECTIVE_MIX[1] * served / total
    value += OBJECTIVE_MIX[2] * focus
    matched = sorted((o for o in prios if prios[o] > 0), key=lambda o: (-prios[o], o))
    if matched:
        why = _("Serves %(list)s; %(share)s%% of your priority weight.") % {
            "list": ", ".join(f"{names.get(o, o)} ({prios[o]})" for o in matched),
            "share": _fmt(round(100 * served / total)),
        }
    else:
        why = _("Serves none of the objectives you gave a priority.")
    hints = []
    unrated = [o for o in p.objectives if prios[o] == 0]
    if unrated:
        hints.append(
            _("It also serves %(list)s, which you rated 0; if they matter, raise their priority.")
            % {"list": ", ".join(names.get(o, o) for o in sorted(unrated))}
        )
    return Factor("objectives", value, WEIGHTS["objectives"], why, tuple(hints))


#: Groups that are usually members themselves: a service "for cluster members" reaches them,
#: though it is not designed for them (0.5); other named groups it reaches only loosely (0.25).
MEMBER_TYPES = frozenset({"smes", "large-companies", "universities", "researchers"})


def _generic_floor(wanted: set[str]) -> float:
    return 0.5 if wanted & MEMBER_TYPES else 0.25


def _target_factor(profile: Profile, p: PracticeFeatures, labels: Mapping[str, str]) -> Factor:
    explicit = set(profile.target_groups) - {GENERIC_GROUP}
    implied = implied_groups(profile) - {GENERIC_GROUP}
    groups = set(p.target_groups)
    if not explicit and not implied:
        return Factor(
            "target_groups", NEUTRAL, WEIGHTS["target_groups"],
            _("You have not said whom the new service should serve."),
            (_("Name the target groups (e.g. start-ups, HR departments) you want to serve."),),
        )  # fmt: skip
    hit_explicit = sorted(groups & explicit)
    hit_implied = sorted(groups & implied)
    matched = len(hit_explicit) + 0.5 * len(hit_implied)
    denominator = min(len(explicit), 2) if explicit else 1
    value = min(1.0, matched / denominator)
    if value == 0 and GENERIC_GROUP in groups:
        value = _generic_floor(explicit | implied)
    parts = []
    if hit_explicit:
        parts.append(
            _("aimed at %(list)s, whom you want to serve")
            % {"list": ", ".join(labels.get(g, g) for g in hit_explicit)}
        )
    if hit_implied:
        parts.append(
            _("aimed at %(list)s, who are a large part of your members")
            % {"list": ", ".join(labels.get(g, g) for g in hit_implied)}
        )
    if parts:
        why = _("It is %(parts)s.") % {"parts": "; ".join(parts)}
    elif value >= 0.5:
        why = _("It is for cluster members in general, which reaches the member types you named "
                "without being designed for them.")  # fmt: skip
    elif value > 0:
        why = _("It is for cluster members in general, not for the groups you named.")
    else:
        why = _("It is aimed at other groups than the ones you named.")
    hints = []
    missed = sorted(explicit - groups)
    if missed and value < 1:
        hints.append(
            _("It does not address %(list)s; you would have to adapt it for them.")
            % {"list": ", ".join(labels.get(g, g) for g in missed)}
        )
    return Factor("target_groups", value, WEIGHTS["target_groups"], why, tuple(hints))


def _resource_parts(profile: Profile, est: Estimate, p: PracticeFeatures) -> tuple[float, ...]:
    capacity = ASSUMPTIONS["capacity_share"] * profile.management_fte
    staff = 1.0 if est.fte <= capacity else (capacity / est.fte if est.fte > 0 else 1.0)
    if profile.budget_eur <= 0:
        cost = NEUTRAL
    else:
        cost = (
            1.0
            if est.cost_per_year_eur <= profile.budget_eur
            else (profile.budget_eur / est.cost_per_year_eur)
        )
    year = ASSUMPTIONS["months_per_budget_year"]
    duration = 1.0 if est.months <= year else year / est.months
    need = p.member_participants
    if need is None or need <= 0 or profile.members <= 0:
        scale = 1.0
    else:
        scale = min(1.0, profile.members / need)
    return staff, cost, duration, scale


RESOURCE_WEIGHTS = (0.4, 0.4, 0.1, 0.1)  # staff, cost, duration, member base


def _resource_factor(profile: Profile, p: PracticeFeatures, est: Estimate) -> Factor:
    staff, cost, duration, scale = _resource_parts(profile, est, p)
    value = sum(
        w * v for w, v in zip(RESOURCE_WEIGHTS, (staff, cost, duration, scale), strict=True)
    )
    capacity = ASSUMPTIONS["capacity_share"] * profile.management_fte
    if est.months >= 0.05:
        span = _("over %(m)s months of preparation and running") % {"m": _fmt(round(est.months, 1))}
    else:
        span = _("for a short event")
    why = _(
        "Needs about %(fte)s FTE (%(persons)s persons) and %(cost)s EUR a year %(span)s; you can "
        "put %(cap)s FTE (half your management team) and %(budget)s EUR a year on a new service. "
        "Basis: %(notes)s."
    ) % {
        "fte": _fmt(est.fte),
        "persons": _fmt(est.persons),
        "cost": _fmt(round(est.cost_per_year_eur)),
        "span": span,
        "cap": _fmt(capacity),
        "budget": _fmt(round(profile.budget_eur)),
        "notes": "; ".join(est.notes),
    }
    hints = []
    if staff < 1:
        hints.append(
            _("It would fit with %(fte)s FTE of management staff, or with a partner cluster "
              "sharing the work.") % {"fte": _fmt(est.fte / ASSUMPTIONS["capacity_share"])}
        )  # fmt: skip
    if profile.budget_eur <= 0:
        hints.append(_("State your yearly budget for new services to judge the cost."))
    elif cost < 1:
        hints.append(
            _("A yearly budget of %(eur)s EUR, participant fees or co-funding would cover it.")
            % {"eur": _fmt(round(est.cost_per_year_eur))}
        )
    if duration < 1:
        hints.append(_("It runs longer than a budget year: secure funding for the whole cycle."))
    if scale < 1 and p.member_participants:
        hints.append(
            _("The source involves %(n)s member companies; you have %(m)s, so invite non-members "
              "or a partner cluster.") % {"n": _fmt(p.member_participants), "m": profile.members}
        )  # fmt: skip
    return Factor("resources", value, WEIGHTS["resources"], why, tuple(hints))


def _sector_value(profile_sectors: Iterable[str], practice_sectors: Iterable[str]) -> float:
    own = set(profile_sectors)
    theirs = set(practice_sectors)
    if not own or not theirs:
        return NEUTRAL
    if own & theirs:
        return SECTOR_SAME
    related = set().union(*(related_sectors(s) for s in own))
    if related & theirs:
        return SECTOR_RELATED
    if theirs & set(UNIVERSAL_SECTORS) or own & set(UNIVERSAL_SECTORS):
        return SECTOR_UNIVERSAL
    return SECTOR_OTHER


def _sector_factor(profile: Profile, p: PracticeFeatures, labels: Mapping[str, str]) -> Factor:
    value = _sector_value(profile.sectors, p.sectors)
    theirs = ", ".join(labels.get(s, s) for s in p.sectors) or _("no sector")
    hints: tuple[str, ...] = ()
    if value == NEUTRAL:
        why = _("Sector not known on one side.")
    elif value == SECTOR_SAME:
        why = _("Run in your own sector (%(s)s).") % {"s": theirs}
    elif value == SECTOR_RELATED:
        why = _("Run in a related sector (%(s)s).") % {"s": theirs}
    elif value == SECTOR_UNIVERSAL:
        why = _("A cross-sector service (%(s)s): it transfers to most sectors.") % {"s": theirs}
    else:
        why = _("Run in a different sector (%(s)s).") % {"s": theirs}
        hints = (_("Ask the contact how it would carry over to your sector."),)
    return Factor("sector", value, WEIGHTS["sector"], why, hints)


def _covered(profile: Profile) -> tuple[set[str], set[str], set[str]]:
    objectives: set[str] = set()
    fields: set[str] = set()
    practices: set[str] = set()
    for s in profile.current_services:
        objectives |= set(s.objectives)
        if s.field:
            fields.add(s.field)
        if s.practice_id:
            practices.add(s.practice_id)
    return objectives, fields, practices


def _complementarity_factor(
    profile: Profile, p: PracticeFeatures, names: Mapping[str, str]
) -> Factor:
    covered, fields, practices = _covered(profile)
    if p.id in practices:
        return Factor(
            "complementarity", 0.0, WEIGHTS["complementarity"],
            _("You already run this service."),
            (_("Look at its plan to improve the service you run instead."),),
        )  # fmt: skip
    weights = {o: profile.priority(o) + 0.5 for o in p.objectives}
    total = sum(weights.values())
    new = [o for o in p.objectives if o not in covered]
    share = sum(weights[o] for o in new) / total if total else NEUTRAL
    new_field = p.field not in fields
    value = 0.8 * share + 0.2 * float(new_field)
    if not profile.current_services:
        why = _("You listed no current services, so everything it does is new to your portfolio.")
    elif new:
        why = _("Fills gaps in your portfolio: %(list)s%(field)s.") % {
            "list": ", ".join(names.get(o, o) for o in sorted(new, key=lambda o: (-weights[o], o))),
            "field": _(" (and a field you do not serve yet)") if new_field else "",
        }
    else:
        why = _("Your current services already cover all its objectives.")
    hints = []
    overlap = sorted(set(p.objectives) & covered)
    if overlap and profile.current_services:
        hints.append(
            _("It overlaps with what you run for %(list)s: consider merging it into that service.")
            % {"list": ", ".join(names.get(o, o) for o in overlap)}
        )
    return Factor("complementarity", value, WEIGHTS["complementarity"], why, tuple(hints))


def _stage_value(stage: str, complexity: float) -> float:
    target = STAGE_TARGET.get(stage, STAGE_TARGET["growing"])
    return max(0.0, min(1.0, 1.0 - abs(complexity - target) * 1.25))


def _stage_factor(profile: Profile, est: Estimate) -> Factor:
    value = _stage_value(profile.stage, est.complexity)
    level = (
        _("light")
        if est.complexity < 0.35
        else _("medium")
        if est.complexity < 0.6
        else _("demanding")
    )
    why = _("A %(level)s service (complexity %(c)s of 1) for a cluster at the %(stage)s stage.") % {
        "level": level,
        "c": _fmt(round(est.complexity, 2)),
        "stage": _(profile.stage),
    }
    hints = []
    target = STAGE_TARGET.get(profile.stage, 0.5)
    if value < 1 and est.complexity > target:
        hints.append(
            _("Start with a smaller first edition, or run it with an experienced cluster.")
        )
    elif value < 1:
        hints.append(_("Light for your stage: combine it with a larger service or run a series."))
    return Factor("stage", value, WEIGHTS["stage"], why, tuple(hints))


def _scope_value(ambition: bool, practice_cross_border: bool) -> float:
    if ambition == practice_cross_border:
        return 1.0
    return 0.5 if ambition else 0.3


def _scope_factor(profile: Profile, p: PracticeFeatures) -> Factor:
    value = _scope_value(profile.cross_border, p.cross_border)
    hints: tuple[str, ...] = ()
    if p.cross_border and profile.cross_border:
        why = _("Works across borders, as you intend.")
    elif p.cross_border:
        why = _("Works across borders, which you have not planned.")
        hints = (_("It needs partners abroad; set a cross-border ambition if you have them."),)
    elif profile.cross_border:
        why = _("A regional service; you also aim across borders.")
        hints = (_("Open it to a partner cluster abroad to serve your cross-border ambition."),)
    else:
        why = _("A regional service, as you plan.")
    return Factor("scope", value, WEIGHTS["scope"], why, hints)


@dataclass(frozen=True)
class Labels:
    """Display names of ids (objectives, target groups, sectors); ids are shown when missing."""

    objectives: Mapping[str, str] = field(default_factory=dict)
    target_groups: Mapping[str, str] = field(default_factory=dict)
    sectors: Mapping[str, str] = field(default_factory=dict)


def score_practice(
    profile: Profile, practice: PracticeFeatures, labels: Labels | None = None
) -> tuple[float, tuple[Factor, ...], Estimate]:
    """Every factor of one practice, explained. The pure-Python reference for the ranking."""
    labels = labels or Labels()
    est = estimate(practice)
    factors = (
        _objective_factor(profile, practice, labels.objectives),
        _complementarity_factor(profile, practice, labels.objectives),
        _target_factor(profile, practice, labels.target_groups),
        _resource_factor(profile, practice, est),
        _sector_factor(profile, practice, labels.sectors),
        _stage_factor(profile, est),
        _scope_factor(profile, practice),
    )
    return round(sum(f.contribution for f in factors), 9), factors, est


# --- limits ----------------------------------------------------------------------------------


def _limit_reason(limits: Limits, p: PracticeFeatures, est: Estimate) -> tuple[str, str] | None:
    if limits.fields and p.field not in limits.fields:
        return "fields", _("It belongs to the field %(f)s, outside the fields you chose.") % {
            "f": p.field
        }
    if limits.max_cost_eur is not None and est.cost_per_year_eur > limits.max_cost_eur:
        return "max_cost_eur", _(
            "It costs about %(c)s EUR a year (%(basis)s), more than your limit of %(l)s EUR."
        ) % {
            "c": _fmt(round(est.cost_per_year_eur)),
            "basis": est.notes[-1],
            "l": _fmt(limits.max_cost_eur),
        }
    if limits.max_staff is not None and est.persons > limits.max_staff:
        return "max_staff", _("It needs about %(p)s persons, more than your limit of %(l)s.") % {
            "p": _fmt(est.persons),
            "l": _fmt(limits.max_staff),
        }
    return None


def _binding(
    limits: Limits, practices: Sequence[PracticeFeatures], estimates: Sequence[Estimate]
) -> NoFit:
    reasons = []
    names = {"fields": Limits(fields=limits.fields),
             "max_cost_eur": Limits(max_cost_eur=limits.max_cost_eur),
             "max_staff": Limits(max_staff=limits.max_staff)}  # fmt: skip
    for name, alone in names.items():
        if not alone.any:
            continue
        blocked = [
            (p, e) for p, e in zip(practices, estimates, strict=True)
            if _limit_reason(alone, p, e) is not None
        ]  # fmt: skip
        others = Limits(
            max_cost_eur=None if name == "max_cost_eur" else limits.max_cost_eur,
            max_staff=None if name == "max_staff" else limits.max_staff,
            fields=() if name == "fields" else limits.fields,
        )
        passing_others = [
            (p, e) for p, e in zip(practices, estimates, strict=True)
            if _limit_reason(others, p, e) is None
        ]  # fmt: skip
        relax: float | None = None
        if name == "max_cost_eur" and passing_others:
            relax = min(math.ceil(e.cost_per_year_eur) for _p, e in passing_others)
            msg = _(
                "The cost limit of %(l)s EUR excludes %(n)s practices; the cheapest that meets "
                "your other limits costs about %(r)s EUR a year."
            ) % {"l": _fmt(limits.max_cost_eur or 0), "n": len(blocked), "r": _fmt(relax)}
        elif name == "max_staff" and passing_others:
            relax = min(e.persons for _p, e in passing_others)
            msg = _(
                "The staff limit of %(l)s persons excludes %(n)s practices; the leanest that "
                "meets your other limits needs %(r)s persons."
            ) % {"l": _fmt(limits.max_staff or 0), "n": len(blocked), "r": _fmt(relax)}
        elif name == "fields":
            available = sorted({p.field for p, _e in passing_others})
            msg = _(
                "The field limit (%(f)s) excludes %(n)s practices; fields with practices that "
                "meet your other limits: %(a)s."
            ) % {
                "f": ", ".join(limits.fields),
                "n": len(blocked),
                "a": ", ".join(available) or _("none"),
            }
        else:
            msg = _(
                "The %(limit)s limit excludes %(n)s practices, and no practice meets your other "
                "limits either."
            ) % {"limit": name, "n": len(blocked)}
        if blocked:
            reasons.append(BindingLimit(name, len(blocked), msg, relax))
    if not practices:
        reasons.append(BindingLimit("toolbox", 0, _("The toolbox holds no practices.")))
    return NoFit(tuple(reasons), len(practices))


# --- vectorised ranking ----------------------------------------------------------------------


class PracticeMatrix:
    """Practices compiled into arrays once, then scored for any profile without a Python loop."""

    def __init__(self, practices: Sequence[PracticeFeatures]) -> None:
        self.practices = list(practices)
        n = len(self.practices)
        self.objective_ids = sorted({o for p in self.practices for o in p.objectives})
        self.group_ids = sorted({g for p in self.practices for g in p.target_groups})
        self.sector_ids = sorted({s for p in self.practices for s in p.sectors})
        self.field_ids = sorted({p.field for p in self.practices})
        oi = {o: i for i, o in enumerate(self.objective_ids)}
        gi = {g: i for i, g in enumerate(self.group_ids)}
        si = {s: i for i, s in enumerate(self.sector_ids)}
        fi = {f: i for i, f in enumerate(self.field_ids)}
        self.objectives = np.zeros((n, len(oi)), dtype=np.float64)
        self.groups = np.zeros((n, len(gi)), dtype=np.float64)
        self.sectors = np.zeros((n, len(si)), dtype=np.float64)
        self.field = np.zeros(n, dtype=np.int64)
        self.fte = np.zeros(n)
        self.persons = np.zeros(n)
        self.cost = np.zeros(n)
        self.months = np.zeros(n)
        self.complexity = np.zeros(n)
        self.member_need = np.zeros(n)
        self.cross_border = np.zeros(n, dtype=bool)
        self.estimates: list[Estimate] = []
        for i, p in enumerate(self.practices):
            for o in p.objectives:
                self.objectives[i, oi[o]] = 1.0
            for g in p.target_groups:
                self.groups[i, gi[g]] = 1.0
            for s in p.sectors:
                self.sectors[i, si[s]] = 1.0
            self.field[i] = fi[p.field]
            est = estimate(p)
            self.estimates.append(est)
            self.fte[i], self.persons[i] = est.fte, est.persons
            self.cost[i], self.months[i], self.complexity[i] = (
                est.cost_per_year_eur, est.months, est.complexity,
            )  # fmt: skip
            self.member_need[i] = p.member_participants or 0.0
            self.cross_border[i] = p.cross_border
        self.ids = [p.id for p in self.practices]
        # Position of each practice in id order, to break ties by id inside np.lexsort.
        self.id_rank = np.empty(n, dtype=np.int64)
        self.id_rank[np.argsort(np.array(self.ids, dtype=object), kind="stable")] = np.arange(n)
        self.has_generic = (
            self.groups[:, gi[GENERIC_GROUP]] > 0 if GENERIC_GROUP in gi else np.zeros(n, bool)
        )
        self.has_objectives = self.objectives.any(axis=1)
        self.has_sectors = self.sectors.any(axis=1)

    def __len__(self) -> int:
        return len(self.practices)

    def scores(self, profile: Profile) -> FloatArray:
        """The total score of every practice (same values as ``score_practice``)."""
        f = self.factor_values(profile)
        total = np.zeros(len(self))
        for name, weight in WEIGHTS.items():
            total += weight * f[name]
        return np.round(total, 9)

    def factor_values(self, profile: Profile) -> dict[str, FloatArray]:
        n = len(self)
        out: dict[str, FloatArray] = {}
        # Objectives.
        prio = np.array([float(max(0, profile.priority(o))) for o in self.objective_ids])
        total = float(sum(max(0, v) for v in profile.objectives.values()))
        if total == 0:
            out["objectives"] = np.full(n, NEUTRAL)
        else:
            weighted = self.objectives * prio
            best = weighted.max(axis=1) if weighted.shape[1] else np.zeros(n)
            served = weighted.sum(axis=1)
            count = self.objectives.sum(axis=1)
            focus = np.where(
                count > 0, served / (PRIORITY_MAX * np.where(count > 0, count, 1)), 0.0
            )
            mix = OBJECTIVE_MIX
            out["objectives"] = (
                mix[0] * best / PRIORITY_MAX + mix[1] * served / total + mix[2] * focus
            )
        # Complementarity.
        covered, fields, practices = _covered(profile)
        cov = np.array([o in covered for o in self.objective_ids], dtype=np.float64)
        w = self.objectives * (prio + 0.5)
        wsum = w.sum(axis=1)
        new = (w * (1.0 - cov)).sum(axis=1)
        share = np.where(self.has_objectives, new / np.where(wsum > 0, wsum, 1.0), NEUTRAL)
        field_new = np.array([f not in fields for f in self.field_ids], dtype=np.float64)
        comp = 0.8 * share + 0.2 * (field_new[self.field] if len(field_new) else np.zeros(n))
        if practices:
            comp = np.where(np.isin(np.array(self.ids, dtype=object), list(practices)), 0.0, comp)
        out["complementarity"] = comp
        # Target groups.
        explicit = set(profile.target_groups) - {GENERIC_GROUP}
        implied = implied_groups(profile) - {GENERIC_GROUP}
        if not explicit and not implied:
            out["target_groups"] = np.full(n, NEUTRAL)
        else:
            gw = np.array(
                [1.0 if g in explicit else 0.5 if g in implied else 0.0 for g in self.group_ids]
            )
            denominator = min(len(explicit), 2) if explicit else 1
            tg = np.minimum(1.0, (self.groups @ gw if len(gw) else np.zeros(n)) / denominator)
            floor = _generic_floor(explicit | implied)
            out["target_groups"] = np.where((tg == 0) & self.has_generic, floor, tg)
        # Resources.
        capacity = ASSUMPTIONS["capacity_share"] * profile.management_fte
        staff = np.where(self.fte <= capacity, 1.0, capacity / np.where(self.fte > 0, self.fte, 1))
        if profile.budget_eur <= 0:
            cost = np.full(n, NEUTRAL)
        else:
            cost = np.where(
                self.cost <= profile.budget_eur,
                1.0,
                profile.budget_eur / np.where(self.cost > 0, self.cost, 1.0),
            )
        year = ASSUMPTIONS["months_per_budget_year"]
        duration = np.where(
            self.months <= year, 1.0, year / np.where(self.months > 0, self.months, 1)
        )
        if profile.members > 0:
            scale = np.where(
                self.member_need > 0,
                np.minimum(
                    1.0, profile.members / np.where(self.member_need > 0, self.member_need, 1)
                ),
                1.0,
            )
        else:
            scale = np.ones(n)
        rw = RESOURCE_WEIGHTS
        out["resources"] = rw[0] * staff + rw[1] * cost + rw[2] * duration + rw[3] * scale
        # Sector.
        sector_value = np.array(
            [_sector_value(profile.sectors, (s,)) for s in self.sector_ids], dtype=np.float64
        )
        if not profile.sectors:
            out["sector"] = np.full(n, NEUTRAL)
        else:
            best_sector = (
                (self.sectors * sector_value).max(axis=1) if len(sector_value) else np.zeros(n)
            )
            out["sector"] = np.where(self.has_sectors, best_sector, NEUTRAL)
        # Stage and scope.
        target = STAGE_TARGET.get(profile.stage, STAGE_TARGET["growing"])
        out["stage"] = np.clip(1.0 - np.abs(self.complexity - target) * 1.25, 0.0, 1.0)
        out["scope"] = np.where(
            self.cross_border == profile.cross_border, 1.0, 0.5 if profile.cross_border else 0.3
        )
        return out

    def allowed(self, limits: Limits) -> BoolArray:
        mask = np.ones(len(self), dtype=bool)
        if limits.fields:
            chosen = np.array([f in limits.fields for f in self.field_ids], dtype=bool)
            mask &= chosen[self.field] if len(chosen) else mask
        if limits.max_cost_eur is not None:
            mask &= self.cost <= limits.max_cost_eur
        if limits.max_staff is not None:
            mask &= self.persons <= limits.max_staff
        return mask

    def order(self, scores: FloatArray, mask: BoolArray) -> npt.NDArray[np.int64]:
        """Positions of the allowed practices, best score first, ties by id."""
        positions = np.flatnonzero(mask)
        keys = np.lexsort((self.id_rank[positions], -scores[positions]))
        return positions[keys]


def rank(
    profile: Profile,
    practices: Sequence[PracticeFeatures] | PracticeMatrix,
    limits: Limits | None = None,
    *,
    top: int | None = None,
    labels: Labels | None = None,
) -> Ranking:
    """Rank every practice; explain the ``top`` best (all when None); list the exclusions."""
    limits = limits or Limits()
    matrix = practices if isinstance(practices, PracticeMatrix) else PracticeMatrix(practices)
    scores = matrix.scores(profile)
    mask = matrix.allowed(limits)
    order = matrix.order(scores, mask)
    excluded = []
    for i in np.flatnonzero(~mask).tolist():
        p, est = matrix.practices[i], matrix.estimates[i]
        reason = _limit_reason(limits, p, est)
        if reason is not None:
            excluded.append(Exclusion(p.id, p.title, reason[0], reason[1]))
    excluded.sort(key=lambda e: e.practice_id)
    chosen = order if top is None else order[:top]
    recommendations = []
    for position, i in enumerate(chosen.tolist(), start=1):
        p = matrix.practices[i]
        _total, factors, est = score_practice(profile, p, labels)
        recommendations.append(
            Recommendation(p.id, p.title, p.field, position, float(scores[i]), factors, est)
        )
    no_fit = None
    if len(order) == 0:
        no_fit = _binding(limits, matrix.practices, matrix.estimates)
    return Ranking(recommendations, excluded, no_fit, len(order))


def recommend(
    profile: Profile,
    practices: Sequence[PracticeFeatures] | PracticeMatrix,
    limits: Limits | None = None,
    *,
    top: int | None = None,
    labels: Labels | None = None,
) -> list[Recommendation] | NoFit:
    """The ranked, explained practices, or a NoFit saying which limits leave nothing."""
    result = rank(profile, practices, limits, top=top, labels=labels)
    return result.no_fit if result.no_fit is not None else result.recommendations


def recommend_naive(
    profile: Profile, practices: Sequence[PracticeFeatures], limits: Limits | None = None
) -> list[tuple[str, float]]:
    """The baseline: one Python call per practice, then a sort. Same order as ``rank``."""
    limits = limits or Limits()
    scored = []
    for p in practices:
        total, _factors, est = score_practice(profile, p)
        if _limit_reason(limits, p, est) is None:
            scored.append((p.id, total))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored


# --- gap analysis ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Objective:
    id: str
    field: str
    name: str = ""


@dataclass(frozen=True)
class ObjectiveCoverage:
    objective: Objective
    priority: int
    services: tuple[str, ...]
    candidates: tuple[str, ...]

    @property
    def covered(self) -> bool:
        return bool(self.services)


@dataclass(frozen=True)
class FieldCoverage:
    field: str
    coverage: float | None  # share of the field's priority weight covered; None: no priorities
    covered: int
    objectives: int


@dataclass(frozen=True)
class GapAnalysis:
    objectives: tuple[ObjectiveCoverage, ...]
    fields: tuple[FieldCoverage, ...]
    coverage: float | None

    @property
    def gaps(self) -> list[ObjectiveCoverage]:
        """Uncovered objectives, highest priority first."""
        out = [o for o in self.objectives if not o.covered]
        return sorted(out, key=lambda o: (-o.priority, o.objective.field, o.objective.id))


def gaps(
    profile: Profile,
    objectives: Sequence[Objective],
    practices: Sequence[PracticeFeatures],
    *,
    candidates_per_gap: int = 5,
) -> GapAnalysis:
    """Coverage of each Target Board objective by the current services, weighted by priority.

    Each uncovered objective lists the practices that serve it, best for the profile first.
    """
    matrix = PracticeMatrix(practices) if practices else None
    scores = matrix.scores(profile) if matrix is not None else np.zeros(0)
    score_of = {p.id: float(scores[i]) for i, p in enumerate(practices)}
    running = {s.practice_id for s in profile.current_services if s.practice_id}
    rows = []
    for objective in objectives:
        services = tuple(s.name for s in profile.current_services if objective.id in s.objectives)
        candidates: tuple[str, ...] = ()
        if not services:
            serving = [p for p in practices if objective.id in p.objectives and p.id not in running]
            serving.sort(key=lambda p: (-score_of[p.id], p.id))
            candidates = tuple(p.id for p in serving[:candidates_per_gap])
        rows.append(
            ObjectiveCoverage(objective, profile.priority(objective.id), services, candidates)
        )
    fields = []
    for field_id in dict.fromkeys(o.field for o in objectives):
        mine = [r for r in rows if r.objective.field == field_id]
        weight = sum(r.priority for r in mine)
        covered_weight = sum(r.priority for r in mine if r.covered)
        fields.append(
            FieldCoverage(
                field_id,
                covered_weight / weight if weight else None,
                sum(1 for r in mine if r.covered),
                len(mine),
            )
        )
    weight = sum(r.priority for r in rows)
    coverage = sum(r.priority for r in rows if r.covered) / weight if weight else None
    return GapAnalysis(tuple(rows), tuple(fields), coverage)


# --- service plan ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    kind: str
    label: str
    low: float | None
    high: float | None
    unit: str
    per: str = ""
    approx: bool = False
    months: float | None = None  # the unit's length in months for time units
    unit_label: str = ""  # "weeks" for week, from the vocabulary

    @property
    def text(self) -> str:
        if self.low is not None and self.high is not None and self.low != self.high:
            number = f"{_fmt(self.low)}–{_fmt(self.high)}"
        elif self.low is not None and self.high is None:
            number = _("at least %(n)s") % {"n": _fmt(self.low)}
        elif self.low is None and self.high is not None:
            number = _("at most %(n)s") % {"n": _fmt(self.high)}
        else:
            number = _fmt(self.low if self.low is not None else 0)
        text = f"{'~' if self.approx else ''}{number} {self.unit_label or self.unit}"
        return f"{text} per {self.per}" if self.per else text

    @property
    def upper(self) -> float | None:
        return self.high if self.high is not None else self.low


@dataclass(frozen=True)
class PracticeText:
    """The practice as a plan needs it: features plus its words."""

    features: PracticeFeatures
    summary: str = ""
    activities: tuple[str, ...] = ()
    success_factors: tuple[str, ...] = ()
    challenges: tuple[str, ...] = ()
    funding_sources: tuple[tuple[str, str], ...] = ()
    contacts: tuple[tuple[str, str, str], ...] = ()  # person, organisation, e-mail
    clusters: tuple[tuple[str, str], ...] = ()  # name, website


@dataclass(frozen=True)
class Phase:
    name: str
    start_month: float
    end_month: float
    activities: tuple[str, ...]
    basis: str


@dataclass(frozen=True)
class Milestone:
    name: str
    month: float
    basis: str
    at_end: bool = False  # at the end of ``month`` (shown as the month that ends there)

    @property
    def label(self) -> str:
        return month_label(max(0.0, self.month - 1e-6) if self.at_end else self.month)


@dataclass(frozen=True)
class BudgetLine:
    label: str
    amount_eur: float
    basis: str


@dataclass(frozen=True)
class FundingOption:
    source: str
    note: str
    from_practice: str  # the practice id it is drawn from


@dataclass(frozen=True)
class ServicePlan:
    practice_id: str
    title: str
    profile_name: str
    summary: str
    phases: tuple[Phase, ...]
    milestones: tuple[Milestone, ...]
    cadence: tuple[str, ...]
    total_months: float
    staffing_fte: float
    staffing_persons: float
    staffing_notes: tuple[str, ...]
    budget: tuple[BudgetLine, ...]
    net_cost_eur: float
    budget_share: float | None
    fees: tuple[str, ...]
    funding: tuple[FundingOption, ...]
    checklist: tuple[str, ...]
    risks: tuple[str, ...]
    kpis: tuple[str, ...]
    contacts: tuple[tuple[str, str, str], ...]
    clusters: tuple[tuple[str, str], ...]
    assumptions: tuple[str, ...]


#: What to measure for each Target Board objective.
OBJECTIVE_KPIS: dict[str, str] = {
    "workforce-training": "trainees qualified per year and their placement rate in member companies",
    "management-education": "managers or founders completing the programme, and their rating of it",
    "rd-support": "joint R&D project proposals submitted, funded, and the funding raised",
    "technical-trends": "technology topics scouted and members attending the sessions",
    "technical-standards": "common standards, IP rules or agreements reached",
    "technology-diffusion": "members adopting a presented technology within a year",
    "production-processes": "members with a measured process improvement (e.g. maturity level)",
    "commercial-cooperation": "joint offers, shared projects or supply partnerships started",
    "business-assistance": "new customer contacts and deals reported by participating members",
    "market-intelligence": "reports or benchmark results delivered and members using them",
    "export-promotion": "members entering a foreign market and export contacts made",
    "policy-action": "policy positions delivered and changes obtained",
    "networking-people": "participants per edition, share of returning members, new contacts",
    "information-gathering": "reports published and their readership",
    "seminars-events": "events held, attendance, satisfaction",
    "large-small-linkage": "meetings between SMEs and large firms, and collaborations that follow",
    "business-development": "members with a new strategy, product or measured competitiveness gain",
    "brand-building": "visibility of the cluster brand (visitors, press, enquiries)",
    "inward-investment": "companies or investors attracted to the region",
    "incubation": "start-ups supported, launched and still active after two years",
}

_PREPARATION_WORDS = re.compile(
    r"select|call for|first contact|planning|review|needs|scouting|identif|collect|forming|"
    r"building|monitoring of|definition|promotion|room booking|matching",
    re.IGNORECASE,
)
_START_WORDS = re.compile(r"kick-off|kick off|opening", re.IGNORECASE)
_MIDDLE_WORDS = re.compile(r"mid-term|mid-time|midterm|interim", re.IGNORECASE)
_END_WORDS = re.compile(r"closing|final event|follow-up|follow up|placement", re.IGNORECASE)


def _months_of(fact: Fact) -> float | None:
    upper = fact.upper
    if upper is None or fact.months is None:
        return None
    return upper * fact.months


def plan(
    profile: Profile,
    practice: PracticeText,
    facts: Sequence[Fact],
    *,
    toolbox: Sequence[PracticeText] = (),
) -> ServicePlan:
    """Phases, timeline, staffing, budget, funding, checklist, risks and KPIs for one practice."""
    p = practice.features
    est = estimate(p)
    a = ASSUMPTIONS
    assumptions: list[str] = []
    # Preparation.
    prep_facts = [f for f in facts if f.kind == "preparation" and _months_of(f) is not None]
    if prep_facts:
        prep = max(_months_of(f) or 0.0 for f in prep_facts)
        prep_basis = "; ".join(f"{f.label}: {f.text}" for f in prep_facts)
    else:
        prep = 1.0 if est.complexity < 0.35 else 2.0 if est.complexity < 0.6 else 3.0
        prep_basis = _("not stated in the source; %(m)s months assumed for a service of this "
                       "complexity") % {"m": _fmt(prep)}  # fmt: skip
        assumptions.append(_("Preparation: %(b)s.") % {"b": prep_basis})
    # Delivery: durations labelled as phases run one after the other; otherwise the longest is the
    # delivery window and shorter ones run inside it (the 8-month mentoring inside 9 months).
    durations = [f for f in facts if f.kind == "duration" and _months_of(f) is not None]
    phased = [f for f in durations if "phase" in f.label.lower()]
    prep_acts = tuple(a_ for a_ in practice.activities if _PREPARATION_WORDS.search(a_))
    run_acts = tuple(a_ for a_ in practice.activities if a_ not in prep_acts)
    phases = [Phase(_("Preparation"), 0.0, prep, prep_acts, prep_basis)]
    start = prep
    if phased:
        # An activity naming a phase ("9-month post-acceleration phase") goes to that phase (the
        # longest matching name wins); the others go to the first phase.
        keys = [f.label.lower().replace(" phase", "").strip() for f in phased]
        placed: list[list[str]] = [[] for _f in phased]
        for act in run_acts:
            hits = [i for i, k in enumerate(keys) if k and k in act.lower()]
            target = max(hits, key=lambda i: len(keys[i])) if hits else 0
            placed[target].append(act)
        for f, acts in zip(phased, placed, strict=True):
            length = _months_of(f) or 0.0
            phases.append(
                Phase(f.label, start, start + length, tuple(acts), f"{f.label}: {f.text}")
            )
            start += length
        delivery_end = start
    else:
        if durations:
            longest = max(durations, key=lambda f: _months_of(f) or 0.0)
            length = _months_of(longest) or 0.0
            basis = "; ".join(f"{f.label}: {f.text}" for f in durations)
        else:
            length = 0.0
            basis = _("duration not stated in the source; planned as a single event")
            assumptions.append(_("Delivery: %(b)s.") % {"b": basis})
        delivery_end = start + length
        phases.append(Phase(_("Delivery"), start, delivery_end, run_acts, basis))
    follow = 1.0
    phases.append(
        Phase(_("Evaluation and follow-up"), delivery_end, delivery_end + follow,
              (_("Measure the KPIs, collect feedback, decide on the next edition"),),
              _("one month assumed"))
    )  # fmt: skip
    assumptions.append(_("Evaluation and follow-up: one month after delivery."))
    milestones = [Milestone(_("Decision to launch"), 0.0, _("start of preparation"))]
    for ph in phases[1:]:
        milestones.append(
            Milestone(_("Start: %(phase)s") % {"phase": ph.name}, ph.start_month, _("phase start"))
        )
    for act in practice.activities:
        if _START_WORDS.search(act):
            milestones.append(Milestone(act, prep, _("start of delivery")))
        elif _MIDDLE_WORDS.search(act):
            milestones.append(Milestone(act, (prep + delivery_end) / 2, _("middle of delivery")))
        elif _END_WORDS.search(act):
            milestones.append(Milestone(act, delivery_end, _("end of delivery"), at_end=True))
    milestones.append(
        Milestone(_("Evaluation report"), delivery_end + follow, _("after follow-up"), at_end=True)
    )
    # A milestone at the end of a month comes before one at the start of the next.
    milestones.sort(key=lambda m: m.month - (1e-6 if m.at_end else 0.0))
    cadence = tuple(
        f"{f.label}: {f.text}" for f in facts if f.kind in {"frequency", "interval", "schedule"}
    )
    # Staffing.
    staffing_notes = list(est.notes[:1])
    capacity = a["capacity_share"] * profile.management_fte
    if profile.management_fte > 0:
        staffing_notes.append(
            _("That is %(pct)s%% of your %(fte)s FTE management team.")
            % {"pct": _fmt(round(100 * est.fte / profile.management_fte)),
               "fte": _fmt(profile.management_fte)}
        )  # fmt: skip
    staff_facts = [f"{f.label}: {f.text}" for f in facts if f.kind in {"staff", "effort"}]
    staffing_notes += staff_facts
    # Budget.
    run_months = max(delivery_end + follow, 1.0)
    budget: list[BudgetLine] = []
    staff_cost = est.fte * a["eur_per_fte_year"] * min(run_months, 12.0) / 12.0
    budget.append(
        BudgetLine(
            _("Staff of the cluster organisation"),
            staff_cost,
            _("%(fte)s FTE x %(eur)s EUR per FTE-year x %(m)s months (at most one year)")
            % {"fte": _fmt(est.fte), "eur": _fmt(a["eur_per_fte_year"]),
               "m": _fmt(round(min(run_months, 12.0), 1))},
        )
    )  # fmt: skip
    for f in facts:
        if f.kind in {"budget", "cost"} and f.unit == "EUR" and f.upper is not None:
            budget.append(BudgetLine(f.label, f.upper, _("from the source")))
            break
    income = 0.0
    fee_facts = [f for f in facts if f.kind == "fee" and f.unit == "EUR"]
    participants = p.member_participants or p.participants
    fees = tuple(f"{f.label}: {f.text}" for f in fee_facts)
    if fee_facts and participants:
        low = min((f.low if f.low is not None else f.upper or 0.0) for f in fee_facts)
        expected = participants
        if profile.members and p.member_participants:
            expected = min(participants, float(profile.members))
        income = low * expected
        budget.append(
            BudgetLine(
                _("Participant fees (income)"),
                -income,
                _("lowest fee %(fee)s EUR x %(n)s participants as in the source%(cap)s")
                % {"fee": _fmt(low), "n": _fmt(expected),
                   "cap": _(", capped at your member count") if expected < participants else ""},
            )
        )  # fmt: skip
    net = max(0.0, sum(b.amount_eur for b in budget))
    share = net / profile.budget_eur if profile.budget_eur > 0 else None
    # Funding: the practice's own sources first, then what other practices of the toolbox used.
    funding = [FundingOption(s, n, p.id) for s, n in practice.funding_sources]
    seen = {s.lower() for s, _n in practice.funding_sources}
    others = sorted(
        toolbox,
        key=lambda t: (
            t.features.field != p.field,
            -len(set(t.features.formats) & set(p.formats)),
            t.features.id,
        ),
    )
    for other in others:
        if other.features.id == p.id:
            continue
        for source, note in other.funding_sources:
            if source.lower() in seen:
                continue
            seen.add(source.lower())
            funding.append(FundingOption(source, note, other.features.id))
    # Checklist, risks, KPIs.
    checklist = tuple(practice.success_factors)
    risks = list(practice.challenges)
    if est.fte > capacity:
        risks.append(
            _("Staffing: it needs about %(need)s FTE and half your team is %(cap)s FTE.")
            % {"need": _fmt(est.fte), "cap": _fmt(capacity)}
        )
    if share is not None and share > 1:
        risks.append(
            _("Budget: the net cost of about %(net)s EUR exceeds your yearly budget of %(b)s EUR.")
            % {"net": _fmt(round(net)), "b": _fmt(round(profile.budget_eur))}
        )
    if p.cross_border and not profile.cross_border:
        risks.append(_("Scope: the service relies on partners abroad, which you have not planned."))
    if p.member_participants and profile.members and profile.members < p.member_participants:
        risks.append(
            _("Reach: the source involves %(n)s member companies and you have %(m)s members.")
            % {"n": _fmt(p.member_participants), "m": profile.members}
        )
    if profile.sectors and _sector_value(profile.sectors, p.sectors) <= SECTOR_OTHER:
        risks.append(_("Sector: it comes from another sector; adapt topics and partners."))
    kpis = [f"{o}: {OBJECTIVE_KPIS[o]}" for o in p.objectives if o in OBJECTIVE_KPIS]
    for f in facts:
        if f.kind == "participants":
            kpis.append(_("%(label)s (source: %(text)s)") % {"label": f.label, "text": f.text})
    if fee_facts:
        kpis.append(_("fee income against the budget"))
    assumptions += [
        _("One organiser spends %(s)s FTE on the service when the source names persons but not "
          "effort.") % {"s": _fmt(a["fte_per_person"])},
        _("One FTE of cluster-management staff costs %(eur)s EUR a year.")
        % {"eur": _fmt(a["eur_per_fte_year"])},
        _("Half of the management team is the most a new service can take."),
    ]  # fmt: skip
    return ServicePlan(
        practice_id=p.id,
        title=p.title,
        profile_name=profile.name,
        summary=practice.summary,
        phases=tuple(phases),
        milestones=tuple(milestones),
        cadence=cadence,
        total_months=delivery_end + follow,
        staffing_fte=est.fte,
        staffing_persons=est.persons,
        staffing_notes=tuple(staffing_notes),
        budget=tuple(budget),
        net_cost_eur=net,
        budget_share=share,
        fees=fees,
        funding=tuple(funding),
        checklist=checklist,
        risks=tuple(risks),
        kpis=tuple(kpis),
        contacts=practice.contacts,
        clusters=practice.clusters,
        assumptions=tuple(assumptions),
    )


def month_label(month: float) -> str:
    """0.5 -> 'month 1', 4 -> 'month 5' (months counted from 1 for people)."""
    return _("month %(n)s") % {"n": math.floor(month + 1e-9) + 1}


def plan_markdown(plan: ServicePlan) -> str:
    """The plan as a Markdown document."""
    lines = [f"# {_('Service plan')}: {plan.title}", ""]
    if plan.profile_name:
        lines += [_("For: %(name)s") % {"name": plan.profile_name}, ""]
    if plan.summary:
        lines += [plan.summary, ""]
    lines += [f"## {_('Phases and timeline')}", ""]
    lines += [
        f"| {_('Phase')} | {_('From')} | {_('To')} | {_('Basis')} |",
        "| --- | --- | --- | --- |",
    ]
    for ph in plan.phases:
        lines.append(
            f"| {ph.name} | {month_label(ph.start_month)} | {month_label(max(ph.end_month - 1e-6, ph.start_month))} | {ph.basis} |"
        )
    lines.append("")
    for ph in plan.phases:
        if ph.activities:
            lines += [f"**{ph.name}**", ""] + [f"- {act}" for act in ph.activities] + [""]
    lines += [f"### {_('Milestones')}", ""]
    lines += [f"- {m.label}: {m.name} ({m.basis})" for m in plan.milestones]
    if plan.cadence:
        lines += ["", f"### {_('Rhythm')}", ""] + [f"- {c}" for c in plan.cadence]
    lines += ["", f"## {_('Staffing')}", ""]
    lines += [
        _("About %(fte)s FTE, %(p)s persons.")
        % {"fte": _fmt(plan.staffing_fte), "p": _fmt(plan.staffing_persons)},
        "",
    ] + [f"- {n}" for n in plan.staffing_notes]
    lines += ["", f"## {_('Budget estimate')}", ""]
    lines += [f"| {_('Item')} | EUR | {_('Basis')} |", "| --- | ---: | --- |"]
    lines += [f"| {b.label} | {_fmt(round(b.amount_eur))} | {b.basis} |" for b in plan.budget]
    lines += [f"| **{_('Net cost')}** | **{_fmt(round(plan.net_cost_eur))}** | |", ""]
    if plan.budget_share is not None:
        lines += [
            _("That is %(pct)s%% of your yearly budget for new services.")
            % {"pct": _fmt(round(100 * plan.budget_share))},
            "",
        ]
    if plan.fees:
        lines += [f"### {_('Fees in the source')}", ""] + [f"- {f}" for f in plan.fees] + [""]
    lines += [f"## {_('Funding options')}", ""]
    lines += [
        f"- {f.source}{(' — ' + f.note) if f.note else ''} ({_('from')} {f.from_practice})"
        for f in plan.funding
    ] or [f"- {_('None named in the toolbox.')}"]
    lines += ["", f"## {_('Checklist of success factors')}", ""]
    lines += [f"- [ ] {c}" for c in plan.checklist] or [f"- {_('None named in the source.')}"]
    lines += ["", f"## {_('Risks')}", ""] + ([f"- {r}" for r in plan.risks] or ["-"])
    lines += ["", f"## {_('KPIs to track')}", ""] + [f"- {k}" for k in plan.kpis]
    lines += ["", f"## {_('Contact reference')}", ""]
    lines += [f"- {person}, {org}, {mail}" for person, org, mail in plan.contacts]
    lines += [f"- {name} ({site})" if site else f"- {name}" for name, site in plan.clusters]
    lines += ["", f"## {_('Assumptions')}", ""] + [f"- {x}" for x in plan.assumptions]
    return "\n".join(lines) + "\n"


# --- building features from a practice record --------------------------------------------------


def facts_from_record(
    facts: Iterable[Mapping[str, Any]], units: Mapping[str, Mapping[str, Any]]
) -> list[Fact]:
    out = []
    for f in facts:
        low = f.get("value", f.get("min"))
        high = f.get("value", f.get("max"))
        months = units.get(str(f["unit"]), {}).get("months")
        out.append(
            Fact(
                kind=str(f["kind"]),
                label=str(f["label"]),
                low=None if low is None else float(low),
                high=None if high is None else float(high),
                unit=str(f["unit"]),
                per=str(f.get("per", "") or ""),
                approx=bool(f.get("approx", False)),
                months=None if months is None else float(months),
                unit_label=str(units.get(str(f["unit"]), {}).get("label", "") or ""),
            )
        )
    return out


MEMBER_UNITS = {"member", "company", "organisation"}


def features_from_record(
    record: Mapping[str, Any], units: Mapping[str, Mapping[str, Any]]
) -> PracticeFeatures:
    """A practice record (docs/data-format.md) as the advisor reads it."""
    facts = facts_from_record(record.get("facts", ()), units)

    def months(kind: str) -> float | None:
        values = [m for f in facts if f.kind == kind and (m := _months_of(f)) is not None]
        return max(values) if values else None

    def fte() -> float | None:
        values = [f.upper for f in facts if f.kind == "effort" and f.unit == "FTE" and f.upper]
        if values:
            return max(values)
        hours = [
            f.upper for f in facts if f.kind == "effort" and f.unit == "person-hour" and f.upper
        ]
        if hours:
            return max(hours) / ASSUMPTIONS["hours_per_fte_year"]
        return None

    staff = [
        f.upper for f in facts if f.kind == "staff" and f.unit in {"person", "FTE"} and f.upper
    ]
    fees = [
        f.low if f.low is not None else f.upper
        for f in facts
        if f.kind == "fee" and f.unit == "EUR"
    ]
    money = [f for f in facts if f.kind in {"budget", "cost"} and f.unit == "EUR" and f.upper]
    per_cluster = [f.upper for f in money if f.per == "cluster" and f.upper]
    cost = (
        min(per_cluster) if per_cluster else (max(f.upper or 0 for f in money) if money else None)
    )
    participants = [f.upper for f in facts if f.kind == "participants" and f.upper]
    members = [
        f.upper for f in facts
        if f.kind == "participants" and f.unit in MEMBER_UNITS and f.upper and f.upper > 1
    ]  # fmt: skip
    scope = record.get("scope") or {}
    return PracticeFeatures(
        id=str(record["id"]),
        field=str(record["field"]),
        objectives=tuple(record.get("objectives", ())),
        target_groups=tuple(record.get("target_groups", ())),
        sectors=tuple(record.get("sectors", ())),
        formats=tuple(record.get("formats", ())),
        title=str(record.get("title", "")),
        fee_eur=min((x for x in fees if x is not None), default=None),
        staff_persons=max(staff) if staff else None,
        effort_fte=fte(),
        duration_months=months("duration"),
        preparation_months=months("preparation"),
        cost_eur=cost,
        participants=max(participants) if participants else None,
        member_participants=max(members) if members else None,
        cross_border=bool(scope.get("cross_border", False)),
        cross_cluster=bool(scope.get("cross_cluster", False)),
    )


def practice_text_from_record(
    record: Mapping[str, Any], units: Mapping[str, Mapping[str, Any]]
) -> PracticeText:
    return PracticeText(
        features=features_from_record(record, units),
        summary=str(record.get("summary", "")),
        activities=tuple(record.get("activities", ())),
        success_factors=tuple(record.get("success_factors", ())),
        challenges=tuple(record.get("challenges", ())),
        funding_sources=tuple(
            (str(f.get("source", "")), str(f.get("note", "")))
            for f in record.get("funding_sources", ())
        ),
        contacts=tuple(
            (str(c.get("person", "")), str(c.get("organisation", "")), str(c.get("email", "")))
            for c in record.get("contacts", ())
        ),
        clusters=tuple(
            (str(c.get("name", "")), str(c.get("website", ""))) for c in record.get("clusters", ())
        ),
    )
