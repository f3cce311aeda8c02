"""Text stored before every way in normalized it: put into NFC (core/text.py), once.

It lives in the web app because it touches every domain app's tables and must run after
all of their migrations; no app depends on it."""

import unicodedata

from django.db import migrations

APPS = ("org", "accounts", "emulation", "voices", "plans", "democracy", "situation", "reports")
TEXT = ("CharField", "TextField", "SlugField")


def to_nfc(apps, schema_editor):
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            fields = [f.attname for f in model._meta.concrete_fields
                      if f.get_internal_type() in TEXT and not f.primary_key]  # fmt: skip
            if not fields:
                continue
            for row in model.objects.values("pk", *fields).iterator(chunk_size=2000):
                changed = {
                    name: unicodedata.normalize("NFC", value)
                    for name in fields
                    if isinstance(value := row[name], str)
                    and not unicodedata.is_normalized("NFC", value)
                }
                if changed:
                    model.objects.filter(pk=row["pk"]).update(**changed)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0003_organization_public_contact"),
        ("accounts", "0005_plans_reports_democracy_situation"),
        ("emulation", "0003_folded_search"),
        ("voices", "0005_matter_month_tally"),
        ("plans", "0001_initial"),
        ("democracy", "0001_initial"),
        ("situation", "0002_report_state_label"),
        ("reports", "0002_field_names"),
    ]

    operations = [migrations.RunPython(to_nfc, migrations.RunPython.noop)]
