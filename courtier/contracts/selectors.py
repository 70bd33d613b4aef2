"""Reads of specific contracts: the contracts a person sees, a contract's current terms (its
original terms plus its signed amendments in order, 002 §4.5), its consumption against the
authorised amount and the forecast of the month it runs out (002 §4.4)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from courtier.accounts import permissions
from courtier.acquisitions.models import AcquisitionStrategy
from courtier.contracts import rules
from courtier.contracts.models import (
    Amendment,
    AmendmentState,
    ConsumptionEntry,
    Contract,
    ContractKind,
    ContractSignatory,
    EntryKind,
)
from courtier.pricerequests.models import HandoffPackage


def contracts_for(user: Any) -> QuerySet[Contract]:
    """The contracts ``user`` may see (the policies' scope), newest first."""
    return permissions.scope(user, Contract.objects.select_related("client", "supplier"))


def original_terms(contract: Contract) -> rules.Terms:
    """What the contract provided when signed: duration, authorised amount, offers and their
    components (solutions) or qualifications (services), from its frozen basis."""
    basis = contract.basis or {}
    offers = frozenset(int(o["offer"]) for o in basis.get("offers", []) if o.get("offer"))
    components = frozenset(
        (int(o["offer"]), str(c.get("component", "")))
        for o in basis.get("offers", [])
        for c in o.get("components", [])
        if o.get("offer")
    )
    qualifications = frozenset(str(q) for q in basis.get("qualifications", []))
    return rules.Terms(
        months=contract.duration_months,
        authorised_cents=contract.authorised_cents,
        offers=offers if contract.kind == ContractKind.SOLUTIONS else frozenset(),
        components=components,
        qualifications=qualifications,
    )


def signed_amendments(contract: Contract) -> list[Amendment]:
    return list(contract.amendments.filter(state=AmendmentState.SIGNED).order_by("number"))


@dataclass(frozen=True)
class TermsHistory:
    """The original terms and, after each signed amendment in order, the terms it made."""

    original: rules.Terms
    steps: list[tuple[Amendment, rules.Terms]]

    @property
    def current(self) -> rules.Terms:
        return self.steps[-1][1] if self.steps else self.original


def terms_history(contract: Contract) -> TermsHistory:
    original = terms = original_terms(contract)
    steps: list[tuple[Amendment, rules.Terms]] = []
    for amendment in signed_amendments(contract):
        terms = rules.apply_changes(terms, amendment.number, amendment.changes)
        steps.append((amendment, terms))
    return TermsHistory(original, steps)


def current_terms(contract: Contract) -> rules.Terms:
    """002 §4.5: the original terms plus the signed amendments, in order."""
    return terms_history(contract).current


def signing_turn(
    state: str, signatories: Iterable[ContractSignatory], signed: Collection[int]
) -> list[int]:
    """002 §2.5 steps 8-9: the signatories (ids) whose turn it is, the client's by rank then the
    supplier's, once the broker's final version is out for signing (none otherwise); ``signed``:
    the ids of those who signed."""
    if state not in rules.SIGNING_STATES:
        return []
    return rules.next_signers(
        [rules.Signer(s.pk, s.party, s.order, s.pk in signed) for s in signatories]
    )


@dataclass(frozen=True)
class Consumption:
    authorised_cents: int  # the current authorised amount (amendments included)
    ordered_cents: int
    consumed_cents: int  # the supplier's invoices
    forecast: rules.Forecast

    @property
    def ordered_percent(self) -> Decimal:
        return rules.percent(self.ordered_cents, self.authorised_cents)

    @property
    def consumed_percent(self) -> Decimal:
        return rules.percent(self.consumed_cents, self.authorised_cents)


def totals(contract: Contract) -> tuple[int, int]:
    """(ordered, consumed) in cents."""
    sums = dict(
        ConsumptionEntry.objects.filter(contract=contract)
        .values_list("kind")
        .annotate(total=Sum("amount_cents"))
        .values_list("kind", "total")
    )
    return int(sums.get(EntryKind.ORDER) or 0), int(sums.get(EntryKind.INVOICE) or 0)


def consumption(contract: Contract, today: date | None = None) -> Consumption:
    """Ordered and consumed against the current authorised amount, and the month it runs out at
    the pace since the start (002 §4.4)."""
    today = today or timezone.localdate()
    ordered, consumed = totals(contract)
    authorised = current_terms(contract).authorised_cents
    forecast = rules.exhaustion_forecast(
        start=contract.start_on, today=today, used_cents=consumed, authorised_cents=authorised
    )
    return Consumption(authorised, ordered, consumed, forecast)


def consumption_series(contract: Contract, today: date | None = None) -> list[rules.Point]:
    """Cumulated ordered and consumed amounts at the end of each month, from the start to this
    month (or the contract's end, whichever comes first)."""
    today = today or timezone.localdate()
    end = min(today, contract.ended_on or contract.ends_on)
    entries = [
        (e.dated_on, e.kind, e.amount_cents)
        for e in ConsumptionEntry.objects.filter(contract=contract).only(
            "dated_on", "kind", "amount_cents"
        )
    ]
    first = min([contract.start_on, *(d for d, _, _ in entries)])
    return rules.monthly_series(entries, first, max(end, first))


def sources_without_contract(user: Any) -> list[dict[str, Any]]:
    """The frozen strategies (002 §2.5) and handed-off packages (002 §3.5) no contract rests on
    yet, oldest first: what the broker's agents make contracts from."""
    found: list[dict[str, Any]] = []
    strategies = permissions.scope(
        user,
        AcquisitionStrategy.objects.filter(contract__isnull=True).select_related(
            "file__client", "supplier"
        ),
    ).order_by("frozen_at", "pk")
    for s in strategies:
        found.append(
            {
                "key": f"strategy:{s.pk}",
                "strategy_id": s.pk,
                "handoff_id": None,
                "kind": ContractKind.SOLUTIONS.label,
                "reference": s.file.reference,
                "title": s.file.title,
                "client": s.file.client,
                "supplier": s.supplier,
                "total_cents": s.total_cents,
                "months": s.duration_months,
                "since": s.frozen_at,
                "needs_start": False,
            }
        )
    packages = permissions.scope(
        user,
        HandoffPackage.objects.filter(contract__isnull=True).select_related(
            "file__client", "provider"
        ),
    ).order_by("handed_off_at", "pk")
    for p in packages:
        found.append(
            {
                "key": f"handoff:{p.pk}",
                "strategy_id": None,
                "handoff_id": p.pk,
                "kind": ContractKind.SERVICES.label,
                "reference": p.file.reference,
                "title": p.file.title,
                "client": p.file.client,
                "supplier": p.provider,
                "total_cents": p.total_cents,
                "months": (p.content.get("file") or {}).get("duration_months"),
                "since": p.handed_off_at,
                "needs_start": True,
            }
        )
    return sorted(found, key=lambda source: source["since"])
