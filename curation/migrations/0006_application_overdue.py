from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0005_validate_expected_days"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["programme", "status", "status_changed_at", "id"],
                name="application_overdue",
            ),
        ),
    ]
