"""The attestation of disposal (000, annexe 5, « Attestation de disposition des renseignements
personnels et confidentiels »): after a disposal commits, one PDF/A through the one stack
(``core.pdf``) names who approved it, when, by which method, and every document removed with
its object, hash, size and dates; kept permanently as the broker's record."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from courtier.accounts.models import Organisation, OrganisationKind
from courtier.core.formatting import long_date, moment, quantity
from courtier.core.pdf import PDF_CONTENT_TYPE, Grid, render_pdf
from courtier.documents.models import Disposal, Document, DocumentVersion
from courtier.documents.services.store import document_keep

ATTESTATION_TYPE = "disposal_attestation"
TEMPLATE = "documents/pdf/attestation.html"


def attestation_key(disposal: Disposal) -> str:
    return f"disposal-{disposal.pk}"


def _size(size: int) -> str:
    return _("%(n)s octets") % {"n": quantity(size)}


def _rows(disposal: Disposal) -> list[list[str]]:
    versions = DocumentVersion.objects.filter(document__disposal=disposal).select_related(
        "document__owner"
    )
    return [
        [
            f"{version.document.title} (v{version.number})",
            version.document.type_label,
            version.document.owner.name,
            version.sha256,
            _size(version.size),
            long_date(version.created_at),
            long_date(version.document.disposal_on),
        ]
        for version in versions.order_by("document_id", "number")
    ]


def _render(disposal: Disposal, broker: Organisation) -> bytes:
    with translation.override("fr-ca"):  # the broker's record is written in French
        return _render_french(disposal, broker)


def _render_french(disposal: Disposal, broker: Organisation) -> bytes:
    reference = _("Disposition nº %(n)s") % {"n": disposal.pk}
    approver = disposal.approved_by
    grid = Grid(
        headers=[
            _("Document"),
            _("Type"),
            _("Organisation"),
            _("Empreinte SHA-256"),
            _("Taille"),
            _("Déposé le"),
            _("Date de disposition"),
        ],
        rows=_rows(disposal),
        numbers=frozenset({4}),
    )
    context = {
        "disposal": disposal,
        "broker": broker,
        "approver_name": approver.get_full_name() or approver.email,
        "approved_at": moment(disposal.approved_at),
        "approved_on": long_date(disposal.approved_at),
        "grid": grid,
        "count": len(grid.rows),
    }
    return render_pdf(
        TEMPLATE,
        context,
        title=_("Attestation de disposition des renseignements personnels et confidentiels"),
        reference=reference,
        landscape=True,
    )


@transaction.atomic
def disposal_attestation_keep(*, disposal_id: int) -> int:
    """Render and keep the disposal's attestation; run again, it keeps the one kept already.
    The id of the attestation document."""
    disposal = (
        Disposal.objects.select_for_update().select_related("approved_by").get(pk=disposal_id)
    )
    if disposal.attestation_id is not None:
        return disposal.attestation_id
    broker = Organisation.objects.get(kind=OrganisationKind.BROKER)
    kept: Document = document_keep(
        by=disposal.approved_by,
        subject=broker,
        type=ATTESTATION_TYPE,
        title=str(_("Attestation de disposition nº %(n)s") % {"n": disposal.pk}),
        name=f"attestation-disposition-{disposal.pk}.pdf",
        content=_render(disposal, broker),
        content_type=PDF_CONTENT_TYPE,
        key=attestation_key(disposal),
    )
    disposal.attestation = kept
    disposal.save(update_fields=["attestation"])
    return kept.pk
