from django.apps import AppConfig
from django.db.models.signals import pre_save


def _nfc_text_fields(sender, instance, **kwargs):
    """The last guard of one Unicode form: every text field of every danvan model is saved
    in NFC, whatever way the text came in (a form, the API, an import, the admin, a
    command). Control characters are refused earlier, at each way in, with a field error."""
    from .text import nfc

    for field in sender._meta.concrete_fields:
        if field.get_internal_type() in ("CharField", "TextField", "SlugField"):
            value = getattr(instance, field.attname, None)
            if isinstance(value, str):
                setattr(instance, field.attname, nfc(value))


class CoreConfig(AppConfig):
    name = "danvan.core"
    label = "core"
    verbose_name = "danvan core"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .collation import register_sqlite_collation

        pre_save.connect(_nfc_text_fields, dispatch_uid="danvan.core.nfc")
        connection_created.connect(register_sqlite_collation, dispatch_uid="danvan.core.vi")
