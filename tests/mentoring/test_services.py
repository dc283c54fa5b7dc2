"""The mentoring services: import, matching with rules and locks, manual pairs, the cycle."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tact.algorithms import mentoring as algo
from tact.core.models import AuditEntry, Job
from tact.core.tabular import read_rows, write_rows
from tact.mentoring import exports, selectors, services
from tact.mentoring.models import MatchRun, Pair, Participant
from tact.mentoring.profiles import COLUMNS

from .conftest import SAMPLE

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


def csv_file(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def test_sample_import_dry_run_then_real_then_unchanged(world: Any) -> None:
    manager = world.user("manager")
    programme = services.programme_create(
        actor=manager,
        cluster=world.cluster_a,
        data={"name": "P", "start_date": dt.date(2026, 1, 1), "months": 9},
    )
    dry = services.participants_import(
        actor=manager, programme=programme, data=SAMPLE, filename="s.csv", dry_run=True
    )
    assert dry.ok and not dry.applied
    assert dry.count("create") == 22
    assert not programme.participants.exists()
    real = services.participants_import(
        actor=manager, programme=programme, data=SAMPLE, filename="s.csv", dry_run=False
    )
    assert real.applied
    assert programme.participants.filter(side="mentor").count() == 10
    assert programme.participants.filter(side="mentee").count() == 12
    anna = programme.participants.get(email="anna.berger@example.org")
    assert anna.topics == ["lean production", "leadership", "change management"]
    assert anna.availability == ["mon-am", "wed-pm", "thu-am"]
    assert anna.capacity == 2 and anna.seniority == 5
    again = services.participants_import(
        actor=manager, programme=programme, data=SAMPLE, filename="s.csv", dry_run=False
    )
    assert again.count("unchanged") == 22
    assert AuditEntry.objects.filter(action="mentoring.participants.imported").count() == 2


def test_bad_rows_are_all_listed_and_nothing_is_written(programme: Any, world: Any) -> None:
    before = programme.participants.count()
    data = csv_file(
        "mentor,Ok Person,ok@example.org,Org,,3,lean,de,,,,,1,,",
        "boss,Bad Side,bad-side@example.org,Org,,,,,,,,,,,",
        "mentee,No Mail,not-an-address,Org,,,,,,,,,,,",
        "mentee,,nameless@example.org,Org,,9,,deutsch,q,,,sunday,,,",
        "mentee,Twice,ok@example.org,Org,,,,,,,,,,,",
        "mentee,Greedy,greedy@example.org,Org,,,,,,,,,3,,",
        "mentee,Ranker,ranker@example.org,Org,,,,,,,,,,nobody@example.org,",
    )
    report = services.participants_import(
        actor=world.user("manager"),
        programme=programme,
        data=data,
        filename="bad.csv",
        dry_run=False,
    )
    assert not report.applied
    found = {(p.record, p.field) for p in report.problems}
    assert ("row 3", "side") in found
    assert ("row 4", "email") in found
    for column in ("name", "seniority", "languages", "gender", "availability"):
        assert ("row 5", column) in found
    assert ("row 6", "email") in found  # the address is already on row 2
    assert ("row 7", "capacity") in found
    assert ("row 8", "ranking") in found
    assert all(p.path == "bad.csv" and p.message for p in report.problems)
    assert programme.participants.count() == before
    assert not programme.participants.filter(email="ok@example.org").exists()


def test_header_problems_and_xlsx(programme: Any, world: Any) -> None:
    manager = world.user("manager")
    report = services.participants_import(
        actor=manager, programme=programme, data=b"name,email\nA,a@example.org\n",
        filename="x.csv", dry_run=True,
    )  # fmt: skip
    assert {p.field for p in report.problems} == {"side", "organisation"}
    rows = read_rows(SAMPLE, "s.csv")
    xlsx = write_rows(COLUMNS, [r.values for r in rows], "xlsx")
    again = services.participants_import(
        actor=manager, programme=programme, data=xlsx, filename="s.xlsx", dry_run=True
    )
    assert again.ok, again.problems
    assert again.count("unchanged") == 22


def test_optimal_matching_respects_hard_rules_and_explains(programme: Any, world: Any) -> None:
    started = services.programme_match(actor=world.user("manager"), programme=programme)
    assert started.job is None and started.result is not None
    pairs = list(selectors.pairs(programme))
    assert len(pairs) == 12  # 14 mentor places for 12 mentees
    load: dict[int, int] = {}
    for pair in pairs:
        assert pair.mentor.organisation != pair.mentee.organisation
        assert {pair.mentor.organisation, pair.mentee.organisation} != {
            "Donau Drives AG",
            "Steyr Precision GmbH",
        }
        assert 0 <= pair.percent <= 100 and pair.reasons
        load[pair.mentor_id] = load.get(pair.mentor_id, 0) + 1
    for mentor_id, n in load.items():
        assert n <= Participant.objects.get(pk=mentor_id).capacity
    # Every mentor without a mentee is told why.
    for person in selectors.unmatched(programme):
        assert person.side == "mentor" and person.unmatched_reason
    run = MatchRun.objects.get(programme=programme)
    assert run.pairs == 12 and run.method == "optimal"
    # The total is the optimum: the same as the algorithm on the same profiles.
    people = list(programme.participants.all())
    names = selectors.spellings(people)
    mentors = [selectors.person(p, names) for p in people if p.side == "mentor"]
    mentees = [selectors.person(p, names) for p in people if p.side == "mentee"]
    best = algo.match(
        mentors, mentees, selectors.rules(programme, people), selectors.weights(programme)
    )
    assert sum(p.percent for p in pairs) == pytest.approx(best.total, abs=0.01)
    assert AuditEntry.objects.filter(action="mentoring.programme.matched").exists()


def test_lock_and_rematch_keeps_locked_pairs_exactly(programme: Any, world: Any) -> None:
    manager = world.user("manager")
    services.programme_match(actor=manager, programme=programme)
    chosen = selectors.pairs(programme).order_by("percent").first()
    assert chosen is not None
    services.pair_set_locked(actor=manager, pair=chosen, locked=True)
    kept = (chosen.pk, chosen.mentor_id, chosen.mentee_id, chosen.percent, chosen.reasons)
    services.programme_update(
        actor=manager, programme=programme, data={"weight_topics": 0.0, "weight_location": 5.0}
    )
    services.programme_match(actor=manager, programme=programme, keep_locked=True)
    again = Pair.objects.get(pk=chosen.pk)
    assert (again.pk, again.mentor_id, again.mentee_id, again.percent, again.reasons) == kept
    assert again.locked
    assert programme.pairs.count() == 12
    # Without keeping them, everything is redone.
    services.programme_match(actor=manager, programme=programme, keep_locked=False)
    assert not Pair.objects.filter(pk=chosen.pk).exists()
    assert not programme.pairs.filter(locked=True).exists()


def test_manual_pair_warns_on_hard_rules_and_survives_rematch(programme: Any, world: Any) -> None:
    manager = world.user("manager")
    services.programme_match(actor=manager, programme=programme)
    anna = programme.participants.get(email="anna.berger@example.org")
    stefan = programme.participants.get(email="stefan.eder@example.org")  # same company
    with pytest.raises(services.PairWarning) as caught:
        services.pair_create(actor=manager, programme=programme, mentor=anna, mentee=stefan)
    assert "both work for the same organisation" in caught.value.breaks[0]
    pair = services.pair_create(
        actor=manager, programme=programme, mentor=anna, mentee=stefan, confirm=True
    )
    assert pair.locked and pair.source == "manual" and pair.warnings
    services.programme_match(actor=manager, programme=programme, keep_locked=True)
    assert Pair.objects.filter(pk=pair.pk, mentor=anna, mentee=stefan).exists()
    assert selectors.pairs(programme).filter(mentor=anna).count() <= anna.capacity
    services.pair_delete(actor=manager, pair=Pair.objects.get(pk=pair.pk))
    stefan.refresh_from_db()
    assert stefan.unmatched_reason == "taken out of their pair by the organiser"


def test_stable_matching_pairs_only_mutual_rankings(programme: Any, world: Any) -> None:
    result = services.programme_match(
        actor=world.user("manager"), programme=programme, method="stable"
    ).result
    assert result is not None and result["method"] == "stable"
    pairs = list(selectors.pairs(programme))
    assert pairs
    for pair in pairs:
        assert pair.mentee.email in pair.mentor.ranking
        assert pair.mentor.email in pair.mentee.ranking
        assert pair.source == "stable"
    for person in selectors.unmatched(programme):
        assert person.unmatched_reason


def test_named_exclusion_and_language_rule(programme: Any, world: Any) -> None:
    manager = world.user("manager")
    services.programme_match(actor=manager, programme=programme)
    first = selectors.pairs(programme).first()
    assert first is not None
    services.programme_update(
        actor=manager,
        programme=programme,
        data={
            "excluded_pairs": [[first.mentor.email, first.mentee.email]],
            "require_common_language": True,
        },
    )
    services.programme_match(actor=manager, programme=programme, keep_locked=False)
    assert not programme.pairs.filter(mentor=first.mentor, mentee=first.mentee).exists()
    for pair in selectors.pairs(programme):
        assert set(pair.mentor.languages) & set(pair.mentee.languages)


def test_large_programmes_run_as_a_job(programme: Any, world: Any, settings: Any) -> None:
    settings.TACT_MENTORING_INLINE_MAX = 5
    started = services.programme_match(actor=world.user("manager"), programme=programme)
    assert started.result is None and started.job is not None
    job = Job.objects.get(pk=started.job.pk)
    assert job.kind == "mentoring.match" and job.status == "done"
    assert job.result["pairs"] == 12
    assert job.result_url.endswith(f"/mentoring/programmes/{programme.pk}/pairs/")
    settings.TACT_JOBS_MODE = "worker"
    queued = services.programme_match(actor=world.user("manager"), programme=programme)
    assert queued.job is not None and queued.job.status == "queued"


def test_cycle_template_and_ics(programme: Any, world: Any) -> None:
    events = services.events_from_template(actor=world.user("manager"), programme=programme)
    kinds = [e.kind for e in events]
    assert kinds.count("kickoff") == 1 and kinds.count("closing") == 1
    assert kinds.count("workshop") == 1 and kinds.count("meeting") == 8
    assert events[0].date == dt.date(2026, 3, 2)
    assert events[-1].date == dt.date(2026, 12, 2)
    workshop = next(e for e in events if e.kind == "workshop")
    assert workshop.date == dt.date(2026, 7, 2)
    again = services.events_from_template(
        actor=world.user("manager"), programme=programme, replace=True
    )
    assert programme.events.count() == len(again) == 11
    text = exports.programme_ics(programme)
    assert text.count("BEGIN:VEVENT") == 11
    assert "DTSTART:20260302T150000Z" in text  # 16:00 in Vienna (CET)
    assert "DTSTART;VALUE=DATE:20260402" in text  # a month's meeting is an all-day date


def test_organisations_are_compared_without_case(programme: Any, world: Any) -> None:
    manager = world.user("manager")
    anna = programme.participants.get(email="anna.berger@example.org")  # Alpenmotion GmbH
    services.participant_create(
        actor=manager,
        programme=programme,
        data={"side": "mentee", "name": "Shouty", "email": "shouty@example.org",
              "organisation": "ALPENMOTION gmbh", "topics": "lean production; leadership",
              "location": "LINZ"},
    )  # fmt: skip
    shouty = programme.participants.get(email="shouty@example.org")
    breaks = services.pair_breaks(programme, anna, shouty)
    assert breaks == ["both work for the same organisation (Alpenmotion GmbH)"]
    services.programme_match(actor=manager, programme=programme)
    pair = Pair.objects.get(mentee=shouty)
    assert pair.mentor.organisation.casefold() != "alpenmotion gmbh"
    assert all("linz" not in r for r in pair.reasons)  # places keep their first spelling


def test_only_the_clusters_managers_may_write(programme: Any, world: Any) -> None:
    other = world.user("other_manager")
    with pytest.raises(PermissionDenied):
        services.programme_match(actor=other, programme=programme)
    with pytest.raises(PermissionDenied):
        services.participant_create(actor=other, programme=programme, data={})
    with pytest.raises(PermissionDenied):
        services.participants_import(
            actor=world.user("member"), programme=programme, data=SAMPLE, filename="s.csv",
            dry_run=True,
        )  # fmt: skip


def test_a_rankings_file_changes_only_the_rankings(programme: Any, world: Any) -> None:
    manager = world.user("manager")
    lisa = programme.participants.get(email="lisa.hofer@example.org")
    before = (lisa.topics, lisa.languages, lisa.availability, lisa.seniority)
    data = (
        b"side,name,email,organisation,ranking\n"
        b"mentee,Lisa Hofer,lisa.hofer@example.org,Traun Robotics GmbH,"
        b"markus.huber@example.org; anna.berger@example.org\n"
    )
    report = services.participants_import(
        actor=manager, programme=programme, data=data, filename="ranks.csv", dry_run=False
    )
    assert report.applied and report.count("update") == 1
    lisa.refresh_from_db()
    assert lisa.ranking == ["markus.huber@example.org", "anna.berger@example.org"]
    assert (lisa.topics, lisa.languages, lisa.availability, lisa.seniority) == before


def test_stable_without_rankings_is_refused_with_the_reason(world: Any) -> None:
    programme = services.programme_create(
        actor=None, cluster=world.cluster_a,
        data={"name": "No ranks", "start_date": dt.date(2026, 1, 1)},
    )  # fmt: skip
    with pytest.raises(services.ProfileError, match="stable matching needs rankings"):
        services.programme_match(actor=None, programme=programme, method="stable")
    assert not MatchRun.objects.filter(programme=programme).exists()


def test_a_pair_set_by_hand_during_matching_is_not_overrun(
    programme: Any, world: Any, monkeypatch: Any
) -> None:
    manager = world.user("manager")
    anna = programme.participants.get(email="anna.berger@example.org")
    lisa = programme.participants.get(email="lisa.hofer@example.org")
    real_match = algo.match

    def slow_match(*args: Any, **kwargs: Any) -> Any:
        result = real_match(*args, **kwargs)
        # Somebody else pairs two people by hand while the solver runs.
        services.pair_create(actor=manager, programme=programme, mentor=anna, mentee=lisa)
        return result

    monkeypatch.setattr(algo, "match", slow_match)
    with pytest.raises(services.ProfileError, match="match again"):
        services.programme_match(actor=manager, programme=programme)
    assert list(programme.pairs.values_list("mentor", "mentee")) == [(anna.pk, lisa.pk)]
    assert not MatchRun.objects.filter(programme=programme).exists()
