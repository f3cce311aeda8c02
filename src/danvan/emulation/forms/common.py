"""Pieces the app's forms share: field helpers and the errors mixin that knows a
criterion's score field. They parse and shape input; the rules (required text, ranges, dates
in order, who may do what) are the services' to enforce, so most fields are lenient and the
service's error is shown next to the field it names."""

from __future__ import annotations

from django import forms

from danvan.core.forms import DateField
from danvan.core.forms import ServiceErrorsMixin as CoreServiceErrorsMixin


def plain_number(number) -> str:
    """10.00 → "10", 2.50 → "2.5" (never "1E+1")."""
    return f"{number:f}".rstrip("0").rstrip(".") if "." in f"{number:f}" else f"{number:f}"


def _text(label, *, max_length=300, textarea=False, required=False, **kwargs):
    widget = forms.Textarea(attrs={"rows": 3}) if textarea else None
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget, **kwargs
    )


def _date(label, *, required=True, **kwargs):
    return DateField(label=label, required=required, **kwargs)


def _number(label, *, placeholder: str = "", required=False, **kwargs):
    """A decimal typed as text: the service parses it and says what is wrong."""
    attrs = {**DECIMAL, **({"placeholder": placeholder} if placeholder else {})}
    return forms.CharField(
        label=label,
        max_length=20,
        required=required,
        widget=forms.TextInput(attrs=attrs),
        **kwargs,
    )


def _units(field: forms.Field, units) -> None:
    field.choices = [(u.pk, u.name) for u in units]


DECIMAL = {"inputmode": "decimal"}


class ServiceErrorsMixin(CoreServiceErrorsMixin):
    def service_field(self, name: str) -> str | None:
        # A criterion's score ("scores.<code>") is the form's field "c_<code>".
        if name.startswith("scores."):
            name = "c_" + name.split(".", 1)[1]
        return super().service_field(name)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []
