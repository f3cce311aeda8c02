from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SituationConfig(AppConfig):
    name = "danvan.situation"
    verbose_name = _("People's situation and welfare")
