"""The fee grid's pages through the Django test client (issue 15 §1; 001 §9.1): the broker's
admin prepares a new version from the form (amounts in dollars, the rate in percent, French
comma) and publishes it (its state and audit row); a typed rate that is no number or brackets
that overlap come back in French (422) with nothing written; an agent may not prepare one
(403); a supplier's representative sees the published versions only, the one in force today
highlighted, and never a draft."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courtier.audit.models import AuditEvent
from courtier.fees import messages
from courtier.fees.models import FeeGrid, FeeGridLine, GridState
from tests.fees import factories as f
from tests.helpers import page_text, shared_world

shared, world, orgs, people = shared_world(f.world)

TODAY = date(2027, 1, 10)
NOON = datetime(2027, 1, 10, 12, tzinfo=ZoneInfo("America/Toronto"))  # TODAY, on Quebec's clock
GRIDS = "/frais/grilles/"
NEW = "/frais/grilles/nouvelle/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOON, tick=False):
        yield


def signed_in(client, person):
    client.force_login(person)
    return client


def grid_data(*rows, effective_on: str = "2027-02-01", notes: str = "") -> dict:
    data = {"effective_on": effective_on, "notes": notes}
    for i, (fee_type, start, end, flat, rate) in enumerate(rows):
        data |= {
            f"fee_type_{i}": fee_type,
            f"from_{i}": start,
            f"to_{i}": end,
            f"flat_{i}": flat,
            f"rate_{i}": rate,
        }
    return data


GOOD = (
    ("contract", "0", "100 000,00", "1 000,00", ""),
    ("contract", "100 000,00", "", "2 500,00", "0,1"),
    ("amendment", "", "", "500", ""),
    ("quarterly", "", "", "", "1,5"),
)


def written() -> tuple[int, int, int]:
    return FeeGrid.objects.count(), FeeGridLine.objects.count(), AuditEvent.objects.count()


def test_the_broker_admin_prepares_a_version_and_publishes_it(people, client):
    signed_in(client, people["broker_admin"])
    page = client.get(NEW)
    assert page.status_code == 200
    assert "Nouvelle version de la grille tarifaire" in page_text(page)
    sent = client.post(NEW, grid_data(*GOOD, notes="Tarifs 2027"))
    assert sent.status_code == 302
    grid = FeeGrid.objects.get()
    assert sent["Location"] == f"{GRIDS}{grid.pk}/"
    assert (grid.state, grid.effective_on, grid.notes) == (
        GridState.DRAFT,
        date(2027, 2, 1),
        "Tarifs 2027",
    )
    lines = [
        (x.fee_type, x.from_cents, x.to_cents, x.flat_cents, x.rate_bp) for x in grid.lines.all()
    ]
    assert sorted(lines) == sorted(
        [
            ("contract", 0, 10_000_000, 100_000, 0),
            ("contract", 10_000_000, None, 250_000, 10),
            ("amendment", 0, None, 50_000, 0),
            ("quarterly", 0, None, 0, 150),
        ]
    )
    draft = client.get(sent["Location"])
    assert draft.status_code == 200
    text = page_text(draft)
    assert "En préparation" in text and "Publier la grille" in text
    assert 'value="1,5"' in text  # the rate shown back in percent, as typed
    changed = client.post(sent["Location"], grid_data(*GOOD, effective_on="2027-03-01"))
    assert changed.status_code == 302
    published = client.post(f"{GRIDS}{grid.pk}/publier/")
    assert published.status_code == 302 and published["Location"] == f"{GRIDS}{grid.pk}/"
    grid.refresh_from_db()
    assert grid.state == GridState.PUBLISHED and grid.effective_on == date(2027, 3, 1)
    audit = AuditEvent.objects.get(action="fee_grid.published", object_id=str(grid.pk))
    assert audit.after["state"] == GridState.PUBLISHED
    page = client.get(f"{GRIDS}{grid.pk}/")
    text = page_text(page)
    assert "Publiée" in text and "Publier la grille" not in text
    assert "Enregistrer les changements" not in text  # a published grid is read-only
    again = client.post(f"{GRIDS}{grid.pk}/", grid_data(*GOOD))
    assert again.status_code == 422
    assert str(messages.GRID_NOT_DRAFT) in page_text(again)


def test_an_agent_may_not_prepare_a_grid(people, client):
    signed_in(client, people["broker_agent"])
    before = written()
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, grid_data(*GOOD)).status_code == 403
    assert written() == before
    listing = client.get(GRIDS)
    assert listing.status_code == 200 and "Nouvelle version" not in page_text(listing)


@pytest.mark.parametrize("rate", ["abc", "1e3", "1,555", "-2"])
def test_a_rate_that_is_no_percentage_is_refused_in_french(people, client, rate):
    signed_in(client, people["broker_admin"])
    before = written()
    sent = client.post(NEW, grid_data(("quarterly", "", "", "", rate)))
    assert sent.status_code == 422
    assert str(messages.RATE_INVALID) in page_text(sent)
    assert written() == before


def test_overlapping_brackets_are_refused_with_the_service_s_message(people, client):
    signed_in(client, people["broker_admin"])
    before = written()
    sent = client.post(
        NEW,
        grid_data(
            ("contract", "0", "100 000", "1 000", ""),
            ("contract", "50 000", "", "2 500", ""),
        ),
    )
    assert sent.status_code == 422
    assert str(messages.LINE_GAP) in page_text(sent)
    assert written() == before


def test_an_amount_that_is_no_amount_is_refused_at_its_field(people, client):
    signed_in(client, people["broker_admin"])
    sent = client.post(NEW, grid_data(("amendment", "", "", "cinq cents", "")))
    assert sent.status_code == 422
    assert "Ligne 1 : montant fixe ($)" in page_text(sent)
    assert not FeeGrid.objects.exists()


def test_a_past_effective_date_is_refused_at_its_field(people, client):
    signed_in(client, people["broker_admin"])
    sent = client.post(NEW, grid_data(*GOOD, effective_on="2027-01-09"))
    assert sent.status_code == 422
    assert str(messages.GRID_EFFECTIVE_PAST) in page_text(sent)


def test_a_supplier_sees_the_published_grids_with_the_one_in_force_and_no_draft(people, client):
    _old, new = f.both_models()
    draft = FeeGrid.objects.create(version=3, effective_on=date(2027, 4, 1))
    signed_in(client, people["supplier_rep"])
    page = client.get(GRIDS)
    assert page.status_code == 200
    text = page_text(page)
    assert "Version 1" in text and "Version 2" in text and "Version 3" not in text
    assert "En vigueur aujourd'hui" in text
    assert f'href="{GRIDS}{new.pk}/">Version 2</a> <strong' in text  # v2 is in force
    assert "Nouvelle version" not in text
    assert client.get(f"{GRIDS}{new.pk}/").status_code == 200
    assert client.get(f"{GRIDS}{draft.pk}/").status_code == 404
    assert client.post(f"{GRIDS}{draft.pk}/publier/").status_code == 404
    assert client.post(f"{GRIDS}{new.pk}/publier/").status_code == 403


def test_publishing_twice_is_refused_in_french(people, client):
    _old, new = f.both_models()
    signed_in(client, people["broker_admin"])
    sent = client.post(f"{GRIDS}{new.pk}/publier/")
    assert sent.status_code == 422
    assert str(messages.GRID_NOT_DRAFT) in page_text(sent)
    assert client.get(f"{GRIDS}{new.pk}/publier/").status_code == 405
    start = client.get(NEW)  # a new version starts from the lines of the one in force
    assert start.status_code == 200 and 'value="0,1"' in page_text(start)
