"""Appending to and verifying the audit chain. Services call `record`; nothing else writes."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from danvan.core.snapshot import canonical, jsonable, snapshot  # noqa: F401  (the log's API)

from .context import current_request_id
from .models import AuditEvent, AuditHead

GENESIS = "0" * 64


def diff(before: dict | None, after: dict | None) -> dict:
    """Field -> [before, after] for the fields that changed."""
    before, after = before or {}, after or {}
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def key_id(key: str) -> str:
    """A short name for a key, stored with each event so old keys still verify."""
    return hashlib.sha256(key.encode()).hexdigest()[:8]


def keys() -> dict[str, bytes]:
    return {key_id(k): k.encode() for k in settings.AUDIT_KEYS}


def current_key() -> tuple[str, bytes]:
    key = settings.AUDIT_KEYS[0]
    return key_id(key), key.encode()


def seal(key: bytes, prev_hash: str, payload: dict) -> str:
    """HMAC-SHA256 of the previous seal and the event: without the key (kept outside the
    database) a rewritten event cannot be given a seal that verifies."""
    return hmac.new(key, (prev_hash + canonical(payload)).encode(), hashlib.sha256).hexdigest()


def _payload(event: AuditEvent) -> dict:
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
        # Only when set: events written before the column existed keep their hashes.
        **({"org_path": event.org_path} if event.org_path else {}),
        **({"area_path": event.area_path} if event.area_path else {}),
    }


def _path_of(obj: models.Model, which: str) -> str:
    """The object's organization or area path, as its model's ScopeSpec names it."""
    spec = getattr(type(obj), "scope", None)
    lookup = getattr(spec, which, None) if spec is not None else None
    if not lookup:
        return ""
    value = obj
    for part in lookup.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return ""
    return str(value)


def _lock_head() -> AuditHead:
    if connection.vendor == "postgresql":
        # The head row may not exist yet; an advisory lock covers that first append too.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(726173)")
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    return head or AuditHead.objects.create(pk=1)


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event. Must run inside the service's transaction, so both land or neither."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic()")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
        org_path, area_path = _path_of(obj, "org"), _path_of(obj, "area")
    else:
        org_path = area_path = ""
    head = _lock_head()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if is_user else None,
        actor_repr=(actor.get_username() if is_user else str(actor or "system"))[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr,
        changes=jsonable(changes if changes is not None else diff(before, after)),
        request_id=current_request_id(),
        org_path=org_path,
        area_path=area_path,
        prev_hash=head.last_hash or GENESIS,
        hash="pending-" + uuid.uuid4().hex,
    )
    event.key_id, key = current_key()
    event.save(_append=True)
    event.hash = seal(key, event.prev_hash, _payload(event))
    AuditEvent.objects.filter(pk=event.pk).update(hash=event.hash)
    head.last_id, head.last_hash, head.count = event.pk, event.hash, head.count + 1
    head.save(update_fields=["last_id", "last_hash", "count"])
    return event


@dataclass
class VerifyResult:
    checked: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(batch_size: int = 5000, checkpoints=None) -> VerifyResult:
    """Recompute the chain. Reports edited events, deleted or inserted ones, a cut tail,
    and — against the checkpoints kept outside the database (`checkpoints.check`) — a
    history rewritten and re-sealed by someone who holds the key."""
    from . import checkpoints as anchors

    problems: list[str] = []
    known = keys()
    prev_hash = GENESIS
    checked = 0
    last_id = 0
    qs = AuditEvent.objects.order_by("id")
    for event in qs.iterator(chunk_size=batch_size):
        checked += 1
        if event.prev_hash != prev_hash:
            problems.append(
                f"event {event.pk}: chain broken before it (an event was deleted or inserted)"
            )
        key = known.get(event.key_id)
        if key is None:
            problems.append(
                f"event {event.pk}: sealed with key {event.key_id or '(none)'}, which is not "
                "configured (keep retired keys after the current one in DANVAN_AUDIT_KEYS)"
            )
        elif not hmac.compare_digest(seal(key, event.prev_hash, _payload(event)), event.hash):
            problems.append(f"event {event.pk}: contents changed after it was written")
        prev_hash, last_id = event.hash, event.pk
    head = AuditHead.objects.filter(pk=1).first()
    expected = (head.last_id, head.last_hash, head.count) if head else (0, GENESIS, 0)
    if head and (last_id, prev_hash, checked) != expected:
        problems.append(
            f"chain head says {head.count} events ending at {head.last_id}, "
            f"found {checked} ending at {last_id}: events were removed or added outside the log"
        )
    if not head and checked:
        problems.append("chain head is missing")
    problems.extend(anchors.check(checkpoints))
    return VerifyResult(checked=checked, problems=problems)
