"""Consolidation: ideas and their evidence, the network's standards, reviews, the decisions
members take together, and the routines that turn learnings into knowledge."""

from learnloop.consolidation.models.decisions import (
    Decision,
    DecisionKind,
    DecisionStatus,
    Vote,
    VoteChoice,
)
from learnloop.consolidation.models.ideas import (
    LADDER,
    STAGE_HELP,
    Endorsement,
    Evidence,
    Idea,
    Relation,
    Stage,
    StageChange,
)
from learnloop.consolidation.models.reviews import Review, ReviewScore, Verdict
from learnloop.consolidation.models.routines import (
    ReductionItem,
    ReductionOutcome,
    Routine,
    RoutineKind,
    RoutineSchedule,
)
from learnloop.consolidation.models.standards import (
    Criterion,
    CriterionKind,
    StandardsVersion,
    VersionStatus,
)

__all__ = [
    "LADDER",
    "STAGE_HELP",
    "Criterion",
    "CriterionKind",
    "Decision",
    "DecisionKind",
    "DecisionStatus",
    "Endorsement",
    "Evidence",
    "Idea",
    "ReductionItem",
    "ReductionOutcome",
    "Relation",
    "Review",
    "ReviewScore",
    "Routine",
    "RoutineKind",
    "RoutineSchedule",
    "Stage",
    "StageChange",
    "StandardsVersion",
    "Verdict",
    "VersionStatus",
    "Vote",
    "VoteChoice",
]
