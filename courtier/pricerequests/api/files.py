"""Files, steps 1 and 2 and the shortlist (002 §3.1-3.3.1): the list, a new file, one file, the
needs, the qualifications and their scope, a provider left out or put back, the moves."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from courtier.accounts import permissions
from courtier.accounts.models import Organisation
from courtier.accounts.rules import Perm
from courtier.core.apierrors import ERRORS, path_id
from courtier.core.pagination import Pagination
from courtier.pricerequests import selectors
from courtier.pricerequests.api.answers import file_detail
from courtier.pricerequests.api.schemas import (
    ExcludeIn,
    FileTransitionIn,
    QualificationsIn,
    ServiceFileCreateIn,
    ServiceFileDetailOut,
    ServiceFileOut,
    ServiceNeedsIn,
)
from courtier.pricerequests.messages import CLIENT_REQUIRED, UNKNOWN_CLIENT
from courtier.pricerequests.models import ServiceFileState
from courtier.pricerequests.services import files as files_services
from courtier.pricerequests.services import transitions

router = Router()


@router.get(
    "/files",
    response={200: list[ServiceFileOut], **ERRORS},
    summary="Dossiers d'acquisition de services",
    description=(
        "Ceux de son organisme ; tous pour le Courtier. Les plus récemment modifiés d'abord."
    ),
)
@paginate(Pagination)
def file_list(request: HttpRequest, state: ServiceFileState | None = None):
    return [
        {
            "id": f.pk,
            "reference": f.reference,
            "title": f.title,
            "client": {"id": f.client_id, "name": f.client.name},
            "state": f.state,
            "state_label": f.get_state_display(),
            "step": f.step,
            "updated_at": f.updated_at,
        }
        for f in selectors.files_for(request.user, state=state)
    ]


@router.post(
    "/files",
    response={201: ServiceFileDetailOut, **ERRORS},
    summary="Ouvrir un dossier d'acquisition de services",
    description="Le dossier commence à l'étape 1, définir les besoins (002 §3.1).",
)
def file_create(request: HttpRequest, payload: ServiceFileCreateIn):
    runs = permissions.grants(request.user).organisations_with(Perm.RUN_ACQUISITIONS)
    if payload.client is None:
        if not runs:
            raise PermissionDenied
        if len(runs) > 1:
            raise ValidationError({"client": CLIENT_REQUIRED})
        client_id = next(iter(runs))
    else:
        client_id = payload.client
    client = Organisation.objects.filter(pk=client_id).first()
    if client is None:
        raise ValidationError({"client": UNKNOWN_CLIENT})
    file = files_services.service_file_create(by=request.user, client=client, title=payload.title)
    return Status(201, file_detail(file))


@router.get(
    "/files/{file_id}",
    response={200: ServiceFileDetailOut, **ERRORS},
    summary="Un dossier d'acquisition de services",
    description=(
        "Besoins, qualifications et leur portée, liste restreinte, état de la demande de prix et "
        "ce qui bloque l'étape suivante."
    ),
)
def file_get(request: HttpRequest, file_id: int = path_id()):
    return file_detail(selectors.file_for(request.user, file_id))


@router.patch(
    "/files/{file_id}/needs",
    response={200: ServiceFileDetailOut, **ERRORS},
    summary="Définir les besoins (étape 1)",
    description=(
        "Durée, échéancier, mode de rémunération, contexte actuel et cible, activités et "
        "livrables, partage des responsabilités, modalités de paiement et pénalités (002 §3.1)."
    ),
)
def needs_update(request: HttpRequest, payload: ServiceNeedsIn, file_id: int = path_id()):
    file = selectors.file_for(request.user, file_id)
    values = payload.model_dump(exclude_unset=True)
    if "remuneration" in values:
        values["remuneration"] = values["remuneration"] or ""
    for name in (
        "title",
        "schedule",
        "current_context",
        "target_context",
        "activities",
        "deliverables",
        "responsibilities",
        "payment_terms",
        "penalties",
    ):
        if name in values and values[name] is None:
            values[name] = ""
    file = files_services.service_needs_update(by=request.user, file=file, **values)
    return file_detail(file)


@router.put(
    "/files/{file_id}/qualifications",
    response={200: ServiceFileDetailOut, **ERRORS},
    summary="Choisir les qualifications et confirmer leur portée (étape 2)",
    description=(
        "Une ou plusieurs qualifications du Courtier ; le client confirme que son besoin fait "
        "partie de leur portée (« Descriptif des services par qualification »)."
    ),
)
def qualifications_set(request: HttpRequest, payload: QualificationsIn, file_id: int = path_id()):
    file = selectors.file_for(request.user, file_id)
    file = files_services.service_qualifications_set(
        by=request.user, file=file, codes=payload.codes, scope_confirmed=payload.scope_confirmed
    )
    return file_detail(file)


@router.post(
    "/files/{file_id}/shortlist/{provider_id}/exclude",
    response={200: ServiceFileDetailOut, **ERRORS},
    summary="Écarter un prestataire de la liste restreinte",
    description="Avec une raison écrite et objective, gardée au dossier (002 §3.3.1).",
)
def shortlist_exclude(
    request: HttpRequest, payload: ExcludeIn, file_id: int = path_id(), provider_id: int = path_id()
):
    file = selectors.file_for(request.user, file_id)
    files_services.shortlist_exclude(
        by=request.user, file=file, provider_id=provider_id, reason=payload.reason
    )
    return file_detail(file)


@router.post(
    "/files/{file_id}/shortlist/{provider_id}/include",
    response={200: ServiceFileDetailOut, **ERRORS},
    summary="Remettre un prestataire dans la liste restreinte",
)
def shortlist_include(request: HttpRequest, file_id: int = path_id(), provider_id: int = path_id()):
    file = selectors.file_for(request.user, file_id)
    files_services.shortlist_include(by=request.user, file=file, provider_id=provider_id)
    return file_detail(file)


@router.post(
    "/files/{file_id}/transitions",
    response={200: ServiceFileDetailOut, **ERRORS},
    summary="Passer à l'étape suivante, revenir ou abandonner",
    description=(
        "submit_needs (1 → 2), confirm_scope (2 → 3 : liste restreinte et demande de prix), "
        "open_responses (3 → 4, après la date limite), hand_off (4 → 5 : dossier remis au "
        "Courtier), go_back, abandon."
    ),
)
def file_transition(request: HttpRequest, payload: FileTransitionIn, file_id: int = path_id()):
    file = selectors.file_for(request.user, file_id)
    file = transitions.service_file_transition(by=request.user, file=file, action=payload.action)
    return file_detail(selectors.file_for(request.user, file.pk))
