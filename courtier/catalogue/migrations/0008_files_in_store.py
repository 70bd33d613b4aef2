"""Issue 11 §1: the Catalogue's files enter the document store with their hashes unchanged:
each supporting document with its published versions (the broker's, kept permanently), and each
file a supplier deposited, once per supplier and bytes: the documents its proposals and sheet
versions point at and its price files (the supplier's, 7 years after they were deposited)."""

from django.db import migrations

from courtier.documents.migrating import Kept, keep_in_store, subject_type


def _supporting(apps):
    SupportingDocument = apps.get_model("catalogue", "SupportingDocument")
    Organisation = apps.get_model("accounts", "Organisation")
    documents = SupportingDocument.objects.prefetch_related("versions__file").order_by("pk")
    if not documents.exists():
        return
    broker = Organisation.objects.get(kind="broker")  # who publishes them
    kind = subject_type(apps, "catalogue", "supportingdocument")
    for document in documents:
        versions = sorted(document.versions.all(), key=lambda v: v.number)
        if not versions:
            continue
        keep_in_store(
            apps,
            subject_type=kind,
            subject_id=document.pk,
            owner_id=broker.pk,
            type="catalogue_supporting",
            title=document.title,
            versions=[
                Kept(v.file, v.file.name, v.published_by_id, v.published_at) for v in versions
            ],
        )


def _deposited(apps):
    """(supplier, sha256) -> (type, title, name, stored, by, when), the first deposit."""
    StoredFile = apps.get_model("files", "StoredFile")
    found = {}
    for model in ("SheetDraft", "SheetVersion"):
        rows = apps.get_model("catalogue", model).objects.order_by("pk")
        for supplier_id, content in rows.values_list("supplier_id", "content").iterator():
            docs = content.get("documents") if isinstance(content, dict) else None
            for doc in docs or []:
                sha = doc.get("file_sha256") if isinstance(doc, dict) else None
                if isinstance(sha, str):
                    found.setdefault(
                        (supplier_id, sha),
                        ("sheet_document", doc.get("title") or "", doc.get("file_name") or ""),
                    )
    imports = apps.get_model("catalogue", "PriceImport").objects.select_related("draft", "file")
    for price_import in imports.filter(file__isnull=False).order_by("pk"):
        name = price_import.file.name
        found.setdefault(
            (price_import.draft.supplier_id, price_import.file.sha256),
            ("price_file", f"Fichier de prix — {name}", name),
        )
    stored = StoredFile.objects.in_bulk({sha for _supplier, sha in found}, field_name="sha256")
    return found, stored


def _supplier_files(apps):
    found, stored = _deposited(apps)
    organisation = subject_type(apps, "accounts", "organisation")
    for (supplier_id, sha), (type_, title, name) in found.items():
        kept = stored.get(sha)
        if kept is None:  # a sheet pointing at a hash no file has: nothing to move
            continue
        keep_in_store(
            apps,
            subject_type=organisation,
            subject_id=supplier_id,
            owner_id=supplier_id,
            type=type_,
            title=title or kept.name,
            versions=[Kept(kept, name or kept.name, kept.created_by_id, kept.created_at)],
        )


def forwards(apps, schema_editor):
    _supporting(apps)
    _supplier_files(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0007_priceimport_file_disposable"),
        ("documents", "0001_initial"),
        ("accounts", "0003_calendar_feed_and_digest"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Backwards, the documents stay in the store (they may have versions and disposals of their
    # own): only the schema goes back.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
