"""A provider's standing beside each name of the shortlist (issue 14 §2; 002 §4.8): the client
building its shortlist of qualified providers reads, on the file's page, how many complaints
are open about each one (core.standing, fed by the complaints app), never another client's
complaint itself."""

from __future__ import annotations

from courtier.complaints import rules as complaint_rules
from tests.complaints.factories import submit
from tests.factories import make_person
from tests.helpers import page_text, shared_world
from tests.pricerequests import factories

shared, world, orgs, people = shared_world(factories.qualify_providers)


def test_each_shortlisted_provider_shows_its_open_complaints_to_the_client(
    client, orgs, people, world
):
    file = factories.file_at(people["client_procurement"], orgs["client"], "solicitation")
    other = make_person(orgs["client_other"], "client_procurement", "plaignant")
    submit(
        other,
        orgs["client_other"],
        complaint_rules.Category.BREACH,
        supplier_id=orgs["provider"].pk,
        subject="Manquement confidentiel",
    )
    client.force_login(people["client_procurement"])

    text = page_text(client.get(f"/services/{file.pk}/")).replace("\xa0", " ")

    assert "Plaintes ouvertes : 1" in text
    assert "Manquement confidentiel" not in text
