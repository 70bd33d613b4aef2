"""Issue 10, Done when: every demo account's home page shows at least one item awaiting it,
each linking to a page that person may open. Run on the one load of the whole demo by
tests/demo/test_after_contract.py (tests/demo/loaded.py)."""

from __future__ import annotations

import pytest

from courtier.accounts.models import User
from courtier.core.workitems import items_for
from courtier.demo.loaders import USERS
from tests.helpers import page_text


@pytest.mark.usefixtures("loaded")
class TestTheDemoWorkspace:
    def test_every_demo_account_has_work_awaiting_it(self):
        empty = [
            person.email for person in USERS if not items_for(User.objects.get(email=person.email))
        ]
        assert empty == []

    def test_every_item_links_to_a_page_its_person_may_open(self, client):
        wrong = []
        for person in USERS:
            user = User.objects.get(email=person.email)
            client.force_login(user)
            for item in items_for(user):
                status = client.get(item.url).status_code
                if status != 200:
                    wrong.append(f"{person.email}: {item.key} {item.url} -> {status}")
        assert wrong == []

    def test_the_home_page_lists_them_under_what_awaits_me(self, client):
        user = User.objects.get(email="acquisitions@mes.example")
        client.force_login(user)
        text = page_text(client.get("/"))
        assert "Ce qui m'attend" in text
        (first, *_rest) = items_for(user)
        assert first.title in text
