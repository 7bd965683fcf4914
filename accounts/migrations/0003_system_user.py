from django.db import migrations


def create_system_user(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.get_or_create(
        username="system",
        defaults={"first_name": "Kurasi", "last_name": "(system)", "is_active": False,
                  "password": "!"},  # "!" is Django's unusable password: nobody can log in
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]
    operations = [migrations.RunPython(create_system_user, migrations.RunPython.noop)]
