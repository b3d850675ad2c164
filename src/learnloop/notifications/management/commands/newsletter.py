"""`learnloop newsletter --since DATE --until DATE --audience public --format md`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Export a newsletter issue (what matured, new knowledge products, notable learnings, "
        "with stages and credits) for a period and an audience: `network` (what every "
        "member may see) or `public` (public items only). Prints it, or writes --output FILE."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--since", help="First day, YYYY-MM-DD (default: 30 days ago)")
        parser.add_argument("--until", help="Last day, YYYY-MM-DD (default: today)")
        parser.add_argument("--audience", choices=["network", "public"], default="network")
        parser.add_argument("--format", dest="fmt", choices=["md", "html"], default="md")
        parser.add_argument("--output", help="Write the issue to this file")

    def handle(self, *args: Any, **o: Any) -> None:
        from learnloop.sharing import newsletter

        first, last = newsletter.default_period()
        try:
            since, until, audience, fmt = newsletter.clean_request(
                since=o["since"] or first,
                until=o["until"] or last,
                audience=o["audience"],
                fmt=o["fmt"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        issue = newsletter.build_issue(since=since, until=until, audience=audience)
        text = newsletter.render(issue, fmt)
        if o.get("output"):
            Path(o["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {o['output']}.")
        else:
            self.stdout.write(text)
