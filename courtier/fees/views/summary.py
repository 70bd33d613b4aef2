"""The broker's fees by quarter, client and type (issue 15 §4; DOMAIN §6): the page, with a total
per quarter and a grand total, filtered by fiscal year, and a bar chart of the net fees per
quarter drawn as inline SVG on the server (no script; the table is its text alternative); the
same rows as CSV (``core.csvfile``) and XLSX (``core.xlsx``). Amounts are before taxes; a credit
note counts against its invoice's type in the quarter it was issued."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from courtier.calendar.rules import FiscalQuarter, FiscalYear
from courtier.core import csvfile
from courtier.core.formatting import money, quarter_label
from courtier.core.xlsx import (
    XLSX_CONTENT_TYPE,
    Money,
    append_row,
    new_workbook,
    set_widths,
    workbook_bytes,
)
from courtier.fees import policies, selectors
from courtier.fees.models import Basis

FORMATS = ("csv", "xlsx")
YEAR_PARAM = "exercice"

# The chart's geometry (SVG user units).
CHART_WIDTH = 720
CHART_HEIGHT = 260
CHART_TOP = 24
CHART_BOTTOM = 48  # room for the quarters' labels
CHART_LEFT = 16
BAR_GAP = 12
BAR_MAX = 96


@dataclass
class QuarterGroup:
    quarter: FiscalQuarter
    rows: list[selectors.SummaryRow] = field(default_factory=list)

    @property
    def invoiced_cents(self) -> int:
        return sum(r.invoiced_cents for r in self.rows)

    @property
    def credited_cents(self) -> int:
        return sum(r.credited_cents for r in self.rows)

    @property
    def net_cents(self) -> int:
        return self.invoiced_cents - self.credited_cents


def _staff(request: HttpRequest) -> None:
    if not policies.sees_fee_summary(request.user):
        raise PermissionDenied


def fiscal_years(user: Any) -> list[FiscalYear]:
    """The fiscal years with an invoice or a credit note, latest first."""
    years = (
        selectors.invoices_for(user)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    return [FiscalYear(int(y)) for y in years]


def chosen_year(request: HttpRequest, years: list[FiscalYear]) -> FiscalYear | None:
    """?exercice=2026 (the fiscal year's start); anything else shows every year."""
    raw = request.GET.get(YEAR_PARAM, "")
    if not (raw.isascii() and raw.isdigit()):
        return None
    return next((y for y in years if y.start_year == int(raw)), None)


def summary_rows(user: Any, year: FiscalYear | None) -> list[selectors.SummaryRow]:
    invoices = selectors.invoices_for(user)
    if year is not None:
        invoices = invoices.filter(fiscal_year=year.start_year)
    return selectors.fee_summary(user, invoices=invoices)


def groups_of(rows: list[selectors.SummaryRow]) -> list[QuarterGroup]:
    """The rows by quarter, in the selector's order (latest quarter first)."""
    groups: list[QuarterGroup] = []
    for row in rows:
        if not groups or groups[-1].quarter != row.quarter:
            groups.append(QuarterGroup(row.quarter))
        groups[-1].rows.append(row)
    return groups


def basis_label(basis: str) -> str:
    try:
        return str(Basis(basis).label)
    except ValueError:
        return basis


def chart(groups: list[QuarterGroup]) -> dict[str, Any] | None:
    """The bars of the net fees per quarter, oldest first, scaled to the largest; a negative
    quarter (more credited than invoiced) goes below the baseline."""
    if not groups:
        return None
    ordered = list(reversed(groups))
    values = [g.net_cents for g in ordered]
    high = max(max(values), 0)
    low = min(min(values), 0)
    span = (high - low) or 1
    plot = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    baseline = CHART_TOP + plot * high / span
    slot = (CHART_WIDTH - 2 * CHART_LEFT) / len(ordered)
    width = min(BAR_MAX, max(slot - BAR_GAP, 4))
    bars = []
    for n, (group, value) in enumerate(zip(ordered, values, strict=True)):
        height = max(plot * abs(value) / span, 0.5)
        x = CHART_LEFT + n * slot + (slot - width) / 2
        y = baseline - height if value >= 0 else baseline
        bars.append(
            {
                "x": _unit(x),
                "y": _unit(y),
                "width": _unit(width),
                "height": _unit(height),
                "center": _unit(x + width / 2),
                "value_y": _unit(y - 6 if value >= 0 else y + height + 14),
                "label": quarter_label(group.quarter),
                "amount": money(value),
                "negative": value < 0,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": _unit(baseline),
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_LEFT,
        "label_y": CHART_HEIGHT - 8,
        "bars": bars,
    }


def _unit(value: float) -> str:
    """A coordinate as SVG reads it (« 12.5 »): a string, so that the template never writes it
    with the language's decimal comma."""
    return f"{value:.1f}"


def summary(request: HttpRequest) -> HttpResponse:
    _staff(request)
    user = request.user
    years = fiscal_years(user)
    year = chosen_year(request, years)
    groups = groups_of(summary_rows(user, year))
    invoiced = sum(g.invoiced_cents for g in groups)
    credited = sum(g.credited_cents for g in groups)
    context = {
        "groups": [
            {
                "group": g,
                "rows": [{"row": r, "basis": basis_label(r.basis)} for r in g.rows],
            }
            for g in groups
        ],
        "years": years,
        "year": year,
        "year_param": YEAR_PARAM,
        "invoiced": invoiced,
        "credited": credited,
        "net": invoiced - credited,
        "chart": chart(groups),
        "formats": FORMATS,
    }
    return render(request, "fees/summary/summary.html", context)


# --- the exports -------------------------------------------------------------------------------


def header() -> list[str]:
    return [
        _("Trimestre"),
        _("Organisme client"),
        _("Type de frais"),
        _("Facturé"),
        _("Crédité"),
        _("Net"),
    ]


def export_rows(groups: list[QuarterGroup]) -> list[tuple[list[Any], bool]]:
    """Each row (quarter, client, type, invoiced, credited, net), the quarter's total after its
    rows and the grand total last; with whether it is a total (bold in the XLSX)."""
    lines: list[tuple[list[Any], bool]] = []
    for g in groups:
        for r in g.rows:
            lines.append(
                (
                    [
                        quarter_label(g.quarter),
                        r.client,
                        basis_label(r.basis),
                        Money(r.invoiced_cents),
                        Money(r.credited_cents),
                        Money(r.net_cents),
                    ],
                    False,
                )
            )
        lines.append(
            (
                [
                    quarter_label(g.quarter),
                    _("Total du trimestre"),
                    "",
                    Money(g.invoiced_cents),
                    Money(g.credited_cents),
                    Money(g.net_cents),
                ],
                True,
            )
        )
    invoiced = sum(g.invoiced_cents for g in groups)
    credited = sum(g.credited_cents for g in groups)
    lines.append(
        (
            [
                _("Total"),
                "",
                "",
                Money(invoiced),
                Money(credited),
                Money(invoiced - credited),
            ],
            True,
        )
    )
    return lines


def filename(fmt: str, year: FiscalYear | None) -> str:
    scope = year.label if year is not None else timezone.localdate().isoformat()
    return f"frais-de-gestion-{scope}.{fmt}"


def summary_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    _staff(request)
    user = request.user
    year = chosen_year(request, fiscal_years(user))
    lines = export_rows(groups_of(summary_rows(user, year)))
    if fmt == "csv":
        return csvfile.csv_response(filename(fmt, year), header(), [row for row, _b in lines])
    workbook = new_workbook()
    sheet = workbook.create_sheet(title=str(_("Frais de gestion"))[:31])
    set_widths(sheet, [16, 40, 36, 16, 16, 16])
    append_row(sheet, header(), bold=True)
    for row, bold in lines:
        append_row(sheet, row, bold=bold)
    sheet.freeze_panes = "A2"
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename(fmt, year))
    return response
