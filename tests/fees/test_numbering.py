"""Gapless numbers under concurrency (issue 15 « Done when »): invoices issued from several
threads at once, each in its own transaction and database connection, take the numbers of the
fiscal year 1, 2, 3... with no duplicate and no gap; an issue rolled back gives its number back.
On PostgreSQL the counter row is locked (SELECT ... FOR UPDATE); on SQLite the write transaction
(BEGIN IMMEDIATE) serialises the issues. Real commits: a transactional test."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import OperationalError, connection, connections, transaction

from courtier.fees import rules
from courtier.fees.models import Invoice, NumberCounter
from courtier.fees.services.numbering import number_take
from tests.factories import make_organisation

THREADS = 8
EACH = 5
ISSUED_ON = date(2027, 2, 15)  # fiscal year 2026-2027


def _issue_one(client_id: int, n: int) -> None:
    """One invoice in its own transaction (as the services do), retried when SQLite's shared
    in-memory test database reports its table locked (a file database would wait instead)."""
    for _attempt in range(200):
        try:
            with transaction.atomic():
                year, sequence, number = number_take(rules.Series.INVOICE, ISSUED_ON)
                Invoice.objects.create(
                    kind="invoice",
                    number=number,
                    series=rules.Series.INVOICE,
                    fiscal_year=year,
                    sequence=sequence,
                    basis="contract",
                    client_id=client_id,
                    issued_on=ISSUED_ON,
                    due_on=rules.due_on(ISSUED_ON),
                    subtotal_cents=100_000,
                    gst_cents=5_000,
                    qst_cents=9_975,
                    total_cents=114_975,
                    key=f"test:{threading.get_ident()}:{n}",
                )
            return
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            threading.Event().wait(0.005)
    raise AssertionError("never got the write lock")


@pytest.mark.django_db(transaction=True)
def test_invoices_issued_from_several_threads_at_once_are_numbered_without_gap_or_duplicate():
    client = make_organisation("client")
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            for n in range(EACH):
                _issue_one(client.pk, n)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    sequences = list(
        Invoice.objects.filter(series="F", fiscal_year=2026).values_list("sequence", flat=True)
    )
    assert len(sequences) == THREADS * EACH
    assert rules.gapless(sequences)
    numbers = set(Invoice.objects.values_list("number", flat=True))
    assert numbers == {f"F-2026-2027-{n:05d}" for n in range(1, THREADS * EACH + 1)}
    assert NumberCounter.objects.get(series="F", fiscal_year=2026).last == THREADS * EACH


@pytest.mark.django_db
def test_an_issue_rolled_back_gives_its_number_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        assert number_take(rules.Series.INVOICE, ISSUED_ON)[1] == 1
        raise RuntimeError("refused after the number was taken")
    with transaction.atomic():
        assert number_take(rules.Series.INVOICE, ISSUED_ON)[2] == "F-2026-2027-00001"


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_the_transaction_that_uses_it():
    with pytest.raises(RuntimeError):
        number_take(rules.Series.INVOICE, ISSUED_ON)
    assert not NumberCounter.objects.exists()
