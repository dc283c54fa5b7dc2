"""Folding, tokens, stems and the thesaurus."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tact.algorithms.text import (
    EXPANSION_WEIGHT,
    STOP_WORDS,
    THESAURUS,
    analyse,
    fold,
    query_terms,
    stem,
    synonyms,
    tokenize,
)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Überprüfung", "uberprufung"),
        ("Café RÉSUMÉ", "cafe resume"),
        ("Ørsted Æble", "orsted aeble"),
        ("Straße", "strasse"),
        ("naïve Öl", "naive ol"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_tokenize_joins_hyphens_and_apostrophes() -> None:
    assert tokenize("Start-ups' R&D, the cluster's e-mobility day, Industry 4.0!") == [
        "startups",
        "rd",
        "the",
        "clusters",
        "emobility",
        "day",
        "industry",
        "4",
        "0",
    ]


def test_analyse_stems_and_drops_stop_words() -> None:
    terms = analyse("The mentors are coaching founders of the start-ups")
    assert "the" not in terms
    assert "are" not in terms
    assert {"mentor", "coach", "founder", "startup"} <= set(terms)


def test_analyse_adds_the_parts_of_hyphenated_words() -> None:
    terms = analyse("e-mobility and cross-border projects")
    assert {"emobl", "mobil", "crossbord", "cross", "border"} <= set(terms)


def test_analyse_marks_thesaurus_phrases() -> None:
    terms = analyse("Industrie 4.0 and staff retention in small and medium-sized enterprises")
    assert "industri 4 0" in terms
    assert "staff retent" in terms


def test_a_phrase_is_not_split_across_unrelated_words() -> None:
    assert "staff retent" not in analyse("retention of staff")


def test_stem_is_snowball_english() -> None:
    assert stem("mentoring") == stem("mentors") == "mentor"
    assert stem("universities") == "universiti"


def test_stemming_is_safe_across_threads() -> None:
    words = [
        f"{base}{suffix}" for base in ("mentor", "fund", "export") for suffix in ("", "ing", "s")
    ]
    expected = [stem(w) for w in words]
    stem.cache_clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(stem, words * 50))
    assert results == expected * 50


def test_query_terms_weigh_own_words_above_expansions() -> None:
    weights = query_terms("How to reduce staff turnover?")
    assert weights["staff"] == 1.0
    assert weights["turnov"] == 1.0
    assert weights["fluctuat"] == EXPANSION_WEIGHT
    assert weights["attrit"] == EXPANSION_WEIGHT
    assert weights["staff retent"] == EXPANSION_WEIGHT
    assert 0.0 < EXPANSION_WEIGHT < 1.0
    assert "how" not in weights


def test_query_terms_without_expansion() -> None:
    assert query_terms("staff turnover", expand=False) == {"staff": 1.0, "turnov": 1.0}


def test_phrases_in_a_query_expand_their_group() -> None:
    weights = query_terms("smart factory")
    assert weights["digitalis"] == EXPANSION_WEIGHT
    assert weights["industri 4 0"] == EXPANSION_WEIGHT


def test_ambiguous_words_do_not_expand() -> None:
    # "call" alone is not a funding call; only "call for proposals" is.
    assert query_terms("call us") == {"call": 1.0}


def test_query_of_stop_words_has_no_terms() -> None:
    assert query_terms("how to do it") == {}


def test_thesaurus_covers_a_cluster_managers_vocabulary() -> None:
    assert len(THESAURUS) >= 40
    for group, terms in THESAURUS.items():
        assert len(terms) >= 2, group
        for term in terms:
            assert term == term.lower(), term
            # A term that shrinks to nothing, or to stop words, could never match.
            assert analyse(term), term


@pytest.mark.parametrize(
    ("term", "equivalent"),
    [
        ("turnover", "fluctuation"),
        ("Industrie 4.0", "smart factory"),
        ("start-up", "founder"),
        ("mentor", "coaching"),
        ("b2b", "matchmaking"),
        ("trade fair", "exhibition"),
        ("grant", "subsidy"),
        ("seminar", "qualification"),
        ("export", "foreign markets"),
        ("women", "gender"),
        ("prototyping", "prototype"),
        ("hiring", "skilled workers"),
        ("KPI", "key figures"),
        ("emigration", "brain drain"),
        ("OEM", "carmaker"),
    ],
)
def test_synonyms(term: str, equivalent: str) -> None:
    assert equivalent in synonyms(term)


def test_unknown_term_has_no_synonyms() -> None:
    assert synonyms("lasagne") == []


def test_stop_words_are_folded_lowercase() -> None:
    assert all(w == fold(w) for w in STOP_WORDS)
    assert {"the", "and", "of", "how"} <= STOP_WORDS
