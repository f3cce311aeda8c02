"""Topics, deadline rules and reception rules a new installation starts with."""

from django.db import migrations

from danvan.voices.defaults import DEADLINE_RULES, RECEPTION_RULES, TOPICS


def load(apps, schema_editor):
    Topic = apps.get_model("voices", "Topic")
    DeadlineRule = apps.get_model("voices", "DeadlineRule")
    ReceptionRule = apps.get_model("voices", "ReceptionRule")
    for order, (code, name, name_en) in enumerate(TOPICS, start=1):
        Topic.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "sort_order": order * 10})
    for kind, step, condition, days, count, ext, ext_days, citation, start in DEADLINE_RULES:
        DeadlineRule.objects.update_or_create(
            kind=kind,
            step=step,
            condition=condition,
            effective_from=start,
            defaults={
                "days": days,
                "day_count": count,
                "max_extensions": ext,
                "extension_days": ext_days,
                "citation": citation,
            },
        )
    for role, days, per, citation, start in RECEPTION_RULES:
        ReceptionRule.objects.update_or_create(
            head_role=role, effective_from=start, defaults={"days": days, "per": per, "citation": citation}
        )


class Migration(migrations.Migration):
    dependencies = [("voices", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
