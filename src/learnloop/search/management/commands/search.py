"""`learnloop search reindex [--batch 2000] [--quiet]`, `learnloop search status`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Search: `search reindex` rewrites every item's search document from the items "
        "themselves (after an import, a restore, or to repair), then rebuilds each engine's "
        "index from them, with a progress bar on stderr; `search status` prints how many "
        "documents there are, changes not yet applied, and the engine in use."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="Rebuild every search document and index")
        reindex.add_argument(
            "--batch", type=int, default=2000, help="Items per transaction (default 2000)"
        )
        reindex.add_argument("--quiet", action="store_true", help="No progress bars")
        sub.add_parser("status", help="Documents, pending changes and the engine in use")

    def handle(self, *args: Any, **o: Any) -> None:
        getattr(self, f"_{o['action']}")(o)

    def _reindex(self, o: dict[str, Any]) -> None:
        from tqdm import tqdm

        from learnloop.search.services import reindex

        if o["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        stream = getattr(self.stderr, "_out", self.stderr)
        bars: list[Any] = []

        def bar_for(label: str) -> Any:
            if o["quiet"]:
                return None
            state: dict[str, Any] = {}

            def progress(done: int, total: int) -> None:
                bar = state.get("bar")
                if bar is None:
                    bar = state["bar"] = tqdm(
                        total=total, desc=label, unit="doc", file=stream, dynamic_ncols=True
                    )
                    bars.append(bar)
                bar.total = total
                bar.update(done - bar.n)
                if done >= total:
                    bar.close()  # the next stage gets its own line

            return progress

        try:
            report = reindex(
                batch=o["batch"],
                progress=bar_for("documents"),
                engine_progress=lambda name: bar_for(name),
            )
        finally:
            for bar in bars:
                bar.close()
        self.stdout.write(f"documents: {report.pop('documents')}")
        for name, count in report.items():
            self.stdout.write(f"{name}: {count} indexed")

    def _status(self, o: dict[str, Any]) -> None:
        from django.db import connection
        from django.db.models import Count

        from learnloop.search import ddl, searching
        from learnloop.search.models import SearchChange, SearchDocument

        by_type = dict(
            SearchDocument.objects.filter(deleted_at__isnull=True)
            .values_list("item_type")
            .annotate(n=Count("id"))
            .order_by()
        )
        self.stdout.write(f"documents: {sum(by_type.values())}")
        for item_type, n in sorted(by_type.items()):
            self.stdout.write(f"documents_{item_type}: {n}")
        deleted = SearchDocument.objects.filter(deleted_at__isnull=False).count()
        self.stdout.write(f"documents_deleted: {deleted}")
        self.stdout.write(f"changes_logged: {SearchChange.objects.count()}")
        self.stdout.write(f"full_text_index: {'ready' if ddl.is_ready(connection) else 'MISSING'}")
        engine = searching.lexical_engine()
        self.stdout.write(f"engine_setting: {searching.engine_setting()}")
        self.stdout.write(f"engine: {engine.name}")
        status = getattr(engine, "status", None)
        if status is None:
            tantivy = searching.optional_module("learnloop.search.tantivy_engine")
            if tantivy is not None and searching.engine_setting() != "native":
                status = getattr(tantivy.get_engine(), "status", None)
        if callable(status):
            for key, value in status().items():
                self.stdout.write(f"tantivy_{key}: {value}")
        layer = searching.semantic_layer()
        model = getattr(layer, "active_model", None)
        active = model() if callable(model) else None
        self.stdout.write(f"semantic_model: {active if active is not None else 'none'}")
