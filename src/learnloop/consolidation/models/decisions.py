"""Decisions members take together: elevating or returning an idea, adopting standards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DecisionKind(models.TextChoices):
    STAGE = "stage", _("Move an idea to a new stage")
    STANDARDS = "standards", _("Adopt a version of the standards")


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("Open for votes")
    PASSED = "passed", _("Agreed")
    FAILED = "failed", _("Not agreed")
    BLOCKED = "blocked", _("Blocked")
    NO_QUORUM = "no_quorum", _("Too few voices")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Decision(models.Model):
    """A proposal with a closing time; members vote; the outcome is recorded with reasons."""

    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    idea = models.ForeignKey(
        "consolidation.Idea",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    to_stage = models.CharField(max_length=10, blank=True)
    standards_version = models.ForeignKey(
        "consolidation.StandardsVersion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    title = models.CharField(_("proposal"), max_length=300)
    rationale = models.TextField(_("why"), max_length=20000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    routine = models.ForeignKey(
        "consolidation.Routine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name=_("from routine"),
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(_("voting closes"))
    quorum = models.PositiveSmallIntegerField(
        _("quorum"), default=5, help_text=_("The least number of votes, abstentions included.")
    )
    threshold = models.PositiveSmallIntegerField(
        _("threshold (%)"),
        default=66,
        help_text=_("Share of agree among agree and disagree votes needed to pass."),
    )
    status = models.CharField(
        max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome_reason = models.TextField(_("outcome and its reasons"), blank=True, max_length=20000)
    tally = models.JSONField(default=dict, blank=True)
    stage_change = models.OneToOneField(
        "consolidation.StageChange",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision",
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["status", "closes_at"])]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:decision", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == DecisionStatus.OPEN


class VoteChoice(models.TextChoices):
    AGREE = "agree", _("Agree")
    ABSTAIN = "abstain", _("Abstain")
    DISAGREE = "disagree", _("Disagree")
    BLOCK = "block", _("Block")


class Vote(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    choice = models.CharField(_("your vote"), max_length=10, choices=VoteChoice.choices)
    reason = models.TextField(_("reason"), blank=True, max_length=5000)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cast_at", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "voter"], name="vote_once")]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return f"{self.voter_id}: {self.choice}"
