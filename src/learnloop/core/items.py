"""The kinds of shared item, by the short name used in URLs and the API."""

from __future__ import annotations

from django.apps import apps
from django.http import Http404

from learnloop.core.models import SharedItem

ITEM_TYPES: dict[str, str] = {
    "learning": "generation.Learning",
    "test-cycle": "generation.TestCycle",
    "question": "generation.Question",
    "idea": "consolidation.Idea",
    "product": "capture.KnowledgeProduct",
    "plan": "application.AdoptionPlan",
    "convening": "value.Convening",
    "story": "value.ValueStory",
    "narrative": "community.Narrative",
}


def item_model(kind: str) -> type[SharedItem]:
    try:
        return apps.get_model(ITEM_TYPES[kind])
    except KeyError:
        raise Http404 from None


def item_kind(item: SharedItem) -> str:
    label = item._meta.label
    for kind, model_label in ITEM_TYPES.items():
        if model_label == label:
            return kind
    raise LookupError(label)
