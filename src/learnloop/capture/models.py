"""Capture: knowledge packaged for the people who must act on it."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnloop.core.models import SharedItem, Tag
from learnloop.people.models import StakeholderType


class ProductKind(models.TextChoices):
    STORY = "story", _("Story")
    REPORT = "report", _("Report")
    CHANGE_IDEA = "change_idea", _("Change-idea summary")
    CHANGE_PACKAGE = "change_package", _("Change package")
    HOW_TO = "how_to", _("How-to guide")
    PITCH = "pitch", _("Elevator pitch")
    MEDIA = "media", _("Audio or video summary")


class KnowledgeProduct(SharedItem):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ProductKind.choices, default=ProductKind.CHANGE_IDEA
    )
    summary = models.CharField(_("one-line summary"), max_length=300, blank=True)
    body = models.TextField(_("content"), max_length=100000, blank=True)
    audience = models.CharField(
        _("audience"),
        max_length=20,
        choices=StakeholderType.choices,
        default=StakeholderType.STAFF,
        help_text=_("The stakeholder group this product is made for."),
    )
    audience_detail = models.CharField(
        _("who exactly"),
        max_length=200,
        blank=True,
        help_text=_("e.g. ninth-grade teachers in partner schools"),
    )
    actions = models.TextField(
        _("what it asks of them"),
        max_length=10000,
        help_text=_("The concrete next steps the audience is asked to take."),
    )
    resources_time = models.CharField(_("time needed"), max_length=200, blank=True)
    resources_people = models.CharField(_("people needed"), max_length=200, blank=True)
    resources_money = models.CharField(_("money needed"), max_length=200, blank=True)
    media_url = models.URLField(
        _("audio or video link"),
        max_length=1000,
        blank=True,
        help_text=_("For audio or video summaries; or attach the file."),
    )
    ideas = models.ManyToManyField(
        "consolidation.Idea",
        blank=True,
        related_name="products",
        verbose_name=_("ideas it draws on"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="products", verbose_name=_("tags"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    revision_fields = (
        "title",
        "kind",
        "summary",
        "body",
        "audience",
        "audience_detail",
        "actions",
        "resources_time",
        "resources_people",
        "resources_money",
        "media_url",
        "visibility",
        "group_id",
        "idea_ids",
        "tag_names",
    )

    class Meta(SharedItem.Meta):
        ordering = ["-created_at", "-id"]
        indexes = [
            *SharedItem.Meta.indexes,
            models.Index(fields=["deleted_at", "published_at"], name="capture_product_live_pub"),
        ]
        verbose_name = _("knowledge product")
        verbose_name_plural = _("knowledge products")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("capture:product", args=[self.pk])

    @property
    def idea_ids(self) -> list[int]:
        return sorted(i.pk for i in self.ideas.all())

    @property
    def tag_names(self) -> list[str]:
        return sorted(t.name for t in self.tags.all())

    def mark_published(self) -> bool:
        """Set the publication time the first time the product leaves private draft."""
        if self.published_at is None and self.visibility != "draft":
            self.published_at = timezone.now()
            return True
        return False

    def get_public_url(self) -> str:
        return reverse("sharing:public_product", args=[self.pk])
