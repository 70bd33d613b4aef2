"""Supporting documents (templates and guides with their versions, 002 §2.3.1; the broker
publishes here) and the download of stored files, to whoever may see something that points
at them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.catalogue.forms import SupportingDocumentForm
from courtier.catalogue.models import (
    PriceImport,
    SheetDraft,
    SheetVersion,
    SupportingDocument,
    SupportingDocumentVersion,
)
from courtier.catalogue.policies import may_see_drafts
from courtier.catalogue.services.documents import supporting_document_publish
from courtier.catalogue.views.access import require_browse
from courtier.core.forms import submit
from courtier.files.models import StoredFile
from courtier.files.responses import stored_file_response
from courtier.files.uploads import Upload

SHA256 = re.compile(r"^[0-9a-f]{64}$")


@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest) -> HttpResponse:
    """Templates and guides with their versions (latest first); the broker publishes here."""
    require_browse(request)
    can_publish = permissions.has_perm(request.user, Perm.PUBLISH_CATALOGUE)
    form = SupportingDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        permissions.require_perm(request.user, Perm.PUBLISH_CATALOGUE)

        def publish(data: dict[str, Any]) -> Any:
            upload = Upload.from_form(data["file"])
            return supporting_document_publish(
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                notes=data["notes"],
                file_name=upload.name,
                content=upload.content,
                content_type=upload.content_type,
            )

        done = submit(form, publish)
        if done.ok:
            messages.success(
                request,
                _("Version %(n)s publiée : %(title)s.")
                % {"n": done.result.number, "title": done.result.document.title},
            )
            return redirect("catalogue:documents")
    docs = permissions.scope(request.user, SupportingDocument.objects.all()).prefetch_related(
        Prefetch(
            "versions",
            queryset=SupportingDocumentVersion.objects.select_related("file").order_by("-number"),
        )
    )
    return render(
        request,
        "catalogue/documents.html",
        {"documents": docs, "form": form, "can_publish": can_publish},
        status=422 if form.errors else 200,
    )


def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    version = permissions.get_visible_or_404(
        request.user, SupportingDocumentVersion.objects.select_related("file"), pk=pk
    )
    return stored_file_response(version.file)


def file_download(request: HttpRequest, sha256: str) -> HttpResponse:
    """A stored file, to whoever may see something that points at it: a supporting document's
    version, a sheet version or a proposal listing it among its documents, a price import."""
    if not SHA256.match(sha256):
        raise Http404
    stored = StoredFile.objects.filter(sha256=sha256).first()
    if stored is None:
        raise Http404
    user = request.user
    if permissions.scope(user, SupportingDocumentVersion.objects.filter(file=stored)).exists():
        return stored_file_response(stored)
    if permissions.scope(user, PriceImport.objects.filter(file=stored)).exists():
        return stored_file_response(stored)
    for model in (SheetVersion, SheetDraft):
        if model is SheetDraft and not may_see_drafts(user):
            continue
        rows = permissions.scope(user, model.objects.filter(content__icontains=sha256))
        for content in rows.values_list("content", flat=True)[:50]:
            docs = content.get("documents", []) if isinstance(content, dict) else []
            for doc in docs:
                if isinstance(doc, Mapping) and doc.get("file_sha256") == sha256:
                    return stored_file_response(stored, str(doc.get("file_name") or "") or None)
    raise Http404
