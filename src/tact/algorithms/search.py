"""Ranking of documents for a free-text query: BM25, MiniLM embeddings, and a naive baseline."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

from tact.algorithms.text import EXPANSION_WEIGHT, STOP_WORDS, QueryTerms, analyse, analyse_query

FloatArray = npt.NDArray[np.float32]
ScoreArray = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]

# Share of the lexical score in the hybrid score; the rest is semantic. Equal shares: BM25 is
# precise on the curated words of titles and keywords, MiniLM finds paraphrases that share none.
LEXICAL_WEIGHT = 0.5
# Cosine similarities of all-MiniLM-L6-v2 between a short query and an unrelated paragraph sit
# mostly below 0.15, related ones above 0.3; the semantic score maps that span onto 0..1.
SEMANTIC_FLOOR = 0.15
SEMANTIC_CEILING = 0.65
# Hybrid score a document needs to be returned at all: a query whose words match nothing and
# whose meaning is near nothing returns (almost) nothing.
RELEVANCE_FLOOR = 0.2
# When nothing clears RELEVANCE_FLOOR, up to FALLBACK_HITS of the best documents that share a
# term with the query or reach FALLBACK_FLOOR are returned anyway, so that a reasonable but oddly
# phrased query is not answered with nothing while nonsense still is.
FALLBACK_HITS = 3
FALLBACK_FLOOR = 0.1
# Query embeddings kept per index.
QUERY_CACHE_SIZE = 256

# BM25F: saturation k1, per-field length normalisation b, and field weights, so that a word in
# the title or a curator's keyword counts more than the same word in the body.
K1 = 1.2
FIELD_WEIGHTS = {"title": 3.0, "keywords": 2.5, "text": 1.0}
FIELD_B = {"title": 0.3, "keywords": 0.0, "text": 0.75}


@dataclass(frozen=True)
class SearchDocument:
    """One searchable record, identified by a stable key."""

    key: str
    title: str
    text: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchHit:
    """A ranked result.

    position indexes the document list the index was built from; lexical is the normalised
    BM25F score (0..1) and semantic the raw cosine similarity, both before weighting.
    """

    position: int
    key: str
    score: float
    lexical: float
    semantic: float


class Encoder(Protocol):
    """Anything that turns texts into (n, d) float32 embeddings."""

    def encode(self, texts: Sequence[str]) -> FloatArray: ...


def _check_mask(mask: Mask | None, size: int) -> Mask | None:
    if mask is None:
        return None
    array = np.asarray(mask, dtype=bool)
    if array.shape != (size,):
        raise ValueError(f"mask must have shape ({size},), not {array.shape}")
    return array


def _key_ranks(documents: Sequence[SearchDocument]) -> npt.NDArray[np.int64]:
    # Rank of each key in sorted order: a numeric tie-breaker for np.lexsort.
    order = sorted(range(len(documents)), key=lambda i: documents[i].key)
    ranks = np.empty(len(documents), dtype=np.int64)
    ranks[order] = np.arange(len(documents))
    return ranks


def _rank(
    scores: ScoreArray, candidates: npt.NDArray[np.intp], key_ranks: npt.NDArray[np.int64]
) -> npt.NDArray[np.intp]:
    """Candidate positions by descending score, equal scores by key."""
    order = np.lexsort((key_ranks[candidates], -scores[candidates]))
    ranked: npt.NDArray[np.intp] = candidates[order]
    return ranked


class LexicalIndex:
    """BM25F over stemmed terms of title, keywords and body."""

    def __init__(self, documents: Sequence[SearchDocument]) -> None:
        self.size = len(documents)
        fields = [
            ("title", [analyse(d.title) for d in documents]),
            # Keywords one by one, so that no thesaurus phrase spans two of them.
            ("keywords", [[t for k in d.keywords for t in analyse(k)] for d in documents]),
            ("text", [analyse(d.text) for d in documents]),
        ]
        # Pseudo term frequency: each field's count, length-normalised within the field, weighted.
        pseudo: list[dict[str, float]] = [{} for _ in documents]
        for name, analysed in fields:
            lengths = [len(terms) for terms in analysed]
            average = (sum(lengths) / len(lengths)) if lengths else 0.0
            weight, b = FIELD_WEIGHTS[name], FIELD_B[name]
            for position, terms in enumerate(analysed):
                if not terms:
                    continue
                norm = weight / (1.0 - b + b * lengths[position] / max(average, 1e-9))
                target = pseudo[position]
                for term, count in Counter(terms).items():
                    target[term] = target.get(term, 0.0) + count * norm

        vocabulary = sorted({term for counts in pseudo for term in counts})
        self._vocabulary = {term: i for i, term in enumerate(vocabulary)}
        term_ids: list[int] = []
        doc_ids: list[int] = []
        frequencies: list[float] = []
        for position, counts in enumerate(pseudo):
            for term, tf in counts.items():
                term_ids.append(self._vocabulary[term])
                doc_ids.append(position)
                frequencies.append(tf)
        terms_array = np.asarray(term_ids, dtype=np.int64)
        # Postings grouped by term (CSC layout): a query reads one contiguous slice per term.
        order = np.argsort(terms_array, kind="stable")
        self._docs = np.asarray(doc_ids, dtype=np.intp)[order]
        self._tf = np.asarray(frequencies, dtype=np.float64)[order]
        self._starts = np.searchsorted(
            terms_array[order], np.arange(len(vocabulary) + 1), side="left"
        )
        self._idf = self._idf_of(np.diff(self._starts))

    def _idf_of(self, frequency: npt.ArrayLike) -> ScoreArray:
        df = np.asarray(frequency, dtype=np.float64)
        idf: ScoreArray = np.log1p((self.size - df + 0.5) / (df + 0.5))
        return idf

    def _postings(self, term: str) -> tuple[npt.NDArray[np.intp], ScoreArray]:
        index = self._vocabulary.get(term)
        if index is None:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float64)
        start, end = self._starts[index], self._starts[index + 1]
        return self._docs[start:end], self._tf[start:end]

    def _own_idf(self, term: str) -> float:
        # A word no document has still has an idf, so it counts against the query's ideal.
        index = self._vocabulary.get(term)
        return float(self._idf[index] if index is not None else self._idf_of(0))

    def query_scores(self, query: QueryTerms) -> ScoreArray:
        """Raw BM25F scores for analysed query terms; each thesaurus group counts as one term."""
        docs: list[npt.NDArray[np.intp]] = []
        values: list[ScoreArray] = []
        for term in query.own:
            term_docs, tf = self._postings(term)
            docs.append(term_docs)
            values.append(self._own_idf(term) * tf / (K1 + tf))
        total = np.zeros(self.size, dtype=np.float64)
        if docs:
            total += np.bincount(np.concatenate(docs), np.concatenate(values), minlength=self.size)
        for group in query.groups:
            # Lucene's synonym query: frequencies of all members add up and saturate once, and
            # the group is as rare as the documents holding any member.
            postings = [self._postings(term) for term in group]
            group_docs = np.concatenate([d for d, _ in postings])
            if group_docs.size == 0:
                continue
            group_tf = np.bincount(
                group_docs, np.concatenate([f for _, f in postings]), self.size
            ).astype(np.float64, copy=False)
            idf = float(self._idf_of(np.count_nonzero(group_tf)))
            total += EXPANSION_WEIGHT * idf * group_tf / (K1 + group_tf)
        return total

    def scores(self, query: str, *, expand: bool = False) -> ScoreArray:
        """Raw BM25F score of every document, optionally with thesaurus expansion."""
        return self.query_scores(analyse_query(query, expand=expand))

    def normalised_scores(self, query: str, *, expand: bool = True) -> ScoreArray:
        """Scores in 0..1: roughly the share of the query's own words a document matches."""
        terms = analyse_query(query, expand=expand)
        # Saturation keeps each term's share below its idf, so the sum of the own terms' idf
        # bounds what a document matching them all reaches; expansions can add to that, hence
        # the clip.
        ideal = sum(self._own_idf(term) for term in terms.own)
        if ideal <= 0.0:
            return np.zeros(self.size, dtype=np.float64)
        normalised: ScoreArray = np.minimum(self.query_scores(terms) / ideal, 1.0)
        return normalised


def document_text(document: SearchDocument) -> str:
    """The text embedded for a document: title and keywords first, as the encoder truncates."""
    parts = [document.title.strip(), ", ".join(k.strip() for k in document.keywords if k.strip())]
    head = ". ".join(p for p in parts if p)
    return f"{head}. {document.text.strip()}" if head else document.text.strip()


def embed_documents(encoder: Encoder, documents: Sequence[SearchDocument]) -> FloatArray:
    """Embeddings of documents for HybridIndex, (n, d) float32."""
    embeddings: FloatArray = np.asarray(
        encoder.encode([document_text(d) for d in documents]), dtype=np.float32
    )
    return embeddings


class HybridIndex:
    """BM25F with thesaurus expansion blended with MiniLM cosine similarity.

    score = LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * semantic_scaled, where lexical is
    the normalised BM25F score in 0..1 and semantic_scaled maps the cosine similarity from
    SEMANTIC_FLOOR..SEMANTIC_CEILING onto 0..1.
    """

    def __init__(
        self,
        documents: Sequence[SearchDocument],
        embeddings: FloatArray,
        encoder: Encoder,
        *,
        lexical_weight: float = LEXICAL_WEIGHT,
        relevance_floor: float = RELEVANCE_FLOOR,
    ) -> None:
        vectors = np.asarray(embeddings, dtype=np.float32)
        if len(documents) == 0 and vectors.size == 0:
            vectors = vectors.reshape(0, vectors.shape[-1] if vectors.ndim == 2 else 0)
        if vectors.ndim != 2 or vectors.shape[0] != len(documents):
            raise ValueError(
                f"embeddings must have shape ({len(documents)}, d), not {vectors.shape}"
            )
        if not 0.0 <= lexical_weight <= 1.0:
            raise ValueError("lexical_weight must be between 0 and 1")
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        # Stored vectors may come from elsewhere; unit length makes the dot product a cosine.
        self._vectors = np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)
        self._documents = list(documents)
        self._encoder = encoder
        self._lexical = LexicalIndex(self._documents)
        self._key_ranks = _key_ranks(self._documents)
        self.lexical_weight = lexical_weight
        self.relevance_floor = relevance_floor
        # Paging and changing filters repeat a query; encoding it is most of a search's time.
        self._cached_query_vector = lru_cache(maxsize=QUERY_CACHE_SIZE)(self._query_vector)

    @property
    def size(self) -> int:
        """Number of documents."""
        return len(self._documents)

    def _query_vector(self, query: str) -> FloatArray:
        vector = np.asarray(self._encoder.encode([query]), dtype=np.float32).reshape(-1)
        if vector.shape[0] != self._vectors.shape[1]:
            raise ValueError("query and document embeddings differ in dimension")
        norm = float(np.linalg.norm(vector))
        unit: FloatArray = vector / norm if norm > 0.0 else vector
        unit.flags.writeable = False  # shared through the cache
        return unit

    def _semantic(self, query: str) -> ScoreArray:
        if self.size == 0:
            return np.zeros(0, dtype=np.float64)
        # The tokenizer ignores runs of whitespace, so the cache may too.
        vector = self._cached_query_vector(" ".join(query.split()))
        cosines: ScoreArray = (self._vectors @ vector).astype(np.float64)
        return cosines

    def search(
        self, query: str, mask: Mask | None = None, limit: int | None = None
    ) -> list[SearchHit]:
        """Relevant documents for a query, best first; mask limits the candidates."""
        allowed = _check_mask(mask, self.size)
        if not query.strip() or self.size == 0 or limit == 0:
            return []
        lexical = self._lexical.normalised_scores(query, expand=True)
        cosine = self._semantic(query)
        scaled = np.clip((cosine - SEMANTIC_FLOOR) / (SEMANTIC_CEILING - SEMANTIC_FLOOR), 0.0, 1.0)
        scores = self.lexical_weight * lexical + (1.0 - self.lexical_weight) * scaled
        eligible = np.ones(self.size, dtype=bool) if allowed is None else allowed
        candidates = np.flatnonzero(eligible & (scores >= self.relevance_floor))
        fallback = candidates.size == 0
        if fallback:
            candidates = np.flatnonzero(eligible & ((scores >= FALLBACK_FLOOR) | (lexical > 0.0)))
        ranked = _rank(scores, candidates, self._key_ranks)
        if fallback:
            ranked = ranked[:FALLBACK_HITS]
        if limit is not None:
            ranked = ranked[:limit]
        return [
            SearchHit(
                position=int(p),
                key=self._documents[p].key,
                score=float(scores[p]),
                lexical=float(lexical[p]),
                semantic=float(cosine[p]),
            )
            for p in ranked
        ]


_PLAIN_WORD = re.compile(r"\w+")


class KeywordBaseline:
    """The keyword search a naive site does, for comparison.

    A document matches if it contains a query word (case-insensitive, whole words, no stemming,
    synonyms or embeddings); documents rank by how many distinct query words they contain.
    Stop words are dropped from the query, as even naive full-text search does, or 'how to'
    would match everything.
    """

    def __init__(self, documents: Sequence[SearchDocument]) -> None:
        self._documents = list(documents)
        postings: dict[str, list[int]] = {}
        for position, document in enumerate(self._documents):
            words = set(
                _PLAIN_WORD.findall(
                    " ".join((document.title, " ".join(document.keywords), document.text)).lower()
                )
            )
            for word in words:
                postings.setdefault(word, []).append(position)
        self._postings = {w: np.asarray(p, dtype=np.intp) for w, p in postings.items()}
        self._key_ranks = _key_ranks(self._documents)

    @property
    def size(self) -> int:
        """Number of documents."""
        return len(self._documents)

    def search(
        self, query: str, mask: Mask | None = None, limit: int | None = None
    ) -> list[SearchHit]:
        """Documents containing query words, most distinct words first, ties by key."""
        allowed = _check_mask(mask, self.size)
        words = sorted({w for w in _PLAIN_WORD.findall(query.lower()) if w not in STOP_WORDS})
        if not words or self.size == 0 or limit == 0:
            return []
        matched = [self._postings[w] for w in words if w in self._postings]
        if not matched:
            return []
        counts = np.bincount(np.concatenate(matched), minlength=self.size).astype(np.float64)
        eligible = counts > 0 if allowed is None else (counts > 0) & allowed
        ranked = _rank(counts, np.flatnonzero(eligible), self._key_ranks)
        if limit is not None:
            ranked = ranked[:limit]
        return [
            SearchHit(
                position=int(p),
                key=self._documents[p].key,
                score=float(counts[p]),
                lexical=float(counts[p]) / len(words),
                semantic=0.0,
            )
            for p in ranked
        ]
