from django.db import migrations

from danvan.accounts.actions import DEFAULT_ROLES

CODES = ["commission_officer", "organization_officer", "government_officer", "leader"]


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name, name_en, actions in DEFAULT_ROLES:
        if code not in CODES:
            continue
        role = Role.objects.filter(code=code).first()
        if role is None:
            Role.objects.create(code=code, name=name, name_en=name_en, actions=actions)
        else:
            role.actions = sorted(set(role.actions) | set(actions))
            role.save(update_fields=["actions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_voices_actions")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
