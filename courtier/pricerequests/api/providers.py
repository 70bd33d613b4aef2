"""A solicited provider's side (002 §3.3.3, §3.5): its inbox, what was sent to it, its written
questions, its response (a draft, the documents asked for, the submission before the deadline)
and its non-participation questionnaire. The client's answers to questions are here too."""

from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Status, UploadedFile
from ninja.pagination import paginate

from courtier.core.apierrors import ERRORS, path_id
from courtier.core.pagination import Pagination
from courtier.files.uploads import MAX_UPLOAD_MB, Upload
from courtier.pricerequests import selectors
from courtier.pricerequests.api.answers import (
    question_out,
    response_out,
    solicitation_detail,
    solicitation_out,
)
from courtier.pricerequests.api.schemas import (
    NonParticipationIn,
    ResponseIn,
    ResponseOut,
    ServiceAnswerIn,
    ServiceQuestionIn,
    ServiceQuestionOut,
    SolicitationDetailOut,
    SolicitationOut,
)
from courtier.pricerequests.models import NonParticipation, PriceRequest
from courtier.pricerequests.services import questions as questions_services
from courtier.pricerequests.services import responses as responses_services

router = Router()


@router.get(
    "/solicitations",
    response={200: list[SolicitationOut], **ERRORS},
    summary="Demandes de prix reçues",
    description=(
        "Pour un prestataire : les demandes qui lui ont été envoyées, avec leur date limite en "
        "date et en jours ouvrables restants. Le Courtier et le client y voient celles de leurs "
        "dossiers."
    ),
)
@paginate(Pagination)
def solicitation_list(request: HttpRequest):
    return [solicitation_out(s) for s in selectors.solicitations_for(request.user)]


@router.get(
    "/solicitations/{solicitation_id}",
    response={200: SolicitationDetailOut, **ERRORS},
    summary="Une demande de prix reçue",
    description=(
        "La demande telle qu'envoyée (dernière révision validée), les questions publiées (leur "
        "auteur par son pseudonyme seulement) et les siennes, sa réponse et son questionnaire."
    ),
)
def solicitation_get(request: HttpRequest, solicitation_id: int = path_id()):
    return solicitation_detail(request, selectors.solicitation_for(request.user, solicitation_id))


@router.post(
    "/solicitations/{solicitation_id}/questions",
    response={201: ServiceQuestionOut, **ERRORS},
    summary="Poser une question écrite",
    description="Jusqu'à la fin des questions ; la réponse est publiée à tous les sollicités.",
)
def question_ask(
    request: HttpRequest, payload: ServiceQuestionIn, solicitation_id: int = path_id()
):
    solicitation = selectors.solicitation_for(request.user, solicitation_id)
    question = questions_services.question_ask(
        by=request.user, solicitation=solicitation, text=payload.text
    )
    return Status(201, question_out(question, True))


@router.put(
    "/solicitations/{solicitation_id}/response",
    response={200: ResponseOut, **ERRORS},
    summary="Enregistrer sa réponse (brouillon)",
    description=(
        "Le prix dans le mode de la demande : taux horaires et heures estimées par activité, ou "
        "un prix forfaitaire ; le total est calculé en cents. Les réponses aux critères déclarés."
    ),
)
def response_save(request: HttpRequest, payload: ResponseIn, solicitation_id: int = path_id()):
    solicitation = selectors.solicitation_for(request.user, solicitation_id)
    response = responses_services.response_save(
        by=request.user,
        solicitation=solicitation,
        lines=[line.model_dump() for line in payload.lines],
        lump_sum_cents=payload.lump_sum_cents,
        criteria_answers=payload.criteria_answers,
    )
    return response_out(response, show_provider=True)


@router.post(
    "/solicitations/{solicitation_id}/response/documents",
    response={200: ResponseOut, **ERRORS},
    summary="Joindre un document demandé",
    description=(
        "Formulaire multipart : asked (le libellé du document demandé) et document "
        f"({MAX_UPLOAD_MB} Mo au plus, vérifié comme tout dépôt). Scellé avec la réponse "
        "jusqu'à son ouverture."
    ),
)
def response_document(
    request: HttpRequest,
    asked: Form[str],
    document: File[UploadedFile],
    solicitation_id: int = path_id(),
):
    solicitation = selectors.solicitation_for(request.user, solicitation_id)
    upload = Upload.from_api(document, "document")
    response = responses_services.response_document_add(
        by=request.user, solicitation=solicitation, asked=asked, **upload.as_kwargs()
    )
    return response_out(response, show_provider=True)


@router.post(
    "/solicitations/{solicitation_id}/response/submit",
    response={200: ResponseOut, **ERRORS},
    summary="Déposer sa réponse",
    description="Avant la date limite : une seconde après, elle est refusée (002 §3.3.3).",
)
def response_submit(request: HttpRequest, solicitation_id: int = path_id()):
    solicitation = selectors.solicitation_for(request.user, solicitation_id)
    response = responses_services.response_submit(by=request.user, solicitation=solicitation)
    return response_out(response, show_provider=True)


@router.post(
    "/solicitations/{solicitation_id}/non-participation",
    response={200: SolicitationDetailOut, **ERRORS},
    summary="Retourner le questionnaire de non-participation",
    description="Les raisons (une ou plusieurs de la liste) et un commentaire (002 §3.5).",
)
def non_participation_return(
    request: HttpRequest, payload: NonParticipationIn, solicitation_id: int = path_id()
):
    solicitation = selectors.solicitation_for(request.user, solicitation_id)
    questionnaire = NonParticipation.objects.filter(solicitation=solicitation).first()
    if questionnaire is None:
        raise Http404
    responses_services.non_participation_return(
        by=request.user,
        questionnaire=questionnaire,
        reasons=[str(r) for r in payload.reasons],
        comment=payload.comment,
    )
    return solicitation_detail(request, selectors.solicitation_for(request.user, solicitation_id))


@router.get(
    "/files/{file_id}/questions",
    response={200: list[ServiceQuestionOut], **ERRORS},
    summary="Les questions des prestataires sur la demande du dossier",
)
def question_list(request: HttpRequest, file_id: int = path_id()):
    file = selectors.file_for(request.user, file_id)
    price_request = PriceRequest.objects.filter(file=file).first()
    if price_request is None:
        return []
    return [
        question_out(q, False) | {"answer": q.answer}
        for q in selectors.questions_for(request.user, price_request)
    ]


@router.post(
    "/questions/{question_id}/answer",
    response={200: ServiceQuestionOut, **ERRORS},
    summary="Répondre à une question et publier la réponse",
    description=(
        "La réponse est publiée à tous les prestataires sollicités à la fois, la question sous le "
        "pseudonyme de son auteur. Si elle appelle une modification de la demande, soumettez-la "
        "au Courtier."
    ),
)
def question_answer(request: HttpRequest, payload: ServiceAnswerIn, question_id: int = path_id()):
    question = selectors.question_for(request.user, question_id)
    question = questions_services.question_answer(
        by=request.user, question=question, answer=payload.answer
    )
    return question_out(question, False)
