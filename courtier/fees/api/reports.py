"""The suppliers' quarterly acquisition reports (004 §4.3): the person's reports, one with its
lines, a report filed as JSON or as a CSV file (refused whole, nothing written, with every bad
line named under « lines »), and the broker's quarters: their status and their closing, which
bills each client its percentage."""

import csv
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Path, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from courtier.accounts.models import Organisation
from courtier.calendar.rules import FiscalQuarter
from courtier.core.apierrors import ERRORS, path_id
from courtier.core.pagination import Pagination
from courtier.fees import messages, policies, rules, selectors
from courtier.fees.api.invoices import invoice_out
from courtier.fees.api.schemas import (
    YEAR_MAX,
    YEAR_MIN,
    FeeInvoiceOut,
    FeeQuarterOut,
    FeeReportDetailOut,
    FeeReportFileIn,
    FeeReportIn,
    FeeReportOut,
)
from courtier.fees.models import AcquisitionReport
from courtier.fees.services import reports as services
from courtier.files.uploads import MAX_UPLOAD_MB, Upload

router = Router(tags=["fees"])

SUPPLIER_REQUIRED = _(
    "Vous déposez pour plusieurs fournisseurs ou prestataires : indiquez lequel (supplier_id)."
)
SUPPLIER_UNKNOWN = _("Aucun fournisseur ou prestataire ne porte cet identifiant.")


def _year() -> Any:
    return Path(..., ge=YEAR_MIN, le=YEAR_MAX, description="Exercice financier (2026 = 2026-2027)")


def _number() -> Any:
    return Path(..., ge=1, le=4, description="Trimestre, de 1 à 4")


def _ref(obj: Any) -> dict[str, Any]:
    """An organisation by its name, a person by their full name."""
    if hasattr(obj, "get_full_name"):
        return {"id": obj.pk, "name": obj.get_full_name() or str(obj)}
    return {"id": obj.pk, "name": obj.name}


def report_of(user: Any, report_id: int) -> AcquisitionReport:
    report = selectors.reports_for(user).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


def report_out(report: AcquisitionReport) -> dict[str, Any]:
    quarter = selectors.quarter_of(report.fiscal_year, report.quarter)
    return {
        "id": report.pk,
        "supplier": _ref(report.supplier),
        "fiscal_year": report.fiscal_year,
        "quarter": report.quarter,
        "quarter_label": quarter.label,
        "version": report.version,
        "total_cents": report.total_cents,
        "filed_by": _ref(report.filed_by),
        "filed_at": report.filed_at,
        "document_id": report.document_id,
    }


def report_detail(report: AcquisitionReport) -> dict[str, Any]:
    lines = report.lines.select_related("contract", "client")
    return report_out(report) | {
        "lines": [
            {
                "id": line.pk,
                "contract": {"id": line.contract_id, "reference": line.contract.reference},
                "client": _ref(line.client),
                "invoice": line.invoice,
                "paid_on": line.paid_on,
                "amount_cents": line.amount_cents,
            }
            for line in lines
        ]
    }


class _Answered:
    """The reports of a queryset answered page by page (pagination slices it)."""

    def __init__(self, reports: Any) -> None:
        self.reports = reports

    def __len__(self) -> int:
        return self.reports.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [report_out(r) for r in self.reports[page]]


def _supplier(user: Any, supplier_id: int | None) -> Organisation:
    """The supplier the person files for: the one asked, or the only one it represents."""
    if supplier_id is None:
        mine = policies.files_reports_for(user)
        if not mine:
            raise PermissionDenied
        if len(mine) > 1:
            raise ValidationError({"supplier_id": SUPPLIER_REQUIRED})
        supplier_id = next(iter(mine))
    supplier = Organisation.objects.filter(pk=supplier_id).first()
    if supplier is None:
        raise ValidationError({"supplier_id": SUPPLIER_UNKNOWN})
    return supplier  # the service refuses (403) a supplier the person does not file for


def _file(
    request: HttpRequest,
    supplier_id: int | None,
    quarter: FiscalQuarter,
    lines: list[rules.ReportLine],
    source: tuple[str, bytes] | None = None,
) -> Status:
    supplier = _supplier(request.user, supplier_id)
    report = services.acquisition_report_file(
        by=request.user, supplier=supplier, quarter=quarter, lines=lines, source=source
    )
    return Status(201, report_detail(report_of(request.user, report.pk)))


@router.get(
    "/reports",
    response={200: list[FeeReportOut], **ERRORS},
    summary="Rapports trimestriels des acquisitions",
    description=(
        "Ceux de ses fournisseurs ou prestataires, toutes versions ; tous pour le Courtier. Le "
        "trimestre le plus récent d'abord."
    ),
)
@paginate(Pagination)
def report_list(
    request: HttpRequest,
    fiscal_year: int | None = Query(None, ge=YEAR_MIN, le=YEAR_MAX, description="Exercice"),
    quarter: int | None = Query(None, ge=1, le=4, description="Trimestre, de 1 à 4"),
):
    reports = selectors.reports_for(request.user)
    if fiscal_year is not None:
        reports = reports.filter(fiscal_year=fiscal_year)
    if quarter is not None:
        reports = reports.filter(quarter=quarter)
    return _Answered(reports)


@router.post(
    "/reports",
    response={201: FeeReportDetailOut, **ERRORS},
    summary="Déposer le rapport d'un trimestre (fournisseur ou prestataire)",
    description=(
        "Les factures que ses clients ont payées dans le trimestre (004 §4.3). Chaque ligne est "
        "vérifiée (le contrat est le sien et conclu, le client est celui du contrat, payée dans "
        "le trimestre, un montant positif) : le rapport est refusé en entier, rien "
        "d'enregistré, avec chaque ligne fautive nommée sous « lines », ou accepté comme "
        "nouvelle version (une correction, jusqu'à la clôture du trimestre). Le même rapport "
        "déposé de nouveau ne crée pas de version."
    ),
)
def report_file(request: HttpRequest, payload: FeeReportIn):
    quarter = selectors.quarter_of(payload.fiscal_year, payload.quarter)
    lines = [
        rules.ReportLine(
            line.contract.strip(),
            line.client.strip(),
            line.invoice.strip(),
            line.paid_on,
            line.amount_cents,
        )
        for line in payload.lines
    ]
    return _file(request, payload.supplier_id, quarter, lines)


@router.post(
    "/reports/csv",
    response={201: FeeReportDetailOut, **ERRORS},
    summary="Déposer le rapport d'un trimestre en CSV (fournisseur ou prestataire)",
    description=(
        f"Formulaire multipart : fiscal_year, quarter, supplier_id (facultatif pour qui ne "
        f"représente qu'un fournisseur) et le fichier (file, {MAX_UPLOAD_MB} Mo au plus), en "
        f"UTF-8, d'en-tête « {';'.join(services.COLUMNS)} » (« ; » ou « , »), dates AAAA-MM-JJ, "
        "montants en dollars. Vérifié comme un dépôt JSON ; le fichier est conservé avec le "
        "rapport."
    ),
)
def report_file_csv(request: HttpRequest, payload: Form[FeeReportFileIn], file: File[UploadedFile]):
    quarter = selectors.quarter_of(payload.fiscal_year, payload.quarter)
    upload = Upload.from_api(file, "file")
    try:
        lines = services.parse_csv(upload.content)
    except csv.Error:  # a NUL byte, a field beyond the csv module's limit: unreadable
        raise ValidationError({"file": messages.CSV_UNREADABLE}) from None
    return _file(request, payload.supplier_id, quarter, lines, (upload.name, upload.content))


# A literal address (/reports/csv) is registered before the one with an identifier.
@router.get(
    "/reports/{report_id}",
    response={200: FeeReportDetailOut, **ERRORS},
    summary="Un rapport trimestriel et ses lignes",
)
def report_get(request: HttpRequest, report_id: int = path_id()):
    return report_detail(report_of(request.user, report_id))


# --- the broker's quarters ------------------------------------------------------------------


def quarter_out(quarter: FiscalQuarter) -> dict[str, Any]:
    status = selectors.quarter_status(quarter, timezone.localdate())
    return {
        "fiscal_year": quarter.fiscal_year.start_year,
        "quarter": quarter.number,
        "label": quarter.label,
        "start": quarter.start,
        "end": quarter.end,
        "due_on": status.due_on,
        "closed": status.closed,
        "quarterly_model": selectors.quarterly_model_applies(quarter),
        "filed": [report_out(r) for r in status.filed],
        "missing": [_ref(s) for s in status.missing],
        "late": [r.pk for r in status.late],
    }


def _quarter(user: Any, year: int, number: int) -> FiscalQuarter:
    if not policies.sees_fee_summary(user):
        raise PermissionDenied
    return selectors.quarter_of(year, number)


@router.get(
    "/quarters/{year}/{number}",
    response={200: FeeQuarterOut, **ERRORS},
    summary="Un trimestre : ses rapports (Courtier)",
    description=(
        "La date limite de dépôt, les rapports déposés (dernière version), ceux qui manquent "
        "une fois la date passée, ceux déposés en retard, et s'il est clos."
    ),
)
def quarter_get(request: HttpRequest, year: int = _year(), number: int = _number()):
    return quarter_out(_quarter(request.user, year, number))


@router.post(
    "/quarters/{year}/{number}/close",
    response={200: list[FeeInvoiceOut], **ERRORS},
    summary="Clore un trimestre terminé et facturer ses frais (Courtier)",
    description=(
        "Ses rapports ne changent plus ; sous la grille en vigueur le dernier jour du trimestre, "
        "chaque client reçoit une facture du pourcentage de ses acquisitions déclarées. Répond "
        "les factures émises (aucune si la grille ne prévoit pas de pourcentage)."
    ),
)
def quarter_close(request: HttpRequest, year: int = _year(), number: int = _number()):
    quarter = _quarter(request.user, year, number)
    invoices = services.quarter_close(by=request.user, quarter=quarter)
    return [invoice_out(invoice) for invoice in invoices]
