"""The file's documents (DOMAIN §7), kept in the document store: downloaded by whoever sees the
file and the document, through the store's permission check (restricted downloads audited)."""

from django.http import Http404, HttpRequest
from ninja import Router

from courtier.acquisitions import selectors
from courtier.core.apierrors import ERRORS, path_id
from courtier.documents import subjects
from courtier.documents.views.download import version_for, version_response
from courtier.files.responses import download_responses
from courtier.files.uploads import DOCUMENT_MEDIA_TYPES

router = Router()


@router.get(
    "/files/{file_id}/documents/{document_id}",
    response={**ERRORS},
    url_name="acquisition_document",
    summary="Télécharger un document du dossier",
    openapi_extra=download_responses(
        "Le fichier, tel qu'il a été gardé : un document produit par le dossier (PDF, XLSX) ou "
        "joint (formats bureautiques et PDF), avec son type",
        DOCUMENT_MEDIA_TYPES,  # generated documents are PDF or XLSX, two of these
    ),
)
def document_download(request: HttpRequest, file_id: int = path_id(), document_id: int = path_id()):
    file = selectors.file_for(request.user, file_id)
    version = version_for(request.user, document_id)
    document = version.document
    if (document.subject_type_id, document.subject_id) != (subjects.content_type(file).pk, file.pk):
        raise Http404
    return version_response(request.user, version)
