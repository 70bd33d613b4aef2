"""Calendar rules (DOMAIN §8): Quebec holidays, business days, fiscal years and quarters.

Pure tests: no database, no Django. Every expected date below was checked against a
real calendar (weekday noted in the comments).
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtier.calendar.rules import (
    SUPPORTED_YEARS,
    FiscalQuarter,
    FiscalYear,
    add_calendar_days,
    business_days_after,
    business_days_between,
    first_business_day_of_month,
    fiscal_quarter,
    fiscal_year,
    is_business_day,
    is_first_business_day_of_month,
    is_holiday,
    quebec_holidays,
)

D = date

# --------------------------------------------------------------------------- holidays

HOLIDAYS_2026 = {
    D(2026, 1, 1): "Jour de l'An",  # Thu
    D(2026, 4, 3): "Vendredi saint",  # Fri
    D(2026, 4, 6): "Lundi de Pâques",  # Mon
    D(2026, 5, 18): "Journée nationale des patriotes",  # Mon
    D(2026, 6, 24): "Fête nationale du Québec",  # Wed
    D(2026, 7, 1): "Fête du Canada",  # Wed
    D(2026, 9, 7): "Fête du Travail",  # Mon
    D(2026, 10, 12): "Action de grâce",  # Mon
    D(2026, 12, 25): "Noël",  # Fri
}


def test_quebec_holidays_2026_are_exactly_the_statutory_list_with_french_names():
    assert quebec_holidays(2026) == HOLIDAYS_2026


def test_quebec_holidays_are_sorted_by_date():
    days = list(quebec_holidays(2027))
    assert days == sorted(days)


def test_quebec_holidays_returns_a_copy_the_caller_may_modify():
    mine = quebec_holidays(2026)
    mine[D(2026, 6, 23)] = "Veille"
    del mine[D(2026, 6, 24)]
    assert quebec_holidays(2026) == HOLIDAYS_2026


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 1, 1), "Jour de l'An"),  # Thu
        (D(2025, 4, 18), "Vendredi saint"),  # Fri
        (D(2025, 4, 21), "Lundi de Pâques"),  # Mon
        (D(2027, 3, 29), "Lundi de Pâques"),  # Mon (Easter on March 28)
        (D(2025, 5, 19), "Journée nationale des patriotes"),  # Mon before May 25
        (D(2025, 6, 24), "Fête nationale du Québec"),  # Tue
        (D(2025, 7, 1), "Fête du Canada"),  # Tue
        (D(2025, 9, 1), "Fête du Travail"),  # Mon
        (D(2025, 10, 13), "Action de grâce"),  # Mon
        (D(2025, 12, 25), "Noël"),  # Thu
    ],
)
def test_each_statutory_holiday_is_a_holiday_and_not_a_business_day(day, name):
    assert day.weekday() < 5
    assert quebec_holidays(day.year)[day] == name
    assert is_holiday(day)
    assert not is_business_day(day)


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2030, 2033])  # Mon..Fri
def test_june_24_is_not_a_business_day(year):
    day = D(year, 6, 24)
    assert day.weekday() < 5
    assert not is_business_day(day)


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2030, 2033])  # Mon..Fri
def test_july_1_is_not_a_business_day(year):
    day = D(year, 7, 1)
    assert day.weekday() < 5
    assert not is_business_day(day)


@pytest.mark.parametrize(
    ("good_friday", "easter_monday"),
    [
        (D(2025, 4, 18), D(2025, 4, 21)),
        (D(2026, 4, 3), D(2026, 4, 6)),
        (D(2027, 3, 26), D(2027, 3, 29)),
        (D(2029, 3, 30), D(2029, 4, 2)),
    ],
)
def test_good_friday_and_easter_monday_are_not_business_days(good_friday, easter_monday):
    assert not is_business_day(good_friday)
    assert not is_business_day(easter_monday)
    # The Thursday before and the Tuesday after are ordinary business days.
    assert is_business_day(good_friday - timedelta(days=1))
    assert is_business_day(easter_monday + timedelta(days=1))


def test_easter_monday_matches_the_holidays_package_for_every_supported_year_from_1900():
    for year in range(1900, SUPPORTED_YEARS.stop):
        optional = holidays.Canada(subdiv="QC", years=year, categories=("optional",))
        easter_monday = next(d for d, name in optional.items() if name == "Easter Monday")
        assert quebec_holidays(year)[easter_monday] == "Lundi de Pâques", year
        good_friday = easter_monday - timedelta(days=3)
        assert quebec_holidays(year)[good_friday] == "Vendredi saint", year


@pytest.mark.parametrize(
    ("holiday", "observed", "name"),
    [
        (D(2027, 12, 25), D(2027, 12, 27), "Noël (observé)"),  # Sat -> Mon
        (D(2022, 12, 25), D(2022, 12, 26), "Noël (observé)"),  # Sun -> Mon
        (D(2022, 1, 1), D(2022, 1, 3), "Jour de l'An (observé)"),  # Sat -> Mon
        (D(2023, 1, 1), D(2023, 1, 2), "Jour de l'An (observé)"),  # Sun -> Mon
        (D(2029, 6, 24), D(2029, 6, 25), "Fête nationale du Québec (observé)"),  # Sun -> Mon
        (D(2018, 6, 24), D(2018, 6, 25), "Fête nationale du Québec (observé)"),  # Sun -> Mon
        (D(2029, 7, 1), D(2029, 7, 2), "Fête du Canada (observé)"),  # Sun -> Mon
        (D(2018, 7, 1), D(2018, 7, 2), "Fête du Canada (observé)"),  # Sun -> Mon
    ],
)
def test_a_holiday_falling_on_a_weekend_is_observed_the_next_monday(holiday, observed, name):
    assert holiday.weekday() in (5, 6)
    assert observed.weekday() == 0
    assert is_holiday(holiday)
    assert quebec_holidays(observed.year)[observed] == name
    assert not is_business_day(observed)
    assert is_business_day(observed + timedelta(days=1))


@pytest.mark.parametrize(
    "monday",
    [
        D(2023, 6, 26),  # June 24, 2023 was a Saturday
        D(2023, 7, 3),  # July 1, 2023 was a Saturday
        D(2034, 6, 26),  # June 24, 2034 is a Saturday
    ],
)
def test_june_24_or_july_1_on_a_saturday_is_not_moved_to_monday(monday):
    assert monday.weekday() == 0
    assert not is_holiday(monday)
    assert is_business_day(monday)


def test_christmas_on_a_sunday_is_observed_on_monday_only_not_also_on_tuesday():
    # 2022-12-25 is a Sunday: Monday 26 is observed, Tuesday 27 is an ordinary day.
    assert not is_business_day(D(2022, 12, 26))
    assert is_business_day(D(2022, 12, 27))
    assert D(2022, 12, 27) not in quebec_holidays(2022)


def test_boxing_day_is_not_a_quebec_holiday():
    assert D(2025, 12, 26).weekday() == 4
    assert not is_holiday(D(2025, 12, 26))
    assert is_business_day(D(2025, 12, 26))


def test_holidays_outside_the_package_range_raise_instead_of_being_silently_empty():
    with pytest.raises(ValueError, match="2101"):
        quebec_holidays(SUPPORTED_YEARS.stop)
    with pytest.raises(ValueError, match="supported years"):
        is_business_day(D(SUPPORTED_YEARS.stop, 7, 4))


# --------------------------------------------------------------------------- business days


@pytest.mark.parametrize(
    "day",
    [D(2026, 6, 20), D(2026, 6, 21), D(2026, 1, 3), D(2026, 1, 4)],  # Sat, Sun, Sat, Sun
)
def test_weekends_are_not_business_days(day):
    assert day.weekday() in (5, 6)
    assert not is_holiday(day)
    assert not is_business_day(day)


@pytest.mark.parametrize(
    "day",
    [D(2026, 6, 22), D(2026, 6, 23), D(2026, 6, 25), D(2026, 6, 26), D(2026, 4, 7)],
)
def test_ordinary_weekdays_are_business_days(day):
    assert day.weekday() < 5
    assert is_business_day(day)


@pytest.mark.parametrize(
    "closure",
    [D(2025, 12, 26), D(2026, 1, 2)],  # Fri, Fri
)
def test_a_broker_closure_day_is_not_a_business_day(closure):
    assert closure.weekday() == 4
    assert is_business_day(closure)
    assert not is_business_day(closure, closures=frozenset({closure}))
    assert not is_business_day(closure, closures=[closure])


def test_closures_are_an_ordinary_collection_of_dates():
    closures = {D(2026, 1, 2)}
    assert business_days_after(D(2025, 12, 31), 1) == D(2026, 1, 2)
    assert business_days_after(D(2025, 12, 31), 1, closures=closures) == D(2026, 1, 5)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Thu 06-18 -> Fri 19, Mon 22, Tue 23 (weekend skipped).
        (D(2026, 6, 18), 3, D(2026, 6, 23)),
        # ... and the 4th skips June 24 (Wed) to Thu 25.
        (D(2026, 6, 18), 4, D(2026, 6, 25)),
        # Mon 06-22 -> Tue 23, Thu 25, Fri 26.
        (D(2026, 6, 22), 3, D(2026, 6, 26)),
        (D(2026, 6, 23), 1, D(2026, 6, 25)),
        # Tue 06-30 -> July 1 (Wed) skipped -> Thu 07-02.
        (D(2026, 6, 30), 1, D(2026, 7, 2)),
        # Thu 04-02 -> Good Friday, weekend, Easter Monday skipped -> Tue 7, Wed 8, Thu 9.
        (D(2026, 4, 2), 1, D(2026, 4, 7)),
        (D(2026, 4, 2), 3, D(2026, 4, 9)),
        # Thu 12-24 -> Christmas (Fri) and weekend skipped -> Mon 12-28.
        (D(2026, 12, 24), 1, D(2026, 12, 28)),
        # Signed Fri 12-18: 5 business days -> 21, 22, 23, 24, 28.
        (D(2026, 12, 18), 5, D(2026, 12, 28)),
        # Counting from a Saturday starts on the next day.
        (D(2026, 6, 20), 1, D(2026, 6, 22)),
        # Price-request responses: 10 and 15 business days.
        (D(2026, 6, 1), 10, D(2026, 6, 15)),
        (D(2026, 6, 1), 15, D(2026, 6, 22)),
        # 15 business days from Fri 06-19 crosses June 24 and July 1.
        (D(2026, 6, 19), 15, D(2026, 7, 14)),
        # Observed Monday: Fri 2029-06-22 -> Mon 25 (observed June 24) skipped -> Tue 26.
        (D(2029, 6, 22), 1, D(2029, 6, 26)),
    ],
)
def test_business_days_after_skips_weekends_and_holidays(start, n, expected):
    assert business_days_after(start, n) == expected


def test_business_days_after_skips_broker_closures():
    # Wed 2025-12-24 -> Christmas (Thu), closure 26 (Fri), weekend, Mon 29.
    closures = frozenset({D(2025, 12, 26), D(2026, 1, 2)})
    assert business_days_after(D(2025, 12, 24), 1) == D(2025, 12, 26)
    assert business_days_after(D(2025, 12, 24), 1, closures=closures) == D(2025, 12, 29)
    # Wed 2025-12-31 -> Jan 1 (Thu), closure Jan 2 (Fri), weekend -> Mon 2026-01-05.
    assert business_days_after(D(2025, 12, 31), 1, closures=closures) == D(2026, 1, 5)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 6, 23), D(2026, 6, 23)),  # Tue, business day: itself
        (D(2026, 6, 24), D(2026, 6, 25)),  # holiday -> next business day
        (D(2026, 6, 20), D(2026, 6, 22)),  # Sat -> Mon
        (D(2026, 4, 3), D(2026, 4, 7)),  # Good Friday -> Tue after Easter Monday
    ],
)
def test_zero_business_days_after_is_the_day_itself_or_the_next_business_day(day, expected):
    assert business_days_after(day, 0) == expected


@pytest.mark.parametrize("n", [-1, -3])
def test_business_days_after_rejects_a_negative_count(n):
    with pytest.raises(ValueError, match="positive number of business days"):
        business_days_after(D(2026, 6, 18), n)


def test_business_functions_reject_datetimes():
    moment = datetime(2026, 6, 18, 12, 0)
    with pytest.raises(TypeError, match="not a datetime"):
        business_days_after(moment, 3)
    with pytest.raises(TypeError, match="not a datetime"):
        is_business_day(moment)
    with pytest.raises(TypeError, match="not a datetime"):
        is_holiday(moment)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 6, 18), D(2026, 6, 23), 3),
        (D(2026, 6, 18), D(2026, 6, 25), 4),
        (D(2026, 6, 18), D(2026, 6, 18), 0),
        (D(2026, 6, 19), D(2026, 6, 22), 1),  # Fri -> Mon
        (D(2026, 6, 19), D(2026, 6, 21), 0),  # Fri -> Sun
        (D(2026, 4, 2), D(2026, 4, 7), 1),  # across Good Friday and Easter Monday
        (D(2026, 6, 23), D(2026, 6, 18), -3),  # reversed: negative
    ],
)
def test_business_days_between_counts_business_days_after_start_up_to_end(start, end, expected):
    assert business_days_between(start, end) == expected


def test_business_days_between_honours_closures():
    closures = {D(2026, 6, 22)}
    assert business_days_between(D(2026, 6, 18), D(2026, 6, 23), closures=closures) == 2


# --------------------------------------------------------------------------- first business day


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2026, 1, D(2026, 1, 2)),  # Jan 1 (Thu) is a holiday -> Fri 2
        (2026, 6, D(2026, 6, 1)),  # Mon
        (2026, 9, D(2026, 9, 1)),  # Tue; Labour Day is later (Mon 09-07)
        (2026, 8, D(2026, 8, 3)),  # starts on a Saturday -> Mon 3
        (2026, 11, D(2026, 11, 2)),  # starts on a Sunday -> Mon 2
        (2026, 2, D(2026, 2, 2)),  # starts on a Sunday -> Mon 2
        (2026, 7, D(2026, 7, 2)),  # July 1 (Wed) is a holiday -> Thu 2
        (2029, 1, D(2029, 1, 2)),  # Jan 1 (Mon) is a holiday -> Tue 2
        (2027, 1, D(2027, 1, 4)),  # Jan 1 (Fri) is a holiday, then weekend -> Mon 4
        (2023, 1, D(2023, 1, 3)),  # Jan 1 Sun, observed Mon 2 -> Tue 3
        (2022, 1, D(2022, 1, 4)),  # Jan 1 Sat, observed Mon 3 -> Tue 4
    ],
)
def test_first_business_day_of_month(year, month, expected):
    assert first_business_day_of_month(year, month) == expected
    assert is_first_business_day_of_month(expected)


def test_a_closure_on_january_2_moves_the_first_business_day_to_january_5():
    closures = frozenset({D(2026, 1, 2)})
    assert first_business_day_of_month(2026, 1, closures=closures) == D(2026, 1, 5)
    assert is_first_business_day_of_month(D(2026, 1, 5), closures=closures)
    assert not is_first_business_day_of_month(D(2026, 1, 2), closures=closures)


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 1, 1),  # holiday
        D(2026, 1, 5),  # a later business day
        D(2026, 8, 1),  # Saturday, first calendar day
        D(2026, 9, 2),  # day after the first business day
    ],
)
def test_other_days_are_not_the_first_business_day_of_month(day):
    assert not is_first_business_day_of_month(day)


def test_first_business_day_of_month_rejects_a_bad_month_or_a_fully_closed_month():
    with pytest.raises(ValueError, match="month"):
        first_business_day_of_month(2026, 13)
    everything = {D(2026, 2, 1) + timedelta(days=i) for i in range(28)}
    with pytest.raises(ValueError, match="no business day"):
        first_business_day_of_month(2026, 2, closures=everything)


# --------------------------------------------------------------------------- fiscal year


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (D(2026, 3, 31), "2025-2026"),
        (D(2026, 4, 1), "2026-2027"),
        (D(2025, 4, 1), "2025-2026"),
        (D(2025, 12, 31), "2025-2026"),
        (D(2026, 1, 1), "2025-2026"),
        (D(2021, 3, 31), "2020-2021"),
    ],
)
def test_fiscal_year_runs_from_april_1_to_march_31(day, label):
    year = fiscal_year(day)
    assert year.label == label
    assert str(year) == label
    assert year.contains(day)
    assert FiscalYear.for_date(day) == year


def test_march_31_and_april_1_belong_to_different_fiscal_years():
    assert fiscal_year(D(2026, 3, 31)) == FiscalYear(2025)
    assert fiscal_year(D(2026, 4, 1)) == FiscalYear(2026)
    assert FiscalYear(2025) < FiscalYear(2026)


def test_fiscal_year_bounds():
    year = FiscalYear(2020)
    assert year.start == D(2020, 4, 1)
    assert year.end == D(2021, 3, 31)
    assert year.contains(D(2020, 4, 1))
    assert year.contains(D(2021, 3, 31))
    assert not year.contains(D(2020, 3, 31))
    assert not year.contains(D(2021, 4, 1))


@pytest.mark.parametrize("label", ["2020-2021", "2025-2026", "1999-2000"])
def test_fiscal_year_label_round_trips(label):
    year = FiscalYear.from_label(label)
    assert year.label == label
    assert FiscalYear.from_label(str(year)) == year


@pytest.mark.parametrize(
    "label",
    [
        "",
        "2020",
        "2020-2022",
        "2021-2020",
        "2020/2021",
        "2020–2021",  # en dash
        "20-21",
        " 2020-2021",
        "2020-2021 ",
        "T1 2020-2021",
        "abcd-efgh",
        "٢٠٢٠-٢٠٢١",  # non-ASCII digits
    ],
)
def test_malformed_fiscal_year_labels_are_rejected(label):
    with pytest.raises(ValueError, match="invalid fiscal year label"):
        FiscalYear.from_label(label)


def test_fiscal_year_is_immutable():
    year = FiscalYear(2020)
    with pytest.raises(dataclasses.FrozenInstanceError):
        year.start_year = 2021  # type: ignore[misc]


# --------------------------------------------------------------------------- fiscal quarters


@pytest.mark.parametrize(
    ("day", "number", "label"),
    [
        (D(2025, 4, 1), 1, "T1 2025-2026"),
        (D(2025, 6, 30), 1, "T1 2025-2026"),
        (D(2025, 7, 1), 2, "T2 2025-2026"),
        (D(2025, 9, 30), 2, "T2 2025-2026"),
        (D(2025, 10, 1), 3, "T3 2025-2026"),
        (D(2025, 12, 31), 3, "T3 2025-2026"),
        (D(2026, 1, 1), 4, "T4 2025-2026"),
        (D(2026, 3, 31), 4, "T4 2025-2026"),
        (D(2026, 4, 1), 1, "T1 2026-2027"),
    ],
)
def test_fiscal_quarter_boundaries(day, number, label):
    quarter = fiscal_quarter(day)
    assert quarter.number == number
    assert quarter.label == label
    assert str(quarter) == label
    assert quarter.contains(day)
    assert quarter.fiscal_year == fiscal_year(day)


@pytest.mark.parametrize(
    ("number", "start", "end"),
    [
        (1, D(2020, 4, 1), D(2020, 6, 30)),
        (2, D(2020, 7, 1), D(2020, 9, 30)),
        (3, D(2020, 10, 1), D(2020, 12, 31)),
        (4, D(2021, 1, 1), D(2021, 3, 31)),
    ],
)
def test_fiscal_quarter_start_and_end(number, start, end):
    quarter = FiscalQuarter(FiscalYear(2020), number)
    assert (quarter.start, quarter.end) == (start, end)
    assert quarter.label == f"T{number} 2020-2021"


def test_the_four_quarters_tile_the_fiscal_year_without_gaps():
    year = FiscalYear(2020)
    quarters = year.quarters
    assert [q.number for q in quarters] == [1, 2, 3, 4]
    assert quarters[0].start == year.start
    assert quarters[-1].end == year.end
    for previous, following in itertools.pairwise(quarters):
        assert following.start == previous.end + timedelta(days=1)
        assert previous < following


@pytest.mark.parametrize("number", [0, 5, -1])
def test_a_quarter_number_outside_1_to_4_is_rejected(number):
    with pytest.raises(ValueError, match="between 1 and 4"):
        FiscalQuarter(FiscalYear(2020), number)


# --------------------------------------------------------------------------- calendar days


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(2026, 1, 31), 30, D(2026, 3, 2)),
        (D(2026, 6, 24), 0, D(2026, 6, 24)),
        (D(2026, 3, 31), -90, D(2025, 12, 31)),
        (D(2025, 12, 2), 30, D(2026, 1, 1)),  # lands on a holiday: calendar days ignore it
    ],
)
def test_add_calendar_days_ignores_weekends_and_holidays(day, n, expected):
    assert add_calendar_days(day, n) == expected


# --------------------------------------------------------------------------- properties

_dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31))
_closures = st.frozensets(st.dates(min_value=D(2000, 1, 1), max_value=D(2091, 6, 30)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(day=_dates, n=st.integers(min_value=1, max_value=60), closures=_closures)
def test_business_days_after_lands_on_a_business_day_n_business_days_later(day, n, closures):
    result = business_days_after(day, n, closures=closures)
    assert result > day
    assert is_business_day(result, closures=closures)
    assert business_days_between(day, result, closures=closures) == n
    assert business_days_between(day, result - timedelta(days=1), closures=closures) == n - 1


@settings(max_examples=200, deadline=None)
@given(day=_dates, closures=_closures)
def test_zero_business_days_after_is_the_earliest_business_day_on_or_after(day, closures):
    result = business_days_after(day, 0, closures=closures)
    assert result >= day
    assert is_business_day(result, closures=closures)
    assert business_days_between(day - timedelta(days=1), result, closures=closures) == 1


@settings(max_examples=200, deadline=None)
@given(a=_dates, b=_dates, c=_dates)
def test_business_days_between_is_additive_and_antisymmetric(a, b, c):
    a, b, c = sorted((a, b, c))
    c = min(c, a + timedelta(days=800))
    b = min(b, c)
    assert business_days_between(a, b) + business_days_between(b, c) == business_days_between(a, c)
    assert business_days_between(c, a) == -business_days_between(a, c)


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=D(1900, 1, 1), max_value=D(2500, 12, 31)))
def test_every_day_belongs_to_exactly_its_fiscal_year_and_quarter(day):
    year = fiscal_year(day)
    quarter = fiscal_quarter(day)
    assert year.contains(day)
    assert quarter.contains(day)
    assert quarter.fiscal_year == year
    assert quarter in year.quarters
    assert FiscalYear.from_label(year.label) == year
    assert not fiscal_year(year.start - timedelta(days=1)).contains(day)
