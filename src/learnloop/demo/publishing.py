"""Demo network: the voice guidelines and the record of what was made public (issue 5).

Early in the year the stewards wrote a short checklist of how the network speaks in public.
One line was added in the spring, after a parent asked why a story described her son's
absences; one early line was retired when it turned out to say the same as another. Every
public item has its publication check: who made it public, when, and the guidelines as they
read on that day (none, for the few items made public before the checklist existed).

Everything here is derived from rows the builder already made, in a fixed order, so the
rest of the demo comes out the same whether or not this part runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from learnloop.application.models import AdoptionPlan
from learnloop.capture.models import KnowledgeProduct
from learnloop.community.models import Narrative
from learnloop.consolidation.models import Idea, Stage
from learnloop.core.models import Visibility
from learnloop.generation.models import Learning, Question, TestCycle
from learnloop.sharing.models import PublicationCheck, VoiceGuideline
from learnloop.value.models import Convening, ValueStory


@dataclass(frozen=True)
class GuidelineSpec:
    text: str
    explanation: str
    written_days_ago: int
    retired_days_ago: int | None = None


GUIDELINES: tuple[GuidelineSpec, ...] = (
    GuidelineSpec(
        "We say how sure we are: the stage, the number of schools, what we have not tried yet.",
        "A hunch from one classroom is worth sharing, and it is still a hunch. Readers in "
        "other districts will act on what we write; let them weigh it.",
        330,
    ),
    GuidelineSpec(
        "No student or family can be recognized, even by people who know them.",
        "No names, and no detail that gives them away in a small school: a grade plus a "
        "sport plus a language can be enough. When in doubt, ask the family liaison.",
        330,
    ),
    GuidelineSpec(
        "We write about families as partners, never as the problem.",
        "“Families we had not yet reached”, not “hard-to-reach families”. Say what the "
        "school changed, not what parents failed to do.",
        330,
    ),
    GuidelineSpec(
        "Plain words a busy parent or a new teacher understands on first reading.",
        "Spell out every acronym once (ABC, MTSS, FAFSA), keep sentences short, and say "
        "what someone could do on Monday.",
        330,
    ),
    GuidelineSpec(
        "Keep it short and friendly.",
        "Replaced by the plain-words line, which says the same with more care.",
        330,
        retired_days_ago=210,
    ),
    GuidelineSpec(
        "Credit the people and schools whose work it is, with their permission.",
        "Added in March after a mentor found her idea in the newsletter under someone "
        "else's name. Ask before naming a school or a colleague.",
        120,
    ),
)

# The public items of every kind, with the time each became public.
PUBLIC_MODELS: tuple[type[Any], ...] = (
    Learning,
    TestCycle,
    Question,
    Idea,
    KnowledgeProduct,
    AdoptionPlan,
    Convening,
    ValueStory,
    Narrative,
)


def _made_public_at(item: Any) -> datetime:
    published = getattr(item, "published_at", None)
    return published or item.created_at


def build(b: Any) -> None:
    """Add this part of the demo; `b` is the demo builder (see builder._Builder)."""
    steward = b.stewards[0]
    written: list[tuple[VoiceGuideline, datetime, datetime | None]] = []
    position = 0
    for spec in GUIDELINES:
        created = b.at(spec.written_days_ago)
        retired = b.at(spec.retired_days_ago) if spec.retired_days_ago is not None else None
        if retired is None:
            position += 1
        guideline = VoiceGuideline.objects.create(
            text=spec.text,
            explanation=spec.explanation,
            position=position if retired is None else 0,
            created_at=created,
            retired_at=retired,
        )
        written.append((guideline, created, retired))
        b.audit(steward, "added a voice guideline", guideline, created)
        if retired is not None:
            b.audit(steward, "retired a voice guideline", guideline, retired)

    def in_force(moment: datetime) -> list[str]:
        live = [
            g
            for g, created, retired in written
            if created <= moment and (retired is None or moment < retired)
        ]
        return [g.text for g in sorted(live, key=lambda g: (g.position or 99, g.pk))]

    _share_an_idea_at_each_stage()
    checks: list[PublicationCheck] = []
    for model in PUBLIC_MODELS:
        ct = b.content_type(model)
        items = (
            model.objects.filter(visibility=Visibility.PUBLIC)
            .select_related("author")
            .order_by("pk")
        )
        for item in items:
            when = _made_public_at(item)
            checks.append(
                PublicationCheck(
                    content_type=ct,
                    object_id=item.pk,
                    checked_by=item.author,
                    guidelines=in_force(when),
                    checked_at=when,
                )
            )
    PublicationCheck.objects.bulk_create(checks, batch_size=500)


def _share_an_idea_at_each_stage() -> None:
    """Besides its scaling ideas, the network shares one idea at each earlier stage, so that
    visitors see how the stage tells them how far to trust an idea."""
    for stage in (Stage.KNOWLEDGE, Stage.PROMISING, Stage.TESTING, Stage.EMERGING):
        idea = (
            Idea.objects.filter(stage=stage, visibility=Visibility.NETWORK, deleted_at=None)
            .order_by("pk")
            .first()
        )
        if idea is not None:
            idea.visibility = Visibility.PUBLIC
            idea.save(update_fields=["visibility"])
