"""Loads the default topics, time limits, reception rules and complexity criteria (used by
migrations; safe to run again: rows are matched by their keys and start dates).

A row matched here is brought to the defaults even when in force: this is how a
transcription error in the loaded law is corrected (docs/legal-rules.md records each
correction). Administrators never edit rows in force; they add rows."""

from . import defaults


def load_defaults(apps=None) -> None:
    get = (lambda name: apps.get_model("voices", name)) if apps else _model
    Topic, DeadlineRule = get("Topic"), get("DeadlineRule")
    ReceptionRule, Criterion = get("ReceptionRule"), get("ComplexityCriterion")
    for order, (code, name, name_en) in enumerate(defaults.TOPICS, start=1):
        Topic.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order * 10}
        )
    for (
        kind,
        step,
        condition,
        days,
        count,
        ext,
        ext_days,
        citation,
        start,
    ) in defaults.DEADLINE_RULES:
        _upsert(
            DeadlineRule,
            {"kind": kind, "step": step, "condition": condition, "effective_from": start},
            {"days": days, "day_count": count, "max_extensions": ext, "extension_days": ext_days,
             "citation": citation},
        )  # fmt: skip
    for role, days, per, citation, start in defaults.RECEPTION_RULES:
        _upsert(
            ReceptionRule,
            {"head_role": role, "effective_from": start},
            {"days": days, "per": per, "citation": citation},
        )
    for order, (kind, code, text) in enumerate(defaults.COMPLEXITY_CRITERIA, start=1):
        _upsert(
            Criterion,
            {"kind": kind, "code": code, "effective_from": defaults.FROM_DECREE_31},
            {"text": text, "level": "complicated", "citation": defaults.DECREE_31,
             "sort_order": order * 10},
        )  # fmt: skip


def _upsert(model, keys: dict, values: dict) -> None:
    """An update through the queryset: the rows' own save() refuses changes in force."""
    if not model.objects.filter(**keys).update(**values):
        model.objects.create(**keys, **values)


def _model(name):
    from django.apps import apps

    return apps.get_model("voices", name)
