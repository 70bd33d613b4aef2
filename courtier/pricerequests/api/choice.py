"""Step 4 and the hand-off (002 §3.4-3.5): the responses opened together after the deadline
(sealed before: 422 with the rule), each one's completeness, the choice and the criteria it rests
on, the head's and the financial authorisations, the non-participation questionnaires, and the
frozen package handed to the broker."""

from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from courtier.core.apierrors import ERRORS, path_id
from courtier.files.uploads import MAX_UPLOAD_MB, Upload
from courtier.pricerequests import selectors
from courtier.pricerequests.api.answers import (
    choice_out,
    file_detail,
    non_participation_out,
    ref,
    request_document_id,
    response_for,
    response_out,
    sealed_unless_opened,
    shows_providers,
)
from courtier.pricerequests.api.schemas import (
    AuthorisationOut,
    ChoiceOptionsIn,
    ChoiceOut,
    CompletenessIn,
    HandoffOut,
    NonParticipationOut,
    ResponseOut,
    ServiceChoiceIn,
    ServiceFileDetailOut,
    ServiceFinancialIn,
    ServiceHeadAuthorisationIn,
)
from courtier.pricerequests.models import HandoffPackage, PriceRequest
from courtier.pricerequests.services import choice as choice_services
from courtier.pricerequests.services import responses as responses_services

router = Router()


@router.get(
    "/files/{file_id}/responses",
    response={200: list[ResponseOut], **ERRORS},
    summary="Les réponses reçues, une fois ouvertes",
    description=(
        "Scellées jusqu'à la date limite et leur ouverture (002 §3.3.3) : avant, 422. Le prix "
        "le plus bas d'abord."
    ),
)
def response_list(request: HttpRequest, file_id: int = path_id()):
    file = selectors.file_for(request.user, file_id)
    sealed_unless_opened(file)
    show = shows_providers(request)
    return [
        response_out(r, show_provider=show)
        for r in selectors.responses_for(request.user, file.request).filter(state="submitted")
    ]


@router.get(
    "/responses/{response_id}",
    response={200: ResponseOut, **ERRORS},
    summary="Une réponse",
    description="Scellée pour le client jusqu'à l'ouverture (422) ; un prestataire lit la sienne.",
)
def response_get(request: HttpRequest, response_id: int = path_id()):
    return response_out(response_for(request, response_id), show_provider=shows_providers(request))


@router.post(
    "/responses/{response_id}/completeness",
    response={200: ResponseOut, **ERRORS},
    summary="Consigner la complétude d'une réponse",
    description="Le prestataire a-t-il compris le besoin et répondu à chaque élément (002 §3.4) ?",
)
def completeness(request: HttpRequest, payload: CompletenessIn, response_id: int = path_id()):
    response = response_for(request, response_id)
    response = responses_services.response_completeness_record(
        by=request.user, response=response, complete=payload.complete, note=payload.note
    )
    return response_out(response, show_provider=True)


@router.post(
    "/files/{file_id}/choice",
    response={200: ChoiceOut, **ERRORS},
    summary="Retenir une réponse",
    description=(
        "Une réponse complète. Le prix le plus bas ne demande rien de plus ; un autre choix "
        "repose sur des critères déclarés dans la demande et une justification, et, pour un "
        "organisme assujetti au RCTI, sur l'autorisation préalable du dirigeant (art. 48)."
    ),
)
def choice_record(request: HttpRequest, payload: ServiceChoiceIn, file_id: int = path_id()):
    file = selectors.file_for(request.user, file_id)
    response = response_for(request, payload.response_id)
    choice_services.choice_record(
        by=request.user,
        file=file,
        response=response,
        criteria=payload.criteria,
        justification=payload.justification,
    )
    return choice_out(selectors.file_for(request.user, file_id))


@router.patch(
    "/files/{file_id}/choice-options",
    response={200: ServiceFileDetailOut, **ERRORS},
    summary="Règle interne ou conseil du Courtier pour un seul prestataire",
)
def choice_options(request: HttpRequest, payload: ChoiceOptionsIn, file_id: int = path_id()):
    file = selectors.file_for(request.user, file_id)
    file = choice_services.choice_options_set(
        by=request.user, file=file, **payload.model_dump(exclude_unset=True)
    )
    return file_detail(file)


@router.post(
    "/files/{file_id}/head-authorisation",
    response={201: AuthorisationOut, **ERRORS},
    summary="Consigner l'autorisation du dirigeant d'organisme (RCTI, art. 48)",
    description=(
        f"Formulaire multipart : critères déclarés, justification, dirigeant, date et le "
        f"document signé (document, {MAX_UPLOAD_MB} Mo au plus), gardé 7 ans après la fin du "
        "contrat."
    ),
)
def head_authorisation(
    request: HttpRequest,
    payload: Form[ServiceHeadAuthorisationIn],
    document: File[UploadedFile],
    file_id: int = path_id(),
):
    file = selectors.file_for(request.user, file_id)
    upload = Upload.from_api(document, "document")
    head = choice_services.service_head_authorisation_record(
        by=request.user,
        file=file,
        criteria=payload.criteria,
        justification=payload.justification,
        head_name=payload.head_name,
        authorised_on=payload.authorised_on,
        document_name=upload.name,
        document=upload.content,
        content_type=upload.content_type,
    )
    return Status(
        201, {"kind": "head", "authorised_on": head.authorised_on, "name": head.head_name}
    )


@router.post(
    "/files/{file_id}/financial-authorisation",
    response={201: AuthorisationOut, **ERRORS},
    summary="Consigner l'autorisation financière du montant total",
)
def financial_authorisation(
    request: HttpRequest, payload: ServiceFinancialIn, file_id: int = path_id()
):
    file = selectors.file_for(request.user, file_id)
    financial = choice_services.service_financial_authorisation_record(
        by=request.user, file=file, **payload.model_dump()
    )
    return Status(
        201,
        {
            "kind": "financial",
            "authorised_on": financial.authorised_on,
            "name": financial.authorised_by_name,
            "amount_cents": financial.amount_cents,
        },
    )


@router.get(
    "/files/{file_id}/non-participation",
    response={200: list[NonParticipationOut], **ERRORS},
    summary="Les questionnaires de non-participation",
    description=(
        "Un par prestataire sollicité sans réponse : retourné, en attente ou jamais retourné."
    ),
)
def non_participation_list(request: HttpRequest, file_id: int = path_id()):
    file = selectors.file_for(request.user, file_id)
    price_request = PriceRequest.objects.filter(file=file).first()
    if price_request is None:
        return []
    return [
        non_participation_out(q, show_provider=True)
        for q in selectors.non_participations_for(request.user, price_request)
    ]


@router.get(
    "/files/{file_id}/handoff",
    response={200: HandoffOut, **ERRORS},
    summary="Le dossier remis à la préparation du contrat",
    description=(
        "Figé : la demande de prix finale (son PDF au magasin), le prestataire retenu et sa "
        "réponse, les sollicités et les raisons de ceux écartés, les questionnaires de "
        "non-participation et les autorisations (002 §3.5)."
    ),
)
def handoff_get(request: HttpRequest, file_id: int = path_id()):
    file = selectors.file_for(request.user, file_id)
    handoff = HandoffPackage.objects.select_related("provider").filter(file=file).first()
    if handoff is None:
        raise Http404
    return {
        "file_id": file.pk,
        "provider": ref(handoff.provider),
        "total_cents": handoff.total_cents,
        "handed_off_at": handoff.handed_off_at,
        "request_document_id": request_document_id(file.request),
        "content": handoff.content,
    }
