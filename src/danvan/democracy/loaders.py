"""Loads the default categories, matter types and rules (used by the migration; safe to run
again: rows are matched by their codes and start dates)."""

from decimal import Decimal

from . import defaults


def load_defaults(apps=None) -> None:
    get = (lambda name: apps.get_model("democracy", name)) if apps else _model
    Category, DisclosureRule = get("DisclosureCategory"), get("DisclosureRule")
    MatterType, ThresholdRule = get("MatterType"), get("ThresholdRule")
    for order, (code, name, name_en) in enumerate(defaults.CATEGORIES, start=1):
        Category.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order * 10}
        )
    for code, days, count, posting, citation, start in defaults.DISCLOSURE_RULES:
        category = Category.objects.get(code=code) if code else None
        DisclosureRule.objects.update_or_create(
            category=category,
            effective_from=start,
            defaults={"publish_within": days, "day_count": count, "min_posting_days": posting,
                      "citation": citation},
        )  # fmt: skip
    for order, (code, name, name_en, mode) in enumerate(defaults.MATTER_TYPES, start=1):
        MatterType.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "mode": mode, "sort_order": order * 10},
        )
    for code, percent, strict, citation, start in defaults.THRESHOLD_RULES:
        ThresholdRule.objects.update_or_create(
            matter_type=MatterType.objects.get(code=code),
            effective_from=start,
            defaults={"percent": Decimal(percent), "strict": strict, "citation": citation},
        )


def _model(name):
    from django.apps import apps

    return apps.get_model("democracy", name)
