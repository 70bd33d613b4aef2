"""The broker's validation stamp (DOMAIN §7; 002 §2.3.1, §4.5: final versions are signed as
presented): when a broker agent validates the final version of a contract or an amendment, the
PDF is certified with the broker's key and stamped with a verification code (``signing``), the
stamped bytes are kept as a new version of their document, and the registry
(``ValidatedVersion``) records who validated what, when, and the SHA-256 of those exact bytes:
``verification.verify_pdf`` proves a signed copy is that version."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation

from courtier.audit.services import audit_event_record
from courtier.core.formatting import moment
from courtier.documents import messages, policies, rules
from courtier.documents.models import Document, ValidatedVersion
from courtier.documents.services.store import document_version_add
from courtier.documents.signing import SigningRefused, stamp_pdf
from courtier.documents.verification import person_name

STAMPED = "document.stamped"


def _new_code() -> str:
    """A code no validated version has (about 50 bits: a repeat is all but impossible, and the
    unique constraint would refuse it)."""
    while True:
        code = rules.code_new(secrets.choice)
        if not ValidatedVersion.objects.filter(code=code).exists():
            return code


def stamp_lines(*, by: Any, at: Any, label: str) -> list[str]:
    """What the stamp says under its heading: who validated, when (fr-CA, the documents'
    language whatever the page's), what."""
    with translation.override("fr-ca"):
        who = str(messages.STAMP_BY) % {"name": person_name(by)}
        when = str(messages.STAMP_ON) % {"moment": moment(at)}
    return [who, when, label]


def document_stamp(
    *, by: Any, document: Document, pdf: bytes, label: str, name: str
) -> ValidatedVersion:
    """Stamp ``pdf`` (the final version ``by`` validated, a PDF) as the broker, keep the stamped
    bytes as a new version ``name`` of ``document`` and register them under ``label`` (what was
    validated: « Contrat spécifique C-2026-0007 »). Refused (403) to anyone but the broker's
    admins and agents; a file that is not a PDF is refused on ``file``."""
    if not policies.may_stamp(by):
        raise PermissionDenied
    code, at = _new_code(), timezone.now()
    try:  # signing touches no row: done before the transaction locks the document
        stamped = stamp_pdf(pdf, code=code, lines=stamp_lines(by=by, at=at, label=label))
    except SigningRefused as refused:
        raise ValidationError({"file": str(refused)}) from None
    with transaction.atomic():
        version = document_version_add(by=by, document=document, name=name, content=stamped)
        validated = ValidatedVersion.objects.create(
            version=version,
            sha256=version.sha256,
            code=code,
            label=label[:300],
            validated_by=by,
            validated_at=at,
        )
        audit_event_record(
            actor=by,
            action=STAMPED,
            obj=validated,
            organisation=document.owner_id,
            after={
                "title": document.title,
                "version": version.number,
                "sha256": version.sha256,
                "code": code,
                "label": validated.label,
            },
        )
    return validated
