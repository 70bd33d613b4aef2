"""Gapless numbers per series and fiscal year (issue 15 §3): the series' counter row is locked
in the transaction that creates the invoice or credit note, so two issues at once wait for each
other and an issue rolled back gives its number back. Never a database sequence."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

from courtier.calendar.rules import FiscalYear
from courtier.fees import rules
from courtier.fees.models import NumberCounter


def _counter(series: str, fiscal_year: int) -> NumberCounter:
    counter = (
        NumberCounter.objects.select_for_update()
        .filter(series=series, fiscal_year=fiscal_year)
        .first()
    )
    if counter is not None:
        return counter
    try:
        # The year's first number: another transaction may create the row at the same moment;
        # the unique constraint lets one win, the other then locks the row it made.
        with transaction.atomic():
            NumberCounter.objects.create(series=series, fiscal_year=fiscal_year, last=0)
    except IntegrityError:
        pass
    return NumberCounter.objects.select_for_update().get(series=series, fiscal_year=fiscal_year)


def number_take(series: str, issued_on: date) -> tuple[int, int, str]:
    """(fiscal year, sequence, number) of the next document of ``series`` issued on
    ``issued_on``. Runs inside the caller's transaction (which creates the document)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a number is taken inside the transaction that uses it")
    year = FiscalYear.for_date(issued_on)
    counter = _counter(series, year.start_year)
    NumberCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    sequence = NumberCounter.objects.values_list("last", flat=True).get(pk=counter.pk)
    return year.start_year, sequence, rules.number(series, year.label, sequence)
