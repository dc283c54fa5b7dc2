"""B2B scheduling on small instances, checked against brute force."""

from __future__ import annotations

import itertools
import random
from collections import Counter, defaultdict

import pytest

from tact.algorithms.b2b import (
    Event,
    Participant,
    Pinned,
    Request,
    Schedule,
    idle_gaps,
    schedule,
)


def person(pid: str, slots: range | set[int], max_meetings: int = 10) -> Participant:
    return Participant(pid, frozenset(slots), max_meetings)


def check_valid(
    sched: Schedule, event: Event, people: list[Participant], reqs: list[Request]
) -> None:
    by_p = {p.id: p for p in people}
    by_r = {r.id: r for r in reqs}
    busy: set[tuple[str, int]] = set()
    tables: set[tuple[bool, int, int]] = set()
    count: Counter[str] = Counter()
    for m in sched.meetings:
        r = by_r[m.request_id]
        assert 0 <= m.table < event.capacity(r.remote)
        assert (r.remote, m.slot, m.table) not in tables
        tables.add((r.remote, m.slot, m.table))
        for pid in (r.a, r.b):
            assert (pid, m.slot) not in busy, "double-booked"
            busy.add((pid, m.slot))
            assert m.slot in by_p[pid].available_slots
            count[pid] += 1
    for pid, c in count.items():
        assert c <= by_p[pid].max_meetings
    assert len(sched.meetings) + len(sched.unmet) == len(reqs)
    assert {m.request_id for m in sched.meetings}.isdisjoint(u.request_id for u in sched.unmet)
    assert sched.total_priority == sum(by_r[m.request_id].priority for m in sched.meetings)
    assert sched.total_priority <= sched.upper_bound
    per: dict[str, list[int]] = defaultdict(list)
    for m in sched.meetings:
        per[by_r[m.request_id].a].append(m.slot)
        per[by_r[m.request_id].b].append(m.slot)
    assert sched.total_idle_gaps == sum(idle_gaps(v) for v in per.values())


def brute_force(event: Event, people: list[Participant], reqs: list[Request]) -> tuple[int, int]:
    """Best (priority, -gaps) over every assignment of each request to a slot or to nothing."""
    by_p = {p.id: p for p in people}
    options = [[None, *range(event.slots)] for _ in reqs]
    best = (-1, 0)
    for choice in itertools.product(*options):
        busy: set[tuple[str, int]] = set()
        per_slot: Counter[int] = Counter()
        per: dict[str, list[int]] = defaultdict(list)
        ok = True
        for r, s in zip(reqs, choice, strict=True):
            if s is None:
                continue
            for pid in (r.a, r.b):
                if (pid, s) in busy or s not in by_p[pid].available_slots:
                    ok = False
                busy.add((pid, s))
                per[pid].append(s)
            per_slot[s] += 1
        if not ok or any(c > event.tables for c in per_slot.values()):
            continue
        if any(len(v) > by_p[pid].max_meetings for pid, v in per.items()):
            continue
        prio = sum(r.priority for r, s in zip(reqs, choice, strict=True) if s is not None)
        gaps = sum(idle_gaps(v) for v in per.values())
        best = max(best, (prio, -gaps))
    return best


def random_instance(
    seed: int, n: int, m: int, slots: int, tables: int
) -> tuple[Event, list[Participant], list[Request]]:
    rng = random.Random(seed)
    people = [
        Participant(
            f"p{i}",
            frozenset(s for s in range(slots) if rng.random() < 0.7),
            rng.choice([1, 2, 3]),
        )
        for i in range(n)
    ]
    reqs = []
    for k in range(m):
        a, b = rng.sample(range(n), 2)
        reqs.append(Request(f"r{k}", f"p{a}", f"p{b}", rng.randint(1, 4)))
    return Event(slots, tables), people, reqs


def test_idle_gaps() -> None:
    assert idle_gaps([]) == 0
    assert idle_gaps([3]) == 0
    assert idle_gaps([1, 2, 3]) == 0
    assert idle_gaps([0, 3]) == 2
    assert idle_gaps([0, 2, 5]) == 3


@pytest.mark.parametrize("seed", range(8))
def test_matches_brute_force(seed: int) -> None:
    event, people, reqs = random_instance(seed, n=5, m=6, slots=3, tables=2)
    sched = schedule(event, people, reqs, time_limit_s=5, num_workers=1)
    check_valid(sched, event, people, reqs)
    best_prio, best_neg_gaps = brute_force(event, people, reqs)
    assert sched.optimal
    assert sched.total_priority == best_prio
    assert sched.total_idle_gaps == -best_neg_gaps
    assert sched.upper_bound == best_prio


@pytest.mark.parametrize("seed", range(4))
def test_greedy_only_is_valid(seed: int) -> None:
    event, people, reqs = random_instance(seed, n=30, m=120, slots=6, tables=5)
    sched = schedule(event, people, reqs, use_cpsat=False)
    check_valid(sched, event, people, reqs)
    assert sched.stats["method"] == "greedy"
    assert sched.total_priority == sched.stats["greedy_priority"]


def test_cpsat_at_least_greedy() -> None:
    event, people, reqs = random_instance(42, n=40, m=200, slots=8, tables=6)
    greedy = schedule(event, people, reqs, use_cpsat=False)
    full = schedule(event, people, reqs, time_limit_s=5, num_workers=1)
    check_valid(full, event, people, reqs)
    assert full.total_priority >= greedy.total_priority
    assert full.upper_bound <= greedy.upper_bound


def test_table_capacity() -> None:
    people = [person(f"p{i}", range(2)) for i in range(6)]
    reqs = [Request("r1", "p0", "p1"), Request("r2", "p2", "p3"), Request("r3", "p4", "p5", 3)]
    event = Event(slots=1, tables=2)
    sched = schedule(event, people, reqs, num_workers=1)
    check_valid(sched, event, people, reqs)
    assert len(sched.meetings) == 2
    assert "r3" in {m.request_id for m in sched.meetings}  # highest priority wins
    assert [u.reason for u in sched.unmet] == ["no free table/slot left"]


def test_unmet_reasons() -> None:
    people = [
        person("a", {0}),
        person("b", {1}),
        person("c", {0, 1, 2}, max_meetings=1),
        person("d", {0, 1, 2}),
        person("e", {0, 1, 2}, max_meetings=0),
        person("n", set()),
    ]
    reqs = [
        Request("r1", "a", "b"),
        Request("r2", "c", "d", 5),
        Request("r3", "c", "a"),
        Request("r4", "d", "e"),
        Request("r5", "d", "ghost"),
        Request("r6", "n", "d"),
        Request("r7", "d", "d"),
    ]
    sched = schedule(Event(slots=3, tables=5), people, reqs, num_workers=1)
    reasons = {u.request_id: u.reason for u in sched.unmet}
    assert reasons == {
        "r1": "a is not available in any slot b is",
        "r3": "a reached the maximum of 1 meetings",
        "r4": "b takes no meetings (maximum is 0)",
        "r5": "unknown participant ghost",
        "r6": "a is not available in any slot",
        "r7": "a and b are the same participant",
    }
    assert [m.request_id for m in sched.meetings] == ["r2"]


def test_compact_agenda() -> None:
    # p0 meets three people; any order works, but only adjacent slots give no gaps.
    people = [person("p0", range(5))] + [
        person(f"q{i}", {0, 2, 4} if i else range(5)) for i in range(3)
    ]
    reqs = [Request(f"r{i}", "p0", f"q{i}") for i in range(3)]
    sched = schedule(Event(slots=5, tables=3), people, reqs, num_workers=1)
    check_valid(sched, Event(5, 3), people, reqs)
    assert sched.total_priority == 3
    assert sched.total_idle_gaps == -brute_force(Event(5, 3), people, reqs)[1]
    assert sched.idle_gaps["p0"] == 0


def test_pinned_kept_and_table_kept() -> None:
    people = [person(f"p{i}", range(4)) for i in range(4)]
    reqs = [Request("r1", "p0", "p1"), Request("r2", "p2", "p3"), Request("r3", "p0", "p2")]
    pins = [Pinned("r1", 3, 1)]
    event = Event(slots=4, tables=2)
    sched = schedule(event, people, reqs, pinned=pins, num_workers=1)
    check_valid(sched, event, people, reqs)
    got = {m.request_id: (m.slot, m.table) for m in sched.meetings}
    assert got["r1"] == (3, 1)
    assert sched.moved_pins == ()
    assert len(got) == 3


def test_pin_moved_after_late_change() -> None:
    # p1 is no longer available in slot 0 where r1 was published: r1 moves, it is not dropped.
    people = [person("p0", range(3)), person("p1", {1, 2})]
    reqs = [Request("r1", "p0", "p1")]
    sched = schedule(Event(3, 1), people, reqs, pinned=[Pinned("r1", 0, 0)], num_workers=1)
    assert sched.moved_pins == ("r1",)
    assert [m.request_id for m in sched.meetings] == ["r1"]
    assert sched.meetings[0].slot in {1, 2}


def test_conflicting_pins_keep_higher_priority() -> None:
    people = [person("p0", range(2)), person("p1", range(2)), person("p2", range(2))]
    reqs = [Request("r1", "p0", "p1", 1), Request("r2", "p0", "p2", 3)]
    pins = [Pinned("r1", 0, 0), Pinned("r2", 0, 1)]
    sched = schedule(Event(2, 2), people, reqs, pinned=pins, num_workers=1)
    got = {m.request_id: m.slot for m in sched.meetings}
    assert got == {"r2": 0, "r1": 1}
    assert sched.moved_pins == ("r1",)


def test_deterministic_with_one_worker() -> None:
    event, people, reqs = random_instance(7, n=40, m=150, slots=8, tables=6)
    # A generous limit: the solver proves optimality long before it, so timing plays no part.
    a = schedule(event, people, reqs, time_limit_s=20, num_workers=1, seed=3)
    b = schedule(event, people, reqs, time_limit_s=20, num_workers=1, seed=3)
    assert a.optimal
    assert a.meetings == b.meetings
    assert a.unmet == b.unmet


def test_remote_rooms_are_their_own_capacity() -> None:
    # One table and one remote room per slot: one on-site and one remote meeting fit in slot 0.
    people = [person(f"p{i}", {0}) for i in range(6)]
    reqs = [
        Request("site", "p0", "p1", 2),
        Request("video", "p2", "p3", 1, remote=True),
        Request("video2", "p4", "p5", 1, remote=True),
    ]
    event = Event(slots=1, tables=1, remote_rooms=1)
    sched = schedule(event, people, reqs, num_workers=1)
    got = {m.request_id: (m.slot, m.table) for m in sched.meetings}
    assert got["site"] == (0, 0)
    assert len(got) == 2 and set(got) & {"video", "video2"}
    assert [u.code for u in sched.unmet] == ["no_free_table"]
    assert sched.upper_bound == 3


def test_no_remote_rooms_is_a_reason() -> None:
    people = [person("p0", {0}), person("p1", {0})]
    sched = schedule(Event(1, 3), people, [Request("r", "p0", "p1", remote=True)], num_workers=1)
    assert [(u.code, u.reason) for u in sched.unmet] == [
        ("no_tables", "the event has no remote rooms")
    ]


def test_every_unmet_has_a_known_code() -> None:
    from tact.algorithms.b2b import REASON_CODES

    event, people, reqs = random_instance(3, n=12, m=60, slots=3, tables=2)
    sched = schedule(event, people, reqs, time_limit_s=2, num_workers=1)
    check_valid(sched, event, people, reqs)
    assert sched.unmet and all(u.code in REASON_CODES for u in sched.unmet)


def test_neighbourhood_search_keeps_the_schedule_valid_and_never_loses_priority() -> None:
    import time

    from tact.algorithms import b2b

    event, people, reqs = random_instance(11, n=60, m=400, slots=8, tables=6)
    prob = b2b._prepare(event, people, reqs, ())
    start = b2b._greedy(prob, time.monotonic() + 1)
    before = dict(start.slot_of)
    prio = {r.id: r.priority for r in reqs}
    after, _steps = b2b._lns(prob, before, time.monotonic() + 1.5, 1, 0, size=10, step_s=0.1)
    assert sum(prio[r] for r in after) >= sum(prio[r] for r in before)
    result = b2b._finish(prob, after, b2b.upper_bound(prob), False, {})
    check_valid(result, event, people, reqs)
