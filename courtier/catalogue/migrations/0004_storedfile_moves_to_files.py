# Stored files belong to the files app (issue 9): the foreign keys point there, and the model
# leaves this app's state. No table changes here (files.0002 renames the table).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_search"),
        ("files", "0001_initial"),
        ("acquisitions", "0002_storedfile_moves_to_files"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="priceimport",
                    name="file",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="files.storedfile",
                    ),
                ),
                migrations.AlterField(
                    model_name="supportingdocumentversion",
                    name="file",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="files.storedfile",
                    ),
                ),
                migrations.DeleteModel(name="StoredFile"),
            ],
        ),
    ]
