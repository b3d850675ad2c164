"""Reviews: one member's judgement of an idea against each standard of a version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    MEETS = "meets", _("Meets it")
    PARTLY = "partly", _("Partly")
    NOT_MET = "not_met", _("Does not meet it yet")
    UNSURE = "unsure", _("Cannot tell")


class Review(models.Model):
    idea = models.ForeignKey("consolidation.Idea", on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    version = models.ForeignKey(
        "consolidation.StandardsVersion", on_delete=models.PROTECT, related_name="reviews"
    )
    summary = models.TextField(_("overall"), blank=True, max_length=10000)
    missing = models.TextField(_("what is still missing"), blank=True, max_length=10000)
    routine = models.ForeignKey(
        "consolidation.Routine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "reviewer", "version"], name="review_once_per_version"
            )
        ]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"Review of {self.idea_id} by {self.reviewer_id}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "consolidation.Criterion", on_delete=models.PROTECT, related_name="scores"
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    justification = models.TextField(_("why"), max_length=5000)
    evidence = models.ManyToManyField("consolidation.Evidence", blank=True, related_name="+")

    class Meta:
        ordering = ["criterion__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.verdict}"
