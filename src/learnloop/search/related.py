"""Related items (a panel on every learning and idea page) and duplicate suggestions while
someone writes a learning or an idea.

Both fuse two lists, each already limited to what the viewer may see: the lexical engine
over the item's (or the draft's) rarest words, and the semantic index over its vector.
Every id is then re-checked against the database with `core.access.visible_q`, in the same
query that loads what the panel shows, so nothing the viewer may not see is ever named.

A draft is never stored: it is encoded in memory, searched, and forgotten.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnloop.core import access
from learnloop.search import embedders, semantic
from learnloop.search.engine import Filters, Scope
from learnloop.search.models import ItemType, SearchDocument

RELATED_LIMIT = 6
SIMILAR_LIMIT = 3
SIMILAR_MIN_WORDS = 3
RELATED_MIN_COSINE = 0.1  # below this, a semantic neighbour says nothing
CACHE_SECONDS = 600
RELATED_TYPES = (ItemType.LEARNING, ItemType.IDEA, ItemType.QUESTION, ItemType.PRODUCT)
DRAFT_TYPES = (ItemType.LEARNING, ItemType.IDEA)
URL_NAMES = {
    ItemType.LEARNING: "generation:learning",
    ItemType.IDEA: "consolidation:idea",
    ItemType.QUESTION: "generation:question",
    ItemType.PRODUCT: "capture:product",
}
REASON_WORDS = gettext_lazy("similar words")
REASON_MEANING = gettext_lazy("similar topic")


@dataclass
class Suggestion:
    """One item shown in a panel: what it is, where it lives and why it is there."""

    document: SearchDocument
    url: str
    reasons: list[str] = field(default_factory=list)
    score: float = 0.0

    @property
    def item_type(self) -> str:
        return self.document.item_type

    @property
    def item_id(self) -> int:
        return self.document.item_id

    @property
    def title(self) -> str:
        return self.document.title

    @property
    def type_label(self) -> str:
        return str(ItemType(self.document.item_type).label)

    @property
    def stage(self) -> str:
        from learnloop.consolidation.models import Stage

        return self.document.stage if self.document.stage in Stage.values else ""

    @property
    def stage_label(self) -> str:
        from learnloop.consolidation.models import Stage

        return str(Stage(self.stage).label) if self.stage else ""

    @property
    def stage_help(self) -> str:
        from learnloop.consolidation.models import STAGE_HELP, Stage

        return str(STAGE_HELP[Stage(self.stage)]) if self.stage else ""


def url_for(item_type: str, item_id: int) -> str:
    return reverse(URL_NAMES[ItemType(item_type)], args=[item_id])


def document_of(item_type: str, item: Any) -> SearchDocument | None:
    return SearchDocument.objects.filter(item_type=item_type, item_id=item.pk).first()


def item_text(item_type: str, item: Any) -> tuple[str, str]:
    """Title and plain body of an item, for when its search document is not written yet."""
    from learnloop.core.markdown import plain_text

    body = getattr(item, "body", None) or getattr(item, "summary", None) or ""
    return str(getattr(item, "title", "")), plain_text(body, 5000)


def present(
    viewer: Any,
    ranked: list[int],
    reasons: dict[int, list[str]],
    *,
    limit: int,
    skip: set[tuple[str, int]] | frozenset[tuple[str, int]] = frozenset(),
    scores: dict[int, float] | None = None,
) -> list[Suggestion]:
    """The first `limit` of `ranked` that the viewer may see (one query), in order."""
    if not ranked:
        return []
    docs = {
        d.pk: d
        for d in SearchDocument.objects.filter(access.visible_q(viewer), pk__in=ranked).only(
            "pk", "item_type", "item_id", "title", "stage", "kind", "visibility"
        )
    }
    shown: list[Suggestion] = []
    for doc_id in ranked:
        doc = docs.get(doc_id)
        if doc is None or (doc.item_type, doc.item_id) in skip or doc.item_type not in URL_NAMES:
            continue
        shown.append(
            Suggestion(
                document=doc,
                url=url_for(doc.item_type, doc.item_id),
                reasons=[str(r) for r in reasons.get(doc_id, [])],
                score=(scores or {}).get(doc_id, 0.0),
            )
        )
        if len(shown) >= limit:
            break
    return shown


# Related items -----------------------------------------------------------------------


def _linked(item_type: str, item: Any) -> set[tuple[str, int]]:
    """Items already linked to this one as evidence (they are on the page already)."""
    from learnloop.consolidation.models import Evidence

    if item_type == ItemType.LEARNING:
        ideas = Evidence.objects.filter(learning_id=item.pk).values_list("idea_id", flat=True)
        return {(ItemType.IDEA.value, pk) for pk in ideas}
    if item_type == ItemType.IDEA:
        learnings = Evidence.objects.filter(idea_id=item.pk).values_list("learning_id", flat=True)
        return {(ItemType.LEARNING.value, pk) for pk in learnings}
    return set()


def _fused_candidates(
    text: str,
    vector: np.ndarray | None,
    scope: Scope,
    filters: Filters,
    *,
    depth: int,
    min_cosine: float | None,
    state: semantic.ModelState | None,
) -> tuple[list[int], dict[int, list[str]], dict[int, float]]:
    lexical = semantic.lexical_text_search(text, scope, filters, limit=depth)
    cosines: dict[int, float] = {}
    meaning: list[int] = []
    if vector is not None and state is not None:
        hits = semantic.semantic_search(
            vector, scope, filters, depth, min_score=min_cosine, state=state
        )
        meaning = hits.doc_ids
        cosines = dict(zip(hits.doc_ids, hits.scores, strict=True))
    ranked = semantic.fuse([lexical, meaning])
    words, close = set(lexical), set(meaning)
    reasons = {
        d: [r for r, hit in ((REASON_WORDS, d in words), (REASON_MEANING, d in close)) if hit]
        for d in ranked
    }
    return ranked, reasons, cosines  # type: ignore[return-value]


def related_items(
    *, viewer: Any, item_type: str, item: Any, limit: int = RELATED_LIMIT
) -> list[Suggestion]:
    """Up to `limit` items close to `item` that the viewer may see: not the item itself,
    not items already linked to it as evidence. Callers check that the viewer may see the
    item (`access.get_for`)."""
    from learnloop.core.pagecache import content_version

    scope = Scope.for_viewer(viewer)
    document = document_of(item_type, item)
    state = semantic.prepare()
    marks = (state.identity, state.change_mark, state.vector_mark) if state else None
    parts = (item_type, item.pk, semantic.scope_key(scope), content_version(), marks)
    key = "learnloop:related:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    skip = {(item_type, item.pk), *_linked(item_type, item)}
    cached = cache.get(key)
    if cached is None:
        exclude = (document.pk,) if document is not None else ()
        filters = Filters(item_types=tuple(t.value for t in RELATED_TYPES), exclude_ids=exclude)
        if document is not None:
            title, body = document.title, document.body
            vector = semantic.document_vector(document, state=state)
        else:
            title, body = item_text(item_type, item)
            vector = semantic.text_vector(embedders.document_text(title, body), state=state)
        ranked, reasons, _cos = _fused_candidates(
            embedders.document_text(title, body),
            vector,
            scope,
            filters,
            depth=semantic.RELATED_DEPTH,
            min_cosine=RELATED_MIN_COSINE,
            state=state,
        )
        ranked = ranked[: (limit + len(skip)) * 3]
        cached = (ranked, {d: [str(r) for r in reasons[d]] for d in ranked})
        cache.set(key, cached, CACHE_SECONDS)
    ranked, reasons = cached
    return present(viewer, ranked, reasons, limit=limit, skip=skip)


# Duplicates while writing ------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]{2,}")


def word_count(text: str) -> int:
    return len(_WORD.findall(text or ""))


def _content_words(text: str) -> set[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return {w for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS and len(w) > 2}


def similar_drafts(
    *, viewer: Any, title: str, body: str = "", limit: int = SIMILAR_LIMIT
) -> list[Suggestion]:
    """Existing learnings and ideas the viewer may see that look like the draft, above a
    similarity floor (cosine ≥ 0.6 under the SVD model, 0.75 under MiniLM; by shared words
    when no model exists yet). Empty for fewer than three words."""
    title, body = (title or "")[:300], (body or "")[:6000]
    if word_count(f"{title} {body}") < SIMILAR_MIN_WORDS:
        return []
    scope = Scope.for_viewer(viewer)
    filters = Filters(item_types=tuple(t.value for t in DRAFT_TYPES))
    text = embedders.document_text(title, body)
    state = semantic.prepare()
    vector = semantic.text_vector(text, state=state) if state else None
    floor = semantic.similarity_floor(state)
    ranked, reasons, cosines = _fused_candidates(
        text, vector, scope, filters, depth=50, min_cosine=floor * 0.8, state=state
    )
    candidates = ranked[:30]
    if vector is not None and state is not None:
        # A lexical hit counts only if it is close in meaning too: check its cosine.
        index = semantic.current_index(state)
        unknown = [d for d in candidates if d not in cosines]
        for doc_id in unknown:
            found = index.vector_of(doc_id) if index is not None else None
            if found is not None:
                cosines[doc_id] = float(found @ vector)
        texts = {
            pk: embedders.document_text(t, b)
            for pk, t, b in SearchDocument.objects.filter(
                pk__in=[d for d in unknown if d not in cosines]
            ).values_list("pk", "title", "body")
        }
        if texts:
            rows = semantic.embedder_for(state).encode(list(texts.values()))
            for doc_id, row in zip(texts, rows, strict=True):
                cosines[doc_id] = float(row @ vector)
        kept = [d for d in candidates if cosines.get(d, 0.0) >= floor]
    else:
        kept = _by_shared_words(text, candidates)
        cosines = {}
    return present(viewer, kept, reasons, limit=limit, scores=cosines)


def _by_shared_words(text: str, candidates: list[int]) -> list[int]:
    """Without vectors: candidates whose title and text share most of the draft's words."""
    mine = _content_words(text)
    if len(mine) < 2:
        return []
    rows = {
        pk: f"{t} {b}"
        for pk, t, b in SearchDocument.objects.filter(pk__in=candidates).values_list(
            "pk", "title", "body"
        )
    }
    kept = []
    for doc_id in candidates:
        theirs = _content_words(rows.get(doc_id, ""))
        if len(mine & theirs) >= max(2, int(0.6 * len(mine) + 0.5)):
            kept.append(doc_id)
    return kept


def hint_for(draft_type: str, suggestion: Suggestion) -> dict[str, str]:
    """What to do instead of posting a copy: a sentence and a link."""
    if suggestion.item_type == ItemType.IDEA and draft_type == ItemType.LEARNING:
        return {
            "text": _("Your learning may be evidence for this idea."),
            "link": suggestion.url + "#link",
            "label": _("Add as evidence to this idea"),
        }
    if suggestion.item_type == ItemType.LEARNING and draft_type == ItemType.IDEA:
        return {
            "text": _("This learning may be where your idea starts."),
            "link": reverse("consolidation:idea_create") + f"?from_learning={suggestion.item_id}",
            "label": _("Start the idea from this learning"),
        }
    if suggestion.item_type == ItemType.IDEA:
        return {
            "text": _("If it is the same idea, endorse it or add evidence to it instead."),
            "link": suggestion.url,
            "label": _("Link instead: open the idea"),
        }
    return {
        "text": _("If it is the same, add what you saw there as a comment instead."),
        "link": suggestion.url,
        "label": _("Link instead: open the learning"),
    }
