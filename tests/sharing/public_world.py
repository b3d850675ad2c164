"""A small world for the public site and its feeds: every kind of item at every visibility,
a topic only public items use and one only inside items use, a group with public work and
one without, and people who contributed in every role."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from learnloop.community.models import Narrative
from learnloop.consolidation.models import Review, StandardsVersion
from learnloop.core.models import Tag
from learnloop.generation.models import Answer
from tests.factories import (
    EvidenceFactory,
    IdeaFactory,
    LearningFactory,
    PersonFactory,
    ProductFactory,
    QuestionFactory,
)

# Words that must never reach the public site, its counts or its feeds.
SECRETS = (
    "Hidden",
    "secret-topic",
    "Secret topic",
    "Reading Team",
    "Gina Group",
    "Nico Network",
    "Dora Draft",
)
HIDDEN_LEVELS = ("group", "network", "draft", "deleted")


def _tag(name: str) -> Tag:
    return Tag.objects.get_or_create(slug=Tag.slug_for(name), defaults={"name": name})[0]


@pytest.fixture
def world(owner, group, other_group, steward) -> dict[str, Any]:
    """Public items of every kind on "open topic" in `group`; the same kinds at every hidden
    level, on "secret topic" (only ever used inside) and in `other_group`."""
    open_tag, secret_tag = _tag("open topic"), _tag("Secret topic")
    people = {
        "evidence": PersonFactory(username="eve", display_name="Eve Evidence"),
        "reviewer": PersonFactory(username="rex", display_name="Rex Reviewer"),
        "answerer": PersonFactory(username="ann", display_name="Ann Answerer"),
        "group": PersonFactory(username="gina", display_name="Gina Group"),
        "network": PersonFactory(username="nico", display_name="Nico Network"),
        "draft": PersonFactory(username="dora", display_name="Dora Draft"),
    }
    common = {"author": owner, "group": group, "visibility": "public"}
    idea = IdeaFactory(title="Open idea", stage="testing", summary="Call families.", **common)
    learning = LearningFactory(title="Open learning", body="Calls worked.", **common)
    question = QuestionFactory(title="Open question", body="Who calls?", **common)
    product = ProductFactory(title="Open guide", summary="Call in week one.", **common)
    narrative = Narrative.objects.create(
        title="Open opportunity",
        opportunity="Every ninth grader.",
        call_to_act="Call.",
        **common,
    )
    for item in (idea, learning, question, product, narrative):
        item.tags.add(open_tag)
    product.ideas.set([idea])
    narrative.ideas.set([idea])
    narrative.questions.set([question])
    EvidenceFactory(idea=idea, learning=learning)
    EvidenceFactory(
        idea=idea,
        learning=LearningFactory(
            author=people["evidence"], visibility="public", title="Second open learning"
        ),
    )
    version = StandardsVersion.objects.create(
        number=1, title="Standards", proposed_by=steward, status="adopted"
    )
    Review.objects.create(idea=idea, reviewer=people["reviewer"], version=version)
    Answer.objects.create(question=question, author=people["answerer"], body="The adviser.")

    hidden = []
    for level in HIDDEN_LEVELS:
        who = people.get(level, owner)
        extra: dict[str, Any] = {
            "author": who,
            "group": other_group,
            "visibility": "public" if level == "deleted" else level,
        }
        if level == "deleted":
            extra.update(deleted_at=timezone.now(), deleted_by=steward)
        made = [
            IdeaFactory(title=f"Hidden {level} idea", **extra),
            LearningFactory(title=f"Hidden {level} learning", **extra),
            QuestionFactory(title=f"Hidden {level} question", **extra),
            ProductFactory(title=f"Hidden {level} guide", **extra),
            Narrative.objects.create(
                title=f"Hidden {level} opportunity", opportunity="x", call_to_act="y", **extra
            ),
        ]
        for item in made:
            item.tags.add(secret_tag)
        hidden += made
        # Hidden people linked through hidden items to public ones: never credited there.
        EvidenceFactory(idea=idea, learning=made[1])
    product.ideas.add(hidden[0])  # a group idea behind the public product
    return {
        "idea": idea,
        "learning": learning,
        "question": question,
        "product": product,
        "narrative": narrative,
        "hidden": hidden,
        "people": people,
        "open_tag": open_tag,
        "secret_tag": secret_tag,
    }


def assert_no_secrets(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret
