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
    tone: str = ""  # "", "good", "warn", "bad"


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
    series: list[tuple[str, list[int | float]]]


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
            if exc.name != f"danvan.{app}.panels":
                raise
    return modules


def panels(scope: Scope) -> list[Panel]:
    return [p for m in contributors() if (p := m.dashboard_panel(scope)) is not None]


def sections(scope: Scope) -> list[Section]:
    return [s for m in contributors() if (s := m.report_section(scope)) is not None]
