"""The private calendar feed (ICS) of a person's deadlines: made, replaced and revoked in « Mon
compte », only the person's own dated items, 404 once revoked, no session needed."""

from __future__ import annotations

import re

from django.urls import reverse
from icalendar import Calendar

from courtier.accounts import services
from courtier.accounts.models import CalendarFeed
from courtier.audit.models import AuditEvent
from courtier.core.workitems import items_for
from tests.helpers import page_text


def feed_url_on(page: str) -> str:
    (url,) = re.findall(r'id="new-feed-url">([^<]+)<', page)
    return url


def make_feed(client, user) -> str:
    client.force_login(user)
    response = client.post(reverse("accounts:calendar_feed_create"), follow=True)
    assert response.status_code == 200
    return feed_url_on(response.content.decode())


def events(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_feed_lists_only_the_persons_own_dated_deadlines(client, orgs, people):
    owner, other = people["client_procurement"], people["supplier_rep"]
    services.api_token_create(user=owner, name="Intégration", days=5)
    services.api_token_create(user=other, name="Autre", days=5)
    url = make_feed(client, owner)
    assert "http" in url and "/agenda/" in url
    client.logout()  # the secret in the URL is the only credential
    found = events(client.get(url))
    own = [i for i in items_for(owner) if i.due_on]
    assert own
    assert sorted(str(e["UID"]) for e in found) == sorted(f"{i.key}@courtier" for i in own)
    (event,) = found
    assert "Intégration" in str(event["SUMMARY"])
    assert event.decoded("DTSTART") == own[0].due_on


def test_a_revoked_or_replaced_feed_answers_404_and_each_change_is_audited(client, people):
    owner = people["client_procurement"]
    first = make_feed(client, owner)
    second = make_feed(client, owner)  # replaced: the first stops working
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    response = client.post(reverse("accounts:calendar_feed_revoke"), follow=True)
    assert "révoqué" in page_text(response)
    assert client.get(second).status_code == 404
    assert client.get("/agenda/inconnu.ics").status_code == 404
    assert not CalendarFeed.objects.filter(user=owner, revoked_at__isnull=True).exists()
    actions = list(
        AuditEvent.objects.filter(object_type="accounts.calendarfeed")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "calendar_feed.created",
        "calendar_feed.revoked",
        "calendar_feed.created",
        "calendar_feed.revoked",
    ]
    assert AuditEvent.objects.filter(action="calendar_feed.created", actor=owner).count() == 2


def test_only_a_hash_of_the_secret_is_kept(client, people):
    url = make_feed(client, people["client_head"])
    secret = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=people["client_head"])
    assert feed.key_hash == services.hash_token(secret)
    assert secret not in feed.key_hash


def test_the_account_page_shows_the_feed_url_once(client, people):
    make_feed(client, people["client_head"])
    text = page_text(client.get(reverse("accounts:account")))
    assert 'id="new-feed-url"' not in text
    assert "Agenda actif" in text


def test_an_inactive_persons_feed_answers_404(client, people):
    owner = people["client_finance"]
    url = make_feed(client, owner)
    owner.is_active = False
    owner.save()
    assert client.get(url).status_code == 404
