"""The price request (002 §3.3.2-3.3.3): reading and writing it, its moves (submit, the broker's
validation or return, sending with the deadline, a change after sending and its validation,
cancelling), the refused extension, the broker's template and its validation queue."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Status

from courtier.core.apierrors import ERRORS, path_id
from courtier.pricerequests import policies, selectors
from courtier.pricerequests.api.answers import qualifications_out, ref, request_out
from courtier.pricerequests.api.schemas import (
    CancelIn,
    ChangeIn,
    CommentIn,
    ExtendIn,
    PriceRequestIn,
    PriceRequestOut,
    QueueOut,
    SendIn,
    TemplateIn,
    TemplateOut,
)
from courtier.pricerequests.models import PriceRequest, ServiceFile
from courtier.pricerequests.services import requests as requests_services
from courtier.pricerequests.services import transitions

router = Router()


def _request_of(http: HttpRequest, file_id: int) -> PriceRequest:
    file: ServiceFile = selectors.file_for(http.user, file_id)
    request = (
        PriceRequest.objects.select_related("file__client", "template").filter(file=file).first()
    )
    if request is None:
        raise Http404
    return request


def _out(http: HttpRequest, request: PriceRequest) -> dict:
    return request_out(selectors.request_for(http.user, request.pk))


@router.get(
    "/files/{file_id}/request",
    response={200: PriceRequestOut, **ERRORS},
    summary="La demande de prix du dossier",
    description=(
        "Sections du gabarit (avec sa version), critères autres que le prix, documents "
        "demandés, résumé et montant estimé, état de la validation, date limite (avec les jours "
        "ouvrables restants) et nombre de réponses reçues, scellées."
    ),
)
def request_get(request: HttpRequest, file_id: int = path_id()):
    return request_out(_request_of(request, file_id))


@router.patch(
    "/files/{file_id}/request",
    response={200: PriceRequestOut, **ERRORS},
    summary="Rédiger la demande de prix",
    description=(
        "En rédaction ou retournée seulement. Les critères autres que le prix (indicateurs "
        "environnementaux en atout, ou autres liés à l'objet du contrat) sont déclarés ici, "
        "jamais après l'envoi ; aucune pondération ni évaluation de la qualité (002 §3.3.2)."
    ),
)
def request_update(request: HttpRequest, payload: PriceRequestIn, file_id: int = path_id()):
    price_request = _request_of(request, file_id)
    values = payload.model_dump(exclude_unset=True)
    price_request = requests_services.price_request_update(
        by=request.user,
        request=price_request,
        sections=values.get("sections"),
        criteria=values.get("criteria"),
        documents_asked=values.get("documents_asked"),
        summary=values.get("summary"),
        estimated_cents=values.get("estimated_cents"),
        clear_estimate="estimated_cents" in values and values["estimated_cents"] is None,
    )
    return _out(request, price_request)


def _moved(http: HttpRequest, file_id: int, move, **kwargs) -> dict:
    price_request = move(by=http.user, request=_request_of(http, file_id), **kwargs)
    return _out(http, price_request)


@router.post(
    "/files/{file_id}/request/submit",
    response={200: PriceRequestOut, **ERRORS},
    summary="Soumettre la demande de prix au Courtier",
    description="Chaque section complétée, avec le résumé du besoin et le montant estimé.",
)
def request_submit(request: HttpRequest, file_id: int = path_id()):
    return _moved(request, file_id, transitions.price_request_submit)


@router.post(
    "/files/{file_id}/request/approve",
    response={200: PriceRequestOut, **ERRORS},
    summary="Valider la demande de prix (Courtier)",
    description="Adéquation avec la portée des qualifications ; autorise l'envoi (002 §3.3.2).",
)
def request_approve(request: HttpRequest, file_id: int = path_id()):
    return _moved(request, file_id, transitions.price_request_approve)


@router.post(
    "/files/{file_id}/request/return",
    response={200: PriceRequestOut, **ERRORS},
    summary="Retourner la demande de prix au client (Courtier)",
    description="Avec un commentaire obligatoire.",
)
def request_return(request: HttpRequest, payload: CommentIn, file_id: int = path_id()):
    return _moved(request, file_id, transitions.price_request_return, comment=payload.comment)


@router.post(
    "/files/{file_id}/request/send",
    response={200: PriceRequestOut, **ERRORS},
    summary="Envoyer la demande de prix validée",
    description=(
        "Un courriel distinct à chaque prestataire retenu, avec la demande (PDF) et le gabarit "
        "de contrat. La date limite tombe 10 à 15 jours ouvrables après l'envoi, un jour "
        "ouvrable ; elle ne sera jamais prolongée (002 §3.3.3)."
    ),
)
def request_send(request: HttpRequest, payload: SendIn, file_id: int = path_id()):
    return _moved(
        request,
        file_id,
        transitions.price_request_send,
        deadline_on=payload.deadline_on,
        deadline_time=payload.deadline_time,
        question_cutoff_on=payload.question_cutoff_on,
    )


@router.post(
    "/files/{file_id}/request/revise",
    response={200: PriceRequestOut, **ERRORS},
    summary="Reprendre en rédaction une demande validée, avant l'envoi",
    description="La validation du Courtier ne tient plus : la demande lui est soumise de nouveau.",
)
def request_revise(request: HttpRequest, file_id: int = path_id()):
    return _moved(request, file_id, transitions.price_request_revise)


@router.post(
    "/files/{file_id}/request/extend",
    response={200: PriceRequestOut, **ERRORS},
    summary="Prolonger le délai de réponse : toujours refusé",
    description="Aucune prolongation n'est possible, peu importe la raison (002 §3.3.3) : 422.",
)
def request_extend(request: HttpRequest, payload: ExtendIn, file_id: int = path_id()):
    requests_services.price_request_extend(by=request.user, request=_request_of(request, file_id))


@router.post(
    "/files/{file_id}/request/changes",
    response={200: PriceRequestOut, **ERRORS},
    summary="Soumettre une modification de la demande envoyée",
    description=(
        "Après l'envoi (par exemple à la suite d'une question), les sections modifiées vont au "
        "Courtier : aucun prestataire ne les voit avant sa validation (002 §3.3.3)."
    ),
)
def change_submit(request: HttpRequest, payload: ChangeIn, file_id: int = path_id()):
    return _moved(
        request, file_id, transitions.price_request_change_submit, sections=payload.sections
    )


@router.post(
    "/files/{file_id}/request/changes/approve",
    response={200: PriceRequestOut, **ERRORS},
    summary="Valider la modification (Courtier)",
    description="La modification devient la révision suivante ; chaque prestataire est avisé.",
)
def change_approve(request: HttpRequest, file_id: int = path_id()):
    return _moved(request, file_id, transitions.price_request_change_approve)


@router.post(
    "/files/{file_id}/request/changes/return",
    response={200: PriceRequestOut, **ERRORS},
    summary="Refuser la modification (Courtier)",
)
def change_return(request: HttpRequest, payload: CommentIn, file_id: int = path_id()):
    return _moved(
        request, file_id, transitions.price_request_change_return, comment=payload.comment
    )


@router.post(
    "/files/{file_id}/request/cancel",
    response={200: PriceRequestOut, **ERRORS},
    summary="Annuler la demande de prix",
    description="Chaque prestataire sollicité est avisé, avec le motif.",
)
def request_cancel(request: HttpRequest, payload: CancelIn, file_id: int = path_id()):
    return _moved(request, file_id, transitions.price_request_cancel, reason=payload.reason)


@router.get(
    "/template",
    response={200: TemplateOut, 404: dict, **ERRORS},
    summary="Le gabarit de demande de prix du Courtier (dernière version)",
)
def template_get(request: HttpRequest):
    template = selectors.latest_template()
    if template is None:
        raise Http404
    return template


@router.post(
    "/templates",
    response={201: TemplateOut, **ERRORS},
    summary="Publier une nouvelle version du gabarit (Courtier)",
    description="Les demandes déjà rédigées gardent la version sur laquelle elles l'ont été.",
)
def template_publish(request: HttpRequest, payload: TemplateIn):
    template = requests_services.request_template_publish(
        by=request.user, sections=[s.model_dump() for s in payload.sections]
    )
    return Status(201, template)


@router.get(
    "/validation-queue",
    response={200: list[QueueOut], **ERRORS},
    summary="Demandes et modifications à valider (Courtier)",
    description="Les plus anciennes d'abord, avec le résumé du besoin et le montant estimé.",
)
def validation_queue(request: HttpRequest):
    if not policies.may_validate(request.user):
        raise PermissionDenied
    return [
        {
            "request_id": r.pk,
            "file_id": r.file_id,
            "reference": r.file.reference,
            "title": r.file.title,
            "client": ref(r.file.client),
            "state": r.state,
            "summary": r.summary,
            "estimated_cents": r.estimated_cents,
            "qualifications": qualifications_out(r.file),
        }
        for r in selectors.validation_queue(request.user)
    ]
