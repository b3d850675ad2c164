"""Powerful questions a moderator can bring to a meeting or post to the group.

Open questions that invite stories and thinking rather than yes or no, grouped by what a
moderator wants at that moment of a conversation. Each has a stable key, so that a meeting
agenda or an API call can name it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

OPENING = "opening"
DEEPER = "deeper"
STEPPING_BACK = "stepping-back"
ACTION = "action"


@dataclass(frozen=True)
class Purpose:
    key: str
    label: Promise
    help: Promise


@dataclass(frozen=True)
class Prompt:
    key: str
    purpose: str
    text: Promise


PURPOSES: tuple[Purpose, ...] = (
    Purpose(
        OPENING,
        _("Opening up"),
        _("To start a meeting or a topic: everyone gets a way in, nobody needs to be an expert."),
    ),
    Purpose(
        DEEPER,
        _("Going deeper"),
        _("When a story or an idea is on the table and the group wants to understand it."),
    ),
    Purpose(
        STEPPING_BACK,
        _("Stepping back"),
        _("To notice patterns across what was said, and what the group is learning."),
    ),
    Purpose(
        ACTION,
        _("Moving to action"),
        _("To end with something small someone will try before the next meeting."),
    ),
)

PROMPTS: tuple[Prompt, ...] = (
    # Opening up
    Prompt("open-noticed", OPENING, _("What did you notice at work since we last met?")),
    Prompt("open-went-well", OPENING, _("What went better than you expected this week, and why?")),
    Prompt("open-stuck", OPENING, _("Where do you feel stuck right now?")),
    Prompt(
        "open-student", OPENING, _("Which student or family has been on your mind, and why them?")
    ),
    Prompt("open-curious", OPENING, _("What are you curious about that we have not talked about?")),
    Prompt("open-small-change", OPENING, _("What small thing did you try differently this month?")),
    # Going deeper
    Prompt("deeper-why", DEEPER, _("Why do you think that happened?")),
    Prompt("deeper-assume", DEEPER, _("What are we assuming here that might not be true?")),
    Prompt(
        "deeper-other-view",
        DEEPER,
        _("How would a student, a parent or a bus driver describe this?"),
    ),
    Prompt("deeper-evidence", DEEPER, _("What have we seen that makes us believe this works?")),
    Prompt(
        "deeper-different",
        DEEPER,
        _("Where has this worked differently, and what was different there?"),
    ),
    Prompt("deeper-missing", DEEPER, _("Whose voice is missing from this conversation?")),
    Prompt("deeper-surprise", DEEPER, _("What surprised you, and what does that tell us?")),
    # Stepping back
    Prompt("back-pattern", STEPPING_BACK, _("What patterns do we see across our stories today?")),
    Prompt(
        "back-learned", STEPPING_BACK, _("What do we know now that we did not know a month ago?")
    ),
    Prompt(
        "back-changed-mind",
        STEPPING_BACK,
        _("What has changed your mind since we started working on this?"),
    ),
    Prompt(
        "back-ready", STEPPING_BACK, _("Which of our ideas is ready to be tested somewhere else?")
    ),
    Prompt("back-stop", STEPPING_BACK, _("What should we stop doing, given what we have learned?")),
    Prompt(
        "back-purpose", STEPPING_BACK, _("Are we still working on what matters most to families?")
    ),
    # Moving to action
    Prompt(
        "action-smallest", ACTION, _("What is the smallest step we could try before we next meet?")
    ),
    Prompt("action-who", ACTION, _("Who will try it, with whom, and by when?")),
    Prompt("action-know", ACTION, _("How will we know whether it made a difference?")),
    Prompt("action-help", ACTION, _("What help do you need to try this, and from whom?")),
    Prompt("action-share", ACTION, _("Who outside this group should hear about this, and how?")),
    Prompt("action-bring-back", ACTION, _("What will each of us bring back to the next meeting?")),
)

_BY_KEY = {p.key: p for p in PROMPTS}


def get_prompt(key: str) -> Prompt | None:
    return _BY_KEY.get(key)


def purpose_label(key: str) -> str:
    for purpose in PURPOSES:
        if purpose.key == key:
            return str(purpose.label)
    return ""


def grouped() -> list[tuple[Purpose, list[Prompt]]]:
    """The prompts under their purposes, in the order a meeting usually runs."""
    return [(purpose, [p for p in PROMPTS if p.purpose == purpose.key]) for purpose in PURPOSES]
