"""The document store on a real database (DOMAIN §7): documents kept with their type, owner,
hash and versions, each change audited; visibility narrower for restricted documents; every
download of one audited; `courtier verify-documents` finding altered or missing content."""

import hashlib
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from courtier.accounts import permissions
from courtier.audit.models import AuditEvent
from courtier.documents.models import Document, DocumentVersion, TransmissionRequest
from courtier.documents.services.integrity import documents_verify
from courtier.documents.services.store import (
    DOWNLOADED,
    KEPT,
    VERSION_ADDED,
    document_keep,
    document_version_add,
)
from tests.factories import pdf_bytes

PDF = pdf_bytes()


def keep(people, orgs, **extra):
    fields = {
        "by": people["client_procurement"],
        "subject": orgs["client"],
        "type": "supplier_communication",
        "title": "Courriel au fournisseur",
        "name": "courriel.pdf",
        "content": pdf_bytes(f"document de test{extra.pop('salt', '')}"),
    }
    return document_keep(**(fields | extra))


def test_a_kept_document_has_its_type_owner_hash_and_first_version(people, orgs):
    document = keep(people, orgs)
    version = document.versions.get()
    assert (document.type, document.owner, document.subject) == (
        "supplier_communication",
        orgs["client"],
        orgs["client"],
    )
    assert version.number == 1
    assert version.sha256 == hashlib.sha256(PDF).hexdigest() == document.sha256
    assert version.content_type == "application/pdf"  # from the bytes, not the name
    assert document.confidential  # the type's default
    event = AuditEvent.objects.get(action=KEPT, object_id=str(document.pk))
    assert event.after["sha256"] == version.sha256
    assert event.organisation_id == orgs["client"].pk


def test_a_new_version_never_overwrites_the_old_one(people, orgs):
    document = keep(people, orgs)
    first = document.versions.get()
    second = document_version_add(
        by=people["client_procurement"], document=document, name="v2.pdf", content=pdf_bytes("v2")
    )
    assert second.number == 2
    first.refresh_from_db()
    assert first.stored.file.read() == PDF
    assert Document.objects.get(pk=document.pk).current == second
    assert AuditEvent.objects.filter(action=VERSION_ADDED, object_id=str(document.pk)).exists()


def test_a_generated_document_kept_twice_with_its_key_is_kept_once(people, orgs):
    first = keep(people, orgs, key="0b1c6a7e-0000-4000-8000-000000000001")
    again = keep(people, orgs, key="0b1c6a7e-0000-4000-8000-000000000001", salt="x")
    assert again.pk == first.pk
    assert DocumentVersion.objects.filter(document=first).count() == 1


def test_a_document_kept_seven_years_after_an_unknown_end_is_pending(people, orgs):
    pending = keep(people, orgs)
    own_rule = keep(people, orgs, type="price_file", salt="p")
    assert (pending.disposal_on, pending.disposal_pending) == (None, True)
    assert own_rule.disposal_on.year == pending.created_at.year + 7
    assert own_rule.disposal_pending is False


def test_a_restricted_document_is_seen_by_its_owners_people_and_the_broker_only(people, orgs):
    document = keep(people, orgs)
    visible = {
        key
        for key, person in people.items()
        if permissions.scope(person, Document.objects.filter(pk=document.pk)).exists()
    }
    # The signatory and the client's auditor see the organisation, not its confidential files.
    assert visible == {
        "broker_admin",
        "broker_agent",
        "client_procurement",
        "client_head",
        "client_finance",
    }


def test_a_signed_contract_kept_by_a_client_opens_what_it_owes_the_broker(people, orgs):
    document = keep(people, orgs, type="signed_contract", event_on=date(2026, 12, 3))
    request = TransmissionRequest.objects.get(client=orgs["client"], type="signed_contract")
    assert request.due_on == date(2026, 12, 10)  # 5 business days after signature (002 §4.10)
    assert (request.subject_id, request.document) == (document.subject_id, None)


def test_every_download_of_a_restricted_document_is_audited(client, people, orgs):
    document = keep(people, orgs)
    client.force_login(people["client_head"])
    response = client.get(f"/documents/{document.pk}/telecharger/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    event = AuditEvent.objects.get(action=DOWNLOADED, object_id=str(document.pk))
    assert event.actor_id == people["client_head"].pk


def test_a_document_one_may_not_see_answers_404_and_leaves_no_trace(client, people, orgs):
    document = keep(people, orgs)
    client.force_login(people["client_signatory"])
    assert client.get(f"/documents/{document.pk}/telecharger/").status_code == 404
    assert not AuditEvent.objects.filter(action=DOWNLOADED).exists()


def test_verify_documents_names_an_altered_file_and_exits_1(people, orgs, capsys):
    intact = keep(people, orgs, salt="intact")
    altered = keep(people, orgs, salt="altered")
    call_command("verify-documents")  # all intact: no error
    stored = altered.versions.get().stored
    with open(stored.file.path, "wb") as handle:
        handle.write(b"tampered")
    problems = [p for _v, p in documents_verify() if p is not None]
    assert [p.version.document_id for p in problems] == [altered.pk]
    with pytest.raises(CommandError) as failed:
        call_command("verify-documents")
    assert failed.value.returncode == 1
    err = capsys.readouterr().err
    assert f"document {altered.pk} " in err and f"document {intact.pk} " not in err
    stored.file.storage.delete(stored.file.name)
    assert [p.missing for _v, p in documents_verify() if p is not None] == [True]


def test_the_api_lists_the_documents_one_sees_and_sends_their_content(client, people, orgs):
    document = keep(people, orgs)
    keep(people, orgs, subject=orgs["client_other"], salt="other")
    client.force_login(people["client_finance"])
    listed = client.get("/api/v1/documents", {"type": "supplier_communication"}).json()
    assert [row["id"] for row in listed["items"]] == [document.pk]
    assert listed["items"][0]["versions"][0]["sha256"] == document.sha256
    assert listed["items"][0]["disposal_pending"] is True
    response = client.get(f"/api/v1/documents/{document.pk}/content")
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action=DOWNLOADED, actor_id=people["client_finance"].pk)
    assert client.get(f"/api/v1/documents/{document.pk}/content?version=2").status_code == 404
    assert client.get("/api/v1/documents?owner=0").status_code == 422
