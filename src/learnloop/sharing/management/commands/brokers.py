"""`learnloop brokers list [--retired]` and `learnloop brokers queue USERNAME [--limit N]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Knowledge brokers: `brokers list` prints each broker with the audiences they reach "
        "and their spread over the last twelve months; `brokers queue USERNAME` prints the "
        "products ready for that broker to carry, as the broker sees them."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="List the brokers and their audiences")
        listing.add_argument("--retired", action="store_true", help="Retired brokers instead")
        queue = sub.add_parser("queue", help="Products ready for a broker to carry")
        queue.add_argument("username")
        queue.add_argument("--limit", type=int, default=50)

    def handle(self, *args: Any, **o: Any) -> None:
        if o["action"] == "list":
            self._list(retired=o["retired"])
        else:
            self._queue(o["username"], limit=max(1, o["limit"]))

    def _list(self, *, retired: bool) -> None:
        from learnloop.sharing.models import Broker
        from learnloop.sharing.spread import period_since, spread_figures

        since = period_since("365")[1]
        brokers = (
            Broker.objects.filter(retired_at__isnull=not retired)
            .select_related("person")
            .order_by("person__display_name", "person__username")
        )
        for broker in brokers:
            # Figures as the broker sees them: the command line has no viewer of its own.
            figures = spread_figures(viewer=broker.person, broker=broker, since=since)
            self.stdout.write(
                f"{broker.person.username}\t{broker.person.name}\t"
                f"{figures.audiences} audience(s) reached, {figures.shares} share(s), "
                f"{figures.responses} response(s), {figures.plans} plan(s) in 12 months"
            )
            for audience in broker.audiences.filter(retired_at__isnull=True).order_by("name"):
                self.stdout.write(f"\t{audience.get_sphere_display()}\t{audience.name}")
        self.stdout.write(f"{brokers.count()} broker(s).")

    def _queue(self, username: str, *, limit: int) -> None:
        from learnloop.sharing.broker_selectors import broker_queue, queue_rows
        from learnloop.sharing.models import Broker

        broker = (
            Broker.objects.select_related("person")
            .filter(person__username=username, retired_at__isnull=True)
            .first()
        )
        if broker is None:
            raise CommandError(f"{username} is not a knowledge broker.")
        queue = broker_queue(viewer=broker.person, broker=broker)
        for product in queue_rows(broker=broker, products=queue[:limit]):
            missing = ", ".join(a.name for a in product.missing) or "-"
            self.stdout.write(
                f"{product.pk}\t{product.top_stage or product.visibility}\t"
                f"shared {product.travelled}x\t{product.title}\tnot yet with: {missing}"
            )
        self.stdout.write(f"{queue.count()} product(s) ready to carry.")
