"""The broker's validation stamp (DOMAIN §7; 002 §2.3.1, §4.5: final versions are signed as
presented): a PDF/A rendered by the project, stamped by the service (a PAdES certifying
signature, kept as a new version, registered, audited), then signed by the parties (approval
signatures), checked by `courtier verify-document`, the verification page and the API; a
single changed byte, a content change after the signatures, a PDF never stamped, a file that is
no PDF and a stamp made with another key are each told apart. The PDFs are made once."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pikepdf
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from courtier.audit.labels import action_label
from courtier.audit.models import AuditEvent
from courtier.core.pdf import render_pdf
from courtier.documents import messages, rules, signing
from courtier.documents.models import Document, ValidatedVersion
from courtier.documents.services.stamps import STAMPED, document_stamp
from courtier.documents.services.store import document_keep
from courtier.documents.verification import Status, verify_code, verify_pdf
from tests.core.test_pdf import assert_pdfa
from tests.factories import build_orgs, build_people
from tests.helpers import page_text, world_kept_for

LABEL = "Contrat spécifique C-2026-0007"
TITLE = "Projet de contrat (document de travail)"
TEMPLATE = """{% extends "core/pdf/base.html" %}{% block content %}<h1>{{ pdf.title }}</h1>
<p>Le fournisseur s'engage à fournir les services décrits à l'annexe A.</p>
<p style="break-before: page">Signatures des parties.</p>{% endblock %}"""


def flipped(content: bytes, at: int) -> bytes:
    """``content`` with one bit of the byte at ``at`` changed (nothing moves: same length)."""
    return content[:at] + bytes([content[at] ^ 0x01]) + content[at + 1 :]


def in_first_stream(content: bytes) -> int:
    """An offset inside the data of the file's first stream (a page's content, a font...)."""
    match = re.search(rb"stream\r?\n", content)
    assert match is not None
    return match.end() + 5


def foreign_pkcs12(path: Path, passphrase: bytes) -> None:
    """Another self-signed certificate, with the broker's very name: only its key differs."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, signing.COMMON_NAME)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"autre", key, certificate, None, serialization.BestAvailableEncryption(passphrase)
        )
    )


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker, tmp_path_factory):
    """One contract PDF (PDF/A from the project's renderer), stamped once by the service, then
    signed by the client and by the supplier; a plain PDF; the same PDF stamped by another key."""
    templates = tmp_path_factory.mktemp("templates")
    (templates / "tests").mkdir()
    (templates / "tests" / "contract.html").write_text(TEMPLATE, encoding="utf-8")
    from django.conf import settings

    engine = {**settings.TEMPLATES[0], "DIRS": [templates]}
    with override_settings(TEMPLATES=[engine]):
        plain = render_pdf("tests/contract.html", {}, title=LABEL, reference="C-2026-0007")
    with world_kept_for(django_db_blocker):
        orgs = build_orgs()
        people = build_people(orgs)
        document = document_keep(
            by=people["broker_agent"],
            subject=orgs["client"],
            type="signed_contract",
            title=TITLE,
            name="contrat.pdf",
            content=plain,
        )
        validated = document_stamp(
            by=people["broker_agent"],
            document=document,
            pdf=plain,
            label=LABEL,
            name="contrat-valide.pdf",
        )
        stamped = validated.version.stored.file.read()
        client_signed = signing.sign_approval(
            stamped, signer_name="Jeanne Signataire", reason="Approuvé", field="SignatureClient"
        )
        both_signed = signing.sign_approval(
            client_signed,
            signer_name="Paul Fournisseur",
            reason="Approuvé",
            field="SignatureFournisseur",
        )
        foreign = tmp_path_factory.mktemp("foreign") / "autre.p12"
        foreign_pkcs12(foreign, b"autre")
        with override_settings(
            COURTIER_SIGNING_PKCS12=str(foreign), COURTIER_SIGNING_PASSPHRASE="autre"
        ):
            forged = signing.stamp_pdf(plain, code="K7QM-42XP-9D", lines=["Faux", LABEL])
        yield {
            "orgs": orgs,
            "people": people,
            "document": document,
            "validated": validated,
            "plain": plain,
            "stamped": stamped,
            "client_signed": client_signed,
            "both_signed": both_signed,
            "forged": forged,
        }


@pytest.fixture
def world(shared, db):
    return shared


def verify_file(tmp_path, content: bytes) -> tuple[int, str]:
    """`courtier verify-document` on ``content``: its exit code and what it printed."""
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    out = io.StringIO()
    try:
        call_command("verify-document", str(path), stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


# --- the service and the registry ------------------------------------------------------------


def test_the_stamp_is_kept_as_a_new_version_registered_and_audited(world):
    validated, document = world["validated"], world["document"]
    version = validated.version
    stamped = world["stamped"]
    assert version.document_id == document.pk and version.number == 2  # v1 stays the draft
    assert version.content_type == "application/pdf"  # typed from its bytes
    assert validated.sha256 == version.sha256 == hashlib.sha256(stamped).hexdigest()
    assert validated.label == LABEL
    assert validated.validated_by == world["people"]["broker_agent"]
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}", validated.code)
    [event] = AuditEvent.objects.filter(action=STAMPED)
    assert action_label(event.action) == "Version validée et tamponnée par le Courtier"
    assert event.object_type == "documents.validatedversion"
    assert event.object_id == str(validated.pk)
    assert event.organisation_id == world["orgs"]["client"].pk
    assert event.after["sha256"] == validated.sha256 and event.after["code"] == validated.code


def test_a_validated_version_never_changes(world):
    validated = ValidatedVersion.objects.get(pk=world["validated"].pk)
    validated.label = "Autre chose"
    with pytest.raises(RuntimeError):
        validated.save()
    with pytest.raises(RuntimeError):
        validated.delete()


def test_only_the_brokers_admins_and_agents_stamp(world):
    with pytest.raises(PermissionDenied):
        document_stamp(
            by=world["people"]["client_procurement"],
            document=world["document"],
            pdf=world["plain"],
            label=LABEL,
            name="x.pdf",
        )


def test_the_stamp_is_a_certification_that_allows_signatures_and_keeps_pdf_a(world):
    stamped = world["stamped"]
    inspection = signing.inspect_pdf(stamped)
    [stamp] = inspection.signatures
    assert (stamp.field, stamp.certifying, stamp.intact, stamp.trusted) == (
        signing.STAMP_FIELD,
        True,
        True,
        True,
    )
    assert stamp.whole_file and inspection.certified == stamped
    assert world["validated"].code in stamp.reason
    assert stamped.startswith(world["plain"])  # an incremental update of the rendered file
    assert_pdfa(stamped, title=LABEL)  # the stamp's font is embedded too
    with pikepdf.open(io.BytesIO(stamped)) as pdf:
        [annotation] = pdf.pages[-1].Annots  # visible, on the last page
        assert annotation.FT == "/Sig" and annotation.T == signing.STAMP_FIELD
        assert annotation.Rect[1] < 200  # at its bottom
        assert pdf.Root.Perms.DocMDP.Reference[0].TransformParams.P == 2  # form filling


# --- courtier verify-document -----------------------------------------------------------------


def test_the_untouched_stamped_file_is_the_validated_version(world, tmp_path):
    code, out = verify_file(tmp_path, world["stamped"])
    assert code == 0
    assert str(messages.VERIFIED_VALIDATED) in out
    assert LABEL in out and world["validated"].code in out
    assert "broker_agent Test" in out  # the validator's name


@pytest.mark.parametrize("where", ["content stream", "middle"])
def test_one_changed_byte_makes_it_altered(world, tmp_path, where):
    stamped = world["stamped"]
    at = in_first_stream(stamped) if where == "content stream" else len(stamped) // 2
    code, out = verify_file(tmp_path, flipped(stamped, at))
    assert code == 1
    assert verify_pdf(flipped(stamped, at)).status == Status.ALTERED
    assert str(messages.VERIFIED_ALTERED) in out


def test_signed_by_the_parties_it_still_is_the_validated_version(world, tmp_path):
    result = verify_pdf(world["both_signed"])
    assert result.status == Status.VALIDATED_SIGNED
    assert result.validated == world["validated"]
    assert [s.signer_name for s in result.signatures] == ["Jeanne Signataire", "Paul Fournisseur"]
    assert all(s.intact and s.trusted and s.signed_at for s in result.signatures)
    assert signing.inspect_pdf(world["both_signed"]).certified == world["stamped"]
    code, out = verify_file(tmp_path, world["client_signed"])
    assert code == 0
    assert str(messages.VERIFIED_SIGNED) in out and "Jeanne Signataire" in out


def test_a_signed_copy_changed_afterwards_is_altered(world, tmp_path):
    signed = world["client_signed"]
    code, _out = verify_file(tmp_path, flipped(signed, in_first_stream(signed)))
    assert code == 1
    # Content drawn on the page in an update after the signatures: more than signing.
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.stamp import TextStamp, TextStampStyle

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    TextStamp(writer, TextStampStyle(stamp_text="Montant : 1 $")).apply(0, 60, 700)
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    assert result.status == Status.ALTERED
    assert str(messages.CHANGED_AFTER_STAMP) in result.problems
    assert result.validated == world["validated"]  # what it claims to be


def test_a_pdf_never_stamped_and_a_file_that_is_no_pdf_are_unknown(world, tmp_path):
    assert verify_file(tmp_path, world["plain"])[0] == 2
    assert verify_pdf(world["plain"]).problems == (str(messages.NO_SIGNATURE),)
    code, out = verify_file(tmp_path, b"Ceci n'est pas un PDF.\n")
    assert code == 2 and str(messages.NOT_A_PDF) in out
    with pytest.raises(CommandError) as missing:
        call_command("verify-document", str(tmp_path / "absent.pdf"))
    assert missing.value.returncode == 2


def test_a_stamp_made_with_another_key_is_no_stamp_of_the_broker(world, tmp_path):
    """Trust is by key: the same name, field and drawing with another key make no broker stamp
    (UNKNOWN, with its reason), and the parties cannot sign it in the platform."""
    forged = world["forged"]
    [stamp] = signing.inspect_pdf(forged).signatures
    assert stamp.certifying and stamp.intact and not stamp.by_broker and not stamp.trusted
    result = verify_pdf(forged)
    assert result.status == Status.UNKNOWN
    assert result.problems == (str(messages.FOREIGN_CERTIFICATION),)
    assert verify_file(tmp_path, forged)[0] == 2
    for unstamped in (forged, world["plain"]):
        with pytest.raises(signing.NotStamped):
            signing.sign_approval(unstamped, signer_name="X", reason="Y", field="Signature")


def test_a_code_names_its_validated_version(world):
    code = world["validated"].code
    assert verify_code(code.lower().replace("-", " ")) == world["validated"]
    assert verify_code("ABCD-EFGH-JK") is None
    assert verify_code("pas un code") is None


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("k7qm-42xp-9d", "K7QM-42XP-9D"),
        ("K7QM42XP9D", "K7QM-42XP-9D"),
        (" k7qm 42xp 9d ", "K7QM-42XP-9D"),
        ("K7QM-42XP-9", None),  # too short
        ("K7QM-42XP-0D", None),  # 0 is no code character (nor O, 1, I, L)
    ],
)
def test_codes_are_read_in_any_case_with_or_without_hyphens(typed, read):
    assert rules.code_read(typed) == read
    assert rules.code_read(rules.code_new(lambda alphabet: alphabet[-1])) == "ZZZZ-ZZZZ-ZZ"


# --- the page and the API ---------------------------------------------------------------------


def upload(content: bytes, name: str = "contrat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_page_verifies_a_file_or_a_code(world, client):
    client.force_login(world["people"]["supplier_rep"])
    assert client.get("/documents/verifier/").status_code == 200
    response = client.post("/documents/verifier/", {"file": upload(world["client_signed"])})
    text = page_text(response)
    assert response.status_code == 200
    assert "Version validée par le Courtier, signée depuis" in text
    assert LABEL in text and world["validated"].code in text and "Jeanne Signataire" in text
    assert TITLE not in text and "Ministère A" not in text  # nothing more is told
    response = client.post("/documents/verifier/", {"code": world["validated"].code.lower()})
    assert response.status_code == 200 and LABEL in page_text(response)
    response = client.post("/documents/verifier/", {"code": "ZZZZ-ZZZZ-ZZ"})
    assert response.status_code == 200 and str(messages.CODE_UNKNOWN) in page_text(response)


def test_the_page_refuses_in_french_no_file_or_no_pdf(world, client):
    client.force_login(world["people"]["client_signatory"])
    nothing = client.post("/documents/verifier/", {})
    assert nothing.status_code == 422 and str(messages.VERIFY_SOMETHING) in page_text(nothing)
    text_file = client.post("/documents/verifier/", {"file": upload(b"du texte", "a.pdf")})
    assert text_file.status_code == 422 and str(messages.NOT_A_PDF) in page_text(text_file)
    bad_code = client.post("/documents/verifier/", {"code": "123"})
    assert bad_code.status_code == 422 and str(messages.CODE_MALFORMED) in page_text(bad_code)


def test_the_api_verifies_an_uploaded_file(world, client):
    client.force_login(world["people"]["client_finance"])
    answer = client.post("/api/v1/documents/verify", {"file": upload(world["stamped"])})
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "validated" and body["message"] == str(messages.VERIFIED_VALIDATED)
    assert body["validated"]["label"] == LABEL
    assert body["validated"]["code"] == world["validated"].code
    assert body["validated"]["validated_by"] == "broker_agent Test"
    signed = client.post("/api/v1/documents/verify", {"file": upload(world["both_signed"])})
    assert [s["signer_name"] for s in signed.json()["signatures"]] == [
        "Jeanne Signataire",
        "Paul Fournisseur",
    ]
    altered = client.post(
        "/api/v1/documents/verify", {"file": upload(flipped(world["stamped"], 2000))}
    )
    assert altered.json()["status"] == "altered" and altered.json()["problems"]


def test_the_api_refuses_a_missing_or_non_pdf_file_naming_the_field(world, client):
    client.force_login(world["people"]["client_finance"])
    missing = client.post("/api/v1/documents/verify", {})
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["file"]
    text_file = client.post("/api/v1/documents/verify", {"file": upload(b"texte", "a.txt")})
    assert text_file.status_code == 422
    assert text_file.json()["errors"] == [{"field": "file", "message": str(messages.NOT_A_PDF)}]
    assert Document.objects.count() == 1  # nothing sent is kept
