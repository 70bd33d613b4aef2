# Generated documents are rendered after the commit by a task (issue 9): each carries the key
# the service made for it, so that a task run twice keeps one document.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("acquisitions", "0002_storedfile_moves_to_files"),
        ("files", "0002_storedfile_table"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="filedocument",
            name="key",
            field=models.CharField(blank=True, default="", editable=False, max_length=36),
        ),
        migrations.AddConstraint(
            model_name="filedocument",
            constraint=models.UniqueConstraint(
                condition=models.Q(("key", ""), _negated=True),
                fields=("key",),
                name="file_document_key_unique",
            ),
        ),
    ]
