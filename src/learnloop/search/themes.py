"""Themes: group a set of learnings by what they are about, for a synthesis session.

The learnings' vectors (the active semantic model's; for a network without one yet, a
small TF-IDF → SVD model fitted on the set itself) are clustered: up to 300 learnings by
agglomerative clustering (cosine distance, average linkage, cut at a fixed distance, so
the number of themes follows the material, but at most 12), above that by k-means with k
chosen by the silhouette score among 2…min(12, n/4). Learnings left alone in their cluster go under
"Other". Everything is deterministic (fixed seeds, ties broken by id).

Each theme has a label — its three most telling terms by class-based TF-IDF (a term's
frequency in the theme * log(1 + average words per theme / its frequency in all themes),
words reduced to a stem and shown in their most common written form, two-word phrases
allowed) — its three most representative learnings (closest to the theme's centre) and
the contexts it spans: groups, sites, organizations and kinds of learning.

Only learnings the viewer may see are ever used: explicit ids that the viewer may not see
make the whole request a 404, so that asking cannot be used to probe for private work.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.search import embedders, semantic
from learnloop.search.embedders import stem
from learnloop.search.models import ItemType, SearchDocument

MIN_ITEMS = 3
MAX_ITEMS = 2000
AGGLOMERATIVE_MAX = 300
# Cosine distance at which two groups stop merging. Tuned on the demo network: at 0.75 a
# synthesis of 200 learnings fell into 39 themes, at 0.8 into 28, at 0.9 a third of them
# landed in one; and never more than MAX_K themes, which a group can discuss in a session.
DISTANCE_THRESHOLD = 0.8
MAX_K = 12
REPRESENTATIVES = 3
LABEL_TERMS = 3

EXTRA_STOP = frozenset(
    [
        "learned",
        "learning",
        "learnings",
        "learn",
        "noticed",
        "tried",
        "think",
        "thought",
        "thing",
        "things",
        "lot",
        "lots",
        "really",
        "just",
        "like",
        "got",
        "get",
        "gets",
        "did",
        "does",
        "make",
        "made",
        "way",
        "ways",
        "week",
        "weeks",
        "time",
        "times",
        "day",
        "days",
        "year",
        "years",
        "people",
        "used",
        "use",
        "using",
        "need",
        "needs",
        "want",
        "wanted",
        "good",
        "better",
        "new",
        "went",
        "going",
    ]
)
_TOKEN = re.compile(r"[^\W\d_][\w'\u2019-]*[^\W_]|[^\W\d_]{2,}")


@dataclass
class Theme:
    label: str
    terms: list[str]
    learnings: list[Any]  # closest to the theme's centre first
    representatives: list[Any]
    groups: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    other: bool = False

    @property
    def size(self) -> int:
        return len(self.learnings)


@dataclass
class ThemeSet:
    themes: list[Theme]  # biggest first; "Other" last
    count: int
    method: str  # agglomerative | kmeans | single
    model: str  # the vectors used: svd, minilm-l6-v2, or set-tfidf


# Which learnings ---------------------------------------------------------------------


def _learnings():
    from learnloop.generation.models import Learning

    return Learning.objects.select_related("group", "author", "author__organization")


def learnings_by_ids(viewer: Any, ids: list[int]) -> list[Any]:
    """The learnings named, all of which the viewer must be able to see (404 otherwise)."""
    wanted = sorted({int(i) for i in ids})
    if len(wanted) > MAX_ITEMS:
        raise ValidationError(
            {"learning_ids": _("Choose at most %(n)d learnings.") % {"n": MAX_ITEMS}}
        )
    found = list(_learnings().filter(access.visible_q(viewer), pk__in=wanted).order_by("pk"))
    if len(found) != len(wanted):
        raise Http404
    return found


def routine_learnings(viewer: Any, routine: Any) -> list[Any]:
    """The learnings a session brought together that the viewer may see (the session
    itself was checked by the caller)."""
    return list(
        _learnings().filter(access.visible_q(viewer), routines=routine).order_by("pk")[:MAX_ITEMS]
    )


# Vectors -----------------------------------------------------------------------------


def _text(learning: Any) -> str:
    from learnloop.core.markdown import plain_text

    return embedders.document_text(learning.title, plain_text(learning.body or "", 5000))


def _vectors(learnings: list[Any]) -> tuple[np.ndarray | None, str]:
    state = semantic.prepare()
    if state is None:
        fitted = embedders.SvdEmbedder.fit([_text(x) for x in learnings], max_dim=100)
        if fitted is None:
            return None, "set-tfidf"
        return fitted.encode([_text(x) for x in learnings]), "set-tfidf"
    index = semantic.current_index(state)
    docs = dict(
        SearchDocument.objects.filter(
            item_type=ItemType.LEARNING, item_id__in=[x.pk for x in learnings]
        ).values_list("item_id", "pk")
    )
    rows: list[np.ndarray | None] = []
    for learning in learnings:
        doc_id = docs.get(learning.pk)
        found = index.vector_of(doc_id) if (index is not None and doc_id) else None
        rows.append(found)
    unknown = [i for i, row in enumerate(rows) if row is None]
    if unknown:
        encoded = semantic.embedder_for(state).encode([_text(learnings[i]) for i in unknown])
        for i, row in zip(unknown, encoded, strict=True):
            rows[i] = row
    matrix = np.vstack([r for r in rows if r is not None]).astype(np.float32)
    return embedders.normalise(matrix), state.name


# Clustering --------------------------------------------------------------------------


def _agglomerative(vectors: np.ndarray) -> np.ndarray:
    """Merge while closer than the threshold; if that leaves more than MAX_K groups of two
    or more, cut the same tree at MAX_K groups instead."""
    from sklearn.cluster import AgglomerativeClustering

    distances = np.clip(1.0 - vectors @ vectors.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    labels = AgglomerativeClustering(
        n_clusters=None,
        distance_threshold=DISTANCE_THRESHOLD,
        metric="precomputed",
        linkage="average",
    ).fit_predict(distances)
    if int((np.bincount(labels) >= 2).sum()) > MAX_K:
        labels = AgglomerativeClustering(
            n_clusters=MAX_K, metric="precomputed", linkage="average"
        ).fit_predict(distances)
    return np.asarray(labels)


def _kmeans(vectors: np.ndarray) -> np.ndarray:
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    n = vectors.shape[0]
    distinct = len(np.unique(np.round(vectors, 5), axis=0))  # copies cannot be split
    best: tuple[float, int, np.ndarray] | None = None
    for k in range(2, max(2, min(MAX_K, n // 4, distinct)) + 1):
        labels = KMeans(n_clusters=k, random_state=0, n_init=4).fit_predict(vectors)
        if len(set(labels.tolist())) < 2:
            continue
        score = float(
            silhouette_score(
                vectors, labels, metric="cosine", sample_size=min(n, 2000), random_state=0
            )
        )
        if best is None or score > best[0] + 1e-9:
            best = (score, k, labels)
    return best[2] if best is not None else np.zeros(n, dtype=int)


# Labels ------------------------------------------------------------------------------


def _terms(text: str) -> list[tuple[str, str]]:
    """(stem-term, written form) for words and adjacent word pairs of a text."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words: list[tuple[str, str] | None] = []
    for raw in _TOKEN.findall(text):
        low = raw.lower()
        if len(low) < 3 or low in ENGLISH_STOP_WORDS or low in EXTRA_STOP:
            words.append(None)  # a stop word breaks a phrase
            continue
        words.append((stem(low), low))
    out = [w for w in words if w is not None]
    for a, b in itertools.pairwise(words):
        if a is not None and b is not None and a[0] != b[0]:
            out.append((f"{a[0]} {b[0]}", f"{a[1]} {b[1]}"))
    return out


def labels_for(clusters: list[list[str]]) -> list[list[str]]:
    """The most telling terms of each cluster of texts by class-based TF-IDF."""
    tf: list[Counter[str]] = []
    df: list[Counter[str]] = []
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    words_per_cluster: list[int] = []
    for texts in clusters:
        counts: Counter[str] = Counter()
        seen_in: Counter[str] = Counter()
        words = 0
        for text in texts:
            terms = _terms(text)
            words += sum(1 for t, _f in terms if " " not in t)
            for term, form in terms:
                counts[term] += 1
                forms[term][form] += 1
            seen_in.update({t for t, _f in terms})
        tf.append(counts)
        df.append(seen_in)
        words_per_cluster.append(words)
    total: Counter[str] = Counter()
    for counts in tf:
        total.update(counts)
    average = (sum(words_per_cluster) / len(clusters)) if clusters else 0.0
    result: list[list[str]] = []
    for i, counts in enumerate(tf):
        shared = len(clusters[i]) >= 2
        scored = sorted(
            (
                (
                    counts[t] * math.log(1.0 + average / total[t]),
                    t,
                )
                for t in counts
                if not shared or df[i][t] >= 2
            ),
            key=lambda p: (-p[0], p[1]),
        )
        if not scored and shared:
            scored = sorted(
                ((counts[t] * math.log(1.0 + average / total[t]), t) for t in counts),
                key=lambda p: (-p[0], p[1]),
            )
        chosen: list[str] = []
        used: set[str] = set()
        for _score, term in scored:
            parts = set(term.split())
            if parts & used:
                continue
            chosen.append(term)
            used |= parts
            if len(chosen) >= LABEL_TERMS:
                break
        result.append([sorted(forms[t].items(), key=lambda p: (-p[1], p[0]))[0][0] for t in chosen])
    return result


# Putting it together -----------------------------------------------------------------


def _contexts(learnings: list[Any]) -> dict[str, list[str]]:
    groups = sorted({x.group.name for x in learnings if x.group_id})
    sites = sorted({x.site.strip() for x in learnings if (x.site or "").strip()})
    orgs = sorted({x.author.organization.name for x in learnings if x.author.organization_id})
    kinds = sorted({str(x.get_kind_display()) for x in learnings})
    return {"groups": groups, "sites": sites, "organizations": orgs, "kinds": kinds}


def group_into_themes(*, viewer: Any, learnings: list[Any]) -> ThemeSet:
    """Themes of these learnings (already checked visible by the caller)."""
    learnings = sorted(learnings, key=lambda x: x.pk)
    n = len(learnings)
    if n < MIN_ITEMS:
        raise ValidationError(
            {"learning_ids": _("Choose at least %(n)d learnings to group.") % {"n": MIN_ITEMS}}
        )
    vectors, model = _vectors(learnings)
    if vectors is None:
        labels, method = np.zeros(n, dtype=int), "single"
    elif n <= AGGLOMERATIVE_MAX:
        labels, method = _agglomerative(vectors), "agglomerative"
    else:
        labels, method = _kmeans(vectors), "kmeans"
    members: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels.tolist()):
        members[int(label)].append(i)
    clusters = [rows for rows in members.values() if len(rows) >= 2]
    alone = sorted(i for rows in members.values() if len(rows) < 2 for i in rows)
    texts = [_text(x) for x in learnings]
    groups = clusters + ([alone] if alone else [])
    terms = labels_for([[texts[i] for i in rows] for rows in groups])
    themes: list[Theme] = []
    for g, rows in enumerate(groups):
        other = bool(alone) and g == len(groups) - 1
        if vectors is not None:
            centre = embedders.normalise(vectors[rows].mean(axis=0))
            closeness = vectors[rows] @ centre
            order = sorted(
                range(len(rows)), key=lambda j: (-float(closeness[j]), learnings[rows[j]].pk)
            )
            ordered = [learnings[rows[j]] for j in order]
        else:
            ordered = [learnings[i] for i in rows]
        label = _("Other") if other else " · ".join(terms[g]) or _("Untitled theme")
        themes.append(
            Theme(
                label=label,
                terms=[] if other else terms[g],
                learnings=ordered,
                representatives=ordered[:REPRESENTATIVES],
                other=other,
                **_contexts(ordered),
            )
        )
    themes.sort(key=lambda t: (t.other, -t.size, t.label))
    return ThemeSet(themes=themes, count=n, method=method, model=model)
