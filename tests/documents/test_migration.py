"""Issue 11 §1: the files the acquisition files and the Catalogue kept on their own move into the
document store with their hashes unchanged (the data migrations acquisitions 0006-0008 and
catalogue 0007-0008, run on rows written with the models of before)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from courtier.acquisitions.models import AcquisitionFile
from courtier.catalogue.models import PriceImport, SupportingDocument
from courtier.documents import subjects
from courtier.documents.models import Document

BEFORE = [("acquisitions", "0005_file_closed_on"), ("catalogue", "0006_priceimport_task")]


def _stored(apps, name: str, content: bytes):
    StoredFile = apps.get_model("files", "StoredFile")
    sha256 = hashlib.sha256(content).hexdigest()
    stored = StoredFile(sha256=sha256, name=name, content_type="application/pdf", size=len(content))
    stored.file.save(sha256, ContentFile(content), save=False)
    stored.save()
    return stored


def _world_before(apps) -> dict:
    """Rows as the apps kept them before the store: a file's documents (one of them its EFVP),
    a supporting document in two versions, a sheet's document and a price file."""
    Organisation = apps.get_model("accounts", "Organisation")
    broker = Organisation.objects.create(kind="broker", name="Courtier (migration)")
    client = Organisation.objects.create(
        kind="client", name="Ministère M", eligibility_category="lcop_4"
    )
    supplier = Organisation.objects.create(kind="supplier", name="Fournisseur M")
    person = apps.get_model("accounts", "User").objects.create(email="m@ministere.example")
    needs = _stored(apps, "besoins.pdf", b"%PDF-1.7 besoins")
    efvp = _stored(apps, "efvp.pdf", b"%PDF-1.7 efvp")
    kept_at = timezone.now() - timedelta(days=3)
    file = apps.get_model("acquisitions", "AcquisitionFile").objects.create(
        reference="ACQ-2026-0999",
        title="Migration",
        client=client,
        closed_on=date(2026, 11, 2),
        created_by=person,
    )
    FileDocument = apps.get_model("acquisitions", "FileDocument")
    for kind, title, stored in (("needs", "Besoins", needs), ("efvp", "EFVP", efvp)):
        FileDocument.objects.create(
            file=file,
            kind=kind,
            title=title,
            stored=stored,
            retention="contract_duration",
            created_at=kept_at,
            key=f"key-{kind}",
            created_by=person,
        )
    file.efvp_document = efvp
    file.save(update_fields=["efvp_document"])
    guide = apps.get_model("catalogue", "SupportingDocument").objects.create(
        kind="guide", title="Guide d'acquisition"
    )
    for number in (1, 2):
        apps.get_model("catalogue", "SupportingDocumentVersion").objects.create(
            document=guide, number=number, file=_stored(apps, f"v{number}.pdf", b"g%d" % number)
        )
    annex = _stored(apps, "annexe.pdf", b"%PDF-1.7 annexe")
    sheet = {"documents": [{"code": "A", "title": "Annexe", "file_sha256": annex.sha256}]}
    draft = apps.get_model("catalogue", "SheetDraft").objects.create(
        supplier=supplier, content=sheet
    )
    prices = _stored(apps, "prix.xlsx", b"PK prix")
    apps.get_model("catalogue", "PriceImport").objects.create(draft=draft, file=prices)
    return {
        "broker": broker.pk,
        "client": client.pk,
        "supplier": supplier.pk,
        "file": file.pk,
        "guide": guide.pk,
        "hashes": {
            "needs": needs.sha256,
            "efvp": efvp.sha256,
            "annex": annex.sha256,
            "prices": prices.sha256,
        },
        "kept_at": kept_at,
    }


@pytest.fixture
def migrated(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    # The models as every migration applied now has them (other apps stay at their latest).
    applied = MigrationExecutor(connection)._create_project_state(with_applied_migrations=True)
    world = _world_before(applied.apps)
    call_command("migrate", verbosity=0)  # forwards to today's models
    return world


def _of(model, pk: int):
    return Document.objects.filter(subject_type=subjects.content_type(model), subject_id=pk)


def test_an_acquisition_files_documents_become_store_documents_with_the_same_bytes(migrated):
    """DOMAIN §7: the choice support keeps its type, title, key and hash; its retention counts
    from the file's closing (the contract's duration: disposal on the day it closed)."""
    hashes = migrated["hashes"]
    documents = {d.type: d for d in _of(AcquisitionFile, migrated["file"])}
    assert set(documents) == {"needs", "efvp"}
    needs = documents["needs"]
    assert (needs.title, needs.key, needs.sha256) == ("Besoins", "key-needs", hashes["needs"])
    assert needs.owner_id == migrated["client"]
    assert needs.created_at == migrated["kept_at"]
    assert (needs.disposal_on, needs.disposal_pending) == (date(2026, 11, 2), False)
    assert needs.stored.file.read() == b"%PDF-1.7 besoins"
    assert documents["efvp"].personal_information  # the type's flag (DOMAIN §3.1)
    file = AcquisitionFile.objects.get(pk=migrated["file"])
    assert file.efvp_document == documents["efvp"]
    assert file.efvp_document.sha256 == hashes["efvp"]


def test_the_catalogues_files_become_the_brokers_and_the_suppliers_documents(migrated):
    guide = _of(SupportingDocument, migrated["guide"]).get()
    assert (guide.type, guide.owner_id, guide.confidential) == (
        "catalogue_supporting",
        migrated["broker"],
        False,
    )
    assert [v.name for v in guide.versions.order_by("number")] == ["v1.pdf", "v2.pdf"]
    assert (guide.disposal_on, guide.disposal_pending) == (None, False)  # kept permanently
    supplier = migrated["supplier"]
    deposited = {d.type: d for d in Document.objects.filter(owner_id=supplier)}
    assert deposited["sheet_document"].sha256 == migrated["hashes"]["annex"]
    assert deposited["sheet_document"].title == "Annexe"
    prices = deposited["price_file"]
    assert prices.sha256 == migrated["hashes"]["prices"]
    assert prices.confidential and prices.disposal_on is not None  # 7 years after its deposit
    assert PriceImport.objects.get().file.sha256 == prices.sha256
