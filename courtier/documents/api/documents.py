"""The documents a person may see (DOMAIN §7), filtered by type, owner and disposal date; one
document with its versions; a version's bytes; whether a PDF is the version the broker validated
(``verification``)."""

from datetime import date, datetime

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from courtier.core.apierrors import ERRORS, path_id
from courtier.core.pagination import Pagination
from courtier.documents import selectors
from courtier.documents.api import verification
from courtier.documents.models import Document, DocumentStatus
from courtier.documents.selectors import documents_filtered, visible_documents
from courtier.documents.views.download import version_for, version_response
from courtier.files.responses import download_responses
from courtier.files.uploads import DOCUMENT_MEDIA_TYPES

router = Router(tags=["documents"])
MAX_KEY = 2**63 - 1

# First of the routes: « verify » is no document's id (``/{document_id}`` takes any segment).
router.post(
    "/verify",
    response={200: verification.VerificationOut, **ERRORS},
    summary=verification.SUMMARY,
    description=verification.DESCRIPTION,
)(verification.document_verify)


class DocumentVersionOut(Schema):
    number: int
    name: str
    sha256: str
    size: int = Field(description="Octets")
    content_type: str = Field(description="Type trouvé dans le contenu, jamais dans le nom")
    created_at: datetime
    available: bool = Field(description="Faux une fois le contenu éliminé")

    @staticmethod
    def resolve_available(obj) -> bool:
        return obj.stored_id is not None


class DocumentOut(Schema):
    id: int
    type: str
    type_label: str
    title: str
    owner_id: int
    subject_type: str = Field(description="Modèle de l'objet auquel le document appartient")
    subject_id: int
    personal_information: bool
    confidential: bool
    status: DocumentStatus
    disposal_on: date | None = Field(description="Date de disposition (DOMAIN §7)")
    disposal_pending: bool = Field(
        description="Vrai tant que l'événement dont la conservation compte n'est pas arrivé"
    )
    created_at: datetime
    versions: list[DocumentVersionOut]

    @staticmethod
    def resolve_subject_type(obj: Document) -> str:
        return f"{obj.subject_type.app_label}.{obj.subject_type.model}"

    @staticmethod
    def resolve_versions(obj: Document) -> list:
        return sorted(obj.versions.all(), key=lambda v: v.number)


class DocumentFilters(Schema):
    type: str | None = Field(None, description="Code du type de document")
    owner: int | None = Field(None, ge=1, le=MAX_KEY, description="Organisation propriétaire")
    disposal_before: date | None = Field(None, description="Disposition au plus tard ce jour")
    status: DocumentStatus | None = None
    held: bool | None = Field(
        None, description="Vrai : visés par un blocage juridique actif; faux : aucun blocage"
    )


@router.get("", response={200: list[DocumentOut], **ERRORS}, summary="Documents visibles")
@paginate(Pagination)
def document_list(request: HttpRequest, filters: Query[DocumentFilters]):
    """Les documents que la personne peut voir, du plus récent au plus ancien."""
    return documents_filtered(request.user, selectors.DocumentFilters(**filters.dict()))


@router.get("/{document_id}", response={200: DocumentOut, **ERRORS}, summary="Un document")
def document_detail(request: HttpRequest, document_id: int = path_id()):
    document = (
        visible_documents(request.user).select_related("subject_type").filter(pk=document_id)
    ).first()
    if document is None:
        raise Http404
    return document


@router.get(
    "/{document_id}/content",
    response={**ERRORS},
    summary="Télécharger un document",
    openapi_extra=download_responses(
        "Le contenu d'une version (la dernière sans « version »), avec le type trouvé dans ses "
        "octets; le téléchargement d'un document confidentiel est inscrit au journal d'audit",
        DOCUMENT_MEDIA_TYPES,
    ),
)
def document_content(
    request: HttpRequest,
    document_id: int = path_id(),
    version: int | None = Query(None, ge=1, le=2**31 - 1),
):
    return version_response(request.user, version_for(request.user, document_id, version))
