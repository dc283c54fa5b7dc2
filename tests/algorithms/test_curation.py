"""Scoring of one-pagers: completeness, soundness, uniqueness, the field classifier."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tact.algorithms.curation import (
    Classifier,
    Criterion,
    Example,
    Rating,
    TemplateItem,
    TextItem,
    Weights,
    completeness,
    fact_is_numeric,
    leave_one_out,
    lexical_similarity,
    overall,
    similarity_matrix,
    soundness,
    uniqueness,
)

TEMPLATE = (
    TemplateItem("title", "text", 2.0),
    TemplateItem("summary", "text", 1.0, min_length=20),
    TemplateItem("region.country", "choice", 1.0),
    TemplateItem("formats", "list", 1.0),
    TemplateItem("facts", "facts", 2.0),
)
RUBRIC = (Criterion("relevance"), Criterion("clarity", weight=2.0))


# --- completeness ---


def test_an_empty_one_pager_is_not_complete():
    result = completeness({}, TEMPLATE)
    assert result.score == 0.0
    assert result.missing == ("title", "summary", "region.country", "formats", "facts")


def test_a_full_one_pager_is_complete():
    record = {
        "title": "Walk-throughs",
        "summary": "A summary long enough to count.",
        "region": {"country": "AT"},
        "formats": ["consulting"],
        "facts": [{"value": 1}, {"min": 2, "max": 3.5}],
    }
    result = completeness(record, TEMPLATE)
    assert result.score == 1.0
    assert result.facts_total == result.facts_numeric == 2


def test_facts_count_only_where_they_are_numbers():
    record = {"facts": [{"value": 40}, {"value": "about 40"}, {"min": 1, "max": "many"}, {}]}
    result = completeness(record, TEMPLATE)
    # Two of the four facts are not numbers and one has no figure: a quarter of the facts item.
    assert result.facts_not_numeric == (2, 3, 4)
    assert math.isclose(result.score, 2.0 * 0.25 / 7.0)
    assert "facts" in result.missing


def test_short_texts_and_blank_lists_do_not_count():
    result = completeness({"title": "  ", "summary": "too short", "formats": [""]}, TEMPLATE)
    assert result.score == 0.0


@pytest.mark.parametrize(
    ("fact", "numeric"),
    [
        ({"value": 3}, True),
        ({"value": 2.5}, True),
        ({"value": True}, False),
        ({"value": "3"}, False),
        ({"value": float("nan")}, False),
        ({"min": 1}, True),
        ({}, False),
        ("40", False),
    ],
)
def test_fact_is_numeric(fact, numeric):
    assert fact_is_numeric(fact) is numeric


def test_template_needs_weight():
    with pytest.raises(ValueError):
        completeness({}, (TemplateItem("title", weight=0),))


# --- soundness ---


def test_soundness_scales_weighted_means_to_one():
    ratings = [
        Rating("a", {"relevance": 5, "clarity": 3}),
        Rating("b", {"relevance": 5, "clarity": 3}),
    ]
    result = soundness(ratings, RUBRIC)
    # relevance (5-1)/4 = 1 with weight 1, clarity (3-1)/4 = 0.5 with weight 2.
    assert math.isclose(result.score, (1.0 + 2 * 0.5) / 3)
    assert result.reviewers == 2 and result.enough_reviewers
    assert not result.flagged


def test_one_reviewer_is_not_enough_and_disagreement_is_flagged():
    alone = soundness([Rating("a", {"relevance": 4, "clarity": 4})], RUBRIC)
    assert not alone.enough_reviewers
    split = soundness(
        [Rating("a", {"relevance": 5, "clarity": 4}), Rating("b", {"relevance": 2, "clarity": 3})],
        RUBRIC,
    )
    assert split.disagreement == ("relevance",)
    assert split.criteria[0].spread == 3


def test_no_ratings_no_score():
    result = soundness([], RUBRIC)
    assert result.score is None and result.reviewers == 0


@pytest.mark.parametrize("value", [0, 6, 2.5, True, "4"])
def test_ratings_off_the_scale_are_refused(value):
    with pytest.raises(ValueError):
        soundness([Rating("a", {"relevance": value})], RUBRIC)


def test_unknown_criterion_is_refused():
    with pytest.raises(ValueError, match="unknown criterion"):
        soundness([Rating("a", {"beauty": 3})], RUBRIC)


@given(
    st.lists(
        st.fixed_dictionaries({"relevance": st.integers(1, 5), "clarity": st.integers(1, 5)}),
        max_size=6,
    )
)
@settings(max_examples=60, deadline=None)
def test_soundness_stays_between_zero_and_one(scores):
    result = soundness([Rating(str(i), s) for i, s in enumerate(scores)], RUBRIC)
    assert result.score is None or 0.0 <= result.score <= 1.0
    spreads_flagged = {c.key for c in result.criteria if c.spread >= 2}
    assert set(result.disagreement) == spreads_flagged


# --- similarity ---


def test_lexical_similarity_of_the_same_text_is_one():
    sim = lexical_similarity(
        ["Mentoring for young engineers", "mentoring of young engineers", "Trade fair booth"]
    )
    assert math.isclose(sim[0, 1], 1.0, abs_tol=1e-9)  # same stems, stop words dropped
    assert sim[0, 2] == 0.0


def test_uniqueness_finds_near_duplicates_among_submissions_and_published():
    v = np.eye(4, dtype=np.float32)
    candidates = [
        TextItem("a", "cross mentoring for managers of member companies", v[0]),
        TextItem("b", "hackathon for students with industry challenges", v[1]),
    ]
    published = [
        TextItem(
            "p1",
            "cross mentoring for managers of member companies and more",
            v[0] * 0.9 + v[2] * 0.1,
        ),
        TextItem("p2", "a trade fair booth shared by the cluster", v[3]),
    ]
    result = uniqueness(candidates, published, near_duplicate_at=0.8)
    assert [n.key for n in result["a"].near_duplicates] == ["p1"]
    assert result["a"].score < 0.2
    assert result["b"].near_duplicates == ()
    assert result["b"].score > 0.8
    assert result["a"].nearest[0].key == "p1"


def test_uniqueness_refuses_repeated_keys():
    with pytest.raises(ValueError):
        uniqueness([TextItem("a", "x")], [TextItem("a", "y")])


def test_similarity_without_vectors_is_lexical_and_symmetric():
    items = [
        TextItem("a", "energy audit"),
        TextItem("b", "energy audits for plants"),
        TextItem("c", ""),
    ]
    sim = similarity_matrix(items)
    assert np.allclose(sim, sim.T)
    assert np.allclose(np.diag(sim), 1.0)
    assert sim[0, 1] > 0.5 and sim[0, 2] == 0.0


# --- the classifier ---


def _examples() -> list[Example]:
    rng = np.random.default_rng(7)
    centres = {"education": np.array([1, 0, 0, 0.0]), "growth": np.array([0, 1, 0, 0.0])}
    examples = []
    for label, centre in centres.items():
        for i in range(5):
            vector = (centre + 0.15 * rng.standard_normal(4)).astype(np.float32)
            objectives = ("skills",) if label == "education" else ("markets", "business")
            examples.append(Example(f"{label}-{i}", vector, label, objectives))
    return examples


def test_classifier_suggests_the_nearest_field_with_confidence():
    classifier = Classifier(_examples())
    prediction = classifier.predict(np.array([0.9, 0.1, 0, 0]))
    assert prediction.field == "education"
    assert prediction.confidence > 0.9
    assert math.isclose(sum(s.confidence for s in prediction.fields), 1.0, abs_tol=1e-3)
    assert [s.label for s in prediction.objectives] == ["skills"]
    unsure = classifier.predict(np.array([1.0, 1.0, 0, 0]))
    assert unsure.confidence < prediction.confidence


def test_leave_one_out_on_separable_examples():
    evaluation = leave_one_out(Classifier(_examples()))
    assert evaluation.examples == 10
    assert evaluation.field_accuracy == 1.0
    assert evaluation.objective_recall == 1.0


def test_leave_one_out_can_fail():
    # Labels that have nothing to do with the vectors: the classifier cannot be always right.
    examples = [
        Example(str(i), np.array([1.0, i % 3], dtype=np.float32), "ab"[i % 2]) for i in range(8)
    ]
    assert leave_one_out(Classifier(examples)).field_accuracy < 1.0


def test_classifier_needs_examples():
    with pytest.raises(ValueError):
        Classifier([])


def test_classifier_on_the_published_practices():
    """The 23 practices of the toolbox with their real embeddings: the field of each is
    predicted, with the practice left out, far better than the 1 in 5 of guessing."""
    from tact.algorithms.embedding import default_encoder
    from tact.algorithms.search import embed_documents
    from tact.catalogue.index import practice_document
    from tact.catalogue.records import read_toolbox

    toolbox = read_toolbox()
    documents = [practice_document(r, toolbox.vocabulary) for r in toolbox.practices]
    vectors = embed_documents(default_encoder(), documents)
    examples = [
        Example(r["id"], v, r["field"], tuple(r["objectives"]))
        for r, v in zip(toolbox.practices, vectors, strict=True)
    ]
    evaluation = leave_one_out(Classifier(examples))
    assert evaluation.examples == 23
    assert evaluation.field_accuracy >= 0.4
    print(
        f"leave-one-out field accuracy {evaluation.field_accuracy:.2f}, objective recall {evaluation.objective_recall:.2f}"
    )


# --- overall ---


def test_overall_renormalises_without_ratings():
    sound = soundness(
        [Rating("a", {"relevance": 5, "clarity": 5}), Rating("b", {"relevance": 5, "clarity": 5})],
        RUBRIC,
    )
    full = overall(0.5, sound, 0.5)
    assert math.isclose(full.score, 0.3 * 0.5 + 0.4 * 1.0 + 0.3 * 0.5)
    assert not full.provisional
    missing = overall(0.5, None, 1.0, Weights(completeness=1, soundness=1, uniqueness=1))
    assert math.isclose(missing.score, 0.75) and missing.provisional
