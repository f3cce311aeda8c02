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
