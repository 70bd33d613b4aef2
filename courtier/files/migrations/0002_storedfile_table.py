# The stored files' table takes the files app's name, now that every app's state points here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("files", "0001_initial"),
        ("catalogue", "0004_storedfile_moves_to_files"),
        ("acquisitions", "0002_storedfile_moves_to_files"),
    ]

    operations = [migrations.AlterModelTable(name="storedfile", table=None)]
