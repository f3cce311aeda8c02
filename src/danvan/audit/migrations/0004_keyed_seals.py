"""Seal the audit chain with a key (HMAC-SHA256) instead of a bare SHA-256.

Existing events are verified under the old unkeyed hashes first, then re-sealed in order
with the current audit key. A chain that does not verify stops the upgrade: re-sealing it
would hide the break (run `audit_verify` on the previous version and investigate)."""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64


def _payload(event) -> dict:
    return {
        "id": event.pk,
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_repr": event.actor_repr,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "request_id": event.request_id,
        **({"org_path": event.org_path} if event.org_path else {}),
        **({"area_path": event.area_path} if event.area_path else {}),
    }


def _body(prev: str, event) -> bytes:
    payload = json.dumps(_payload(event), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (prev + payload).encode()


def reseal(apps, schema_editor):
    Event = apps.get_model("audit", "AuditEvent")
    Head = apps.get_model("audit", "AuditHead")
    key = settings.AUDIT_KEYS[0]
    kid = hashlib.sha256(key.encode()).hexdigest()[:8]
    old_prev = new_prev = GENESIS
    last_id = count = 0
    for event in Event.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != old_prev or hashlib.sha256(_body(old_prev, event)).hexdigest() != event.hash:
            raise RuntimeError(
                f"The audit chain does not verify at event {event.pk}; it is not re-sealed. "
                "Run audit_verify on the previous version and investigate first."
            )
        old_prev = event.hash
        sealed = hmac.new(key.encode(), _body(new_prev, event), hashlib.sha256).hexdigest()
        Event.objects.filter(pk=event.pk).update(prev_hash=new_prev, hash=sealed, key_id=kid)
        new_prev, last_id, count = sealed, event.pk, count + 1
    if count:
        Head.objects.update_or_create(
            pk=1, defaults={"last_id": last_id, "last_hash": new_prev, "count": count}
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_event_area_path")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),
    ]
