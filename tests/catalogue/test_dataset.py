"""The toolbox data files hold every practice and every figure of the source document."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tact.catalogue.records import email_is_valid, read_toolbox

ROOT = Path(__file__).resolve().parents[2]
SEED = Path(
    os.environ.get(
        "TACT_SEED", ROOT.parent / "shared" / "seed" / "cluster-services-23-best-practices.txt"
    )
)
EXPECTED_COUNTS = {
    "education": 5,
    "innovation": 4,
    "collaboration": 4,
    "networking": 6,
    "growth": 4,
}


@pytest.fixture(scope="module")
def toolbox():
    return read_toolbox()


@pytest.fixture(scope="module")
def seed_sections() -> dict[str, str]:
    """The source text of each practice, keyed by id (education-1 ...)."""
    if not SEED.exists():
        pytest.skip(f"source document not found at {SEED} (set TACT_SEED)")
    text = SEED.read_text(encoding="utf-8")
    heading = re.compile(
        r"^(Education|Innovation|Collaboration|Networking|Growth) Best Practi[cs]e - Case (\d+):?\s*$",
        re.MULTILINE,
    )
    matches = list(heading.finditer(text))
    sections = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else text.index("S3-4ALPCLUSTERS Partners")
        sections[f"{match[1].lower()}-{match[2]}"] = text[match.end() : end]
    return sections


def test_twenty_three_practices_with_stable_ids(toolbox):
    ids = [p["id"] for p in toolbox.practices]
    assert len(ids) == 23
    expected = [f"{f}-{n}" for f, count in EXPECTED_COUNTS.items() for n in range(1, count + 1)]
    assert ids == expected


def test_five_fields_with_objectives(toolbox):
    assert [f["id"] for f in toolbox.fields] == list(EXPECTED_COUNTS)
    for field in toolbox.fields:
        assert field["definition"] and field["objectives"]


def test_every_practice_has_its_core_content(toolbox):
    for p in toolbox.practices:
        assert p["title"] and p["summary"] and p["description"], p["id"]
        assert p["clusters"] and p["contacts"], p["id"]
        assert p["region"]["country"] in {"AT", "CH", "DE", "FR", "IT"}, p["id"]
        assert p["formats"] and p["target_groups"] and p["objectives"], p["id"]
        assert len(p["summary"]) < len(p["description"]), p["id"]


def test_only_the_malformed_source_address_is_flagged(toolbox):
    invalid = [
        (p["id"], c["email"])
        for p in toolbox.practices
        for c in p["contacts"]
        if not email_is_valid(c["email"])
    ]
    assert invalid == [("education-3", "silvio.antonionitrentinoinnovation.eu")]


def test_titles_clusters_and_contacts_are_as_in_the_source(toolbox, seed_sections):
    for p in toolbox.practices:
        section = seed_sections[p["id"]]
        assert p["title"] in " ".join(section.split()), p["id"]
        for contact in p["contacts"]:
            assert contact["person"] in section, (p["id"], contact["person"])
            assert contact["email"] in section, (p["id"], contact["email"])
        for cluster in p["clusters"]:
            assert cluster["website"] in section, (p["id"], cluster["website"])


# Figures in the source written in a way that differs from the number stored in the data.
CONVERSIONS = {
    ("collaboration-1", "3k€-4k€"): [3000, 4000],
    ("collaboration-3", "100.000"): [100000],
    ("collaboration-3", "50 k€"): [50000],
    ("collaboration-4", "5pm - 8pm"): [17, 20],
    ("networking-3", "25% FTE"): [0.25],
    ("growth-1", "1.500"): [1500],
    ("growth-3", "5.000"): [5000],
}
# Digits that are names or list numbering, not facts about the service.
NOT_FIGURES = {
    ("innovation-3", "1."),
    ("innovation-3", "2."),
    ("networking-4", "4.0"),
    ("growth-1", "4.0"),
}


def source_figures(practice_id: str, section: str) -> list[float]:
    body = section.split("Description:", 1)[1]
    body = re.sub(r"\S+@\S+|www\.\S+|https?://\S+", " ", body)
    figures: list[float] = []
    for (pid, raw), values in CONVERSIONS.items():
        if pid == practice_id and raw in body:
            figures += values
            body = body.replace(raw, " ")
    for pid, raw in NOT_FIGURES:
        if pid == practice_id:
            body = re.sub(rf"(?<![\d.]){re.escape(raw)}(?!\d)", " ", body)
    # Digits inside words ("B2B") are not figures.
    figures += [float(n) for n in re.findall(r"(?<![A-Za-z])\d+(?:\.\d+)?", body)]
    return figures


def fact_numbers(practice: dict) -> set[float]:
    return {
        float(fact[key])
        for fact in practice["facts"]
        for key in ("value", "min", "max")
        if key in fact
    }


def test_every_figure_of_the_source_is_a_number_in_the_data(toolbox, seed_sections):
    missing = {}
    for p in toolbox.practices:
        numbers = fact_numbers(p)
        absent = [n for n in source_figures(p["id"], seed_sections[p["id"]]) if n not in numbers]
        if absent:
            missing[p["id"]] = absent
    assert missing == {}


def test_figures_named_in_the_issue(toolbox):
    by_id = {p["id"]: p for p in toolbox.practices}

    def facts(pid, **match):
        return [f for f in by_id[pid]["facts"] if all(f.get(k) == v for k, v in match.items())]

    assert facts("growth-2", kind="fee", value=580, unit="EUR")
    assert facts("innovation-1", min=35, unit="percent")
    assert facts("innovation-4", min=200, max=300)
    assert facts("collaboration-1", min=3000, max=4000, unit="EUR")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def test_summaries_and_descriptions_are_our_own_words(toolbox, seed_sections):
    """Facts carry over from the source, its prose does not: no run of 12 words is copied.

    (Shorter runs are allowed: lists of cluster names and countries legitimately repeat.)
    """
    run = 12
    source = _words(" ".join(seed_sections.values()))
    shingles = {tuple(source[i : i + run]) for i in range(len(source) - run + 1)}
    copied = {}
    for p in toolbox.practices:
        words = _words(p["summary"] + " " + p["description"])
        hits = [
            " ".join(words[i : i + run])
            for i in range(len(words) - run + 1)
            if tuple(words[i : i + run]) in shingles
        ]
        if hits:
            copied[p["id"]] = hits[0]
    assert copied == {}
