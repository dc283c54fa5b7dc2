"""Partner search: rank organisations for a need and say why.

A need names the competences wanted (each with a minimum level and a weight), the regions and the
organisation types wanted. Every candidate gets a score from 0 to 100:

- competence fit (75 %): for each wanted competence, the weight times level/5 when the candidate
  holds it at the minimum level or above; a quarter of that when it holds it below the minimum
  (a near miss ranks above nothing, below a match);
- region (15 %): the candidate's NUTS code lies in one of the wanted regions (``CH`` holds
  ``CH022``, ``CH02`` holds ``CH022``); no wanted region gives every candidate the full share;
- collaboration history (10 %): joint projects with the organisations named in ``known`` count
  most (trust); without ``known``, experience in joint projects at all counts.

Types are a filter (a university is no answer to "SMEs only"); regions are a preference unless
``regions_only`` is set. A candidate holding none of the wanted competences is left out. The
result is structured (no prose) so that callers can word the reasons in the user's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

LEVEL_MAX = 5
WEIGHT_COMPETENCE = 75.0
WEIGHT_REGION = 15.0
WEIGHT_HISTORY = 10.0
NEAR_MISS = 0.25
KNOWN_PROJECTS_FULL = 3  # joint projects with known partners that earn the full history share
ANY_PROJECTS_FULL = 5  # joint projects in general that earn half of it


@dataclass(frozen=True)
class Wanted:
    code: str
    min_level: int = 1
    weight: float = 1.0


@dataclass(frozen=True)
class Need:
    competences: tuple[Wanted, ...] = ()
    regions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    regions_only: bool = False
    known: frozenset[int] = frozenset()  # organisations whose partners we trust (e.g. our own)
    exclude: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    kind: str
    region: str
    levels: Mapping[str, int] = field(default_factory=dict)
    # joint projects per partner organisation id
    partners: Mapping[int, int] = field(default_factory=dict)
    projects: int = 0


@dataclass(frozen=True)
class Match:
    code: str
    min_level: int
    level: int  # 0: not held
    points: float

    @property
    def met(self) -> bool:
        return self.level >= self.min_level and self.level > 0


@dataclass(frozen=True)
class Ranked:
    id: int
    name: str
    score: float
    competence_score: float
    region_score: float
    history_score: float
    matches: tuple[Match, ...]
    region_match: bool | None  # None: no region wanted
    known_partners: tuple[int, ...]  # known organisations this one worked with
    joint_projects: int  # with known organisations, or in all if none is known

    @property
    def met(self) -> int:
        return sum(1 for m in self.matches if m.met)


def region_in(region: str, wanted: Sequence[str]) -> bool:
    """True when ``region`` is one of ``wanted`` or lies inside one (NUTS codes nest by prefix)."""
    code = region.strip().upper()
    return any(code.startswith(w.strip().upper()) for w in wanted if w.strip())


def _competence_part(need: Need, cand: Candidate) -> tuple[float, tuple[Match, ...]]:
    if not need.competences:
        return 1.0, ()
    total = sum(max(w.weight, 0.0) for w in need.competences) or 1.0
    matches: list[Match] = []
    got = 0.0
    for w in need.competences:
        level = max(0, min(LEVEL_MAX, int(cand.levels.get(w.code, 0))))
        weight = max(w.weight, 0.0)
        if level == 0:
            points = 0.0
        elif level >= w.min_level:
            points = weight * level / LEVEL_MAX
        else:
            points = weight * NEAR_MISS * level / LEVEL_MAX
        got += points
        matches.append(Match(w.code, w.min_level, level, points / total))
    return got / total, tuple(matches)


def _history_part(need: Need, cand: Candidate) -> tuple[float, tuple[int, ...], int]:
    if need.known:
        known = tuple(sorted(p for p in cand.partners if p in need.known and p != cand.id))
        count = sum(cand.partners[p] for p in known)
        if count:
            return min(1.0, count / KNOWN_PROJECTS_FULL), known, count
        return 0.0, (), 0
    return 0.5 * min(1.0, cand.projects / ANY_PROJECTS_FULL), (), cand.projects


def rank(need: Need, candidates: Sequence[Candidate], limit: int | None = 50) -> list[Ranked]:
    """The candidates that answer the need, best first (ties: more competences met, then name)."""
    kinds = set(need.kinds)
    out: list[Ranked] = []
    for cand in candidates:
        if cand.id in need.exclude or (kinds and cand.kind not in kinds):
            continue
        region_match: bool | None = None
        if need.regions:
            region_match = region_in(cand.region, need.regions)
            if need.regions_only and not region_match:
                continue
        comp, matches = _competence_part(need, cand)
        if need.competences and not any(m.level > 0 for m in matches):
            continue
        hist, known, joint = _history_part(need, cand)
        region_score = WEIGHT_REGION if region_match in (None, True) else 0.0
        competence_score = WEIGHT_COMPETENCE * comp
        history_score = WEIGHT_HISTORY * hist
        out.append(
            Ranked(
                id=cand.id,
                name=cand.name,
                score=round(competence_score + region_score + history_score, 2),
                competence_score=round(competence_score, 2),
                region_score=region_score,
                history_score=round(history_score, 2),
                matches=matches,
                region_match=region_match,
                known_partners=known,
                joint_projects=joint,
            )
        )
    out.sort(key=lambda r: (-r.score, -r.met, r.name.casefold(), r.id))
    return out if limit is None else out[: max(0, limit)]
