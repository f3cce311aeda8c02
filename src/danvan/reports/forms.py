import re

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DateField, ServiceErrorsMixin, VersionField

from .periods import recent


def period_choices():
    return [(p.key, p.label) for p in recent()]


class GenerateForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    period = forms.ChoiceField(label=_("Period"), choices=period_choices)


class DetailsForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    place = forms.CharField(label=_("Place"), max_length=100)
    date = DateField(label=_("Date"))
    superior = forms.CharField(label=_("Superior body"), max_length=200, required=False)
    issuer = forms.CharField(
        label=_("Issuing body"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )
    abbreviation = forms.CharField(label=_("Abbreviation"), max_length=30)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Signer"), max_length=120, required=False)
    recipients = forms.CharField(
        label=_("Recipients"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField()


class SectionForm(forms.Form):
    text = forms.CharField(
        label=_("Narrative (a blank line between paragraphs)"),
        required=False,
        max_length=60000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = VersionField()

    def paragraphs(self) -> list[str]:
        text = self.cleaned_data.get("text") or ""
        return [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
