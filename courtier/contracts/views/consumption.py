"""Consumption and termination on the contract's page (002 §4.4; DOMAIN §7): the orders and
invoices recorded one by one or imported from a CSV file, ordered and consumed against the
authorised amount over time (a chart drawn here, with its table), the month it runs out at the
current pace; and the termination with its letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from courtier.contracts import forms, policies, rules, selectors
from courtier.contracts.models import Contract, EntryKind
from courtier.contracts.services import consumption as services
from courtier.contracts.services import termination
from courtier.contracts.views.common import Op, guarded, recorder, run
from courtier.files.uploads import Upload

# The chart's drawing area (SVG user units).
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 260, 8, 28, 12
MAX_MONTHS_DRAWN = 36


@dataclass(frozen=True)
class Bar:
    month: date
    ordered_cents: int
    consumed_cents: int
    authorised_cents: int
    x: float
    width: float
    ordered_y: float
    ordered_h: float
    consumed_x: float
    consumed_y: float
    consumed_h: float
    authorised_y: float


def authorised_by_month(contract: Contract, months: list[date]) -> list[int]:
    """The authorised amount in effect at the end of each month: the original amount plus the
    increases of the amendments signed by then (002 §4.5)."""
    steps = [
        (a.signed_on, sum(int(c.get("cents") or 0) for c in a.changes if c.get("kind") == "amount"))
        for a in selectors.signed_amendments(contract)
    ]
    found = []
    for month in months:
        end = rules.add_months(month, 1)
        found.append(
            contract.authorised_cents
            + sum(cents for signed_on, cents in steps if signed_on and signed_on < end)
        )
    return found


def chart(contract: Contract, today: date | None = None) -> dict[str, Any]:
    """Cumulated ordered and consumed amounts at each month's end, against the authorised
    amount then in effect: bars and a step line on one scale (the last 36 months at most)."""
    points = selectors.consumption_series(contract, today)[-MAX_MONTHS_DRAWN:]
    if not points:
        return {"bars": []}
    authorised = authorised_by_month(contract, [p.month for p in points])
    top = max(
        [*authorised, *(p.ordered_cents for p in points), *(p.consumed_cents for p in points)]
    )
    scale = (HEIGHT - BOTTOM - TOP) / top if top else 0
    slot = (WIDTH - LEFT) / len(points)
    bar = max(slot * 0.35, 1)
    base = HEIGHT - BOTTOM
    bars = []
    for index, (point, allowed) in enumerate(zip(points, authorised, strict=True)):
        x = LEFT + index * slot + slot * 0.12
        ordered_h, consumed_h = point.ordered_cents * scale, point.consumed_cents * scale
        bars.append(
            Bar(
                month=point.month,
                ordered_cents=point.ordered_cents,
                consumed_cents=point.consumed_cents,
                authorised_cents=allowed,
                x=round(x, 1),
                width=round(bar, 1),
                ordered_y=round(base - ordered_h, 1),
                ordered_h=round(ordered_h, 1),
                consumed_x=round(x + bar, 1),
                consumed_y=round(base - consumed_h, 1),
                consumed_h=round(consumed_h, 1),
                authorised_y=round(base - allowed * scale, 1),
            )
        )
    line = " ".join(
        f"{round(LEFT + i * slot, 1)},{b.authorised_y} {round(LEFT + (i + 1) * slot, 1)},"
        f"{b.authorised_y}"
        for i, b in enumerate(bars)
    )
    return {
        "bars": bars,
        "authorised_line": line,
        "width": WIDTH,
        "height": HEIGHT,
        "base": base,
        "label_y": HEIGHT - 8,
        "every": max(1, len(bars) // 12),  # a month's label every n bars
    }


def context(request: HttpRequest, contract: Contract, bound: dict[str, Any]) -> dict[str, Any]:
    user = request.user
    found: dict[str, Any] = {}
    if contract.state in rules.SIGNED_STATES | rules.CLOSED_STATES:
        found |= {
            "consumption": selectors.consumption(contract),
            "chart": chart(contract),
            "entries": list(
                contract.entries.select_related("document", "recorded_by").order_by(
                    "-dated_on", "-id"
                )[:200]
            ),
        }
    records = policies.runs_contract(user, contract) or policies.is_broker_agent(user)
    if records and contract.state in rules.SIGNED_STATES:
        found["entry_form"] = bound.get("entry_form") or forms.EntryForm(
            initial={"kind": EntryKind.INVOICE}
        )
        found["import_form"] = bound.get("import_form") or forms.ImportForm()
    if policies.runs_contract(user, contract) and contract.state in rules.SIGNED_STATES:
        found["termination_form"] = bound.get("termination_form") or forms.TerminationForm()
    found["termination"] = getattr(contract, "termination", None)
    return found


@guarded(recorder)
def _entry(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    def record(d: dict[str, Any]) -> Any:
        upload = Upload.from_form(d["document"]) if d.get("document") else None
        return services.entry_record(
            by=request.user,
            contract=contract,
            kind=d["kind"],
            number=d["number"],
            dated_on=d["dated_on"],
            amount_cents=d["amount"],
            description=d["description"],
            content=upload.content if upload else None,
            name=upload.name if upload else "",
        )

    return run("entry_form", forms.EntryForm(request.POST, request.FILES), record)


@guarded(recorder)
def _import(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    def load(d: dict[str, Any]) -> Any:
        upload = Upload.from_form(d["file"])
        return services.entries_import(
            by=request.user, contract=contract, content=upload.content, name=upload.name
        )

    return run("import_form", forms.ImportForm(request.POST, request.FILES), load)


@guarded(policies.runs_contract)
def _terminate(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    def terminate(d: dict[str, Any]) -> Any:
        upload = Upload.from_form(d["letter"])
        return termination.contract_terminate(
            by=request.user,
            contract=contract,
            effective_on=d["effective_on"],
            reason=d["reason"],
            content=upload.content,
            name=upload.name,
        )

    return run("termination_form", forms.TerminationForm(request.POST, request.FILES), terminate)


OPS: dict[str, tuple[Op, str]] = {
    "commande-facture": (_entry, _("Commande ou facture enregistrée.")),
    "importer": (_import, _("Commandes et factures du fichier enregistrées.")),
    "resilier": (
        _terminate,
        _("Contrat résilié ; la lettre est transmise au Courtier et au fournisseur."),
    ),
}
