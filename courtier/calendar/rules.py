"""Calendar rules of the broker: Quebec holidays, business days, fiscal years (DOMAIN §8).

This module is deliberately *pure*: it imports nothing from Django and touches no
database, only the standard library and the ``holidays`` package. Everything that
needs the broker's own list of extra closure days (e.g. December 26, January 2)
takes it as the keyword argument ``closures``; loading that list from the
database is the caller's job.

Rules implemented (DOMAIN §8):

* **Business days** (*jours ouvrables*) are Monday to Friday, excluding Quebec
  statutory holidays, Easter Monday (listed by the Quebec Interpretation Act,
  art. 61) and the broker's extra closure days.
* **Holidays on a weekend** are observed on the following Monday when the public
  calendar says so: New Year's Day and Christmas (Saturday or Sunday, as given by
  the ``holidays`` package), the Fête nationale (June 24) and Canada Day (July 1)
  when they fall on a *Sunday* (Loi sur la fête nationale; federal Holidays Act).
  A Saturday June 24 or July 1 is not moved.
* **Fiscal year** of the Quebec government: April 1 to March 31 ("2020-2021"),
  split into four fixed quarters (DOMAIN §6): T1 Apr 1-Jun 30, T2 Jul 1-Sep 30,
  T3 Oct 1-Dec 31, T4 Jan 1-Mar 31.

Every function takes and returns :class:`datetime.date` objects. Passing a
:class:`datetime.datetime` is rejected with :class:`TypeError`, because a
datetime would silently never match a holiday and its calendar day depends on
a time zone the caller must choose.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Final

import holidays
from dateutil.easter import easter

__all__ = [
    "BROKER_CLOSURE_EXAMPLES",
    "EASTER_MONDAY_NAME",
    "FISCAL_QUARTER_COUNT",
    "FISCAL_YEAR_START_DAY",
    "FISCAL_YEAR_START_MONTH",
    "HOLIDAY_CATEGORIES",
    "HOLIDAY_LANGUAGE",
    "OBSERVED_SUFFIX",
    "QUEBEC_SUBDIVISION",
    "SUPPORTED_YEARS",
    "WEEKEND_DAYS",
    "FiscalQuarter",
    "FiscalYear",
    "add_calendar_days",
    "business_days_after",
    "business_days_between",
    "first_business_day_of_month",
    "fiscal_quarter",
    "fiscal_year",
    "is_business_day",
    "is_first_business_day_of_month",
    "is_holiday",
    "quebec_holidays",
]

# --------------------------------------------------------------------------- constants

#: ISO subdivision code passed to ``holidays.Canada`` (DOMAIN §8).
QUEBEC_SUBDIVISION: Final = "QC"

#: Language of holiday names returned by :func:`quebec_holidays`.
HOLIDAY_LANGUAGE: Final = "fr"

#: ``holidays`` categories used as the base calendar. Easter Monday, which the package
#: files under "optional" for QC, is added separately (see :func:`_easter_sunday`):
#: taking the whole "optional" category would also bring a spurious Tuesday
#: December 27 "Jour de Noël (observé)" whenever Christmas falls on a Sunday
#: (the package's Christmas/Boxing-Day substitution rule, which Quebec does not use).
HOLIDAY_CATEGORIES: Final = ("public",)

#: French name of Easter Monday (Interpretation Act, art. 61; DOMAIN §8).
EASTER_MONDAY_NAME: Final = "Lundi de Pâques"

#: Suffix the ``holidays`` package appends (in French) to an observed holiday's name.
OBSERVED_SUFFIX: Final = " (observé)"

#: ``date.weekday()`` values of Saturday and Sunday.
WEEKEND_DAYS: Final = frozenset({5, 6})

#: Name normalisation applied to the package's French labels (OQLF spelling).
_NAME_FIXES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Jour de l'an": "Jour de l'An",
        "Jour de Noël": "Noël",
    }
)

#: Holidays moved to Monday when they fall on a Sunday (not when on a Saturday):
#: (month, day, fallback name). Loi sur la fête nationale (June 24) and the federal
#: Holidays Act (July 1). The ``holidays`` package (0.109) already does this; the
#: rule is re-applied defensively so that a package change cannot drop it.
_SUNDAY_TO_MONDAY: Final[tuple[tuple[int, int, str], ...]] = (
    (6, 24, "Fête nationale du Québec"),
    (7, 1, "Fête du Canada"),
)

#: Years for which the ``holidays`` package knows Canada's calendar (1867-2100 in 0.109).
#: Outside this range it silently returns no holiday at all, so asking for the
#: holidays or business days of such a year raises ``ValueError`` instead.
SUPPORTED_YEARS: Final = range(holidays.Canada.start_year, holidays.Canada.end_year + 1)

#: Fiscal year of the Quebec government starts on April 1 (DOMAIN §8).
FISCAL_YEAR_START_MONTH: Final = 4
FISCAL_YEAR_START_DAY: Final = 1

#: Number of fixed quarters in a fiscal year (DOMAIN §6).
FISCAL_QUARTER_COUNT: Final = 4

#: Typical broker closure days (month, day) mentioned by DOMAIN §8. Informational
#: only: the real list is maintained by the broker and passed as ``closures``.
BROKER_CLOSURE_EXAMPLES: Final[tuple[tuple[int, int], ...]] = ((12, 26), (1, 2))

_FISCAL_LABEL_RE: Final = re.compile(r"([0-9]{4})-([0-9]{4})")
_ONE_DAY: Final = timedelta(days=1)
_NO_CLOSURES: Final[frozenset[date]] = frozenset()


# --------------------------------------------------------------------------- helpers


def _check_date(value: object, argument: str = "day") -> date:
    """Return ``value`` if it is a plain :class:`date`, else raise :class:`TypeError`."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(
            f"{argument} must be a datetime.date (not a datetime), got {type(value).__name__}"
        )
    return value


def _easter_sunday(year: int) -> date:
    """Western Easter Sunday, from the same routine the ``holidays`` package uses."""
    return easter(year)


def _normalise_name(name: str) -> str:
    """Apply :data:`_NAME_FIXES` to a package label, keeping any "(observé)" suffix."""
    base, suffix = name, ""
    if name.endswith(OBSERVED_SUFFIX):
        base, suffix = name[: -len(OBSERVED_SUFFIX)], OBSERVED_SUFFIX
    return _NAME_FIXES.get(base, base) + suffix


@functools.lru_cache(maxsize=256)
def _holidays_for_year(year: int) -> Mapping[date, str]:
    """Cached, read-only Quebec holiday calendar of ``year`` (see :func:`quebec_holidays`)."""
    if year not in SUPPORTED_YEARS:
        raise ValueError(
            f"no Quebec holiday calendar for {year}: supported years are "
            f"{SUPPORTED_YEARS.start}-{SUPPORTED_YEARS.stop - 1}"
        )
    source = holidays.Canada(
        subdiv=QUEBEC_SUBDIVISION,
        years=year,
        categories=HOLIDAY_CATEGORIES,
        language=HOLIDAY_LANGUAGE,
    )
    result: dict[date, str] = {day: _normalise_name(name) for day, name in source.items()}

    # Easter Monday: Interpretation Act, art. 61 (DOMAIN §8).
    result.setdefault(_easter_sunday(year) + _ONE_DAY, EASTER_MONDAY_NAME)

    # June 24 / July 1 on a Sunday are observed on Monday (Saturday: not moved).
    for month, day_of_month, fallback_name in _SUNDAY_TO_MONDAY:
        holiday = date(year, month, day_of_month)
        if holiday.weekday() == 6:
            name = result.get(holiday, fallback_name)
            result.setdefault(holiday + _ONE_DAY, name + OBSERVED_SUFFIX)

    return MappingProxyType(dict(sorted(result.items())))


def _month_days(year: int, month: int) -> Iterator[date]:
    """Every day of the given month, in order."""
    day = date(year, month, 1)
    while day.month == month:
        yield day
        day += _ONE_DAY


# --------------------------------------------------------------------------- holidays


def quebec_holidays(year: int) -> dict[date, str]:
    """Quebec statutory holidays of ``year`` with their French names (DOMAIN §8).

    Contains New Year's Day ("Jour de l'An"), Good Friday ("Vendredi saint"), Easter
    Monday ("Lundi de Pâques", Interpretation Act art. 61), National Patriots' Day
    ("Journée nationale des patriotes"), the Fête nationale ("Fête nationale du
    Québec", June 24), Canada Day ("Fête du Canada", July 1), Labour Day ("Fête du
    Travail"), Thanksgiving ("Action de grâce") and Christmas ("Noël"), plus the
    observed weekdays of holidays that fall on a weekend, named "<name> (observé)":
    New Year's Day and Christmas on a Saturday or Sunday move to the next Monday;
    June 24 and July 1 move to Monday only when they fall on a Sunday.

    The calendar is computed once per year and cached; the returned ``dict`` is a
    fresh copy, sorted by date, that the caller may modify freely.

    Raises:
        ValueError: if ``year`` is outside :data:`SUPPORTED_YEARS`. The business-day
            functions below raise it too when they reach such a year.
    """
    return dict(_holidays_for_year(year))


def is_holiday(day: date) -> bool:
    """Whether ``day`` is a Quebec holiday or an observed holiday (DOMAIN §8).

    Weekend dates of holidays (e.g. Saturday 2027-12-25) count as holidays too; they
    are not business days either way.
    """
    _check_date(day)
    return day in _holidays_for_year(day.year)


# --------------------------------------------------------------------------- business days


def _is_business_day(day: date, closures: Collection[date]) -> bool:
    """Unchecked core of :func:`is_business_day`."""
    return (
        day.weekday() not in WEEKEND_DAYS
        and day not in _holidays_for_year(day.year)
        and day not in closures
    )


def is_business_day(day: date, *, closures: Collection[date] = _NO_CLOSURES) -> bool:
    """Whether ``day`` is a business day (*jour ouvrable*, DOMAIN §8).

    A business day is Monday to Friday, not a Quebec holiday or observed holiday
    (:func:`quebec_holidays`, incl. Easter Monday per Interpretation Act art. 61),
    and not one of the broker's extra ``closures``.
    """
    _check_date(day)
    return _is_business_day(day, closures)


def business_days_after(day: date, n: int, *, closures: Collection[date] = _NO_CLOSURES) -> date:
    """The ``n``-th business day strictly after ``day`` (DOMAIN §8).

    This is how "within N business days" deadlines are computed: a request received
    on Thursday 2026-06-18 must be taken charge of within 3 business days, i.e. by
    ``business_days_after(date(2026, 6, 18), 3) == date(2026, 6, 23)`` (Friday,
    Monday, Tuesday; June 24 and the weekend are skipped). ``day`` itself does not
    need to be a business day: counting starts on the day after it.

    ``n == 0`` returns ``day`` if it is a business day, otherwise the next business
    day (the earliest business day on or after ``day``).

    Raises:
        ValueError: if ``n`` is negative.
        TypeError: if ``day`` is not a plain date or ``n`` is not an int.
    """
    _check_date(day)
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"n must be zero or a positive number of business days, got {n}")
    current = day
    if n == 0:
        while not _is_business_day(current, closures):
            current += _ONE_DAY
        return current
    remaining = n
    while remaining:
        current += _ONE_DAY
        if _is_business_day(current, closures):
            remaining -= 1
    return current


def business_days_between(
    start: date, end: date, *, closures: Collection[date] = _NO_CLOSURES
) -> int:
    """Number of business days in the half-open interval (``start``, ``end``] (DOMAIN §8).

    ``start`` is excluded and ``end`` included, so that
    ``business_days_between(d, business_days_after(d, n)) == n`` for every ``n >= 1``.
    Returns 0 when ``start == end``. When ``end`` is before ``start`` the result is
    negative: ``-business_days_between(end, start)`` (e.g. how many business days a
    deadline is overdue); hence ``between(a, b) + between(b, c) == between(a, c)``.
    """
    _check_date(start, "start")
    _check_date(end, "end")
    if end < start:
        return -business_days_between(end, start, closures=closures)
    count = 0
    current = start + _ONE_DAY
    while current <= end:
        if _is_business_day(current, closures):
            count += 1
        current += _ONE_DAY
    return count


def first_business_day_of_month(
    year: int, month: int, *, closures: Collection[date] = _NO_CLOSURES
) -> date:
    """The first business day of the given month: the only day prices may change (DOMAIN §2).

    Raises:
        ValueError: if ``month`` is not 1-12, or if every day of the month is closed
            (possible only with an absurd ``closures`` list).
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month must be between 1 and 12, got {month}")
    for day in _month_days(year, month):
        if _is_business_day(day, closures):
            return day
    raise ValueError(f"{year:04d}-{month:02d} has no business day with the given closures")


def is_first_business_day_of_month(day: date, *, closures: Collection[date] = _NO_CLOSURES) -> bool:
    """Whether ``day`` is the first business day of its month (price-change day, DOMAIN §2)."""
    _check_date(day)
    if not _is_business_day(day, closures):
        return False
    return not any(
        _is_business_day(earlier, closures)
        for earlier in _month_days(day.year, day.month)
        if earlier < day
    )


def add_calendar_days(day: date, n: int) -> date:
    """``day`` plus ``n`` calendar days (``n`` may be negative), for "30 days"-style deadlines.

    Calendar-day deadlines of DOMAIN §8 (30, 60, 90 days) ignore weekends and holidays.
    """
    _check_date(day)
    return day + timedelta(days=n)


# --------------------------------------------------------------------------- fiscal periods


@dataclass(frozen=True, order=True)
class FiscalYear:
    """Fiscal year of the Quebec government, April 1 to March 31 (DOMAIN §8).

    Identified by the calendar year in which it starts: ``FiscalYear(2020)`` runs from
    2020-04-01 to 2021-03-31 and is labelled "2020-2021". Instances are ordered
    chronologically.
    """

    start_year: int

    def __post_init__(self) -> None:
        if isinstance(self.start_year, bool) or not isinstance(self.start_year, int):
            raise TypeError(f"start_year must be an int, got {type(self.start_year).__name__}")
        if not date.min.year <= self.start_year < date.max.year:
            raise ValueError(f"start_year out of range: {self.start_year}")

    @property
    def start(self) -> date:
        """First day of the fiscal year (April 1)."""
        return date(self.start_year, FISCAL_YEAR_START_MONTH, FISCAL_YEAR_START_DAY)

    @property
    def end(self) -> date:
        """Last day of the fiscal year (March 31 of the next calendar year)."""
        return date(self.start_year + 1, FISCAL_YEAR_START_MONTH, FISCAL_YEAR_START_DAY) - _ONE_DAY

    @property
    def label(self) -> str:
        """Usual label, e.g. "2020-2021"."""
        return f"{self.start_year:04d}-{self.start_year + 1:04d}"

    def __str__(self) -> str:
        return self.label

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls within this fiscal year (bounds included)."""
        _check_date(day)
        return self.start <= day <= self.end

    @property
    def quarters(self) -> tuple[FiscalQuarter, ...]:
        """The four quarters T1-T4 of this fiscal year, in order (DOMAIN §6)."""
        return tuple(FiscalQuarter(self, number) for number in range(1, FISCAL_QUARTER_COUNT + 1))

    @classmethod
    def for_date(cls, day: date) -> FiscalYear:
        """The fiscal year containing ``day``."""
        _check_date(day)
        if (day.month, day.day) >= (FISCAL_YEAR_START_MONTH, FISCAL_YEAR_START_DAY):
            return cls(day.year)
        return cls(day.year - 1)

    @classmethod
    def from_label(cls, label: str) -> FiscalYear:
        """Parse a label such as "2020-2021" (inverse of :attr:`label`).

        Raises:
            ValueError: unless ``label`` is exactly two four-digit consecutive years
                joined by a hyphen-minus.
        """
        match = _FISCAL_LABEL_RE.fullmatch(label) if isinstance(label, str) else None
        if match is None:
            raise ValueError(f"invalid fiscal year label {label!r}: expected e.g. '2020-2021'")
        first, second = int(match.group(1)), int(match.group(2))
        if second != first + 1:
            raise ValueError(
                f"invalid fiscal year label {label!r}: the second year must follow the first"
            )
        return cls(first)


def fiscal_year(day: date) -> FiscalYear:
    """The fiscal year (April 1 to March 31) containing ``day`` (DOMAIN §8)."""
    return FiscalYear.for_date(day)


#: (start month, end month, end day) of quarters T1-T4 (DOMAIN §6).
_QUARTER_BOUNDS: Final[tuple[tuple[int, int, int], ...]] = (
    (4, 6, 30),
    (7, 9, 30),
    (10, 12, 31),
    (1, 3, 31),
)


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    """One of the four fixed quarters of a fiscal year (DOMAIN §6).

    T1 = April 1-June 30, T2 = July 1-September 30, T3 = October 1-December 31,
    T4 = January 1-March 31 (of the fiscal year's second calendar year). These are
    the periods of the suppliers' quarterly acquisition reports. Labelled
    "T1 2020-2021" (*trimestre*). Instances are ordered chronologically.
    """

    fiscal_year: FiscalYear
    number: int

    def __post_init__(self) -> None:
        if not isinstance(self.fiscal_year, FiscalYear):
            raise TypeError(
                f"fiscal_year must be a FiscalYear, got {type(self.fiscal_year).__name__}"
            )
        if isinstance(self.number, bool) or not isinstance(self.number, int):
            raise TypeError(f"number must be an int, got {type(self.number).__name__}")
        if not 1 <= self.number <= FISCAL_QUARTER_COUNT:
            raise ValueError(f"quarter number must be between 1 and 4, got {self.number}")

    @property
    def _calendar_year(self) -> int:
        # T4 (January-March) lies in the second calendar year of the fiscal year.
        return self.fiscal_year.start_year + (1 if self.number == FISCAL_QUARTER_COUNT else 0)

    @property
    def start(self) -> date:
        """First day of the quarter."""
        start_month, _, _ = _QUARTER_BOUNDS[self.number - 1]
        return date(self._calendar_year, start_month, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter."""
        _, end_month, end_day = _QUARTER_BOUNDS[self.number - 1]
        return date(self._calendar_year, end_month, end_day)

    @property
    def label(self) -> str:
        """Usual label, e.g. "T1 2020-2021"."""
        return f"T{self.number} {self.fiscal_year.label}"

    def __str__(self) -> str:
        return self.label

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls within this quarter (bounds included)."""
        _check_date(day)
        return self.start <= day <= self.end

    @classmethod
    def for_date(cls, day: date) -> FiscalQuarter:
        """The fiscal quarter containing ``day``."""
        year = FiscalYear.for_date(day)
        # April-June -> 1, July-Sept -> 2, Oct-Dec -> 3, Jan-Mar -> 4.
        number = (day.month - FISCAL_YEAR_START_MONTH) % 12 // 3 + 1
        return cls(year, number)


def fiscal_quarter(day: date) -> FiscalQuarter:
    """The fiscal quarter (T1-T4, DOMAIN §6) containing ``day``."""
    return FiscalQuarter.for_date(day)
