"""Is this PDF the version the broker validated? (DOMAIN §7; 002 §4.5.) The twin of the
verification page: a PDF sent as a multipart upload, the verdict of
``verification.verify_pdf`` with, for a registered version, what was validated, by whom, when
and its code, and the signatures added after the stamp. Nothing sent is kept. Its schemas and
handler; ``api.documents`` registers it."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, File, Schema, UploadedFile

from courtier.documents import messages
from courtier.documents.verification import Status, Verification, pdf_of, verify_pdf
from courtier.files.uploads import MAX_UPLOAD_MB

# Optional to ninja, required by the operation: its own refusal then names the form's field
# « file » (ninja's would name « file.file », its location and the parameter).
OPTIONAL_FILE = File(None)


class ValidatedVersionOut(Schema):
    label: str = Field(description="Ce qui a été validé (« Contrat spécifique C-2026-0007 »)")
    code: str = Field(description="Le code de vérification imprimé sur le cachet")
    validated_by: str = Field(description="Le nom de l'agent du Courtier qui l'a validée")
    validated_at: datetime


class LaterSignatureOut(Schema):
    field: str = Field(description="Le nom du champ de signature")
    signer_name: str
    signed_at: datetime | None = Field(description="Telle que le signataire la déclare")
    intact: bool = Field(description="Faux si la signature ne correspond plus au document")
    by_platform: bool = Field(description="Faite avec la clé de la plateforme du Courtier")


class VerificationOut(Schema):
    status: Status = Field(
        description=(
            "validated : exactement la version validée; validated_signed : la version validée, "
            "signée depuis (rien d'autre n'a changé); altered : modifiée depuis, ou un cachet ou "
            "une signature invalide; unknown : aucun cachet du Courtier"
        )
    )
    label: str
    message: str
    problems: list[str] = Field(description="Ce qui a été trouvé d'anormal, en français")
    sha256: str = Field(description="L'empreinte SHA-256 du fichier envoyé")
    validated: ValidatedVersionOut | None = Field(description="La version validée reconnue")
    signatures: list[LaterSignatureOut] = Field(description="Les signatures ajoutées depuis")


def verification_out(result: Verification) -> dict:
    validated = result.validated
    return {
        "status": result.status,
        "label": result.label,
        "message": result.message,
        "problems": list(result.problems),
        "sha256": result.sha256,
        "validated": (
            {
                "label": validated.label,
                "code": validated.code,
                "validated_by": result.validated_by_name,
                "validated_at": validated.validated_at,
            }
            if validated is not None
            else None
        ),
        "signatures": [
            {
                "field": s.field,
                "signer_name": s.signer_name,
                "signed_at": s.signed_at,
                "intact": s.intact,
                "by_platform": s.trusted,
            }
            for s in result.signatures
        ],
    }


SUMMARY = "Vérifier un document validé par le Courtier"
DESCRIPTION = (
    f"Formulaire multipart : le PDF (file, {MAX_UPLOAD_MB} Mo au plus). Répond si c'est "
    "exactement la version validée et tamponnée par le Courtier, cette version signée depuis, "
    "un document altéré, ou un document sans cachet du Courtier. Le fichier n'est pas conservé."
)


def document_verify(request: HttpRequest, file: UploadedFile | None = OPTIONAL_FILE):
    """The operation ``POST /documents/verify`` (registered first by ``api.documents``)."""
    if file is None:
        raise ValidationError({"file": messages.VERIFY_FILE_REQUIRED})
    return verification_out(verify_pdf(pdf_of(file, "file")))
