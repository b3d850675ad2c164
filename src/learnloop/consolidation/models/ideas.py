"""Consolidation: ideas, the evidence behind them, and recorded stage decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnloop.core.models import SharedItem, Tag


class Stage(models.TextChoices):
    EMERGING = "emerging", _("Emerging")
    TESTING = "testing", _("Testing")
    PROMISING = "promising", _("Promising")
    KNOWLEDGE = "knowledge", _("Knowledge")
    SCALING = "scaling", _("Scaling")
    RETURNED = "returned", _("Returned")


# The ladder an idea climbs; `returned` sits apart from it (back to generation).
LADDER = (Stage.EMERGING, Stage.TESTING, Stage.PROMISING, Stage.KNOWLEDGE, Stage.SCALING)

STAGE_HELP = {
    Stage.EMERGING: _("An untested hunch, shared openly so that others can build on it."),
    Stage.TESTING: _("Being tried in practice; evidence is coming in."),
    Stage.PROMISING: _("Early evidence from more than one context points the same way."),
    Stage.KNOWLEDGE: _("Meets the network's standards for what counts as knowledge."),
    Stage.SCALING: _("Knowledge that is being spread and adopted widely."),
    Stage.RETURNED: _("Did not hold up; sent back to generation, with the reason kept."),
}


class Idea(SharedItem):
    """A claim about what works, carried up the maturity ladder by evidence."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("the idea"), max_length=50000)
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.EMERGING
    )
    stage_changed_at = models.DateTimeField(default=timezone.now)
    tags = models.ManyToManyField(Tag, blank=True, related_name="ideas", verbose_name=_("tags"))
    serves = models.JSONField(
        _("meant to benefit"),
        default=list,
        blank=True,
        help_text=_(
            "Stakeholder types this idea is meant to serve; decisions flag when none "
            "of them took part."
        ),
    )
    # Re-opening: set when new evidence contradicts an idea that is already knowledge.
    review_flagged_at = models.DateTimeField(null=True, blank=True)
    review_flag = models.TextField(blank=True, max_length=5000)

    revision_fields = ("title", "summary", "visibility", "group_id", "tag_names")

    class Meta(SharedItem.Meta):
        ordering = ["-updated_at", "-id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consolidation:idea", args=[self.pk])

    @property
    def tag_names(self) -> list[str]:
        return sorted(t.name for t in self.tags.all())

    @property
    def stage_help(self) -> str:
        return str(STAGE_HELP[Stage(self.stage)])


class Relation(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    CONTRADICTS = "contradicts", _("Contradicts")
    CONTEXT = "context", _("Context")


class Evidence(models.Model):
    """A learning linked to an idea, with the context it comes from."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="evidence")
    learning = models.ForeignKey(
        "generation.Learning", on_delete=models.CASCADE, related_name="evidence_links"
    )
    relation = models.CharField(
        _("relation"), max_length=12, choices=Relation.choices, default=Relation.SUPPORTS
    )
    note = models.TextField(_("why it matters"), blank=True, max_length=5000)
    # The context is copied at link time so that later moves of the learning do not
    # rewrite the history of where the evidence came from.
    context_group = models.ForeignKey(
        "people.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    context_site = models.CharField(max_length=150, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    routine = models.ForeignKey(
        "consolidation.Routine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "learning"], name="evidence_unique_learning")
        ]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"{self.learning_id} {self.relation} {self.idea_id}"


class StageChange(models.Model):
    """A recorded decision to move an idea between stages, with the evidence at the time."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=10, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=10, choices=Stage.choices)
    reason = models.TextField(_("reason"), max_length=10000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now, db_index=True)
    evidence_snapshot = models.JSONField(default=dict)
    # A moderator's change without a decision, for instance to correct an error; it is
    # shown on the idea as an override, with its reason.
    override = models.BooleanField(default=False)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.from_stage} → {self.to_stage}"


class Endorsement(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="endorsements")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements"
    )
    note = models.CharField(_("why you endorse it"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "person"], name="endorsement_unique")
        ]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")

    def __str__(self) -> str:
        return f"{self.person_id} endorses {self.idea_id}"
