"""API: the list of concluded contracts (issue 14 §5; 002 §4.7, DOMAIN §5.7) and the client's
consent to name a contact person in it, under /api/v1/publication/concluded-contracts. The list
is for the client bodies' people and the broker's staff (403 for suppliers and providers): the
client body, the supplier or provider, the solutions or qualifications, an approximate size
(never the amount), the start and the duration, and a contact person only while the client's
consent is in force. A contract's consents are read by its client's people and the broker's
staff (404 otherwise); those who run the client's acquisitions give and revoke them (403 for
the others who see them). A refused rule answers 422 naming the field."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from courtier.acquisitions.api.common import _fields
from courtier.contracts.models import ContractKind
from courtier.core.apierrors import ERRORS, MAX_ID, path_id
from courtier.core.pagination import MAX_OFFSET, MAX_PAGE_SIZE, PAGE_SIZE
from courtier.publication import selectors
from courtier.publication.api.schemas import (
    ConcludedConsentIn,
    ConcludedConsentsOut,
    ConcludedPageOut,
)
from courtier.publication.models import ContactConsent
from courtier.publication.selectors import ConcludedFilters, ConcludedRow
from courtier.publication.services import consents

router = Router(tags=["publication"])
URL = "/concluded-contracts"


def _ref(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {"id": obj.pk, "name": getattr(obj, "name", None) or str(obj)}


def row_out(row: ConcludedRow) -> dict[str, Any]:
    contract = row.contract
    return {
        "contract_id": contract.pk,
        "reference": contract.reference,
        "client": _ref(contract.client),
        "supplier": _ref(contract.supplier),
        "kind": contract.kind,
        "kind_label": row.kind_label,
        "items": row.items,
        "amount_bracket": row.bracket,
        "start_on": row.start_on,
        "duration_months": row.months,
        "contact_name": row.contact_name,
        "contact_email": row.contact_email,
    }


def consent_out(consent: ContactConsent) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "contact": _ref(consent.contact),
        "contact_email": consent.contact.email,
        "given_by": _ref(consent.given_by),
        "given_at": consent.given_at,
        "revoked_by": _ref(consent.revoked_by) if consent.revoked_by_id else None,
        "revoked_at": consent.revoked_at,
        "in_force": consent.in_force,
    }


def consents_out(request: HttpRequest, contract_id: int) -> dict[str, Any]:
    contract = selectors.contract_for(request.user, contract_id)
    history = selectors.consent_history(contract)
    in_force = next((c for c in history if c.in_force), None)
    return {
        "contract_id": contract.pk,
        "in_force": consent_out(in_force) if in_force else None,
        "history": [consent_out(c) for c in history],
    }


@router.get(
    URL,
    response={200: ConcludedPageOut, **ERRORS},
    summary="Liste des contrats conclus",
    description=(
        "Les contrats spécifiques conclus de tous les clients (002 §4.7), le plus récent début "
        "d'abord : organisme client, fournisseur ou prestataire, solutions ou qualifications, "
        "envergure approximative (jamais le montant), date de début et durée, et une "
        "personne-ressource seulement avec le consentement du client en vigueur. Pour les "
        "personnes des organismes clients et du Courtier (403 pour les fournisseurs)."
    ),
)
def concluded_list(
    request: HttpRequest,
    client: int | None = Query(None, ge=1, le=MAX_ID, description="Organisme client"),
    supplier: int | None = Query(None, ge=1, le=MAX_ID, description="Fournisseur ou prestataire"),
    kind: ContractKind | None = None,
    limit: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    contracts = selectors.concluded_contracts(
        request.user, ConcludedFilters(client=client, supplier=supplier, kind=kind)
    )
    rows = selectors.concluded_rows(contracts[offset : offset + limit])
    return {
        "items": [row_out(r) for r in rows],
        "count": contracts.count(),
        "limit": limit,
        "offset": offset,
    }


@router.get(
    URL + "/{contract_id}/consents",
    response={200: ConcludedConsentsOut, **ERRORS},
    summary="Consentements à nommer une personne-ressource",
    description="Celui en vigueur et l'historique (jamais effacé) d'un contrat conclu.",
)
def concluded_consents(request: HttpRequest, contract_id: int = path_id()):
    return consents_out(request, contract_id)


@router.post(
    URL + "/{contract_id}/consents",
    response={201: ConcludedConsentsOut, **ERRORS},
    summary="Donner le consentement (client)",
    description=(
        "Une personne de l'organisme client accepte d'être nommée dans la liste pour discuter "
        "de son expérience (002 §4.7). Refusé tant qu'un autre consentement est en vigueur ; "
        "le même renvoyé ne change rien."
    ),
)
def concluded_consent_give(
    request: HttpRequest, payload: ConcludedConsentIn, contract_id: int = path_id()
):
    contract = selectors.contract_for(request.user, contract_id)
    with _fields(contact="contact_id"):
        consents.contact_consent_give(
            by=request.user, contract=contract, contact_id=payload.contact_id
        )
    return Status(201, consents_out(request, contract_id))


@router.post(
    URL + "/{contract_id}/consents/revoke",
    response={200: ConcludedConsentsOut, **ERRORS},
    summary="Révoquer le consentement (client)",
    description="La personne-ressource est retirée de la liste sur-le-champ ; l'historique reste.",
)
def concluded_consent_revoke(request: HttpRequest, contract_id: int = path_id()):
    contract = selectors.contract_for(request.user, contract_id)
    consents.contact_consent_revoke(by=request.user, contract=contract)
    return consents_out(request, contract_id)
