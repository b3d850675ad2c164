"""Communities of impact: what groups and creation spaces add to the people app's groups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnloop.core.models import SharedItem, Tag


class Follow(models.Model):
    """A person keeps up with a group they do not belong to (its public and network work
    shows in their feed and digest)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    group = models.ForeignKey("people.Group", on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["person", "group"], name="follow_unique")]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")

    def __str__(self) -> str:
        return f"{self.person_id} follows {self.group_id}"


class Narrative(SharedItem):
    """An opportunity narrative: a network (no group) or a creation space (its cluster as
    the group) frames a shared opportunity and calls people to act on it, linked to the
    groups, questions and ideas working on it."""

    title = models.CharField(_("title"), max_length=200)
    opportunity = models.TextField(
        _("the opportunity"),
        max_length=50000,
        help_text=_("What could be better, for whom, and why now. Markdown is fine."),
    )
    call_to_act = models.TextField(
        _("the call to act"),
        max_length=10000,
        help_text=_("What you ask groups and people to do, in a few plain sentences."),
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="narratives", verbose_name=_("tags")
    )
    groups = models.ManyToManyField(
        "people.Group",
        blank=True,
        related_name="narratives",
        verbose_name=_("groups working on it"),
    )
    questions = models.ManyToManyField(
        "generation.Question",
        blank=True,
        related_name="narratives",
        verbose_name=_("questions it asks"),
    )
    ideas = models.ManyToManyField(
        "consolidation.Idea",
        blank=True,
        related_name="narratives",
        verbose_name=_("ideas working on it"),
    )

    # Linked records are kept by id: a title in the history could show a reader something
    # they may not see.
    revision_fields = (
        "title",
        "opportunity",
        "call_to_act",
        "visibility",
        "group_id",
        "tag_names",
        "group_ids",
        "question_ids",
        "idea_ids",
    )

    class Meta(SharedItem.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("opportunity narrative")
        verbose_name_plural = _("opportunity narratives")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("spaces:narrative", args=[self.pk])

    @property
    def tag_names(self) -> list[str]:
        return sorted(t.name for t in self.tags.all())

    @property
    def group_ids(self) -> list[int]:
        return sorted(g.pk for g in self.groups.all())

    @property
    def question_ids(self) -> list[int]:
        return sorted(q.pk for q in self.questions.all())

    @property
    def idea_ids(self) -> list[int]:
        return sorted(i.pk for i in self.ideas.all())
