"""The whole demo loaded once for a test module (`courtier demo` on Monday 2026-11-16 at 10:00,
its documents rendered, in a transaction rolled back at the module's end), for the checks of the
demo data that one load serves: tests/demo/test_after_contract.py gathers every app's checks
(its ``demo_checks.py``), which would otherwise load the same demo once each (about half a
minute a load)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import TestCase, override_settings

from courtier.demo.loaders import load_demo

TORONTO = ZoneInfo("America/Toronto")
MONDAY = datetime(2026, 11, 16, 10, tzinfo=TORONTO)


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's media folder, once the demo is loaded for the module."""
    media = str(tmp_path_factory.mktemp("demo-media"))
    with (
        django_db_blocker.unblock(),
        time_machine.travel(MONDAY, tick=False),
        override_settings(
            MEDIA_ROOT=media,
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                load_demo()
            yield media
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def loaded(demo_loaded, db, settings):
    """One test on the loaded demo, on its Monday (its writes rolled back after it)."""
    settings.MEDIA_ROOT = demo_loaded
    with time_machine.travel(MONDAY, tick=False):
        yield
