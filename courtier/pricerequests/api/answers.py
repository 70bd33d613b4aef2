"""The answers of the service acquisitions API, built from the models for the person asking: a
provider is shown its own solicitation and response and the published answers with their askers'
pseudonyms; the client side sees responses only once opened."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.documents.models import Document
from courtier.pricerequests import checks, selectors
from courtier.pricerequests.messages import SEALED
from courtier.pricerequests.models import (
    NonParticipation,
    PriceRequest,
    ProviderQuestion,
    RequestState,
    ServiceFile,
    ServiceResponse,
    Solicitation,
)
from courtier.pricerequests.services.package import request_document_key
from courtier.pricerequests.workflow import forward_problems


def ref(org: Any) -> dict[str, Any]:
    return {"id": org.pk, "name": org.name}


def file_out(file: ServiceFile) -> dict[str, Any]:
    return {
        "id": file.pk,
        "reference": file.reference,
        "title": file.title,
        "client": ref(file.client),
        "state": file.state,
        "state_label": file.get_state_display(),
        "step": file.step,
        "updated_at": file.updated_at,
    }


def qualifications_out(file: ServiceFile) -> list[dict[str, str]]:
    return [
        {"code": q.code, "name": q.name, "scope_description": q.scope_description}
        for q in file.qualifications.order_by("name")
    ]


def file_detail(file: ServiceFile) -> dict[str, Any]:
    request = PriceRequest.objects.filter(file=file).first()
    return {
        **file_out(file),
        "needs": {**file.needs_values(), "remuneration": file.remuneration or None},
        "qualifications": qualifications_out(file),
        "scope_confirmed_at": file.scope_confirmed_at,
        "shortlist": [
            {
                "provider": ref(e.provider),
                "contacts": e.contacts,
                "included": e.included,
                "exclusion_reason": e.exclusion_reason,
            }
            for e in file.shortlist.select_related("provider")
        ],
        "request_state": request.state if request else None,
        "single_provider": bool(request and request.solicitations.count() == 1),
        "own_rule": file.own_rule,
        "follows_single_provider_advice": file.follows_single_provider_advice,
        "problems": forward_problems(file),
    }


def sections_out(request: PriceRequest, sections: dict[str, str] | None = None) -> list[dict]:
    texts = request.sections if sections is None else sections
    return [
        {
            "code": s["code"],
            "title": s["title"],
            "instructions": s.get("instructions", ""),
            "text": texts.get(s["code"], ""),
        }
        for s in request.template.sections
    ]


def request_out(request: PriceRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "state": request.state,
        "state_label": request.get_state_display(),
        "template_version": request.template.version,
        "revision": request.revision,
        "sections": sections_out(request),
        "criteria": request.criteria,
        "documents_asked": request.documents_asked,
        "summary": request.summary,
        "estimated_cents": request.estimated_cents,
        "pending_sections": request.pending_sections,
        "return_comment": request.return_comment,
        "sent_at": request.sent_at,
        "deadline_at": request.deadline_at,
        "question_cutoff_at": request.question_cutoff_at,
        "business_days_left": selectors.business_days_left(request.deadline_at),
        "opened_at": request.opened_at,
        "cancelled_at": request.cancelled_at,
        "cancel_reason": request.cancel_reason,
        "responses_received": selectors.submitted_count(request) if request.sent_at else None,
    }


def question_out(question: ProviderQuestion, mine: bool) -> dict[str, Any]:
    return {
        "id": question.pk,
        "asked_by": question.solicitation.pseudonym_label,
        "mine": mine,
        "text": question.text,
        "asked_at": question.asked_at,
        "answer": question.answer if question.published_at else "",
        "published_at": question.published_at,
    }


def response_out(response: ServiceResponse, *, show_provider: bool) -> dict[str, Any]:
    solicitation = response.solicitation
    return {
        "id": response.pk,
        "provider": ref(solicitation.provider) if show_provider else None,
        "pseudonym": solicitation.pseudonym,
        "state": response.state,
        "lines": response.lines,
        "lump_sum_cents": response.lump_sum_cents,
        "total_cents": response.total_cents,
        "criteria_answers": response.criteria_answers,
        "submitted_at": response.submitted_at,
        "complete": response.complete,
        "completeness_note": response.completeness_note,
        "documents": [
            {"id": d.pk, "title": d.title, "sha256": d.sha256}
            for d in response.documents.prefetch_related("versions").order_by("pk")
        ],
    }


def non_participation_out(q: NonParticipation, *, show_provider: bool) -> dict[str, Any]:
    return {
        "id": q.pk,
        "provider": ref(q.solicitation.provider) if show_provider else None,
        "state": q.state,
        "reasons": q.reasons,
        "comment": q.comment,
        "reminders": q.reminders,
        "returned_at": q.returned_at,
    }


def solicitation_out(s: Solicitation) -> dict[str, Any]:
    request = s.request
    return {
        "id": s.pk,
        "reference": request.file.reference,
        "title": request.file.title,
        "client": ref(request.file.client),
        "request_state": request.state,
        "request_state_label": request.get_state_display(),
        "remuneration": request.file.remuneration or None,
        "sent_at": s.sent_at,
        "deadline_at": request.deadline_at,
        "question_cutoff_at": request.question_cutoff_at,
        "business_days_left": selectors.business_days_left(request.deadline_at),
        "responded": s.responded,
    }


def solicitation_detail(http: HttpRequest, s: Solicitation) -> dict[str, Any]:
    request = s.request
    response = ServiceResponse.objects.filter(solicitation=s).first()
    questionnaire = NonParticipation.objects.filter(solicitation=s).first()
    return {
        **solicitation_out(s),
        "pseudonym": s.pseudonym,
        "revision": request.revision,
        "sections": sections_out(request),
        "criteria": request.criteria,
        "documents_asked": request.documents_asked,
        "qualifications": qualifications_out(request.file),
        "questions": [
            question_out(q, q.solicitation_id == s.pk)
            for q in selectors.questions_for(http.user, request)
            if q.published_at is not None or q.solicitation_id == s.pk
        ],
        "response": response_out(response, show_provider=True) if response else None,
        "non_participation": (
            non_participation_out(questionnaire, show_provider=True) if questionnaire else None
        ),
        "cancel_reason": request.cancel_reason if request.state == RequestState.CANCELLED else "",
    }


def request_document_id(request: PriceRequest) -> int | None:
    return (
        Document.objects.filter(key=request_document_key(request.pk, request.revision))
        .values_list("pk", flat=True)
        .first()
    )


def sealed_unless_opened(file: ServiceFile) -> None:
    """The client side asks for responses before the opening: refused, with the rule."""
    request = PriceRequest.objects.filter(file=file).first()
    if request is None or request.opened_at is None or not selectors.deadline_passed(request):
        raise ValidationError({"responses": SEALED})


def response_for(http: HttpRequest, pk: int) -> ServiceResponse:
    """A response the person may read; one of a file the person sees but still sealed answers
    422 with the rule (002 §3.3.3), any other 404."""
    try:
        return selectors.response_for(http.user, pk)
    except Http404:
        response = (
            ServiceResponse.objects.filter(pk=pk)
            .select_related("solicitation__request__file")
            .first()
        )
        if response is not None and permissions.can_view(
            http.user, response.solicitation.request.file
        ):
            raise ValidationError({"responses": SEALED}) from None
        raise


def shows_providers(http: HttpRequest) -> bool:
    """The client side and the broker see who responded (after the opening); providers never
    see another provider."""
    g = permissions.grants(http.user)
    return g.anywhere(Perm.SEE_ALL_ORGANISATIONS) or bool(
        g.organisations_with(Perm.BROWSE_CATALOGUE)
    )


def choice_out(file: ServiceFile) -> dict[str, Any]:
    choice = file.choice
    response = choice.response
    return {
        "response_id": response.pk,
        "provider": ref(response.solicitation.provider),
        "total_cents": response.total_cents,
        "is_lowest": choice.is_lowest,
        "criteria_used": choice.criteria_used,
        "justification": choice.justification,
        "head_authorisation_required": checks.head_authorisation_needed(file),
    }
