"""Fee invoices to clients (DOMAIN §6; 002 §4.2, §4.5, 004 §4.3): per concluded contract, per
signed amendment and per quarter under the older model, each under the grid in force on its
triggering date; numbered without gaps per fiscal year (``numbering``), with the GST and the QST
shown separately (``rules.taxes``), payable within 30 days (001 §9.3). An issued invoice never
changes: a correction is a credit note (``credit_note_issue``) that references it. Each issue
is once per thing billed (its ``key``): a replayed issue returns the first."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from courtier.accounts.models import Organisation
from courtier.calendar.rules import FiscalQuarter
from courtier.contracts.models import Amendment, AmendmentState, Contract
from courtier.core.formatting import long_date, money, percent_bp
from courtier.core.mail import notify
from courtier.fees import rules, selectors
from courtier.fees.messages import (
    AMENDMENT_NOT_PREPARED,
    CREDIT_REASON_REQUIRED,
    CREDIT_TOO_MUCH,
    INVOICE_CLOSED,
    NO_GRID,
    NOT_A_CREDIT_TARGET,
    NOT_CONCLUDED,
    NOTHING_TO_BILL,
    TEXT_TOO_LONG,
)
from courtier.fees.models import Basis, FeeGrid, Invoice, InvoiceLine, Kind
from courtier.fees.services.common import client_emails, record, require_biller
from courtier.fees.services.numbering import number_take
from courtier.fees.workflow import INVOICE_WORKFLOW

ISSUED_TEMPLATE = "fees/email/issued"


@dataclass(frozen=True)
class Line:
    description: str
    amount_cents: int  # before taxes
    base_cents: int | None = None  # what a rate applied to


def _day(value: date) -> str:
    """A date as the French invoice writes it (« 4 octobre 2026 »)."""
    with translation.override("fr-ca"):
        return long_date(value)


def invoice_url(invoice: Invoice) -> str:
    return reverse("fees:invoice", args=[invoice.pk])


def snapshot(invoice: Invoice) -> dict[str, Any]:
    return {
        "number": invoice.number,
        "kind": invoice.kind,
        "basis": invoice.basis,
        "client": invoice.client.name,
        "issued_on": invoice.issued_on.isoformat(),
        "due_on": invoice.due_on.isoformat() if invoice.due_on else "",
        "subtotal_cents": invoice.subtotal_cents,
        "gst_cents": invoice.gst_cents,
        "qst_cents": invoice.qst_cents,
        "total_cents": invoice.total_cents,
        "grid": f"v{invoice.grid.version}" if invoice.grid_id else "",
        "credits": invoice.credits.number if invoice.credits_id else "",
    }


def _render_after_commit(invoice: Invoice) -> None:
    from courtier.fees.tasks import invoice_document_render

    transaction.on_commit(lambda: invoice_document_render.enqueue(invoice.pk))


def _issue(
    *,
    by: Any,
    kind: str,
    basis: str,
    client: Organisation,
    lines: Sequence[Line],
    key: str,
    issued_on: date,
    grid: FeeGrid | None = None,
    contract: Contract | None = None,
    amendment: Amendment | None = None,
    quarter: FiscalQuarter | None = None,
    credits: Invoice | None = None,
    reason: str = "",
) -> Invoice:
    """Create the invoice or credit note with its number, lines and taxes, audited; its PDF is
    rendered after the commit, its client's people told."""
    subtotal = sum(line.amount_cents for line in lines)
    taxes = rules.taxes(subtotal)
    series = rules.Series.CREDIT_NOTE if kind == Kind.CREDIT_NOTE else rules.Series.INVOICE
    fiscal_year, sequence, number = number_take(series, issued_on)
    invoice = Invoice.objects.create(
        kind=kind,
        number=number,
        series=series,
        fiscal_year=fiscal_year,
        sequence=sequence,
        basis=basis,
        client=client,
        contract=contract,
        amendment=amendment,
        quarter_year=quarter.fiscal_year.start_year if quarter else None,
        quarter=quarter.number if quarter else None,
        grid=grid,
        credits=credits,
        reason=reason,
        issued_on=issued_on,
        due_on=None if kind == Kind.CREDIT_NOTE else rules.due_on(issued_on),
        subtotal_cents=taxes.subtotal_cents,
        gst_cents=taxes.gst_cents,
        qst_cents=taxes.qst_cents,
        total_cents=taxes.total_cents,
        key=key,
        issued_by=by,
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            order=n,
            description=line.description[: rules.MAX_TEXT_LENGTH],
            base_cents=line.base_cents,
            amount_cents=line.amount_cents,
        )
        for n, line in enumerate(lines, start=1)
    )
    action = "credit_note.issued" if kind == Kind.CREDIT_NOTE else "invoice.issued"
    record(by, action, invoice, client.pk, None, snapshot(invoice))
    _render_after_commit(invoice)
    notify(
        to=client_emails(client.pk),
        template=ISSUED_TEMPLATE,
        context={"invoice": invoice, "url": invoice_url(invoice)},
    )
    return invoice


def _existing(key: str) -> Invoice | None:
    return Invoice.objects.filter(key=key).select_related("client").first()


def _grid_or_refuse(day: date) -> FeeGrid:
    grid = selectors.grid_in_force(day)
    if grid is None:
        raise ValidationError({"grid": NO_GRID})
    return grid


def contract_key(contract: Contract) -> str:
    return f"contract:{contract.pk}"


def amendment_key(amendment: Amendment) -> str:
    return f"amendment:{amendment.pk}"


def quarter_key(quarter: FiscalQuarter, client_id: int) -> str:
    return f"quarter:{quarter.fiscal_year.start_year}-{quarter.number}:{client_id}"


def contract_fee(
    contract: Contract, grids: Sequence[FeeGrid] | None = None
) -> tuple[FeeGrid, int] | None:
    """The grid in force on the day the contract was concluded and the fee it charges on the
    contract's authorised amount (002 §4.2), or None when that grid charges none. ``grids``:
    the published grids when the caller read them already (``selectors.published_grids``)."""
    grid = selectors.grid_on(
        selectors.published_grids() if grids is None else grids, contract.concluded_on
    )
    if grid is None:
        return None
    fee = rules.fee_cents(
        selectors.grid_rules(grid), rules.FeeType.CONTRACT, contract.authorised_cents
    )
    return None if not fee else (grid, fee)


@transaction.atomic
def invoice_issue_for_contract(
    *, by: Any, contract: Contract, today: date | None = None
) -> Invoice:
    """002 §4.2: « une facture pour les frais de gestion est transmise […] une fois le contrat
    conclu », at the grid in force on the day it was concluded."""
    require_biller(by)
    locked = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("client")
        .get(pk=contract.pk)
    )
    existing = _existing(contract_key(locked))
    if existing is not None:
        return existing
    if locked.concluded_on is None:
        raise ValidationError({"contract": NOT_CONCLUDED})
    _grid_or_refuse(locked.concluded_on)
    found = contract_fee(locked)
    if found is None:
        raise ValidationError({"contract": NOTHING_TO_BILL})
    grid, fee = found
    return _issue(
        by=by,
        kind=Kind.INVOICE,
        basis=Basis.CONTRACT,
        client=locked.client,
        lines=[
            Line(
                f"Frais de gestion du Courtier — contrat {locked.reference} ({locked.title}), "
                f"conclu le {_day(locked.concluded_on)}, grille v{grid.version}",
                fee,
                locked.authorised_cents,
            )
        ],
        key=contract_key(locked),
        issued_on=today or timezone.localdate(),
        grid=grid,
        contract=locked,
    )


@transaction.atomic
def invoice_issue_for_amendment(
    *, by: Any, amendment: Amendment, today: date | None = None
) -> Invoice:
    """002 §4.5: « des frais de gestion pour la préparation d'un avenant sont applicables »: the
    fee the broker fixed when it prepared the amendment (proposed from the grid in force that
    day, stated in the amendment the client signed), billed once the amendment is signed."""
    require_biller(by)
    locked = (
        Amendment.objects.select_for_update(of=("self",))
        .select_related("contract__client")
        .get(pk=amendment.pk)
    )
    existing = _existing(amendment_key(locked))
    if existing is not None:
        return existing
    if locked.state != AmendmentState.SIGNED or locked.signed_on is None:
        raise ValidationError({"amendment": AMENDMENT_NOT_PREPARED})
    if locked.fee_cents <= 0:
        raise ValidationError({"amendment": NOTHING_TO_BILL})
    contract = locked.contract
    return _issue(
        by=by,
        kind=Kind.INVOICE,
        basis=Basis.AMENDMENT,
        client=contract.client,
        lines=[
            Line(
                f"Frais de gestion du Courtier — préparation de l'avenant {locked.number} du "
                f"contrat {contract.reference}, signé le {_day(locked.signed_on)}",
                locked.fee_cents,
            )
        ],
        key=amendment_key(locked),
        issued_on=today or timezone.localdate(),
        grid=selectors.grid_in_force(locked.signed_on),
        contract=contract,
        amendment=locked,
    )


def invoice_issue_for_quarter(
    *,
    by: Any,
    quarter: FiscalQuarter,
    client: Organisation,
    grid: FeeGrid,
    lines: Sequence[tuple[Contract, int]],
    today: date,
) -> Invoice | None:
    """004 §4.3: the grid's percentage of the client's acquisitions reported for the quarter,
    one line per contract; inside the caller's transaction (``quarter_close``)."""
    existing = _existing(quarter_key(quarter, client.pk))
    if existing is not None:
        return existing
    grid_lines = selectors.grid_rules(grid)
    total = sum(amount for _contract, amount in lines)
    fee = rules.fee_cents(grid_lines, rules.FeeType.QUARTERLY, total)
    if not fee:
        return None
    line = rules.bracket_for(grid_lines, rules.FeeType.QUARTERLY, total)
    assert line is not None  # fee_cents found it
    with translation.override("fr-ca"):  # an invoice is written in French (its PDF too)
        rate = percent_bp(line.rate_bp)
    described = [
        Line(
            f"Frais de gestion du Courtier — {rate} des acquisitions du {quarter.label} "
            f"({_day(quarter.start)} – {_day(quarter.end)}), "
            f"{len(lines)} contrat(s) : " + ", ".join(sorted({c.reference for c, _a in lines})),
            fee,
            total,
        )
    ]
    return _issue(
        by=by,
        kind=Kind.INVOICE,
        basis=Basis.QUARTERLY,
        client=client,
        lines=described,
        key=quarter_key(quarter, client.pk),
        issued_on=today,
        grid=grid,
        quarter=quarter,
    )


# --- what is due to be billed -----------------------------------------------------------------


def contracts_to_bill() -> list[Contract]:
    """Concluded contracts not billed yet whose grid (on the day they were concluded) charges a
    fee per contract."""
    billed = Invoice.objects.filter(basis=Basis.CONTRACT, kind=Kind.INVOICE).values("contract_id")
    contracts = (
        Contract.objects.filter(concluded_on__isnull=False)
        .exclude(pk__in=billed)
        .select_related("client")
        .order_by("concluded_on", "pk")
    )
    grids = selectors.published_grids()  # once, not per contract: the broker's home asks
    return [c for c in contracts if contract_fee(c, grids) is not None]


def amendments_to_bill() -> list[Amendment]:
    billed = Invoice.objects.filter(basis=Basis.AMENDMENT, kind=Kind.INVOICE).values("amendment_id")
    return list(
        Amendment.objects.filter(state=AmendmentState.SIGNED, fee_cents__gt=0)
        .exclude(pk__in=billed)
        .select_related("contract__client")
        .order_by("signed_on", "pk")
    )


def invoices_issue_due(*, by: Any, today: date | None = None) -> list[Invoice]:
    """Issue every invoice due (the daily job, or the broker's « Émettre les factures dues »):
    each in its own transaction, so that one refused leaves the others issued."""
    require_biller(by)
    issued: list[Invoice] = []
    for contract in contracts_to_bill():
        with contextlib.suppress(ValidationError):  # changed meanwhile: billed next time
            issued.append(invoice_issue_for_contract(by=by, contract=contract, today=today))
    for amendment in amendments_to_bill():
        with contextlib.suppress(ValidationError):
            issued.append(invoice_issue_for_amendment(by=by, amendment=amendment, today=today))
    return issued


# --- credit notes ------------------------------------------------------------------------------


def _lock_invoice(invoice: Invoice) -> Invoice:
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("client", "contract", "grid")
        .get(pk=invoice.pk)
    )


@transaction.atomic
def credit_note_issue(
    *, by: Any, invoice: Invoice, subtotal_cents: int, reason: str, today: date | None = None
) -> Invoice:
    """A correction of an issued invoice (issue 15 §3): a credit note of ``subtotal_cents``
    before taxes (its taxes computed as an invoice's), numbered in its own gapless series,
    referencing the invoice, which never changes; when it leaves nothing owed, the invoice is
    marked credited."""
    require_biller(by)
    locked = _lock_invoice(invoice)
    reason = (reason or "").strip()
    errors: dict[str, Any] = {}
    if locked.is_credit_note:
        raise ValidationError({"invoice": NOT_A_CREDIT_TARGET})
    if locked.state not in rules.OPEN_STATES:
        raise ValidationError({"invoice": INVOICE_CLOSED})
    if not reason:
        errors["reason"] = CREDIT_REASON_REQUIRED
    elif len(reason) > 2000:
        errors["reason"] = str(TEXT_TOO_LONG).format(limit=2000)
    balance = selectors.balance_cents(locked)
    credit_total = rules.taxes(int(subtotal_cents)).total_cents if subtotal_cents > 0 else 0
    if subtotal_cents <= 0 or credit_total > balance:
        errors["subtotal_cents"] = str(CREDIT_TOO_MUCH).format(balance=money(balance))
    if errors:
        raise ValidationError(errors)
    day = today or timezone.localdate()
    note = _issue(
        by=by,
        kind=Kind.CREDIT_NOTE,
        basis=locked.basis,
        client=locked.client,
        lines=[Line(f"Crédit sur la facture {locked.number} — {reason}", int(subtotal_cents))],
        key=f"credit:{locked.pk}:{selectors.credited_cents(locked)}:{subtotal_cents}",
        issued_on=day,
        contract=locked.contract,
        amendment=None,
        credits=locked,
        reason=reason,
    )
    if credit_total == balance:
        INVOICE_WORKFLOW.run(
            subject=locked,
            action=rules.Action.CREDIT,
            by=by,
            acting_as={rules.Actor.BROKER},
            values={},
        )
    return note
