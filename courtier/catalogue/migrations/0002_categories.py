"""The Catalogue's categories (volets), as DOMAIN §2 lists them (004 §2.3; 002 §1.2)."""

from django.db import migrations

from courtier.catalogue.categories import ensure_categories

def load(apps, schema_editor):
    ensure_categories(apps.get_model("catalogue", "Category"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
