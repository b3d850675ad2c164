"""The Atom feed of public knowledge products, for readers and partner sites outside."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnloop.sharing import selectors


class PublicProductsFeed(Feed):
    feed_type = Atom1Feed
    subtitle = gettext_lazy("Knowledge products the network has made public, newest first.")

    def title(self) -> str:
        return _("%(network)s: public knowledge") % {"network": settings.NETWORK_NAME}

    def link(self) -> str:
        return reverse("sharing:public")

    def items(self) -> list[Any]:
        return selectors.atom_products(limit=50)

    def item_title(self, item: Any) -> str:
        return item.title

    def item_link(self, item: Any) -> str:
        return item.get_public_url()

    def item_guid(self, item: Any) -> str:
        return item.get_public_url()

    def item_pubdate(self, item: Any) -> datetime:
        return item.published_at

    def item_updateddate(self, item: Any) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Any) -> str:
        return item.author.name

    def item_categories(self, item: Any) -> list[str]:
        return [item.get_kind_display(), *item.tag_names]

    def item_description(self, item: Any) -> str:
        """Plain text: what it is for, what it asks, and how firm the ideas behind it are."""
        parts = []
        if item.summary:
            parts.append(item.summary)
        parts.append(
            _("For: %(audience)s%(detail)s.")
            % {
                "audience": item.get_audience_display(),
                "detail": f" ({item.audience_detail})" if item.audience_detail else "",
            }
        )
        ideas = item.public_ideas
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
        return " ".join(parts)
