from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create a person. With --steward they can run the network from the web UI."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="Display name")
        parser.add_argument("--steward", action="store_true", help="Make them a network steward")
        parser.add_argument("--password", default=None, help="Password (asked for when omitted)")
        parser.add_argument("--no-password", action="store_true", help="Create without a password")

    def handle(self, *args: Any, **o: Any) -> None:
        from learnloop.people.services import person_create

        password = o["password"]
        if password is None and not o["no_password"]:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        try:
            person = person_create(
                username=o["username"],
                email=o["email"],
                password=password or None,
                display_name=o["name"],
                is_steward=o["steward"],
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from None
        if o["steward"]:
            person.is_staff = person.is_superuser = True
            person.save(update_fields=["is_staff", "is_superuser"])
        role = "steward" if o["steward"] else "member"
        self.stdout.write(self.style.SUCCESS(f"Created {role} {person.username}."))
