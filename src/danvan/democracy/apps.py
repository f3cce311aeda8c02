from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemocracyConfig(AppConfig):
    name = "danvan.democracy"
    verbose_name = _("Grassroots democracy")
