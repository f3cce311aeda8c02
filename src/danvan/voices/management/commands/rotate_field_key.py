from django.core.management.base import BaseCommand
from django.db import transaction

from danvan.audit.context import request_context
from danvan.audit.log import record
from danvan.core import crypto
from danvan.voices.models import Citizen


class Command(BaseCommand):
    help = (
        "Re-encrypt every confidential field with the first key of DANVAN_FIELD_KEYS. "
        "Put the new key first and keep the old one after it until this has run."
    )

    def handle(self, *args, **options):
        crypto.reset_cache()
        fields = ["name_enc", "address_enc", "contact_enc"]
        done = 0
        with request_context(), transaction.atomic():
            for citizen in (
                Citizen.objects.select_for_update().only("pk", *fields).iterator(chunk_size=2000)
            ):
                for name in fields:
                    setattr(citizen, name, crypto.rotate(getattr(citizen, name)))
                citizen.save(update_fields=fields)
                done += 1
            record(
                actor=None,
                action="voices.rotate_field_key",
                object_type="voices.citizen",
                changes={"rows": [None, done]},
            )
        self.stdout.write(f"re-encrypted {done} citizen records with the first key")
