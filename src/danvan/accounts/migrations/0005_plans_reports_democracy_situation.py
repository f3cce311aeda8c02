from django.db import migrations


# Frozen copy of the seed data as it stood when this migration was last changed: a later
# change to the defaults is a new migration, never an edit of this one.
DEFAULT_ROLES = [('commission_officer',
  'Cán bộ Ban Dân vận',
  'Commission officer',
  ['org.manage',
   'audit.view',
   'emulation.*',
   'voices.intake',
   'plans.*',
   'reports.*',
   'democracy.supervise',
   'situation.*']),
 ('organization_officer',
  'Cán bộ tổ chức, đoàn thể',
  'Organization officer',
  ['emulation.register', 'plans.report', 'democracy.supervise', 'situation.report']),
 ('government_officer',
  'Cán bộ chính quyền',
  'Government officer',
  ['democracy.manage',
   'democracy.respond',
   'plans.report',
   'situation.report',
   'situation.manage',
   'situation.view_beneficiaries']),
 ('leader',
  'Lãnh đạo',
  'Leader',
  ['audit.view', 'emulation.evaluate', 'voices.intake', 'plans.manage', 'reports.issue'])]

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
