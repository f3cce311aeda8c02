"""The matter tallies (the summary behind queries.case_counts), kept in the caller's
transaction, and their recount."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth, ExtractYear

from ..models import (
    Matter,
    MatterMonthTally,
    MatterTally,
)


def _count(matter: Matter, kind: str | None, state: str | None, delta: int) -> None:
    """Move one matter in or out of a tally row, in the caller's transaction."""
    if not kind or not state:
        return
    key = {
        "unit_id": matter.unit_id,
        "year": matter.petition.received_on.year,
        "kind": kind,
        "state": state,
    }
    if MatterTally.objects.filter(**key).update(n=F("n") + delta):
        return
    try:
        with transaction.atomic():
            MatterTally.objects.create(n=delta, **key)
    except IntegrityError:  # created meanwhile by a concurrent write
        MatterTally.objects.filter(**key).update(n=F("n") + delta)


def _cell(matter: Matter, fields: dict) -> tuple | None:
    """The monthly tally cell a matter counts in and what it adds there, from a snapshot
    of its fields (dates as dates or ISO strings): (kind, state, accepted, decided,
    on_time, late)."""
    kind, state = fields.get("kind"), fields.get("state")
    if not kind or not state:
        return None
    decision, settle = fields.get("decision_date"), fields.get("settle_due_on")
    both = decision is not None and settle is not None
    return (
        kind,
        state,
        int(fields.get("accepted_on") is not None),
        int(decision is not None),
        int(both and str(decision) <= str(settle)),
        int(both and str(decision) > str(settle)),
    )


def _count_month(matter: Matter, cell: tuple | None, delta: int) -> None:
    if cell is None:
        return
    kind, state, accepted, decided, on_time, late = cell
    received = matter.petition.received_on
    key = {
        "unit_id": matter.unit_id,
        "year": received.year,
        "month": received.month,
        "kind": kind,
        "state": state,
    }
    values = {"n": delta, "accepted": accepted * delta, "decided": decided * delta}
    values |= {"on_time": on_time * delta, "late": late * delta}
    if MatterMonthTally.objects.filter(**key).update(
        **{name: F(name) + value for name, value in values.items()}
    ):
        return
    try:
        with transaction.atomic():
            MatterMonthTally.objects.create(**key, **values)
    except IntegrityError:  # created meanwhile by a concurrent write
        MatterMonthTally.objects.filter(**key).update(
            **{name: F(name) + value for name, value in values.items()}
        )


def month_tally_rows():
    """A recount of the monthly tallies from the matters, in a stable order."""
    return (
        Matter.objects.order_by()
        .annotate(
            year=ExtractYear("petition__received_on"), month=ExtractMonth("petition__received_on")
        )
        .values("unit_id", "year", "month", "kind", "state")
        .annotate(
            n=Count("id"),
            accepted=Count("id", filter=Q(accepted_on__isnull=False)),
            decided=Count("id", filter=Q(decision_date__isnull=False)),
            on_time=Count("id", filter=Q(decision_date__lte=F("settle_due_on"))),
            late=Count("id", filter=Q(decision_date__gt=F("settle_due_on"))),
        )
        .order_by("unit_id", "year", "month", "kind", "state")
    )


@transaction.atomic
def rebuild_tallies() -> int:
    """Recount every tally from the matters (after bulk loads or restructuring)."""
    MatterMonthTally.objects.all().delete()
    batch = []
    for row in month_tally_rows().iterator(chunk_size=5000):
        batch.append(MatterMonthTally(**row))
        if len(batch) == 5000:  # a batch at a time: a national recount is ~0.5M rows
            MatterMonthTally.objects.bulk_create(batch)
            batch = []
    MatterMonthTally.objects.bulk_create(batch)
    MatterTally.objects.all().delete()
    year = ExtractYear("petition__received_on")
    rows = (
        Matter.objects.order_by()
        .annotate(year=year)
        .values("unit_id", "year", "kind", "state")
        .annotate(n=Count("id"))
        .order_by("unit_id", "year", "kind", "state")  # the same rows in the same order
    )
    tallies = [MatterTally(**row) for row in rows]
    MatterTally.objects.bulk_create(tallies, batch_size=5000)
    return len(tallies)
