"""Topics, reporting rules, signal rules and campaign types a new installation starts with."""

from django.db import migrations

from danvan.situation.defaults import load


class Migration(migrations.Migration):
    dependencies = [("situation", "0001_initial"), ("org", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
