"""The demo acquisition files loaded on another day (`courtier demo`, twice). The checks of the
files on the demo loaded on Monday 2026-11-16 are in tests/acquisitions/demo_checks.py, run on the
demo loaded once for tests/demo/test_after_contract.py."""

from __future__ import annotations

from datetime import datetime

import time_machine

from courtier.acquisitions import demo
from courtier.acquisitions.models import AcquisitionFile
from courtier.demo.loaders import load_demo
from tests.acquisitions.demo_checks import counts, file_titled
from tests.demo.loaded import TORONTO


def test_the_demo_loads_twice_before_the_holidays(db, settings, tmp_path):
    """On Friday 2026-12-18 the meeting's 5 business days cross Christmas and the broker's
    closures; the prices in force are December's."""
    settings.MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(datetime(2026, 12, 18, 9, tzinfo=TORONTO), tick=False):
        load_demo()
        first = counts()
        load_demo()
    assert counts() == first
    assert AcquisitionFile.objects.filter(title__in=demo.TITLES).count() == 8
    meeting = file_titled(demo.STARTUP_TITLE).startup_meeting
    # Dec 21-23, (24 closed, 25 Christmas), 28, 29: the fifth business day.
    assert meeting.scheduled_for == datetime(2026, 12, 29, 10, tzinfo=TORONTO)
