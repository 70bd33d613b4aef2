"""The change digest (004 §3.2): each publication sends one email to each subscriber (to
everything, to a category of the sheet's offers, or to the supplier), with the version's name
and a link to its change history. Real SMTP inbox; on-commit callbacks run as in production."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from courtier.accounts.models import User
from courtier.catalogue.models import Category, Subscription
from courtier.catalogue.services.subscriptions import subscribers_of, subscription_create
from tests.catalogue.factories import content, offer, publish

TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime(2026, 11, 22, 10, tzinfo=TORONTO), tick=False) as t:
        yield t


def subscribe(person, *, category: str | None = None, supplier=None) -> Subscription:
    cat = Category.objects.get(code=category) if category else None
    return subscription_create(by=person, category=cat, supplier=supplier)


@pytest.fixture
def subscribed(orgs, people):
    """Who is subscribed to what: three people concerned by Fournisseur D's courriel offer,
    two who are not."""
    subscribe(people["client_procurement"])  # everything
    subscribe(people["client_head"], category="courriel")
    subscribe(people["client_finance"], supplier=orgs["supplier"])
    subscribe(people["client_signatory"], category="sondage")
    subscribe(people["group_procurement"], supplier=orgs["supplier_other"])
    return people


def test_each_subscriber_gets_one_email_with_the_version_and_its_change_history(
    orgs, subscribed, mailbox, run_on_commit
):
    with run_on_commit():
        version = publish(orgs["supplier"], content(offer("MAIL", "Courriel infonuagique")))
    link = settings.SITE_URL + reverse("catalogue:version_detail", args=[version.pk])
    for key in ("client_procurement", "client_head", "client_finance"):
        (message,) = mailbox.to(subscribed[key].email)
        assert message["To"] == subscribed[key].email  # one person per email
        assert version.name in message["Subject"]
        body = mailbox.body(message)
        assert version.name in body
        assert link in body
    assert len(mailbox.messages) == 3


def test_people_subscribed_to_another_category_or_supplier_get_nothing(
    orgs, subscribed, mailbox, run_on_commit
):
    with run_on_commit():
        publish(orgs["supplier"], content(offer("MAIL", "Courriel infonuagique")))
    assert mailbox.to(subscribed["client_signatory"].email) == []
    assert mailbox.to(subscribed["group_procurement"].email) == []


def test_a_person_subscribed_several_ways_gets_a_single_email(orgs, people, mailbox, run_on_commit):
    person = people["client_procurement"]
    subscribe(person)
    subscribe(person, category="courriel")
    subscribe(person, supplier=orgs["supplier"])
    with run_on_commit():
        publish(orgs["supplier"], content())
    assert len(mailbox.to(person.email)) == 1


def test_the_digest_counts_the_changes_and_the_price_lines(orgs, people, mailbox, run_on_commit):
    from tests.catalogue.factories import line

    subscribe(people["client_procurement"])
    publish(orgs["supplier"], content())
    with run_on_commit():
        version = publish(
            orgs["supplier"],
            content(offer("MAIL", "Courriel Pro")),
            prices={("MAIL", date(2026, 12, 1)): [line("BASE", 1200), line("STOCK", 10)]},
        )
    (message,) = mailbox.messages
    body = mailbox.body(message)
    assert f"({version.change_count} modifications)" in body
    assert "- Offres : 1 modification\r\n" in body
    assert "2 lignes de prix modifiées" in body


def test_a_category_the_sheet_leaves_still_hears_of_it(orgs, people, mailbox, run_on_commit):
    subscribe(people["client_signatory"], category="sondage")
    publish(
        orgs["supplier"], content(offer("MAIL", "Courriel"), offer("SUR", "Sondage", "sondage"))
    )
    with run_on_commit():
        publish(orgs["supplier"], content(offer("MAIL", "Courriel")))  # the survey is withdrawn
    assert len(mailbox.to(people["client_signatory"].email)) == 1


def test_nobody_subscribed_means_no_email(orgs, mailbox, run_on_commit):
    with run_on_commit():
        publish(orgs["supplier"], content())
    assert mailbox.messages == []


def test_an_inactive_person_gets_nothing(orgs, people, mailbox, run_on_commit):
    subscribe(people["client_procurement"])
    User.objects.filter(pk=people["client_procurement"].pk).update(is_active=False)
    with run_on_commit():
        publish(orgs["supplier"], content())
    assert mailbox.messages == []


def test_a_subscription_made_after_a_publication_gets_no_digest_of_it(
    orgs, people, mailbox, run_on_commit, clock
):
    """The digest runs after the commit (a task); someone who subscribes in between was not a
    subscriber when the version was published."""
    with run_on_commit():
        version = publish(orgs["supplier"], content())
        clock.shift(60)
        subscribe(people["client_procurement"])
    assert mailbox.messages == []
    assert subscribers_of(version) == []


def test_a_rolled_back_publication_sends_nothing(orgs, people, mailbox, run_on_commit):
    from django.db import transaction

    subscribe(people["client_procurement"])
    with run_on_commit():
        try:
            with transaction.atomic():
                publish(orgs["supplier"], content())
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert mailbox.messages == []


def test_a_supplier_representative_cannot_subscribe(people):
    with pytest.raises(PermissionDenied):
        subscribe(people["supplier_rep"])
    assert not Subscription.objects.exists()
