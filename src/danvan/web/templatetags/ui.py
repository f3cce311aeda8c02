"""Filters every template may use without loading them (registered as builtins)."""

from django import template

from danvan.core.tones import tone as tone_of

register = template.Library()


@register.filter
def tone(code) -> str:
    """The CSS class for a state code: {{ task.state|tone }} → "tone-ok"."""
    return f"tone-{tone_of(code)}"
