"""Files and step 1 (DOMAIN §3.1): the list, a new file, one file, the needs questionnaire, the
lines of the consumption plan, a member body's own consumption, and the moves between steps."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind
from courtier.accounts.rules import Perm
from courtier.acquisitions import rules, selectors
from courtier.acquisitions.api.answers import _detail, _need_line
from courtier.acquisitions.api.common import AnswerValue, NeedCode, _no_nul_path
from courtier.acquisitions.api.schemas import (
    FileCreateIn,
    FileDetailOut,
    FileOut,
    MemberQuantitiesIn,
    NeedLineIn,
    NeedLineOut,
    NeedsIn,
    TransitionIn,
)
from courtier.acquisitions.messages import (
    ANSWER_BOOLEAN,
    ANSWER_TEXT,
    CLIENT_REQUIRED,
    NOT_A_CLIENT,
    NOT_A_MEMBER,
    QUANTITIES_EITHER,
    REQUIRED,
    UNKNOWN_CLIENT,
    UNKNOWN_QUESTION,
)
from courtier.acquisitions.models import AcquisitionFile, FileState
from courtier.acquisitions.services import needs as needs_services
from courtier.acquisitions.services import transitions as transitions_services
from courtier.core.apierrors import ERRORS, path_id
from courtier.core.pagination import Pagination

router = Router()


@router.get(
    "/files",
    response={200: list[FileOut], **ERRORS},
    summary="Dossiers d'acquisition",
    description=(
        "Les dossiers que la personne peut voir : ceux de son organisme (et, pour un organisme "
        "membre, les achats regroupés auxquels il participe) ; tous pour le Courtier. Les plus "
        "récemment modifiés d'abord."
    ),
)
@paginate(Pagination)
def file_list(request: HttpRequest, state: FileState | None = None):
    return selectors.files_for(request.user, state=state)


@router.post(
    "/files",
    response={201: FileDetailOut, **ERRORS},
    summary="Ouvrir un dossier d'acquisition",
    description="Le dossier commence à l'étape 1, définir les besoins.",
)
def file_create(request: HttpRequest, payload: FileCreateIn):
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
    if client.kind not in (OrganisationKind.CLIENT, OrganisationKind.GROUP_PURCHASER):
        raise ValidationError({"client": NOT_A_CLIENT})
    file = needs_services.file_create(
        by=request.user,
        client=client,
        title=payload.title,
        is_group_purchase=payload.is_group_purchase,
    )
    return Status(201, _detail(request, file))


@router.get(
    "/files/{file_id}",
    response={200: FileDetailOut, **ERRORS},
    summary="Un dossier d'acquisition",
    description=(
        "Étape, progression, besoins et plan de consommation, offres retenues et leur "
        "conformité (avec les versions de fiche publiées depuis la consultation), questions "
        "aux fournisseurs (en retard ou non), bancs d'essai, derniers scénarios calculés, "
        "choix, autorisations, préalables manquants de la rencontre de démarrage, date de "
        "contrat signé au plus tôt, stratégie figée et documents du dossier."
    ),
)
def file_detail(request: HttpRequest, file_id: int = path_id()):
    return _detail(request, selectors.file_for(request.user, file_id))


_NOT_NULL = ("location", "personal_information", "pi_outside_quebec", "supplier_partner", "title")


@router.patch(
    "/files/{file_id}/needs",
    response={200: FileDetailOut, **ERRORS},
    summary="Définir les besoins (étape 1)",
    description=(
        "Le questionnaire de l'étape 1 : volet, durée, budget, début prévu, localisation des "
        "données, renseignements personnels, réponses. Les réponses incomplètes sont gardées ; "
        "elles sont vérifiées au passage à l'étape 2."
    ),
)
def file_needs(request: HttpRequest, payload: NeedsIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    values = payload.model_dump(exclude_unset=True)
    errors = {name: REQUIRED for name in _NOT_NULL if values.get(name, 0) is None}
    if errors:
        raise ValidationError(errors)
    category = None
    if "category" in values:  # sent: a code, or empty (or null) for none
        category = values.pop("category") or ""
    if "answers" in values:
        values["answers"] = _merged_answers(file, values["answers"] or {})
    file = needs_services.file_update_needs(
        by=request.user, file=file, category_code=category, **values
    )
    return _detail(request, file)


def _merged_answers(file: AcquisitionFile, sent: Mapping[str, AnswerValue]) -> dict[str, Any]:
    """The answers kept, updated with those sent (None removes one); each of the right kind."""
    kinds = {q.code: q.kind for q in rules.QUESTIONS}
    errors: dict[str, Any] = {}
    answers = dict(file.answers or {})
    for code, answer in sent.items():
        if answer is None:
            answers.pop(code, None)
            continue
        kind = kinds.get(code)
        if kind is None:
            errors[f"answers.{code}"] = UNKNOWN_QUESTION
        elif kind == rules.AnswerKind.TEXT and not isinstance(answer, str):
            errors[f"answers.{code}"] = ANSWER_TEXT
        elif kind == rules.AnswerKind.BOOLEAN and not isinstance(answer, bool):
            errors[f"answers.{code}"] = ANSWER_BOOLEAN
        answers[code] = answer
    if errors:
        raise ValidationError(errors)
    return answers


@router.put(
    "/files/{file_id}/needs/{code}",
    response={200: NeedLineOut, **ERRORS},
    summary="Ajouter ou modifier une ligne du plan de consommation",
)
def need_line_save(
    request: HttpRequest, payload: NeedLineIn, code: NeedCode, file_id: int = path_id()
):
    file = selectors.file_to_run(request.user, file_id)
    plan = None
    if payload.plan is not None:
        plan = rules.GrowthPlan(payload.plan.start, payload.plan.growth, payload.plan.ceiling)
    if payload.quantities is None and plan is None and not file.is_group_purchase:
        raise ValidationError({"quantities": REQUIRED})
    if payload.quantities is not None and plan is not None:
        raise ValidationError({"plan": QUANTITIES_EITHER})
    need = needs_services.need_line_save(
        by=request.user,
        file=file,
        code=_no_nul_path(code, "code"),
        label=payload.label,
        kind=payload.kind,
        unit=payload.unit,
        quantities=payload.quantities,
        plan=plan,
    )
    return _need_line(need)


@router.delete(
    "/files/{file_id}/needs/{code}",
    response={204: None, **ERRORS},
    summary="Retirer une ligne du plan de consommation",
)
def need_line_delete(request: HttpRequest, code: NeedCode, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    needs_services.need_line_delete(by=request.user, file=file, code=_no_nul_path(code, "code"))
    return Status(204, None)


@router.put(
    "/files/{file_id}/needs/{code}/members/{member_id}",
    response={200: NeedLineOut, **ERRORS},
    summary="Consommation d'un organisme membre (achat regroupé)",
    description=(
        "Un organisme membre du regroupement d'achats inscrit ses propres quantités ; celles "
        "de la ligne deviennent la somme de celles des membres."
    ),
)
def member_consumption_save(
    request: HttpRequest,
    payload: MemberQuantitiesIn,
    code: NeedCode,
    file_id: int = path_id(),
    member_id: int = path_id(),
):
    file = selectors.file_for(request.user, file_id)
    member = Organisation.objects.filter(pk=member_id).first()
    if member is None:
        raise ValidationError({"member": NOT_A_MEMBER})
    row = needs_services.member_consumption_save(
        by=request.user,
        file=file,
        need_code=_no_nul_path(code, "need"),
        member=member,
        quantities=payload.quantities,
    )
    return _need_line(row.need)


@router.post(
    "/files/{file_id}/transitions",
    response={200: FileDetailOut, **ERRORS},
    summary="Passer à une autre étape",
    description=(
        "submit_needs, confirm_candidates, close_compliance, confirm_choice (vers l'avant), "
        "go_back, abandon. Refusé (422) avec chaque raison quand le passage n'est pas possible. "
        "La stratégie se fige par POST /files/{file_id}/strategy (le Courtier)."
    ),
)
def file_transition(request: HttpRequest, payload: TransitionIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    file = transitions_services.file_transition(by=request.user, file=file, action=payload.action)
    return _detail(request, file)
