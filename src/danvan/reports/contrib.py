"""What each app contributes to dashboards and period reports.

An app listed in CONTRIBUTORS has a module `danvan.<app>.panels` with two functions:

    def dashboard_panel(scope: Scope) -> Panel | None
    def report_section(scope: Scope) -> Section | None

Both read through the app's `queries` (so `visible()` narrows them to what scope.user may
see), return None when the app has nothing for the scope, and never carry personal data:
figures are counts and sums about units, topics and places.
"""

import datetime as dt
import importlib
from dataclasses import dataclass, field
from typing import Any

# Order = order on the dashboard and in the report.
CONTRIBUTORS = ["plans", "emulation", "voices", "democracy", "situation"]


@dataclass(frozen=True)
class Scope:
    """Who asks, about which subtree, for which dates (inclusive), and the period before."""

    user: Any
    org: Any | None  # org.Organization: its subtree; None = everything the user may see
    start: dt.date
    end: dt.date
    previous_start: dt.date | None = None
    previous_end: dt.date | None = None


@dataclass
class Figure:
    label: str
    value: int | float | str
    previous: int | float | None = None  # the same figure in the previous period
    unit: str = ""  # "%", "đ", ...
    url: str = ""  # drill-down to the records behind the figure
    tone: str = ""  # "", "ok", "warn", "bad" (web/static/web/danvan.css)


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]]
    # one drill-down URL per row ("" for none), same length as rows when given
    row_urls: list[str] = field(default_factory=list)


@dataclass
class Chart:
    kind: str  # "bar", "line", "doughnut" (Chart.js types)
    title: str
    labels: list[str]
    # (name, values) or (name, values, tone): see core.charts for the tones
    series: list[tuple]
    stacked: bool = False
    tones: list[str] = field(default_factory=list)  # a doughnut's slices


@dataclass
class Panel:
    key: str  # the app label, e.g. "plans"
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    url: str = ""  # the app's own list for the scope


@dataclass
class Section:
    key: str
    title: str  # a heading of the period report
    paragraphs: list[str] = field(default_factory=list)  # drafted narrative, editable before issue
    tables: list[Table] = field(default_factory=list)


def contributors():
    """The panels modules of the contributing apps that exist, in order."""
    modules = []
    for app in CONTRIBUTORS:
        try:
            modules.append(importlib.import_module(f"danvan.{app}.panels"))
        except ModuleNotFoundError as exc:
            if exc.name not in (f"danvan.{app}", f"danvan.{app}.panels"):
                raise
    return modules


def panels(scope: Scope) -> list[Panel]:
    return [p for m in contributors() if (p := m.dashboard_panel(scope)) is not None]


def sections(scope: Scope) -> list[Section]:
    return [s for m in contributors() if (s := m.report_section(scope)) is not None]


# Helpers for panels ------------------------------------------------------------------------


def percent(part, whole) -> float | None:
    """part/whole in percent, one decimal (11/16 → 68.8); None when whole is 0."""
    return round(100 * part / whole, 1) if whole else None


def by_child_unit(qs, path_field: str, org, **aggregates) -> list[tuple[Any, dict]]:
    """The sibling comparison in one grouped query: one row per unit directly under `org`
    (or per top-level unit when org is None) counting its whole subtree, plus `org`'s own
    rows as a row of their own. `aggregates` are Count/Sum expressions, as for annotate().
    Rows come back as (Organization, {name: value}), largest first by the first aggregate."""
    from django.db.models.functions import Substr

    from danvan.core.tree import under
    from danvan.org.models import Organization

    depth = (org.depth + 1) if org is not None else 1
    if org is not None:
        qs = qs.filter(under(org.path, path_field))
    grouped = (
        qs.order_by()
        .annotate(_unit_prefix=Substr(path_field, 1, depth * Organization.steplen))
        .values("_unit_prefix")
        .annotate(**aggregates)
    )
    figures = {row.pop("_unit_prefix"): row for row in grouped}
    units = {u.path: u for u in Organization.objects.filter(path__in=list(figures))}
    first = next(iter(aggregates), None)
    rows = [(units[path], row) for path, row in figures.items() if path in units]
    rows.sort(key=lambda pair: (-(pair[1].get(first) or 0) if first else 0, pair[0].path))
    return rows


def number(value) -> str:
    """A figure for a sentence, in the active language's format (68,8 in Vietnamese)."""
    from django.utils.formats import number_format

    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return number_format(value, decimal_pos=1)
    return number_format(int(value))
