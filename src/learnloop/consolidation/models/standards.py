"""The network's own standards for what counts as knowledge, kept as numbered versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed, being decided")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Not adopted")


class StandardsVersion(models.Model):
    """One complete set of criteria. Members propose a new version; a decision adopts it.

    The current standards are the adopted version with the highest number; earlier adopted
    versions are the history, and every review records the version it used.
    """

    number = models.PositiveIntegerField(null=True, blank=True, unique=True)
    title = models.CharField(_("title"), max_length=200)
    rationale = models.TextField(_("why this change"), max_length=20000, blank=True)
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changes version"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    adopted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number", "-created_at"]
        verbose_name = _("standards version")
        verbose_name_plural = _("standards versions")

    def __str__(self) -> str:
        if self.number:
            return f"v{self.number}: {self.title}"
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("standards:version", args=[self.pk])


class CriterionKind(models.TextChoices):
    CONTEXTS = "contexts", _("Tried in enough contexts")
    MEASURE = "measure", _("Improves a shared measure")
    REACH = "reach", _("Reaches the people it is meant for")
    CONTRADICTION = "contradiction", _("No unresolved contradicting evidence")
    EQUITY = "equity", _("Equity")
    OTHER = "other", _("Other")


class Criterion(models.Model):
    """One standard within a version: what an idea must show, in the network's words."""

    version = models.ForeignKey(StandardsVersion, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(
        _("kind"), max_length=15, choices=CriterionKind.choices, default=CriterionKind.OTHER
    )
    title = models.CharField(_("standard"), max_length=200)
    description = models.TextField(_("what it asks for"), max_length=5000, blank=True)
    min_contexts = models.PositiveSmallIntegerField(
        _("least number of contexts"),
        null=True,
        blank=True,
        help_text=_("For standards about contexts: how many distinct groups or sites."),
    )

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")

    def __str__(self) -> str:
        return self.title

    @property
    def is_equity(self) -> bool:
        return self.kind == CriterionKind.EQUITY
