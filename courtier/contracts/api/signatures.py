"""Signatures (002 §2.5 steps 8-9, §4.5; DOMAIN §7), the same for a contract and an amendment:
in the platform (the signer enters the password again and names the version read, the one the
broker validated), or on paper (recorded by the signatory or its party's people, the signed
copy joined now or later), in order: the client's signatories, then the supplier's."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from courtier.accounts import permissions
from courtier.acquisitions.api.common import _fields
from courtier.contracts.api.answers import amendment_of, contract_of, signature_out
from courtier.contracts.api.schemas import (
    ContractPaperSignatureIn,
    ContractSignatureOut,
    ContractSignIn,
)
from courtier.contracts.models import Signature
from courtier.contracts.services import signing
from courtier.core.apierrors import ERRORS, path_id
from courtier.files.uploads import MAX_UPLOAD_MB, Upload

router = Router()
NO_DOCUMENT = File(None)

SIGN = (
    "Le signataire dont c'est le tour saisit de nouveau son mot de passe et nomme la version "
    "lue (version_id : la version validée par le Courtier, la dernière de sa chaîne) ; une "
    "signature PAdES s'ajoute au PDF comme nouvelle version. La dernière signature du client "
    "passe au fournisseur ; celle du fournisseur conclut."
)
PAPER = (
    f"Formulaire multipart : signatory_id, signed_on et la copie signée (document, un PDF, "
    f"{MAX_UPLOAD_MB} Mo au plus), ou sans copie si elle suit (5 jours ouvrables, DOMAIN §7). "
    "Par le signataire ou les personnes de sa partie, dans le même ordre qu'en ligne."
)


def _signed(instrument: Any, request: HttpRequest, payload: ContractSignIn) -> dict:
    signature = signing.instrument_sign(
        by=request.user,
        instrument=instrument,
        password=payload.password,
        version_id=payload.version_id,
    )
    return signature_out(signature)


def _paper(
    instrument: Any,
    request: HttpRequest,
    payload: ContractPaperSignatureIn,
    document: UploadedFile | None,
) -> dict:
    upload = Upload.from_api(document, "document") if document is not None else None
    with _fields(content="document", signatory="signatory_id"):
        signature = signing.instrument_paper_signature_record(
            by=request.user,
            instrument=instrument,
            signatory_id=payload.signatory_id,
            signed_on=payload.signed_on,
            content=upload.content if upload else None,
            name=upload.name if upload else "",
        )
    return signature_out(signature)


@router.post(
    "/{contract_id}/sign",
    response={201: ContractSignatureOut, **ERRORS},
    summary="Signer le contrat dans la plateforme",
    description=SIGN,
)
def contract_sign(request: HttpRequest, payload: ContractSignIn, contract_id: int = path_id()):
    return Status(201, _signed(contract_of(request.user, contract_id), request, payload))


@router.post(
    "/{contract_id}/paper-signatures",
    response={201: ContractSignatureOut, **ERRORS},
    summary="Consigner une signature du contrat faite sur papier",
    description=PAPER,
)
def contract_paper_signature(
    request: HttpRequest,
    payload: Form[ContractPaperSignatureIn],
    document: UploadedFile | None = NO_DOCUMENT,
    contract_id: int = path_id(),
):
    contract = contract_of(request.user, contract_id)
    return Status(201, _paper(contract, request, payload, document))


@router.post(
    "/amendments/{amendment_id}/sign",
    response={201: ContractSignatureOut, **ERRORS},
    summary="Signer l'avenant dans la plateforme",
    description=SIGN,
)
def amendment_sign(request: HttpRequest, payload: ContractSignIn, amendment_id: int = path_id()):
    return Status(201, _signed(amendment_of(request.user, amendment_id), request, payload))


@router.post(
    "/amendments/{amendment_id}/paper-signatures",
    response={201: ContractSignatureOut, **ERRORS},
    summary="Consigner une signature de l'avenant faite sur papier",
    description=PAPER,
)
def amendment_paper_signature(
    request: HttpRequest,
    payload: Form[ContractPaperSignatureIn],
    document: UploadedFile | None = NO_DOCUMENT,
    amendment_id: int = path_id(),
):
    amendment = amendment_of(request.user, amendment_id)
    return Status(201, _paper(amendment, request, payload, document))


@router.post(
    "/signatures/{signature_id}/copy",
    response={200: ContractSignatureOut, **ERRORS},
    summary="Joindre la copie signée sur papier qui était attendue",
    description=(
        f"Formulaire multipart : la copie (document, un PDF, {MAX_UPLOAD_MB} Mo au plus), gardée à "
        "côté de la version validée ; la transmission au Courtier se complète quand la dernière "
        "copie attendue est là."
    ),
)
def signature_copy_add(
    request: HttpRequest, document: File[UploadedFile], signature_id: int = path_id()
):
    signature = (
        permissions.scope(request.user, Signature.objects.select_related("contract"))
        .filter(pk=signature_id)
        .first()
    )
    if signature is None:
        raise Http404
    upload = Upload.from_api(document, "document")
    with _fields(content="document"):
        signature = signing.signature_copy_add(
            by=request.user, signature=signature, content=upload.content, name=upload.name
        )
    return signature_out(signature)
