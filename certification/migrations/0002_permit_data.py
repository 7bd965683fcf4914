"""Permit requirements per product category and the document checklist of each permit kind,
from certification/data/permits.json; officers edit them in admin."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "permits.json"


def load(apps, schema_editor):
    PermitRequirement = apps.get_model("certification", "PermitRequirement")
    ChecklistItem = apps.get_model("certification", "ChecklistItem")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for row in data["requirements"]:
        PermitRequirement.objects.get_or_create(
            category=row["category"], defaults={"kind": row["kind"], "note": row["note"]}
        )
    for kind, items in data["checklists"].items():
        for position, item in enumerate(items, start=1):
            ChecklistItem.objects.get_or_create(
                kind=kind, code=item["code"],
                defaults={"name": item["name"], "description": item["description"],
                          "position": position, "required": True},
            )


def unload(apps, schema_editor):
    apps.get_model("certification", "ChecklistItem").objects.all().delete()
    apps.get_model("certification", "PermitRequirement").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
