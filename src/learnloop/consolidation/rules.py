"""Who may do what with ideas, beyond the generic rules in `learnloop.core.access`.

Kept in one module so that services, views and templates ask the same questions.
"""

from __future__ import annotations

from typing import Any

from learnloop.consolidation.models import Evidence, Idea, Stage
from learnloop.core import access

# The author of an idea may move it between these two stages on their own; anything
# further is a decision for the group's moderators or the network's stewards.
AUTHOR_STAGES = frozenset({Stage.EMERGING, Stage.TESTING})

# Elevating an idea to knowledge (or scaling it) and returning it are decisions members take
# together (see consolidation.decisions); a moderator may only override, with a reason.
DECIDED_STAGES = frozenset({Stage.KNOWLEDGE, Stage.SCALING, Stage.RETURNED})


def is_decider(viewer: Any, idea: Idea) -> bool:
    """Moderators of the idea's group and stewards decide any stage move."""
    return access.can_contribute(viewer, idea) and access.can_moderate_group(viewer, idea.group_id)


def needs_decision(to_stage: str) -> bool:
    return to_stage in DECIDED_STAGES


def may_change_stage(viewer: Any, idea: Idea, to_stage: str) -> bool:
    """Direct moves only: a decided move goes through a decision, or a decider's override."""
    if not access.can_contribute(viewer, idea):
        return False
    if is_decider(viewer, idea):
        return True
    return idea.author_id == viewer.pk and idea.stage in AUTHOR_STAGES and to_stage in AUTHOR_STAGES


def stage_choices_for(viewer: Any, idea: Idea) -> list[tuple[str, str]]:
    """The stages this viewer may move the idea to (its current stage excluded)."""
    return [
        (value, str(label))
        for value, label in Stage.choices
        if value != idea.stage and may_change_stage(viewer, idea, value)
    ]


def direct_stage_choices_for(viewer: Any, idea: Idea) -> list[tuple[str, str]]:
    """Stages this viewer may move the idea to directly, without the members deciding."""
    return [(v, label) for v, label in stage_choices_for(viewer, idea) if v not in DECIDED_STAGES]


def proposable_stages(idea: Idea) -> list[tuple[str, str]]:
    """The decided stages the members may be asked to move the idea to."""
    return [
        (value, str(label))
        for value, label in Stage.choices
        if value in DECIDED_STAGES and value != idea.stage
    ]


def may_propose(viewer: Any, idea: Idea) -> bool:
    """Any member who may take part in an idea may put a decided move to the members."""
    return access.can_contribute(viewer, idea)


def override_choices_for(viewer: Any, idea: Idea) -> list[tuple[str, str]]:
    """Decided stages a moderator or steward may set without a decision, as an override."""
    return proposable_stages(idea) if is_decider(viewer, idea) else []


def may_remove_evidence(viewer: Any, evidence: Evidence) -> bool:
    """The person who linked it, the idea's author, the group's moderators, stewards."""
    idea = evidence.idea
    if not access.can_contribute(viewer, idea):
        return False
    return (
        evidence.added_by_id == viewer.pk
        or idea.author_id == viewer.pk
        or access.can_moderate_group(viewer, idea.group_id)
    )
