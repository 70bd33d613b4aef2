"""Files people send, from a page's form or through the API, as one value: its name, its bytes
and the type found in its bytes; every upload goes through the one inspection
(``files.inspection``: allowed types, size, spoofed extension, macros, archives, encryption,
malformed files, zip bombs; issue 11 §3) before any service sees it, so nothing is stored when it
is refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courtier.files.inspection import (
    EXTENSIONS,
    MEDIA_TYPES,
    OCTET_STREAM,
    Inspected,
    UploadRefused,
    extension_of,
    inspect_upload,
)

MAX_UPLOAD_MB = settings.UPLOAD_MAX_MB
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
# The documents people may join, by extension, with the media type each is kept and sent with.
DOCUMENT_TYPES = {extension: MEDIA_TYPES[kind] for extension, kind in EXTENSIONS.items()}
DOCUMENT_EXTENSIONS = list(DOCUMENT_TYPES)
# Types files joined before the upload checks were kept with (still downloadable).
_EARLIER_MEDIA_TYPES = (
    "application/msword",
    "application/rtf",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.presentation",
    "text/plain",
)
# Every media type a kept document is sent with: a joined document's, or an unknown type's.
DOCUMENT_MEDIA_TYPES = (
    *dict.fromkeys(DOCUMENT_TYPES.values()),
    *_EARLIER_MEDIA_TYPES,
    OCTET_STREAM,
)
ACCEPT = ",".join(f".{extension}" for extension in DOCUMENT_EXTENSIONS)

# Messages shared by the code and the tests.
FILE_TOO_LARGE = _("Le fichier dépasse la taille permise (%(max)s Mo).")
FILE_EMPTY = _("Le fichier est vide.")
FILE_NAME_INVALID = _("Nom de fichier invalide.")
HELP_TEXT = _("PDF, DOCX, XLSX, ODT, ODS, CSV, PNG ou JPEG ; au plus %(max)s Mo.")


def type_of(name: str, declared: str = "") -> str:
    """The media type a name's extension stands for among the allowed ones, else
    ``application/octet-stream``. Only a hint: what is kept is ``inspect``'s type, found in the
    bytes (``declared`` is ignored: a client may say anything)."""
    return DOCUMENT_TYPES.get(extension_of(name), OCTET_STREAM)


def inspect(upload: Any) -> Inspected:
    """Inspect an uploaded file (Django's ``UploadedFile``: in memory or spooled to disk) once;
    the result is kept on it. Raises ``UploadRefused``."""
    found = getattr(upload, "inspected", None)
    if isinstance(found, Inspected):
        return found
    found = inspect_upload(upload.name or "", upload)
    upload.inspected = found
    return found


def check_upload(upload: Any) -> Any:
    """A form's check of a file: every refusal of the inspection as the field's error."""
    if upload is None:
        return upload
    try:
        inspect(upload)
    except UploadRefused as refused:
        raise forms.ValidationError(refused.message, code=refused.code) from None
    return upload


def check_upload_size(upload: Any) -> Any:
    """A form's clean_<field> (the name it has always had): the whole inspection, size first."""
    return check_upload(upload)


class DocumentFileField(forms.FileField):
    """A form's file field for a document: inspected when the form is cleaned, so a refusal is
    the field's French error and no service is called."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload is not None and upload is not initial:
            check_upload(upload)
        return upload


def document_field(label: Any, *, required: bool = True, **kwargs: Any) -> forms.FileField:
    """A form's file field for a document (PDF, office files, CSV, images)."""
    kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    return DocumentFileField(label=label, required=required, **kwargs)


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    content_type: str

    @classmethod
    def from_form(cls, upload: Any) -> Upload:
        """A file a page's form accepted (``document_field`` inspected it already; a form
        without one gets the inspection here, its refusal then shown above the form)."""
        name = upload.name or ""
        try:
            found = inspect(upload)
        except UploadRefused as refused:
            raise ValidationError(refused.message, code=refused.code) from None
        upload.seek(0)
        return cls(name, upload.read(), found.media_type)

    @classmethod
    def from_api(cls, upload: Any, field: str) -> Upload:
        """A file sent through the API: a name, some bytes, accepted by the inspection; kept
        with the type found in its bytes. Refusals name the request's ``field`` (422)."""
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError({field: FILE_TOO_LARGE % {"max": MAX_UPLOAD_MB}})
        name = (upload.name or "").replace("\x00", "").strip()[:255]
        if not name:
            raise ValidationError({field: FILE_NAME_INVALID})
        if not upload.size:
            raise ValidationError({field: FILE_EMPTY})
        upload.name = name
        try:
            found = inspect(upload)
        except UploadRefused as refused:
            error = ValidationError(refused.message, code=refused.code)
            raise ValidationError({field: error}) from None
        upload.seek(0)
        return cls(name, upload.read(), found.media_type)

    def as_kwargs(self) -> dict[str, Any]:
        """``name``, ``content`` and ``content_type``, as the services take them."""
        return {"name": self.name, "content": self.content, "content_type": self.content_type}
