"""Vietnamese alphabetical order, from ICU — never a hand-written alphabet.

The order is a ă â b c d đ e ê … with the tones after the base letter, as ICU's "vi"
collation defines it. PostgreSQL sorts with its ICU collation "vi-x-icu"; SQLite with a
collation "vi" registered on each connection, backed by the same ICU data through PyICU;
Python lists sort with `sort_key`. Official lists of units (areas, the organization
tree) keep the statistics office's code order instead and do not use this."""

from __future__ import annotations

import threading

import icu
from django.db.models import F
from django.db.models.functions import Collate

POSTGRESQL = "vi-x-icu"
SQLITE = "vi"

_local = threading.local()


def _collator():
    # An ICU collator is not meant to be shared between threads: one per thread.
    collator = getattr(_local, "collator", None)
    if collator is None:
        collator = _local.collator = icu.Collator.createInstance(icu.Locale("vi"))
    return collator


def sort_key(text: str | None) -> bytes:
    return _collator().getSortKey(text or "")


def compare(a: str | None, b: str | None) -> int:
    return _collator().compare(a or "", b or "")


class Vietnamese(Collate):
    """Order by a text column in Vietnamese order: `order_by(Vietnamese("name"))`, or
    `Vietnamese("name").desc()`; usable in Meta.ordering."""

    def __init__(self, field):
        super().__init__(F(field) if isinstance(field, str) else field, SQLITE)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, collation=connection.ops.quote_name(POSTGRESQL), **extra_context
        )


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE, compare)
