"""Moving files an app kept on its own into the document store (issue 11 §1), for the apps'
data migrations: with the historical models (``apps``), never the current ones, so a migration
written today still runs after the models change. The bytes stay where they are: each version
points at the same stored file, so its SHA-256 is unchanged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from courtier.documents import rules, types


@dataclass(frozen=True)
class Kept:
    """One version to move: the stored file (historical ``files.StoredFile``), its name, who
    kept it and when."""

    stored: Any
    name: str
    created_by_id: int | None
    created_at: datetime


def subject_type(apps: Any, app_label: str, model: str) -> Any:
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def keep_in_store(
    apps: Any,
    *,
    subject_type: Any,
    subject_id: int,
    owner_id: int,
    type: str,
    title: str,
    versions: Iterable[Kept],
    key: str = "",
    contract_end: date | None = None,
) -> Any:
    """One store document with its versions in order; its disposal date from the type's rule
    (DOMAIN §7), counted from the first version and ``contract_end`` when known."""
    Document = apps.get_model("documents", "Document")
    DocumentVersion = apps.get_model("documents", "DocumentVersion")
    kind = types.get(type)
    versions = list(versions)
    first = versions[0]
    when = rules.disposal_date(
        kind.retention, kept_on=timezone.localdate(first.created_at), contract_end=contract_end
    )
    document = Document.objects.create(
        type=type,
        title=title[:300],
        owner_id=owner_id,
        subject_type=subject_type,
        subject_id=subject_id,
        personal_information=kind.personal_information,
        confidential=kind.confidential,
        disposal_on=when.on,
        disposal_pending=when.pending,
        key=key,
        created_by_id=first.created_by_id,
        created_at=first.created_at,
    )
    DocumentVersion.objects.bulk_create(
        DocumentVersion(
            document=document,
            number=number,
            stored=version.stored,
            sha256=version.stored.sha256,
            size=version.stored.size,
            content_type=version.stored.content_type,
            name=version.name[:255],
            created_by_id=version.created_by_id,
            created_at=version.created_at,
        )
        for number, version in enumerate(versions, start=1)
    )
    return document
