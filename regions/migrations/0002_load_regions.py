"""Load the 38 provinces and 514 regencies/cities from regions/data (idn-area-data 4.0.1)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Province = apps.get_model("regions", "Province")
    Regency = apps.get_model("regions", "Regency")
    with open(DATA / "provinces.csv", encoding="utf-8") as handle:
        Province.objects.bulk_create(
            [Province(code=row["code"], name=row["name"]) for row in csv.DictReader(handle)],
            ignore_conflicts=True,
        )
    with open(DATA / "regencies.csv", encoding="utf-8") as handle:
        Regency.objects.bulk_create(
            [
                Regency(code=row["code"].replace(".", ""), province_id=row["province_code"],
                        name=row["name"])
                for row in csv.DictReader(handle)
            ],
            ignore_conflicts=True,
        )


def unload(apps, schema_editor):
    apps.get_model("regions", "Regency").objects.all().delete()
    apps.get_model("regions", "Province").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
