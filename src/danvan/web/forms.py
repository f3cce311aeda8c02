from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _


class FormRenderer(TemplatesSetting):
    """{{ form }} and {{ field.as_field_group }} in the design system's markup."""

    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Both are case-sensitive."),
        "inactive": _("This account is disabled."),
    }


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=500)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)


class OrganizationForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    public_contact = forms.CharField(
        label=_("Public contact"),
        max_length=300,
        required=False,
        help_text=_("Address, reception hours and phone of the office, shown to citizens"),
    )
    type = forms.ChoiceField(label=_("Type"))
    area = forms.CharField(
        label=_("Area code"), max_length=10, help_text=_("Statistics-office code, e.g. 10105")
    )

    def __init__(self, *args, types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [(t.code, t.display_name) for t in types]
