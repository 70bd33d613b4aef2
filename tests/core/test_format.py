from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from courtier.core.formatting import quarter_name
from courtier.core.templatetags.courtier_format import long_date, long_date_weekday


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2026, 10, 1), "1er octobre 2026"), (date(2026, 6, 24), "24 juin 2026")],
)
def test_french_dates_say_1er_on_the_first(day, expected):
    with translation.override("fr-ca"):
        assert long_date(day) == expected


def test_weekday_and_english_forms():
    with translation.override("fr-ca"):
        assert long_date_weekday(date(2026, 6, 1)) == "lundi 1er juin 2026"
        assert quarter_name(3) == "3e trimestre"
    with translation.override("en"):
        assert long_date(date(2026, 10, 1)) == "October 1, 2026"
        assert quarter_name(1) == "Q1"


def test_a_datetime_is_read_in_toronto_time():
    # 2026-10-01 02:00 UTC is still September 30 in Toronto.
    moment = datetime(2026, 10, 1, 2, 0, tzinfo=ZoneInfo("UTC"))
    with translation.override("fr-ca"):
        assert long_date(moment) == "30 septembre 2026"
