"""The one search every page, API call and command goes through.

    search(viewer=..., text=..., filters=Filters(...), mode="auto", page=1, per_page=20)

1. The text is parsed (`search.query`): words, "phrases", prefix*, -excluded. Nothing
   searchable left → a message, never an error.
2. A lexical engine ranks (`LEARNLOOP_SEARCH_ENGINE`: `auto` takes Tantivy when it is
   installed and its index is ready, else the database's own full-text; `native` or
   `tantivy` force one). The semantic layer ranks too when it is there; `fused` (and `auto`
   when vectors exist) combines both lists by reciprocal-rank fusion.
3. **Every id an engine returns is checked again** against the database with
   `core.access.visible_q(viewer)` and the filters before anything is shown, and snippets
   are cut from the current text. Counts and facets come from the engine's query, which is
   restricted to the same visibility and filters (in fused mode they are the lexical ones:
   semantic matches have no count).
4. Text shown is escaped here and only our own <mark> tags are added around matched words.

With no words but some filters, it lists the newest items that pass them ("browse").
"""

from __future__ import annotations

import functools
import importlib
import logging
import math
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.search import fusion
from learnloop.search.documents import MARK_END, MARK_START
from learnloop.search.engine import FACETS, Filters, Hits, LexicalEngine, ParsedQuery, Scope
from learnloop.search.models import ItemType, SearchDocument
from learnloop.search.native import NativeEngine, facet_counts, filters_q
from learnloop.search.query import as_text, parse, with_last_word_as_prefix

logger = logging.getLogger(__name__)

MODES = ("auto", "lexical", "semantic", "fused")
MAX_PER_PAGE = 100
MAX_PAGE = 500
FUSION_DEPTH = 100  # each list is cut at this depth before fusing (deeper for deep pages)
SNIPPET_WORDS = 30
FACET_VALUES = 20  # values kept per facet, most frequent first (the page shows 8)


# Engines ------------------------------------------------------------------------------


def optional_module(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            logger.exception("search: %s cannot be imported", module)
        return None
    except ImportError:
        logger.exception("search: %s cannot be imported", module)
        return None


def engine_setting() -> str:
    # settings.SEARCH_ENGINE once settings.py names it; the variable itself until then.
    value = getattr(settings, "SEARCH_ENGINE", None) or os.environ.get(
        "LEARNLOOP_SEARCH_ENGINE", "auto"
    )
    value = str(value).strip().lower()
    return value if value in ("auto", "native", "tantivy") else "auto"


def lexical_engine() -> LexicalEngine:
    """The lexical engine to use now: Tantivy when chosen (or `auto`) and ready, else the
    database's own full-text."""
    if engine_setting() != "native":
        module = optional_module("learnloop.search.tantivy_engine")
        if module is not None and hasattr(module, "get_engine"):
            try:
                engine = module.get_engine()
                ready = engine is not None and bool(getattr(engine, "ready", lambda: True)())
            except Exception:
                logger.exception("search: the Tantivy engine could not be opened")
                ready = False
            if ready:
                return engine
    return NativeEngine()


def semantic_layer() -> Any:
    """`search.semantic` when it is installed (with `semantic_search` and `fuse`)."""
    module = optional_module("learnloop.search.semantic")
    if module is None or not (hasattr(module, "semantic_search") and hasattr(module, "fuse")):
        return None
    return module


def _lexical(
    engine: LexicalEngine,
    query: ParsedQuery,
    scope: Scope,
    filters: Filters,
    *,
    limit: int,
    offset: int = 0,
    facets: bool = False,
) -> tuple[Hits, str]:
    """Rank with the engine; if a derived engine fails, answer from the database's own.
    Documents the derived engine has not caught up with are checked by the database."""
    kw: dict[str, Any] = {"limit": limit, "offset": offset, "facets": facets}
    try:
        hits = engine.search(query, scope, filters, **kw)
    except Exception:
        if isinstance(engine, NativeEngine):
            raise
        logger.exception("search: %s failed; answering with the native engine", engine.name)
        return NativeEngine().search(query, scope, filters, **kw), NativeEngine.name
    return _with_pending(hits, query, scope, filters, limit=limit, offset=offset), engine.name


def _with_pending(
    hits: Hits, query: ParsedQuery, scope: Scope, filters: Filters, *, limit: int, offset: int
) -> Hits:
    """A derived engine leaves out documents changed since it last caught up (normally
    none, for a second) and names them in `pending_ids`: the database's own full-text
    says which of them match now, with the same visibility and filters, and they are
    counted and placed by score (BM25 in both engines)."""
    pending = list(getattr(hits, "pending_ids", None) or [])
    if not pending:
        return hits
    extra = NativeEngine().search(
        query, scope, filters, limit=len(pending), facets=True, within=pending
    )
    if not extra.doc_ids:
        return hits
    hits.total += extra.total
    for name, values in extra.facets.items():
        into = hits.facets.setdefault(name, {})
        for value, n in values.items():
            into[value] = into.get(value, 0) + n
    scored = len(hits.scores) == len(hits.doc_ids)
    rows = list(
        zip(hits.doc_ids, hits.scores if scored else [0.0] * len(hits.doc_ids), strict=True)
    )
    full = len(rows) >= limit
    low = min(s for _i, s in rows) if (rows and full) else float("-inf")
    high = float("inf") if offset <= 0 else max((s for _i, s in rows), default=float("-inf"))
    taken = set(hits.doc_ids)
    for doc_id, score in zip(extra.doc_ids, extra.scores, strict=False):
        if doc_id in taken:
            continue
        if not scored:
            if offset <= 0:
                rows.insert(0, (doc_id, float("inf")))
            continue
        if low <= score <= high:
            rows.append((doc_id, score))
    rows.sort(key=lambda r: -r[1])
    hits.doc_ids = [i for i, _s in rows]
    hits.scores = [s for _i, s in rows]
    return hits


def _semantic(
    layer: Any, text: str, scope: Scope, filters: Filters, limit: int
) -> tuple[Hits, str]:
    """The semantic matches and the name of the model that ranked them (the fusion policy
    knows how weak a cosine is per model); "" when no model answered."""
    try:
        state = layer.prepare()
        if state is None:
            return Hits(doc_ids=[]), ""
        hits = layer.semantic_search(text, scope, filters, limit, state=state)
    except Exception:
        logger.exception("search: the semantic layer failed; answering by words only")
        return Hits(doc_ids=[]), ""
    return (hits if isinstance(hits, Hits) else Hits(doc_ids=list(hits or []))), state.name


# Results --------------------------------------------------------------------------------


@dataclass
class ResultItem:
    document_id: int
    item_type: str
    type_label: str
    item_id: int
    title: str
    title_html: SafeString
    url: str
    snippet: SafeString
    kind: str = ""
    kind_label: str = ""
    stage: str = ""
    stage_label: str = ""
    stage_help: str = ""
    group_id: int | None = None
    group_name: str = ""
    author_id: int | None = None
    author_name: str = ""
    organization_id: int | None = None
    organization_name: str = ""
    site: str = ""
    visibility: str = ""
    date: datetime | None = None


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    query: ParsedQuery
    results: list[ResultItem] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    mode: str = "lexical"  # the mode that answered: lexical, semantic, fused, browse, none
    engine: str = ""
    message: str = ""

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def start(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.results else 0

    @property
    def end(self) -> int:
        return self.start + len(self.results) - 1 if self.results else 0


# Labels ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _labels(language: str | None) -> dict[str, dict[str, str]]:
    """Every choice label search shows, translated once per language (a page used to
    rebuild these lists for every row). `language` is only the cache key: the labels are
    translated into the active language, which is the one given."""
    from learnloop.capture.models import ProductKind
    from learnloop.consolidation.models import STAGE_HELP, Stage
    from learnloop.generation.models import LearningKind
    from learnloop.people.models import StakeholderType

    return {
        "learning": {k: str(v) for k, v in LearningKind.choices},
        "product": {k: str(v) for k, v in ProductKind.choices},
        "person": {k: str(v) for k, v in StakeholderType.choices},
        "type": {k: str(v) for k, v in ItemType.choices},
        "stage": {s.value: str(s.label) for s in Stage},
        "stage_help": {s.value: str(STAGE_HELP.get(s, "")) for s in Stage},
    }


def _active_labels() -> dict[str, dict[str, str]]:
    return _labels(get_language())


KIND_TYPES = ("learning", "product", "person")


def kind_label(item_type: str, kind: str) -> str:
    if not kind:
        return ""
    labels = _active_labels()
    if item_type in KIND_TYPES:
        return labels[item_type].get(kind, kind)
    for name in KIND_TYPES:  # a facet value, whatever type it came from
        if kind in labels[name]:
            return labels[name][kind]
    return kind


def stage_label(stage: str) -> tuple[str, str]:
    labels = _active_labels()
    if stage not in labels["stage"]:
        return "", ""
    return labels["stage"][stage], labels["stage_help"][stage]


def type_label(item_type: str) -> str:
    return _active_labels()["type"].get(item_type, item_type)


_URLS = {
    "learning": ("generation:learning", "sharing:public_learning"),
    "idea": ("consolidation:idea", "sharing:public_idea"),
    "question": ("generation:question", "sharing:public_question"),
    "product": ("capture:product", "sharing:public_product"),
}


def item_url(item_type: str, item_id: int, *, member: bool, username: str = "") -> str:
    if item_type == "person":
        return reverse("people:person", args=[username]) if username else ""
    inside, public = _URLS[item_type]
    # Visitors without an account read public items on the public site.
    name = inside if member else public
    around = _url_around_id(name, get_script_prefix(), get_urlconf())
    if around is None:
        return reverse(name, args=[item_id])
    return f"{around[0]}{int(item_id)}{around[1]}"


_SOME_ID = 918273645  # stands for the id in a reversed URL, then is cut out


@functools.lru_cache(maxsize=64)
def _url_around_id(name: str, script_prefix: str, urlconf: Any) -> tuple[str, str] | None:
    """The URL of `name` before and after its one id argument: reversing once per route
    instead of for every row (the prefix and urlconf are part of the key: they change
    what `reverse` answers). None if the id does not appear as written."""
    head, found, tail = reverse(name, args=[_SOME_ID]).partition(str(_SOME_ID))
    return (head, tail) if found else None


# Highlighting ----------------------------------------------------------------------------

_MARKED = re.compile(re.escape(MARK_START) + "(.*?)" + re.escape(MARK_END), re.DOTALL)


def marked(text: str) -> SafeString:
    """Escape the text, then wrap the engine's marked words in <mark>: the only markup a
    snippet can carry."""
    html = _MARKED.sub(r"<mark>\1</mark>", str(escape(text)))
    return mark_safe(html.replace(MARK_START, "").replace(MARK_END, ""))  # noqa: S308


def lead(text: str, words: int = SNIPPET_WORDS) -> str:
    parts = (text or "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


# The search --------------------------------------------------------------------------------


def has_filters(filters: Filters) -> bool:
    return any(
        (
            filters.item_types,
            filters.kinds,
            filters.stages,
            filters.group_ids,
            filters.organization_ids,
            filters.author_ids,
            filters.since,
            filters.until,
        )
    )


def search(
    *,
    viewer: Any,
    text: str | None,
    filters: Filters | None = None,
    mode: str = "auto",
    page: int = 1,
    per_page: int = 20,
) -> SearchResult:
    """Search as `viewer`. Never raises for odd text: the result carries a message."""
    query = parse(text)
    filters = filters or Filters()
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    result = SearchResult(query=query, page=page, per_page=per_page, message=query.message)
    if page > MAX_PAGE:
        result.message = _("Results stop at page %(n)d: add a word or a filter.") % {"n": MAX_PAGE}
        result.mode = "none"
        return result
    scope = Scope.for_viewer(viewer)
    offset = (page - 1) * per_page
    if query.is_empty:
        if query.excluded or not has_filters(filters):
            result.mode = "none"
            return result
        result.message = ""
        ids, total, facets = _browse(viewer, filters, offset, per_page)
        result.mode, result.engine = "browse", NativeEngine.name
    else:
        ids, total, facets, result.mode, result.engine = _ranked(
            viewer, query, scope, filters, mode if mode in MODES else "auto", offset, per_page
        )
    result.total = total
    facets = _top_facets(facets, filters)
    names: dict[str, dict[Any, str]] = {}
    result.results = _render(viewer, ids, query, filters, names, facets)
    result.facets = _facet_values(viewer, facets, filters, names)
    if not result.results and not result.message:
        if offset and total:
            result.message = _("There are no more results: go back a page.")
        elif has_filters(filters):
            result.message = _("Nothing matches these words and filters. Try fewer filters.")
        else:
            result.message = _("Nothing matches. Try other words, or fewer of them.")
    return result


def _ranked(
    viewer: Any,
    query: ParsedQuery,
    scope: Scope,
    filters: Filters,
    mode: str,
    offset: int,
    per_page: int,
) -> tuple[list[int], int, dict[str, dict[str, int]], str, str]:
    engine = lexical_engine()
    layer = semantic_layer() if mode != "lexical" else None
    depth = max(FUSION_DEPTH, offset + per_page)
    semantic, model_name = Hits(doc_ids=[]), ""
    if layer is not None:
        semantic, model_name = _semantic(layer, as_text(query), scope, filters, depth)
        if semantic.doc_ids and query.excluded:
            drop = NativeEngine().matching(semantic.doc_ids, query.excluded)
            keep = [k for k, i in enumerate(semantic.doc_ids) if i not in drop]
            if len(semantic.scores) == len(semantic.doc_ids):
                semantic.scores = [semantic.scores[k] for k in keep]
            semantic.doc_ids = [semantic.doc_ids[k] for k in keep]
    if mode == "semantic" and semantic.doc_ids:
        ids = semantic.doc_ids
        total, facets = _counted(viewer, ids, filters)
        return ids[offset : offset + per_page], total, facets, "semantic", "semantic"
    if layer is not None and mode in ("auto", "fused", "semantic") and semantic.doc_ids:
        lexical, name = _lexical(engine, query, scope, filters, limit=depth, facets=True)
        fused = fusion.fuse_for_search(lexical, semantic, model_name=model_name)
        known = set(lexical.doc_ids)
        extra, _facets = _counted(viewer, [i for i in fused if i not in known], filters)
        total = lexical.total + extra
        return fused[offset : offset + per_page], total, lexical.facets, "fused", name
    lexical, name = _lexical(
        engine, query, scope, filters, limit=per_page, offset=offset, facets=True
    )
    return lexical.doc_ids, lexical.total, lexical.facets, "lexical", name


def _counted(
    viewer: Any, ids: list[int], filters: Filters
) -> tuple[int, dict[str, dict[str, int]]]:
    """Count and facets of a list of documents (semantic matches have no count of their
    own), over those the viewer may see only."""
    if not ids:
        return 0, {}
    rows = _by_ids_with_rule(viewer, ids, filters).values_list(*FACETS, "passes")
    return facet_counts((*row[:-1], 1) for row in rows if row[-1])


def _by_ids_with_rule(viewer: Any, ids: list[int], filters: Filters | None) -> Any:
    """The documents with these ids, each with `passes`: whether the viewer may see it
    (and it passes the filters). The ids choose the rows (by primary key) and the database
    evaluates the rule on each of them: as a WHERE clause, the rule may be planned over
    the visibility index, which reads every visible document (SQLite without fresh
    statistics: 10 to 30 ms at 100,000 documents, for a page of 20)."""
    rule = access.visible_q(viewer)
    if filters is not None:
        rule &= filters_q(filters)
    return SearchDocument.objects.filter(pk__in=ids).annotate(
        passes=ExpressionWrapper(rule, output_field=BooleanField())
    )


def _browse(
    viewer: Any, filters: Filters, offset: int, per_page: int
) -> tuple[list[int], int, dict[str, dict[str, int]]]:
    qs = SearchDocument.objects.filter(access.visible_q(viewer), filters_q(filters))
    rows = qs.values_list(*FACETS).annotate(n=Count("id")).order_by()
    total, facets = facet_counts(rows)
    ids = list(qs.order_by("-created_at", "-id").values_list("pk", flat=True)[
        offset : offset + per_page
    ])  # fmt: skip
    return ids, total, facets


def visible_documents(viewer: Any, ids: list[int], filters: Filters | None = None) -> list[Any]:
    """The documents among `ids` that the viewer may see now (and that pass the filters),
    in the order given: the check every engine's answer goes through."""
    if not ids:
        return []
    found = {d.pk: d for d in _by_ids_with_rule(viewer, ids, filters) if d.passes}
    return [found[i] for i in ids if i in found]


def _render(
    viewer: Any,
    ids: list[int],
    query: ParsedQuery,
    filters: Filters,
    names: dict[str, dict[Any, str]],
    facets: dict[str, dict[str, int]] | None = None,
) -> list[ResultItem]:
    """The page's results, checked against the database first. `names` is filled with the
    names of the authors, groups and organizations it loaded, those of the `facets` too
    (the facets reuse them)."""
    docs = visible_documents(viewer, ids, filters)
    if not docs:
        return []
    snippets = NativeEngine().snippets([d.pk for d in docs], query) if not query.is_empty else {}
    member = access.is_member(viewer)
    names.update(_names(docs, member, facets))
    items = []
    for d in docs:
        title_marked, body_marked = snippets.get(d.pk, ("", ""))
        label, help_text = stage_label(d.stage)
        items.append(
            ResultItem(
                document_id=d.pk,
                item_type=d.item_type,
                type_label=type_label(d.item_type),
                item_id=d.item_id,
                title=d.title,
                title_html=marked(title_marked) if title_marked else escape(d.title),
                url=item_url(
                    d.item_type,
                    d.item_id,
                    member=member,
                    username=names["usernames"].get(d.item_id, "")
                    if d.item_type == "person"
                    else "",
                ),
                snippet=marked(body_marked) if body_marked else escape(lead(d.body)),
                kind=d.kind,
                kind_label=kind_label(d.item_type, d.kind),
                stage=d.stage,
                stage_label=label,
                stage_help=help_text,
                group_id=d.group_id if member else None,
                group_name=names["groups"].get(d.group_id, "") if member else "",
                author_id=d.author_id,
                author_name=names["people"].get(d.author_id, ""),
                organization_id=d.organization_id if member else None,
                organization_name=names["organizations"].get(d.organization_id, ""),
                site=d.site,
                visibility=d.visibility,
                date=d.created_at,
            )
        )
    return items


def _names(
    docs: list[Any], member: bool, facets: dict[str, dict[str, int]] | None = None
) -> dict[str, dict[Any, str]]:
    """Names of the authors, groups and organizations on a page and in its facets, a query
    each."""
    from learnloop.people.models import Group, Organization, Person

    people: dict[Any, str] = {}
    usernames: dict[Any, str] = {}
    author_ids = {d.author_id for d in docs if d.author_id}
    for person in Person.objects.filter(pk__in=author_ids).only(
        "id", "username", "display_name", "first_name", "last_name"
    ):
        people[person.pk] = person.name
        usernames[person.pk] = person.username
    groups: dict[Any, str] = {}
    organizations: dict[Any, str] = {}
    if member:
        group_ids = {d.group_id for d in docs if d.group_id} | _facet_ids(facets, "group_id")
        if group_ids:
            groups = dict(Group.objects.filter(pk__in=group_ids).values_list("pk", "name"))
        org_ids = {d.organization_id for d in docs if d.organization_id}
        org_ids |= _facet_ids(facets, "organization_id")
        if org_ids:
            organizations = dict(
                Organization.objects.filter(pk__in=org_ids).values_list("pk", "name")
            )
    return {
        "people": people,
        "usernames": usernames,
        "groups": groups,
        "organizations": organizations,
    }


def _top_facets(facets: dict[str, dict[str, int]], filters: Filters) -> dict[str, dict[str, int]]:
    """The FACET_VALUES most frequent values of each facet, and any chosen one: all a page
    or an API answer shows, and all that needs a name looked up (a member's group facet
    can hold hundreds of groups)."""
    chosen = {
        "group_id": {str(i) for i in filters.group_ids},
        "organization_id": {str(i) for i in filters.organization_ids},
        "item_type": set(filters.item_types),
        "kind": set(filters.kinds),
        "stage": set(filters.stages),
    }
    out: dict[str, dict[str, int]] = {}
    for name, values in facets.items():
        if len(values) <= FACET_VALUES:
            out[name] = values
            continue
        ranked = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
        keep = dict(ranked[:FACET_VALUES])
        keep.update({v: n for v, n in values.items() if v in chosen.get(name, ())})
        out[name] = keep
    return out


def _facet_ids(facets: dict[str, dict[str, int]] | None, name: str) -> set[int]:
    return {int(v) for v in (facets or {}).get(name, {}) if v.isdigit()}


def _facet_values(
    viewer: Any,
    facets: dict[str, dict[str, int]],
    filters: Filters,
    known: dict[str, dict[Any, str]] | None = None,
) -> dict[str, list[FacetValue]]:
    """Facet counts with labels, most frequent first. Groups and organizations are named
    for members only (visitors do not see the network's structure)."""
    from learnloop.people.models import Group, Organization

    member = access.is_member(viewer)
    chosen = {
        "item_type": set(filters.item_types),
        "kind": set(filters.kinds),
        "stage": set(filters.stages),
        "group_id": {str(i) for i in filters.group_ids},
        "organization_id": {str(i) for i in filters.organization_ids},
    }
    known = known or {}
    names: dict[str, dict[str, str]] = {
        "group_id": {str(k): v for k, v in known.get("groups", {}).items()},
        "organization_id": {str(k): v for k, v in known.get("organizations", {}).items()},
    }
    if member:
        for facet, model in (("group_id", Group), ("organization_id", Organization)):
            missing = [int(v) for v in facets.get(facet, {}) if v not in names[facet]]
            if missing:
                rows = model.objects.filter(pk__in=missing).values_list("pk", "name")
                names[facet].update({str(pk): name for pk, name in rows})
    out: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        if name in ("group_id", "organization_id") and not member:
            continue
        values = []
        for value, count in facets.get(name, {}).items():
            if name == "item_type":
                label = type_label(value)
            elif name == "kind":
                label = kind_label("", value)
            elif name == "stage":
                label = stage_label(value)[0] or value
            else:
                label = names[name].get(value, "")
                if not label:
                    continue  # a group or organization that no longer exists
            values.append(FacetValue(value, label, count, value in chosen[name]))
        values.sort(key=lambda v: (-v.count, v.label.lower()))
        out[name] = values
    return out


# Suggestions while typing -------------------------------------------------------------------


@dataclass
class Suggestion:
    title: str
    url: str
    type_label: str


def suggest(*, viewer: Any, text: str | None, limit: int = 6) -> list[Suggestion]:
    """Up to `limit` titles for what someone is typing (the last word may be unfinished)."""
    query = with_last_word_as_prefix(text or "")
    if query.is_empty:
        return []
    scope = Scope.for_viewer(viewer)
    hits, _name = _lexical(lexical_engine(), query, scope, Filters(), limit=limit * 2)
    docs = visible_documents(viewer, hits.doc_ids)[:limit]
    member = access.is_member(viewer)
    usernames: dict[int, str] = {}
    people = [d.item_id for d in docs if d.item_type == "person"]
    if people:
        from learnloop.people.models import Person

        usernames = dict(Person.objects.filter(pk__in=people).values_list("pk", "username"))
    return [
        Suggestion(
            title=d.title,
            url=item_url(
                d.item_type, d.item_id, member=member, username=usernames.get(d.item_id, "")
            ),
            type_label=type_label(d.item_type),
        )
        for d in docs
    ]
