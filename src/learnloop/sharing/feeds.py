"""Atom feeds of public knowledge, for readers and partner sites outside the network: the
whole public site, one topic, or one group's public work.

Each entry carries its maturity (the stage of an idea, the stages of the ideas behind a
product, "a single learning" for a learning) as an Atom category in the stage scheme, and
an `<author>` for every person credited on it, not only the one who wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnloop.core.markdown import plain_text
from learnloop.sharing import selectors

FEED_SIZE = 50


def item_public_url(item: Any) -> str:
    return reverse(f"sharing:public_{item.public_kind}", args=[item.pk])


def maturity(item: Any, kind: str) -> list[tuple[str, str]]:
    """(term, label) pairs saying how firm an item is, for a reader outside."""
    if kind == "idea":
        return [(item.stage, _("Stage: %(stage)s") % {"stage": item.get_stage_display()})]
    if kind == "product":
        stages = []
        for idea in getattr(item, "public_ideas", []):
            pair = (idea.stage, _("Stage: %(stage)s") % {"stage": idea.get_stage_display()})
            if pair not in stages:
                stages.append(pair)
        return stages or [("unpublished-ideas", _("The ideas behind it are not published"))]
    if kind == "learning":
        return [("single-learning", _("A single learning, not yet tested knowledge"))]
    if kind == "question":
        return [("open-question", _("An open question"))]
    return [("call-to-act", _("An opportunity and a call to act"))]


class CreditedAtom1Feed(Atom1Feed):
    """Atom with an `<author>` per contributor and labelled, scheme-qualified categories
    (Django's own generator allows one author and bare terms)."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        for name in item.get("contributors", []):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        for term, scheme, label in item.get("labelled_categories", []):
            handler.addQuickElement(
                "category", "", {"term": term, "scheme": scheme, "label": label}
            )


@dataclass
class Scope:
    """What a feed covers, and the request (for absolute category schemes). A feed object
    serves many requests at once, so nothing request-bound is kept on it."""

    request: HttpRequest
    topic: Any = None
    group: Any = None


class PublicFeed(Feed):
    """Every kind of public item, newest first."""

    feed_type = CreditedAtom1Feed
    subtitle = gettext_lazy(
        "What the network has made public, newest first: knowledge products, ideas with their "
        "stage, single learnings, open questions and opportunity narratives."
    )

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        return Scope(request)

    def title(self, obj: Scope) -> str:
        return _("%(network)s: public knowledge") % {"network": settings.NETWORK_NAME}

    def link(self, obj: Scope) -> str:
        return reverse("sharing:public")

    def items(self, obj: Scope) -> list[Any]:
        items = selectors.public_feed_items(
            topic=obj.topic.slug if obj.topic else None, group=obj.group, limit=FEED_SIZE
        )
        absolute = obj.request.build_absolute_uri
        schemes = {
            "stage": absolute(reverse("sharing:public_stages")),
            "kind": absolute(reverse("sharing:public")) + "#kinds",
            "topic": absolute(reverse("sharing:public_topics")),
        }
        for item in items:
            item.feed_schemes = schemes
        return items

    def item_title(self, item: Any) -> str:
        return str(item.title)

    def item_link(self, item: Any) -> str:
        return item_public_url(item)

    def item_guid(self, item: Any) -> str:
        return item_public_url(item)

    def item_pubdate(self, item: Any) -> datetime:
        return item.published

    def item_updateddate(self, item: Any) -> datetime:
        return max(item.updated_at, item.published)

    def item_extra_kwargs(self, item: Any) -> dict[str, Any]:
        schemes = item.feed_schemes
        kind = item.public_kind
        categories = [(term, schemes["stage"], label) for term, label in maturity(item, kind)]
        categories.append((kind, schemes["kind"], _kind_label(kind)))
        categories += [(t.slug, schemes["topic"], t.name) for t in item.tags.all()]
        return {
            "contributors": [c.person.name for c in getattr(item, "credits", [])],
            "labelled_categories": categories,
        }

    def item_description(self, item: Any) -> str:
        return summary_text(item, item.public_kind)


def _kind_label(kind: str) -> str:
    return {
        "product": _("Knowledge product"),
        "idea": _("Idea"),
        "learning": _("Learning"),
        "question": _("Question"),
        "narrative": _("Opportunity narrative"),
    }[kind]


def summary_text(item: Any, kind: str) -> str:
    """Plain text: what the item says, and how far a reader can rely on it."""
    parts: list[str] = []
    if kind == "product":
        if item.summary:
            parts.append(item.summary)
        parts.append(
            _("For: %(audience)s%(detail)s.")
            % {
                "audience": item.get_audience_display(),
                "detail": f" ({item.audience_detail})" if item.audience_detail else "",
            }
        )
        ideas = getattr(item, "public_ideas", [])
        if ideas:
            parts.append(
                _("Draws on: %(ideas)s.")
                % {
                    "ideas": "; ".join(
                        _("%(title)s (stage: %(stage)s)")
                        % {"title": i.title, "stage": i.get_stage_display()}
                        for i in ideas
                    )
                }
            )
    elif kind == "idea":
        parts.append(
            _("Stage: %(stage)s. %(help)s")
            % {"stage": item.get_stage_display(), "help": item.stage_help}
        )
        parts.append(plain_text(item.summary, 400))
    elif kind == "learning":
        parts.append(_("A single learning, not yet tested knowledge."))
        parts.append(plain_text(item.body, 400))
    elif kind == "question":
        parts.append(_("An open question to the network."))
        parts.append(plain_text(item.body, 400))
    else:
        parts.append(plain_text(item.opportunity, 300))
        parts.append(_("The call: %(call)s") % {"call": plain_text(item.call_to_act, 300)})
    credits = getattr(item, "credits", [])
    if credits:
        parts.append(
            _("Contributors: %(names)s.") % {"names": ", ".join(c.person.name for c in credits)}
        )
    return " ".join(p for p in parts if p)


class TopicFeed(PublicFeed):
    """The public items on one topic (tag)."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        return Scope(request, topic=selectors.get_public_topic(kwargs["slug"]))

    def title(self, obj: Scope) -> str:
        return _("%(network)s: public knowledge on “%(topic)s”") % {
            "network": settings.NETWORK_NAME,
            "topic": obj.topic.name,
        }

    def link(self, obj: Scope) -> str:
        return reverse("sharing:public_topic", args=[obj.topic.slug])


class GroupFeed(PublicFeed):
    """What one group has made public."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        return Scope(request, group=selectors.get_public_group(kwargs["slug"]))

    def title(self, obj: Scope) -> str:
        return _("%(group)s: public knowledge") % {"group": obj.group.name}

    def link(self, obj: Scope) -> str:
        return reverse("sharing:public_group", args=[obj.group.slug])
