"""Issue 11 §1, last step: the old references and the file's own document table go; the new
references take their names."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("acquisitions", "0007_documents_in_store_data")]

    operations = [
        migrations.RemoveField(model_name="acquisitionfile", name="efvp_document"),
        migrations.RemoveField(model_name="trial", name="report"),
        migrations.RemoveField(model_name="headauthorisation", name="document"),
        migrations.RenameField(
            model_name="acquisitionfile", old_name="efvp_record", new_name="efvp_document"
        ),
        migrations.RenameField(model_name="trial", old_name="report_record", new_name="report"),
        migrations.RenameField(
            model_name="headauthorisation", old_name="document_record", new_name="document"
        ),
        migrations.AlterField(
            model_name="headauthorisation",
            name="document",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="documents.document",
            ),
        ),
        migrations.DeleteModel(name="FileDocument"),
    ]
