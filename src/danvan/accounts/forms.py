from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import ServiceErrorsMixin


class CodeForm(ServiceErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
