"""The file's documents (DOMAIN §7), downloaded by whoever sees the file."""

from django.http import Http404, HttpRequest
from ninja import Router

from courtier.acquisitions import selectors
from courtier.core.apierrors import ERRORS, path_id
from courtier.files.responses import download_responses, stored_file_response
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
    document = file.documents.select_related("stored").filter(pk=document_id).first()
    if document is None:
        raise Http404
    return stored_file_response(document.stored)
