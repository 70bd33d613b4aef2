"""The PDFs of the fees, through the one PDF stack (``core.pdf``, French PDF/A): an invoice or a
credit note, kept in the document store (type « fee_invoice ») and pointed at by the invoice;
the published fee grid, published among the Catalogue's supporting documents. Run by ``tasks``
after the commit, never inside the request; each is idempotent (a second run does nothing)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation

from courtier.accounts.models import User
from courtier.catalogue.models import SupportingDocumentKind
from courtier.catalogue.services.documents import supporting_document_publish
from courtier.core.formatting import money, percent_bp
from courtier.core.pdf import PDF_CONTENT_TYPE, render_pdf
from courtier.documents.services.store import document_keep
from courtier.fees import selectors
from courtier.fees.models import FeeGrid, FeeType, Invoice

INVOICE_TEMPLATE = "fees/documents/invoice.html"
GRID_TEMPLATE = "fees/documents/grid.html"
GRID_TITLE = "Grille tarifaire des frais de gestion du Courtier"


def broker_details() -> dict[str, str]:
    """The broker as an invoice names it (settings: COURTIER_BROKER_*)."""
    return {
        "name": settings.COURTIER_BROKER_NAME,
        "address": settings.COURTIER_BROKER_ADDRESS,
        "gst_number": settings.COURTIER_BROKER_GST_NUMBER,
        "qst_number": settings.COURTIER_BROKER_QST_NUMBER,
    }


def invoice_pdf(invoice: Invoice) -> bytes:
    quarter = (
        selectors.quarter_of(invoice.quarter_year, invoice.quarter)
        if invoice.quarter_year
        else None
    )
    title = "Note de crédit" if invoice.is_credit_note else "Facture de frais de gestion"
    return render_pdf(
        INVOICE_TEMPLATE,
        {
            "invoice": invoice,
            "lines": list(invoice.lines.all()),
            "broker": broker_details(),
            "quarter": quarter,
        },
        title=f"{title} {invoice.number}",
        reference=invoice.number,
    )


def invoice_document_keep(invoice_id: int) -> int | None:
    """Render the invoice and keep it (the document's id); None if it was kept already."""
    invoice = Invoice.objects.select_related(
        "client", "contract", "amendment", "grid", "credits", "issued_by"
    ).get(pk=invoice_id)
    if invoice.document_id:
        return None
    content = invoice_pdf(invoice)
    with transaction.atomic():
        document = document_keep(
            by=invoice.issued_by,
            subject=invoice,
            type="fee_invoice",
            title=f"{invoice.get_kind_display()} {invoice.number}",
            name=f"{invoice.number}.pdf",
            content=content,
            content_type=PDF_CONTENT_TYPE,
            key=f"fees.invoice:{invoice.pk}",
        )
        Invoice.objects.filter(pk=invoice.pk, document__isnull=True).update(document=document)
    return document.pk


def _bracket(line: Any) -> str:
    if line.from_cents == 0 and line.to_cents is None:
        return "Tout montant"
    if line.to_cents is None:
        return f"{money(line.from_cents)} et plus"
    return f"De {money(line.from_cents)} à moins de {money(line.to_cents)}"


def grid_pdf(grid: FeeGrid) -> bytes:
    with translation.override("fr-ca"):
        groups = []
        for fee_type, label in FeeType.choices:
            lines = [line for line in grid.lines.all() if line.fee_type == fee_type]
            if lines:
                groups.append(
                    {
                        "label": label,
                        "lines": [
                            {
                                "bracket": _bracket(line),
                                "flat_cents": line.flat_cents,
                                "rate": percent_bp(line.rate_bp),
                            }
                            for line in lines
                        ],
                    }
                )
    return render_pdf(
        GRID_TEMPLATE,
        {"grid": grid, "groups": groups},
        title=f"{GRID_TITLE} — v{grid.version}",
        reference=f"v{grid.version}",
    )


def grid_document_publish(grid_id: int, by_id: int | None) -> int | None:
    """Publish the grid's PDF as a new version of the Catalogue's supporting document « Grille
    tarifaire des frais de gestion du Courtier » (once)."""
    grid = FeeGrid.objects.prefetch_related("lines").get(pk=grid_id)
    if grid.supporting_version_id:
        return None
    by = User.objects.filter(pk=by_id).first() if by_id else None
    content = grid_pdf(grid)
    with transaction.atomic():
        version = supporting_document_publish(
            by=by,
            kind=SupportingDocumentKind.FEE_GRID,
            title=GRID_TITLE,
            file_name=f"grille-tarifaire-v{grid.version}.pdf",
            content=content,
            content_type=PDF_CONTENT_TYPE,
            notes=f"Version {grid.version}, en vigueur le {grid.effective_on.isoformat()}",
            description="Frais de gestion du Courtier facturés aux clients (002 §4.2, §4.5).",
        )
        FeeGrid.objects.filter(pk=grid.pk).update(supporting_version=version)
    return version.pk
