"""Issue 10 point 4 in a real Chromium: filter the Catalogue (htmx swaps only the results and
pushes the address), open an offer, press Back: the browser shows the whole search page (its
header and navigation), never the bare results fragment it fetched for htmx at that address
(``Vary: HX-Request``)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from courtier.demo.loaders import DEMO_PASSWORD, load_demo
from tests.browser.actions import sign_in

pytestmark = pytest.mark.browser


def test_back_after_a_filter_and_an_offer_shows_the_whole_search_page(page):
    load_demo()
    sign_in(page, "acquisitions@mes.example", DEMO_PASSWORD)
    page.goto("/catalogue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue des offres infonuagiques")

    search = page.get_by_role("search")
    with page.expect_response(lambda r: "category=" in r.url) as answer:
        search.get_by_label("Volet").select_option(label="Sondage")  # htmx: on change
    assert answer.value.request.headers.get("hx-request") == "true"
    assert "hx-request" in answer.value.headers.get("vary", "").lower()
    expect(page).to_have_url(re.compile(r"category="))
    filtered_url = page.url

    results = page.locator("#resultats")
    results.locator("a[href*='/catalogue/offres/']").first.click()
    expect(page).not_to_have_url(filtered_url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.go_back()
    expect(page).to_have_url(filtered_url)
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.get_by_role("navigation", name="Navigation principale")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue des offres infonuagiques")
    expect(page.get_by_role("search").get_by_label("Volet")).to_have_value(
        re.compile(r"sondage", re.I)
    )
    expect(page.locator("#resultats")).to_be_visible()
