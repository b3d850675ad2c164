"""Search: one row per searchable item, the change log that keeps derived indexes in step,
and the stored vectors of the semantic layer."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ItemType(models.TextChoices):
    LEARNING = "learning", _("Learning")
    IDEA = "idea", _("Idea")
    QUESTION = "question", _("Question")
    PRODUCT = "product", _("Knowledge product")
    PERSON = "person", _("Person")


class SearchDocument(models.Model):
    """The searchable text of one item, with the columns `core.access.visible_q` reads
    (author, group, visibility, deleted_at) copied from it, so that the one permission rule
    filters search exactly as it filters everything else. Kept in step by
    `search.services.document_sync` inside the same transaction as the edit. The database's
    own full-text index (FTS5 on SQLite, tsvector + GIN on PostgreSQL) is built on it."""

    item_type = models.CharField(max_length=10, choices=ItemType.choices)
    item_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)  # plain text (Markdown rendered and stripped)
    kind = models.CharField(max_length=20, blank=True)  # learning kind, product kind…
    stage = models.CharField(max_length=12, blank=True)  # ideas (and products: their best)
    author_id = models.BigIntegerField(null=True, db_index=True)
    group_id = models.BigIntegerField(null=True)
    organization_id = models.BigIntegerField(null=True)
    site = models.CharField(max_length=150, blank=True)
    visibility = models.CharField(max_length=10)
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item_type", "item_id"], name="search_doc_item")
        ]
        indexes = [
            models.Index(fields=["visibility", "group_id"], name="search_doc_vis"),
            models.Index(fields=["item_type", "created_at"], name="search_doc_type"),
        ]
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"{self.item_type}:{self.item_id} {self.title}"


class SearchChange(models.Model):
    """An outbox of changed documents: derived indexes (Tantivy, vectors) apply rows past
    their watermark. Written in the same transaction as the document."""

    document_id = models.BigIntegerField()
    deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("search change")
        verbose_name_plural = _("search changes")

    def __str__(self) -> str:
        return f"change {self.pk} of {self.document_id}"


class SemanticModel(models.Model):
    """A fitted model of the semantic layer (for example TF-IDF → SVD), stored so that every
    process uses the same one. `name` says which (svd-256, minilm-l6-v2 …)."""

    name = models.CharField(max_length=60)
    version = models.PositiveIntegerField()
    dim = models.PositiveIntegerField()
    fitted_at = models.DateTimeField(default=timezone.now)
    documents = models.PositiveIntegerField(default=0)
    payload = models.BinaryField(blank=True)
    complete = models.BooleanField(default=False)  # every document has its vector

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="semantic_model_version")
        ]
        verbose_name = _("semantic model")
        verbose_name_plural = _("semantic models")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class SearchVector(models.Model):
    """A document's vector under one model, stored as float16 bytes."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="vectors")
    model = models.ForeignKey(SemanticModel, on_delete=models.CASCADE, related_name="vectors")
    vector = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "document"], name="search_vector_unique")
        ]
        verbose_name = _("search vector")
        verbose_name_plural = _("search vectors")

    def __str__(self) -> str:
        return f"vector of {self.document_id} ({self.model_id})"
