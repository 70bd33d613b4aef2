"""The grid's versions, the campaigns (opened, closed, their summary) and the clients' requests
(read, saved, submitted) — 002 §4.8, §4.8.1."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Status

from courtier.accounts.models import Organisation
from courtier.acquisitions.api.common import _fields
from courtier.core.apierrors import ERRORS, path_id
from courtier.evaluations import messages, policies, selectors
from courtier.evaluations.api.schemas import (
    CampaignIn,
    CampaignOut,
    CampaignSummaryOut,
    EvaluationGridIn,
    EvaluationGridOut,
    EvaluationRequestIn,
    EvaluationRequestOut,
)
from courtier.evaluations.services import campaigns as services
from courtier.evaluations.services import grid as grid_services

router = Router()


def grid_out(version: Any) -> dict[str, Any]:
    return {
        "id": version.pk,
        "number": version.number,
        "scale_min": version.scale_min,
        "scale_max": version.scale_max,
        "note": version.note,
        "published_at": version.published_at,
        "criteria": [
            {"key": c.key, "label": c.label, "weight": c.weight, "order": c.order}
            for c in version.criteria.all()
        ],
    }


def campaign_out(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "year": c.year,
        "supplier": {"id": c.supplier_id, "name": c.supplier.name},
        "grid": c.grid.number,
        "due_on": c.due_on,
        "state": c.state,
        "opened_at": c.opened_at,
        "closed_at": c.closed_at,
    }


def request_out(r: Any) -> dict[str, Any]:
    grid = r.campaign.grid
    return {
        "id": r.pk,
        "campaign_id": r.campaign_id,
        "year": r.campaign.year,
        "supplier": {"id": r.campaign.supplier_id, "name": r.campaign.supplier.name},
        "client": {"id": r.client_id, "name": r.client.name},
        "contracts": [c.reference for c in r.contracts.all()],
        "due_on": r.due_on,
        "state": r.state,
        "scale_min": grid.scale_min,
        "scale_max": grid.scale_max,
        "scores": [
            {
                "key": s.criterion.key,
                "label": s.criterion.label,
                "weight": s.criterion.weight,
                "score": s.score,
                "comment": s.comment,
            }
            for s in selectors.scores_of(r)
        ],
        "general_comment": r.general_comment,
        "weighted_score": r.weighted_score,
        "submitted_on": r.submitted_on,
    }


def _staff(request: HttpRequest) -> None:
    if not policies.is_broker_staff(request.user):
        raise PermissionDenied


@router.get(
    "/grid-versions",
    response={200: list[EvaluationGridOut], **ERRORS},
    summary="Versions de la grille d'évaluation",
    description="La plus récente d'abord (celle des nouvelles campagnes, 002 §4.8).",
)
def grid_list(request: HttpRequest):
    _staff(request)
    return [grid_out(v) for v in selectors.grid_versions(request.user)]


@router.post(
    "/grid-versions",
    response={201: EvaluationGridOut, **ERRORS},
    summary="Publier une nouvelle version de la grille (Courtier)",
    description=(
        "Les critères dans l'ordre, chacun avec sa pondération en pourcentage : elles "
        "totalisent exactement 100. Une version publiée ne change jamais."
    ),
)
def grid_publish(request: HttpRequest, payload: EvaluationGridIn):
    version = grid_services.grid_version_publish(
        by=request.user,
        criteria=[c.model_dump() for c in payload.criteria],
        scale_min=payload.scale_min,
        scale_max=payload.scale_max,
        note=payload.note,
    )
    return Status(201, grid_out(version))


@router.get(
    "/campaigns",
    response={200: list[CampaignOut], **ERRORS},
    summary="Campagnes d'évaluation (Courtier)",
)
def campaign_list(request: HttpRequest):
    _staff(request)
    return [campaign_out(c) for c in selectors.campaigns_for(request.user)[:500]]


@router.post(
    "/campaigns",
    response={201: CampaignOut, **ERRORS},
    summary="Ouvrir une campagne (Courtier)",
    description=(
        "Pour un fournisseur ou un prestataire et une année, sur la version en vigueur de la "
        "grille : chaque organisme client qui a un contrat en vigueur avec lui reçoit une "
        "demande et un courriel (002 §4.8.1)."
    ),
)
def campaign_open(request: HttpRequest, payload: CampaignIn):
    if not policies.is_broker_agent(request.user):
        raise PermissionDenied
    supplier = Organisation.objects.filter(pk=payload.supplier_id).first()
    if supplier is None:
        raise ValidationError({"supplier_id": messages.NOT_A_SUPPLIER})
    with _fields(supplier="supplier_id"):
        campaign = services.campaign_open(
            by=request.user, supplier=supplier, year=payload.year, due_on=payload.due_on
        )
    return Status(201, campaign_out(campaign))


def _campaign(request: HttpRequest, campaign_id: int):
    _staff(request)
    found = selectors.campaigns_for(request.user).filter(pk=campaign_id).first()
    if found is None:
        raise Http404
    return found


def _summary(campaign: Any) -> dict[str, Any]:
    s = selectors.campaign_summary(campaign)
    return {
        "campaign": campaign_out(campaign),
        "count": s.count,
        "asked": s.asked,
        "mean_score": s.mean_score,
        "criteria": [
            {"key": c.key, "label": c.label, "weight": c.weight, "mean": c.mean} for c in s.criteria
        ],
        "comments": s.comments,
    }


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignSummaryOut, **ERRORS},
    summary="Une campagne et son sommaire (Courtier)",
    description=(
        "Les évaluations transmises, la moyenne des notes pondérées, la moyenne de chaque "
        "critère et les commentaires, pour la rencontre annuelle avec le fournisseur."
    ),
)
def campaign_get(request: HttpRequest, campaign_id: int = path_id()):
    return _summary(_campaign(request, campaign_id))


@router.post(
    "/campaigns/{campaign_id}/close",
    response={200: CampaignSummaryOut, **ERRORS},
    summary="Fermer une campagne (Courtier)",
    description="Les demandes encore ouvertes sont closes sans évaluation ; le sommaire est final.",
)
def campaign_close(request: HttpRequest, campaign_id: int = path_id()):
    campaign = _campaign(request, campaign_id)
    campaign = services.campaign_close(by=request.user, campaign=campaign)
    return _summary(selectors.campaigns_for(request.user).get(pk=campaign.pk))


@router.get(
    "/requests",
    response={200: list[EvaluationRequestOut], **ERRORS},
    summary="Demandes d'évaluation",
    description="Celles de son organisme ; toutes pour le Courtier.",
)
def request_list(request: HttpRequest):
    if not policies.is_broker_staff(request.user) and not policies.client_side(
        policies.permissions.grants(request.user)
    ):
        raise PermissionDenied
    return [request_out(r) for r in selectors.requests_for(request.user)[:500]]


def _request(request: HttpRequest, request_id: int):
    found = selectors.requests_for(request.user).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/requests/{request_id}",
    response={200: EvaluationRequestOut, **ERRORS},
    summary="Une demande d'évaluation",
)
def request_get(request: HttpRequest, request_id: int = path_id()):
    return request_out(_request(request, request_id))


def _values(payload: EvaluationRequestIn) -> dict[str, Any]:
    return {
        "scores": {s.key: s.score for s in payload.scores},
        "comments": {s.key: s.comment for s in payload.scores},
        "general_comment": payload.general_comment,
    }


@router.post(
    "/requests/{request_id}/save",
    response={200: EvaluationRequestOut, **ERRORS},
    summary="Enregistrer la grille (client)",
    description=(
        "Les notes données (entières, sur l'échelle) et les commentaires ; un critère omis "
        "garde ce qui était enregistré ; une grille incomplète est permise."
    ),
)
def request_save(request: HttpRequest, payload: EvaluationRequestIn, request_id: int = path_id()):
    found = _request(request, request_id)
    services.evaluation_save(by=request.user, request=found, **_values(payload))
    return request_out(_request(request, request_id))


@router.post(
    "/requests/{request_id}/submit",
    response={200: EvaluationRequestOut, **ERRORS},
    summary="Transmettre l'évaluation au Courtier (client)",
    description="Chaque critère noté ; une fois transmise, l'évaluation ne change plus.",
)
def request_submit(request: HttpRequest, payload: EvaluationRequestIn, request_id: int = path_id()):
    found = _request(request, request_id)
    services.evaluation_submit(by=request.user, request=found, **_values(payload))
    return request_out(_request(request, request_id))
