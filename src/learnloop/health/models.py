"""Health of the knowledge cycle: the thresholds stewards set for what counts as a gap.

The flows and gaps themselves are derived from the records of the other phases every time
they are read (see selectors); only the thresholds are stored, in a single row."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _days(default: int, label: Any, help_text: Any, most: int = 3650) -> Any:
    return models.PositiveIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(most)],
        help_text=help_text,
    )


class GapKind(models.TextChoices):
    QUIET_PHASE = "quiet_phase", _("A phase of the cycle has gone quiet")
    NO_LEARNINGS = "no_learnings", _("A group has posted no learnings in its cadence")
    NO_REFLECTION = "no_reflection", _("A group has not reflected in its cadence")
    STUCK_IDEA = "stuck_idea", _("An idea is stuck in its stage")
    UNCAPTURED = "uncaptured", _("Knowledge never captured in a product")
    UNSHARED = "unshared", _("A product never shared")
    UNADOPTED = "unadopted", _("Shared, but never taken into an adoption plan")
    OVERDUE_REVIEW = "overdue_review", _("An adoption plan has overdue reviews")


class HealthSettings(models.Model):
    """The thresholds behind the gaps list. One row (pk=1); until a steward saves it the
    defaults below apply."""

    quiet_days = _days(
        30,
        _("quiet phase after (days)"),
        _("A phase with nothing new for this long is listed as a gap."),
        most=365,
    )
    stuck_emerging_days = _days(
        90, _("emerging ideas stuck after (days)"), _("Time in 'emerging' before we flag it.")
    )
    stuck_testing_days = _days(
        90, _("testing ideas stuck after (days)"), _("Time in 'testing' before we flag it.")
    )
    stuck_promising_days = _days(
        90,
        _("promising ideas stuck after (days)"),
        _("Time in 'promising' before we flag it."),
    )
    stuck_knowledge_days = _days(
        180,
        _("knowledge not scaling after (days)"),
        _("Time in 'knowledge' without moving on to scaling before we flag it."),
    )
    grace_days = _days(
        14,
        _("time for the next step (days)"),
        _(
            "How long new knowledge may wait for a product, a product for its first share, "
            "and a shared product for an adoption plan, before it counts as a gap."
        ),
    )
    cadence_grace_days = _days(
        7,
        _("slack on a group's cadence (days)"),
        _("Extra days a group gets beyond its cadence before it counts as a gap."),
        most=365,
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    THRESHOLD_FIELDS = (
        "quiet_days",
        "stuck_emerging_days",
        "stuck_testing_days",
        "stuck_promising_days",
        "stuck_knowledge_days",
        "grace_days",
        "cadence_grace_days",
    )

    class Meta:
        verbose_name = _("health settings")
        verbose_name_plural = _("health settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="health_settings_one_row")
        ]

    def __str__(self) -> str:
        return str(_("Health thresholds"))

    def stuck_days(self) -> dict[str, int]:
        """Stage → days after which an idea in it counts as stuck."""
        return {
            "emerging": self.stuck_emerging_days,
            "testing": self.stuck_testing_days,
            "promising": self.stuck_promising_days,
            "knowledge": self.stuck_knowledge_days,
        }
