"""The end-of-contract evaluations of RCTI contracts (002 §4.8.2; RCTI art. 82): the list with
each one's status, one, the client's statement, the report (a PDF), the head's signature in the
platform or on paper, the signed copy sent later."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from courtier.contracts import selectors as contract_selectors
from courtier.core.apierrors import ERRORS, path_id
from courtier.evaluations import selectors
from courtier.evaluations.api.schemas import (
    EvaluationEndDeclareIn,
    EvaluationEndOut,
    EvaluationEndPaperIn,
    EvaluationEndSignIn,
)
from courtier.evaluations.models import EndEvaluation
from courtier.evaluations.services import end as services
from courtier.evaluations.views.requests import _sees
from courtier.files.uploads import MAX_UPLOAD_MB, Upload

router = Router()
NO_REPORT = File(None)


def end_out(contract: Any, evaluation: Any, status: str) -> dict[str, Any]:
    return {
        "contract_id": contract.pk,
        "reference": contract.reference,
        "client": {"id": contract.client_id, "name": contract.client.name},
        "supplier": {"id": contract.supplier_id, "name": contract.supplier.name},
        "status": status,
        "required": evaluation.required if evaluation else None,
        "report_document_id": evaluation.report_id if evaluation else None,
        "head_signed_on": evaluation.head_signed_on if evaluation else None,
        "head_signature": evaluation.head_signature if evaluation else "",
        "due_on": services.due_on(evaluation),
        "received_on": services.received_on(evaluation),
    }


def _contract(request: HttpRequest, contract_id: int):
    found = (
        contract_selectors.contracts_for(request.user)
        .filter(pk=contract_id, subject_to_rcti=True)
        .first()
    )
    if found is None or not _sees(request.user):
        raise Http404
    return found


def _out(request: HttpRequest, contract_id: int) -> dict[str, Any]:
    contract = _contract(request, contract_id)
    evaluation = EndEvaluation.objects.filter(contract=contract).select_related("owed").first()
    return end_out(contract, evaluation, services.status_of(contract, evaluation))


@router.get(
    "/end-evaluations",
    response={200: list[EvaluationEndOut], **ERRORS},
    summary="Évaluations de fin de contrat (RCTI)",
    description=(
        "Les contrats terminés ou résiliés des organismes assujettis au RCTI, chacun avec "
        "l'état de son évaluation (overdue : rapport signé en retard de plus de 5 jours "
        "ouvrables, 002 §4.10)."
    ),
)
def end_list(request: HttpRequest):
    if not _sees(request.user):
        raise PermissionDenied
    return [end_out(r.contract, r.evaluation, r.status) for r in selectors.end_rows(request.user)]


@router.get(
    "/end-evaluations/{contract_id}",
    response={200: EvaluationEndOut, **ERRORS},
    summary="L'évaluation de fin d'un contrat",
)
def end_get(request: HttpRequest, contract_id: int = path_id()):
    return _out(request, contract_id)


@router.post(
    "/end-evaluations/{contract_id}",
    response={201: EvaluationEndOut, **ERRORS},
    summary="Indiquer si l'article 82 du RCTI requiert l'évaluation (client)",
)
def end_declare(
    request: HttpRequest, payload: EvaluationEndDeclareIn, contract_id: int = path_id()
):
    contract = _contract(request, contract_id)
    services.end_evaluation_declare(by=request.user, contract=contract, required=payload.required)
    return Status(201, _out(request, contract_id))


@router.post(
    "/end-evaluations/{contract_id}/report",
    response={201: EvaluationEndOut, **ERRORS},
    summary="Déposer le rapport d'évaluation (client)",
    description=f"Formulaire multipart : le rapport (report, un PDF, {MAX_UPLOAD_MB} Mo au plus).",
)
def end_report(request: HttpRequest, report: File[UploadedFile], contract_id: int = path_id()):
    contract = _contract(request, contract_id)
    upload = Upload.from_api(report, "report")
    services.end_evaluation_report_add(
        by=request.user, contract=contract, content=upload.content, name=upload.name
    )
    return Status(201, _out(request, contract_id))


@router.post(
    "/end-evaluations/{contract_id}/sign",
    response={200: EvaluationEndOut, **ERRORS},
    summary="Signer le rapport (dirigeant d'organisme)",
    description=(
        "Le mot de passe tapé de nouveau ; le rapport signé est transmis au Courtier sur-le-champ."
    ),
)
def end_sign(request: HttpRequest, payload: EvaluationEndSignIn, contract_id: int = path_id()):
    contract = _contract(request, contract_id)
    services.end_evaluation_head_sign(by=request.user, contract=contract, password=payload.password)
    return _out(request, contract_id)


@router.post(
    "/end-evaluations/{contract_id}/paper-signature",
    response={200: EvaluationEndOut, **ERRORS},
    summary="Consigner la signature sur papier du dirigeant (client)",
    description=(
        "Formulaire multipart : signed_on et, s'il y a lieu, la copie signée (report, un PDF), "
        "transmise sur-le-champ ; sinon elle est due dans les 5 jours ouvrables."
    ),
)
def end_paper(
    request: HttpRequest,
    payload: Form[EvaluationEndPaperIn],
    report: UploadedFile | None = NO_REPORT,
    contract_id: int = path_id(),
):
    contract = _contract(request, contract_id)
    upload = Upload.from_api(report, "report") if report is not None else None
    services.end_evaluation_paper_signature_record(
        by=request.user,
        contract=contract,
        signed_on=payload.signed_on,
        content=upload.content if upload else None,
        name=upload.name if upload else "",
    )
    return _out(request, contract_id)


@router.post(
    "/end-evaluations/{contract_id}/send",
    response={200: EvaluationEndOut, **ERRORS},
    summary="Transmettre le rapport signé (client)",
    description="Formulaire multipart : la copie signée (report, un PDF).",
)
def end_send(request: HttpRequest, report: File[UploadedFile], contract_id: int = path_id()):
    contract = _contract(request, contract_id)
    upload = Upload.from_api(report, "report")
    services.end_evaluation_report_send(
        by=request.user, contract=contract, content=upload.content, name=upload.name
    )
    return _out(request, contract_id)
