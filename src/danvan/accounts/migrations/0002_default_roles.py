from django.db import migrations


# Frozen copy of the seed data as it stood when this migration was last changed: a later
# change to the defaults is a new migration, never an edit of this one.
DEFAULT_ROLES = [('administrator', 'Quản trị viên', 'Administrator', ['*']),
 ('commission_officer',
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
 ('case_handler',
  'Cán bộ xử lý đơn thư',
  'Case handler',
  ['voices.intake', 'voices.handle', 'voices.view_identity', 'voices.view_denouncer']),
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
  ['audit.view', 'emulation.evaluate', 'voices.intake', 'plans.manage', 'reports.issue']),
 ('viewer', 'Người xem', 'Viewer', [])]


def load(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name, name_en, actions in DEFAULT_ROLES:
        Role.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "actions": actions})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
