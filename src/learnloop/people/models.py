"""People and the structure of the network: organizations, groups, memberships."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StakeholderType(models.TextChoices):
    STAFF = "staff", _("Staff")
    PARTNER = "partner", _("Partner")
    STUDENT = "student", _("Student")
    PARENT = "parent", _("Parent")
    COMMUNITY = "community", _("Community member")
    FUNDER = "funder", _("Funder")
    OTHER = "other", _("Other")


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:organization", args=[self.slug])


class Person(AbstractUser):
    """A member of the network. Stewards run the network; everyone else contributes."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    job_role = models.CharField(_("job role"), max_length=150, blank=True)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("organization"),
    )
    site = models.CharField(
        _("site"),
        max_length=150,
        blank=True,
        help_text=_("Where you work: a school, clinic, office."),
    )
    stakeholder_type = models.CharField(
        _("stakeholder type"),
        max_length=20,
        choices=StakeholderType.choices,
        default=StakeholderType.STAFF,
    )
    expertise = models.CharField(
        _("areas of expertise"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, e.g. family engagement, attendance data"),
    )
    bio = models.TextField(_("about"), blank=True, max_length=5000)
    is_steward = models.BooleanField(
        _("network steward"),
        default=False,
        help_text=_("Stewards look after the network: members, groups, standards and trash."),
    )

    class Meta:
        ordering = ["display_name", "username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def expertise_list(self) -> list[str]:
        return [e.strip() for e in self.expertise.split(",") if e.strip()]

    def get_absolute_url(self) -> str:
        return reverse("people:person", args=[self.username])


class GroupKind(models.TextChoices):
    IMPACT = "impact", _("Impact group")
    TEAM = "team", _("Team")
    CLUSTER = "cluster", _("Cluster")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Group(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=GroupKind.choices, default=GroupKind.IMPACT
    )
    purpose = models.TextField(_("purpose"), blank=True, max_length=5000)
    cadence = models.CharField(
        _("meeting cadence"), max_length=15, choices=Cadence.choices, default=Cadence.FORTNIGHTLY
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="groups",
        verbose_name=_("lead organization"),
    )
    clusters = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="linked_groups",
        limit_choices_to={"kind": GroupKind.CLUSTER},
        verbose_name=_("clusters"),
        help_text=_("Clusters (creation spaces) this group belongs to."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:group", args=[self.slug])


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    MODERATOR = "moderator", _("Moderator")


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["group__name", "person__username"]
        constraints = [
            models.UniqueConstraint(fields=["person", "group"], name="membership_unique")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.person} in {self.group} ({self.role})"


def _new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


def _invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.INVITATION_DAYS)


class Invitation(models.Model):
    """A link that lets one person join the network (and optionally a group)."""

    token = models.CharField(max_length=64, unique=True, default=_new_invitation_token)
    email = models.EmailField(_("email"))
    group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
        verbose_name=_("group to join"),
    )
    role = models.CharField(
        _("role in the group"), max_length=10, choices=Role.choices, default=Role.MEMBER
    )
    message = models.TextField(_("personal message"), blank=True, max_length=2000)
    invited_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    def get_absolute_url(self) -> str:
        return reverse("people:accept_invitation", args=[self.token])

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ApiToken(models.Model):
    """A personal access token for scripts. Only a hash is stored; the token is shown once."""

    PREFIX = "ll_"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
