"""The quarterly acquisition reports' pages (004 §4.3) and the quarters' (the broker): a
supplier's or provider's representatives see the recent quarters with their report's state
(filed and its total, awaited by its due date, late, closed) and file or correct it by CSV or
typed lines, refused whole with every bad line named (422, nothing written); a report's page
shows its lines, version and earlier versions; the broker's staff see each quarter's reports,
who has not filed, the total of acquisitions, and close it to bill its fees. Every form calls
one service and redirects (PRG)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.accounts import permissions
from courtier.accounts.models import Organisation
from courtier.accounts.rules import Perm
from courtier.calendar.rules import FiscalQuarter
from courtier.core.formatting import quarter_label
from courtier.core.forms import submit
from courtier.fees import policies, selectors
from courtier.fees.forms.reports import CSV_EXAMPLE, ReportForm
from courtier.fees.models import AcquisitionReport
from courtier.fees.services import reports as services
from courtier.fees.services.reports import COLUMNS


def _quarter(year: int, number: int) -> FiscalQuarter:
    try:
        return selectors.quarter_of(year, number)
    except (TypeError, ValueError):
        raise Http404 from None


def _is_broker(user: Any) -> bool:
    return permissions.has_perm(user, Perm.SEE_ALL_ORGANISATIONS)


def _represented(user: Any) -> list[Organisation]:
    """The suppliers and providers whose reports the person sees (its representatives)."""
    ids = permissions.grants(user).organisations_with(Perm.FILE_ACQUISITION_REPORTS)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


@dataclass(frozen=True)
class QuarterRow:
    """A quarter as a supplier sees it: its report's state for one of its organisations."""

    quarter: FiscalQuarter
    supplier: Organisation
    due_on: Any
    closed: bool
    report: AcquisitionReport | None
    owed: bool
    late: bool  # owed, not filed and past due, or first filed after the due date
    may_file: bool


def _supplier_rows(user: Any, today: Any) -> list[QuarterRow]:
    suppliers = _represented(user)
    filing = policies.files_reports_for(user)
    rows: list[QuarterRow] = []
    for quarter in selectors.recent_quarters(today):
        status = selectors.quarter_status(quarter, today)
        latest = {r.supplier_id: r for r in status.filed}
        # Filed after the due date, or owed and still missing once due.
        late_ids = {r.supplier_id for r in status.late} | {s.pk for s in status.missing}
        closed = status.closed
        for supplier in suppliers:
            report = latest.get(supplier.pk)
            owed = supplier.pk in status.owing
            late = supplier.pk in late_ids
            rows.append(
                QuarterRow(
                    quarter=quarter,
                    supplier=supplier,
                    due_on=status.due_on,
                    closed=closed,
                    report=report,
                    owed=owed,
                    late=late,
                    # Offered where a report is owed, or to correct one filed.
                    may_file=not closed and supplier.pk in filing and (owed or report is not None),
                )
            )
    return rows


def report_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not policies.sees_reports(user):
        raise PermissionDenied
    today = timezone.localdate()
    context: dict[str, Any] = {"is_broker": _is_broker(user), "today": today}
    if context["is_broker"]:
        context["quarters"] = [
            {
                "quarter": q,
                "status": selectors.quarter_status(q, today),
                "applies": selectors.quarterly_model_applies(q),
            }
            for q in selectors.recent_quarters(today)
        ]
    else:
        context["rows"] = _supplier_rows(user, today)
        context["several"] = len({row.supplier.pk for row in context["rows"]}) > 1
    context["reports"] = list(selectors.reports_for(user).order_by("-filed_at", "-pk")[:50])
    return render(request, "fees/reports/report_list.html", context)


def _form(user: Any, data: Any = None, files: Any = None) -> ReportForm:
    ids = policies.files_reports_for(user)
    suppliers = [(o.pk, o.name) for o in _represented(user) if o.pk in ids]
    return ReportForm(data, files, suppliers=suppliers)


def report_new(request: HttpRequest, year: int, number: int) -> HttpResponse:
    quarter = _quarter(year, number)
    user = request.user
    if not policies.files_reports_for(user):
        raise PermissionDenied
    if request.method == "POST":
        form = _form(user, request.POST, request.FILES)
        done = submit(
            form,
            lambda d: services.acquisition_report_file(
                by=user,
                supplier=Organisation.objects.get(pk=form.supplier_id()),
                quarter=quarter,
                lines=form.lines,
                source=form.source,
            ),
        )
        if done.ok:
            report = done.result
            messages.success(
                request,
                _("Le rapport {quarter} est déposé (version {version}).").format(
                    quarter=quarter_label(quarter), version=report.version
                ),
            )
            return redirect("fees:report", pk=report.pk)
        return _new_page(request, quarter, form, status=422)
    return _new_page(request, quarter, _form(user))


def _new_page(
    request: HttpRequest, quarter: FiscalQuarter, form: ReportForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "quarter": quarter,
        "form": form,
        "due_on": selectors.report_due_on(quarter),
        "closed": selectors.is_closed(quarter),
        "columns": COLUMNS,
        "example": CSV_EXAMPLE,
        "filed": list(
            selectors.reports_for(request.user)
            .filter(fiscal_year=quarter.fiscal_year.start_year, quarter=quarter.number)
            .order_by("supplier__name", "-version")
        ),
    }
    return render(request, "fees/reports/report_form.html", context, status=status)


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = selectors.reports_for(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    quarter = selectors.quarter_of(report.fiscal_year, report.quarter)
    versions = list(
        selectors.reports_for(user)
        .filter(supplier=report.supplier, fiscal_year=report.fiscal_year, quarter=report.quarter)
        .exclude(pk=report.pk)
        .order_by("-version")
    )
    context = {
        "report": report,
        "quarter": quarter,
        "lines": list(report.lines.select_related("contract", "client")),
        "versions": versions,
        "latest": not any(v.version > report.version for v in versions),
        "closed": selectors.is_closed(quarter),
        "may_correct": report.supplier_id in policies.files_reports_for(user),
        "is_broker": _is_broker(user),
    }
    return render(request, "fees/reports/report.html", context)


def _broker_quarter(request: HttpRequest, year: int, number: int) -> FiscalQuarter:
    quarter = _quarter(year, number)
    if not _is_broker(request.user):
        raise PermissionDenied
    return quarter


def _quarter_page(
    request: HttpRequest,
    quarter: FiscalQuarter,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    state = selectors.quarter_status(quarter, today)
    late_ids = {r.pk for r in state.late}
    context = {
        "quarter": quarter,
        "state": state,
        "late_ids": late_ids,
        "total_cents": sum(r.total_cents for r in state.filed),
        "applies": selectors.quarterly_model_applies(quarter),
        "owing": list(selectors.suppliers_owing(quarter)),
        "ended": quarter.end < today,
        "due_passed": today > state.due_on,
        "may_close": policies.bills(request.user) and not state.closed and quarter.end < today,
        "errors": errors or [],
    }
    return render(request, "fees/reports/quarter.html", context, status=status)


def quarter_detail(request: HttpRequest, year: int, number: int) -> HttpResponse:
    return _quarter_page(request, _broker_quarter(request, year, number))


@require_POST
def quarter_close(request: HttpRequest, year: int, number: int) -> HttpResponse:
    quarter = _broker_quarter(request, year, number)
    if not policies.bills(request.user):
        raise PermissionDenied
    try:
        invoices = services.quarter_close(by=request.user, quarter=quarter)
    except ValidationError as refused:
        return _quarter_page(request, quarter, errors=refused.messages, status=422)
    if invoices:
        messages.success(
            request,
            _("Le trimestre {quarter} est clos. Factures émises : {numbers}.").format(
                quarter=quarter_label(quarter), numbers=", ".join(i.number for i in invoices)
            ),
        )
    else:
        messages.success(
            request,
            _("Le trimestre {quarter} est clos. Aucune facture n'était due.").format(
                quarter=quarter_label(quarter)
            ),
        )
    return redirect("fees:quarter", year=year, number=number)
