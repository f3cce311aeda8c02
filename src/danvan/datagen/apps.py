from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatagenConfig(AppConfig):
    name = "danvan.datagen"
    verbose_name = _("Data generator")
