"""The semantic layer's API, mounted inside the search router (so under /api/v1/search/):

* `GET  /search/related/{type}/{id}`        items related to a learning, idea, question or
  knowledge product (404 if the caller may not see it);
* `POST /search/similar`                     existing learnings and ideas like a draft
  (title, body); the draft is never stored;
* `POST /search/themes`                      group learnings into themes (learning ids, or
  a routine id); 404 if any id is not visible;
* `GET  /search/who-could-help/{type}/{id}`  people whose work is close to an idea or a
  question, with the visible items that count.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from learnloop.core import access
from learnloop.core.api_support import MEMBER_AUTH, member, viewer
from learnloop.core.items import item_model
from learnloop.search import helpers, related, themes
from learnloop.search.semantic_views import SIMILAR_RATE

router = Router()

RELATED_TYPES = ("learning", "idea", "question", "product")
HELP_TYPES = ("idea", "question")


def _item(person: Any, item_type: str, item_id: int, allowed: tuple[str, ...]) -> Any:
    if item_type not in allowed:
        raise HttpError(404, "Not found.")
    model = item_model(item_type)
    return access.get_for(person, model.objects.all(), item_id)


class RelatedItemOut(Schema):
    type: str
    id: int
    title: str
    url: str
    kind: str
    stage: str
    reasons: list[str]


class RelatedOut(Schema):
    items: list[RelatedItemOut]


def _out(s: related.Suggestion, **extra: Any) -> dict[str, Any]:
    return {
        "type": s.item_type,
        "id": s.item_id,
        "title": s.title,
        "url": s.url,
        "kind": s.document.kind,
        "stage": s.stage,
        "reasons": s.reasons,
        **extra,
    }


@router.get("/search/related/{item_type}/{item_id}", response=RelatedOut)
def related_get(request: HttpRequest, item_type: str, item_id: int) -> Any:
    """Up to six items close to this one that you may see (not itself, not its evidence)."""
    person = viewer(request)
    item = _item(person, item_type, item_id, RELATED_TYPES)
    if item.deleted_at is not None:
        return {"items": []}
    found = related.related_items(viewer=person, item_type=item_type, item=item)
    return {"items": [_out(s) for s in found]}


class SimilarIn(Schema):
    title: str = Field(..., max_length=300)
    body: str = Field("", max_length=50000)
    type: Literal["learning", "idea"] = "learning"


class SimilarItemOut(RelatedItemOut):
    similarity: float
    hint: str
    hint_url: str


class SimilarOut(Schema):
    items: list[SimilarItemOut]


@router.post("/search/similar", response=SimilarOut, auth=MEMBER_AUTH)
def similar_post(request: HttpRequest, payload: SimilarIn) -> Any:
    """Up to three existing learnings and ideas that look like this draft (from three
    words on). Nothing you send is stored."""
    person = member(request)
    if is_ratelimited(
        request,
        group="search.similar",
        key="user",
        rate=SIMILAR_RATE,
        method="POST",
        increment=True,
    ):
        raise HttpError(429, "Too many requests. Please wait a minute and try again.")
    found = related.similar_drafts(viewer=person, title=payload.title, body=payload.body)
    items = []
    for s in found:
        hint = related.hint_for(payload.type, s)
        items.append(
            _out(s, similarity=round(s.score, 4), hint=hint["label"], hint_url=hint["link"])
        )
    return {"items": items}


class ThemesIn(Schema):
    learning_ids: list[int] = Field(default_factory=list, max_length=themes.MAX_ITEMS)
    routine_id: int | None = None


class ThemeLearningOut(Schema):
    id: int
    title: str
    url: str


class ThemeOut(Schema):
    label: str
    terms: list[str]
    size: int
    other: bool
    representatives: list[ThemeLearningOut]
    learning_ids: list[int]
    groups: list[str]
    sites: list[str]
    organizations: list[str]
    kinds: list[str]


class ThemesOut(Schema):
    count: int
    method: str
    model: str
    themes: list[ThemeOut]


@router.post("/search/themes", response=ThemesOut, auth=MEMBER_AUTH)
def themes_post(request: HttpRequest, payload: ThemesIn) -> Any:
    """Group learnings into themes: give `learning_ids` (all must be visible to you) or the
    `routine_id` of a session (its learnings you may see)."""
    from django.core.exceptions import ValidationError

    from learnloop.consolidation.routine_selectors import get_routine_for

    person = member(request)
    if payload.routine_id is not None:
        routine = get_routine_for(person, payload.routine_id)
        learnings = themes.routine_learnings(person, routine)
    elif payload.learning_ids:
        learnings = themes.learnings_by_ids(person, payload.learning_ids)
    else:
        raise ValidationError({"learning_ids": "Give learning_ids or a routine_id."})
    result = themes.group_into_themes(viewer=person, learnings=learnings)
    return {
        "count": result.count,
        "method": result.method,
        "model": result.model,
        "themes": [
            {
                "label": str(t.label),
                "terms": t.terms,
                "size": t.size,
                "other": t.other,
                "representatives": [
                    {"id": x.pk, "title": x.title, "url": x.get_absolute_url()}
                    for x in t.representatives
                ],
                "learning_ids": [x.pk for x in t.learnings],
                "groups": t.groups,
                "sites": t.sites,
                "organizations": t.organizations,
                "kinds": t.kinds,
            }
            for t in result.themes
        ],
    }


class BecauseOut(Schema):
    verb: str
    title: str
    url: str


class HelperOut(Schema):
    username: str
    name: str
    url: str
    score: float
    because: list[BecauseOut]


class HelpersOut(Schema):
    people: list[HelperOut]


@router.get("/search/who-could-help/{item_type}/{item_id}", response=HelpersOut, auth=MEMBER_AUTH)
def who_could_help_get(request: HttpRequest, item_type: str, item_id: int) -> Any:
    """Up to five people whose work is close to this idea or question, each with the items
    (that you may see) that count; never the author, nor inactive accounts, nor people who
    may not see the item."""
    person = member(request)
    item = _item(person, item_type, item_id, HELP_TYPES)
    exclude: set[int] = set()
    if item_type == "question":
        from learnloop.community.suggestions import excluded_ids

        exclude = excluded_ids(item)
    found = helpers.who_could_help(viewer=person, item_type=item_type, item=item, exclude=exclude)
    return {
        "people": [
            {
                "username": h.person.username,
                "name": h.person.name,
                "url": h.person.get_absolute_url(),
                "score": round(h.score, 4),
                "because": [{"verb": b.verb, "title": b.title, "url": b.url} for b in h.because],
            }
            for h in found
        ]
    }
