"""Checkpoints of the audit chain, kept outside the database.

A checkpoint is one JSON line — time, event count, last event id, its seal — with an HMAC
of its own, appended to `settings.AUDIT_CHECKPOINT_FILE` (never rewritten). Whoever holds
both the database and the audit key could re-seal a rewritten history, but not make it
match the seals recorded earlier in this file or in the copies sent to the level above
(`audit_checkpoint` prints the line to send). `audit_verify` compares the chain with every
checkpoint it is given.
"""

from __future__ import annotations

import hmac
import json
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .log import current_key, keys, seal
from .models import AuditEvent, AuditHead


def _mac(key: bytes, line: dict) -> str:
    # The events' seal with nothing before it: the same HMAC over the same canonical JSON.
    return seal(key, "", {k: v for k, v in line.items() if k != "mac"})


def take(path: Path | None = None) -> dict:
    """Append a checkpoint of the current head and return it."""
    path = Path(path or settings.AUDIT_CHECKPOINT_FILE)
    head = AuditHead.objects.filter(pk=1).first()
    kid, key = current_key()
    line = {
        "at": timezone.now().isoformat(timespec="seconds"),
        "count": head.count if head else 0,
        "last_id": head.last_id if head else 0,
        "seal": head.last_hash if head else "",
        "key_id": kid,
    }
    line["mac"] = _mac(key, line)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(json.dumps(line, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return line


def check(path: Path | None = None) -> list[str]:
    """Problems between the chain and the checkpoints in `path` (default: the file in the
    settings; missing file: nothing to compare)."""
    path = Path(path or settings.AUDIT_CHECKPOINT_FILE)
    if not path.exists():
        return []
    known = keys()
    problems = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        where = f"checkpoint {number}"
        try:
            line = json.loads(raw)
            at, count, last_id, seal = line["at"], line["count"], line["last_id"], line["seal"]
            key = known.get(line["key_id"])
            mac = line["mac"]
        except (ValueError, KeyError, TypeError):
            problems.append(f"{where}: not a checkpoint line")
            continue
        where = f"{where} ({at})"
        if key is None:
            problems.append(f"{where}: made with key {line['key_id']}, which is not configured")
            continue
        if not hmac.compare_digest(_mac(key, line), str(mac)):
            problems.append(f"{where}: the line was altered")
            continue
        if not last_id:
            continue
        event = AuditEvent.objects.filter(pk=last_id).values_list("hash", flat=True).first()
        if event is None:
            problems.append(f"{where}: event {last_id} is gone")
        elif not hmac.compare_digest(event, seal):
            problems.append(
                f"{where}: event {last_id} no longer carries the seal recorded then: "
                "the history up to it was rewritten"
            )
        elif AuditEvent.objects.filter(pk__lte=last_id).count() != count:
            problems.append(f"{where}: {count} events were recorded up to {last_id}, not so now")
    return problems
