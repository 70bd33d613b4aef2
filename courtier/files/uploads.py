"""Files people send, from a page's form or through the API, as one value: its name, its bytes
and its type; with the limits every upload shares."""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
DOCUMENT_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "odt",
    "rtf",
    "xls",
    "xlsx",
    "ods",
    "ppt",
    "pptx",
    "odp",
    "txt",
    "csv",
]
OCTET_STREAM = "application/octet-stream"

# Messages shared by the code and the tests.
FILE_TOO_LARGE = _("Le fichier dépasse la taille permise (%(max)s Mo).")
FILE_EMPTY = _("Le fichier est vide.")
FILE_NAME_INVALID = _("Nom de fichier invalide.")

_CONTENT_TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,60}/[A-Za-z0-9!#$&^_.+-]{1,60}")


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    content_type: str

    @classmethod
    def from_form(cls, upload: Any) -> Upload:
        """A file a page's form accepted (its size and extension checked by the form)."""
        name = upload.name or ""
        return cls(name, upload.read(), mimetypes.guess_type(name)[0] or OCTET_STREAM)

    @classmethod
    def from_api(cls, upload: Any, field: str) -> Upload:
        """A file sent through the API: at most MAX_UPLOAD_MB, a name, some bytes; a declared
        type that is not a media type is replaced by ``application/octet-stream``. Refusals
        name the request's ``field``."""
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
        kind = (upload.content_type or "").strip()
        return cls(name, content, kind if _CONTENT_TYPE.fullmatch(kind) else OCTET_STREAM)

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
