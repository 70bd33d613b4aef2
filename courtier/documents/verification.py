"""Is this PDF the version the broker validated? (DOMAIN §7; 002 §2.3.1, §4.5: final versions
are signed as presented.) ``verify_pdf`` reads the file's signatures (``signing.inspect_pdf``)
and the registry of validated versions (``ValidatedVersion``), and answers one of four:

- ``VALIDATED``: the bytes are exactly a registered stamped version;
- ``VALIDATED_SIGNED``: the revision the broker's stamp certified is a registered version, and
  every revision after it is one intact signature (the certification allows signing, nothing
  else: the content is the validated one); the later signatures are listed;
- ``ALTERED``: a stamp or signature is there but a hash or a signature fails, the certified
  revision is not in the registry, or something else than signatures was changed after it;
- ``UNKNOWN``: no stamp of the broker at all (never stamped, not a PDF, or certified, intact,
  with another key than the broker's: trust is by key, whatever a stamp draws or names).

A damaged signed file (signature byte ranges in its bytes that do not read as signatures) is
``ALTERED``, with the registered version it was when one of its prefixes is. What a later
signature leaves unsigned in its own container (the padding of its /Contents) is no content: a
change there leaves the document and every signature as they were.

Reads only (no service): the page, the API and ``courtier verify-document`` share it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courtier.documents import messages, rules, subjects
from courtier.documents.models import Document, ValidatedVersion
from courtier.documents.signing import Inspection, SignatureFacts, inspect_pdf, looks_like_pdf
from courtier.files.inspection import media_type_of
from courtier.files.uploads import FILE_EMPTY, FILE_TOO_LARGE, MAX_UPLOAD_BYTES, MAX_UPLOAD_MB

PDF = "application/pdf"


class Status(StrEnum):
    VALIDATED = "validated"
    VALIDATED_SIGNED = "validated_signed"
    ALTERED = "altered"
    UNKNOWN = "unknown"


LABELS = {
    Status.VALIDATED: _("Version validée par le Courtier"),
    Status.VALIDATED_SIGNED: _("Version validée par le Courtier, signée depuis"),
    Status.ALTERED: _("Document altéré"),
    Status.UNKNOWN: _("Aucun cachet du Courtier"),
}
MESSAGES = {
    Status.VALIDATED: messages.VERIFIED_VALIDATED,
    Status.VALIDATED_SIGNED: messages.VERIFIED_SIGNED,
    Status.ALTERED: messages.VERIFIED_ALTERED,
    Status.UNKNOWN: messages.VERIFIED_UNKNOWN,
}
# What may follow the last signature without signing: validation data (DSS, timestamps).
AFTER_LAST_SIGNATURE = frozenset({"none", "lta_updates"})


@dataclass(frozen=True)
class Verification:
    status: Status
    sha256: str = ""  # of the bytes checked (empty for a code looked up)
    problems: tuple[str, ...] = ()  # French: what was found wrong or missing
    validated: ValidatedVersion | None = None  # the registry's row, when one was recognised
    signatures: tuple[SignatureFacts, ...] = field(default=())  # made after the stamp

    @property
    def ok(self) -> bool:
        return self.status in (Status.VALIDATED, Status.VALIDATED_SIGNED)

    @property
    def label(self) -> str:
        return str(LABELS[self.status])

    @property
    def message(self) -> str:
        return str(MESSAGES[self.status])

    @property
    def code(self) -> str:
        return self.validated.code if self.validated else ""

    @property
    def validated_label(self) -> str:
        return self.validated.label if self.validated else ""

    @property
    def validated_by_name(self) -> str:
        return validator_name(self.validated) if self.validated else ""

    @property
    def validated_at(self) -> datetime | None:
        return self.validated.validated_at if self.validated else None

    @property
    def document(self) -> Document | None:
        return self.validated.version.document if self.validated else None

    @property
    def subject_label(self) -> str:
        """« contrat « C-2026-0007 » »: what the validated document belongs to."""
        document = self.document
        subject = document.subject if document is not None else None
        return subjects.label(subject) if subject is not None else ""


def person_name(person: Any) -> str:
    """How the stamp and the verification name a person: their full name, else their email."""
    return person.get_full_name() or person.email


def validator_name(validated: ValidatedVersion) -> str:
    return person_name(validated.validated_by)


def _rows() -> Any:
    return ValidatedVersion.objects.select_related("validated_by", "version__document")


def _registered(*sha256s: str) -> ValidatedVersion | None:
    return _rows().filter(sha256__in=[s for s in sha256s if s]).first()


def _signed_only(inspection: Inspection, stamp: SignatureFacts) -> bool:
    """Every revision after the stamp is one signature's own, the stamp's certification allows
    what they changed, and nothing but validation data follows the last one."""
    later = inspection.after_certification
    revisions = [s.revision for s in later]
    expected = list(range(stamp.revision + 1, stamp.revision + 1 + len(later)))
    last = later[-1] if later else stamp
    return (
        revisions == expected
        and stamp.changes_allowed is True
        and all(s.changes_allowed is True for s in later)
        and (last.whole_file or last.modification_level in AFTER_LAST_SIGNATURE)
    )


def _altered(inspection: Inspection, stamp: SignatureFacts) -> list[str]:
    problems = []
    if not stamp.intact:
        problems.append(str(messages.STAMP_BROKEN))
    problems += [
        str(messages.SIGNATURE_BROKEN) % {"name": s.signer_name or s.field}
        for s in inspection.after_certification
        if not s.intact
    ]
    if not _signed_only(inspection, stamp):
        problems.append(str(messages.CHANGED_AFTER_STAMP))
    return problems


def verify_pdf(pdf: bytes) -> Verification:
    """What ``pdf`` is with regard to the broker's stamp (see the module's docstring)."""
    sha256 = hashlib.sha256(pdf).hexdigest()
    exact = _registered(sha256)
    if exact is not None:
        return Verification(Status.VALIDATED, sha256, validated=exact)
    inspection = inspect_pdf(pdf)
    if inspection.unreadable:  # signed once, damaged since
        found = _registered(inspection.certified_sha256, *inspection.candidates)
        problem = str(messages.SIGNATURES_UNREADABLE)
        return Verification(Status.ALTERED, sha256, (problem,), validated=found)
    if not inspection.is_pdf:
        problem = messages.PDF_UNREADABLE if looks_like_pdf(pdf) else messages.NOT_A_PDF
        return Verification(Status.UNKNOWN, sha256, (str(problem),))
    if not inspection.signatures:
        return Verification(Status.UNKNOWN, sha256, (str(messages.NO_SIGNATURE),))
    stamp = inspection.certification
    if stamp is None:
        broken = tuple(
            str(messages.SIGNATURE_BROKEN) % {"name": s.signer_name or s.field}
            for s in inspection.signatures
            if not s.intact
        )
        if broken:  # a signature is there but fails: whatever it was, this is not it
            found = _registered(*inspection.candidates)
            return Verification(Status.ALTERED, sha256, broken, validated=found)
        return Verification(Status.UNKNOWN, sha256, (str(messages.NO_CERTIFICATION),))
    found = _registered(inspection.certified_sha256)
    later = inspection.after_certification
    if found is None:
        if not stamp.intact:  # whoever made it, it no longer matches the content
            broken = messages.STAMP_BROKEN if stamp.by_broker else messages.CERTIFICATION_BROKEN
            return Verification(Status.ALTERED, sha256, (str(broken),), signatures=later)
        if not stamp.by_broker:
            return Verification(Status.UNKNOWN, sha256, (str(messages.FOREIGN_CERTIFICATION),))
        problem = messages.STAMP_NOT_REGISTERED
        return Verification(Status.ALTERED, sha256, (str(problem),), signatures=later)
    problems = _altered(inspection, stamp)
    if problems or not later:  # not the exact version, yet nothing signed after it
        problems = problems or [str(messages.CHANGED_AFTER_STAMP)]
        return Verification(Status.ALTERED, sha256, tuple(problems), found, later)
    return Verification(Status.VALIDATED_SIGNED, sha256, (), found, later)


def verify_code(code: str) -> ValidatedVersion | None:
    """The validated version a stamp's verification code names (typed in any case, with or
    without its hyphens), None when none does or it cannot be a code."""
    read = rules.code_read(code or "")
    if read is None:
        return None
    return _rows().filter(code=read).first()


def pdf_of(upload: Any, field: str = "file") -> bytes:
    """The bytes of a file sent to be verified (a page's or the API's upload): within the upload
    limit and a PDF by its bytes, never its name; refusals name ``field``. The other upload
    checks (``files.inspection``) are left out on purpose: a damaged or altered PDF must reach
    the verification, which says so; nothing sent here is kept."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({field: FILE_TOO_LARGE % {"max": MAX_UPLOAD_MB}})
    upload.seek(0)
    content = upload.read()
    if not content:
        raise ValidationError({field: FILE_EMPTY})
    if media_type_of(content) != PDF and not looks_like_pdf(content):
        raise ValidationError({field: messages.NOT_A_PDF})
    return content
