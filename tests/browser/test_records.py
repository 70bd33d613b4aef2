"""The broker's records in a real Chromium (DOMAIN §7): the agent sees the document due on the
records page (its work item on the dashboard leads there), is told in French when the method is
missing, approves the disposal and downloads the attestation of disposal, a PDF/A."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from courtier.documents.models import Document, DocumentStatus
from courtier.documents.services.store import document_keep
from tests.browser.actions import sign_in
from tests.core.test_pdf import assert_pdfa
from tests.factories import make_organisation, make_person, pdf_bytes

pytestmark = pytest.mark.browser


def test_the_broker_disposes_of_a_due_document_and_downloads_the_attestation(page, db):
    agent = make_person(make_organisation("broker", name="Courtier (navigateur)"), "broker_agent")
    supplier = make_organisation("supplier", name="Fournisseur Z")
    document = document_keep(
        by=None,
        subject=supplier,
        type="sheet_document",
        title="Attestation d'assurance 2019",
        name="assurance.pdf",
        content=pdf_bytes("assurance 2019"),
    )
    Document.objects.filter(pk=document.pk).update(disposal_on=date(2026, 3, 15))
    sign_in(page, agent.email)
    page.get_by_role("link", name="Approuver la disposition de 1 document(s) échu(s)").click()
    due = page.get_by_role("region", name="À éliminer")
    expect(due).to_contain_text("7 ans après son dépôt")
    method = due.get_by_label("Mode de disposition")
    method.fill("")
    method.evaluate("box => box.removeAttribute('required')")  # what the server says, too
    due.get_by_role("button", name="Approuver la disposition").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez le mode de disposition.")
    page.get_by_label("Mode de disposition").fill("Effacement sécurisé du stockage")
    page.get_by_role("button", name="Approuver la disposition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Disposition nº \d+$"))
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.DISPOSED
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger l'attestation (PDF)").click()
    assert re.fullmatch(r"attestation-disposition-\d+\.pdf", download.value.suggested_filename)
    content = open(download.value.path(), "rb").read()  # noqa: SIM115
    assert_pdfa(content)
    text = " ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(content)).pages)
    assert "Attestation d'assurance 2019" in text and "Effacement sécurisé du stockage" in text
