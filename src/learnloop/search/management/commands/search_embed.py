"""`learnloop search_embed [--refit] [--quiet]`: compute the semantic layer's vectors now.

Fits the TF-IDF → SVD model when it is missing (or, with --refit, always), re-embeds the
documents changed since the last run, and embeds every document that has no vector yet —
under MiniLM too when the `learnloop[semantic]` extra is installed — with a progress bar
on stderr. Safe to interrupt and run again: it resumes where it stopped. The background
task (`semantic_refresh`, run by `learnloop worker`) does the same in smaller batches.
With --quiet it prints nothing unless it fails (errors go to stderr), for scripts and cron.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Fit the semantic model if needed and compute every missing vector, with progress."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--refit", action="store_true", help="Fit a new SVD model version even if not due"
        )
        parser.add_argument(
            "--quiet", action="store_true", help="No progress bar and no summary; only errors"
        )

    def handle(self, *args: Any, **o: Any) -> None:
        from tqdm import tqdm

        from learnloop.search import semantic_tasks

        bars: dict[str, Any] = {}
        labels = {"fit": "fitting the model", "changed": "changed", "embed": "embedding"}

        def progress(step: str, done: int, total: int) -> None:
            if o["quiet"]:
                return
            bar = bars.get(step)
            if bar is None:
                kind, _sep, model = step.partition(":")
                desc = labels.get(kind, kind) + (f" ({model})" if model else "")
                unit = "step" if kind == "fit" else "doc"
                bar = bars[step] = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr)
            bar.total = total
            bar.n = done
            bar.refresh()

        report = semantic_tasks.refresh(
            refit=o["refit"], limit_svd=None, limit_minilm=None, progress=progress
        )
        for bar in bars.values():
            bar.close()
        if report["busy"]:
            raise CommandError("Another process is computing vectors; try again when it ends.")
        if o["quiet"]:
            return
        from learnloop.search.semantic import active_model

        model = active_model()
        if report["fitted"]:
            self.stdout.write(f"Fitted a new model: {report['fitted']}.")
        self.stdout.write(
            f"Vectors computed: {report['embedded']} new, {report['changed']} changed. "
            + (
                f"Answering with {model.name} v{model.version} ({model.dim} dimensions)."
                if model
                else "No model yet: there are too few documents to learn from."
            )
        )
