"""Contracts (002 §2.5, §3.5): the list, the frozen sources awaiting a contract, a contract made
from one of them, one contract, what the broker sets while preparing it (terms, the client's
confirmation of the supplier's eligibility, the signatories), its generation, and the moves of
review and validation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from courtier.acquisitions.models import AcquisitionStrategy
from courtier.contracts import messages, policies, selectors
from courtier.contracts.api.answers import contract_detail, contract_of
from courtier.contracts.api.schemas import (
    ContractCommentIn,
    ContractCreateIn,
    ContractDetailOut,
    ContractEligibilityIn,
    ContractOut,
    ContractSignatoriesIn,
    ContractSourceOut,
    ContractUpdateIn,
)
from courtier.contracts.models import ContractKind, ContractState
from courtier.contracts.services import creation, generation, transitions
from courtier.core.apierrors import ERRORS, path_id
from courtier.core.pagination import Pagination
from courtier.pricerequests.models import HandoffPackage

router = Router(tags=["contracts"])


@router.get(
    "",
    response={200: list[ContractOut], **ERRORS},
    summary="Contrats spécifiques",
    description=(
        "Ceux de son organisme (client, ou fournisseur et prestataire qui y est partie) ; tous "
        "pour le Courtier. Les plus récents d'abord."
    ),
)
@paginate(Pagination)
def contract_list(request: HttpRequest, state: ContractState | None = None):
    contracts = selectors.contracts_for(request.user)
    if state is not None:
        contracts = contracts.filter(state=state)
    return contracts  # the page is read, not every contract


@router.get(
    "/sources",
    response={200: list[ContractSourceOut], **ERRORS},
    summary="Dossiers figés en attente d'un contrat (Courtier)",
    description=(
        "Les stratégies d'acquisition figées à la rencontre de démarrage et les dossiers de "
        "services remis au Courtier qui n'ont pas encore de contrat (002 §2.5, §3.5), les plus "
        "anciens d'abord."
    ),
)
def source_list(request: HttpRequest):
    if not policies.is_broker_agent(request.user):
        raise PermissionDenied
    return [
        {
            "kind": ContractKind.SOLUTIONS if source["strategy_id"] else ContractKind.SERVICES,
            "strategy_id": source["strategy_id"],
            "handoff_id": source["handoff_id"],
            "file_reference": source["reference"],
            "title": source["title"],
            "client": {"id": source["client"].pk, "name": source["client"].name},
            "supplier": {"id": source["supplier"].pk, "name": source["supplier"].name},
            "total_cents": source["total_cents"],
            "duration_months": source["months"],
            "frozen_at": source["since"],
        }
        for source in selectors.sources_without_contract(request.user)
    ]


@router.post(
    "",
    response={201: ContractDetailOut, **ERRORS},
    summary="Préparer un contrat à partir d'un dossier figé (Courtier)",
    description=(
        "Jamais à la main : d'une stratégie d'acquisition figée (strategy_id, contrat de "
        "solutions) ou d'un dossier de services remis (handoff_id). Ses modalités sont celles du "
        "dossier : fournisseur, durée, montant total, offres et quantités, ou qualifications et "
        "réponse retenue."
    ),
)
def contract_create(request: HttpRequest, payload: ContractCreateIn):
    strategy = handoff = None
    if payload.strategy_id is not None:
        strategy = (
            AcquisitionStrategy.objects.select_related("file__client")
            .filter(pk=payload.strategy_id)
            .first()
        )
        if strategy is None:
            raise ValidationError({"strategy_id": messages.STRATEGY_NOT_FROZEN})
    if payload.handoff_id is not None:
        handoff = (
            HandoffPackage.objects.select_related("file__client")
            .filter(pk=payload.handoff_id)
            .first()
        )
        if handoff is None:
            raise ValidationError({"handoff_id": messages.HANDOFF_MISSING})
    contract = creation.contract_create(
        by=request.user, strategy=strategy, handoff=handoff, start_on=payload.start_on
    )
    return Status(201, contract_detail(request.user, contract.pk))


@router.get(
    "/{contract_id}",
    response={200: ContractDetailOut, **ERRORS},
    summary="Un contrat spécifique",
    description=(
        "Ses modalités et son fondement figé, ses modalités actuelles (avenants signés "
        "compris), son document et ses versions (générées, validée avec le cachet, signées), "
        "ses signataires dans l'ordre et qui peut signer maintenant, sa consommation, ses "
        "avenants et sa résiliation ; ce qui bloque le prochain pas."
    ),
)
def contract_get(request: HttpRequest, contract_id: int = path_id()):
    return contract_detail(request.user, contract_id)


@router.patch(
    "/{contract_id}",
    response={200: ContractDetailOut, **ERRORS},
    summary="Compléter le contrat en préparation (Courtier)",
    description=(
        "Ce que le dossier figé laisse ouvert : l'objet, la date de début, les modalités de prix "
        "et de facturation ; pour une reconduction avec le même fournisseur, si une rencontre "
        "de démarrage a été nécessaire. La durée totale reste d'au plus 36 mois."
    ),
)
def contract_update(request: HttpRequest, payload: ContractUpdateIn, contract_id: int = path_id()):
    contract = contract_of(request.user, contract_id)
    creation.contract_update(
        by=request.user, contract=contract, **payload.model_dump(exclude_unset=True)
    )
    return contract_detail(request.user, contract_id)


@router.post(
    "/{contract_id}/eligibility",
    response={200: ContractDetailOut, **ERRORS},
    summary="Consigner la confirmation de l'admissibilité du fournisseur (Courtier)",
    description="Le client a confirmé l'admissibilité administrative du fournisseur (étape 4).",
)
def eligibility_confirm(
    request: HttpRequest, payload: ContractEligibilityIn, contract_id: int = path_id()
):
    contract = contract_of(request.user, contract_id)
    creation.contract_eligibility_confirm(
        by=request.user, contract=contract, confirmed_on=payload.confirmed_on, note=payload.note
    )
    return contract_detail(request.user, contract_id)


@router.put(
    "/{contract_id}/signatories",
    response={200: ContractDetailOut, **ERRORS},
    summary="Désigner les signataires, dans l'ordre (Courtier)",
    description=(
        "Les signataires du client dans l'ordre de sa hiérarchie, puis ceux du fournisseur "
        "(002 §2.5, étape 8). Qui signe dans la plateforme est une personne de sa partie, avec "
        "un rôle de signature."
    ),
)
def signatories_set(
    request: HttpRequest, payload: ContractSignatoriesIn, contract_id: int = path_id()
):
    contract = contract_of(request.user, contract_id)
    creation.contract_signatories_set(
        by=request.user,
        contract=contract,
        signatories=[s.model_dump() for s in payload.signatories],
    )
    return contract_detail(request.user, contract_id)


@router.post(
    "/{contract_id}/generate",
    response={202: ContractDetailOut, **ERRORS},
    summary="Générer le contrat et ses annexes (Courtier)",
    description=(
        "Le PDF du contrat à partir du gabarit du Courtier, avec l'annexe modificative, les "
        "conditions du fournisseur, l'échéancier de consommation et le formulaire d'engagement "
        "de responsabilité ; produit après la réponse (202), comme nouvelle version de son "
        "document (generated_at)."
    ),
)
def contract_generate(request: HttpRequest, contract_id: int = path_id()):
    contract = contract_of(request.user, contract_id)
    generation.contract_generate(by=request.user, contract=contract)
    return Status(202, contract_detail(request.user, contract_id))


def _moved(request: HttpRequest, contract_id: int, move, **values) -> dict:
    move(by=request.user, contract=contract_of(request.user, contract_id), **values)
    return contract_detail(request.user, contract_id)


@router.post(
    "/{contract_id}/send-for-review",
    response={200: ContractDetailOut, **ERRORS},
    summary="Transmettre au client pour validation (Courtier)",
    description=(
        "L'admissibilité confirmée, les signataires désignés et les documents générés à jour "
        "(002 §2.5, étape 6)."
    ),
)
def send_for_review(request: HttpRequest, contract_id: int = path_id()):
    return _moved(request, contract_id, transitions.contract_send_for_review)


@router.post(
    "/{contract_id}/approve",
    response={200: ContractDetailOut, **ERRORS},
    summary="Approuver les documents contractuels (client)",
    description="Les personnes qui mènent les acquisitions de l'organisme client (étape 7).",
)
def approve(request: HttpRequest, contract_id: int = path_id()):
    return _moved(request, contract_id, transitions.contract_approve)


@router.post(
    "/{contract_id}/return",
    response={200: ContractDetailOut, **ERRORS},
    summary="Retourner le contrat au Courtier avec un commentaire (client)",
)
def return_to_broker(
    request: HttpRequest, payload: ContractCommentIn, contract_id: int = path_id()
):
    return _moved(request, contract_id, transitions.contract_return, comment=payload.comment)


@router.post(
    "/{contract_id}/validate",
    response={200: ContractDetailOut, **ERRORS},
    summary="Valider la version finale : le cachet du Courtier",
    description=(
        "La dernière version générée, approuvée par le client, reçoit le cachet du Courtier ; "
        "elle se signe telle que présentée (002 §2.3.1)."
    ),
)
def validate(request: HttpRequest, contract_id: int = path_id()):
    return _moved(request, contract_id, transitions.contract_validate)
