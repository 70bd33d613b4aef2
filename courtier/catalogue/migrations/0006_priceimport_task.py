from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_audit_labels")]

    operations = [
        migrations.AddField(
            model_name="priceimport",
            name="task_id",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="priceimport",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="priceimport",
            name="progress_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
