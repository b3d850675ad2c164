"""Notifications: what tells a person, in the app and by email, that something needs them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    ANSWER = "answer", _("Answers to my questions")
    QUESTION = "question", _("Questions I might help with")
    NUDGE = "nudge", _("Nudges from moderators")
    MEETING = "meeting", _("Meetings of my groups")
    VOTE = "vote", _("Decisions waiting for my vote")
    DECISION = "decision", _("Outcomes of decisions I took part in")
    REVIEW = "review", _("Ideas waiting for my review")
    STAGE = "stage", _("Changes of stage on ideas I follow")
    BROKER = "broker", _("Products ready for me to carry")
    SHARE = "share", _("Where my work has travelled")
    COMMENT = "comment", _("Comments on my items")
    ROUTINE = "routine", _("Routines that are due")
    SYSTEM = "system", _("Network news from stewards")


class DigestRhythm(models.TextChoices):
    NEVER = "never", _("Never")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


def _unsubscribe_token() -> str:
    return secrets.token_urlsafe(24)


class Notification(models.Model):
    """One thing one person should know about, shown in the app and maybe emailed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True, max_length=5000)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # What the notification is about, so that it can be re-checked for access when shown.
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"], name="notif_inbox"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.title}"


class NotificationSettings(models.Model):
    """How one person wants to hear from LearnLoop. Created on first need."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_enabled = models.BooleanField(
        _("send me email"),
        default=True,
        help_text=_("Off stops every email from LearnLoop except password resets."),
    )
    # Kinds the person does not want by email; everything is still shown in the app.
    muted_kinds = models.JSONField(default=list, blank=True)
    digest_rhythm = models.CharField(
        _("digest"), max_length=8, choices=DigestRhythm.choices, default=DigestRhythm.WEEKLY
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=_unsubscribe_token)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"Notification settings of {self.person_id}"

    def wants_email(self, kind: str) -> bool:
        return self.email_enabled and kind not in self.muted_kinds
