"""Value: the moments where people meet (convenings) and the stories that follow one thread
of value from taking part to the difference it made."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnloop.core.models import SharedItem


class ConveningKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CONVERSATION = "conversation", _("Conversation")
    WORKSHOP = "workshop", _("Workshop")
    EVENT = "event", _("Event")


class Convening(SharedItem):
    """A time people came together: a meeting, a conversation, a workshop, an event."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ConveningKind.choices, default=ConveningKind.MEETING
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("link"), max_length=1000, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="convenings",
        verbose_name=_("participants"),
    )
    other_participants = models.PositiveIntegerField(
        _("others taking part"),
        default=0,
        help_text=_("People who took part but are not in LearnLoop."),
    )
    notes = models.TextField(_("notes"), max_length=50000, blank=True)
    outputs = models.TextField(_("what came out of it"), max_length=50000, blank=True)
    # A group meeting's agenda, built from what was open in the group when it was planned:
    # a list of {"kind", "id", "title", "url", "why", "note", "done"} entries.
    agenda = models.JSONField(_("agenda"), default=list, blank=True)
    learnings = models.ManyToManyField(
        "generation.Learning",
        blank=True,
        related_name="convenings",
        verbose_name=_("learnings from it"),
        help_text=_("What people took away, captured as learnings (a meeting's step back)."),
    )

    revision_fields = (
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "place",
        "link",
        "other_participants",
        "notes",
        "outputs",
        "visibility",
        "group_id",
    )

    class Meta(SharedItem.Meta):
        ordering = ["-starts_at", "-id"]
        indexes = [
            *SharedItem.Meta.indexes,
            models.Index(fields=["group", "starts_at"], name="value_convening_grp_start"),
            models.Index(fields=["starts_at"], name="value_convening_start"),
        ]
        verbose_name = _("convening")
        verbose_name_plural = _("convenings")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("value:convening", args=[self.pk])

    @property
    def finishes_at(self) -> datetime:
        return self.ends_at or self.starts_at

    @property
    def is_upcoming(self) -> bool:
        return self.finishes_at >= timezone.now()


class ValueCycle(models.TextChoices):
    """The cycles of value, in the order a thread usually runs through them."""

    IMMEDIATE = "immediate", _("Immediate value")
    POTENTIAL = "potential", _("Potential value")
    APPLIED = "applied", _("Applied value")
    REALIZED = "realized", _("Realized value")
    REFRAMING = "reframing", _("Reframing value")


CYCLE_ORDER = list(ValueCycle.values)

CYCLE_HELP = {
    ValueCycle.IMMEDIATE: _("The experience of taking part: what it was like, what it gave."),
    ValueCycle.POTENTIAL: _("What was produced: insights, relationships, tools and artefacts."),
    ValueCycle.APPLIED: _("What someone changed in their practice because of it."),
    ValueCycle.REALIZED: _("The difference it made, with data where there is some."),
    ValueCycle.REFRAMING: _("How goals, or the way success is defined, changed."),
}


class ValueStory(SharedItem):
    """One thread of value followed through the cycles, told with the records that show it."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=20000, blank=True)

    revision_fields = ("title", "summary", "visibility", "group_id")

    class Meta(SharedItem.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("value story")
        verbose_name_plural = _("value stories")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("value:story", args=[self.pk])


class StoryStep(models.Model):
    """One step of a story, in one cycle of value, with links to the records that show it."""

    story = models.ForeignKey(ValueStory, on_delete=models.CASCADE, related_name="steps")
    cycle = models.CharField(_("cycle of value"), max_length=10, choices=ValueCycle.choices)
    narrative = models.TextField(_("what happened"), max_length=20000)
    indicator = models.CharField(
        _("indicator"),
        max_length=300,
        blank=True,
        help_text=_("A sign you can point to, e.g. “attendance rose from 88% to 94%”."),
    )
    convening = models.ForeignKey(
        Convening,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="story_steps",
        verbose_name=_("convening"),
    )
    learning = models.ForeignKey(
        "generation.Learning",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="story_steps",
        verbose_name=_("learning"),
    )
    product = models.ForeignKey(
        "capture.KnowledgeProduct",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="story_steps",
        verbose_name=_("knowledge product"),
    )
    outcome = models.ForeignKey(
        "application.Outcome",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="story_steps",
        verbose_name=_("adoption outcome"),
    )
    # A slug, not a foreign key: the measures app keeps its own life, and a story still
    # reads well if a measure is renamed or retired.
    measure_slug = models.SlugField(_("measure"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["story", "created_at", "id"]
        indexes = [models.Index(fields=["story", "cycle"])]
        verbose_name = _("story step")
        verbose_name_plural = _("story steps")

    def __str__(self) -> str:
        return f"{self.story_id} · {self.cycle}"

    def get_absolute_url(self) -> str:
        return reverse("value:story", args=[self.story_id]) + f"#step-{self.pk}"


class CalendarToken(models.Model):
    """A person's secret for calendar feeds: calendar apps cannot log in, so the feed URL
    carries it. Resetting it cuts off every calendar that used the old one."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")

    def __str__(self) -> str:
        return f"calendar token of {self.person_id}"
