"""API: the supporting documents the broker publishes (templates and guides, 002 §2.3.1), each
with all its versions and their files."""

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from ninja import Router

from courtier.accounts import permissions
from courtier.catalogue.api.schemas import SupportingDocumentOut
from courtier.catalogue.models import (
    SupportingDocument,
    SupportingDocumentKind,
    SupportingDocumentVersion,
)
from courtier.core.apierrors import ERRORS

router = Router()


def _download_url(version: SupportingDocumentVersion) -> str | None:
    try:
        return reverse("catalogue:file_download", args=[version.file.sha256])
    except NoReverseMatch:
        return None


@router.get(
    "/documents",
    response={200: list[SupportingDocumentOut], **ERRORS},
    summary="Documents de soutien",
    description=(
        "Gabarits et guides publiés par le Courtier, chacun avec toutes ses versions "
        "(empreinte SHA-256 et adresse de téléchargement du fichier)."
    ),
)
def document_list(request: HttpRequest, kind: SupportingDocumentKind | None = None):
    versions = permissions.scope(
        request.user, SupportingDocumentVersion.objects.select_related("file")
    ).order_by("-number")
    documents = permissions.scope(request.user, SupportingDocument.objects.all())
    if kind:
        documents = documents.filter(kind=kind)
    return [
        {
            "id": document.pk,
            "kind": document.kind,
            "title": document.title,
            "description": document.description,
            "versions": [
                {
                    "number": version.number,
                    "notes": version.notes,
                    "published_at": version.published_at,
                    "file": {
                        "name": version.file.name,
                        "content_type": version.file.content_type,
                        "size": version.file.size,
                        "sha256": version.file.sha256,
                        "download_url": _download_url(version),
                    },
                }
                for version in document.versions.all()
            ],
        }
        for document in documents.prefetch_related(Prefetch("versions", queryset=versions))
    ]
