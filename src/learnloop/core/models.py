"""Pieces every phase of the cycle shares: visibility, soft delete, revisions, comments,
attachments, tags and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    DRAFT = "draft", _("Private draft")
    GROUP = "group", _("Group")
    NETWORK = "network", _("Network")
    PUBLIC = "public", _("Public")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def normalize(cls, raw: str) -> str:
        return " ".join(raw.strip().lower().split())[:60]

    @classmethod
    def slug_for(cls, name: str) -> str:
        return slugify(name)[:60] or "tag"


class Comment(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    body = models.TextField(_("comment"), max_length=20000)
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.author} on {self.content_type.model} {self.object_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{filename}"


class Attachment(models.Model):
    """Evidence or media attached to an item: an uploaded file or a link."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=200, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path, blank=True, max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attachments"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(url="") & models.Q(file="")),
                name="attachment_has_url_or_file",
            )
        ]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        if self.file:
            return self.file.name.rsplit("/", 1)[-1]
        return self.url

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class Revision(models.Model):
    """A snapshot of an item's editable fields, kept on every create and edit."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    number = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions"
    )
    summary = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"], name="revision_unique_number"
            )
        ]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} r{self.number}"


class AuditEvent(models.Model):
    """Who did what to which record, for stewards and for the activity feed."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    verb = models.CharField(max_length=60)
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.SET_NULL)
    object_id = models.PositiveBigIntegerField(null=True)
    target = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.actor} {self.verb} {self.content_type} {self.object_id}"


class ItemQuerySet(models.QuerySet):
    def alive(self) -> ItemQuerySet:
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> ItemQuerySet:
        return self.filter(deleted_at__isnull=False)


class SharedItem(models.Model):
    """Base of every record people write for the network: authored, placed in a group,
    visible at one of four levels, soft-deleted, commented on."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_authored",
        verbose_name=_("author"),
    )
    group = models.ForeignKey(
        "people.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(app_label)s_%(class)s_items",
        verbose_name=_("group"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.NETWORK
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comments = GenericRelation(Comment)
    attachments = GenericRelation(Attachment)

    objects = ItemQuerySet.as_manager()

    # Fields whose values a revision keeps; each concrete model names its own.
    revision_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True
        indexes = [
            models.Index(
                fields=["visibility", "deleted_at", "created_at"],
                name="%(app_label)s_%(class)s_vis",
            ),
            models.Index(fields=["group", "created_at"], name="%(app_label)s_%(class)s_grp"),
            models.Index(fields=["author", "created_at"], name="%(app_label)s_%(class)s_auth"),
            # Newest live items first, whatever their visibility: the feed and every list
            # walk this index and stop after a page instead of sorting the whole table.
            models.Index(fields=["deleted_at", "created_at"], name="%(app_label)s_%(class)s_live"),
        ]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
