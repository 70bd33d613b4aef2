"""The package handed to contract preparation (002 §3.5), as frozen data: the final request (and
the key of its PDF in the store), the chosen provider and its response, every solicited provider
and every one left out with its reason, the non-participation questionnaires, the
authorisations. The contracts issue reads it, as it reads the solutions track's strategy."""

from __future__ import annotations

from typing import Any

from courtier.pricerequests.models import (
    NonParticipation,
    ServiceFile,
    ServiceFinancialAuthorisation,
    ServiceHeadAuthorisation,
    ServiceResponse,
)


def request_document_key(request_id: int, revision: int) -> str:
    """The store key of a request's PDF at a revision: one document per revision."""
    return f"price_request:{request_id}:r{revision}"


def _response(response: ServiceResponse) -> dict[str, Any]:
    return {
        "id": response.pk,
        "pseudonym": response.solicitation.pseudonym,
        "provider": response.solicitation.provider_id,
        "provider_name": response.solicitation.provider.name,
        "lines": response.lines,
        "lump_sum_cents": response.lump_sum_cents,
        "total_cents": response.total_cents,
        "criteria_answers": response.criteria_answers,
        "submitted_at": response.submitted_at.isoformat() if response.submitted_at else None,
        "complete": response.complete,
        "completeness_note": response.completeness_note,
        "documents": [
            {"id": d.pk, "title": d.title, "sha256": d.sha256}
            for d in response.documents.order_by("pk")
        ],
    }


def package_content(file: ServiceFile) -> dict[str, Any]:
    request = file.request
    choice = file.choice
    head = ServiceHeadAuthorisation.objects.filter(file=file).first()
    financial = ServiceFinancialAuthorisation.objects.filter(file=file).first()
    questionnaires = NonParticipation.objects.filter(solicitation__request=request).select_related(
        "solicitation__provider"
    )
    return {
        "file": {
            "reference": file.reference,
            "title": file.title,
            "client": file.client_id,
            "duration_months": file.duration_months,
            "remuneration": file.remuneration,
            "qualifications": sorted(file.qualifications.values_list("code", flat=True)),
        },
        "request": {
            "id": request.pk,
            "template_version": request.template.version,
            "revision": request.revision,
            "sections": request.sections,
            "criteria": request.criteria,
            "documents_asked": request.documents_asked,
            "summary": request.summary,
            "estimated_cents": request.estimated_cents,
            "sent_at": request.sent_at.isoformat(),
            "deadline_at": request.deadline_at.isoformat(),
            "document_key": request_document_key(request.pk, request.revision),
        },
        "chosen": {
            **_response(choice.response),
            "is_lowest": choice.is_lowest,
            "criteria_used": choice.criteria_used,
            "justification": choice.justification,
        },
        "solicited": [
            {"provider": s.provider_id, "name": s.provider.name, "pseudonym": s.pseudonym}
            for s in request.solicitations.select_related("provider").order_by("pseudonym")
        ],
        "left_out": [
            {"provider": e.provider_id, "name": e.provider.name, "reason": e.exclusion_reason}
            for e in file.shortlist.filter(included=False).select_related("provider")
        ],
        "non_participation": [
            {
                "provider": q.solicitation.provider_id,
                "name": q.solicitation.provider.name,
                "state": q.state,
                "reasons": q.reasons,
                "comment": q.comment,
                "reminders": q.reminders,
                "returned_at": q.returned_at.isoformat() if q.returned_at else None,
            }
            for q in questionnaires.order_by("solicitation__pseudonym")
        ],
        "head_authorisation": (
            {
                "head_name": head.head_name,
                "authorised_on": head.authorised_on.isoformat(),
                "criteria": head.criteria,
                "justification": head.justification,
                "document": head.document_id,
            }
            if head
            else None
        ),
        "financial_authorisation": (
            {
                "amount_cents": financial.amount_cents,
                "authorised_on": financial.authorised_on.isoformat(),
                "authorised_by_name": financial.authorised_by_name,
                "reference": financial.reference,
            }
            if financial
            else None
        ),
        "own_rule": file.own_rule,
    }
