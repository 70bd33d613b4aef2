"""A supplier's standing beside each candidate (issue 14 §2; 002 §4.8): the client building its
list of compliant solutions reads, on the file's page, what the broker knows of each supplier
(its open complaints, a dispute that persists or repeats), from the apps that know it
(core.standing), counts only: never another client's complaint itself."""

from __future__ import annotations

import pytest

from courtier.complaints import rules as complaint_rules
from tests.acquisitions.factories import at_step, published_before_nine
from tests.complaints.factories import submit
from tests.factories import make_person
from tests.helpers import page_text, shared_world

shared, world, orgs, people = shared_world(published_before_nine)


@pytest.fixture
def offers(world, clock):
    return world[2]


def test_each_candidate_shows_its_supplier_s_open_complaints_to_the_client(
    client, orgs, people, offers, runner
):
    file = at_step("compliance", orgs, people)
    # Another body's complaint about Fournisseur D: the client reads the count, not the complaint.
    other = make_person(orgs["client_other"], "client_procurement", "plaignant")
    submit(
        other,
        orgs["client_other"],
        complaint_rules.Category.BREACH,
        supplier_id=orgs["supplier"].pk,
        subject="Manquement confidentiel",
    )

    text = page_text(client.get(f"/acquisitions/{file.pk}/")).replace("\xa0", " ")

    assert "Plaintes ouvertes : 1" in text
    assert "Manquement confidentiel" not in text
