"""Small files of every kind an upload may be (and of the kinds it may not), built in the test:
real enough for their checks (pikepdf, Pillow, zipfile), a few hundred bytes each."""

from __future__ import annotations

import io
import zipfile

OOXML_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "docm": "application/vnd.ms-word.document.macroEnabled.main+xml",
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
}
OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def pdf(text: str = "document") -> bytes:
    """A one-page PDF; ``text`` (its title) makes each one distinct."""
    import pikepdf

    document = pikepdf.new()
    document.add_blank_page()
    document.docinfo["/Title"] = text
    out = io.BytesIO()
    if text == "encrypted":
        document.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
    else:
        document.save(out, static_id=True)  # the same text, the same bytes
    return out.getvalue()


def encrypted_pdf() -> bytes:
    return pdf("encrypted")


def zip_of(parts: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


def ooxml(kind: str = "docx", text: str = "document", **extra: bytes | str) -> bytes:
    """A DOCX or XLSX (or, with ``kind`` docm/xlsm, its macro-enabled twin) by its parts."""
    base = "docx" if kind in ("docx", "docm") else "xlsx"
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/{OOXML_PARTS[base]}" '
        f'ContentType="{OOXML_TYPES[kind]}"/></Types>'
    )
    return zip_of({"[Content_Types].xml": types, OOXML_PARTS[base]: f"<x>{text}</x>", **extra})


def xlsx(text: str = "document") -> bytes:
    """A real workbook (openpyxl)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["texte", text])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def odf(kind: str = "odt", text: str = "document", **extra: bytes | str) -> bytes:
    mimetype = {
        "odt": "application/vnd.oasis.opendocument.text",
        "ods": "application/vnd.oasis.opendocument.spreadsheet",
    }[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", mimetype, zipfile.ZIP_STORED)
        body = f"<office:document-content>{text}</office:document-content>"
        archive.writestr("content.xml", body, zipfile.ZIP_DEFLATED)
        for name, body in extra.items():
            archive.writestr(name, body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def image(kind: str = "png", size: tuple[int, int] = (4, 3)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG" if kind == "png" else "JPEG")
    return out.getvalue()


def csv(text: str = "offre;prix\nMAIL;12,50\n") -> bytes:
    return text.encode()


def encrypted_ooxml() -> bytes:
    """What Office writes for a password-protected DOCX: an OLE compound file whose directory
    names an ``EncryptedPackage`` stream (the header and a directory entry suffice here)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64
    return header + entry + b"\x00" * 384


def zip_bomb_by_ratio(megabytes: int = 30) -> bytes:
    """An XLSX whose sheet inflates ~1 000 times (zeros): a few tens of kilobytes on disk."""
    return ooxml("xlsx", **{"xl/worksheets/sheet1.xml": b"\x00" * (megabytes * 1024 * 1024)})


def zip_bomb_by_size(megabytes: int) -> bytes:
    """A DOCX whose entries declare ``megabytes`` of content in all, stored without compression
    so the ratio is 1 (only the total is too much); built by rewriting the directory's sizes
    of a small entry, so nothing that large is ever held."""
    data = bytearray(ooxml("docx", **{"word/media/big.bin": b"x" * 1000}))
    # Patch the declared uncompressed size in the central directory (and the local header).
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/media/big.bin")
    declared = megabytes * 1024 * 1024
    central = data.rfind(b"PK\x01\x02", 0, len(data))
    while central != -1:
        name_len = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + name_len] == b"word/media/big.bin":
            data[central + 24 : central + 28] = declared.to_bytes(4, "little")
            break
        central = data.rfind(b"PK\x01\x02", 0, central)
    data[info.header_offset + 22 : info.header_offset + 26] = declared.to_bytes(4, "little")
    return bytes(data)
