"""The public knowledge site: no login, public items only, read as an anonymous visitor.

Browsable by kind, by topic and by stage, without a search box; each list pages. Thin:
parse, call one selector, render.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.http import HttpResponse
from django.shortcuts import render

from learnloop.capture.models import ProductKind
from learnloop.consolidation.models import LADDER, STAGE_HELP, Stage
from learnloop.core.credits import attach_credits, credits
from learnloop.core.http import Request
from learnloop.core.viewtools import paginate
from learnloop.generation.models import LearningKind
from learnloop.sharing import selectors
from learnloop.sharing.feeds import GroupFeed, PublicFeed, TopicFeed

PER_PAGE = 20


def _choice(request: Request, name: str, allowed: Any) -> str | None:
    """A filter value from the query string, or None when absent or not one we know."""
    value = request.GET.get(name) or None
    return value if value is None or value in allowed else None


def _credited(request: Request, queryset: Any, per_page: int = PER_PAGE) -> Page:
    page = paginate(request, queryset, per_page=per_page)
    page.object_list = attach_credits(page.object_list, public=True)
    return page


def _topic_param(request: Request) -> str | None:
    slug = (request.GET.get("topic") or "").strip()
    return slug or None


def _group_param(request: Request) -> Any:
    """`?group=<slug>`: only a group that has made something public (404 otherwise)."""
    slug = (request.GET.get("group") or "").strip()
    return selectors.get_public_group(slug) if slug else None


def _stages() -> list[dict[str, Any]]:
    return [
        {"value": s.value, "label": s.label, "help": STAGE_HELP[s]}
        for s in (*LADDER, Stage.RETURNED)
    ]


def public_index(request: Request) -> HttpResponse:
    q = request.GET.get("q", "").strip() or None
    return render(
        request,
        "sharing/public_index.html",
        {
            "page": paginate(request, selectors.public_products(q=q), per_page=PER_PAGE),
            "ideas": selectors.latest_public_ideas(12),
            "stage_summary": selectors.public_stage_summary(),
            "topics": selectors.public_topics(limit=20),
        },
    )


def public_stages(request: Request) -> HttpResponse:
    return render(
        request, "sharing/public_stages.html", {"stage_summary": selectors.public_stage_summary()}
    )


# Products -----------------------------------------------------------------------------------


def public_product_list(request: Request) -> HttpResponse:
    topic = _topic_param(request)
    group = _group_param(request)
    stage = _choice(request, "stage", Stage.values)
    kind = _choice(request, "kind", ProductKind.values)
    products = selectors.public_products(topic=topic, stage=stage, kind=kind, group=group)
    return render(
        request,
        "sharing/public_products.html",
        {
            "page": _credited(request, products),
            "topics": selectors.public_topics(),
            "stages": _stages(),
            "kinds": ProductKind.choices,
            "chosen": {"topic": topic, "stage": stage, "kind": kind, "group": group},
        },
    )


def public_product(request: Request, pk: int) -> HttpResponse:
    product = selectors.get_public_product(pk)
    return render(
        request,
        "sharing/public_product.html",
        {"product": product, "credits": credits(product, public=True)},
    )


# Ideas --------------------------------------------------------------------------------------


def public_idea_list(request: Request) -> HttpResponse:
    topic = _topic_param(request)
    group = _group_param(request)
    stage = _choice(request, "stage", Stage.values)
    ideas = selectors.public_ideas(stage=stage, topic=topic, group=group)
    return render(
        request,
        "sharing/public_ideas.html",
        {
            "page": _credited(request, ideas, per_page=30),
            "stages": Stage.choices,
            "stage_help": STAGE_HELP.get(Stage(stage)) if stage else None,
            "topics": selectors.public_topics(),
            "chosen": {"topic": topic, "stage": stage, "group": group},
        },
    )


def public_idea(request: Request, pk: int) -> HttpResponse:
    idea = selectors.get_public_idea(pk)
    return render(
        request,
        "sharing/public_idea.html",
        {
            "idea": idea,
            "evidence": selectors.public_evidence_for(idea),
            "products": selectors.public_products_for_idea(idea),
            "history": selectors.public_stage_history(idea),
            "credits": credits(idea, public=True),
        },
    )


# Learnings ----------------------------------------------------------------------------------


def public_learning_list(request: Request) -> HttpResponse:
    topic = _topic_param(request)
    group = _group_param(request)
    kind = _choice(request, "kind", LearningKind.values)
    learnings = selectors.public_learnings(topic=topic, kind=kind, group=group)
    return render(
        request,
        "sharing/public_learnings.html",
        {
            "page": _credited(request, learnings),
            "topics": selectors.public_topics(),
            "kinds": LearningKind.choices,
            "chosen": {"topic": topic, "kind": kind, "group": group},
        },
    )


def public_learning(request: Request, pk: int) -> HttpResponse:
    learning = selectors.get_public_learning(pk)
    return render(
        request,
        "sharing/public_learning.html",
        {
            "learning": learning,
            "evidence_for": selectors.public_ideas_for_learning(learning),
            "cycle": selectors.public_cycle_for(learning),
            "credits": credits(learning, public=True),
        },
    )


# Questions ----------------------------------------------------------------------------------


def public_question_list(request: Request) -> HttpResponse:
    topic = _topic_param(request)
    group = _group_param(request)
    answered = _choice(request, "answered", ("yes", "no"))
    questions = selectors.public_questions(topic=topic, answered=answered, group=group)
    return render(
        request,
        "sharing/public_questions.html",
        {
            "page": _credited(request, questions),
            "topics": selectors.public_topics(),
            "chosen": {"topic": topic, "answered": answered, "group": group},
        },
    )


def public_question(request: Request, pk: int) -> HttpResponse:
    question = selectors.get_public_question(pk)
    return render(
        request,
        "sharing/public_question.html",
        {
            "question": question,
            "answers": selectors.public_answers(question),
            "credits": credits(question, public=True),
        },
    )


# Opportunity narratives ---------------------------------------------------------------------


def public_narrative_list(request: Request) -> HttpResponse:
    topic = _topic_param(request)
    group = _group_param(request)
    return render(
        request,
        "sharing/public_narratives.html",
        {
            "page": _credited(request, selectors.public_narratives(topic=topic, group=group)),
            "topics": selectors.public_topics(),
            "chosen": {"topic": topic, "group": group},
        },
    )


def public_narrative(request: Request, pk: int) -> HttpResponse:
    narrative = selectors.get_public_narrative(pk)
    return render(
        request,
        "sharing/public_narrative.html",
        {
            "narrative": narrative,
            **selectors.public_narrative_links(narrative),
            "credits": credits(narrative, public=True),
        },
    )


# Topics and groups --------------------------------------------------------------------------

SECTION = 8  # items of each kind on a topic or group page; the lists hold the rest


def _sections(*, topic: str | None = None, group: Any = None) -> dict[str, list[Any]]:
    def first(qs: Any) -> list[Any]:
        return list(qs[: SECTION + 1])

    sections = {
        "products": first(selectors.public_products(topic=topic, group=group)),
        "ideas": first(selectors.public_ideas(topic=topic, group=group)),
        "learnings": first(selectors.public_learnings(topic=topic, group=group)),
        "questions": first(selectors.public_questions(topic=topic, group=group)),
        "narratives": first(selectors.public_narratives(topic=topic, group=group)),
    }
    shown = [item for items in sections.values() for item in items[:SECTION]]
    attach_credits(shown, public=True)
    return sections


def _section_sizes() -> dict[str, Any]:
    return {"section_size": SECTION, "section_slice": f":{SECTION}"}


def public_topic_list(request: Request) -> HttpResponse:
    return render(request, "sharing/public_topics.html", {"topics": selectors.public_topics()})


def public_topic(request: Request, slug: str) -> HttpResponse:
    topic = selectors.get_public_topic(slug)
    return render(
        request,
        "sharing/public_topic.html",
        {"topic": topic, "sections": _sections(topic=topic.slug), **_section_sizes()},
    )


def public_group(request: Request, slug: str) -> HttpResponse:
    group = selectors.get_public_group(slug)
    return render(
        request,
        "sharing/public_group.html",
        {"group": group, "sections": _sections(group=group), **_section_sizes()},
    )


# Feeds --------------------------------------------------------------------------------------

atom_feed = PublicFeed()
topic_feed = TopicFeed()
group_feed = GroupFeed()
