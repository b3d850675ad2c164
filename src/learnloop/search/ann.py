"""Approximate nearest neighbours for the semantic index once it holds many vectors.

Exact cosine over a million 256-dimension vectors reads a gigabyte per query; an inverted
file (faiss `IndexIVFScalarQuantizer`: k-means cells, vectors stored as 8-bit codes, inner
product on normalised vectors) reads only the `nprobe` closest cells, a few per cent of it.
The caller's visibility and filter mask goes into the search as a bitmap over document ids
(`IDSelectorBitmap`), so a cell's vectors outside the scope are skipped, never returned.
The candidates come back with approximate scores: `semantic.VectorIndex` re-scores them
from its own matrix, so callers see exact cosines and its tie rule.

Faiss ids are SearchDocument ids, not matrix positions: positions move when a late commit
makes the index sort again, ids do not. Centroids are trained on a fixed-seed sample, so a
given set of vectors always gives the same index.
"""

from __future__ import annotations

import threading

import faiss
import numpy as np

# Below this many vectors the index stays exact (and deterministic to the last digit):
# a full scan costs about 15 % of the million-vector one there, and every test network
# is far below it.
MIN_VECTORS = 150_000
# Cells scanned per query for a mask of every vector; a narrower mask scans
# NPROBE x total / masked cells (see `probes`). Chosen on bench/vector_index_bench.py at 1M
# clustered vectors: a member's mask (82 %) scans 59 of ~1,000 cells, recall@100 0.998; an
# anonymous visitor's (10 %) 480, recall 0.96. Probing a cell is cheap next to building the
# mask, so the member's cost hardly depends on it.
NPROBE = 48
# Masks with at most this many rows are scored directly from the matrix (a group or an
# author filter); wider ones go through the cells.
EXACT_BELOW = 5_000
RESCORE_EXTRA = 50  # candidates beyond `limit` that are re-scored exactly
TRAIN_SAMPLE = 65_536  # vectors the k-means sees (64 per cell at 1,024 cells)
TRAIN_ITERATIONS = 10
SEED = 1234
ADD_BATCH = 65_536


def cells_for(count: int) -> int:
    """About √n cells (1,000 at a million vectors): cells of ~1,000 vectors each."""
    return int(min(4096, max(64, round(count**0.5))))


class AnnIndex:
    """One faiss IVF-SQ8 index; searches and changes are serialised by its lock (faiss
    indexes are not safe to read while they are being changed)."""

    def __init__(self, dim: int, cells: int) -> None:
        self.dim = dim
        self.cells = cells
        self.quantizer = faiss.IndexFlatIP(dim)
        self.index = faiss.IndexIVFScalarQuantizer(
            self.quantizer, dim, cells, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        self.index.cp.seed = SEED
        self.index.cp.niter = TRAIN_ITERATIONS
        self.lock = threading.Lock()

    @classmethod
    def build(cls, vectors: np.ndarray, ids: np.ndarray) -> AnnIndex:
        """Train on a deterministic sample of these (normalised) vectors and add them all."""
        count = len(ids)
        ann = cls(vectors.shape[1], cells_for(count))
        rng = np.random.default_rng(SEED)
        sample = np.sort(rng.choice(count, size=min(count, TRAIN_SAMPLE), replace=False))
        ann.index.train(np.ascontiguousarray(vectors[sample], dtype=np.float32))
        ann.add(vectors, ids)
        return ann

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def add(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        with self.lock:
            for start in range(0, len(ids), ADD_BATCH):
                end = start + ADD_BATCH
                self.index.add_with_ids(
                    np.ascontiguousarray(vectors[start:end], dtype=np.float32),
                    np.ascontiguousarray(ids[start:end], dtype=np.int64),
                )

    def remove(self, ids: np.ndarray) -> int:
        if len(ids) == 0:
            return 0
        with self.lock:
            batch = np.ascontiguousarray(ids, dtype=np.int64)
            return int(
                self.index.remove_ids(faiss.IDSelectorBatch(len(batch), faiss.swig_ptr(batch)))
            )

    def search(
        self, query: np.ndarray, allowed_ids: np.ndarray, k: int, nprobe: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Up to k (id, approximate score) pairs among `allowed_ids`, best first."""
        if k <= 0 or len(allowed_ids) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        bits = np.zeros(int(allowed_ids.max()) + 1, dtype=bool)
        bits[allowed_ids] = True
        bitmap = np.packbits(bits, bitorder="little")  # faiss reads bit (id & 7) of byte id>>3
        params = faiss.SearchParametersIVF()
        # `bitmap` is kept alive by this frame for the whole search
        params.sel = faiss.IDSelectorBitmap(len(bitmap), faiss.swig_ptr(bitmap))
        params.nprobe = self.probes(len(allowed_ids), nprobe)
        with self.lock:
            scores, labels = self.index.search(
                np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k, params=params
            )
        found = labels[0] >= 0  # -1: fewer than k in the probed cells
        return labels[0][found], scores[0][found]

    def probes(self, allowed: int, nprobe: int | None = None) -> int:
        """Cells to scan for a mask of `allowed` vectors: NPROBE x total / allowed, so that
        about as many in-scope vectors are compared whatever the mask (cells outside it
        cost only a bit test per vector)."""
        widen = max(1, len(self)) / max(1, allowed)
        return int(min(self.cells, max(1, round((nprobe or NPROBE) * widen))))

    def memory_bytes(self) -> int:
        """Codes and ids held by the inverted lists, plus the centroids."""
        return len(self) * (self.index.code_size + 8) + self.cells * self.dim * 4
