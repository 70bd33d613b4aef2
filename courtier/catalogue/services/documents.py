"""Supporting documents (002 §2.3.1): templates and guides the broker publishes, each in
numbered versions that all stay downloadable."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from courtier.accounts import permissions
from courtier.accounts.models import User
from courtier.accounts.rules import Perm
from courtier.audit.services import audit_event_record
from courtier.catalogue.messages import DOCUMENT_TITLE_TAKEN
from courtier.catalogue.models import SupportingDocument, SupportingDocumentVersion
from courtier.catalogue.services.records import supporting_version_keep
from courtier.files.services import stored_file_save


@transaction.atomic
def supporting_document_publish(
    *,
    by: User | None,
    kind: str,
    title: str,
    file_name: str,
    content: bytes,
    content_type: str,
    notes: str = "",
    description: str = "",
) -> SupportingDocumentVersion:
    """Publish a new version of a template or guide (002 §2.3.1). Earlier versions stay."""
    if by is not None:
        permissions.require_perm(by, Perm.PUBLISH_CATALOGUE)
    document, created = SupportingDocument.objects.select_for_update().get_or_create(
        title=title.strip(), defaults={"kind": kind, "description": description.strip()}
    )
    if not created and document.kind != kind:
        raise ValidationError({"title": DOCUMENT_TITLE_TAKEN})
    stored = stored_file_save(by=by, name=file_name, content=content, content_type=content_type)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = SupportingDocumentVersion.objects.create(
        document=document, number=number, file=stored, notes=notes.strip(), published_by=by
    )
    supporting_version_keep(by=by, document=document, name=file_name, stored=stored)
    audit_event_record(
        actor=by,
        action="supporting_document.published",
        obj=version,
        after={
            "document": document.title,
            "number": number,
            "sha256": stored.sha256,
            "notes": version.notes,
        },
    )
    return version
