# Stored files belong to the files app (issue 9): the foreign keys point there (state only; the
# table is the same).

import django.db.models.deletion
from django.db import migrations, models


def _file(**options):
    return models.ForeignKey(
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="files.storedfile",
        **options,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("acquisitions", "0001_initial"),
        ("files", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="acquisitionfile",
                    name="efvp_document",
                    field=_file(blank=True, null=True),
                ),
                migrations.AlterField(model_name="filedocument", name="stored", field=_file()),
                migrations.AlterField(
                    model_name="headauthorisation", name="document", field=_file()
                ),
                migrations.AlterField(
                    model_name="trial", name="report", field=_file(blank=True, null=True)
                ),
            ],
        ),
    ]
