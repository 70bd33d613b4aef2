"""Files typed from their bytes (never their name), and the one decision whether an upload is
accepted (issue 11, point 3): allowed types only (PDF, DOCX, XLSX, ODT, ODS, CSV, PNG, JPEG),
within the size limit, the name's extension matching the bytes, no macros, no archives, nothing
encrypted or malformed, no zip bomb (the zip's directory is checked before anything inflates an
entry), no image too large to decode.

``inspect_upload`` reads a seekable stream in chunks (an uploaded file spooled to disk is never
read into memory whole) and raises ``UploadRefused`` with a French message naming the file.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

import magic
from django.conf import settings
from django.utils.translation import gettext_lazy as _

OCTET_STREAM = "application/octet-stream"
CHUNK_BYTES = 1024 * 1024
SNIFF_BYTES = 65536


class Kind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    ODT = "odt"
    ODS = "ods"
    CSV = "csv"
    PNG = "png"
    JPEG = "jpeg"


# The media type each allowed kind is kept and sent with.
MEDIA_TYPES: dict[Kind, str] = {
    Kind.PDF: "application/pdf",
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Kind.ODT: "application/vnd.oasis.opendocument.text",
    Kind.ODS: "application/vnd.oasis.opendocument.spreadsheet",
    Kind.CSV: "text/csv",
    Kind.PNG: "image/png",
    Kind.JPEG: "image/jpeg",
}
# The name's extension each kind may have.
EXTENSIONS: dict[str, Kind] = {
    "pdf": Kind.PDF,
    "docx": Kind.DOCX,
    "xlsx": Kind.XLSX,
    "odt": Kind.ODT,
    "ods": Kind.ODS,
    "csv": Kind.CSV,
    "png": Kind.PNG,
    "jpg": Kind.JPEG,
    "jpeg": Kind.JPEG,
}
DOCUMENT_KINDS: frozenset[Kind] = frozenset(Kind)
MACRO_EXTENSIONS = frozenset({"docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppsm"})
ARCHIVE_EXTENSIONS = frozenset(
    {"zip", "7z", "rar", "gz", "tgz", "tar", "bz2", "xz", "zst", "cab", "lz", "lzma", "arj", "iso"}
)

# Messages shared by the code and the tests; each names the file (%(name)s).
TYPE_NOT_ALLOWED = _(
    "« %(name)s » : ce type de fichier n'est pas accepté (PDF, DOCX, XLSX, ODT, ODS, CSV, PNG "
    "ou JPEG seulement)."
)
SPOOFED = _(
    "« %(name)s » : le contenu du fichier (%(found)s) ne correspond pas à son extension "
    "(.%(extension)s)."
)
MACROS = _(
    "« %(name)s » contient des macros : enregistrez-le sans macros (DOCX, XLSX, ODT ou ODS) "
    "et envoyez-le de nouveau."
)
ARCHIVE = _(
    "« %(name)s » est une archive ou en contient une (ZIP, 7z, RAR, gzip, tar…) : envoyez "
    "les fichiers eux-mêmes."
)
EMBEDDED_OBJECT = _(
    "« %(name)s » contient un objet incorporé (OLE) : retirez-le et envoyez le fichier de nouveau."
)
ENCRYPTED = _(
    "« %(name)s » est chiffré ou protégé par un mot de passe : retirez la protection et "
    "envoyez-le de nouveau."
)
MALFORMED = _("« %(name)s » est endommagé ou illisible : il ne peut pas être ouvert.")
TOO_LARGE = _("« %(name)s » dépasse la taille permise (%(max)s Mo).")
EMPTY = _("« %(name)s » est vide.")
ZIP_TOO_LARGE = _(
    "« %(name)s » se décompresse en plus de %(max)s Mo : il est refusé par précaution "
    "(bombe de décompression)."
)
ZIP_RATIO = _(
    "« %(name)s » est compressé de façon anormale (plus de %(max)s fois) : il est refusé par "
    "précaution (bombe de décompression)."
)
ZIP_ENTRIES = _("« %(name)s » contient plus de %(max)s parties : il est refusé par précaution.")
IMAGE_TOO_LARGE = _("« %(name)s » : l'image dépasse %(max)s millions de pixels.")
CSV_NOT_TEXT = _(
    "« %(name)s » n'est pas un fichier texte CSV lisible : enregistrez-le en « CSV UTF-8 »."
)


@dataclass(frozen=True)
class Limits:
    """The limits every upload shares (settings ``UPLOAD_*``, README's Configuration)."""

    max_bytes: int = 20 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_ratio: int = 100
    max_entries: int = 10_000
    max_pixels: int = 50_000_000

    @classmethod
    def from_settings(cls, **overrides: int) -> Limits:
        mb = 1024 * 1024
        values = {
            "max_bytes": int(settings.UPLOAD_MAX_MB * mb),
            "max_uncompressed_bytes": int(settings.UPLOAD_MAX_UNCOMPRESSED_MB * mb),
            "max_ratio": int(settings.UPLOAD_MAX_RATIO),
            "max_entries": int(settings.UPLOAD_MAX_ENTRIES),
            "max_pixels": int(settings.UPLOAD_MAX_PIXELS),
        }
        return cls(**{**values, **overrides})


@dataclass(frozen=True)
class Inspected:
    kind: Kind
    media_type: str
    size: int


class UploadRefused(Exception):
    """An upload refused, with its French message (naming the file) and a code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _refuse(template: object, code: str, name: str, **params: object) -> UploadRefused:
    return UploadRefused(str(template) % {"name": name, **params}, code)


def media_type_of(data: bytes) -> str:
    """The media type the bytes show (libmagic), ``application/octet-stream`` when unknown."""
    return magic.from_buffer(data[:SNIFF_BYTES], mime=True) or OCTET_STREAM


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _size_of(stream: IO[bytes]) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


# --- what the bytes are -------------------------------------------------------------------------

_ARCHIVE_MAGIC = (
    b"7z\xbc\xaf\x27\x1c",  # 7z
    b"Rar!\x1a\x07",  # RAR
    b"\x1f\x8b",  # gzip
    b"BZh",  # bzip2
    b"\xfd7zXZ\x00",  # xz
    b"\x28\xb5\x2f\xfd",  # zstd
    b"MSCF",  # cab
    b"LZIP",
)
_ARCHIVE_TYPES = frozenset(
    {
        "application/zip",
        "application/x-7z-compressed",
        "application/x-rar",
        "application/vnd.rar",
        "application/gzip",
        "application/x-gzip",
        "application/x-tar",
        "application/x-bzip2",
        "application/x-xz",
        "application/zstd",
        "application/vnd.ms-cab-compressed",
        "application/x-iso9660-image",
    }
)
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_ODF_KINDS = {
    b"application/vnd.oasis.opendocument.text": Kind.ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": Kind.ODS,
}
_ODF_MACROS = ("basic/", "scripts/")  # an ODF file's Basic modules and scripts
_MACRO_CONTENT_TYPE = re.compile(rb"macroEnabled|vbaProject|vnd\.ms-office\.vba", re.IGNORECASE)


def _is_archive(head: bytes, sniffed: str) -> bool:
    return (
        head.startswith(_ARCHIVE_MAGIC)
        or head[257:262] == b"ustar"  # tar
        or sniffed in _ARCHIVE_TYPES
    )


def check_zip(
    name: str, archive: zipfile.ZipFile, size: int, limits: Limits, *, max_uncompressed: int
) -> list[zipfile.ZipInfo]:
    """A zip's directory against the limits, before any entry is inflated: the number of
    entries, the declared uncompressed size (in all), the compression ratio (in all, and of
    each entry of more than 1 MB: small entries of blank XML compress far), no encrypted entry.
    Readers (zipfile, openpyxl) never inflate an entry beyond its declared size."""
    entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise _refuse(ZIP_ENTRIES, "zip_entries", name, max=limits.max_entries)
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise _refuse(ENCRYPTED, "encrypted", name)
        total += entry.file_size
        if entry.file_size > CHUNK_BYTES and entry.file_size > limits.max_ratio * max(
            entry.compress_size, 1
        ):
            raise _refuse(ZIP_RATIO, "zip_ratio", name, max=limits.max_ratio)
    if total > max_uncompressed:
        raise _refuse(ZIP_TOO_LARGE, "zip_size", name, max=max_uncompressed // (1024 * 1024))
    if total > CHUNK_BYTES and total > limits.max_ratio * max(size, 1):
        raise _refuse(ZIP_RATIO, "zip_ratio", name, max=limits.max_ratio)
    return entries


def _read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, cap: int = CHUNK_BYTES) -> bytes:
    """At most ``cap`` bytes of a small entry (its declared size is already within limits)."""
    with archive.open(entry) as handle:
        return handle.read(cap)


def _office_kind(name: str, stream: IO[bytes], size: int, limits: Limits, max_unc: int) -> Kind:
    """DOCX, XLSX, ODT or ODS, from the zip's own structure; refused when it is some other zip
    (an archive), has macros, embedded archives or OLE objects, or is password-protected."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _refuse(MALFORMED, "malformed", name) from None
    with archive:
        entries = check_zip(name, archive, size, limits, max_uncompressed=max_unc)
        by_name = {e.filename: e for e in entries}
        lowered = [e.filename.lower() for e in entries]
        try:
            if any(n.endswith("vbaproject.bin") or n.startswith(_ODF_MACROS) for n in lowered):
                raise _refuse(MACROS, "macros", name)
            if any(extension_of(n) in ARCHIVE_EXTENSIONS for n in lowered):
                raise _refuse(ARCHIVE, "archive", name)
            if any("embeddings/" in n and n.endswith(".bin") for n in lowered):
                raise _refuse(EMBEDDED_OBJECT, "embedded_object", name)
            if "[Content_Types].xml" in by_name:
                types = _read_entry(archive, by_name["[Content_Types].xml"])
                if _MACRO_CONTENT_TYPE.search(types):
                    raise _refuse(MACROS, "macros", name)
                if "word/document.xml" in by_name or b"wordprocessingml.document.main" in types:
                    return Kind.DOCX
                if "xl/workbook.xml" in by_name or b"spreadsheetml.sheet.main" in types:
                    return Kind.XLSX
                raise _refuse(TYPE_NOT_ALLOWED, "type", name)
            if "mimetype" in by_name:
                mimetype = _read_entry(archive, by_name["mimetype"], 200).strip()
                manifest = by_name.get("META-INF/manifest.xml")
                if manifest is not None and b"encryption-data" in _read_entry(archive, manifest):
                    raise _refuse(ENCRYPTED, "encrypted", name)
                if mimetype in _ODF_KINDS:
                    return _ODF_KINDS[mimetype]
                if mimetype.startswith(b"application/vnd.oasis.opendocument"):
                    raise _refuse(TYPE_NOT_ALLOWED, "type", name)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
            raise _refuse(MALFORMED, "malformed", name) from None
    raise _refuse(ARCHIVE, "archive", name)


def _check_cfb(name: str, stream: IO[bytes]) -> None:
    """An OLE (compound file) container: an encrypted OOXML document (its ``EncryptedPackage``
    stream, named in UTF-16 in the directory) or a legacy Office file; neither is accepted."""
    encrypted_name = "EncryptedPackage".encode("utf-16-le")
    stream.seek(0)
    tail = b""
    for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""):
        if encrypted_name in tail + chunk:
            raise _refuse(ENCRYPTED, "encrypted", name)
        tail = chunk[-len(encrypted_name) :]
    raise _refuse(TYPE_NOT_ALLOWED, "type", name)


def _check_pdf(name: str, stream: IO[bytes]) -> None:
    import pikepdf

    stream.seek(0)
    try:
        with pikepdf.open(stream) as pdf:
            if pdf.is_encrypted:
                raise _refuse(ENCRYPTED, "encrypted", name)
            len(pdf.pages)
    except pikepdf.PasswordError:
        raise _refuse(ENCRYPTED, "encrypted", name) from None
    except (pikepdf.PdfError, OSError, ValueError, RuntimeError):
        raise _refuse(MALFORMED, "malformed", name) from None


def _check_image(name: str, stream: IO[bytes], limits: Limits) -> None:
    import warnings

    from PIL import Image

    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:  # reads the header only
                width, height = image.size
                if width * height > limits.max_pixels:
                    raise _refuse(
                        IMAGE_TOO_LARGE, "pixels", name, max=limits.max_pixels // 1_000_000
                    )
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(IMAGE_TOO_LARGE, "pixels", name, max=limits.max_pixels // 1_000_000) from None
    except UploadRefused:
        raise
    except Exception:  # Pillow raises many kinds on a broken image
        raise _refuse(MALFORMED, "malformed", name) from None


def is_csv_text(stream: IO[bytes]) -> bool:
    """Text without NUL bytes, in UTF-8 or else Windows-1252, read in chunks."""
    for encoding in ("utf-8", "cp1252"):
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""):
                if b"\x00" in chunk:
                    return False
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _kind_of(
    name: str, stream: IO[bytes], head: bytes, size: int, limits: Limits, max_unc: int
) -> Kind:
    """The kind the bytes show, or a refusal."""
    sniffed = magic.from_buffer(head, mime=True) or OCTET_STREAM
    if head.startswith(ZIP_MAGICS):
        return _office_kind(name, stream, size, limits, max_unc)
    if _is_archive(head, sniffed):
        raise _refuse(ARCHIVE, "archive", name)
    if head.startswith(CFB_MAGIC):
        _check_cfb(name, stream)
    if b"%PDF-" in head[:1024]:
        return Kind.PDF
    if head.startswith(PNG_MAGIC):
        return Kind.PNG
    if head.startswith(JPEG_MAGIC):
        return Kind.JPEG
    if sniffed.startswith("text/") or sniffed in ("application/csv", OCTET_STREAM):
        if b"\x00" not in head and is_csv_text(stream):
            return Kind.CSV
        if extension_of(name) == "csv":
            raise _refuse(CSV_NOT_TEXT, "csv", name)
    raise _refuse(TYPE_NOT_ALLOWED, "type", name)


def inspect_upload(
    name: str,
    stream: IO[bytes],
    *,
    allowed: Collection[Kind] = DOCUMENT_KINDS,
    limits: Limits | None = None,
    max_uncompressed_bytes: int | None = None,
    not_allowed: object = TYPE_NOT_ALLOWED,
) -> Inspected:
    """Accept an upload or raise ``UploadRefused`` (its message names the file). ``allowed``
    narrows the kinds (the price file: CSV and XLSX), ``not_allowed`` is then the message of a
    kind outside them. The stream must be seekable; it is left at its start."""
    limits = limits or Limits.from_settings()
    max_unc = max_uncompressed_bytes or limits.max_uncompressed_bytes
    size = _size_of(stream)
    try:
        if size > limits.max_bytes:
            raise _refuse(TOO_LARGE, "size", name, max=limits.max_bytes // (1024 * 1024))
        if size == 0:
            raise _refuse(EMPTY, "empty", name)
        extension = extension_of(name)
        if extension in MACRO_EXTENSIONS:
            raise _refuse(MACROS, "macros", name)
        if extension in ARCHIVE_EXTENSIONS:
            raise _refuse(ARCHIVE, "archive", name)
        head = stream.read(SNIFF_BYTES)
        kind = _kind_of(name, stream, head, size, limits, max_unc)
        named = EXTENSIONS.get(extension)
        if named is None or named not in allowed:
            raise _refuse(not_allowed, "type", name)
        if named is not kind:
            raise _refuse(SPOOFED, "spoofed", name, found=kind.name, extension=extension)
        if kind is Kind.PDF:
            _check_pdf(name, stream)
        elif kind in (Kind.PNG, Kind.JPEG):
            _check_image(name, stream, limits)
    finally:
        stream.seek(0)
    return Inspected(kind, MEDIA_TYPES[kind], size)
