"""`learnloop digests send [--now] [--dry-run] [--person USERNAME]` and
`learnloop digests preview USERNAME`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Email digests: `digests send` emails everyone whose digest is due what is new for "
        "them (run it from cron, or let `learnloop worker` do it); `--now` sends without "
        "waiting for each person's rhythm, `--dry-run` only says who would get what, "
        "`--person USERNAME` handles one person. `digests preview USERNAME` prints that "
        "person's next digest as plain text, without sending it."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="Send the digests that are due")
        send.add_argument(
            "--now", action="store_true", help="Send now, whatever each person's rhythm"
        )
        send.add_argument(
            "--dry-run", action="store_true", help="Say who would get what; send nothing"
        )
        send.add_argument("--person", help="Only this person (username)")
        preview = sub.add_parser("preview", help="Print one person's next digest")
        preview.add_argument("username")

    def handle(self, *args: Any, **o: Any) -> None:
        getattr(self, f"_{o['action']}")(o)

    def _person(self, username: str) -> Any:
        from learnloop.people.models import Person

        person = Person.objects.filter(username=username).first()
        if person is None:
            raise CommandError(f"No person with username {username!r}.")
        return person

    def _send(self, o: dict[str, Any]) -> None:
        from learnloop.notifications.services import digests_send_due

        person = self._person(o["person"]) if o.get("person") else None
        outcomes = digests_send_due(force=o["now"], dry_run=o["dry_run"], person=person)
        for out in outcomes:
            self.stdout.write(
                f"{out.person.username}\t{out.reason}\t{out.new_count} new\t"
                f"{out.since:%Y-%m-%d %H:%M} → {out.until:%Y-%m-%d %H:%M}"
            )
        sent = sum(1 for out in outcomes if out.sent)
        if o["dry_run"]:
            would = sum(1 for out in outcomes if out.new_count)
            self.stdout.write(f"Dry run: {would} digest(s) would be sent; nothing was sent.")
        else:
            self.stdout.write(f"{sent} digest(s) sent.")

    def _preview(self, o: dict[str, Any]) -> None:
        from django.template.loader import render_to_string
        from django.utils import timezone

        from learnloop.notifications import services
        from learnloop.notifications.selectors import settings_of
        from learnloop.sharing.digests import build_digest

        person = self._person(o["username"])
        found = settings_of(person)
        since, until = services.digest_window(found, timezone.now())
        digest = build_digest(person=person, since=since, until=until)
        self.stdout.write(f"Subject: {digest.subject}\n")
        if found.pk is not None:
            footer = services.email_footer_context(found)
        else:
            footer = {"settings_url": "", "unsubscribe_url": ""}
        self.stdout.write(
            render_to_string(
                "sharing/digest_email.txt",
                {
                    "digest": digest,
                    "person": person,
                    "rhythm_label": found.get_digest_rhythm_display(),
                    **footer,
                },
            )
        )
        if digest.is_empty:
            self.stdout.write("(Nothing new: this digest would not be sent.)")
