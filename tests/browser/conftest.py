"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright is never asked to download a browser: the tests launch /usr/bin/chromium. Without it
they are skipped with a reason, or fail when COURTIER_REQUIRE_BROWSER=1 (as in CI).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last (keeping pytest-django's order otherwise): the session-wide
    browser keeps an event loop running until the end, which other tests must not meet."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def _browser_required() -> bool:
    return os.environ.get("COURTIER_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} est absent : installez Chromium (apt-get install -y chromium) "
            "pour lancer les tests dans le navigateur."
        )
        if _browser_required():
            pytest.fail(f"COURTIER_REQUIRE_BROWSER=1 mais {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread while the browser is
    # open, and Django refuses ORM calls under a running loop unless told it is safe. It is
    # here: the test thread only drives Chromium, the live server answers from its own thread.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) on the live server, in Canadian French."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-CA",
        timezone_id="America/Toronto",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # Any script error or refused resource (e.g. a Content-Security-Policy violation) fails
    # the test: a page that works only with errors in its console is broken for someone.
    # A page itself may answer 4xx (a form with errors answers 422): only assets count there.
    problems: list[str] = []

    def on_console(message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def on_response(response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("response", on_response)
    yield page
    context.close()
    assert problems == [], problems
