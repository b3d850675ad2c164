"""Generation: what people learn from their daily work."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnloop.core.models import SharedItem, Tag


class LearningKind(models.TextChoices):
    REFLECTION = "reflection", _("Reflection")
    OBSERVATION = "observation", _("Observation")
    TEST_RESULT = "test_result", _("Test result")
    DATA = "data", _("Data")
    STORY = "story", _("Story")
    QUESTION = "question", _("Question")


class TestCycleStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    RUNNING = "running", _("Running")
    STUDYING = "studying", _("Studying the results")
    DONE = "done", _("Done")


class TestCycle(SharedItem):
    """A short plan-do-study-act cycle: try a change on a small scale and learn from it."""

    __test__ = False  # not a pytest test class, whatever its name

    title = models.CharField(_("change being tested"), max_length=200)
    plan = models.TextField(_("plan"), help_text=_("What will you try, with whom, when?"))
    prediction = models.TextField(
        _("prediction"), blank=True, help_text=_("What do you expect to happen?")
    )
    what_happened = models.TextField(_("what happened"), blank=True)
    learned = models.TextField(_("what we learned"), blank=True)
    next_step = models.TextField(
        _("next step"), blank=True, help_text=_("Adapt, adopt or abandon, and what comes next.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TestCycleStatus.choices,
        default=TestCycleStatus.PLANNING,
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    revision_fields = (
        "title",
        "plan",
        "prediction",
        "what_happened",
        "learned",
        "next_step",
        "status",
        "visibility",
    )

    class Meta(SharedItem.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("test cycle")
        verbose_name_plural = _("test cycles")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("generation:test_cycle", args=[self.pk])


class Learning(SharedItem):
    """Something a person learned from the work: the raw material of the cycle."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what you learned"), max_length=50000, blank=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=LearningKind.choices, default=LearningKind.REFLECTION
    )
    site = models.CharField(
        _("site"), max_length=150, blank=True, help_text=_("The context it comes from.")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="learnings", verbose_name=_("tags"))
    test_cycle = models.ForeignKey(
        TestCycle,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learnings",
        verbose_name=_("test cycle"),
    )
    # An outcome recorded in an adoption plan is itself a new learning: the loop closes here.
    outcome = models.OneToOneField(
        "application.Outcome",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning",
    )

    revision_fields = ("title", "body", "kind", "site", "visibility", "group_id", "tag_names")

    class Meta(SharedItem.Meta):
        ordering = ["-created_at", "-id"]
        indexes = [
            *SharedItem.Meta.indexes,
            models.Index(
                fields=["group", "kind", "created_at"], name="generation_learning_grp_kind"
            ),
        ]
        verbose_name = _("learning")
        verbose_name_plural = _("learnings")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("generation:learning", args=[self.pk])

    @property
    def tag_names(self) -> list[str]:
        return sorted(t.name for t in self.tags.all())


class Question(SharedItem):
    """An open question posed to a group or to the whole network."""

    title = models.CharField(_("question"), max_length=300)
    body = models.TextField(_("details"), blank=True, max_length=20000)
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions", verbose_name=_("tags"))
    closed_at = models.DateTimeField(null=True, blank=True)

    revision_fields = ("title", "body", "visibility", "group_id")

    class Meta(SharedItem.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("generation:question", args=[self.pk])


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answers"
    )
    body = models.TextField(_("answer"), max_length=20000)
    accepted = models.BooleanField(_("accepted"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-accepted", "created_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"Answer by {self.author} to {self.question_id}"
