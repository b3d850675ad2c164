"""`learnloop decisions close-due` and `learnloop decisions list [--open]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Decisions the members take together: `decisions close-due` counts the votes of every "
        "decision whose time is up and prints the outcomes; `decisions list [--open]` lists them."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("close-due", help="Close every decision whose voting time is up")
        listing = sub.add_parser("list", help="List decisions, open ones first")
        listing.add_argument("--open", action="store_true", help="Only decisions still open")

    def handle(self, *args: Any, **o: Any) -> None:
        from learnloop.consolidation.decisions import decisions_close_due

        if o["action"] == "close-due":
            closed = decisions_close_due()
            for decision in closed:
                self.stdout.write(
                    f"{decision.pk}\t{decision.get_status_display()}\t{decision.title}"
                )
                self.stdout.write(f"\t{decision.outcome_reason}")
            self.stdout.write(f"{len(closed)} decision(s) closed.")
            return
        for decision in self._listing(only_open=o["open"]):
            when = decision.closes_at if decision.is_open else decision.closed_at
            self.stdout.write(
                f"{decision.pk}\t{decision.get_status_display()}\t"
                f"{when:%Y-%m-%d %H:%M}\t{decision.vote_count} vote(s)\t{decision.title}"
            )

    def _listing(self, *, only_open: bool) -> Any:
        from django.db.models import Case, Count, IntegerField, Value, When

        from learnloop.consolidation.models import Decision, DecisionStatus

        # The command line speaks for the network as a whole, so no viewer filter applies.
        qs = Decision.objects.annotate(
            vote_count=Count("votes"),
            closed_rank=Case(
                When(status=DecisionStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        ).order_by("closed_rank", "closes_at", "-id")
        if only_open:
            qs = qs.filter(status=DecisionStatus.OPEN)
        return qs
