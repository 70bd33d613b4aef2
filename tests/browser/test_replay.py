"""Back then submit again in a real Chromium (issue 10, point 3): the Ministère de
l'Enseignement supérieur's procurement officer opens a file, goes Back to the form, which the
browser shows again as it was (its one-time token included), and sends it again: there is still
one file with that title, and the page says the form had already been sent."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from courtier.acquisitions.models import AcquisitionFile
from courtier.core.replay import FORM_ALREADY_SENT, FORM_TOKEN_FIELD
from courtier.demo.loaders import DEMO_PASSWORD, load_demo
from tests.browser.actions import sign_in

pytestmark = pytest.mark.browser

TITLE = "Courriel envoyé deux fois par le navigateur"


def test_back_then_submit_again_creates_one_file_and_says_so(page, db):
    load_demo()
    sign_in(page, "acquisitions@mes.example", DEMO_PASSWORD)
    form_loads: list[str] = []
    page.on(
        "request",
        lambda r: (
            form_loads.append(r.method)
            if r.url.endswith("/acquisitions/nouveau/") and r.resource_type == "document"
            else None
        ),
    )
    page.goto("/acquisitions/nouveau/")
    form = page.locator("main form")
    token = form.locator(f'input[name="{FORM_TOKEN_FIELD}"]').input_value()
    page.get_by_label("Titre du dossier").fill(TITLE)
    page.get_by_role("button", name="Ouvrir le dossier").click()
    page.wait_for_url(re.compile(r"/acquisitions/\d+/"))
    expect(page.get_by_role("status").first).to_contain_text("ouvert")
    created = page.url

    page.go_back()
    page.wait_for_url("**/acquisitions/nouveau/")
    # Chromium fetches the form again (the POST to its address dropped it from its cache; and
    # Playwright turns the back/forward cache off): new tokens in the HTML, the typed title
    # restored by the browser, and the first token put back by form-tokens.js.
    assert form_loads == ["GET", "POST", "GET"]
    expect(page.get_by_label("Titre du dossier")).to_have_value(TITLE)
    expect(form.locator(f'input[name="{FORM_TOKEN_FIELD}"]')).to_have_value(token)
    page.get_by_role("button", name="Ouvrir le dossier").click()

    page.wait_for_url(created)
    expect(page.get_by_role("status").first).to_contain_text(str(FORM_ALREADY_SENT))
    assert AcquisitionFile.objects.filter(title=TITLE).count() == 1
