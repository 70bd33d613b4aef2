"""The request's PDF (a Django template rendered by WeasyPrint as PDF/A, kept in the store once
per revision) and the emails to solicited providers (002 §3.3.3, §3.5): one message per provider,
to its own contacts only, so that no provider learns who else was asked; the request and the
broker's contract template attached when sent or changed. Run by ``tasks`` after the commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from courtier.accounts.models import User
from courtier.catalogue.models import SupportingDocument, SupportingDocumentKind
from courtier.core.mail import render_message
from courtier.core.pdf import render_pdf
from courtier.documents.models import Document
from courtier.documents.services.store import document_keep
from courtier.pricerequests.models import (
    NonParticipation,
    NonParticipationState,
    PriceRequest,
    Remuneration,
    Solicitation,
)
from courtier.pricerequests.services.common import provider_emails
from courtier.pricerequests.services.package import request_document_key

FRENCH = "fr-ca"


def request_pdf(request: PriceRequest) -> bytes:
    file = request.file
    with translation.override(FRENCH):
        sections = [
            {"title": s["title"], "text": request.sections.get(s["code"], "")}
            for s in request.template.sections
        ]
        return render_pdf(
            "pricerequests/documents/price_request.html",
            {
                "request": request,
                "file": file,
                "sections": sections,
                "qualifications": list(file.qualifications.order_by("name")),
                "remuneration": Remuneration(file.remuneration).label if file.remuneration else "",
            },
            title=_("Demande de prix — {title}").format(title=file.title),
            reference=f"{file.reference} — r{request.revision}",
        )


def request_document(request: PriceRequest, by: Any = None) -> Document:
    """The request's PDF at its current revision, kept in the store once (type price_request,
    the file's choice support, DOMAIN §7)."""
    key = request_document_key(request.pk, request.revision)
    kept = Document.objects.filter(key=key).first()
    if kept is not None:
        return kept
    content = request_pdf(request)  # rendered before the transaction: nothing locked meanwhile
    with transaction.atomic():
        PriceRequest.objects.select_for_update().filter(pk=request.pk).first()
        return document_keep(
            by=by,
            subject=request.file,
            type="price_request",
            title=_("Demande de prix — révision {revision}").format(revision=request.revision),
            name=f"{request.file.reference}-demande-de-prix-r{request.revision}.pdf",
            content=content,
            content_type="application/pdf",
            confidential=False,
            key=key,
        )


def _contract_template() -> tuple[str, bytes, str] | None:
    """The broker's current contract template (002 §3.3.3: sent with the request), if
    published."""
    document = SupportingDocument.objects.filter(
        kind=SupportingDocumentKind.CONTRACT_TEMPLATE
    ).first()
    version = document.versions.order_by("-number").first() if document else None
    if version is None:
        return None
    stored = version.file
    return stored.name, stored.read_bytes(), stored.content_type


def _send(to: list[str], template: str, context: dict[str, Any], attachments: list[Any]) -> int:
    subject, text = render_message(template, context, FRENCH)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message.send()


def solicitation_emails_send(*, request_id: int, kind: str, by_id: int | None) -> int:
    """Email every solicited provider, each alone (``kind``: sent, changed, cancelled); the
    number of messages sent."""
    request = (
        PriceRequest.objects.select_related("file__client", "template")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return 0
    attachments: list[Any] = []
    if kind in ("sent", "changed"):
        by = User.objects.filter(pk=by_id).first() if by_id else None
        document = request_document(request, by)
        attachments.append((document.current.name, document.stored.read_bytes(), "application/pdf"))
        template = _contract_template() if kind == "sent" else None
        if template is not None:
            attachments.append(template)
    sent = 0
    for solicitation in request.solicitations.select_related("provider"):
        to = provider_emails(solicitation.provider_id, solicitation.contacts)
        if to:
            sent += _send(
                to,
                f"pricerequests/email/request_{kind}",
                {"request": request, "file": request.file, "solicitation": solicitation},
                attachments,
            )
    return sent


def non_participation_emails_send(*, request_id: int, reminder: bool = False) -> int:
    """Ask (or remind) each provider that did not respond for its questionnaire (002 §3.5)."""
    pending = NonParticipation.objects.filter(
        solicitation__request_id=request_id, state=NonParticipationState.PENDING
    ).select_related("solicitation__provider", "solicitation__request__file")
    return sum(non_participation_email(q.solicitation, reminder=reminder) for q in pending)


def non_participation_email(solicitation: Solicitation, *, reminder: bool) -> int:
    """The questionnaire asked for (or chased) by email, to the provider's own contacts."""
    to = provider_emails(solicitation.provider_id, solicitation.contacts)
    if not to:
        return 0
    return _send(
        to,
        "pricerequests/email/non_participation",
        {
            "request": solicitation.request,
            "file": solicitation.request.file,
            "solicitation": solicitation,
            "reminder": reminder,
        },
        [],
    )
