"""Issue 11 §1, second step: every document an acquisition file kept becomes a document of the
store (the same type code, title, author, date and key), its one version pointing at the same
stored bytes, so its SHA-256 is unchanged; the trial reports, the head's authorisations and the
EFVP then point at those documents. Disposal dates follow the type's rule (DOMAIN §7)."""

from django.db import migrations

from courtier.documents.migrating import Kept, keep_in_store, subject_type


def forwards(apps, schema_editor):
    FileDocument = apps.get_model("acquisitions", "FileDocument")
    AcquisitionFile = apps.get_model("acquisitions", "AcquisitionFile")
    Trial = apps.get_model("acquisitions", "Trial")
    HeadAuthorisation = apps.get_model("acquisitions", "HeadAuthorisation")
    file_type = subject_type(apps, "acquisitions", "acquisitionfile")
    # (file, stored file) -> the newest document of the file that keeps those bytes
    moved: dict[tuple[int, int], int] = {}
    rows = FileDocument.objects.select_related("file", "stored").order_by("created_at", "pk")
    for old in rows.iterator(chunk_size=500):
        document = keep_in_store(
            apps,
            subject_type=file_type,
            subject_id=old.file_id,
            owner_id=old.file.client_id,
            type=old.kind,
            title=old.title,
            versions=[Kept(old.stored, old.stored.name, old.created_by_id, old.created_at)],
            key=old.key,
            contract_end=old.file.closed_on,
        )
        moved[(old.file_id, old.stored_id)] = document.pk
    for file in AcquisitionFile.objects.filter(efvp_document__isnull=False):
        file.efvp_record_id = moved.get((file.pk, file.efvp_document_id))
        file.save(update_fields=["efvp_record"])
    for trial in Trial.objects.filter(report__isnull=False):
        trial.report_record_id = moved.get((trial.file_id, trial.report_id))
        trial.save(update_fields=["report_record"])
    for head in HeadAuthorisation.objects.all():
        head.document_record_id = moved.get((head.file_id, head.document_id))
        head.save(update_fields=["document_record"])
    missing = HeadAuthorisation.objects.filter(document_record__isnull=True).count()
    if missing:  # every authorisation's document was kept with the file: never expected
        raise RuntimeError(f"{missing} head authorisations without their document")


class Migration(migrations.Migration):
    dependencies = [
        ("acquisitions", "0006_documents_in_store_fields"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Backwards, the documents stay in the store (they may have versions and disposals of their
    # own): only the schema goes back.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
