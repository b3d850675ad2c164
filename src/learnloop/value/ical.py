"""iCalendar (RFC 5545) feeds of convenings, built with the `icalendar` package."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from learnloop.core.markdown import plain_text
from learnloop.value.models import Convening

DEFAULT_LENGTH = timedelta(hours=1)


def calendar_bytes(
    *, name: str, convenings: Iterable[Convening], absolute: Callable[[str], str], host: str
) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//LearnLoop//Convenings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for convening in convenings:
        event = Event()
        event.add("uid", f"convening-{convening.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("last-modified", convening.updated_at)
        event.add("dtstart", convening.starts_at)
        event.add("dtend", convening.ends_at or convening.starts_at + DEFAULT_LENGTH)
        event.add("summary", convening.title)
        url = absolute(convening.get_absolute_url())
        event.add("url", url)
        location = convening.place or convening.link
        if location:
            event.add("location", location)
        description = plain_text(convening.notes, 1000) if convening.notes else ""
        event.add("description", "\n\n".join(part for part in (description, url) if part))
        event.add("categories", [convening.get_kind_display()])
        cal.add_component(event)
    return cal.to_ical()
