"""Feedback and complaints (issue 14 §1; DOMAIN §5.6, §5.10; 002 §4.6): the list, one, one sent
by a client's people, and the broker's moves (assign, answer, close)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from courtier.accounts.models import Organisation
from courtier.acquisitions.api.common import _fields
from courtier.complaints import messages, policies, selectors
from courtier.complaints.api.schemas import (
    ComplaintAnswerIn,
    ComplaintAssignIn,
    ComplaintCreateIn,
    ComplaintDetailOut,
    ComplaintOut,
)
from courtier.complaints.models import Complaint, ComplaintCategory, ComplaintState
from courtier.complaints.services import complaints as services
from courtier.core.apierrors import ERRORS, path_id
from courtier.core.pagination import Pagination

router = Router(tags=["complaints"])
LINKS = {"contract": "contract_id", "offer": "offer_id", "supplier": "supplier_id"}


def complaint_of(user: Any, complaint_id: int) -> Complaint:
    found = selectors.complaints_for(user).filter(pk=complaint_id).first()
    if found is None:
        raise Http404
    return found


def detail(user: Any, complaint_id: int) -> dict[str, Any]:
    complaint = complaint_of(user, complaint_id)
    flags = (
        selectors.dispute_flags([complaint]).get(complaint.pk, [])
        if policies.is_broker_staff(user)
        else []
    )
    return {
        **{
            f: getattr(complaint, f)
            for f in ComplaintDetailOut.model_fields
            if hasattr(complaint, f)
        },
        "category_label": complaint.get_category_display(),
        "state_label": complaint.get_state_display(),
        "answers": list(complaint.answers.all()),
        "dispute_flags": flags,
    }


@router.get(
    "",
    response={200: list[ComplaintOut], **ERRORS},
    summary="Rétroactions et plaintes",
    description=(
        "Celles de son organisme client ; toutes pour le Courtier. Jamais pour un fournisseur "
        "ou un prestataire, même celles qui le visent. Les plus récentes d'abord."
    ),
)
@paginate(Pagination)
def complaint_list(
    request: HttpRequest,
    state: ComplaintState | None = None,
    category: ComplaintCategory | None = None,
):
    rows = selectors.complaints_for(request.user)
    if state is not None:
        rows = rows.filter(state=state)
    if category is not None:
        rows = rows.filter(category=category)
    return rows


@router.post(
    "",
    response={201: ComplaintDetailOut, **ERRORS},
    summary="Écrire au Courtier (client)",
    description=(
        "Une rétroaction ou une plainte (002 §4.6), rattachée selon sa catégorie à un contrat de "
        "son organisme (contract_id), à une offre du Catalogue (offer_id) ou à un fournisseur ou "
        "prestataire (supplier_id) ; un lien refusé est nommé (422)."
    ),
)
def complaint_create(request: HttpRequest, payload: ComplaintCreateIn):
    bodies = policies.submitting_for(request.user)
    if not bodies:
        raise PermissionDenied
    client_id = payload.client_id if payload.client_id is not None else min(bodies)
    if client_id not in bodies:
        raise ValidationError({"client_id": messages.CLIENT_UNKNOWN})
    with _fields(**LINKS):
        complaint = services.complaint_submit(
            by=request.user,
            client=Organisation.objects.get(pk=client_id),
            category=payload.category,
            subject=payload.subject,
            description=payload.description,
            contract_id=payload.contract_id,
            offer_id=payload.offer_id,
            supplier_id=payload.supplier_id,
        )
    return Status(201, detail(request.user, complaint.pk))


@router.get(
    "/{complaint_id}",
    response={200: ComplaintDetailOut, **ERRORS},
    summary="Une rétroaction ou plainte",
    description=(
        "Son état, ses liens, les réponses du Courtier ; pour le Courtier, ses signalements."
    ),
)
def complaint_get(request: HttpRequest, complaint_id: int = path_id()):
    return detail(request.user, complaint_id)


@router.post(
    "/{complaint_id}/assign",
    response={200: ComplaintDetailOut, **ERRORS},
    summary="Assigner (Courtier)",
    description="À un administrateur ou un agent du Courtier, qui y répondra.",
)
def complaint_assign(
    request: HttpRequest, payload: ComplaintAssignIn, complaint_id: int = path_id()
):
    complaint = complaint_of(request.user, complaint_id)
    assignee = services.broker_people().filter(pk=payload.assignee_id).first()
    with _fields(assignee="assignee_id"):
        services.complaint_assign(by=request.user, complaint=complaint, assignee=assignee)
    return detail(request.user, complaint_id)


@router.post(
    "/{complaint_id}/answer",
    response={200: ComplaintDetailOut, **ERRORS},
    summary="Répondre au client (Courtier)",
    description="Chaque réponse est conservée ; le client en est avisé.",
)
def complaint_answer(
    request: HttpRequest, payload: ComplaintAnswerIn, complaint_id: int = path_id()
):
    complaint = complaint_of(request.user, complaint_id)
    services.complaint_answer(by=request.user, complaint=complaint, text=payload.text)
    return detail(request.user, complaint_id)


@router.post(
    "/{complaint_id}/close",
    response={200: ComplaintDetailOut, **ERRORS},
    summary="Fermer (Courtier)",
    description="Une plainte répondue ; pour un litige, le jour où il est réglé (DOMAIN §5.10).",
)
def complaint_close(request: HttpRequest, complaint_id: int = path_id()):
    complaint = complaint_of(request.user, complaint_id)
    services.complaint_close(by=request.user, complaint=complaint)
    return detail(request.user, complaint_id)
