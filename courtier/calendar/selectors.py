"""The business-day calendar as the rest of the product uses it: Quebec holidays plus the
broker's closure days from the database (DOMAIN §8). See rules.py for the arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from courtier.calendar import rules
from courtier.calendar.models import ClosureDay


def closure_days() -> frozenset[date]:
    return frozenset(ClosureDay.objects.values_list("day", flat=True))


def is_business_day(day: date) -> bool:
    return rules.is_business_day(day, closures=closure_days())


def business_days_after(day: date, n: int) -> date:
    return rules.business_days_after(day, n, closures=closure_days())


def first_business_day_of_month(year: int, month: int) -> date:
    return rules.first_business_day_of_month(year, month, closures=closure_days())


@dataclass(frozen=True)
class NonBusinessDay:
    day: date
    label: str
    closure: ClosureDay | None  # None for a statutory holiday


def non_business_weekdays(fiscal_year: rules.FiscalYear) -> list[NonBusinessDay]:
    """Holidays and closure days of a fiscal year, in date order, for the calendar page."""
    days: dict[date, NonBusinessDay] = {}
    for year in (fiscal_year.start.year, fiscal_year.end.year):
        for day, name in rules.quebec_holidays(year).items():
            if fiscal_year.contains(day):
                days[day] = NonBusinessDay(day, name, None)
    closures = ClosureDay.objects.filter(day__range=(fiscal_year.start, fiscal_year.end))
    for closure in closures:
        days[closure.day] = NonBusinessDay(closure.day, closure.label, closure)
    return [days[d] for d in sorted(days)]
