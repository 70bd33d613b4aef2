"""Files people send, from a page's form or through the API, as one value: its name, its bytes
and its type; with the limits every upload shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
OCTET_STREAM = "application/octet-stream"
# The documents people join (office and PDF formats), by extension, with the media type each is
# kept and sent with (fixed here: the machine's own mime.types may say otherwise).
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "application/rtf",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "txt": "text/plain",
    "csv": "text/csv",
}
DOCUMENT_EXTENSIONS = list(DOCUMENT_TYPES)
# Every media type a kept document is sent with: a joined document's, or an unknown type's.
DOCUMENT_MEDIA_TYPES = (*dict.fromkeys(DOCUMENT_TYPES.values()), OCTET_STREAM)

# Messages shared by the code and the tests.
FILE_TOO_LARGE = _("Le fichier dépasse la taille permise (%(max)s Mo).")
FILE_EMPTY = _("Le fichier est vide.")
FILE_NAME_INVALID = _("Nom de fichier invalide.")


def type_of(name: str, declared: str = "") -> str:
    """The media type a document is kept with: the declared one when it is a document's, else
    the one of the name's extension, else ``application/octet-stream``."""
    declared = declared.split(";")[0].strip().lower()
    if declared in DOCUMENT_TYPES.values():
        return declared
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return DOCUMENT_TYPES.get(extension, OCTET_STREAM)


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    content_type: str

    @classmethod
    def from_form(cls, upload: Any) -> Upload:
        """A file a page's form accepted (its size and extension checked by the form)."""
        name = upload.name or ""
        return cls(name, upload.read(), type_of(name))

    @classmethod
    def from_api(cls, upload: Any, field: str) -> Upload:
        """A file sent through the API: at most MAX_UPLOAD_MB, a name, some bytes; kept with
        the declared type when it is a document's (``type_of``). Refusals name the request's
        ``field``."""
        too_large = ValidationError({field: FILE_TOO_LARGE % {"max": MAX_UPLOAD_MB}})
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise too_large
        name = (upload.name or "").replace("\x00", "").strip()[:255]
        if not name:
            raise ValidationError({field: FILE_NAME_INVALID})
        content = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(content) > MAX_UPLOAD_BYTES:
            raise too_large
        if not content:
            raise ValidationError({field: FILE_EMPTY})
        return cls(name, content, type_of(name, upload.content_type or ""))

    def as_kwargs(self) -> dict[str, Any]:
        """``name``, ``content`` and ``content_type``, as the services take them."""
        return {"name": self.name, "content": self.content, "content_type": self.content_type}


def check_upload_size(upload: Any) -> Any:
    """A form's clean_<field>: refuse a file over MAX_UPLOAD_MB."""
    if upload is not None and upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(FILE_TOO_LARGE % {"max": MAX_UPLOAD_MB})
    return upload


def document_field(label: Any, *, required: bool = True, **kwargs: Any) -> forms.FileField:
    """A form's file field for a document (office and PDF formats)."""
    return forms.FileField(
        label=label,
        required=required,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
        **kwargs,
    )
