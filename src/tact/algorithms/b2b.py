"""B2B meeting scheduling: requests to (slot, table), maximising priority, then compact agendas.

Hard rules: nobody in two meetings in one slot, at most ``tables`` meetings per slot (and at most
``remote_rooms`` for requests marked remote), both sides available, per-person maximum. Objective: total priority of scheduled requests first, then few
idle gaps (an empty slot between two meetings of one person; Bofill et al., JAIR).

Pipeline: a greedy pass (priority order, slot that adds fewest gaps) plus a local improvement
pass, a cheap upper bound, then CP-SAT in two phases under one time limit, both hinted: (1)
priority only, which also proves a bound; (2) fewest gaps, either exactly (priority fixed at the
proven optimum, small events) or by moving the chosen meetings between slots. When phase 1 does
not prove optimality, a large-neighbourhood search runs between the phases: it frees the meetings
among ~20 related people and re-solves them exactly with CP-SAT, keeping what is better
(priority first, then idle gaps); at scale this is what improves on the greedy start. When CP-SAT finds
nothing better (or the model is too large) the greedy result is returned with the bound, and
``stats["method"]`` says so. ``gap_weight`` only switches compactness on (>0) or off (0).
"""

from __future__ import annotations

import heapq
import math
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Participant:
    id: str
    available_slots: frozenset[int]
    max_meetings: int


@dataclass(frozen=True)
class Request:
    id: str
    a: str
    b: str
    priority: int = 1
    remote: bool = False  # held in a remote (video) room instead of at a table


@dataclass(frozen=True)
class Event:
    slots: int
    tables: int
    remote_rooms: int = 0  # capacity per slot for remote requests

    def capacity(self, remote: bool) -> int:
        return self.remote_rooms if remote else self.tables


@dataclass(frozen=True)
class Pinned:
    """An already published meeting: kept in place while it stays feasible."""

    request_id: str
    slot: int
    table: int


@dataclass(frozen=True)
class Meeting:
    request_id: str
    slot: int
    table: int


@dataclass(frozen=True)
class Unmet:
    request_id: str
    reason: str
    code: str = ""  # stable key for translations: see REASON_CODES


@dataclass(frozen=True)
class Schedule:
    meetings: tuple[Meeting, ...]
    unmet: tuple[Unmet, ...]
    total_priority: int
    idle_gaps: dict[str, int]
    total_idle_gaps: int
    upper_bound: int
    optimal: bool
    moved_pins: tuple[str, ...] = ()
    stats: dict[str, Any] = field(default_factory=dict)


REASON_CODES = (
    "same_participant",
    "unknown_participant",
    "no_meetings_wanted",
    "not_available",
    "no_common_slot",
    "no_tables",
    "maximum_reached",
    "no_free_table",
)


def idle_gaps(slots: Iterable[int]) -> int:
    """Empty slots between a person's first and last meeting."""
    s = set(slots)
    return (max(s) - min(s) + 1 - len(s)) if s else 0


# --- preprocessing -------------------------------------------------------------------------


@dataclass
class _Problem:
    event: Event
    people: dict[str, Participant]
    requests: list[Request]
    common: dict[str, tuple[int, ...]]  # feasible slots per schedulable request
    unmet: dict[str, tuple[str, str]]  # request id -> (code, reason): never schedulable
    pins: dict[str, Pinned]  # consistent pins, fixed
    moved_pins: list[str]


def _prepare(
    event: Event,
    participants: Sequence[Participant],
    requests: Sequence[Request],
    pinned: Sequence[Pinned],
) -> _Problem:
    people = {p.id: p for p in participants}
    slots = range(event.slots)
    common: dict[str, tuple[int, ...]] = {}
    unmet: dict[str, tuple[str, str]] = {}
    seen: set[str] = set()
    reqs: list[Request] = []
    for r in requests:
        if r.id in seen:
            raise ValueError(f"duplicate request id {r.id!r}")
        seen.add(r.id)
        reqs.append(r)
        if r.priority < 1:
            raise ValueError(f"request {r.id!r}: priority must be >= 1")
        pa, pb = people.get(r.a), people.get(r.b)
        if r.a == r.b:
            unmet[r.id] = ("same_participant", "a and b are the same participant")
        elif pa is None or pb is None:
            who = r.a if pa is None else r.b
            unmet[r.id] = ("unknown_participant", f"unknown participant {who}")
        elif pa.max_meetings <= 0 or pb.max_meetings <= 0:
            who = "a" if pa.max_meetings <= 0 else "b"
            unmet[r.id] = ("no_meetings_wanted", f"{who} takes no meetings (maximum is 0)")
        elif not (pa.available_slots & set(slots)):
            unmet[r.id] = ("not_available", "a is not available in any slot")
        elif not (pb.available_slots & set(slots)):
            unmet[r.id] = ("not_available", "b is not available in any slot")
        else:
            c = tuple(
                sorted(s for s in pa.available_slots & pb.available_slots if 0 <= s < event.slots)
            )
            if not c:
                unmet[r.id] = ("no_common_slot", "a is not available in any slot b is")
            elif event.capacity(r.remote) <= 0:
                what = "remote rooms" if r.remote else "tables"
                unmet[r.id] = ("no_tables", f"the event has no {what}")
            else:
                common[r.id] = c
    by_id = {r.id: r for r in reqs}
    # Keep pins that are still feasible and consistent with each other; the rest are rescheduled.
    pins: dict[str, Pinned] = {}
    moved: list[str] = []
    busy: set[tuple[str, int]] = set()
    used_tables: set[tuple[bool, int, int]] = set()
    count: dict[str, int] = defaultdict(int)
    for p in sorted(
        pinned,
        key=lambda q: (-by_id[q.request_id].priority if q.request_id in by_id else 0, q.request_id),
    ):
        pr = by_id.get(p.request_id)
        if pr is None:
            continue
        r = pr
        ok = (
            True
            and p.request_id in common
            and p.slot in common[p.request_id]
            and 0 <= p.table < event.capacity(r.remote)
            and (r.a, p.slot) not in busy
            and (r.b, p.slot) not in busy
            and (r.remote, p.slot, p.table) not in used_tables
            and count[r.a] < people[r.a].max_meetings
            and count[r.b] < people[r.b].max_meetings
            and p.request_id not in pins
        )
        if ok:
            pins[p.request_id] = p
            busy.update({(r.a, p.slot), (r.b, p.slot)})
            used_tables.add((r.remote, p.slot, p.table))
            count[r.a] += 1
            count[r.b] += 1
        else:
            moved.append(p.request_id)
    return _Problem(event, people, reqs, common, unmet, pins, moved)


# --- greedy + local search -----------------------------------------------------------------


class _State:
    """Mutable assignment request -> slot with the counters the greedy and repair moves need."""

    def __init__(self, prob: _Problem) -> None:
        self.prob = prob
        self.slot_of: dict[str, int] = {}
        self.person_slots: dict[str, dict[int, str]] = defaultdict(dict)  # person -> slot -> req
        # meetings per slot, for tables (False) and remote rooms (True)
        self.per_slot = {k: [0] * prob.event.slots for k in (False, True)}
        self.req = {r.id: r for r in prob.requests}

    def has_table(self, r: Request, s: int) -> bool:
        return self.per_slot[r.remote][s] < self.prob.event.capacity(r.remote)

    def free(self, r: Request, s: int) -> bool:
        return (
            self.has_table(r, s)
            and s not in self.person_slots[r.a]
            and s not in self.person_slots[r.b]
        )

    def room(self, pid: str) -> bool:
        return len(self.person_slots[pid]) < self.prob.people[pid].max_meetings

    def add(self, r: Request, s: int) -> None:
        self.slot_of[r.id] = s
        self.person_slots[r.a][s] = r.id
        self.person_slots[r.b][s] = r.id
        self.per_slot[r.remote][s] += 1

    def remove(self, r: Request) -> int:
        s = self.slot_of.pop(r.id)
        del self.person_slots[r.a][s]
        del self.person_slots[r.b][s]
        self.per_slot[r.remote][s] -= 1
        return s

    def gap_delta(self, r: Request, s: int, old: int | None = None) -> int:
        """Change in idle gaps of a and b if r goes to slot s (leaving slot old)."""
        d = 0
        for pid in (r.a, r.b):
            cur = set(self.person_slots[pid])
            new = (cur - {old}) if old is not None else set(cur)
            new.add(s)
            d += idle_gaps(new) - idle_gaps(cur)
        return d

    def best_slot(self, r: Request, exclude: int | None = None) -> int | None:
        best: tuple[int, int] | None = None
        for s in self.prob.common[r.id]:
            if s != exclude and self.free(r, s):
                key = (self.gap_delta(r, s), s)
                if best is None or key < best:
                    best = key
        return None if best is None else best[1]


def _order(prob: _Problem) -> list[Request]:
    # Highest priority first; among equals, the request with fewer options first.
    return sorted(
        (r for r in prob.requests if r.id in prob.common and r.id not in prob.pins),
        key=lambda r: (-r.priority, len(prob.common[r.id]), r.id),
    )


def _greedy(prob: _Problem, deadline: float) -> _State:
    st = _State(prob)
    for rid, p in prob.pins.items():
        st.add(st.req[rid], p.slot)
    order = _order(prob)
    for r in order:
        if st.room(r.a) and st.room(r.b):
            s = st.best_slot(r)
            if s is not None:
                st.add(r, s)
    _improve(st, order, deadline)
    return st


def _improve(st: _State, order: list[Request], deadline: float) -> None:
    """Insert unmet requests by moving one blocking meeting; then move meetings to close gaps."""
    prob = st.prob
    for r in order:
        if time.monotonic() > deadline:
            return
        if r.id in st.slot_of or not (st.room(r.a) and st.room(r.b)):
            continue
        for s in prob.common[r.id]:
            if not st.has_table(r, s):
                continue
            blockers = {st.person_slots[r.a].get(s), st.person_slots[r.b].get(s)} - {None}
            if len(blockers) != 1:
                continue
            (bid,) = blockers
            assert bid is not None
            if bid in prob.pins:
                continue
            m = st.req[bid]
            st.remove(m)
            s2 = st.best_slot(m, exclude=s)
            if s2 is None:
                st.add(m, s)
                continue
            st.add(m, s2)
            st.add(r, s)
            break
    for _ in range(5):
        improved = False
        for rid in sorted(st.slot_of):
            if time.monotonic() > deadline:
                return
            if rid in prob.pins:
                continue
            m = st.req[rid]
            old = st.slot_of[rid]
            best = (0, old)
            st.remove(m)
            for s in prob.common[rid]:
                if s != old and st.free(m, s):
                    d = st.gap_delta(m, s) - st.gap_delta(m, old)
                    if (d, s) < best:
                        best = (d, s)
            st.add(m, best[1])
            improved |= best[1] != old
        if not improved:
            break


# --- upper bound ---------------------------------------------------------------------------


def upper_bound(prob: _Problem) -> int:
    """min of: all feasible priorities; half the sum of each person's top-k requests; table room."""
    feas = [r for r in prob.requests if r.id in prob.common]
    total = sum(r.priority for r in feas)
    per: dict[str, list[int]] = defaultdict(list)
    for r in feas:
        per[r.a].append(r.priority)
        per[r.b].append(r.priority)
    person = 0
    for pid, prios in per.items():
        p = prob.people[pid]
        k = min(p.max_meetings, len(p.available_slots & set(range(prob.event.slots))))
        person += sum(heapq.nlargest(k, prios))
    table = 0
    for remote in (False, True):
        rooms = prob.event.slots * prob.event.capacity(remote)
        table += sum(heapq.nlargest(rooms, (r.priority for r in feas if r.remote == remote)))
    return min(total, person // 2, table)


# --- CP-SAT --------------------------------------------------------------------------------


@dataclass
class _CpResult:
    slot_of: dict[str, int]
    status: str
    objective: int
    bound: int
    wall_s: float


def _cpsat(
    prob: _Problem,
    hint: dict[str, int],
    deadline: float,
    gap_weight: int,
    num_workers: int,
    seed: int,
    keep: set[str] | None = None,
    min_priority: int | None = None,
) -> _CpResult | None:
    from ortools.sat.python import cp_model

    ev = prob.event
    model: Any = cp_model.CpModel()
    x: dict[tuple[str, int], Any] = {}
    at_person: dict[tuple[str, int], list[Any]] = defaultdict(list)
    at_slot: dict[tuple[bool, int], list[Any]] = defaultdict(list)
    per_person: dict[str, list[Any]] = defaultdict(list)
    obj_prio: list[Any] = []
    max_gaps = 0
    for r in prob.requests:
        if r.id not in prob.common or (keep is not None and r.id not in keep):
            continue
        pin = prob.pins.get(r.id)
        vs = []
        for s in prob.common[r.id]:
            if pin is not None and s != pin.slot:
                continue
            v = model.NewBoolVar(f"x_{r.id}_{s}")
            x[r.id, s] = v
            vs.append(v)
            at_person[r.a, s].append(v)
            at_person[r.b, s].append(v)
            at_slot[r.remote, s].append(v)
            per_person[r.a].append(v)
            per_person[r.b].append(v)
            obj_prio.append(r.priority * v)
            if hint.get(r.id) == s:
                model.AddHint(v, 1)
            else:
                model.AddHint(v, 0)
        if pin is not None:
            model.Add(vs[0] == 1)
        elif keep is not None:
            model.AddExactlyOne(vs)
        else:
            model.AddAtMostOne(vs)
    for vs in at_person.values():
        if len(vs) > 1:
            model.AddAtMostOne(vs)
    for (remote, _s), vs in at_slot.items():
        if len(vs) > ev.capacity(remote):
            model.Add(sum(vs) <= ev.capacity(remote))
    for pid, vs in per_person.items():
        if len(vs) > prob.people[pid].max_meetings:
            model.Add(sum(vs) <= prob.people[pid].max_meetings)
    gap_terms: list[Any] = []
    if gap_weight > 0:
        # started[s] = some meeting at or before s; ended[s] = some meeting at or after s;
        # a gap is a slot with both and no meeting (minimisation makes them tight).
        hint_slots: dict[str, set[int]] = defaultdict(set)
        by_id = {r.id: r for r in prob.requests}
        for rid, s in hint.items():
            hint_slots[by_id[rid].a].add(s)
            hint_slots[by_id[rid].b].add(s)
        person_slots: dict[str, list[int]] = defaultdict(list)
        for pid, s in at_person:
            person_slots[pid].append(s)
        for pid, ss in person_slots.items():
            ss.sort()
            if len(ss) < 3 or prob.people[pid].max_meetings < 2:
                continue
            lo, hi = ss[0], ss[-1]
            busy = {s: sum(at_person[pid, s]) for s in ss}
            hs = hint_slots.get(pid, set())
            started: dict[int, Any] = {}
            ended: dict[int, Any] = {}
            prev: Any = None
            for s in range(lo, hi + 1):
                v = model.NewBoolVar("")
                if s in busy:
                    model.Add(v >= busy[s])
                if prev is not None:
                    model.AddImplication(prev, v)
                model.AddHint(v, bool(hs) and min(hs) <= s)
                started[s] = v
                prev = v
            prev = None
            for s in range(hi, lo - 1, -1):
                v = model.NewBoolVar("")
                if s in busy:
                    model.Add(v >= busy[s])
                if prev is not None:
                    model.AddImplication(prev, v)
                model.AddHint(v, bool(hs) and max(hs) >= s)
                ended[s] = v
                prev = v
            for s in range(lo + 1, hi):
                g = model.NewBoolVar("")
                model.Add(g >= started[s] + ended[s] - busy.get(s, 0) - 1)
                model.AddHint(g, bool(hs) and min(hs) < s < max(hs) and s not in hs)
                gap_terms.append(g)
                max_gaps += 1
    big = max_gaps * gap_weight + 1
    if min_priority is not None:
        model.Add(sum(obj_prio) >= min_priority)
    model.Maximize(big * sum(obj_prio) - gap_weight * sum(gap_terms))
    solver: Any = cp_model.CpSolver()
    # The limit covers model building too: the caller's deadline is what counts.
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
    solver.parameters.num_workers = num_workers
    solver.parameters.random_seed = seed
    t0 = time.monotonic()
    status = solver.Solve(model)
    wall = time.monotonic() - t0
    name = solver.StatusName(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    slot_of = {rid: s for (rid, s), v in x.items() if solver.BooleanValue(v)}
    # Both figures are big*priority - gaps: dividing with ceil for the bound keeps it valid.
    obj = round(solver.ObjectiveValue())
    bound = math.floor(solver.BestObjectiveBound())
    return _CpResult(slot_of, name, obj, -(-bound // big) if bound >= 0 else 0, wall)


# --- large-neighbourhood search ------------------------------------------------------------


_LNS_LAST: dict[str, int] = {}


def _lns(
    prob: _Problem,
    slot_of: dict[str, int],
    deadline: float,
    gap_weight: int,
    seed: int,
    size: int = 20,
    step_s: float = 0.25,
) -> tuple[dict[str, int], int]:
    """Free every meeting of a few people at a time and re-solve that part exactly with CP-SAT.

    A neighbourhood grows from an unmet request (or a person with idle gaps) along requests to
    ``size`` people; their meetings with each other are freed, the rest stays fixed. A new part is kept when it raises the
    priority, or keeps it and lowers the idle gaps of everyone it touches. Returns the schedule
    and the number of improving steps.
    """
    import random

    from ortools.sat.python import cp_model

    rng = random.Random(seed)
    st = _State(prob)
    for rid, s in slot_of.items():
        st.add(st.req[rid], s)
    touching: dict[str, list[Request]] = defaultdict(list)
    for r in prob.requests:
        if r.id in prob.common:
            touching[r.a].append(r)
            touching[r.b].append(r)
    improved = iterations = 0
    while time.monotonic() + 0.05 < deadline:
        iterations += 1
        unmet = [r for r in prob.requests if r.id in prob.common and r.id not in st.slot_of]
        gappy = [p for p in touching if idle_gaps(st.person_slots[p]) > 0]
        if (rng.random() < 0.6 or not gappy or gap_weight == 0) and unmet:
            start = rng.choice(unmet)
            frontier = [start.a, start.b]
        elif gappy:
            frontier = [rng.choice(gappy)]
        else:
            break
        people: list[str] = []
        while frontier and len(people) < size:
            pid = frontier.pop(0)
            if pid in people:
                continue
            people.append(pid)
            nxt = [r.b if r.a == pid else r.a for r in touching[pid]]
            rng.shuffle(nxt)
            frontier.extend(nxt[:4])
        group = set(people)
        # Only meetings among the group are freed: their idle gaps are then exactly modelled.
        reqs = {
            r.id: r
            for pid in people
            for r in touching[pid]
            if r.a in group and r.b in group and r.id not in prob.pins
        }
        before = {rid: st.slot_of[rid] for rid in reqs if rid in st.slot_of}
        affected = {p for r in reqs.values() for p in (r.a, r.b)}
        old_prio = sum(reqs[rid].priority for rid in before)
        old_gaps = sum(idle_gaps(st.person_slots[p]) for p in affected)
        for rid in before:
            st.remove(reqs[rid])
        model: Any = cp_model.CpModel()
        x: dict[tuple[str, int], Any] = {}
        at_person: dict[tuple[str, int], list[Any]] = defaultdict(list)
        at_slot: dict[tuple[bool, int], list[Any]] = defaultdict(list)
        per_person: dict[str, list[Any]] = defaultdict(list)
        prio_terms = []
        for r in reqs.values():
            vs = []
            for s in prob.common[r.id]:
                if s in st.person_slots[r.a] or s in st.person_slots[r.b]:
                    continue
                if not st.has_table(r, s):
                    continue
                v = model.NewBoolVar("")
                model.AddHint(v, before.get(r.id) == s)
                x[r.id, s] = v
                vs.append(v)
                at_person[r.a, s].append(v)
                at_person[r.b, s].append(v)
                at_slot[r.remote, s].append(v)
                per_person[r.a].append(v)
                per_person[r.b].append(v)
                prio_terms.append(r.priority * v)
            if len(vs) > 1:
                model.AddAtMostOne(vs)
        for vs in at_person.values():
            if len(vs) > 1:
                model.AddAtMostOne(vs)
        for (remote, s), vs in at_slot.items():
            room = prob.event.capacity(remote) - st.per_slot[remote][s]
            if len(vs) > room:
                model.Add(sum(vs) <= room)
        for pid, vs in per_person.items():
            room = prob.people[pid].max_meetings - len(st.person_slots[pid])
            if len(vs) > room:
                model.Add(sum(vs) <= room)
        gap_terms: list[Any] = []
        if gap_weight > 0:
            for pid in group:
                fixed = set(st.person_slots[pid])
                slots = sorted({s for (q, s) in at_person if q == pid} | fixed)
                if len(slots) < 3:
                    continue
                busy = {s: (1 if s in fixed else sum(at_person.get((pid, s), []))) for s in slots}
                gap_terms += _gap_chain(model, busy, slots[0], slots[-1])
        big = len(gap_terms) * gap_weight + 1
        model.Maximize(big * sum(prio_terms) - gap_weight * sum(gap_terms))
        solver: Any = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, min(step_s, deadline - time.monotonic()))
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = rng.randrange(1 << 30)
        status = solver.Solve(model)
        after: dict[str, int] = {}
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            after = {rid: s for (rid, s), v in x.items() if solver.BooleanValue(v)}
        for rid, s in after.items():
            st.add(reqs[rid], s)
        new_prio = sum(reqs[rid].priority for rid in after)
        new_gaps = sum(idle_gaps(st.person_slots[p]) for p in affected)
        better = new_prio > old_prio or (
            new_prio == old_prio and gap_weight > 0 and new_gaps < old_gaps
        )
        if better:
            improved += 1
            continue
        for rid in after:
            st.remove(reqs[rid])
        for rid, s in before.items():
            st.add(reqs[rid], s)
    _LNS_LAST["iterations"] = iterations
    return dict(st.slot_of), improved


def _gap_chain(model: Any, busy: dict[int, Any], lo: int, hi: int) -> list[Any]:
    """Gap indicators of one person between slots lo and hi; ``busy[s]`` is 0/1 or a sum."""
    started: dict[int, Any] = {}
    ended: dict[int, Any] = {}
    prev: Any = None
    for s in range(lo, hi + 1):
        v = model.NewBoolVar("")
        if s in busy:
            model.Add(v >= busy[s])
        if prev is not None:
            model.AddImplication(prev, v)
        started[s] = v
        prev = v
    prev = None
    for s in range(hi, lo - 1, -1):
        v = model.NewBoolVar("")
        if s in busy:
            model.Add(v >= busy[s])
        if prev is not None:
            model.AddImplication(prev, v)
        ended[s] = v
        prev = v
    gaps = []
    for s in range(lo + 1, hi):
        g = model.NewBoolVar("")
        model.Add(g >= started[s] + ended[s] - busy.get(s, 0) - 1)
        gaps.append(g)
    return gaps


# --- public entry point --------------------------------------------------------------------


def schedule(
    event: Event,
    participants: Sequence[Participant],
    requests: Sequence[Request],
    pinned: Sequence[Pinned] = (),
    time_limit_s: float = 10.0,
    gap_weight: int = 1,
    *,
    use_cpsat: bool = True,
    num_workers: int = 8,
    seed: int = 0,
    max_cp_vars: int = 400_000,
    exact_gap_vars: int = 20_000,
) -> Schedule:
    """Schedule ``requests``; see the module docstring. ``gap_weight=0`` ignores compactness."""
    t0 = time.monotonic()
    deadline = t0 + time_limit_s
    prob = _prepare(event, participants, requests, pinned)
    st = _greedy(prob, t0 + max(0.5, time_limit_s * 0.3))
    greedy_slots = dict(st.slot_of)
    greedy_prio = sum(st.req[r].priority for r in greedy_slots)
    ub = upper_bound(prob)
    stats: dict[str, Any] = {
        "greedy_priority": greedy_prio,
        "greedy_idle_gaps": _gaps(prob, greedy_slots),
        "greedy_s": time.monotonic() - t0,
    }
    chosen = greedy_slots
    method = "greedy"
    optimal = greedy_prio >= ub and gap_weight == 0
    n_vars = sum(len(c) for c in prob.common.values())
    stats["cp_vars"] = n_vars
    left = deadline - time.monotonic()
    if use_cpsat and n_vars and left > 0.2 and n_vars <= max_cp_vars:
        # Lexicographic in two phases: priority alone (a small model, a useful bound), then
        # fewest gaps with that priority kept. One weighted model stalls on large events.
        # Small events usually end phase 1 early with a proof; large ones leave most of the time
        # to the neighbourhood search, which improves where the full model stalls.
        mid = time.monotonic() + left * (0.15 if n_vars > exact_gap_vars else 0.45)
        p1_started = time.monotonic()
        p1 = _cpsat(prob, greedy_slots, mid, 0, num_workers, seed)
        # Building a model is Python work outside the solver's limit: a later, larger model
        # is only started when there is clearly time to build it.
        build_s = time.monotonic() - p1_started - (p1.wall_s if p1 is not None else 0.0)
        best, best_prio, p1_opt = greedy_slots, greedy_prio, False
        if p1 is not None:
            p1_prio = sum(st.req[r].priority for r in p1.slot_of)
            stats.update(cp_status=p1.status, cp_priority=p1_prio, cp_s=p1.wall_s)
            ub = min(ub, p1.bound)
            p1_opt = p1.status == "OPTIMAL"
            if p1_prio > greedy_prio:
                best, best_prio, method = p1.slot_of, p1_prio, "cp-sat"
        else:
            stats["cp_status"] = "no solution within the time limit"
        exact_p2 = p1_opt and n_vars <= exact_gap_vars
        run_p2 = gap_weight > 0 and (exact_p2 or 0.2 * left > 0.3 + 3 * build_s)
        if not p1_opt and deadline - time.monotonic() > 0.5:
            stop = deadline - 0.2 * left if run_p2 else deadline - 0.15
            lns_slots, steps = _lns(prob, best, stop, gap_weight, seed)
            lns_prio = sum(st.req[r].priority for r in lns_slots)
            stats.update(lns_steps=steps, lns_priority=lns_prio)
            if steps:
                best, best_prio, method = lns_slots, lns_prio, "cp-sat + neighbourhood search"
        chosen = best
        optimal = best_prio >= ub and gap_weight == 0
        if run_p2 and deadline - time.monotonic() > 0.3:
            if exact_p2:
                # Priority is proven optimal: the full model with that priority is exact.
                p2 = _cpsat(
                    prob, best, deadline - 0.15, gap_weight, num_workers, seed, None, best_prio
                )
            else:
                # Keep the chosen requests and only move them between slots: a much smaller
                # search than the full model, and the priority cannot drop.
                p2 = _cpsat(prob, best, deadline - 0.15, gap_weight, num_workers, seed, set(best))
            if p2 is not None:
                stats.update(cp_gap_status=p2.status, cp_gap_s=p2.wall_s)
                if _gaps(prob, p2.slot_of) < _gaps(prob, best):
                    chosen = p2.slot_of
                    method = method if "cp-sat" in method else "cp-sat"
                optimal = (
                    p1_opt
                    and n_vars <= exact_gap_vars
                    and best_prio >= ub
                    and p2.status == "OPTIMAL"
                )
    elif use_cpsat:
        stats["cp_status"] = "skipped (model too large or no time left)"
    stats["method"] = method
    stats["wall_s"] = time.monotonic() - t0
    return _finish(prob, chosen, ub, optimal, stats)


def _gaps(prob: _Problem, slot_of: dict[str, int]) -> int:
    per: dict[str, list[int]] = defaultdict(list)
    by_id = {r.id: r for r in prob.requests}
    for rid, s in slot_of.items():
        per[by_id[rid].a].append(s)
        per[by_id[rid].b].append(s)
    return sum(idle_gaps(v) for v in per.values())


def _finish(
    prob: _Problem, slot_of: dict[str, int], ub: int, optimal: bool, stats: dict[str, Any]
) -> Schedule:
    by_id = {r.id: r for r in prob.requests}
    # Tables: pins keep theirs; the rest take the lowest free table of their slot.
    # Remote requests are numbered within the remote rooms.
    taken: dict[tuple[bool, int], set[int]] = defaultdict(set)
    table_of: dict[str, int] = {}
    for rid, p in prob.pins.items():
        if slot_of.get(rid) == p.slot:
            table_of[rid] = p.table
            taken[by_id[rid].remote, p.slot].add(p.table)
    for rid in sorted(slot_of, key=lambda q: (slot_of[q], q)):
        if rid in table_of:
            continue
        s, remote = slot_of[rid], by_id[rid].remote
        t = next(t for t in range(prob.event.capacity(remote)) if t not in taken[remote, s])
        taken[remote, s].add(t)
        table_of[rid] = t
    meetings = tuple(
        sorted(
            (Meeting(rid, slot_of[rid], table_of[rid]) for rid in slot_of),
            key=lambda m: (m.slot, by_id[m.request_id].remote, m.table),
        )
    )
    per: dict[str, list[int]] = {p: [] for p in prob.people}
    for rid, s in slot_of.items():
        per[by_id[rid].a].append(s)
        per[by_id[rid].b].append(s)
    unmet: list[Unmet] = []
    for r in prob.requests:
        if r.id in slot_of:
            continue
        code, reason = prob.unmet.get(r.id) or _reason(prob, r, per)
        unmet.append(Unmet(r.id, reason, code))
    gaps = {p: idle_gaps(v) for p, v in per.items()}
    total = sum(by_id[r].priority for r in slot_of)
    stats["moved_pins"] = len(prob.moved_pins)
    return Schedule(
        meetings=meetings,
        unmet=tuple(unmet),
        total_priority=total,
        idle_gaps=gaps,
        total_idle_gaps=sum(gaps.values()),
        upper_bound=max(ub, total),
        optimal=optimal,
        moved_pins=tuple(prob.moved_pins),
        stats=stats,
    )


def _reason(prob: _Problem, r: Request, per: dict[str, list[int]]) -> tuple[str, str]:
    for who, pid in (("a", r.a), ("b", r.b)):
        m = prob.people[pid].max_meetings
        if len(per[pid]) >= m:
            return "maximum_reached", f"{who} reached the maximum of {m} meetings"
    return "no_free_table", "no free table/slot left"
