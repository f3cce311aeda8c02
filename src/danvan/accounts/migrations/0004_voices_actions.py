from django.db import migrations

ADDED = {
    "commission_officer": ["voices.intake"],
    "case_handler": ["voices.intake", "voices.handle", "voices.view_identity", "voices.view_denouncer"],
    "leader": ["voices.intake"],
}


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, actions in ADDED.items():
        role = Role.objects.filter(code=code).first()
        if role:
            role.actions = sorted(set(role.actions) | set(actions))
            role.save(update_fields=["actions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_emulation_actions")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
