"""Legal holds and disposal on a real database (DOMAIN §7; 000 §9 and annexe 5): a disposal
needs the broker's approval, removes the content, keeps a tombstone and produces an attestation;
a legal hold on a document or on its object blocks it until lifted; `courtier retention`."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from pypdf import PdfReader

from courtier.audit.models import AuditEvent
from courtier.documents import messages
from courtier.documents.models import Document, DocumentStatus
from courtier.documents.selectors import due_for_disposal
from courtier.documents.services.disposal import (
    DISPOSAL_APPROVED,
    DOCUMENT_DISPOSED,
    HOLD_LIFTED,
    HOLD_PLACED,
    disposal_approve,
    legal_hold_lift,
    legal_hold_place,
)
from courtier.documents.services.store import document_keep
from courtier.files.models import StoredFile
from tests.core.test_pdf import assert_pdfa
from tests.factories import pdf_bytes

KEPT_ON = date(2026, 12, 3)
DUE_ON = date(2033, 12, 3)  # sheet documents: 7 years after they were kept
AFTER = date(2034, 1, 5)
METHOD = "Effacement sécurisé du stockage"


@pytest.fixture(autouse=True)
def _kept_today(time_machine):
    time_machine.move_to("2026-12-03 10:00 -05:00", tick=False)


def keep(orgs, note="fiche", subject=None):
    return document_keep(
        by=None,
        subject=subject or orgs["supplier"],
        type="sheet_document",
        title=f"Niveaux de service ({note})",
        name=f"{note}.pdf",
        content=pdf_bytes(note),
    )


def approve(people, *documents, today=AFTER, method=METHOD):
    return disposal_approve(
        by=people["broker_agent"],
        document_ids=[d.pk for d in documents],
        method=method,
        today=today,
    )


def test_a_sheet_document_is_due_seven_years_after_it_was_kept(orgs):
    document = keep(orgs)
    assert document.disposal_on == DUE_ON
    assert list(due_for_disposal(DUE_ON)) == [document]
    assert not due_for_disposal(date(2033, 12, 2)).exists()


def test_a_disposal_removes_the_content_and_keeps_a_tombstone(
    people, orgs, django_capture_on_commit_callbacks
):
    document = keep(orgs)
    version = document.versions.get()
    stored = version.stored
    with django_capture_on_commit_callbacks(execute=True):
        disposal = approve(people, document)
    document.refresh_from_db()
    version.refresh_from_db()
    assert (document.status, document.disposal) == (DocumentStatus.DISPOSED, disposal)
    assert version.stored is None  # the bytes are gone...
    assert (version.sha256, version.size, version.name) == (stored.sha256, stored.size, "fiche.pdf")
    assert (document.type, document.subject, document.disposal_on) == (
        "sheet_document",
        orgs["supplier"],
        DUE_ON,
    )  # ...the tombstone stays: type, object, hash, size, dates, and who approved when
    assert disposal.approved_by == people["broker_agent"]
    assert not StoredFile.objects.filter(pk=stored.pk).exists()
    assert not default_storage.exists(stored.file.name)
    event = AuditEvent.objects.get(action=DOCUMENT_DISPOSED, object_id=str(document.pk))
    assert (event.before, event.after["status"]) == ({"status": "Conservé"}, "Éliminé")
    assert AuditEvent.objects.get(action=DISPOSAL_APPROVED).after == {
        "documents": 1,
        "method": METHOD,
    }


def test_the_attestation_of_disposal_names_who_what_when_and_how(
    people, orgs, django_capture_on_commit_callbacks
):
    first, second = keep(orgs, "premier"), keep(orgs, "second")
    hashes = [first.sha256, second.sha256]
    with django_capture_on_commit_callbacks(execute=True):
        disposal = approve(people, first, second)
    disposal.refresh_from_db()
    attestation = disposal.attestation
    assert (attestation.type, attestation.owner, attestation.disposal_on) == (
        "disposal_attestation",
        orgs["broker"],
        None,  # kept permanently
    )
    content = attestation.stored.file.read()
    assert_pdfa(
        content, title="Attestation de disposition des renseignements personnels et confidentiels"
    )
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert "ATTESTATION DE DISPOSITION" in text.upper()
    assert people["broker_agent"].email in text or people["broker_agent"].get_full_name() in text
    assert "Courtier (test)" in text and METHOD in text
    for note, sha in zip(("premier", "second"), hashes, strict=True):
        assert f"Niveaux de service ({note})" in text
        assert sha[:16] in text.replace(" ", "")
    assert "3 décembre 2033" in text  # their disposal date


def test_a_legal_hold_on_a_document_blocks_its_disposal_until_lifted(people, orgs):
    document = keep(orgs)
    hold = legal_hold_place(by=people["broker_admin"], subject=document, reason="Litige en cours")
    assert not due_for_disposal(AFTER).exists()
    with pytest.raises(ValidationError) as refused:
        approve(people, document)
    assert refused.value.message_dict["documents"] == [f"{document.title} : {messages.HELD}"]
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.KEPT
    legal_hold_lift(by=people["broker_admin"], hold=hold, reason="Litige réglé")
    approve(people, document)
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.DISPOSED
    placed = AuditEvent.objects.get(action=HOLD_PLACED)
    lifted = AuditEvent.objects.get(action=HOLD_LIFTED)
    assert placed.after["reason"] == "Litige en cours"
    assert (lifted.before, lifted.after) == (
        {"reason": "Litige en cours"},
        {"lift_reason": "Litige réglé"},
    )


def test_a_legal_hold_on_the_object_blocks_every_document_of_it(people, orgs):
    held, free = keep(orgs, "retenu"), keep(orgs, "libre", subject=orgs["supplier_other"])
    legal_hold_place(by=people["broker_agent"], subject=orgs["supplier"], reason="Enquête")
    assert list(due_for_disposal(AFTER)) == [free]
    with pytest.raises(ValidationError):
        approve(people, held, free)  # one refused refuses them all
    assert not Document.objects.filter(status=DocumentStatus.DISPOSED).exists()


@pytest.mark.parametrize(
    ("today", "problem"),
    [(date(2033, 12, 2), messages.NOT_DUE), (AFTER, None)],
)
def test_a_document_is_disposed_of_only_once_its_date_has_come(people, orgs, today, problem):
    document = keep(orgs)
    if problem is None:
        approve(people, document, today=today)
        with pytest.raises(ValidationError) as again:
            approve(people, document, today=today)
        problem = messages.DISPOSED_ALREADY
    else:
        with pytest.raises(ValidationError) as again:
            approve(people, document, today=today)
    assert again.value.message_dict["documents"] == [f"{document.title} : {problem}"]


def test_a_document_pending_its_event_is_never_due(people, orgs):
    pending = document_keep(
        by=None,
        subject=orgs["client"],
        type="supplier_communication",
        title="Courriel",
        name="courriel.pdf",
        content=pdf_bytes("courriel"),
    )
    assert pending.disposal_pending
    with pytest.raises(ValidationError):
        approve(people, pending, today=date(2099, 1, 1))


def test_bytes_another_document_still_holds_are_kept(people, orgs):
    document = keep(orgs, "commun")
    twin = keep(orgs, "commun", subject=orgs["supplier_other"])  # same bytes, kept once
    approve(people, document)
    assert twin.versions.get().stored.file.read() == pdf_bytes("commun")


@pytest.mark.parametrize("who", ["broker_auditor", "client_procurement", "supplier_rep"])
def test_only_the_brokers_records_staff_hold_and_dispose(people, orgs, who):
    document = keep(orgs)
    with pytest.raises(PermissionDenied):
        legal_hold_place(by=people[who], subject=document, reason="Motif")
    with pytest.raises(PermissionDenied):
        disposal_approve(by=people[who], document_ids=[document.pk], method=METHOD, today=AFTER)


def test_a_hold_and_a_disposal_need_their_reason_and_method(people, orgs):
    document = keep(orgs)
    with pytest.raises(ValidationError) as no_reason:
        legal_hold_place(by=people["broker_agent"], subject=document, reason="  ")
    assert no_reason.value.message_dict == {"reason": [messages.HOLD_REASON_REQUIRED]}
    with pytest.raises(ValidationError) as no_method:
        approve(people, document, method="")
    assert no_method.value.message_dict == {"method": [messages.METHOD_REQUIRED]}


def test_retention_dry_run_lists_what_is_due_and_why_and_writes_nothing(people, orgs, capsys):
    due, held = keep(orgs, "due"), keep(orgs, "retenu")
    legal_hold_place(by=people["broker_agent"], subject=held, reason="Litige")
    Document.objects.filter(pk=due.pk).update(disposal_on=date(2030, 1, 1))  # a stale date
    call_command("retention", "--dry-run", "--date", AFTER.isoformat())
    out = capsys.readouterr().out
    assert "1 date(s) de disposition changeraient" in out
    assert f"[{due.pk}] Document d'une fiche de fournisseur « Niveaux de service (due) »" in out
    assert "7 ans après son dépôt le 3 décembre 2026 : disposition le 3 décembre 2033" in out
    assert f"[{held.pk}]" in out.split("blocage juridique")[1]
    assert Document.objects.get(pk=due.pk).disposal_on == date(2030, 1, 1)  # nothing written
    call_command("retention", "--date", AFTER.isoformat())
    assert Document.objects.get(pk=due.pk).disposal_on == DUE_ON


def test_retention_refuses_a_date_it_cannot_read():
    with pytest.raises(Exception, match="AAAA-MM-JJ"):
        call_command("retention", "--date", "demain")


def test_a_files_documents_date_moves_when_the_file_is_abandoned(people, orgs):
    """DOMAIN §7: kept « for the whole contract », a file's document is pending while the
    contract may still come; abandoning the file closes it today and dates its disposal."""
    from courtier.acquisitions.services.transitions import file_transition
    from tests.acquisitions.factories import new_file

    file = new_file(by=people["client_procurement"], client=orgs["client"])
    needs = document_keep(
        by=people["client_procurement"],
        subject=file,
        type="needs",
        title="Définition des besoins",
        name="besoins.pdf",
        content=pdf_bytes("besoins"),
    )
    assert (needs.disposal_on, needs.disposal_pending, needs.owner) == (None, True, orgs["client"])
    file_transition(by=people["client_procurement"], file=file, action="abandon")
    needs.refresh_from_db()
    file.refresh_from_db()
    assert file.closed_on == KEPT_ON
    assert (needs.disposal_on, needs.disposal_pending) == (KEPT_ON, False)
    assert list(due_for_disposal(KEPT_ON)) == [needs]
