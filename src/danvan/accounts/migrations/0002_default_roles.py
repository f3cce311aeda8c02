from django.db import migrations

from danvan.accounts.actions import DEFAULT_ROLES


def load(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name, name_en, actions in DEFAULT_ROLES:
        Role.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "actions": actions})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
