"""A document's bytes leave only here (pages) and through the API's twin: the person must see
the document; a confidential or personal one's download is written to the audit trail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from courtier.documents.models import DocumentVersion
from courtier.documents.selectors import visible_documents
from courtier.documents.services.store import document_download_record
from courtier.files.responses import stored_file_response


def version_for(user, pk: int, number: int | None = None) -> DocumentVersion:
    """The version (the current one without ``number``) of a document the person sees; 404
    otherwise, and 410-like 404 when its content was disposed of."""
    document = visible_documents(user).filter(pk=pk).first()
    if document is None:
        raise Http404
    versions = {v.number: v for v in document.versions.all()}
    version = versions.get(number) if number is not None else document.current
    if version is None or version.stored is None or not version.stored.file:
        raise Http404
    version.document = document
    return version


def version_response(user, version: DocumentVersion) -> HttpResponse:
    document_download_record(by=user, version=version)
    return stored_file_response(version.stored, version.name)


@login_required
def download(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    return version_response(request.user, version_for(request.user, pk, number))


urlpatterns = [
    path("<int:pk>/telecharger/", download, name="download"),
    path("<int:pk>/versions/<int:number>/telecharger/", download, name="download_version"),
]
