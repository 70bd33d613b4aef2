"""Documents owed to the broker on a real database and through the pages (DOMAIN §7; 002
§4.10): the broker asks a client for a document of one of its files by a due date; the client
answers by pointing at a kept document or sending one; an overdue request emails the client once."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from courtier.audit.models import AuditEvent
from courtier.core.workitems import items_for
from courtier.documents import messages
from courtier.documents.models import Document, TransmissionRequest, TransmissionStatus
from courtier.documents.services.requests import (
    ANSWERED,
    REMINDED,
    REQUESTED,
    transmission_answer,
    transmission_request,
    transmissions_remind_overdue,
)
from courtier.documents.services.store import document_keep
from courtier.files.uploads import Upload
from tests.acquisitions.factories import new_file
from tests.factories import pdf_bytes
from tests.files import samples
from tests.helpers import page_text

TODAY = date(2026, 12, 3)
DUE = date(2026, 12, 10)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-12-03 10:00 -05:00", tick=False)


@pytest.fixture
def file(people, orgs):
    return new_file(by=people["client_procurement"], client=orgs["client"])


def ask(people, file, **extra):
    fields = {"type": "supplier_invoice", "due_on": DUE, "note": "Factures de novembre"}
    return transmission_request(by=people["broker_agent"], subject=file, **(fields | extra))


def test_the_broker_asks_a_client_for_a_document_of_its_file(
    people, orgs, file, mailbox, run_on_commit
):
    with run_on_commit():
        request = ask(people, file)
    assert (request.client, request.status, request.origin, request.due_on) == (
        orgs["client"],
        TransmissionStatus.OPEN,
        "request",
        DUE,
    )
    event = AuditEvent.objects.get(action=REQUESTED)
    assert (
        event.after["note"] == "Factures de novembre" and event.organisation_id == orgs["client"].pk
    )
    [email] = mailbox.to(people["client_procurement"].email)
    body = mailbox.body(email)
    assert "Facture du fournisseur" in email["Subject"]
    assert "au plus tard le 10 décembre 2026" in body and "/documents/transmissions/" in body
    [item] = [i for i in items_for(people["client_procurement"]) if "transmission" in i.key]
    assert (item.due_on, item.title) == (DUE, "Transmettre au Courtier : Facture du fournisseur")


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"due_on": TODAY - timedelta(days=1)}, "due_on", messages.DUE_IN_THE_PAST),
        ({"type": "nonsense"}, "type", messages.TYPE_UNKNOWN),
    ],
)
def test_a_request_needs_a_known_type_and_a_due_date_to_come(people, file, extra, field, message):
    with pytest.raises(ValidationError) as refused:
        ask(people, file, **extra)
    assert refused.value.message_dict == {field: [message]}
    assert not TransmissionRequest.objects.exists()


def test_only_a_clients_objects_are_asked_for_and_only_by_the_broker(people, orgs, file):
    with pytest.raises(ValidationError) as refused:
        ask(people, orgs["supplier"])
    assert refused.value.message_dict == {"subject": [messages.NOT_A_CLIENTS]}
    with pytest.raises(PermissionDenied):
        transmission_request(
            by=people["client_procurement"], subject=file, type="supplier_invoice", due_on=DUE
        )


def test_the_client_answers_by_pointing_at_a_kept_document(
    people, orgs, file, mailbox, run_on_commit
):
    kept = document_keep(
        by=people["client_procurement"],
        subject=file,
        type="supplier_invoice",
        title="Facture 2026-11",
        name="facture.pdf",
        content=pdf_bytes("facture"),
    )
    request = ask(people, file)
    with run_on_commit():
        answered = transmission_answer(by=people["client_finance"], request=request, document=kept)
    assert (answered.status, answered.document, answered.answered_by) == (
        TransmissionStatus.ANSWERED,
        kept,
        people["client_finance"],
    )
    assert AuditEvent.objects.get(action=ANSWERED).after == {
        "status": "Transmis",
        "document": "Facture 2026-11",
    }
    assert "Facture 2026-11" in mailbox.body(mailbox.to(people["broker_agent"].email)[0])
    with pytest.raises(ValidationError) as again:
        transmission_answer(by=people["client_finance"], request=request, document=kept)
    assert again.value.message_dict == {"document": [messages.ANSWERED_ALREADY]}


def test_the_client_answers_by_sending_the_file(people, orgs, file):
    request = ask(people, file)
    upload = Upload("facture.pdf", pdf_bytes("facture envoyée"), "application/pdf")
    answered = transmission_answer(by=people["client_procurement"], request=request, upload=upload)
    sent = answered.document
    assert (sent.type, sent.subject, sent.owner) == ("supplier_invoice", file, orgs["client"])


def test_nobody_else_answers_and_no_one_points_at_another_organisations_document(
    people, orgs, file
):
    request = ask(people, file)
    foreign = document_keep(
        by=None,
        subject=orgs["client_other"],
        type="supplier_invoice",
        title="Facture d'un autre",
        name="autre.pdf",
        content=pdf_bytes("autre"),
    )
    for who in ("supplier_rep", "broker_agent", "client_signatory"):
        with pytest.raises(PermissionDenied):
            transmission_answer(by=people[who], request=request, document=foreign)
    with pytest.raises(ValidationError) as refused:
        transmission_answer(by=people["client_procurement"], request=request, document=foreign)
    assert refused.value.message_dict == {"document": [messages.NOT_THE_CLIENTS_DOCUMENT]}


def test_an_overdue_request_emails_the_client_once(people, file, mailbox, run_on_commit, capsys):
    ask(people, file)
    with run_on_commit():
        assert transmissions_remind_overdue(DUE) == 0  # due today: not late yet
        assert transmissions_remind_overdue(DUE + timedelta(days=1)) == 1
        assert transmissions_remind_overdue(DUE + timedelta(days=2)) == 0
    [email] = [
        m for m in mailbox.to(people["client_procurement"].email) if "retard" in m["Subject"]
    ]
    assert "devait être transmis au Courtier au plus tard le 10 décembre 2026" in mailbox.body(
        email
    )
    assert AuditEvent.objects.filter(action=REMINDED).count() == 1
    call_command("remind-transmissions")
    assert "0 rappel(s) envoyé(s)." in capsys.readouterr().out


def test_the_pages_ask_list_and_answer_each_side(client, people, orgs, file):
    client.force_login(people["broker_agent"])
    file_page = page_text(client.get(f"/acquisitions/{file.pk}/"))
    assert "Demander un document à l'organisme" in file_page
    from django.contrib.contenttypes.models import ContentType

    asked = {
        "subject_type": ContentType.objects.get_for_model(file).pk,
        "subject_id": file.pk,
        "type": "supplier_invoice",
        "due_on": "2026-12-10",
        "note": "",
    }
    refused = client.post("/documents/transmissions/demander/", asked | {"due_on": "2020-01-01"})
    assert refused.status_code == 422 and str(messages.DUE_IN_THE_PAST) in page_text(refused)
    assert client.post("/documents/transmissions/demander/", asked).status_code == 302
    request = TransmissionRequest.objects.get()
    assert "En attente des organismes" in page_text(client.get("/documents/transmissions/"))
    client.force_login(people["client_procurement"])
    mine = page_text(client.get("/documents/transmissions/"))
    assert "À transmettre" in mine and "Facture du fournisseur" in mine
    url = f"/documents/transmissions/{request.pk}/transmettre/"
    nothing = client.post(url, {})
    assert nothing.status_code == 422 and "l'un ou l'autre" in page_text(nothing)
    spoofed = client.post(url, {"file": SimpleUploadedFile("facture.pdf", samples.image("png"))})
    assert spoofed.status_code == 422
    assert not Document.objects.exists()  # nothing stored on refusal
    sent = client.post(url, {"file": SimpleUploadedFile("facture.pdf", pdf_bytes("page"))})
    assert sent.status_code == 302
    assert TransmissionRequest.objects.get().status == TransmissionStatus.ANSWERED
    assert "Transmis" in page_text(client.get("/documents/transmissions/"))
    client.force_login(people["supplier_rep"])
    assert client.get("/documents/transmissions/").status_code == 403
