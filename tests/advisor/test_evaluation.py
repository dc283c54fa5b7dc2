"""The evaluation set: profiles with the practices an experienced cluster manager expects in the
top 5, each reasoned from the seed in the profile file (tests/advisor/profiles/*.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tact.advisor import selectors
from tact.advisor.models import ClusterProfile
from tact.advisor.profiles import clean_profile
from tact.algorithms.advisor import Limits

PROFILES = sorted((Path(__file__).parent / "profiles").glob("*.yaml"))


def load(path: Path) -> tuple[dict[str, Any], list[str], list[str], dict[str, str]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    expected = raw.pop("expect_top5", [])
    not_expected = raw.pop("expect_not_top5", [])
    # Expectations the advisor misses today, each with the reason; reported, never hidden.
    known_miss = raw.pop("known_miss", {}) or {}
    return raw, expected, not_expected, known_miss


def top5(raw: dict[str, Any]) -> list[str]:
    profile = ClusterProfile(**clean_profile(raw))
    ranking = selectors.recommendations(profile, Limits(), top=5)
    return [r.practice_id for r in ranking.recommendations]


def test_there_are_at_least_15_profiles() -> None:
    assert len(PROFILES) >= 15
    for path in PROFILES:
        _raw, expected, _not, _miss = load(path)
        assert expected, f"{path.name} expects nothing"


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_expected_practices_are_in_the_top_5(toolbox: None, path: Path) -> None:
    raw, expected, not_expected, known_miss = load(path)
    ranked = top5(raw)
    missing = [e for e in expected if e not in ranked]
    unwanted = [e for e in not_expected if e in ranked]
    assert not unwanted, f"{path.name}: {unwanted} should not be in top 5 {ranked}"
    unexplained = [e for e in missing if e not in known_miss]
    assert not unexplained, f"{path.name}: {unexplained} not in top 5 {ranked}"
    if missing:
        pytest.xfail("; ".join(f"{e}: {known_miss[e]}" for e in missing))


def test_hit_rate_of_the_evaluation_set(toolbox: None) -> None:
    """All expectations but the documented misses are met (at least 90% overall)."""
    hits = total = 0
    for path in PROFILES:
        raw, expected, _not, _miss = load(path)
        ranked = top5(raw)
        hits += sum(e in ranked for e in expected)
        total += len(expected)
    assert hits / total >= 0.9, f"{hits}/{total}"
