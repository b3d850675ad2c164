"""Sharing: the channels knowledge travels through and the record of each share."""

from __future__ import annotations

from django.conf import settings
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
