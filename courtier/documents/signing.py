"""The broker's validation stamp (DOMAIN §7; 002 §2.3.1, §4.5: final versions are signed as
presented): a PAdES *certifying* signature made with the broker's key on the exact version it
validated, drawn as a visible stamp with its verification code; the parties' PAdES *approval*
signatures added after it (incremental updates, which the certification allows: DocMDP level 2,
form filling and signing); and what a PDF's signatures say (``inspect_pdf``), offline.

The key and certificate come from a PKCS#12 file (``COURTIER_SIGNING_PKCS12``, its passphrase
``COURTIER_SIGNING_PASSPHRASE``); without one, a self-signed broker certificate is made once
under ``COURTIER_VAR_DIR/signing/`` and reused, so the tests and ``courtier demo`` need nothing.
Trust is by key: the only root is the broker's own certificate; nothing is fetched, no
revocation is checked (the registry of validated versions, not a CA, is the proof).

No ORM here: ``services.stamps`` keeps the registry, ``verification`` reads it. pyHanko,
fontTools and ``cryptography`` are imported where they are used: a process that never signs
(a worker, a command) never loads them."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import io
import logging
import os
import re
import textwrap
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from courtier.documents import messages

_T = TypeVar("_T")

STAMP_FIELD = "CachetCourtier"
LOCATION = "Plateforme du Courtier"
COMMON_NAME = "Courtier en infonuagique — cachet de validation"
ORGANISATION = "Courtier en infonuagique et en technologies spécialisées"
DEV_PASSPHRASE = "courtier-cachet-local"  # the local certificate's only: never a real key's
DEV_FILE = Path("signing") / "broker.p12"
DEV_YEARS = 10
# The stamp: bottom right of the last page, above the running footer (core/pdf print.css: 16 mm
# bottom margin, 15 mm sides). A template meant to be stamped leaves STAMP_HEIGHT_MM free at the
# end of its last page: the stamp is transparent, it never hides what it overlaps.
STAMP_WIDTH_PT = 270
STAMP_BOTTOM_PT = 48
STAMP_RIGHT_PT = 42
FONT_SIZE = 7
LEADING = 9
WRAP = 72  # characters of a stamp line (DejaVu Sans at 7 pt in 270 pt, less the margins)
STAMP_HEIGHT_MM = 30
FONT_FILES = (  # Debian's fonts-dejavu-core, which the PDFs need already (README)
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)
# ModificationLevel names (pyHanko's diff analysis), least to most.
LEVELS = ("none", "lta_updates", "form_filling", "annotations", "other")

# fontTools tells of every table it drops when it cuts a font: nothing to act on.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


class SigningRefused(Exception):
    """A PDF this module will not sign (not a PDF, not certified by the broker, a field taken)."""


class NotStamped(SigningRefused):
    """An approval signature asked on a PDF the broker's key has not certified (or whose stamp
    is no longer intact): the parties sign the validated version, nothing else."""


@dataclass(frozen=True)
class SignatureFacts:
    """One embedded signature, as pyHanko reads and checks it."""

    field: str
    signer_name: str  # the signature dictionary's /Name, else the certificate's common name
    signed_at: datetime | None  # as the signer reports it (no timestamp authority)
    certifying: bool  # a DocMDP (certification) signature, not an approval one
    intact: bool  # the digest of its byte range and the signature value are both valid
    by_broker: bool  # its certificate is the broker's (whether or not the content still holds)
    trusted: bool  # intact, made with the broker's key, its certificate valid
    whole_file: bool  # its byte range covers the whole file: nothing was added after it
    # What was changed after it (pyHanko's diff analysis: LEVELS), and whether its DocMDP
    # permission allows it (None when the analysis could not run).
    modification_level: str
    changes_allowed: bool | None
    reason: str
    revision: int  # the file's revision it signed (0 is the original file)
    end: int  # the end of its byte range: the file up to there is the revision it signed


@dataclass(frozen=True)
class Inspection:
    """What a PDF's signatures say. ``certified`` is the exact revision the certifying
    signature signed (for the broker's stamp: the bytes ``stamp_pdf`` returned)."""

    is_pdf: bool  # the bytes parse as a PDF
    signatures: tuple[SignatureFacts, ...] = ()  # in the order they were made
    # Signature byte ranges appear in the bytes but the file or some signature cannot be read
    # (a damaged signed PDF): ``candidates`` are the SHA-256 of the prefixes they name.
    unreadable: bool = False
    candidates: tuple[str, ...] = ()
    certified: bytes | None = None
    certified_sha256: str = ""

    @property
    def certification(self) -> SignatureFacts | None:
        return next((s for s in self.signatures if s.certifying), None)

    @property
    def after_certification(self) -> tuple[SignatureFacts, ...]:
        first = self.certification
        if first is None:
            return ()
        return tuple(s for s in self.signatures if s.revision > first.revision)


# --- the broker's key ------------------------------------------------------------------------


def _passphrase() -> bytes:
    return (settings.COURTIER_SIGNING_PASSPHRASE or DEV_PASSPHRASE).encode()


def _dev_pkcs12(passphrase: bytes) -> bytes:
    """A self-signed broker certificate and its key (EC P-256), as PKCS#12."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, COMMON_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CA"),
        ]
    )
    now = datetime.now(UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,  # non-repudiation: what pyHanko asks of a signer
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * DEV_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        COMMON_NAME.encode(),
        key,
        certificate,
        None,
        serialization.BestAvailableEncryption(passphrase),
    )


def _dev_path(passphrase: bytes) -> Path:
    """The local certificate's file, made once: written aside, then linked into place, so two
    processes starting together keep the same one (the first link wins)."""
    path = Path(settings.VAR_DIR) / DEV_FILE
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{os.getpid()}")
    aside.write_bytes(_dev_pkcs12(passphrase))
    aside.chmod(0o600)
    try:
        os.link(aside, path)
    except FileExistsError:
        pass
    finally:
        aside.unlink()
    return path


@functools.lru_cache(maxsize=4)
def _load(path: str, passphrase: bytes) -> Any:
    from pyhanko.sign.signers import SimpleSigner

    try:
        data = Path(path).read_bytes()
    except OSError as error:
        message = f"COURTIER_SIGNING_PKCS12: cannot read {path}: {error}"
        raise ImproperlyConfigured(message) from None
    try:
        return SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=passphrase)
    except ValueError:
        raise ImproperlyConfigured(
            f"COURTIER_SIGNING_PKCS12: {path} does not open with COURTIER_SIGNING_PASSPHRASE"
        ) from None


def broker_signer() -> Any:
    """The broker's pyHanko signer (loaded once per process and per setting)."""
    passphrase = _passphrase()
    configured = settings.COURTIER_SIGNING_PKCS12
    path = Path(configured) if configured else _dev_path(passphrase)
    return _load(str(path), passphrase)


def broker_certificate() -> Any:
    """The broker's certificate (asn1crypto), the one root the verification trusts."""
    return broker_signer().signing_cert


# --- signing ---------------------------------------------------------------------------------


def _writer(pdf: bytes) -> Any:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError

    if not looks_like_pdf(pdf):
        raise SigningRefused(str(messages.NOT_A_PDF))
    try:
        return IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError, TypeError):
        raise SigningRefused(str(messages.PDF_DAMAGED)) from None


# What a stamp writes: Latin letters with French accents, punctuation, spaces (narrow ones too).
STAMP_CHARACTERS = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x180),
    *(0x2009, 0x2010, 0x2011, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2026),
    *(0x202F, 0x20AC),
]


@functools.cache
def _font_program() -> bytes | None:
    """DejaVu Sans cut to the stamp's characters and scaled to 1 000 units per em: pyHanko
    writes a TrueType font's widths in its own units, which readers take for thousandths (the
    letters of a 2 048-unit font would be drawn twice as far apart). None without the font."""
    from fontTools import subset, ttLib
    from fontTools.ttLib.scaleUpem import scale_upem

    path = next((p for p in FONT_FILES if Path(p).exists()), None)
    if path is None:
        return None
    font = ttLib.TTFont(path)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=STAMP_CHARACTERS)
    subsetter.subset(font)
    scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _font() -> Any:
    """The stamp's font, embedded (the PDFs are PDF/A: every font embedded); pyHanko's own
    (Courier, not embedded) when DejaVu Sans is missing."""
    from pyhanko.pdf_utils.font.api import FontEngineFactory
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

    program = _font_program()
    if program is None:
        return None

    class DejaVu(FontEngineFactory):
        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
            if obj_stream is None and writer.stream_xrefs:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(
                writer=writer,
                font_handle=io.BytesIO(program),
                font_size=FONT_SIZE,
                obj_stream=obj_stream,
            )

    return DejaVu()


def _stamp_text(code: str, lines: Sequence[str]) -> list[str]:
    with translation.override("fr-ca"):  # the documents are French (core.pdf)
        head = str(messages.STAMP_HEADING)
        foot = str(messages.STAMP_CODE) % {"code": code}
    body = [part for line in lines for part in textwrap.wrap(str(line), WRAP) or [""]]
    return [head, *body, foot]


def _stamp_box(writer: Any, rows: int) -> tuple[int, int, int, int]:
    page_ref, _resources = writer.find_page_for_modification(-1)
    page = page_ref.get_object()
    box = [float(v) for v in page.get("/CropBox", page["/MediaBox"])]
    right = int(box[2]) - STAMP_RIGHT_PT
    bottom = int(box[1]) + STAMP_BOTTOM_PT
    height = rows * LEADING + 10
    return (right - STAMP_WIDTH_PT, bottom, right, bottom + height)


def _outside_event_loop(call: Callable[[], _T]) -> _T:
    """pyHanko's synchronous calls run their own event loop (``asyncio.run``), which fails in a
    thread already running one (a browser test's Playwright, an async server): there the call
    runs in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def stamp_pdf(pdf: bytes, *, code: str, lines: Sequence[str]) -> bytes:
    """``pdf`` certified by the broker (PAdES, DocMDP: form filling and signatures allowed),
    with a visible stamp at the bottom of its last page: « Version validée par le Courtier »,
    ``lines`` (who validated, when, what), « Code de vérification : ``code`` ». Returns the
    stamped bytes (an incremental update: the original bytes are their beginning)."""
    from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError
    from pyhanko.stamp import TextStampStyle

    writer = _writer(pdf)
    text = _stamp_text(code, lines)
    with translation.override("fr-ca"):
        reason = str(messages.STAMP_REASON) % {"code": code}
        name = str(messages.STAMP_SIGNER)
    meta = signers.PdfSignatureMetadata(
        field_name=STAMP_FIELD,
        certify=True,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=name,
        reason=reason,
        location=LOCATION,
    )
    font = _font()
    box_style = TextBoxStyle(font_size=FONT_SIZE, leading=LEADING)
    if font is not None:
        box_style = TextBoxStyle(font=font, font_size=FONT_SIZE, leading=LEADING)
    style = TextStampStyle(
        stamp_text="%(stamp)s",  # one parameter: the lines are never read as a template
        text_box_style=box_style,
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MIN,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins(left=6, right=6),
        ),
        border_width=1,
        background=None,
    )
    spec = fields.SigFieldSpec(
        sig_field_name=STAMP_FIELD, on_page=-1, box=_stamp_box(writer, len(text))
    )
    signer = signers.PdfSigner(meta, broker_signer(), stamp_style=style, new_field_spec=spec)
    try:
        out = _outside_event_loop(
            lambda: signer.sign_pdf(writer, appearance_text_params={"stamp": "\n".join(text)})
        )
    except SigningError as error:
        raise SigningRefused(str(error)) from None
    return out.getvalue()


def sign_approval(pdf: bytes, *, signer_name: str, reason: str, field: str) -> bytes:
    """An approval signature (PAdES, incremental) on a version the broker stamped, made with
    the platform's key on behalf of ``signer_name`` (the signature's /Name), with ``reason``
    and « Plateforme du Courtier » as its location, in a new invisible field ``field``.
    Raises ``NotStamped`` on a PDF the broker's key has not certified, or whose stamp or
    earlier signatures no longer hold."""
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError

    inspection = inspect_pdf(pdf)
    stamp = inspection.certification
    if stamp is None or not stamp.trusted or not stamp.intact:
        raise NotStamped(str(messages.NOT_STAMPED))
    if inspection.unreadable or not all(
        s.intact and s.changes_allowed for s in inspection.signatures
    ):
        raise NotStamped(str(messages.CHANGED_SINCE_STAMP))
    if field in {s.field for s in inspection.signatures}:
        raise SigningRefused(str(messages.FIELD_TAKEN) % {"field": field})
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=signer_name,
        reason=reason,
        location=LOCATION,
    )
    try:
        signer = signers.PdfSigner(meta, broker_signer())
        out = _outside_event_loop(lambda: signer.sign_pdf(_writer(pdf)))
    except SigningError as error:
        raise SigningRefused(str(error)) from None
    return out.getvalue()


# --- reading ---------------------------------------------------------------------------------


def looks_like_pdf(pdf: bytes) -> bool:
    """A PDF's header within its first kilobyte (as files.inspection reads it)."""
    return b"%PDF-" in pdf[:1024]


def _validation_context() -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=[broker_certificate()], allow_fetching=False, revocation_mode="soft-fail"
    )


def _certifying(sig_object: Any) -> bool:
    """A certification signature names the DocMDP transform in its /Reference (ISO 32000)."""
    try:
        references = sig_object.get("/Reference") or []
        return any(str(r.get_object().get("/TransformMethod")) == "/DocMDP" for r in references)
    except (AttributeError, KeyError, TypeError, ValueError):
        return False


def _common_name(certificate: Any) -> str:
    try:
        return str(certificate.subject.native.get("common_name", ""))
    except (AttributeError, ValueError):
        return ""


def _facts(embedded: Any, context: Any, broker: Any) -> SignatureFacts:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    sig = embedded.sig_object
    try:
        status = _outside_event_loop(
            lambda: validate_pdf_signature(
                embedded, context, key_usage_settings=KeyUsageConstraints(key_usage=set())
            )
        )
    except Exception:  # pyHanko raises many kinds on a forged or broken signature
        status = None
    level = getattr(status, "modification_level", None) if status is not None else None
    try:
        signer_cert = embedded.signer_cert
    except Exception:  # an unreadable certificate: no signer to name
        signer_cert = None
    intact = bool(status is not None and status.intact and status.valid)
    by_broker = signer_cert is not None and signer_cert.dump() == broker.dump()
    byte_range = [int(v) for v in embedded.byte_range]
    return SignatureFacts(
        field=str(embedded.field_name or ""),
        signer_name=str(sig.get("/Name") or (_common_name(signer_cert) if signer_cert else "")),
        signed_at=embedded.self_reported_timestamp,
        certifying=_certifying(sig),
        intact=intact,
        by_broker=by_broker,
        trusted=bool(intact and by_broker and status.trusted),
        whole_file=status is not None and status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        modification_level=LEVELS[level.value] if level is not None else "other",
        changes_allowed=status.docmdp_ok if status is not None else None,
        reason=str(sig.get("/Reason") or ""),
        revision=int(embedded.signed_revision),
        end=byte_range[2] + byte_range[3] if len(byte_range) == 4 else 0,
    )


def _byte_range_ends(pdf: bytes) -> list[int]:
    """Where each signature byte range written in the file ends, read from the bytes alone."""
    pattern = rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+(\d+)\s*\]"
    return sorted({int(m[2]) + int(m[3]) for m in re.finditer(pattern, pdf)})


def _candidates(pdf: bytes, ends: list[int]) -> tuple[str, ...]:
    """The SHA-256 of the prefixes byte ranges name: a damaged stamped version's own revision
    is still recognised in the registry."""
    return tuple(hashlib.sha256(pdf[:end]).hexdigest() for end in ends)


def inspect_pdf(pdf: bytes) -> Inspection:
    """What the embedded signatures of ``pdf`` say: each one's signer, time, kind, integrity,
    trust (the broker's key), coverage and what changed after it; for the certifying one, the
    exact revision it signed and its SHA-256. A file whose bytes show more signature byte
    ranges than pyHanko reads signatures (a damaged signed PDF) is ``unreadable``."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    ends = _byte_range_ends(pdf)
    traces = pdf.count(b"/ByteRange")  # even one too damaged to read: a signature was there
    damaged = Inspection(is_pdf=False, unreadable=traces > 0, candidates=_candidates(pdf, ends))
    if not looks_like_pdf(pdf):
        return damaged
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
        context, broker = _validation_context(), broker_certificate()
        signatures = tuple(_facts(e, context, broker) for e in embedded)
    except Exception:  # a damaged file or signature dictionary: pyHanko raises many kinds
        return damaged
    certification = next((s for s in signatures if s.certifying), None)
    certified = pdf[: certification.end] if certification is not None else None
    return Inspection(
        is_pdf=True,
        signatures=signatures,
        unreadable=traces > len(signatures),
        candidates=damaged.candidates,
        certified=certified,
        certified_sha256=hashlib.sha256(certified).hexdigest() if certified is not None else "",
    )
