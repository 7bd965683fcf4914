"""Default rubrics (programme empty) from curation/data/default_rubrics.json; programmes copy
them and officers edit the copies in admin."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "default_rubrics.json"


def load(apps, schema_editor):
    Rubric = apps.get_model("curation", "Rubric")
    Criterion = apps.get_model("curation", "Criterion")
    for spec in json.loads(DATA.read_text(encoding="utf-8")):
        if Rubric.objects.filter(programme__isnull=True, category=spec["category"]).exists():
            continue
        rubric = Rubric.objects.create(
            programme=None, category=spec["category"], name=spec["name"], standard=spec["standard"]
        )
        Criterion.objects.bulk_create(
            Criterion(rubric=rubric, position=position, **criterion)
            for position, criterion in enumerate(spec["criteria"], start=1)
        )


def unload(apps, schema_editor):
    apps.get_model("curation", "Rubric").objects.filter(programme__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("curation", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
