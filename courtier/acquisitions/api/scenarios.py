"""Step 4 (002 §2.4): the scenarios computed, the choice, the financial authorisation, the
head's authorisation (RCTI art. 48) and the EFVP."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from courtier.acquisitions import selectors
from courtier.acquisitions.api.answers import _member_names, _run, _scenario
from courtier.acquisitions.api.common import _fields
from courtier.acquisitions.api.schemas import (
    ChoiceIn,
    EfvpIn,
    EfvpOut,
    FinancialAuthorisationOut,
    FinancialIn,
    HeadAuthorisationIn,
    HeadAuthorisationOut,
    RunOut,
    ScenarioOut,
)
from courtier.acquisitions.messages import UNKNOWN_SCENARIO
from courtier.acquisitions.services import scenarios as scenarios_services
from courtier.core.apierrors import ERRORS, path_id
from courtier.files.uploads import MAX_UPLOAD_MB, Upload

router = Router()


@router.post(
    "/files/{file_id}/scenarios",
    response={201: RunOut, **ERRORS},
    summary="Calculer les scénarios d'acquisition (étape 4)",
    description=(
        "Chaque offre conforme est évaluée sur la durée désirée aux prix en vigueur "
        "aujourd'hui ; la combinaison la moins chère de chaque fournisseur est classée. Un "
        "nouveau calcul annule le choix."
    ),
)
def scenarios_compute(request: HttpRequest, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    run = scenarios_services.scenarios_compute(by=request.user, file=file)
    return Status(201, _run(run))


@router.post(
    "/files/{file_id}/choice",
    response={200: ScenarioOut, **ERRORS},
    summary="Choisir un des scénarios calculés",
)
def scenario_choose(request: HttpRequest, payload: ChoiceIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    scenario = file.scenarios.select_related("supplier").filter(pk=payload.scenario_id).first()
    if scenario is None:
        raise ValidationError({"scenario_id": UNKNOWN_SCENARIO})
    with _fields(scenario="scenario_id"):
        scenario = scenarios_services.scenario_choose(
            by=request.user, file=file, scenario=scenario, own_rule=payload.own_rule
        )
    return _scenario(scenario, _member_names([scenario]))


@router.post(
    "/files/{file_id}/financial-authorisation",
    response={201: FinancialAuthorisationOut, **ERRORS},
    summary="Consigner l'autorisation financière",
    description=(
        "Pour le montant total estimé : le scénario choisi et les ajouts prévus (002 §2.4.4). "
        "Remplace l'autorisation consignée auparavant."
    ),
)
def financial_authorisation(request: HttpRequest, payload: FinancialIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    auth = scenarios_services.financial_authorisation_record(
        by=request.user,
        file=file,
        amount_cents=payload.amount_cents,
        planned_additions_cents=payload.planned_additions_cents,
        authorised_on=payload.authorised_on,
        authorised_by_name=payload.authorised_by_name,
        reference=payload.reference,
    )
    return Status(201, auth)


@router.post(
    "/files/{file_id}/head-authorisation",
    response={201: HeadAuthorisationOut, **ERRORS},
    summary="Consigner l'autorisation du dirigeant d'organisme (RCTI, art. 48)",
    description=(
        "Requise avant de confirmer un choix autre que le scénario du plus bas prix. "
        f"Formulaire multipart : critères, justification, dirigeant, date et le document signé "
        f"(document, {MAX_UPLOAD_MB} Mo au plus), gardé 7 ans après la fin du contrat."
    ),
)
def head_authorisation(
    request: HttpRequest,
    payload: Form[HeadAuthorisationIn],
    document: File[UploadedFile],
    file_id: int = path_id(),
):
    file = selectors.file_to_run(request.user, file_id)
    upload = Upload.from_api(document, "document")
    head = scenarios_services.head_authorisation_record(
        by=request.user,
        file=file,
        criteria=[str(c) for c in payload.criteria],
        justification=payload.justification,
        head_name=payload.head_name,
        authorised_on=payload.authorised_on,
        document_name=upload.name,
        document=upload.content,
        content_type=upload.content_type,
    )
    return Status(
        201,
        {
            "scenario_id": head.scenario_id,
            "criteria": list(head.criteria),
            "justification": head.justification,
            "head_name": head.head_name,
            "authorised_on": head.authorised_on,
            "document_id": head.document_id,
        },
    )


@router.post(
    "/files/{file_id}/efvp",
    response={200: EfvpOut, **ERRORS},
    summary="Consigner l'évaluation des facteurs relatifs à la vie privée (EFVP)",
    description=(
        "Quand des renseignements personnels sont en cause (obligatoire avant tout contrat "
        "s'ils sont communiqués hors Québec). Formulaire multipart : date (done_on) et "
        f"document ({MAX_UPLOAD_MB} Mo au plus)."
    ),
)
def efvp(
    request: HttpRequest,
    payload: Form[EfvpIn],
    document: File[UploadedFile],
    file_id: int = path_id(),
):
    file = selectors.file_to_run(request.user, file_id)
    upload = Upload.from_api(document, "document")
    file = scenarios_services.efvp_record(
        by=request.user, file=file, done_on=payload.done_on, **upload.as_kwargs()
    )
    return {
        "efvp_done_on": file.efvp_done_on,
        "document_id": file.efvp_document_id,
    }
