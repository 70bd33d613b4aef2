"""Payments of fee invoices and the overdue follow-up (001 §9.3: payable within 30 days of the
issue date): the broker's staff record each payment received (amount and date); the one that
leaves nothing owed marks the invoice paid; the daily job marks overdue the invoices unpaid the
day after their due date and tells the client's people."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from courtier.core.formatting import money
from courtier.core.mail import notify
from courtier.fees import rules, selectors
from courtier.fees.messages import (
    AMOUNT_INVALID,
    INVOICE_CLOSED,
    PAYMENT_BEFORE_ISSUE,
    PAYMENT_FUTURE,
    PAYMENT_TOO_MUCH,
    TEXT_TOO_LONG,
)
from courtier.fees.models import Invoice, InvoiceState, Kind, Payment
from courtier.fees.services.common import client_emails, record, require_biller
from courtier.fees.services.invoices import _lock_invoice, invoice_url
from courtier.fees.workflow import INVOICE_WORKFLOW

OVERDUE_TEMPLATE = "fees/email/overdue"


@transaction.atomic
def payment_record(
    *,
    by: Any,
    invoice: Invoice,
    amount_cents: int,
    paid_on: date,
    reference: str = "",
    today: date | None = None,
) -> Payment:
    """A payment received: positive, not more than the balance, dated between the issue and
    today. The invoice is marked paid when nothing is owed any more."""
    require_biller(by)
    locked = _lock_invoice(invoice)
    if locked.kind != Kind.INVOICE or locked.state not in rules.OPEN_STATES:
        raise ValidationError({"invoice": INVOICE_CLOSED})
    today = today or timezone.localdate()
    reference = (reference or "").strip()
    balance = selectors.balance_cents(locked)
    errors: dict[str, Any] = {}
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        errors["amount_cents"] = AMOUNT_INVALID
    elif amount_cents > balance:
        errors["amount_cents"] = str(PAYMENT_TOO_MUCH).format(balance=money(balance))
    if paid_on is None or paid_on > today:
        errors["paid_on"] = PAYMENT_FUTURE
    elif paid_on < locked.issued_on:
        errors["paid_on"] = PAYMENT_BEFORE_ISSUE
    if len(reference) > 100:
        errors["reference"] = str(TEXT_TOO_LONG).format(limit=100)
    if errors:
        raise ValidationError(errors)
    payment = Payment.objects.create(
        invoice=locked,
        paid_on=paid_on,
        amount_cents=amount_cents,
        reference=reference,
        recorded_by=by,
    )
    record(
        by,
        "invoice.payment_recorded",
        locked,
        locked.client_id,
        {"balance_cents": balance},
        {
            "amount_cents": amount_cents,
            "paid_on": paid_on.isoformat(),
            "reference": reference,
            "balance_cents": balance - amount_cents,
        },
    )
    if amount_cents == balance:
        INVOICE_WORKFLOW.run(
            subject=locked,
            action=rules.Action.SETTLE,
            by=by,
            acting_as={rules.Actor.BROKER},
            values={"paid_on": paid_on},
        )
    return payment


def invoices_mark_overdue(*, today: date | None = None) -> list[Invoice]:
    """The daily job: every issued invoice unpaid the day after its due date becomes overdue
    (each in its own transaction); its client's people are told."""
    today = today or timezone.localdate()
    marked: list[Invoice] = []
    for pk in Invoice.objects.filter(
        kind=Kind.INVOICE, state=InvoiceState.ISSUED, due_on__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            locked = _lock_invoice(Invoice(pk=pk))
            if locked.state != InvoiceState.ISSUED or not rules.is_overdue(locked.due_on, today):
                continue
            INVOICE_WORKFLOW.run(
                subject=locked,
                action=rules.Action.MARK_OVERDUE,
                by=None,
                acting_as={rules.Actor.SYSTEM},
                values={},
            )
            notify(
                to=client_emails(locked.client_id),
                template=OVERDUE_TEMPLATE,
                context={
                    "invoice": locked,
                    "balance": money(selectors.balance_cents(locked)),
                    "url": invoice_url(locked),
                },
            )
            marked.append(locked)
    return marked
