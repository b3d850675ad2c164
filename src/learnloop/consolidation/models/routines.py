"""Consolidation routines: summary (a person), synthesis (a group or cluster) and reduction
(the network), each on a cadence, each session kept as a record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnloop.people.models import Cadence


class RoutineKind(models.TextChoices):
    SUMMARY = "summary", _("Summary")
    SYNTHESIS = "synthesis", _("Synthesis")
    REDUCTION = "reduction", _("Reduction")


class RoutineSchedule(models.Model):
    """Who runs which routine how often. A summary belongs to a person, a synthesis to a
    group or cluster, a reduction to the whole network (no owner)."""

    kind = models.CharField(_("routine"), max_length=10, choices=RoutineKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routine_schedules",
    )
    group = models.ForeignKey(
        "people.Group",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routine_schedules",
    )
    cadence = models.CharField(
        _("how often"), max_length=15, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    next_due_on = models.DateField(_("next due"))
    last_reminded_on = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["next_due_on", "id"]
        verbose_name = _("routine schedule")
        verbose_name_plural = _("routine schedules")

    def __str__(self) -> str:
        owner = self.person or self.group or _("the network")
        return f"{self.get_kind_display()} · {owner}"


class Routine(models.Model):
    """One session of a routine and what it produced. Its prompts' answers are kept in
    `answers` (keys per kind, see consolidation.routines); the learnings it looked at and
    the ideas it created or strengthened are linked."""

    kind = models.CharField(_("routine"), max_length=10, choices=RoutineKind.choices)
    schedule = models.ForeignKey(
        RoutineSchedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="routines",
        verbose_name=_("led by"),
    )
    group = models.ForeignKey(
        "people.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="routines"
    )
    title = models.CharField(_("title"), max_length=200)
    answers = models.JSONField(default=dict, blank=True)
    learnings = models.ManyToManyField("generation.Learning", blank=True, related_name="routines")
    ideas = models.ManyToManyField("consolidation.Idea", blank=True, related_name="routines")
    standards_version = models.ForeignKey(
        "consolidation.StandardsVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("routine")
        verbose_name_plural = _("routines")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("routines:routine", args=[self.pk])


class ReductionOutcome(models.TextChoices):
    ELEVATE = "elevate", _("Elevate to knowledge")
    REFINE = "refine", _("Keep refining")
    RETURN = "return", _("Return to generation")


class ReductionItem(models.Model):
    """A candidate idea in a reduction round and what the round proposed for it."""

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="items")
    idea = models.ForeignKey(
        "consolidation.Idea", on_delete=models.CASCADE, related_name="reduction_items"
    )
    outcome = models.CharField(max_length=10, choices=ReductionOutcome.choices, blank=True)
    note = models.TextField(_("what is missing, or why"), blank=True, max_length=5000)
    decision = models.ForeignKey(
        "consolidation.Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "idea"], name="reduction_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.routine_id}/{self.idea_id}: {self.outcome}"
