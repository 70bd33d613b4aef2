"""The fee grid (issue 15 §1; 001 §9.1): its versions with their lines, the one in force on a
day, a new version prepared by the broker's admin, changed while it is a draft, and published
from its effective date."""

from datetime import date
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from courtier.core.apierrors import ERRORS, path_id
from courtier.core.apifields import ApiDate
from courtier.fees import selectors
from courtier.fees.api.schemas import FeeGridIn, FeeGridOut
from courtier.fees.models import FeeGrid
from courtier.fees.services import grids as services

router = Router(tags=["fees"])


def grid_of(user: Any, grid_id: int) -> FeeGrid:
    grid = selectors.grids_for(user).filter(pk=grid_id).first()
    if grid is None:
        raise Http404
    return grid


def grid_out(grid: FeeGrid) -> dict[str, Any]:
    return {
        "id": grid.pk,
        "version": grid.version,
        "effective_on": grid.effective_on,
        "state": grid.state,
        "notes": grid.notes,
        "published_at": grid.published_at,
        "created_at": grid.created_at,
        "lines": [
            {
                "fee_type": line.fee_type,
                "from_cents": line.from_cents,
                "to_cents": line.to_cents,
                "flat_cents": line.flat_cents,
                "rate_bp": line.rate_bp,
            }
            for line in grid.lines.all()
        ],
    }


def _answer(user: Any, grid_id: int) -> dict[str, Any]:
    return grid_out(grid_of(user, grid_id))


def _values(payload: FeeGridIn) -> dict[str, Any]:
    return {
        "effective_on": payload.effective_on,
        "notes": payload.notes,
        "lines": [line.model_dump() for line in payload.lines],
    }


@router.get(
    "/grids",
    response={200: list[FeeGridOut], **ERRORS},
    summary="Grilles tarifaires",
    description=(
        "Les versions publiées (lecteurs du Catalogue, fournisseurs et prestataires) ; toutes, "
        "en préparation comprises, pour le Courtier. La plus récente date d'entrée en vigueur "
        "d'abord."
    ),
)
def grid_list(request: HttpRequest):
    return [grid_out(grid) for grid in selectors.grids_for(request.user)]


@router.get(
    "/grids/in-force",
    response={200: FeeGridOut, **ERRORS},
    summary="La grille en vigueur à une date",
    description=(
        "La grille publiée dont l'entrée en vigueur est la plus récente à cette date "
        "(aujourd'hui si on est omis) ; 404 s'il n'y en a aucune."
    ),
)
def grid_in_force(
    request: HttpRequest,
    on: Annotated[ApiDate | None, Query(description="Date (AAAA-MM-JJ)")] = None,
):
    day: date = on or timezone.localdate()
    grid = selectors.grid_in_force(day)
    if grid is None:
        raise Http404
    return _answer(request.user, grid.pk)


@router.get(
    "/grids/{grid_id}",
    response={200: FeeGridOut, **ERRORS},
    summary="Une version de la grille tarifaire",
)
def grid_get(request: HttpRequest, grid_id: int = path_id()):
    return _answer(request.user, grid_id)


@router.post(
    "/grids",
    response={201: FeeGridOut, **ERRORS},
    summary="Préparer une nouvelle version de la grille (administrateur du Courtier)",
    description=(
        "En préparation jusqu'à sa publication. Ses lignes sont vérifiées : pour chaque type de "
        "frais, des tranches de 0 $ sans trou ni chevauchement, la dernière sans fin, chacune "
        "avec un montant fixe, un taux ou les deux ; chaque problème est nommé sous « lines »."
    ),
)
def grid_create(request: HttpRequest, payload: FeeGridIn):
    grid = services.fee_grid_create(by=request.user, **_values(payload))
    return Status(201, _answer(request.user, grid.pk))


@router.put(
    "/grids/{grid_id}",
    response={200: FeeGridOut, **ERRORS},
    summary="Modifier une grille en préparation (administrateur du Courtier)",
    description="Une grille publiée ne change plus (422 sur « grid ») : préparez-en une autre.",
)
def grid_update(request: HttpRequest, payload: FeeGridIn, grid_id: int = path_id()):
    grid = grid_of(request.user, grid_id)
    services.fee_grid_update(by=request.user, grid=grid, **_values(payload))
    return _answer(request.user, grid_id)


@router.post(
    "/grids/{grid_id}/publish",
    response={200: FeeGridOut, **ERRORS},
    summary="Publier la grille (administrateur du Courtier)",
    description=(
        "À partir de sa date d'entrée en vigueur, aujourd'hui ou plus tard (001 §9.1 : sans "
        "préavis) ; une seule grille publiée par date. Son PDF rejoint les documents de "
        "soutien du Catalogue."
    ),
)
def grid_publish(request: HttpRequest, grid_id: int = path_id()):
    grid = grid_of(request.user, grid_id)
    services.fee_grid_publish(by=request.user, grid=grid)
    return _answer(request.user, grid_id)
