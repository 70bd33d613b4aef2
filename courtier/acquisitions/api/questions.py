"""Questions to suppliers and trials (004 §3.3.2): asked by the client, listed for each person
(a supplier sees those addressed to it), answered by the supplier; trials and their reports."""

from django.http import Http404, HttpRequest
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from courtier.accounts import permissions
from courtier.acquisitions import selectors
from courtier.acquisitions.api.answers import _questions, _trial
from courtier.acquisitions.api.common import _fields, _offer_for
from courtier.acquisitions.api.schemas import (
    AnswerIn,
    QuestionIn,
    QuestionOut,
    TrialIn,
    TrialOut,
    TrialReportIn,
)
from courtier.acquisitions.models import SupplierQuestion
from courtier.acquisitions.services import questions as questions_services
from courtier.core.apierrors import ERRORS, MAX_ID, path_id
from courtier.core.pagination import Pagination
from courtier.files.uploads import MAX_UPLOAD_MB, Upload

router = Router()


@router.post(
    "/files/{file_id}/questions",
    response={201: QuestionOut, **ERRORS},
    summary="Poser une question écrite au fournisseur d'une offre",
    description="Le fournisseur la prend en charge dans les 3 jours ouvrables.",
)
def question_ask(request: HttpRequest, payload: QuestionIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    offer = _offer_for(request, payload.offer_id)
    with _fields(offer="offer_id"):
        question = questions_services.question_ask(
            by=request.user, file=file, offer=offer, text=payload.text
        )
    return Status(201, _questions(SupplierQuestion.objects.filter(pk=question.pk)).get())


@router.get(
    "/questions",
    response={200: list[QuestionOut], **ERRORS},
    summary="Questions aux fournisseurs",
    description=(
        "Pour un fournisseur : les questions qui lui sont adressées ; pour le Courtier : "
        "toutes ; pour un client : celles de ses dossiers. Sans réponse d'abord, par échéance."
    ),
)
@paginate(Pagination)
def question_list(
    request: HttpRequest,
    answered: bool | None = None,
    file: int | None = Query(None, ge=1, le=MAX_ID, description="Identifiant du dossier"),
):
    questions = selectors.questions_for_supplier(request.user)
    if answered is not None:
        questions = questions.filter(answered_at__isnull=not answered)
    if file is not None:
        questions = questions.filter(file_id=file)
    return _questions(questions)


@router.post(
    "/questions/{question_id}/answer",
    response={200: QuestionOut, **ERRORS},
    summary="Répondre à une question (fournisseur)",
)
def question_answer(request: HttpRequest, payload: AnswerIn, question_id: int = path_id()):
    question = permissions.get_visible_or_404(
        request.user, SupplierQuestion.objects.all(), pk=question_id
    )
    permissions.require_change(request.user, question)
    question = questions_services.question_answer(
        by=request.user, question=question, answer=payload.answer
    )
    return _questions(SupplierQuestion.objects.filter(pk=question.pk)).get()


@router.post(
    "/files/{file_id}/trials",
    response={201: TrialOut, **ERRORS},
    summary="Enregistrer un banc d'essai",
    description=(
        "Gratuit et sans engagement : au plus 60 jours et 30 unités de chaque offre, sans "
        "renseignements personnels ni confidentiels (004 §3.3.2)."
    ),
)
def trial_create(request: HttpRequest, payload: TrialIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    offer = _offer_for(request, payload.offer_id)
    with _fields(offer="offer_id"):
        trial = questions_services.trial_create(
            by=request.user,
            file=file,
            offer=offer,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            units=payload.units,
            attestation=payload.attestation,
        )
    return Status(201, _trial(trial))


@router.post(
    "/files/{file_id}/trials/{trial_id}/report",
    response={200: TrialOut, **ERRORS},
    summary="Joindre le rapport d'un banc d'essai",
    description=f"Formulaire multipart : le fichier (report, {MAX_UPLOAD_MB} Mo au plus) et les "
    "conclusions (summary). Le rapport rejoint les documents du dossier.",
)
def trial_report(
    request: HttpRequest,
    payload: Form[TrialReportIn],
    report: File[UploadedFile],
    file_id: int = path_id(),
    trial_id: int = path_id(),
):
    file = selectors.file_to_run(request.user, file_id)
    trial = file.trials.select_related("offer", "file").filter(pk=trial_id).first()
    if trial is None:
        raise Http404
    upload = Upload.from_api(report, "report")
    trial = questions_services.trial_attach_report(
        by=request.user, trial=trial, summary=payload.summary, **upload.as_kwargs()
    )
    return _trial(trial)
