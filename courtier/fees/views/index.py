"""The fees' home page (DOMAIN §6), by who reads it: the broker's staff, the fee grid, the
quarters and their reports, the invoices with what is due to be issued and what is overdue, the
fee summary; a client body's people, their invoices open, the balance and their statement; a
supplier's or provider's representatives, the quarterly reports they owe (004 §4.3) and their
reports. Someone who is none of them is refused."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.models import Organisation
from courtier.accounts.rules import Perm
from courtier.fees import policies, rules, selectors
from courtier.fees.models import GridState, InvoiceState, Kind
from courtier.fees.views.invoices import CLIENT_KINDS, due_count

RECENT = 5


def _broker(user: Any, today: Any) -> dict[str, Any]:
    invoices = selectors.invoices_for(user).filter(kind=Kind.INVOICE)
    open_invoices = invoices.filter(state__in=list(rules.OPEN_STATES))
    grid = selectors.grid_in_force(today)
    quarters = []
    for quarter in selectors.recent_quarters(today, count=4):
        status = selectors.quarter_status(quarter, today)
        quarters.append(
            {
                "quarter": quarter,
                "year": quarter.fiscal_year.start_year,
                "status": status,
                "ended": quarter.end < today,
                "filed": len(status.filed),
                "missing": len(status.missing),
            }
        )
    bills = policies.bills(user)
    return {
        "bills": bills,
        "keeps_grid": policies.keeps_grid(user),
        "grid": grid,
        "drafts": selectors.grids_for(user).filter(state=GridState.DRAFT).count(),
        "to_bill": due_count() if bills else 0,
        "overdue": invoices.filter(state=InvoiceState.OVERDUE).count(),
        "open": open_invoices.count(),
        "open_total": open_invoices.aggregate(s=Sum("total_cents"))["s"] or 0,
        "quarters": quarters,
        "recent": list(selectors.invoices_for(user).order_by("-issued_on", "-number")[:RECENT]),
    }


def _clients(user: Any) -> list[dict[str, Any]]:
    own = permissions.grants(user).organisations_with(Perm.BROWSE_CATALOGUE)
    found = []
    for client in Organisation.objects.filter(pk__in=own, kind__in=CLIENT_KINDS).order_by("name"):
        open_invoices = list(
            selectors.invoices_for(user)
            .filter(client=client, kind=Kind.INVOICE, state__in=list(rules.OPEN_STATES))
            .order_by("due_on", "number")
        )
        rows = [{"invoice": i, "balance": selectors.balance_cents(i)} for i in open_invoices]
        found.append(
            {
                "client": client,
                "open": rows,
                "balance": sum(row["balance"] for row in rows),
                "overdue": sum(1 for i in open_invoices if i.state == InvoiceState.OVERDUE),
            }
        )
    return found


def _supplier(user: Any, today: Any) -> dict[str, Any] | None:
    ids = policies.files_reports_for(user)
    if not ids:
        return None
    owed = [
        {
            "quarter": item.quarter,
            "year": item.quarter.fiscal_year.start_year,
            "supplier": item.supplier.name,
            "due_on": item.due_on,
            "late": item.late(today),
        }
        for item in selectors.reports_owed(today, ids)
    ]
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    current = selectors.recent_quarters(today, count=1)[0]
    return {
        "owed": owed,
        "current": current,
        "current_year": current.fiscal_year.start_year,
        "reports": selectors.reports_for(user).count(),
        "names": sorted(names.values()),
    }


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    staff = policies.sees_fee_summary(user)
    context: dict[str, Any] = {"today": today, "staff": staff}
    if staff:
        context["broker"] = _broker(user, today)
    else:
        if policies.sees_invoices(user):
            context["clients"] = _clients(user)
        if policies.sees_reports(user):
            context["supplier"] = _supplier(user, today)
            context["sees_reports"] = True
    if not (staff or context.get("clients") or context.get("sees_reports")):
        raise PermissionDenied
    return render(request, "fees/index.html", context)
