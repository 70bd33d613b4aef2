"""Who sees and changes the fees (DOMAIN §1, §6): the broker's staff see everything, its admin
keeps the fee grid and its staff bill; a client body's people see its own invoices and credit
notes; a supplier's or provider's representatives see and file their own quarterly reports;
the published grids are seen by everyone who reads the Catalogue or represents a supplier."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from courtier.accounts import permissions
from courtier.accounts.permissions import Grants, Policy, never, register
from courtier.accounts.rules import Perm
from courtier.fees.models import (
    AcquisitionLine,
    AcquisitionReport,
    FeeGrid,
    FeeGridLine,
    Invoice,
    InvoiceLine,
    Payment,
)


def _grid_scope(prefix: str):
    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
            return Q()
        if g.anywhere(Perm.BROWSE_CATALOGUE) or g.anywhere(Perm.FILE_ACQUISITION_REPORTS):
            return Q(**{f"{prefix}state": "published"})
        return Q(pk__in=[])

    return scope


def _report_scope(prefix: str):
    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
            return Q()
        return Q(
            **{f"{prefix}supplier_id__in": g.organisations_with(Perm.FILE_ACQUISITION_REPORTS)}
        )

    return scope


def _invoice_scope(prefix: str):
    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
            return Q()
        return Q(**{f"{prefix}client_id__in": g.organisations_with(Perm.BROWSE_CATALOGUE)})

    return scope


def keeps_grid(user: Any) -> bool:
    """The broker's admin keeps the fee grid (issue 15 §1)."""
    g = permissions.grants(user)
    return g.anywhere(Perm.MANAGE_FEE_GRID) and g.anywhere(Perm.WRITE)


def bills(user: Any) -> bool:
    """The broker's staff who issue invoices, record payments and credit notes."""
    g = permissions.grants(user)
    return g.anywhere(Perm.BILL_FEES) and g.anywhere(Perm.WRITE)


def files_reports_for(user: Any) -> set[int]:
    """The suppliers and providers whose quarterly reports the person files."""
    g = permissions.grants(user)
    if not g.anywhere(Perm.WRITE):
        return set()
    return set(g.organisations_with(Perm.FILE_ACQUISITION_REPORTS))


def sees_invoices(user: Any) -> bool:
    """Who reaches the invoices' list: the broker's staff and client bodies' people."""
    return permissions.has_perm(user, Perm.SEE_ALL_ORGANISATIONS) or permissions.has_perm(
        user, Perm.BROWSE_CATALOGUE
    )


def sees_reports(user: Any) -> bool:
    return permissions.has_perm(user, Perm.SEE_ALL_ORGANISATIONS) or permissions.has_perm(
        user, Perm.FILE_ACQUISITION_REPORTS
    )


def sees_fee_summary(user: Any) -> bool:
    """The broker's page of fees by quarter, client and type (issue 15 §4)."""
    return permissions.has_perm(user, Perm.SEE_ALL_ORGANISATIONS)


def _change_grid(user: Any, g: Grants, grid: FeeGrid) -> bool:
    return g.anywhere(Perm.MANAGE_FEE_GRID) and g.anywhere(Perm.WRITE)


def _change_invoice(user: Any, g: Grants, invoice: Invoice) -> bool:
    return g.anywhere(Perm.BILL_FEES) and g.anywhere(Perm.WRITE)


register(FeeGrid, Policy(scope=_grid_scope(""), change=_change_grid))
register(FeeGridLine, Policy(scope=_grid_scope("grid__"), change=never))
register(AcquisitionReport, Policy(scope=_report_scope(""), change=never))
register(AcquisitionLine, Policy(scope=_report_scope("report__"), change=never))
register(Invoice, Policy(scope=_invoice_scope(""), change=_change_invoice))
register(InvoiceLine, Policy(scope=_invoice_scope("invoice__"), change=never))
register(Payment, Policy(scope=_invoice_scope("invoice__"), change=never))
