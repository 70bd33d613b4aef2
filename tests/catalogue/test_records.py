"""Issue 11 §1: the Catalogue's files are documents of the store: the broker's supporting
documents (kept permanently), and each file a supplier deposits, a sheet's document or a price
file (the supplier's, kept 7 years, disposed of with the broker's approval)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from courtier.catalogue.models import PriceImport, SupportingDocument
from courtier.catalogue.pricefile.uploads import price_import_create
from courtier.catalogue.services.documents import supporting_document_publish
from courtier.catalogue.services.drafts import sheet_draft_create, sheet_draft_update
from courtier.documents import subjects
from courtier.documents.models import Document
from courtier.documents.services.disposal import disposal_approve
from courtier.files.models import StoredFile
from courtier.files.services import stored_file_save
from tests.catalogue.factories import content, offer
from tests.factories import pdf_bytes

ANNEX = {"code": "ANNEXE", "kind": "amending_annex", "title": "Annexe modificative"}


def deposited(orgs, type: str):
    return Document.objects.filter(owner=orgs["supplier"], type=type)


def test_each_published_version_of_a_supporting_document_is_a_version_in_the_store(people, orgs):
    """002 §2.3.1: the broker's templates and guides, all versions kept (permanently)."""
    values = {
        "kind": "guide",
        "title": "Guide d'acquisition",
        "file_name": "guide.pdf",
        "content_type": "application/pdf",
    }
    first = supporting_document_publish(by=people["broker_admin"], content=b"v1", **values)
    second = supporting_document_publish(by=people["broker_admin"], content=b"v2", **values)
    [kept] = Document.objects.filter(
        subject_type=subjects.content_type(SupportingDocument), subject_id=first.document_id
    )
    assert (kept.type, kept.owner, kept.confidential) == (
        "catalogue_supporting",
        orgs["broker"],
        False,
    )
    versions = list(kept.versions.order_by("number"))
    assert [v.sha256 for v in versions] == [first.file.sha256, second.file.sha256]
    assert (kept.disposal_on, kept.disposal_pending) == (None, False)


def test_a_file_a_sheet_points_at_is_its_suppliers_document_once(people, orgs):
    rep = people["supplier_rep"]
    stored = stored_file_save(
        by=rep, name="annexe.pdf", content=pdf_bytes("annexe"), content_type="application/pdf"
    )
    document = {**ANNEX, "file_sha256": stored.sha256, "file_name": "annexe.pdf"}
    draft = sheet_draft_create(by=rep, supplier=orgs["supplier"])
    sheet = content(offer("MAIL", "Courriel"), documents=[document])
    sheet_draft_update(by=rep, draft=draft, content=sheet)
    sheet_draft_update(by=rep, draft=draft, content=sheet)  # the same file again: no new one
    [kept] = deposited(orgs, "sheet_document")
    assert (kept.title, kept.sha256, kept.confidential) == (
        "Annexe modificative",
        stored.sha256,
        True,
    )
    assert kept.current.name == "annexe.pdf"
    assert kept.disposal_on == timezone.localdate(kept.created_at) + relativedelta(years=7)


def test_a_refused_sheet_keeps_no_document(people, orgs):
    rep = people["supplier_rep"]
    stored = stored_file_save(
        by=rep, name="annexe.pdf", content=pdf_bytes("annexe"), content_type="application/pdf"
    )
    draft = sheet_draft_create(by=rep, supplier=orgs["supplier"])
    bad = content(documents=[{**ANNEX, "kind": "nonsense", "file_sha256": stored.sha256}])
    with pytest.raises(ValidationError):
        sheet_draft_update(by=rep, draft=draft, content=bad)
    assert not deposited(orgs, "sheet_document").exists()


def test_a_disposed_price_file_leaves_the_import_on_record_without_its_bytes(people, orgs):
    """DOMAIN §7: disposal removes the content; the import's outcome stays."""
    rep = people["supplier_rep"]
    draft = sheet_draft_create(by=rep, supplier=orgs["supplier"])
    data = b"offre;composante\n"
    created = price_import_create(
        by=rep, draft=draft, name="prix.csv", stream=io.BytesIO(data), in_background=False
    )
    [kept] = deposited(orgs, "price_file")
    assert (kept.sha256, kept.title) == (created.file.sha256, "Fichier de prix — prix.csv")
    Document.objects.filter(pk=kept.pk).update(disposal_on=date(2026, 1, 1))
    disposal_approve(
        by=people["broker_admin"], document_ids=[kept.pk], method="Effacement", today=date.today()
    )
    created.refresh_from_db()
    assert created.file is None
    assert not StoredFile.objects.filter(sha256=kept.sha256).exists()
    assert PriceImport.objects.filter(pk=created.pk).exists()
