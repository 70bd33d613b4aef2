"""The convocation to the startup meeting (002 §2.5) carries an ICS invitation: METHOD:REQUEST,
the meeting's time in America/Toronto, its participants as attendees."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from courtier.acquisitions import rules
from tests.acquisitions.factories import file_at, participants, schedule_meeting

TZ = ZoneInfo("America/Toronto")


def test_the_queued_convocation_carries_an_invitation_that_parses(
    orgs, people, offers, mailbox, run_on_commit
):
    by, broker = people["client_procurement"], people["broker_agent"]
    file = file_at(rules.State.STARTUP, by=by, client=orgs["client"])
    mailbox.messages.clear()
    with run_on_commit():
        meeting = schedule_meeting(file, by=broker)
    (message,) = mailbox.to("camille@client.example")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "rencontre-demarrage.ics"
    calendar = Calendar.from_ical(attachment.get_content())
    assert str(calendar["METHOD"]) == "REQUEST"
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/Toronto"
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start == meeting.scheduled_for
    assert str(start.tzinfo) == "America/Toronto"
    assert start.astimezone(TZ).hour == 10  # the factory's 10:00 in Quebec
    assert event.decoded("DTEND") - start == timedelta(hours=1)
    assert str(event["UID"]) == f"acquisitions.meeting:{file.pk}@courtier"
    assert file.reference in str(event["SUMMARY"])
    attendees = event["ATTENDEE"]
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert sorted(str(a) for a in attendees) == sorted(
        f"mailto:{p['email']}" for p in participants()
    )
    assert str(event["ORGANIZER"]) == f"mailto:{broker.email}"
    assert "invitation est jointe" in mailbox.body(message)
