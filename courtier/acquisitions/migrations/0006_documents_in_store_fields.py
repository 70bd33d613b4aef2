"""Issue 11 §1, first step: the file's documents move into the document store. The new
references to ``documents.Document`` sit beside the old ones until 0007 fills them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("acquisitions", "0005_file_closed_on"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="acquisitionfile",
            name="efvp_record",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="documents.document",
            ),
        ),
        migrations.AddField(
            model_name="trial",
            name="report_record",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="documents.document",
            ),
        ),
        migrations.AddField(
            model_name="headauthorisation",
            name="document_record",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="documents.document",
            ),
        ),
    ]
