"""Measures: the few shared success measures a network tracks over time, and the data
points its groups and sites report for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeasureKind(models.TextChoices):
    PROCESS = "process", _("Process measure (what we do)")
    OUTCOME = "outcome", _("Outcome measure (what changes)")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Mean of the groups and sites")
    SUM = "sum", _("Sum of the groups and sites")


def default_aggregation(kind: str) -> str:
    """Outcome measures are usually rates or scores (a mean makes sense); process measures
    are usually counts of things done (a sum makes sense). Stewards may choose otherwise."""
    return Aggregation.SUM if kind == MeasureKind.PROCESS else Aggregation.MEAN


class Measure(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    description = models.TextField(_("what it measures and how"), blank=True, max_length=10000)
    kind = models.CharField(
        _("kind"), max_length=10, choices=MeasureKind.choices, default=MeasureKind.OUTCOME
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(
        _("which way is better"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    frequency = models.CharField(
        _("reported"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    aggregation = models.CharField(
        _("network figure"), max_length=10, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    breakdowns = models.JSONField(_("breakdowns"), default=list, blank=True)
    active = models.BooleanField(_("still reported"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="measures_defined"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-active", "name"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measures:detail", args=[self.slug])


class DataPoint(models.Model):
    """One figure for one period, from one group or site, optionally for one population."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="data_points")
    period = models.DateField(_("period"), help_text=_("The first day of the period."))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    group = models.ForeignKey(
        "people.Group",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="data_points",
        verbose_name=_("group"),
    )
    site = models.CharField(_("site"), max_length=150, blank=True)
    breakdown = models.JSONField(_("breakdown"), default=dict, blank=True)
    # The breakdown written in one canonical way ("population=English learners"), so that a
    # unique constraint can hold one figure per measure, period, group, site and breakdown.
    breakdown_key = models.CharField(max_length=300, blank=True, default="")
    note = models.CharField(_("note"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="data_points"
    )
    reported_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period", "id"]
        constraints = [
            # Two partial constraints because NULL groups never collide in a plain one.
            models.UniqueConstraint(
                fields=["measure", "period", "group", "site", "breakdown_key"],
                condition=models.Q(group__isnull=False),
                name="measures_point_unique_group",
            ),
            models.UniqueConstraint(
                fields=["measure", "period", "site", "breakdown_key"],
                condition=models.Q(group__isnull=True),
                name="measures_point_unique_site",
            ),
        ]
        indexes = [models.Index(fields=["measure", "period"], name="measures_point_period")]
        verbose_name = _("data point")
        verbose_name_plural = _("data points")

    def __str__(self) -> str:
        return f"{self.measure_id} {self.period} {self.value}"


class MeasureLink(models.Model):
    """An idea or a test cycle that aims to move a measure."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="links")
    idea = models.ForeignKey(
        "consolidation.Idea",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="measure_links",
    )
    test_cycle = models.ForeignKey(
        "generation.TestCycle",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="measure_links",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="measure_links"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-linked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "idea"],
                condition=models.Q(idea__isnull=False),
                name="measures_link_unique_idea",
            ),
            models.UniqueConstraint(
                fields=["measure", "test_cycle"],
                condition=models.Q(test_cycle__isnull=False),
                name="measures_link_unique_cycle",
            ),
            models.CheckConstraint(
                condition=models.Q(idea__isnull=False, test_cycle__isnull=True)
                | models.Q(idea__isnull=True, test_cycle__isnull=False),
                name="measures_link_one_target",
            ),
        ]
        verbose_name = _("measure link")
        verbose_name_plural = _("measure links")

    def __str__(self) -> str:
        return f"{self.measure_id} ← idea {self.idea_id} / cycle {self.test_cycle_id}"
