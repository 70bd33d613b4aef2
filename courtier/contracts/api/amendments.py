"""Amendments (002 §4.5): asked by the client with its reason and the changes (never a total
beyond 36 months, a new solution, services outside the qualifications or the contractual
conditions), prepared by the broker with its management fee, generated, reviewed, validated
and stamped like a contract; the signatures are in ``signatures``."""

from django.http import HttpRequest
from ninja import Router, Status

from courtier.contracts.api.answers import amendment_of, amendment_out, contract_of
from courtier.contracts.api.schemas import (
    AmendmentOut,
    AmendmentPrepareIn,
    AmendmentRequestIn,
    AmendmentUpdateIn,
    ContractCommentIn,
)
from courtier.contracts.models import Amendment
from courtier.contracts.services import amendments, generation, transitions
from courtier.core.apierrors import ERRORS, path_id

router = Router()


def _out(request: HttpRequest, amendment: Amendment) -> dict:
    return amendment_out(amendment_of(request.user, amendment.pk))


def _changes(changes) -> list[dict] | None:
    if changes is None:
        return None
    return [c.model_dump(mode="json", exclude_none=True) for c in changes]


@router.get(
    "/{contract_id}/amendments",
    response={200: list[AmendmentOut], **ERRORS},
    summary="Les avenants du contrat",
    description="Dans l'ordre de leur numéro, avec leur état, leurs signatures et leur document.",
)
def amendment_list(request: HttpRequest, contract_id: int = path_id()):
    contract = contract_of(request.user, contract_id)
    signatories = list(contract.signatories.all())
    return [
        amendment_out(a, signatories)
        for a in contract.amendments.select_related("contract").order_by("number")
    ]


@router.post(
    "/{contract_id}/amendments",
    response={201: AmendmentOut, **ERRORS},
    summary="Demander un avenant (client)",
    description=(
        "Sur un contrat conclu ou en vigueur, un à la fois, avec le motif et les modifications : "
        "duration (months), amount (cents), component (offer, component) d'une offre du "
        "contrat, services (qualification) du contrat. Jamais au-delà de 36 mois au total, ni une "
        "nouvelle solution, ni les conditions contractuelles (002 §4.5) : 422 sur changes."
    ),
)
def amendment_request(
    request: HttpRequest, payload: AmendmentRequestIn, contract_id: int = path_id()
):
    contract = contract_of(request.user, contract_id)
    amendment = amendments.amendment_request(
        by=request.user, contract=contract, reason=payload.reason, changes=_changes(payload.changes)
    )
    return Status(201, _out(request, amendment))


@router.get(
    "/amendments/{amendment_id}",
    response={200: AmendmentOut, **ERRORS},
    summary="Un avenant",
)
def amendment_get(request: HttpRequest, amendment_id: int = path_id()):
    return amendment_out(amendment_of(request.user, amendment_id))


@router.put(
    "/amendments/{amendment_id}",
    response={200: AmendmentOut, **ERRORS},
    summary="Corriger l'avenant en préparation (Courtier)",
    description="Le motif, les modifications (vérifiées de nouveau) et les frais de gestion.",
)
def amendment_update(
    request: HttpRequest, payload: AmendmentUpdateIn, amendment_id: int = path_id()
):
    amendment = amendments.amendment_update(
        by=request.user,
        amendment=amendment_of(request.user, amendment_id),
        changes=_changes(payload.changes),
        fee_cents=payload.fee_cents,
        reason=payload.reason,
    )
    return _out(request, amendment)


@router.post(
    "/amendments/{amendment_id}/prepare",
    response={200: AmendmentOut, **ERRORS},
    summary="Préparer l'avenant demandé (Courtier)",
    description=(
        "Avec les frais de gestion facturés au client (fee_cents, ≥ 0) et, s'il y a lieu, les "
        "modifications corrigées ; préparé et signé dans les 30 jours (002 §4.5)."
    ),
)
def amendment_prepare(
    request: HttpRequest, payload: AmendmentPrepareIn, amendment_id: int = path_id()
):
    amendments.amendment_prepare(
        by=request.user,
        amendment=amendment_of(request.user, amendment_id),
        changes=_changes(payload.changes),
        fee_cents=payload.fee_cents,
    )
    return amendment_out(amendment_of(request.user, amendment_id))


@router.post(
    "/amendments/{amendment_id}/refuse",
    response={200: AmendmentOut, **ERRORS},
    summary="Refuser la demande d'avenant (Courtier)",
    description="Avec un commentaire obligatoire.",
)
def amendment_refuse(
    request: HttpRequest, payload: ContractCommentIn, amendment_id: int = path_id()
):
    amendments.amendment_refuse(
        by=request.user, amendment=amendment_of(request.user, amendment_id), comment=payload.comment
    )
    return amendment_out(amendment_of(request.user, amendment_id))


@router.post(
    "/amendments/{amendment_id}/withdraw",
    response={200: AmendmentOut, **ERRORS},
    summary="Retirer la demande d'avenant (client)",
    description="Tant qu'il n'est pas validé par le Courtier.",
)
def amendment_withdraw(request: HttpRequest, amendment_id: int = path_id()):
    amendments.amendment_withdraw(
        by=request.user, amendment=amendment_of(request.user, amendment_id)
    )
    return amendment_out(amendment_of(request.user, amendment_id))


@router.post(
    "/amendments/{amendment_id}/generate",
    response={202: AmendmentOut, **ERRORS},
    summary="Générer l'avenant (Courtier)",
    description=(
        "Son numéro, son motif, les modifications, les modalités avant et après et les frais de "
        "gestion ; produit après la réponse (202), comme nouvelle version de son document."
    ),
)
def amendment_generate(request: HttpRequest, amendment_id: int = path_id()):
    generation.amendment_generate(
        by=request.user, amendment=amendment_of(request.user, amendment_id)
    )
    return Status(202, amendment_out(amendment_of(request.user, amendment_id)))


def _moved(request: HttpRequest, amendment_id: int, move, **values) -> dict:
    move(by=request.user, amendment=amendment_of(request.user, amendment_id), **values)
    return amendment_out(amendment_of(request.user, amendment_id))


@router.post(
    "/amendments/{amendment_id}/send-for-review",
    response={200: AmendmentOut, **ERRORS},
    summary="Transmettre l'avenant au client (Courtier)",
    description="L'avenant généré à partir des modifications actuelles.",
)
def amendment_send_for_review(request: HttpRequest, amendment_id: int = path_id()):
    return _moved(request, amendment_id, transitions.amendment_send_for_review)


@router.post(
    "/amendments/{amendment_id}/approve",
    response={200: AmendmentOut, **ERRORS},
    summary="Approuver l'avenant (client)",
)
def amendment_approve(request: HttpRequest, amendment_id: int = path_id()):
    return _moved(request, amendment_id, transitions.amendment_approve)


@router.post(
    "/amendments/{amendment_id}/return",
    response={200: AmendmentOut, **ERRORS},
    summary="Retourner l'avenant au Courtier avec un commentaire (client)",
)
def amendment_return(
    request: HttpRequest, payload: ContractCommentIn, amendment_id: int = path_id()
):
    return _moved(request, amendment_id, transitions.amendment_return, comment=payload.comment)


@router.post(
    "/amendments/{amendment_id}/validate",
    response={200: AmendmentOut, **ERRORS},
    summary="Valider la version finale de l'avenant : le cachet du Courtier",
)
def amendment_validate(request: HttpRequest, amendment_id: int = path_id()):
    return _moved(request, amendment_id, transitions.amendment_validate)
