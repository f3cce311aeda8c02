from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "danvan.web"
    verbose_name = _("Web interface")

    def ready(self):
        # Django 6.1's blank choice ("- Select an option -") has no Vietnamese translation
        # in Django's own catalogue; ours words it the way our forms speak.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("Choose one")

        # Every form's text fields refuse control characters with an error at the field.
        from django import forms

        from danvan.core.text import reject_bad_characters

        if reject_bad_characters not in forms.CharField.default_validators:
            forms.CharField.default_validators = [
                *forms.CharField.default_validators,
                reject_bad_characters,
            ]
