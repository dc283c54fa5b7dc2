"""BM25F, the hybrid index and the keyword baseline, on small hand-made documents."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest

from tact.algorithms.embedding import default_encoder
from tact.algorithms.search import (
    HybridIndex,
    KeywordBaseline,
    LexicalIndex,
    SearchDocument,
    SearchHit,
    document_text,
    embed_documents,
)
from tact.algorithms.text import tokenize

D = SearchDocument

# Words the fake encoder treats as one meaning each; words not listed carry no meaning at all.
CONCEPTS = {
    "canteen": 0,
    "lunch": 0,
    "meals": 0,
    "hackathon": 1,
    "marathon": 1,
    "coding": 1,
    "exhibition": 2,
    "fair": 2,
    "booth": 2,
    "mentoring": 3,
    "coaching": 3,
    "turnover": 4,
    "fluctuation": 4,
    "employees": 5,
    "staff": 5,
}


class FakeEncoder:
    """Bag-of-concepts vectors, so that tests control semantic similarity exactly."""

    dimension = 8

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls.append(list(texts))
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in tokenize(text):
                if word in CONCEPTS:
                    vectors[row, CONCEPTS[word]] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = vectors / np.maximum(norms, 1e-12)
        return unit


def hybrid(documents: Sequence[SearchDocument]) -> tuple[HybridIndex, FakeEncoder]:
    encoder = FakeEncoder()
    index = HybridIndex(documents, embed_documents(encoder, documents), encoder)
    encoder.calls.clear()
    return index, encoder


def keys(hits: list[SearchHit]) -> list[str]:
    return [h.key for h in hits]


FILLER = [
    D("filler-1", "Regional energy network", "Utilities and engineering firms discuss grids."),
    D("filler-2", "Logistics roundtable", "Forwarders compare warehouse software and routes."),
    D("filler-3", "Plastics processing", "Injection moulding companies share machine settings."),
]


def test_thesaurus_finds_synonyms_and_ranks_own_words_first() -> None:
    documents = [
        D("own", "Turnover in small firms", "Why people quit and how to react."),
        D("synonym", "Employee retention day", "Workshops on reducing fluctuation."),
        *FILLER,
    ]
    index, _ = hybrid(documents)
    found = keys(index.search("turnover"))
    assert found[:2] == ["own", "synonym"]
    assert not set(found) & {f.key for f in FILLER}


def test_expansion_alone_finds_a_document_without_the_query_words() -> None:
    documents = [D("attrition", "Attrition", "Attrition among engineers."), *FILLER]
    index = LexicalIndex(documents)
    assert index.scores("staff turnover")[0] == 0.0
    assert index.scores("staff turnover", expand=True)[0] > 0.0
    normalised = index.normalised_scores("staff turnover")
    assert 0.0 < normalised[0] < 1.0


def test_title_and_keywords_outweigh_the_body() -> None:
    body = "A weekend event for developers with prizes and a jury of partners."
    documents = [
        D("body", "Weekend event", body + " Hackathon."),
        D("title", "Hackathon", body + " Event."),
        D("keyword", "Weekend event", body + " Event.", keywords=("hackathon",)),
        *FILLER,
    ]
    scores = LexicalIndex(documents).scores("hackathon")
    assert scores[1] > scores[0]
    assert scores[2] > scores[0]


def test_rare_terms_weigh_more_than_common_ones() -> None:
    documents = [
        D("common", "Cluster day", "cluster members meet"),
        D("rare", "Cluster day", "cluster hackathon"),
        D("c2", "Cluster night", "cluster members"),
        D("c3", "Cluster week", "cluster talks"),
    ]
    scores = LexicalIndex(documents).scores("cluster hackathon")
    assert int(np.argmax(scores)) == 1


def test_lexical_scores_are_fast_to_query_and_shaped_like_the_documents() -> None:
    documents = [D(f"d{i}", f"title {i}", f"mentoring text number {i}") for i in range(50)]
    index = LexicalIndex(documents)
    scores = index.scores("mentoring")
    assert scores.shape == (50,)
    assert np.all(scores > 0.0)
    assert np.all(index.scores("nonexistentword") == 0.0)


def test_semantic_similarity_alone_finds_a_document() -> None:
    documents = [
        D("canteen", "Shared canteen", "Member companies run a canteen together."),
        *FILLER,
    ]
    index, _ = hybrid(documents)
    hits = index.search("lunch")
    assert keys(hits) == ["canteen"]
    assert hits[0].lexical == 0.0
    assert hits[0].semantic == pytest.approx(1.0)


def test_hits_carry_position_and_components() -> None:
    documents = [
        *FILLER,
        D("mentor", "Mentoring", "Mentoring for founders by experienced managers."),
    ]
    index, _ = hybrid(documents)
    [hit] = index.search("mentoring")
    assert hit.position == 3
    assert hit.key == "mentor"
    assert 0.0 < hit.lexical <= 1.0
    assert hit.semantic == pytest.approx(1.0)
    assert hit.score == pytest.approx(
        index.lexical_weight * hit.lexical + (1 - index.lexical_weight) * 1.0
    )


def test_mask_restricts_the_candidates() -> None:
    documents = [D(f"m{i}", "Mentoring", f"Mentoring programme {i}") for i in range(6)]
    index, _ = hybrid(documents)
    mask = np.array([True, False, True, False, False, True])
    hits = index.search("mentoring", mask=mask)
    assert sorted(h.position for h in hits) == [0, 2, 5]
    assert index.search("mentoring", mask=np.zeros(6, dtype=bool)) == []


def test_mask_of_the_wrong_shape_is_refused() -> None:
    index, _ = hybrid(FILLER)
    with pytest.raises(ValueError, match="shape"):
        index.search("energy", mask=np.ones(2, dtype=bool))
    with pytest.raises(ValueError, match="shape"):
        KeywordBaseline(FILLER).search("energy", mask=np.ones(5, dtype=bool))


def test_ties_are_broken_by_key() -> None:
    same = ("Mentoring circle", "Peer mentoring for managers.")
    documents = [D(k, *same) for k in ("charlie", "alpha", "delta", "bravo")]
    index, _ = hybrid(documents)
    hits = index.search("mentoring")
    assert keys(hits) == ["alpha", "bravo", "charlie", "delta"]
    assert len({h.score for h in hits}) == 1
    assert keys(index.search("mentoring", limit=2)) == ["alpha", "bravo"]


def test_search_is_deterministic() -> None:
    documents = [*FILLER, D("a", "Mentoring", "coaching"), D("b", "Coaching", "mentoring")]
    index, _ = hybrid(documents)
    assert index.search("mentoring coaching") == index.search("mentoring coaching")


def test_a_repeated_query_is_encoded_once() -> None:
    documents = [D(f"m{i}", "Mentoring", f"Mentoring programme {i}") for i in range(6)]
    index, encoder = hybrid(documents)
    first = index.search("mentoring")
    mask = np.array([True, True, False, False, True, True])
    index.search("mentoring", mask=mask)
    assert index.search("mentoring") == first
    assert encoder.calls == [["mentoring"]]


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_empty_query_returns_nothing_without_encoding(query: str) -> None:
    index, encoder = hybrid(FILLER)
    assert index.search(query) == []
    assert encoder.calls == []
    assert KeywordBaseline(FILLER).search(query) == []


def test_nonsense_returns_nothing() -> None:
    index, _ = hybrid(FILLER)
    assert index.search("qwertz uiop") == []


def test_limit() -> None:
    documents = [D(f"m{i}", "Mentoring", f"Mentoring programme {i}") for i in range(6)]
    index, _ = hybrid(documents)
    assert len(index.search("mentoring", limit=3)) == 3
    assert index.search("mentoring", limit=0) == []


def test_embeddings_must_match_the_documents() -> None:
    with pytest.raises(ValueError, match="embeddings"):
        HybridIndex(FILLER, np.zeros((2, 8), dtype=np.float32), FakeEncoder())


def test_empty_index() -> None:
    encoder = FakeEncoder()
    index = HybridIndex([], np.zeros((0, 8), dtype=np.float32), encoder)
    assert index.search("mentoring") == []
    assert KeywordBaseline([]).search("mentoring") == []


def test_embed_documents_puts_title_and_keywords_first() -> None:
    encoder = FakeEncoder()
    document = D("k", "Cluster academy", "Courses for employees.", ("training", "lean"))
    vectors = embed_documents(encoder, [document])
    assert vectors.shape == (1, 8)
    assert vectors.dtype == np.float32
    assert encoder.calls == [["Cluster academy. training, lean. Courses for employees."]]
    assert document_text(D("n", "", "Body only.")) == "Body only."


def test_baseline_counts_distinct_words_without_stemming_or_synonyms() -> None:
    documents = [
        D("both", "Mentoring and hackathon", "mentoring mentoring mentoring"),
        D("one-b", "Mentoring", "for founders"),
        D("one-a", "HACKATHON", "weekend"),
        D("stem", "Mentor network", "mentors meet"),
        D("synonym", "Coaching", "coaching for founders"),
    ]
    baseline = KeywordBaseline(documents)
    hits = baseline.search("Mentoring hackathon")
    assert keys(hits) == ["both", "one-a", "one-b"]
    assert [h.score for h in hits] == [2.0, 1.0, 1.0]
    assert [h.lexical for h in hits] == [1.0, 0.5, 0.5]
    assert all(h.semantic == 0.0 for h in hits)
    assert baseline.search("the and of") == []
    assert keys(baseline.search("mentoring", mask=np.array([False, True, True, True, True]))) == [
        "one-b"
    ]
    assert keys(baseline.search("mentoring hackathon", limit=1)) == ["both"]


# Realistic documents, searched with the real MiniLM encoder.
PRACTICES = [
    D(
        "hr-1",
        "Keeping skilled staff in SMEs",
        "A working group of HR managers from member companies meets quarterly to share practices "
        "that reduce employee fluctuation: onboarding, career paths, flexible working and exit "
        "interviews.",
        ("employer attractiveness", "HR"),
    ),
    D(
        "hr-2",
        "Employer branding campaign",
        "The cluster runs a joint campaign presenting its member companies as attractive "
        "employers to students and young engineers in the region.",
        ("recruitment", "talent"),
    ),
    D(
        "fair-1",
        "Joint stand at Hannover Messe",
        "Member companies exhibit together on a shared booth at the trade fair; the cluster books "
        "the space, designs the stand and organises B2B meetings with visitors.",
        ("exhibition",),
    ),
    D(
        "dig-1",
        "Digital maturity check",
        "Consultants assess how far a manufacturing SME has come with Industrie 4.0: data, "
        "automation, connected machines. The company gets a report and a roadmap.",
        ("Industry 4.0", "audit"),
    ),
    D(
        "start-1",
        "Mentoring for founders",
        "Experienced entrepreneurs coach young start-up teams for six months, with monthly "
        "meetings and access to the cluster network.",
        ("start-ups", "mentoring"),
    ),
    D(
        "intl-1",
        "Business missions abroad",
        "The cluster leads delegations of companies to foreign markets, prepares country "
        "briefings and arranges meetings with potential partners.",
        ("export", "internationalisation"),
    ),
    D(
        "hack-1",
        "Weekend hackathon",
        "Students, developers and designers build prototypes in 48 hours for challenges set by "
        "industrial partners; a jury awards prizes.",
        ("hackathon", "prototyping"),
    ),
    D(
        "fund-1",
        "Help with public funding",
        "Cluster staff screen calls for proposals, match members with consortium partners and "
        "review grant applications before submission.",
        ("grants", "funding"),
    ),
    D(
        "bench-1",
        "Salary and key figures benchmark",
        "Each year members report key figures; the cluster publishes an anonymous benchmark so "
        "that companies can compare themselves with peers.",
        ("benchmarking", "survey"),
    ),
    D(
        "drain-1",
        "Bringing graduates back",
        "To counter the emigration of young talent, the cluster contacts graduates who left the "
        "region and presents job offers from members.",
        ("brain drain", "return migration"),
    ),
]


@pytest.fixture(scope="module")
def practices() -> HybridIndex:
    encoder = default_encoder()
    return HybridIndex(PRACTICES, embed_documents(encoder, PRACTICES), encoder)


@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("staff turnover", "hr-1"),
        ("how do I keep my employees", "hr-1"),
        ("industry 4.0 readiness", "dig-1"),
        ("support for startups", "start-1"),
        ("selling abroad", "intl-1"),
        ("KPI comparison", "bench-1"),
        ("coding marathon", "hack-1"),
        ("meet buyers at a booth", "fair-1"),
    ],
)
def test_real_encoder_ranks_the_right_practice_first(
    practices: HybridIndex, query: str, best: str
) -> None:
    assert keys(practices.search(query))[0] == best


def test_real_encoder_beats_the_baseline_on_paraphrases(practices: HybridIndex) -> None:
    baseline = KeywordBaseline(PRACTICES)
    assert baseline.search("coding marathon") == []
    assert keys(practices.search("coding marathon")) == ["hack-1"]
    assert keys(baseline.search("staff turnover"))[0] != "hr-1"


@pytest.mark.parametrize("query", ["qwertz uiop", "lorem ipsum dolor", "recipe for lasagne"])
def test_real_encoder_returns_nothing_for_nonsense(practices: HybridIndex, query: str) -> None:
    assert practices.search(query) == []
