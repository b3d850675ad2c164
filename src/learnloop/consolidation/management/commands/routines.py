"""`learnloop routines due [--user USERNAME]`, `learnloop routines remind`,
`learnloop routines schedule ...`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Consolidation routines: `routines due [--user USERNAME]` lists the routines that are "
        "due (for one person, or all of them); `routines remind` emails the people they wait "
        "for, once a day (run it from cron, or let `learnloop worker` do it); `routines "
        "schedule USERNAME KIND CADENCE [--group SLUG] [--next YYYY-MM-DD]` sets a cadence as "
        "that person."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="List due routines")
        due.add_argument("--user", help="Only the routines due for this person")
        sub.add_parser("remind", help="Email reminders for due routines (once a day each)")
        schedule = sub.add_parser("schedule", help="Set how often a routine comes round")
        schedule.add_argument("username", help="The person setting it (their rights apply)")
        schedule.add_argument("kind", choices=["summary", "synthesis", "reduction"])
        schedule.add_argument("cadence", choices=["weekly", "fortnightly", "monthly", "quarterly"])
        schedule.add_argument("--group", help="The group's short name (for a synthesis)")
        schedule.add_argument("--next", dest="next_due_on", help="First due date, YYYY-MM-DD")

    def handle(self, *args: Any, **o: Any) -> None:
        getattr(self, f"_{o['action']}")(o)

    def _person(self, username: str) -> Any:
        from learnloop.people.models import Person

        person = Person.objects.filter(username=username).first()
        if person is None:
            raise CommandError(f"No person with username {username!r}.")
        return person

    def _due(self, o: dict[str, Any]) -> None:
        from learnloop.consolidation.models import RoutineSchedule
        from learnloop.consolidation.routine_selectors import due_for, today

        if o.get("user"):
            due = due_for(viewer=self._person(o["user"]))
        else:
            # The command line speaks for the network as a whole: every due routine.
            due = list(
                RoutineSchedule.objects.filter(active=True, next_due_on__lte=today())
                .select_related("person", "group")
                .order_by("next_due_on", "id")
            )
        for s in due:
            owner = s.person or s.group or "network"
            self.stdout.write(
                f"{s.pk}\t{s.kind}\t{owner}\t{s.get_cadence_display()}\tdue {s.next_due_on}"
            )
        self.stdout.write(f"{len(due)} routine(s) due.")

    def _remind(self, o: dict[str, Any]) -> None:
        from learnloop.consolidation.routines import send_due_reminders

        n = send_due_reminders()
        self.stdout.write(f"Reminders sent for {n} routine(s).")

    def _schedule(self, o: dict[str, Any]) -> None:
        from learnloop.consolidation.routines import schedule_set
        from learnloop.people.models import Group

        person = self._person(o["username"])
        group = None
        if o.get("group"):
            group = Group.objects.filter(slug=o["group"]).first()
            if group is None:
                raise CommandError(f"No group with short name {o['group']!r}.")
        try:
            next_due = date.fromisoformat(o["next_due_on"]) if o.get("next_due_on") else None
        except ValueError:
            raise CommandError("Give the date as YYYY-MM-DD.") from None
        try:
            s = schedule_set(
                viewer=person,
                kind=o["kind"],
                cadence=o["cadence"],
                group=group,
                next_due_on=next_due,
            )
        except PermissionDenied:
            raise CommandError(f"{person.username} may not set this routine's cadence.") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"{s.pk}\t{s.kind}\t{s.get_cadence_display()}\tnext due {s.next_due_on}")
