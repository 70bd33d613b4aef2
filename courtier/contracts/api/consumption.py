"""Consumption and termination (002 §4.4; DOMAIN §7): the orders and invoices against the current
authorised amount with the month it runs out, one recorded (its file joined or not) or a whole
CSV file of them, and the termination with its letter."""

from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from courtier.acquisitions.api.common import _fields
from courtier.contracts import selectors
from courtier.contracts.api.answers import (
    consumption_summary,
    contract_detail,
    contract_of,
    entry_out,
)
from courtier.contracts.api.schemas import (
    ConsumptionEntryIn,
    ConsumptionEntryOut,
    ConsumptionOut,
    ContractDetailOut,
    ContractTerminationIn,
)
from courtier.contracts.models import ConsumptionEntry
from courtier.contracts.services import consumption, termination
from courtier.core.apierrors import ERRORS, path_id
from courtier.files.uploads import MAX_UPLOAD_MB, Upload

router = Router()
NO_DOCUMENT = File(None)


@router.get(
    "/{contract_id}/consumption",
    response={200: ConsumptionOut, **ERRORS},
    summary="La consommation du contrat",
    description=(
        "Commandes et factures contre le montant autorisé actuel (avenants signés compris), en "
        "montants et en pourcentages, le mois où il serait épuisé au rythme depuis le début, les "
        "cumuls de chaque mois et chaque commande ou facture (002 §4.4)."
    ),
)
def consumption_get(request: HttpRequest, contract_id: int = path_id()):
    contract = contract_of(request.user, contract_id)
    return {
        "summary": consumption_summary(contract),
        "series": [
            {"month": p.month, "ordered_cents": p.ordered_cents, "consumed_cents": p.consumed_cents}
            for p in selectors.consumption_series(contract)
        ],
        "entries": [entry_out(e) for e in ConsumptionEntry.objects.filter(contract=contract)],
    }


@router.post(
    "/{contract_id}/entries",
    response={201: ConsumptionEntryOut, **ERRORS},
    summary="Consigner une commande ou une facture du fournisseur",
    description=(
        f"Formulaire multipart : kind (order ou invoice), number, dated_on, amount_cents, "
        f"description et, s'il y a lieu, le document (document, {MAX_UPLOAD_MB} Mo au plus). "
        "Une commande au-delà de 100 % du montant autorisé est refusée tant qu'un avenant ne l'a "
        "pas augmenté ; les factures qui atteignent 80 % puis 100 % en avisent le client, une "
        "fois chacun."
    ),
)
def entry_record(
    request: HttpRequest,
    payload: Form[ConsumptionEntryIn],
    document: UploadedFile | None = NO_DOCUMENT,
    contract_id: int = path_id(),
):
    contract = contract_of(request.user, contract_id)
    upload = Upload.from_api(document, "document") if document is not None else None
    with _fields(file="document"):
        entry = consumption.entry_record(
            by=request.user,
            contract=contract,
            kind=payload.kind,
            number=payload.number,
            dated_on=payload.dated_on,
            amount_cents=payload.amount_cents,
            description=payload.description,
            content=upload.content if upload else None,
            name=upload.name if upload else "",
        )
    return Status(201, entry_out(entry))


@router.post(
    "/{contract_id}/entries/import",
    response={201: list[ConsumptionEntryOut], **ERRORS},
    summary="Importer des commandes et des factures (CSV)",
    description=(
        "Formulaire multipart : le fichier (file), en UTF-8, d'en-tête "
        "type,numero,date,montant,description ; type « commande » ou « facture », montant en "
        "dollars (virgule ou point). Chaque ligne fautive est nommée et le fichier entier "
        "refusé, ou toutes les lignes sont consignées."
    ),
)
def entries_import(request: HttpRequest, file: File[UploadedFile], contract_id: int = path_id()):
    contract = contract_of(request.user, contract_id)
    entries = consumption.entries_import(
        by=request.user, contract=contract, content=file.read(), name=file.name or ""
    )
    return Status(201, [entry_out(e) for e in entries])


@router.post(
    "/{contract_id}/termination",
    response={201: ContractDetailOut, **ERRORS},
    summary="Résilier le contrat (client)",
    description=(
        f"Formulaire multipart : effective_on, reason et la lettre de résiliation (letter, un "
        f"PDF, {MAX_UPLOAD_MB} Mo au plus), transmise au Courtier sur-le-champ ; la conservation "
        "des documents compte de la nouvelle fin (DOMAIN §7)."
    ),
)
def contract_terminate(
    request: HttpRequest,
    payload: Form[ContractTerminationIn],
    letter: File[UploadedFile],
    contract_id: int = path_id(),
):
    contract = contract_of(request.user, contract_id)
    upload = Upload.from_api(letter, "letter")
    termination.contract_terminate(
        by=request.user,
        contract=contract,
        effective_on=payload.effective_on,
        reason=payload.reason,
        content=upload.content,
        name=upload.name,
    )
    return Status(201, contract_detail(request.user, contract_id))
