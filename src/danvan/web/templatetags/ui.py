"""Filters every template may use without loading them (registered as builtins)."""

from django import template

from danvan.accounts.scope import holds
from danvan.core.tones import tone as tone_of

register = template.Library()


@register.filter
def tone(code) -> str:
    """The CSS class for a state code: {{ task.state|tone }} → "tone-ok"."""
    return f"tone-{tone_of(code)}"


@register.filter
def may(user, action: str) -> bool:
    """{% if user|may:"voices.intake" %}: whether to offer an action at all; the view and
    the service check it again on the object."""
    return holds(user, action)
