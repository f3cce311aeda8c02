"""Form pieces every app's forms share."""

from django import forms

from .dates import DISPLAY_FORMAT, INPUT_FORMATS


class DateInput(forms.DateInput):
    """Typed as dd/mm/yyyy whatever the browser's language (a browser date picker shows
    mm/dd/yyyy in an English browser)."""

    input_type = "text"

    def __init__(self, attrs=None):
        base = {"inputmode": "numeric", "autocomplete": "off", "class": "date",
                "placeholder": "dd/mm/yyyy", "maxlength": "10"}  # fmt: skip
        super().__init__(attrs={**base, **(attrs or {})}, format=DISPLAY_FORMAT)


class DateField(forms.DateField):
    widget = DateInput
    input_formats = INPUT_FORMATS

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", INPUT_FORMATS)
        super().__init__(*args, **kwargs)
