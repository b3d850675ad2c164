"""Sharing: the channels knowledge travels through and the record of each share."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    FEED = "feed", _("In-app feed")
    EMAIL = "email", _("Email or newsletter")
    MEETING = "meeting", _("Meeting or convening")
    WEBSITE = "website", _("Website or public page")
    SOCIAL = "social", _("Social media")
    PRINT = "print", _("Print")
    PERSONAL = "personal", _("Person to person")
    OTHER = "other", _("Other")


class Channel(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ChannelKind.choices, default=ChannelKind.OTHER
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    reaches_outside = models.BooleanField(_("reaches beyond the network"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name


class Sphere(models.TextChoices):
    """How far beyond the author's own group an audience lies."""

    GROUPS = "groups", _("Other groups and teams in the network")
    PARTNERS = "partners", _("Partner organizations")
    FIELD = "field", _("The wider field")


class Broker(models.Model):
    """A person the stewards named to carry knowledge across boundaries."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="broker"
    )
    note = models.TextField(_("what they carry and to whom"), blank=True, max_length=2000)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    named_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person__display_name", "person__username"]
        verbose_name = _("knowledge broker")
        verbose_name_plural = _("knowledge brokers")

    def __str__(self) -> str:
        return str(self.person)


class BrokerAudience(models.Model):
    """An audience a broker reaches: a team, a partner organization, a part of the field."""

    broker = models.ForeignKey(Broker, on_delete=models.CASCADE, related_name="audiences")
    name = models.CharField(_("audience"), max_length=200)
    sphere = models.CharField(
        _("sphere"), max_length=10, choices=Sphere.choices, default=Sphere.GROUPS
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["broker", "name"]
        constraints = [
            models.UniqueConstraint(fields=["broker", "name"], name="broker_audience_unique")
        ]
        verbose_name = _("broker audience")
        verbose_name_plural = _("broker audiences")

    def __str__(self) -> str:
        return self.name


class VoiceGuideline(models.Model):
    """One line of the network's tone-and-voice checklist, written by stewards; an author
    ticks every line before something becomes public."""

    text = models.CharField(_("guideline"), max_length=300)
    explanation = models.TextField(_("explanation"), blank=True, max_length=2000)
    position = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("voice guideline")
        verbose_name_plural = _("voice guidelines")

    def __str__(self) -> str:
        return self.text


class PublicationCheck(models.Model):
    """The record that someone checked an item against the guidelines and made it public."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    guidelines = models.JSONField(default=list)  # the texts as they read when ticked
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="pubcheck_item")]
        verbose_name = _("publication check")
        verbose_name_plural = _("publication checks")

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} checked by {self.checked_by_id}"


class Share(models.Model):
    """One time a product was carried to an audience through a channel."""

    product = models.ForeignKey(
        "capture.KnowledgeProduct", on_delete=models.CASCADE, related_name="shares"
    )
    channel = models.ForeignKey(
        Channel,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shares",
        verbose_name=_("channel"),
    )
    audience = models.CharField(_("audience reached"), max_length=200)
    note = models.TextField(_("note"), blank=True, max_length=5000)
    response = models.TextField(_("response"), blank=True, max_length=5000)
    # When a broker carries it: which of their audiences, and in which sphere.
    broker_audience = models.ForeignKey(
        "BrokerAudience",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shares",
        verbose_name=_("broker audience"),
    )
    sphere = models.CharField(_("sphere"), max_length=10, choices=Sphere.choices, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shares"
    )
    shared_at = models.DateTimeField(_("shared on"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-shared_at", "-id"]
        verbose_name = _("share")
        verbose_name_plural = _("shares")

    def __str__(self) -> str:
        return f"{self.product_id} → {self.audience}"
