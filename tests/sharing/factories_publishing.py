"""Factories for the voice guidelines and publication checks (issue 5, publishing)."""

from __future__ import annotations

import factory

from learnloop.sharing.models import VoiceGuideline


class GuidelineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoiceGuideline

    text = factory.Sequence(lambda n: f"Guideline {n}: we say how sure we are.")
    explanation = "Readers weigh what we write by how sure we are."
    position = factory.Sequence(lambda n: n + 1)


def guidelines(*texts: str) -> list[VoiceGuideline]:
    """Active guidelines in the given order."""
    return [GuidelineFactory(text=text, position=i) for i, text in enumerate(texts, start=1)]


def ticks(items: list[VoiceGuideline]) -> list[str]:
    """The form value that ticks every one of `items`."""
    return [str(g.pk) for g in items]
