"""Demo fees (issue 15 « Done when »: a fee grid, filed and missing quarterly reports, issued,
paid and overdue invoices, a credit note), only through the services (every move audited), each
on its day on a clock set back (``acquisitions.demo._on``). Dates are counted from the demo's
day; on its Monday 2026-11-16:

1. The broker's admin (admin@courtier.example) published the older grid, version 1, effective
   2025-04-01 (1.5 % of the quarter's acquisitions, 004 §4.3), then the current one, version 2,
   effective 2026-10-01, the first day of the demo's quarter (a fee per concluded contract by
   bracket of its authorised amount and a fee per amendment, 002 §4.2, §4.5).
2. A second contract of the Ministère de l'Enseignement supérieur, with Nuagique (its writing
   suite for the minister's office, ``OLDER_MODEL_TITLE``), concluded five days before the end
   of the last ended quarter (T2 2026-2027 on the Monday), under the older grid: Nuagique's
   representative (representant@nuagique.example) filed that quarter's report by CSV (the
   year's subscription, paid in advance) before its due date, 15 days after the quarter;
   Boréale, whose contract in force (``contracts.demo.IN_FORCE_TITLE``) was concluded in that
   quarter too, has not: its report is missing. (On a day when Boréale's contract was
   concluded after that quarter, a second Boréale contract, ``FORMS_TITLE``, concluded in the
   quarter, owes the missing report instead.) Once the report was due, the daily job reminded
   Boréale the next morning and the broker's agent closed the quarter and billed the MES its
   percentage: that invoice, unpaid 30 days later, is overdue (001 §9.3).
3. A contract concluded under the current grid (Boréale's in force, on a day it was concluded
   in the current quarter) billed the day after: unpaid 30 days later, overdue too.
4. The fee of amendment 1 of the contract in force, billed the day after its signature, partly
   credited (a credit note: the broker's agreed discount), then paid in full by the MES.

Each event runs on its own day, in date order (the invoices' numbers follow the days).
Loading twice changes nothing: skipped when a fee grid exists already."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from courtier.accounts import demo as accounts_demo
from courtier.accounts.models import Organisation, User
from courtier.calendar.rules import FiscalQuarter
from courtier.contracts import demo as contracts_demo
from courtier.contracts.models import Amendment, AmendmentState, Contract, ContractState
from courtier.contracts.services import creation, dates
from courtier.fees import selectors
from courtier.fees.models import FeeGrid
from courtier.fees.services import grids, invoices, payments, reports

ADMIN = "admin@courtier.example"
AGENT = contracts_demo.BROKER
NUAGIQUE_REP = "representant@nuagique.example"

OLDER_MODEL = [{"fee_type": "quarterly", "rate_bp": 150}]  # 1.5 % of the acquisitions
CURRENT_MODEL = [
    # A concluded contract: 1 000 $ up to 100 000 $ authorised, 2 500 $ + 0.1 % above.
    {"fee_type": "contract", "from_cents": 0, "to_cents": 10_000_000, "flat_cents": 100_000},
    {"fee_type": "contract", "from_cents": 10_000_000, "flat_cents": 250_000, "rate_bp": 10},
    {"fee_type": "amendment", "flat_cents": 50_000},  # 500 $ an amendment prepared
]
OLDER_NOTES = "Modèle trimestriel : pourcentage des acquisitions déclarées (004 §4.3)."
CURRENT_NOTES = "Frais par contrat conclu et par avenant préparé (002 §4.2, §4.5)."

OLDER_MODEL_TITLE = "Suite de rédaction du cabinet du ministre"
FORMS_TITLE = "Formulaires de demandes de service du ministère"
# The two contracts this demo concludes (contracts.demo._frozen's arguments).
WRITING = {
    "title": OLDER_MODEL_TITLE,
    "category": "traitement-texte",
    "keep": {"NQ-TEXTE"},
    "plan": ("redacteurs", "Personnel du cabinet", (60, 2, 70)),
    "budget_cents": 3_000_000,
    "requirement": "Modèles de documents en français",
}
FORMS = {
    "title": FORMS_TITLE,
    "category": "sondage",
    "keep": {"SB-FORMULAIRES"},
    "plan": ("personnel", "Employés qui remplissent des formulaires", (200, 2, 250)),
    "budget_cents": 2_000_000,
    "requirement": "Formulaires accessibles en français",
}
# Nuagique's invoice of the year's subscription, paid in advance two days before the quarter's
# end: its contract's authorised amount.
PAID_INVOICE = ("NQ-2026-0917", 2)
CREDIT_CENTS = 10_000  # 100 $ before taxes
CREDIT_REASON = "Remise convenue : l'avenant reprend les modalités préparées pour le contrat."


def _at(day: date, hour: int = 10):
    return contracts_demo._at(day, hour)


def load() -> None:
    """Load the demo fees (after ``publication.demo.load``, inside the demo's transaction)."""
    if FeeGrid.objects.exists():
        return
    today = timezone.localdate()
    people = {
        email: User.objects.get(email=email)
        for email in (
            ADMIN,
            contracts_demo.CLIENT,
            contracts_demo.SIGNATORY,
            AGENT,
            contracts_demo.PROVIDER,
            NUAGIQUE_REP,
        )
    }
    mes = Organisation.objects.get(name=accounts_demo.MES)
    current = FiscalQuarter.for_date(today)
    _grids(people[ADMIN], current.start)
    quarter = selectors.recent_quarters(today, count=2)[1]  # the last ended one: older model
    story = _older_model(people, mes, quarter, today)
    story += _contract_billed(people, mes, today)
    story += _amendment_billed(people, mes, today)
    for _day, event in sorted(story, key=lambda item: item[0]):
        event()
    payments.invoices_mark_overdue(today=today)


def _grids(admin: User, current_from: date) -> None:
    """Version 1 (older model) 18 months before the current one; each prepared and published
    two weeks before it took effect."""
    for effective_on, lines, notes in (
        (current_from - relativedelta(months=18), OLDER_MODEL, OLDER_NOTES),
        (current_from, CURRENT_MODEL, CURRENT_NOTES),
    ):
        published_on = effective_on - timedelta(days=14)
        with _at(published_on):
            grid = grids.fee_grid_create(
                by=admin, effective_on=effective_on, lines=lines, notes=notes, today=published_on
            )
            grids.fee_grid_publish(by=admin, grid=grid, today=published_on)


Event = tuple[date, Callable[[], object]]


def _older_model(
    people: dict[str, User], mes: Organisation, quarter: FiscalQuarter, today: date
) -> list[Event]:
    """Nuagique's contract concluded in ``quarter`` (now), and Boréale's second one when its
    contract in force does not owe that quarter's report; the events that follow: Nuagique's
    report filed, and once the reports were due, the missing ones reminded and the quarter
    closed (the next morning)."""
    due_on = selectors.report_due_on(quarter)
    if Contract.objects.filter(title=OLDER_MODEL_TITLE).exists():
        return []
    in_force = Contract.objects.filter(client=mes, title=contracts_demo.IN_FORCE_TITLE).first()
    if in_force is None or in_force.concluded_on is None or in_force.concluded_on > quarter.end:
        _concluded(people, mes, quarter.end - timedelta(days=8), today, FORMS)
    contract = _concluded(people, mes, quarter.end - timedelta(days=5), today, WRITING)
    number, days_before = PAID_INVOICE
    cents = contract.authorised_cents
    amount = f"{cents // 100},{cents % 100:02d}"
    csv = (
        "contrat;client;facture;payee_le;montant\n"
        f"{contract.reference};{mes.name};{number};"
        f"{(quarter.end - timedelta(days=days_before)).isoformat()};{amount}\n"
    ).encode()
    filed_on = min(due_on - timedelta(days=3), today - timedelta(days=1))

    def filed() -> None:
        with _at(filed_on, 14):
            reports.acquisition_report_file(
                by=people[NUAGIQUE_REP],
                supplier=contract.supplier,
                quarter=quarter,
                lines=reports.parse_csv(csv),
                source=(f"rapport-{quarter.fiscal_year.start_year}-t{quarter.number}.csv", csv),
                today=filed_on,
            )

    story: list[Event] = [(filed_on, filed)]
    closed_on = due_on + timedelta(days=1)
    if closed_on < today:

        def closed() -> None:
            with _at(closed_on, 0):
                reports.reports_remind(today=closed_on)
            with _at(closed_on, 11):
                reports.quarter_close(by=people[AGENT], quarter=quarter, today=closed_on)

        story.append((closed_on, closed))
    return story


def _contract_billed(people: dict[str, User], mes: Organisation, today: date) -> list[Event]:
    """The contract in force billed the day after its conclusion when the grid then in force
    charges a fee per contract (002 §4.2)."""
    contract = Contract.objects.filter(client=mes, title=contracts_demo.IN_FORCE_TITLE).first()
    if contract is None or contract.concluded_on is None:
        return []
    issued_on = contract.concluded_on + timedelta(days=1)
    if issued_on >= today or invoices.contract_fee(contract) is None:
        return []

    def billed() -> None:
        with _at(issued_on, 8):
            invoices.invoice_issue_for_contract(
                by=people[AGENT], contract=contract, today=issued_on
            )

    return [(issued_on, billed)]


def _concluded(
    people: dict[str, User],
    mes: Organisation,
    concluded_on: date,
    today: date,
    what: dict[str, Any],
) -> Contract:
    """A contract of the MES (``WRITING`` or ``FORMS``): frozen nine days before its conclusion,
    prepared and validated two days later, signed by both parties on ``concluded_on``; in force
    from its start. Its SEAO sheet (the MES is subject to the RCTI) is published by
    ``courtier.demo.loaders`` (this layer does not reach the publication app)."""
    frozen_on = concluded_on - timedelta(days=9)
    strategy = contracts_demo._frozen(
        people[contracts_demo.CLIENT], mes, frozen_on=frozen_on, months=12, **what
    )
    with _at(frozen_on + timedelta(days=2)):
        contract = creation.contract_create(by=people[AGENT], strategy=strategy)
        contract = contracts_demo._to_validated(
            people, contracts_demo._prepared(people, contract, timezone.localdate())
        )
    with _at(concluded_on):
        contracts_demo._signed(people, contract)
    contract = Contract.objects.get(pk=contract.pk)
    if contract.start_on <= today and contract.state == ContractState.CONCLUDED:
        with _at(contract.start_on, 1):
            dates.contracts_daily(today=contract.start_on)
    return Contract.objects.select_related("supplier").get(pk=contract.pk)


def _amendment_billed(people: dict[str, User], mes: Organisation, today: date) -> list[Event]:
    """The signed amendment of the contract in force: billed the next day, 100 $ credited four
    days later, the balance paid by the MES two weeks after the invoice."""
    amendment = (
        Amendment.objects.filter(
            contract__client=mes,
            contract__title=contracts_demo.IN_FORCE_TITLE,
            state=AmendmentState.SIGNED,
        )
        .order_by("signed_on")
        .first()
    )
    if amendment is None or amendment.signed_on is None:
        return []
    issued_on = amendment.signed_on + timedelta(days=1)
    if issued_on >= today:
        return []
    agent = people[AGENT]
    credited_on, paid_on = issued_on + timedelta(days=4), issued_on + timedelta(days=14)

    def billed() -> None:
        with _at(issued_on, 8):
            invoice = invoices.invoice_issue_for_amendment(
                by=agent, amendment=amendment, today=issued_on
            )
        if credited_on < today:
            with _at(credited_on):
                invoices.credit_note_issue(
                    by=agent,
                    invoice=invoice,
                    subtotal_cents=CREDIT_CENTS,
                    reason=CREDIT_REASON,
                    today=credited_on,
                )
        if paid_on < today:
            with _at(paid_on, 15):
                payments.payment_record(
                    by=agent,
                    invoice=invoice,
                    amount_cents=selectors.balance_cents(invoice),
                    paid_on=paid_on,
                    reference="Virement MES-2026-1142",
                    today=paid_on,
                )

    return [(issued_on, billed)]
