"""Communities of impact: what groups and creation spaces add to the people app's groups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
