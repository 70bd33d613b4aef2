"""Issue 3 in a real Chromium: a client searches the demo Catalogue with accents left out and
filters, opens the supplier's sheet and reads a version's change history (004 §3.2)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from courtier.catalogue.models import SheetVersion
from courtier.demo.loaders import DEMO_PASSWORD, load_demo
from tests.browser.actions import sign_in

pytestmark = pytest.mark.browser

OFFER = "Sondaxo Billetterie et réservations"  # its description says « théâtre »


def test_a_client_searches_with_a_filter_and_opens_a_sheet_diff(page):
    load_demo()
    sondaxo_versions = SheetVersion.objects.filter(supplier__name="Sondaxo inc.")
    with_prices = max(
        sondaxo_versions,
        key=lambda v: sum(row["change"] == "changed" for row in v.changes.get("prices", [])),
    )
    sign_in(page, "acquisitions@mes.example", DEMO_PASSWORD)

    page.get_by_role("navigation").get_by_role("link", name="Catalogue").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue des offres infonuagiques")
    search = page.get_by_role("search")
    search.get_by_label("Volet").select_option(label="Sondage")
    search.get_by_label("Hébergement des données").select_option(label="Québec seulement")
    search.get_by_role("textbox").first.fill("THEATRE")  # no accent, upper case
    search.get_by_role("button", name="Rechercher").click()

    results = page.locator("#resultats")
    expect(results.get_by_role("link", name=OFFER)).to_be_visible()
    expect(results.get_by_role("status")).to_have_text(re.compile(r"^1 offre trouvée"))
    # The filters live in the address, so the result can be shared and reloaded.
    expect(page).to_have_url(re.compile(r"q=THEATRE.*"))

    results.get_by_role("link", name="Sondaxo inc.").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sondaxo inc.")
    page.get_by_role("link", name=with_prices.name, exact=True).first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(with_prices.name)
    changes = page.locator("#modifications")
    expect(changes.get_by_role("heading", name="Historique des modifications")).to_be_visible()
    prices = changes.get_by_role("table", name="Prix, ligne par ligne")
    expect(prices).to_be_visible()
    expect(prices.locator("tbody tr")).to_have_count(len(with_prices.changes["prices"]))
    expect(prices.locator("del").first).to_be_visible()  # the price before, struck out
    expect(prices.locator("ins").first).to_be_visible()  # and the price after
