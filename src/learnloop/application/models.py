"""Application: who must act on a product, how it is going, and what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnloop.core.models import SharedItem


class AdoptionPlan(SharedItem):
    product = models.ForeignKey(
        "capture.KnowledgeProduct",
        on_delete=models.PROTECT,
        related_name="adoption_plans",
        verbose_name=_("knowledge product"),
    )
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"), blank=True, max_length=10000)
    share = models.ForeignKey(
        "sharing.Share",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoption_plans",
        verbose_name=_("started from share"),
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    revision_fields = ("title", "goal", "visibility", "group_id")

    class Meta(SharedItem.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("adoption plan")
        verbose_name_plural = _("adoption plans")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("application:plan", args=[self.pk])


class AdoptionState(models.TextChoices):
    NOT_REACHED = "not_reached", _("Not yet reached")
    AWARE = "aware", _("Aware")
    CONSIDERING = "considering", _("Considering")
    TRYING = "trying", _("Trying")
    ADOPTED = "adopted", _("Adopted")
    DECLINED = "declined", _("Declined")


# States in which a stakeholder needs no more reviews.
SETTLED_STATES = (AdoptionState.ADOPTED, AdoptionState.DECLINED)


class ActionKind(models.TextChoices):
    ACT = "act", _("Act on the knowledge")
    RESOURCE = "resource", _("Provide resources or remove obstacles")
    SUPPORT = "support", _("Build support")


class StakeholderStep(models.Model):
    """One stakeholder in an adoption plan: what they must do and how it is going."""

    plan = models.ForeignKey(AdoptionPlan, on_delete=models.CASCADE, related_name="steps")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stakeholder_steps",
        verbose_name=_("person"),
    )
    group = models.ForeignKey(
        "people.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("group"),
    )
    organization = models.ForeignKey(
        "people.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organization"),
    )
    label = models.CharField(
        _("stakeholder"),
        max_length=200,
        blank=True,
        help_text=_("Name them if they are not in LearnLoop, e.g. 'district finance office'."),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=AdoptionState.choices, default=AdoptionState.NOT_REACHED
    )
    action_kind = models.CharField(
        _("what is asked"), max_length=10, choices=ActionKind.choices, default=ActionKind.ACT
    )
    action = models.TextField(_("the action asked of them"), max_length=5000)
    motivations = models.TextField(_("what motivates them"), blank=True, max_length=5000)
    barriers = models.TextField(_("what blocks them"), blank=True, max_length=5000)
    support = models.TextField(_("support planned"), blank=True, max_length=5000)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("stakeholder step")
        verbose_name_plural = _("stakeholder steps")

    def __str__(self) -> str:
        return self.stakeholder_name

    @property
    def stakeholder_name(self) -> str:
        for who in (self.person, self.group, self.organization):
            if who is not None:
                return str(who)
        return self.label

    @property
    def is_settled(self) -> bool:
        return self.state in SETTLED_STATES

    @property
    def is_overdue(self) -> bool:
        """A review date that has passed while the stakeholder is still on the way."""
        return (
            self.next_review_on is not None
            and not self.is_settled
            and self.next_review_on < timezone.localdate()
        )

    @property
    def stakeholder_kind(self) -> str:
        for kind in ("person", "group", "organization"):
            if getattr(self, f"{kind}_id") is not None:
                return kind
        return "label"


class StepUpdate(models.Model):
    """The history of a stakeholder's state: each review is kept."""

    step = models.ForeignKey(StakeholderStep, on_delete=models.CASCADE, related_name="updates")
    from_state = models.CharField(max_length=12, choices=AdoptionState.choices)
    to_state = models.CharField(max_length=12, choices=AdoptionState.choices)
    note = models.TextField(blank=True, max_length=5000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.step_id}: {self.from_state} → {self.to_state}"


class Outcome(models.Model):
    """What happened when a stakeholder applied (or declined) the knowledge."""

    plan = models.ForeignKey(AdoptionPlan, on_delete=models.CASCADE, related_name="outcomes")
    step = models.ForeignKey(
        StakeholderStep,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcomes",
        verbose_name=_("stakeholder"),
    )
    title = models.CharField(_("outcome"), max_length=200)
    description = models.TextField(_("what happened"), max_length=20000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("application:plan", args=[self.plan_id]) + f"#outcome-{self.pk}"
