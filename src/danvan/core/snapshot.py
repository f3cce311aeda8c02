"""A record's values as plain JSON, one way: what the audit log stores and seals, and what
an edit's version is computed from (core.versions)."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable

from django.db import models
from django.db.models.fields.files import FieldFile


def jsonable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


# Never copied into the log; a change shows as a different fingerprint.
SECRET_FIELDS = {"password", "key_hash"}


def _value(obj: models.Model, name: str):
    value = getattr(obj, name)
    if name in SECRET_FIELDS and value:
        return "hidden:" + hashlib.sha256(str(value).encode()).hexdigest()[:8]
    return jsonable(value)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict:
    """The values of an object's concrete fields (foreign keys as ids), ready for `record`."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _value(obj, name) for name in names}


def canonical(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
