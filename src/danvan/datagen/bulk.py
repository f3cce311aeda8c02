"""Fast bulk inserts for generated data: explicit primary keys, `executemany` on SQLite,
COPY on PostgreSQL. Rows bypass model.save(), services and the audit log on purpose:
they are bulk data, not service writes (see docs/performance.md)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection, models

BATCH = 5000


def next_id(model: type[models.Model]) -> int:
    top = model.objects.aggregate(top=models.Max("pk"))["top"]
    return (top or 0) + 1


class Progress:
    """Prints rows and rows/s per table as they are written."""

    def __init__(self, out=None, *, quiet: bool = False):
        self.out = out or sys.stdout
        self.quiet = quiet
        self.totals: dict[str, int] = {}
        self.started = time.perf_counter()

    def done(self, label: str, rows: int, seconds: float) -> None:
        self.totals[label] = self.totals.get(label, 0) + rows
        if not self.quiet:
            rate = rows / seconds if seconds > 0 else 0.0
            self.out.write(
                f"  {label:<28} {rows:>10,} rows  {seconds:7.1f} s  {rate:>10,.0f} rows/s\n"
            )
            self.out.flush()

    def note(self, text: str) -> None:
        if not self.quiet:
            self.out.write(text + "\n")
            self.out.flush()


def _columns(model, fields: list[str]) -> list[str]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return [by_attname[name].column for name in fields]


def _adapter(model, fields: list[str]):
    """Per-column adapters so SQLite gets the text Django itself would store."""
    if connection.vendor == "postgresql":
        return None
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    ops = connection.ops
    adapters = []
    for name in fields:
        field = by_attname[name]
        if isinstance(field, models.DateTimeField):
            adapters.append(ops.adapt_datetimefield_value)
        elif isinstance(field, models.DecimalField):
            adapters.append(lambda v: None if v is None else str(v))
        else:
            adapters.append(None)
    if all(a is None for a in adapters):
        return None
    return adapters


def insert(
    model: type[models.Model],
    fields: list[str],
    rows: Iterable[tuple],
    *,
    progress: Progress | None = None,
    label: str | None = None,
) -> int:
    """Insert tuples (in the order of `fields`, attnames) into the model's table."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = _columns(model, fields)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    adapters = _adapter(model, fields)
    started = time.perf_counter()
    n = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        else:
            sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
            batch: list[tuple] = []
            for row in rows:
                if adapters is not None:
                    row = tuple(
                        a(v) if a is not None and v is not None else v
                        for a, v in zip(adapters, row, strict=True)
                    )
                batch.append(row)
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                n += len(batch)
    if progress is not None:
        progress.done(label or model._meta.label, n, time.perf_counter() - started)
    return n


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """After explicit ids on PostgreSQL, move the id sequences past them."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
