"""The demo Catalogue on another day (`courtier demo`, twice): its history is relative to today.
The checks of the Catalogue on the demo loaded on Monday 2026-11-16 are in
tests/catalogue/demo_checks.py, run on the demo loaded once for
tests/demo/test_after_contract.py."""

from __future__ import annotations

from datetime import date, datetime

import time_machine
from django.core.management import call_command

from courtier.audit.selectors import verify_chain
from courtier.catalogue.models import SheetVersion
from tests.catalogue.demo_checks import counts
from tests.demo.loaded import TORONTO


def test_the_demo_command_works_twice_on_another_day(db, capsys):
    """The history is relative to today: here a Monday that is itself a first business day."""
    with time_machine.travel(datetime(2027, 2, 1, 9, tzinfo=TORONTO), tick=False):
        call_command("demo", "--no-serve")
        first = counts()
        call_command("demo", "--no-serve")
    assert counts() == first
    assert first["SheetVersion"] > 10
    assert SheetVersion.objects.filter(published_on=date(2027, 2, 1)).exists()
    assert SheetVersion.objects.filter(published_on=date(2026, 11, 2)).exists()
    assert verify_chain()[1] is None
