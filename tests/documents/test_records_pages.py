"""The broker's records pages through the client (DOMAIN §7): the list and its filters, the
approval of a disposal (refused in French without its method, once only when sent twice), a
legal hold placed from a document's page and lifted from the holds page; the work item."""

from datetime import date

import pytest

from courtier.core.workitems import items_for
from courtier.documents.forms import DisposalForm
from courtier.documents.models import Disposal, Document, DocumentStatus, LegalHold
from courtier.documents.services.disposal import legal_hold_place
from courtier.documents.services.store import document_keep
from tests.factories import pdf_bytes
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-12-03 10:00 -05:00", tick=False)


def due(orgs, note="due", confidential=None):
    """A sheet document whose disposal date (7 years after it was kept) has come."""
    document = document_keep(
        by=None,
        subject=orgs["supplier"],
        type="sheet_document",
        title=f"Fiche {note}",
        name=f"{note}.pdf",
        content=pdf_bytes(note),
        confidential=confidential,
    )
    Document.objects.filter(pk=document.pk).update(disposal_on=date(2026, 11, 30))
    return document


def test_the_records_list_what_is_due_and_filter_by_hold(client, people, orgs):
    kept, held = due(orgs, "libre"), due(orgs, "retenue")
    legal_hold_place(by=people["broker_admin"], subject=held, reason="Litige")
    client.force_login(people["broker_agent"])
    text = page_text(client.get("/documents/registre/"))
    assert "À éliminer" in text and "Fiche libre" in text
    assert "7 ans après son dépôt" in text
    assert f'id="dispose-{kept.pk}"' in text and f'id="dispose-{held.pk}"' not in text  # held
    held_only = page_text(client.get("/documents/registre/?held=yes"))
    all_documents = held_only.split("Tous les documents")[1]
    assert "Fiche retenue" in all_documents and "Fiche libre" not in all_documents
    assert "Bloqué" in all_documents
    refused = client.get("/documents/registre/?held=peut-etre")
    assert refused.status_code == 422 and "Blocage juridique" in page_text(refused)


def test_a_disposal_approved_from_the_page_is_made_once(client, people, orgs):
    document = due(orgs)
    client.force_login(people["broker_agent"])
    form = client.get("/documents/registre/")
    token = form.context["disposal_form"]  # the page offers the due document
    assert [c[0] for c in token.fields["documents"].choices] == [str(document.pk)]
    body = {"documents": [document.pk], "method": "Effacement sécurisé", "_form_token": "t" * 32}
    first = client.post("/documents/registre/disposition/", body)
    again = client.post("/documents/registre/disposition/", body)
    disposal = Disposal.objects.get()
    assert (first.status_code, again.status_code) == (302, 303)  # the replay is sent on
    assert (
        first["Location"] == again["Location"] == f"/documents/registre/dispositions/{disposal.pk}/"
    )
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.DISPOSED
    text = page_text(client.get(first["Location"]))
    assert "Effacement sécurisé" in text and document.sha256 in text


def test_a_disposal_without_its_method_is_refused_in_french(client, people, orgs):
    document = due(orgs)
    client.force_login(people["broker_admin"])
    response = client.post("/documents/registre/disposition/", {"documents": [document.pk]})
    assert response.status_code == 422
    assert str(DisposalForm.base_fields["method"].error_messages["required"]) in page_text(response)
    assert not Disposal.objects.exists()
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.KEPT


def test_a_document_not_due_cannot_be_slipped_into_a_disposal(client, people, orgs):
    not_due = document_keep(
        by=None,
        subject=orgs["supplier"],
        type="sheet_document",
        title="Fiche récente",
        name="recente.pdf",
        content=pdf_bytes("récente"),
    )
    client.force_login(people["broker_admin"])
    response = client.post(
        "/documents/registre/disposition/", {"documents": [not_due.pk], "method": "Effacement"}
    )
    assert response.status_code == 422
    assert not Disposal.objects.exists()


def test_a_hold_is_placed_from_a_documents_page_and_lifted_from_the_holds(client, people, orgs):
    document = due(orgs)
    client.force_login(people["broker_agent"])
    url = f"/documents/registre/{document.pk}/blocage/"
    refused = client.post(url, {"scope": "document", "reason": ""})
    assert refused.status_code == 422
    assert "Indiquez le motif du blocage juridique." in page_text(refused)
    assert client.post(url, {"scope": "subject", "reason": "Enquête"}).status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.subject, hold.reason) == (orgs["supplier"], "Enquête")
    assert "Enquête" in page_text(client.get(f"/documents/registre/{document.pk}/"))
    assert "Aucun document n'est à éliminer" in page_text(client.get("/documents/registre/"))
    lift = f"/documents/registre/blocages/{hold.pk}/levee/"
    assert client.post(lift, {"reason": ""}).status_code == 422
    assert client.post(lift, {"reason": "Enquête close"}).status_code == 302
    assert client.post(lift, {"reason": "Encore"}).status_code == 422  # lifted already
    assert "Fiche due" in page_text(client.get("/documents/registre/"))


def test_the_due_disposals_await_the_brokers_records_staff(people, orgs):
    due(orgs)
    [item] = [i for i in items_for(people["broker_agent"]) if i.key.startswith("documents.")]
    assert item.title == "Approuver la disposition de 1 document(s) échu(s)"
    assert item.url == "/documents/registre/#due-heading"
    assert not [i for i in items_for(people["broker_auditor"]) if i.key.startswith("documents.")]
    assert not [i for i in items_for(people["client_head"]) if i.key.startswith("documents.")]


def test_an_organisations_page_shows_its_documents_to_who_may_read_them(client, people, orgs):
    """Issue 11 §8: the documents panel; a confidential one stays its keepers' (DOMAIN §7)."""
    open_one, confidential = (
        due(orgs, "publique", confidential=False),
        document_keep(
            by=people["supplier_rep"],
            subject=orgs["supplier"],
            type="supplier_communication",
            title="Courriel confidentiel",
            name="courriel.pdf",
            content=pdf_bytes("courriel confidentiel"),
        ),
    )
    url = f"/organisations/{orgs['supplier'].pk}/"
    client.force_login(people["supplier_rep"])
    mine = page_text(client.get(url))
    assert f"/documents/{open_one.pk}/telecharger/" in mine
    assert f"/documents/{confidential.pk}/telecharger/" in mine and "Confidentiel" in mine
    assert "au registre" not in mine  # the records are the broker's
    client.force_login(people["broker_auditor"])
    audited = page_text(client.get(url))
    assert "Fiche publique" in audited and "Courriel confidentiel" not in audited


def test_a_files_page_lists_its_documents_for_its_runners_and_says_what_others_cannot_see(
    client, people, orgs
):
    """Issue 11 §6 and §8: an acquisition file's documents are confidential (DOMAIN §7): its
    runners download them from the file's page; its signatory sees the file, not them."""
    from courtier.acquisitions.services.documents import file_document_keep
    from tests.acquisitions.factories import new_file

    file = new_file(by=people["client_procurement"], client=orgs["client"])
    kept = file_document_keep(
        by=people["client_procurement"],
        file=file,
        kind="trial_report",
        title="Rapport de banc d'essai — Courriel",
        name="rapport.pdf",
        content=pdf_bytes("rapport"),
        content_type="application/pdf",
    )
    client.force_login(people["client_procurement"])
    text = page_text(client.get(f"/acquisitions/{file.pk}/"))
    assert "Documents du dossier" in text and f"/documents/{kept.pk}/telecharger/" in text
    assert "rapport.pdf" in text and "Rapport de banc d'essai" in text
    client.force_login(people["client_signatory"])
    text = page_text(client.get(f"/acquisitions/{file.pk}/"))
    assert f"/documents/{kept.pk}/telecharger/" not in text
    assert "1 document confidentiel n'est visible que des personnes" in text
    assert client.get(f"/documents/{kept.pk}/telecharger/").status_code == 404
