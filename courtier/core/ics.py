"""Calendars in iCalendar format (RFC 5545), built with ``icalendar``: a person's feed of dated
work items, and the invitation to a meeting that an email carries. Core knows no app: callers
give plain values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from courtier.core.workitems import WorkItem

PRODID = "-//Courtier//Plateforme du Courtier//FR"
QUEBEC = ZoneInfo("America/Toronto")
UID_DOMAIN = "courtier"


def _calendar(name: str, method: str = "PUBLISH") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "America/Toronto")
    return cal


def absolute(url: str) -> str:
    return url if url.startswith("http") else f"{settings.SITE_URL.rstrip('/')}{url}"


def work_items_calendar(items: Iterable[WorkItem], *, name: str) -> bytes:
    """One all-day event per dated item, on its due date; its key is the event's UID, so a
    calendar updates the event rather than adding another when the item changes."""
    cal = _calendar(name)
    stamp = timezone.now()
    for item in items:
        if item.due_on is None:
            continue
        event = Event()
        event.add("uid", f"{item.key}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due_on)
        event.add("dtend", item.due_on + timedelta(days=1))
        event.add("summary", item.title)
        event.add("description", "\n".join(p for p in (item.detail, absolute(item.url)) if p))
        event.add("url", absolute(item.url))
        event.add("categories", [item.kind])
        cal.add_component(event)
    return cal.to_ical()


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str


def meeting_invitation(
    *,
    uid: str,
    summary: str,
    description: str,
    starts_at: datetime,
    duration: timedelta,
    organizer: Attendee,
    attendees: Sequence[Attendee],
    sequence: int = 0,
) -> str:
    """A meeting request (METHOD:REQUEST) at the meeting's time on the Quebec clock."""
    cal = _calendar(summary, method="REQUEST")
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    start = starts_at.astimezone(QUEBEC)
    event.add("dtstart", start)
    event.add("dtend", start + duration)
    event.add("summary", summary)
    event.add("description", description)
    event.add("sequence", sequence)
    event.add("status", "CONFIRMED")
    chair = vCalAddress(f"mailto:{organizer.email}")
    chair.params["cn"] = vText(organizer.name)
    chair.params["role"] = vText("CHAIR")
    event["organizer"] = chair
    for person in attendees:
        address = vCalAddress(f"mailto:{person.email}")
        address.params["cn"] = vText(person.name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
        event.add("attendee", address, encode=0)
    cal.add_component(event)
    # The TZID the start carries is defined in the file itself (VTIMEZONE), as RFC 5545 asks.
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")
