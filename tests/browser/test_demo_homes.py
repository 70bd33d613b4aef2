"""Each demo account signs in and finds, on its home page, under « Ce qui m'attend », what awaits
it, and the first item's link opens the page where it is done (issue 10 §1 and §9: the demo data
is shaped so that every account has something to do, courtier/*/demo.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from courtier.accounts.models import User
from courtier.core.workitems import items_for
from courtier.demo.loaders import DEMO_PASSWORD, USERS, load_demo
from tests.browser.actions import sign_in
from tests.browser.conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser


def test_every_demo_account_s_home_page_lists_its_work(browser, live_server, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    empty = []
    for person in USERS:
        expected = items_for(User.objects.get(email=person.email))
        context = browser.new_context(base_url=live_server.url, locale="fr-CA")
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            sign_in(page, person.email, DEMO_PASSWORD)
            shown = page.locator("#work-items li")
            if shown.count() == 0:
                empty.append(person.email)
                continue
            assert shown.count() == len(expected), person.email
            first = shown.first.get_by_role("link")
            assert first.inner_text().strip() == expected[0].title, person.email
            first.click()
            page.wait_for_load_state()
            assert page.url.endswith(expected[0].url), (person.email, page.url)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
        finally:
            context.close()
    assert empty == []
