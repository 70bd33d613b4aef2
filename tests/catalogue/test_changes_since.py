"""What changed in these offers since a date (004 §3.2; for acquisitions in progress), and the
sheet version in force on a date."""

from __future__ import annotations

import copy
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from courtier.catalogue.models import Offer
from courtier.catalogue.selectors import changes_since, version_in_force
from tests.catalogue.factories import content, line, offer, publish

TZ = ZoneInfo("America/Toronto")


def at(year: int, month: int, day: int, hour: int = 9):
    return time_machine.travel(datetime(year, month, day, hour, tzinfo=TZ))


@pytest.fixture
def history(orgs):
    """Versions of supplier D's sheet, each changing something else:
    v1 Dec 1 (THEATRE and MAIL), v2 Dec 2 THEATRE's description, v3 Jan 2 MAIL's prices,
    v4 Jan 5 the Toronto data centre (used by MAIL only), v5 Jan 6 the contacts (whole sheet),
    v6 Jan 7 a new offer NEW, v7 Jan 8 a component of THEATRE, v8 Jan 9 MAIL withdrawn."""
    sheet = content(
        offer("THEATRE", "Théâtre numérique", "visioconference", data_centres=["MTL"]),
        offer("MAIL", "Courriel infonuagique", "courriel", data_centres=["MTL", "TOR"]),
    )
    versions = {}

    def step(key, when, prices=None):
        with at(*when):
            versions[key] = publish(orgs["supplier"], sheet, prices=prices)

    step("v1", (2025, 12, 1), {("MAIL", date(2025, 12, 1)): [line("BASE", 900)]})
    sheet["offers"][0]["description"] = "Spectacles en direct."
    step("v2", (2025, 12, 2))
    step("v3", (2026, 1, 2), {("MAIL", date(2026, 1, 2)): [line("BASE", 950)]})
    sheet["data_centres"][1]["city"] = "Mississauga"
    step("v4", (2026, 1, 5))
    sheet["contacts"][0]["phone"] = "418 555-0199"
    step("v5", (2026, 1, 6))
    sheet["offers"].append(offer("NEW", "Nouvelle offre", "sondage"))
    step("v6", (2026, 1, 7))
    sheet["offers"][0]["components"][1]["name"] = "Stockage supplémentaire"
    step("v7", (2026, 1, 8))
    sheet = copy.deepcopy(sheet)
    del sheet["offers"][1]
    step("v8", (2026, 1, 9))
    with at(2026, 1, 5):
        versions["other"] = publish(orgs["supplier_other"], content())
    offers = {o.code: o for o in Offer.objects.filter(supplier=orgs["supplier"])}
    with at(2026, 1, 20):
        yield versions, offers


def names(found, offer, versions):
    keys = {v.pk: k for k, v in versions.items()}
    return [keys[v.pk] for v in found[offer.pk]]


def test_it_lists_the_versions_that_changed_each_offer(history, people):
    versions, offers = history
    found = changes_since(
        people["client_procurement"], [offers["THEATRE"].pk, offers["MAIL"].pk], date(2025, 12, 1)
    )
    assert names(found, offers["THEATRE"], versions) == ["v2", "v5", "v7"]
    assert names(found, offers["MAIL"], versions) == ["v3", "v4", "v5", "v8"]


def test_it_reads_a_date_as_after_the_end_of_that_day(history, people):
    versions, offers = history
    found = changes_since(people["client_procurement"], [offers["THEATRE"].pk], date(2026, 1, 6))
    assert names(found, offers["THEATRE"], versions) == ["v7"]


def test_it_reads_a_moment_to_the_second(history, people):
    versions, offers = history
    before_v2 = datetime(2025, 12, 2, 8, 59, tzinfo=TZ)
    after_v2 = datetime(2025, 12, 2, 9, 1, tzinfo=TZ)
    user = people["client_procurement"]
    assert (
        names(changes_since(user, [offers["THEATRE"].pk], before_v2), offers["THEATRE"], versions)[
            0
        ]
        == "v2"
    )
    assert (
        names(changes_since(user, [offers["THEATRE"].pk], after_v2), offers["THEATRE"], versions)[0]
        == "v5"
    )
    naive = datetime(2025, 12, 2, 9, 1)  # read in America/Toronto
    assert (
        names(changes_since(user, [offers["THEATRE"].pk], naive), offers["THEATRE"], versions)[0]
        == "v5"
    )


def test_an_offer_without_changes_maps_to_an_empty_list(history, people):
    _, offers = history
    found = changes_since(people["client_procurement"], [offers["NEW"].pk], date(2026, 1, 8))
    assert found == {offers["NEW"].pk: []}


def test_a_sheet_wide_change_before_an_offer_existed_does_not_concern_it(history, people):
    versions, offers = history
    found = changes_since(people["client_procurement"], [offers["NEW"].pk], date(2026, 1, 1))
    assert names(found, offers["NEW"], versions) == ["v6"]


def test_it_leaves_out_offers_the_person_may_not_see(history, people):
    _, offers = history
    ids = [offers["THEATRE"].pk, offers["MAIL"].pk, 999_999]
    assert changes_since(people["supplier_rep"], ids, date(2025, 12, 1)).keys() == {
        offers["THEATRE"].pk,
        offers["MAIL"].pk,
    }
    assert changes_since(people["provider_rep"], ids, date(2025, 12, 1)) == {}
    assert changes_since(AnonymousUser(), ids, date(2025, 12, 1)) == {}


def test_the_version_in_force_is_the_last_published_that_day_or_before(history, orgs):
    versions, _ = history
    supplier = orgs["supplier"]
    assert version_in_force(supplier, date(2025, 11, 30)) is None
    assert version_in_force(supplier, date(2025, 12, 1)) == versions["v1"]
    assert version_in_force(supplier, date(2026, 1, 4)) == versions["v3"]
    assert version_in_force(supplier.pk, date(2026, 12, 31)) == versions["v8"]


def test_the_version_in_force_is_the_later_of_two_on_the_same_day(history, orgs):
    versions, _ = history
    sheet = copy.deepcopy(versions["v8"].content)
    sheet["configurator_url"] = "https://configurateur.example"
    with at(2026, 1, 9, 15):
        later = publish(orgs["supplier"], sheet)
    assert version_in_force(orgs["supplier"], date(2026, 1, 9)) == later
