import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from courtier.core import formatting
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


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("fr-ca", date(2026, 12, 1), "1er décembre 2026"),
        ("fr-ca", date(2026, 12, 2), "2 décembre 2026"),
        ("fr-ca", date(2026, 12, 31), "31 décembre 2026"),
        ("en", date(2026, 12, 1), "December 1, 2026"),
        ("en", date(2026, 12, 31), "December 31, 2026"),
    ],
)
def test_one_long_date_format_in_each_language(language, day, expected):
    with translation.override(language):
        assert formatting.long_date(day) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr-ca", "1er décembre 2026 à 9 h 05"), ("en", "December 1, 2026 at 9:05 a.m.")],
)
def test_a_moment_is_its_long_date_and_the_quebec_time(language, expected):
    moment = datetime(2026, 12, 1, 14, 5, tzinfo=ZoneInfo("UTC"))  # 9:05 in Toronto
    with translation.override(language):
        # The English form comes from the English catalogue (« %(day)s at %(time)s »).
        assert formatting.moment(moment) in {expected, expected.replace(" at ", " à ")}


TEMPLATES = Path(__file__).resolve().parents[2] / "courtier"
DISPLAY_DATE = re.compile(r"\{\{[^}]*\|date(?::[^}]*)?\}\}")


def test_templates_show_dates_only_through_the_shared_filters():
    """ISO or Django ``|date`` forms only in ``datetime=`` attributes: what a reader sees is
    « 1er décembre 2026 » (|long_date, |long_date_weekday, |moment)."""
    found = []
    for path in TEMPLATES.glob("*/templates/**/*.*"):
        text = path.read_text()
        for match in DISPLAY_DATE.finditer(text):
            if not text[: match.start()].endswith('datetime="'):
                found.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert found == []


@pytest.mark.parametrize(
    ("language", "expected"), [("fr-ca", "T4 2026-2027"), ("en", "Q4 2026-2027")]
)
def test_a_fiscal_quarter_is_t_in_french_and_q_in_english(language, expected):
    """DOMAIN §6: the quarter January-March 2027 is the fourth of the fiscal year 2026-2027."""
    from courtier.calendar.rules import FiscalQuarter

    with translation.override(language):
        assert formatting.quarter_label(FiscalQuarter.for_date(date(2027, 3, 31))) == expected
