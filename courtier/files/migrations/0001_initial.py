# Stored files move from the catalogue app to their own (issue 9): the model changes app in
# Django's state only; its table is renamed by 0002 once no app's state points at the old one.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def rename_content_type(apps, schema_editor, old="catalogue", new="files"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="storedfile").exists():
        ContentType.objects.filter(app_label=old, model="storedfile").update(app_label=new)


def restore_content_type(apps, schema_editor):
    rename_content_type(apps, schema_editor, old="files", new="catalogue")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalogue", "0003_search"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StoredFile",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("sha256", models.CharField(max_length=64, unique=True)),
                        (
                            "name",
                            models.CharField(max_length=255, verbose_name="nom du fichier"),
                        ),
                        ("content_type", models.CharField(max_length=100)),
                        ("size", models.PositiveBigIntegerField()),
                        ("file", models.FileField(upload_to="fichiers/%Y/%m/")),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, editable=False
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"verbose_name": "fichier", "db_table": "catalogue_storedfile"},
                ),
            ],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
