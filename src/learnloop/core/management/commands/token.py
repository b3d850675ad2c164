from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Manage personal API tokens: `token create USERNAME [--name NAME]` prints a new token."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create", help="Create a token and print it (it is shown only once)"
        )
        create.add_argument("username")
        create.add_argument("--name", default="command line")
        listing = sub.add_parser("list", help="List a person's tokens")
        listing.add_argument("username")

    def handle(self, *args: Any, **o: Any) -> None:
        from learnloop.people.models import Person
        from learnloop.people.services import token_create

        person = Person.objects.filter(username=o["username"]).first()
        if person is None:
            raise CommandError(f"No person with username {o['username']!r}.")
        if o["action"] == "create":
            _token, raw = token_create(person=person, name=o["name"])
            self.stdout.write(raw)
            return
        for token in person.api_tokens.all():
            state = "revoked" if token.revoked_at else "active"
            self.stdout.write(
                f"{token.pk}\t{token.hint}…\t{token.name}\t{state}\t{token.created_at:%Y-%m-%d}"
            )
