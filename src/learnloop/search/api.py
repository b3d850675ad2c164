"""The JSON API for search: `GET /api/v1/search`, and (from the semantic layer, when it is
installed) related items, similar drafts, themes and who could help, under /search/."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from learnloop.core import access
from learnloop.core.api_support import viewer
from learnloop.search import searching
from learnloop.search.engine import Filters
from learnloop.search.forms import author_id_for
from learnloop.search.models import ItemType

router = Router()

Stage = Literal["emerging", "testing", "promising", "knowledge", "scaling", "returned"]
Mode = Literal["auto", "lexical", "semantic", "fused"]


class SearchParams(Schema):
    q: str = Field("", description='What to look for: words, "phrases", prefix*, -word.')
    type: list[ItemType] = Field([], description="learning, idea, question, product, person")
    kind: list[str] = Field([], description="Kind of learning or product, or stakeholder type")
    stage: list[Stage] = Field([], description="Stage of ideas (and of products' ideas)")
    group: list[int] = Field([], description="Group ids")
    organization: list[int] = Field([], description="Organization ids")
    author: list[str] = Field([], description="Author ids or usernames")
    since: date | None = Field(None, description="Written on or after (YYYY-MM-DD)")
    until: date | None = Field(None, description="Written on or before (YYYY-MM-DD)")
    mode: Mode = Field("auto", description="auto, lexical, semantic or fused")
    page: int = Field(1, ge=1, le=searching.MAX_PAGE)
    per_page: int = Field(20, ge=1, le=searching.MAX_PER_PAGE)


class Ref(Schema):
    id: int
    name: str


class SearchHit(Schema):
    document_id: int
    item_type: str
    type_label: str
    item_id: int
    title: str
    title_html: str = Field(description="The title, escaped, with matched words in <mark>")
    url: str
    snippet: str = Field(description="An excerpt, escaped, with matched words in <mark>")
    kind: str
    kind_label: str
    stage: str
    stage_label: str
    group: Ref | None = None
    author: Ref | None = None
    organization: Ref | None = None
    site: str
    date: datetime | None = None


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    query: str
    results: list[SearchHit]
    total: int
    page: int
    per_page: int
    pages: int
    facets: dict[str, list[FacetValueOut]]
    mode: str = Field(description="How the results were ranked: lexical, semantic, fused…")
    engine: str
    message: str


def _ref(pk: int | None, name: str) -> dict[str, Any] | None:
    return {"id": pk, "name": name} if pk is not None and name else None


@router.get("/search", response=SearchOut)
def search(request: HttpRequest, query: Query[SearchParams]) -> Any:
    """Search everything the caller may see. Odd text gives results or a `message`, never
    an error; a filter with a bad value gives 422 naming the field. Groups, organizations,
    authors and people are for members."""
    person = viewer(request)
    member = access.is_member(person)
    if query.since and query.until and query.since > query.until:
        raise ValidationError({"until": _("The end date is before the start date.")})
    if len(query.q) > 10_000:
        raise ValidationError({"q": _("Search with fewer words (at most 10,000 characters).")})
    authors = [a for a in (author_id_for(v) for v in query.author) if a is not None]
    types = tuple(str(t) for t in query.type if member or t != ItemType.PERSON)
    if query.type and not types:
        types = ("-",)  # only people were asked for, by a visitor: nothing
    filters = Filters(
        item_types=types,
        kinds=tuple(k[:20] for k in query.kind if k),
        stages=tuple(query.stage),
        group_ids=tuple(query.group) if member else (),
        organization_ids=tuple(query.organization) if member else (),
        author_ids=tuple(authors) if member else (),
        since=query.since,
        until=query.until,
    )
    result = searching.search(
        viewer=person,
        text=query.q,
        filters=filters,
        mode=query.mode,
        page=query.page,
        per_page=query.per_page,
    )
    return {
        "query": result.query.raw,
        "results": [
            {
                **{k: getattr(r, k) for k in SearchHit.model_fields if hasattr(r, k)},
                "title_html": str(r.title_html),
                "snippet": str(r.snippet),
                "group": _ref(r.group_id, r.group_name),
                "author": _ref(r.author_id, r.author_name),
                "organization": _ref(r.organization_id, r.organization_name),
            }
            for r in result.results
        ],
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in result.facets.items()
        },
        "mode": result.mode,
        "engine": result.engine,
        "message": result.message,
    }


def _mount_semantic() -> None:
    """The semantic layer's endpoints (related, similar, themes, who could help) live in
    `search/semantic_api.py`; they are mounted here when it is installed."""
    try:
        from learnloop.search.semantic_api import router as semantic_router
    except ModuleNotFoundError as exc:
        if exc.name != "learnloop.search.semantic_api":
            raise
        return
    router.add_router("", semantic_router)


_mount_semantic()
