"""What the calendar adds to the home dashboard: the fiscal period and the next days off."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from courtier.calendar import rules
from courtier.calendar.selectors import non_business_weekdays
from courtier.core import dashboard

UPCOMING_DAYS_SHOWN = 4


@dashboard.contributor("calendar")
def _board(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    fiscal_year = rules.fiscal_year(today)
    days = [
        d
        for fy in (fiscal_year, rules.FiscalYear(fiscal_year.start_year + 1))
        for d in non_business_weekdays(fy)
        if d.day >= today
    ][:UPCOMING_DAYS_SHOWN]
    return {
        "fiscal_year": fiscal_year,
        "fiscal_quarter": rules.fiscal_quarter(today),
        "upcoming_closed_days": days,
    }
