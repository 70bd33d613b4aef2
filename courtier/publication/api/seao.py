"""API: the SEAO sheet of a concluded contract of a client subject to the RCTI (issue 14 §4;
002 §4.1, DOMAIN §5.1), under /api/v1/publication/seao. The broker's staff and the client body's
people read it (404 for anyone else, and for a contract of a client not subject to the RCTI,
which has none); the client's people who run its acquisitions choose the UNSPSC codes and the
responsible-acquisition indicator, tick the checklist and mark it published (403 for the
others who see it). A refused rule answers 422 naming the field."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from courtier.core.apierrors import ERRORS, path_id
from courtier.publication import selectors
from courtier.publication.api.schemas import (
    SeaoChecklistIn,
    SeaoPendingOut,
    SeaoPublishIn,
    SeaoSheetIn,
    SeaoSheetOut,
)
from courtier.publication.services import seao

router = Router(tags=["publication"])


def _ref(org: Any) -> dict[str, Any]:
    return {"id": org.pk, "name": org.name}


def sheet_out(contract: Any) -> dict[str, Any]:
    view = selectors.sheet_view(contract)
    sheet = view.sheet
    return {
        "contract_id": contract.pk,
        "reference": contract.reference,
        "title": contract.title,
        "client": _ref(contract.client),
        "supplier": _ref(contract.supplier),
        "kind": contract.kind,
        "nature": view.nature,
        "classification": view.classification,
        "legal_disposition": view.disposition,
        "allowed_unspsc": [{"code": c, "label": label} for c, label in view.allowed_codes],
        "unspsc_codes": [{"code": c, "label": label} for c, label in view.chosen_codes],
        "responsible_indicator": sheet.responsible_indicator,
        "authorised_cents": view.authorised_cents,
        "current_cents": view.current_cents,
        "concluded_on": view.concluded_on,
        "start_on": view.start_on,
        "ends_on": view.ends_on,
        "checklist": [{"key": i.key, "label": i.label, "ticked": i.ticked} for i in view.checklist],
        "missing": [i.key for i in view.checklist if not i.ticked],
        "published": sheet.is_published,
        "published_on": sheet.published_on,
        "notice_number": sheet.notice_number,
        "updated_at": sheet.updated_at if sheet.pk else None,
    }


def _answer(request: HttpRequest, contract_id: int) -> dict[str, Any]:
    return sheet_out(selectors.rcti_contract_for(request.user, contract_id))


@router.get(
    "/seao",
    response={200: list[SeaoPendingOut], **ERRORS},
    summary="Fiches SEAO à publier",
    description=(
        "Les contrats conclus des clients assujettis au RCTI dont la fiche n'est pas encore "
        "marquée publiée (002 §4.1) : ceux de son organisme client ; tous pour le Courtier ; "
        "aucun pour un fournisseur ou un prestataire. La plus ancienne conclusion d'abord."
    ),
)
def seao_pending(request: HttpRequest):
    return [
        {
            "contract_id": c.pk,
            "reference": c.reference,
            "title": c.title,
            "client": _ref(c.client),
            "supplier": _ref(c.supplier),
            "concluded_on": c.concluded_on,
        }
        for c in selectors.sheets_to_publish(request.user)
    ]


@router.get(
    "/seao/{contract_id}",
    response={200: SeaoSheetOut, **ERRORS},
    summary="La fiche SEAO d'un contrat",
    description=(
        "La nature, la classification (G8 ou S4), les catégories UNSPSC permises et choisies, la "
        "disposition de la loi, l'indicateur d'acquisition responsable, les montants et les "
        "dates, la liste de vérification et la publication (002 §4.1). 404 pour un contrat "
        "d'un client non assujetti au RCTI."
    ),
)
def seao_get(request: HttpRequest, contract_id: int = path_id()):
    return _answer(request, contract_id)


@router.put(
    "/seao/{contract_id}",
    response={200: SeaoSheetOut, **ERRORS},
    summary="Les choix du client (UNSPSC, indicateur)",
    description=(
        "Une ou plusieurs catégories UNSPSC parmi celles de la nature du contrat (43230000, "
        "81162000 pour des solutions ; 81160000 pour des services) et l'indicateur "
        "d'acquisition responsable s'il y a lieu. Refusé une fois la fiche publiée."
    ),
)
def seao_update(request: HttpRequest, payload: SeaoSheetIn, contract_id: int = path_id()):
    contract = selectors.rcti_contract_for(request.user, contract_id)
    seao.seao_sheet_update(
        by=request.user,
        contract=contract,
        unspsc_codes=payload.unspsc_codes,
        responsible_indicator=payload.responsible_indicator,
    )
    return _answer(request, contract_id)


@router.put(
    "/seao/{contract_id}/checklist",
    response={200: SeaoSheetOut, **ERRORS},
    summary="La liste de vérification",
    description="Les éléments saisis dans SEAO (la liste entière des clés cochées).",
)
def seao_checklist(request: HttpRequest, payload: SeaoChecklistIn, contract_id: int = path_id()):
    contract = selectors.rcti_contract_for(request.user, contract_id)
    seao.seao_checklist_tick(by=request.user, contract=contract, ticked=payload.checklist)
    return _answer(request, contract_id)


@router.post(
    "/seao/{contract_id}/publish",
    response={200: SeaoSheetOut, **ERRORS},
    summary="Marquer la fiche publiée dans SEAO",
    description=(
        "Avec la date de publication (ni avant la conclusion, ni dans le futur) et le numéro de "
        "l'avis s'il y a lieu ; chaque élément de la liste coché et les catégories choisies. "
        "La même publication renvoyée ne change rien."
    ),
)
def seao_publish(request: HttpRequest, payload: SeaoPublishIn, contract_id: int = path_id()):
    contract = selectors.rcti_contract_for(request.user, contract_id)
    seao.seao_sheet_publish(
        by=request.user,
        contract=contract,
        published_on=payload.published_on,
        notice_number=payload.notice_number,
    )
    return _answer(request, contract_id)
