"""Exit plans (002 §4.9): the list, one plan, a plan opened for a solutions contract, its
content changed with its activities, and its moves: submitted by the client, acknowledged or
returned by the broker, its activities done and the transition completed."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from courtier.acquisitions.api.common import _fields
from courtier.contracts import selectors as contract_selectors
from courtier.contracts.models import Contract
from courtier.core.apierrors import ERRORS, path_id
from courtier.core.pagination import Pagination
from courtier.exitplans import checks, rules, selectors
from courtier.exitplans.api.schemas import (
    ExitPlanCommentIn,
    ExitPlanContentIn,
    ExitPlanCreateIn,
    ExitPlanDoneIn,
    ExitPlanOut,
)
from courtier.exitplans.models import ExitPlan, PlanState
from courtier.exitplans.services import plans as services

router = Router(tags=["exit-plans"])
# A service's errors named after the request's fields.
RENAMED = {
    "follow_up_file": "follow_up_file_id",
    "new_contract": "new_contract_id",
    "contract": "contract_id",
}


def plan_of(user: Any, plan_id: int) -> ExitPlan:
    plan = selectors.plans_for(user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan


def _contract(contract: Contract) -> dict[str, Any]:
    return {
        "id": contract.pk,
        "reference": contract.reference,
        "title": contract.title,
        "client": {"id": contract.client_id, "name": contract.client.name},
        "supplier": {"id": contract.supplier_id, "name": contract.supplier.name},
        "start_on": contract.start_on,
        "ends_on": checks.contract_end(contract),
    }


def plan_out(plan: ExitPlan) -> dict[str, Any]:
    facts = checks.as_rule(plan)
    exit = selectors.exit_of(plan.contract, plan)
    file = plan.follow_up_file
    editable = plan.state in rules.EDITABLE_STATES
    return {
        "id": plan.pk,
        "state": plan.state,
        "contract": _contract(plan.contract),
        "warning_months": plan.warning_months,
        "warning_on": exit.warning_on,
        "warned_on": plan.warned_on,
        "follow_up_file": (
            {"id": file.pk, "reference": file.reference, "title": file.title} if file else None
        ),
        "same_supplier": plan.same_supplier,
        "none_needed": plan.none_needed,
        "new_contract": _contract(plan.new_contract) if plan.new_contract_id else None,
        "overlap_days": rules.overlap_days(facts),
        "needed_days": rules.needed_days(facts),
        "activities": list(plan.activities.all()),
        "problems": checks.plan_problems(plan) if editable else {},
        "review_comment": plan.review_comment,
        "submitted_at": plan.submitted_at,
        "acknowledged_at": plan.acknowledged_at,
        "completed_at": plan.completed_at,
        "created_at": plan.created_at,
    }


class _Answered:
    """The plans of a queryset answered as ``plan_out`` page by page (pagination slices it)."""

    def __init__(self, plans: Any) -> None:
        self.plans = plans

    def __len__(self) -> int:
        return self.plans.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [plan_out(p) for p in self.plans[page]]


def _answer(user: Any, plan_id: int) -> dict[str, Any]:
    return plan_out(plan_of(user, plan_id))


def _content(payload: ExitPlanContentIn) -> tuple[dict[str, Any], list[dict] | None]:
    dumped = payload.model_dump(exclude_unset=True, exclude={"activities", "contract_id"})
    # ``null`` clears a link (``..._id``); for the other fields it means « unchanged ».
    values = {k: v for k, v in dumped.items() if v is not None or k.endswith("_id")}
    activities = None
    if "activities" in payload.model_fields_set and payload.activities is not None:
        activities = [a.model_dump() for a in payload.activities]
    return values, activities


@router.get(
    "",
    response={200: list[ExitPlanOut], **ERRORS},
    summary="Plans de transition à la sortie",
    description=(
        "Ceux des contrats de son organisme (client, ou fournisseur sortant du contrat) ; tous "
        "pour le Courtier. Les plus récents d'abord."
    ),
)
@paginate(Pagination)
def plan_list(request: HttpRequest, state: PlanState | None = None):
    plans = selectors.plans_for(request.user)
    if state is not None:
        plans = plans.filter(state=state)
    return _Answered(plans)  # only the page asked for is read and answered


@router.post(
    "",
    response={201: ExitPlanOut, **ERRORS},
    summary="Ouvrir le plan de transition à la sortie d'un contrat de solutions (client)",
    description=(
        "Un seul par contrat de solutions conclu ou en vigueur (002 §4.9 ; un contrat de "
        "services n'en a pas) : le dossier d'acquisition suivant, le même fournisseur ou un "
        "nouveau (son contrat), les activités de transition prévues."
    ),
)
def plan_create(request: HttpRequest, payload: ExitPlanCreateIn):
    contract = contract_selectors.contracts_for(request.user).filter(pk=payload.contract_id).first()
    if contract is None:
        raise Http404
    values, activities = _content(payload)
    with _fields(**RENAMED):
        plan = services.exit_plan_create(
            by=request.user, contract=contract, activities=activities or (), **values
        )
    return Status(201, _answer(request.user, plan.pk))


@router.get(
    "/{plan_id}",
    response={200: ExitPlanOut, **ERRORS},
    summary="Un plan de transition à la sortie",
    description=(
        "Le contrat et sa fin (avenants compris), l'avis de sortie, le contrat suivant, les "
        "activités et ce qui empêche encore de soumettre le plan."
    ),
)
def plan_get(request: HttpRequest, plan_id: int = path_id()):
    return _answer(request.user, plan_id)


@router.patch(
    "/{plan_id}",
    response={200: ExitPlanOut, **ERRORS},
    summary="Modifier le plan en préparation ou retourné (client)",
    description="Les activités données remplacent celles du plan.",
)
def plan_update(request: HttpRequest, payload: ExitPlanContentIn, plan_id: int = path_id()):
    plan = plan_of(request.user, plan_id)
    values, activities = _content(payload)
    with _fields(**RENAMED):
        services.exit_plan_update(by=request.user, plan=plan, activities=activities, **values)
    return _answer(request.user, plan_id)


@router.post(
    "/{plan_id}/submit",
    response={200: ExitPlanOut, **ERRORS},
    summary="Soumettre le plan au Courtier (client)",
    description=(
        "Vérifié selon 002 §4.9 : les activités finies avant la fin du contrat initial ; aucune "
        "activité seulement avec le même fournisseur ; avec un nouveau fournisseur, son contrat "
        "en parallèle sur toute la durée des activités. Chaque motif de refus nomme son champ."
    ),
)
def plan_submit(request: HttpRequest, plan_id: int = path_id()):
    with _fields(**RENAMED):
        services.exit_plan_submit(by=request.user, plan=plan_of(request.user, plan_id))
    return _answer(request.user, plan_id)


@router.post(
    "/{plan_id}/acknowledge",
    response={200: ExitPlanOut, **ERRORS},
    summary="Prendre acte du plan (Courtier)",
)
def plan_acknowledge(request: HttpRequest, plan_id: int = path_id()):
    services.exit_plan_acknowledge(by=request.user, plan=plan_of(request.user, plan_id))
    return _answer(request.user, plan_id)


@router.post(
    "/{plan_id}/return",
    response={200: ExitPlanOut, **ERRORS},
    summary="Retourner le plan au client avec un commentaire (Courtier)",
)
def plan_return(request: HttpRequest, payload: ExitPlanCommentIn, plan_id: int = path_id()):
    services.exit_plan_return(
        by=request.user, plan=plan_of(request.user, plan_id), comment=payload.comment
    )
    return _answer(request.user, plan_id)


@router.post(
    "/{plan_id}/activities/{activity_id}/done",
    response={200: ExitPlanOut, **ERRORS},
    summary="Marquer une activité faite (client)",
    description="Une fois le plan soumis ; aujourd'hui sans date.",
)
def activity_done(
    request: HttpRequest,
    payload: ExitPlanDoneIn,
    plan_id: int = path_id(),
    activity_id: int = path_id(),
):
    plan = plan_of(request.user, plan_id)
    activity = plan.activities.filter(pk=activity_id).first()
    if activity is None:
        raise Http404
    services.exit_activity_done(
        by=request.user, plan=plan, activity=activity, done_on=payload.done_on
    )
    return _answer(request.user, plan_id)


@router.post(
    "/{plan_id}/complete",
    response={200: ExitPlanOut, **ERRORS},
    summary="Constater la transition complétée (client)",
    description="Toutes les activités faites (002 §4.9).",
)
def plan_complete(request: HttpRequest, plan_id: int = path_id()):
    services.exit_plan_complete(by=request.user, plan=plan_of(request.user, plan_id))
    return _answer(request.user, plan_id)
