from django.db import migrations

ADDED = {
    "commission_officer": ["emulation.*"],
    "organization_officer": ["emulation.register"],
    "leader": ["emulation.evaluate"],
}


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, actions in ADDED.items():
        role = Role.objects.filter(code=code).first()
        if role:
            role.actions = sorted(set(role.actions) | set(actions))
            role.save(update_fields=["actions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_default_roles")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
