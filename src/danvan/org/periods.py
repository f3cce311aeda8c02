"""Period arithmetic: the bounds of a year, half, quarter, month or term."""

import calendar
import datetime as dt

from .models import PeriodKind


def bounds(kind: str, year: int, index: int = 1, *, years: int = 5) -> tuple[dt.date, dt.date]:
    """Start and end of the index-th period of its kind in a year (terms start in `year`)."""
    if kind in (PeriodKind.YEAR, PeriodKind.TERM) and index != 1:
        raise ValueError(f"a {kind} has only index 1")
    if kind == PeriodKind.YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind == PeriodKind.TERM:
        if years < 1:
            raise ValueError("a term lasts at least one year")
        return dt.date(year, 1, 1), dt.date(year + years, 12, 31)
    months = {PeriodKind.HALF: 6, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}.get(kind)
    if months is None:
        raise ValueError(f"unknown period kind {kind!r}")
    if not 1 <= index <= 12 // months:
        raise ValueError(f"{kind} index must be between 1 and {12 // months}")
    first_month = (index - 1) * months + 1
    last_month = first_month + months - 1
    return (
        dt.date(year, first_month, 1),
        dt.date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def index_of(kind: str, day: dt.date) -> int:
    months = {PeriodKind.HALF: 6, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}.get(kind)
    return 1 if months is None else (day.month - 1) // months + 1
