"""A whole network as one JSON file: every record of every LearnLoop app, plus the
uploaded files, so that export → import into an empty database loses nothing."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import FileField, Model
from django.utils import timezone

from learnloop.core.pagecache import bump_content_version

FORMAT = "learnloop-network"
VERSION = 1
APP_LABELS = [
    "people",
    "core",
    "generation",
    "consolidation",
    "capture",
    "sharing",
    "application",
    "measures",
    "value",
    "health",
    "community",
    "notifications",
    "network",
]


class NetworkFileError(Exception):
    pass


def network_models() -> list[type[Model]]:
    """Every model of the LearnLoop apps, parents before the rows that point at them."""
    configs = [(apps.get_app_config(label), None) for label in APP_LABELS]
    return serializers.sort_dependencies(configs, allow_cycles=True)


def _file_fields(model: type[Model]) -> list[str]:
    return [f.name for f in model._meta.get_fields() if isinstance(f, FileField)]


def _objects(progress: Callable[[str], None]) -> Iterator[Model]:
    for model in network_models():
        count = model._default_manager.count()
        progress(f"exporting {count} {model._meta.verbose_name_plural}")
        yield from model._default_manager.order_by("pk").iterator(chunk_size=2000)


def export_network(
    out: TextIO, *, progress: Callable[[str], None] = lambda _m: None
) -> dict[str, int]:
    objects = list(_objects(progress))
    data = json.loads(
        serializers.serialize(
            "json", objects, use_natural_foreign_keys=True, use_natural_primary_keys=False
        )
    )
    files: dict[str, str] = {}
    for obj in objects:
        for name in _file_fields(type(obj)):
            field_file = getattr(obj, name)
            if field_file and default_storage.exists(field_file.name):
                with default_storage.open(field_file.name, "rb") as handle:
                    files[field_file.name] = base64.b64encode(handle.read()).decode()
    json.dump(
        {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": timezone.now().isoformat(),
            "objects": data,
            "files": files,
        },
        out,
        ensure_ascii=False,
    )
    counts: dict[str, int] = {}
    for row in data:
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    return counts


def _is_empty() -> bool:
    return not any(m._default_manager.exists() for m in network_models())


def import_network(
    source: TextIO, *, progress: Callable[[str], None] = lambda _m: None
) -> dict[str, int]:
    """Load a network file into an empty database, all or nothing."""
    try:
        payload = json.load(source)
    except json.JSONDecodeError as exc:
        raise NetworkFileError(f"This is not a JSON file: {exc}") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise NetworkFileError(
            "This is not a LearnLoop network file (its format field is missing)."
        )
    if payload.get("version") != VERSION:
        raise NetworkFileError(f"Unsupported network file version {payload.get('version')!r}.")
    if not _is_empty():
        raise NetworkFileError(
            "The database already holds a network. Import into an empty database."
        )
    counts: dict[str, int] = {}
    with transaction.atomic():
        objects = serializers.deserialize(
            "json", json.dumps(payload["objects"]), handle_forward_references=True
        )
        deferred = []
        for i, obj in enumerate(objects, 1):
            obj.save()
            if obj.deferred_fields:
                deferred.append(obj)
            label = obj.object._meta.label_lower
            counts[label] = counts.get(label, 0) + 1
            if i % 5000 == 0:
                progress(f"imported {i} records")
        for obj in deferred:
            obj.save_deferred_fields()
        _reset_sequences()
    for name, encoded in payload.get("files", {}).items():
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(base64.b64decode(encoded)))
    bump_content_version()
    progress(f"imported {sum(counts.values())} records")
    # Search documents are derived and not exported: build them for what was imported.
    from learnloop.search.services import reindex

    progress("building the search index")
    reindex()
    return counts


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), network_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def summary(counts: dict[str, int]) -> Any:
    return ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))
