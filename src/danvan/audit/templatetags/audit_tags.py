"""The audit log in words: object types and changed fields by their translated names."""

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.audit.actions import label

register = template.Library()

# What services record besides model fields (counts, lists, flags).
CHANGE_KEYS = {
    "advanced": _("advanced to the next round"),
    "citizens": _("citizens"),
    "code": _("code"),
    "community": _("residential community"),
    "created": _("created"),
    "created_at": _("created"),
    "created_by": _("created by"),
    "changed_at": _("changed"),
    "issued_by": pgettext_lazy("person", "issued by"),
    "submitted_by": _("sent by"),
    "reviewed_by": _("reviewed by"),
    "criteria": _("criteria"),
    "files": _("files"),
    "households": _("households"),
    "items": _("support given"),
    "key_task": _("key task"),
    "member": _("member"),
    "outcome": _("outcome"),
    "percent": _("percent"),
    "position": _("position"),
    "progress": _("progress"),
    "recipients": _("recipients"),
    "revoked": _("revoked"),
    "role": _("role"),
    "rows": _("rows"),
    "rule": _("rule"),
    "score": _("score"),
    "sections": _("sections"),
    "task": _("task"),
    "teams": _("teams"),
    "updated": _("updated"),
    "username": _("username"),
    "version": _("version"),
    "votes_cast": _("votes cast"),
}


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@register.filter
def object_kind(label: str) -> str:
    """ "plans.task" → "nhiệm vụ" (the model's verbose name); the code if unknown."""
    model = _model(label or "")
    return str(model._meta.verbose_name) if model else label


@register.filter
def field_name(field: str, label: str) -> str:
    """A changed field by its verbose name ("title" → "tên"); the key if it is no field."""
    model = _model(label or "")
    if model is not None:
        try:
            found = model._meta.get_field(field.removesuffix("_id"))
        except FieldDoesNotExist:
            found = None
        # Not a reverse relation, and named by the model (not Django's default from the
        # field's name, which would read in English).
        named = getattr(found, "verbose_name", None)
        if named is not None and str(named) != found.name.replace("_", " "):
            return str(named)
    return str(CHANGE_KEYS.get(field.removesuffix("_id"), CHANGE_KEYS.get(field, field)))


@register.filter
def action_label(code: str) -> str:
    return label(code)


@register.filter
def change_value(value, arg: str):
    """A recorded value in words: a choice by its label ("issued" → "Đã ban hành")."""
    field, _sep, model_label = arg.partition("|")
    model = _model(model_label)
    if model is None or value is None:
        return value
    try:
        found = model._meta.get_field(field)
    except FieldDoesNotExist:
        return value
    if isinstance(value, list | dict):
        return value
    choices = dict(getattr(found, "flatchoices", None) or ())
    return choices.get(value, value)


@register.filter
def changes_of(event) -> list[tuple[str, list]]:
    """(field, [before, after]) pairs; a dict key named "items" must not hide the dict's
    items from the template, and a value that is not a pair shows as the value after."""
    rows = []
    for field, values in (event.changes or {}).items():
        pair = values if isinstance(values, list) and len(values) == 2 else [None, values]
        rows.append((field, pair))
    return rows
