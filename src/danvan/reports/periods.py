"""Reporting periods: a quarter, the first 6 months, the first 9 months, or a year.

A period is named by a key: "2026-q1" .. "2026-q4", "2026-h1" / "2026-h2", "2026-9m",
"2026". The 9-month report covers January–September (the "báo cáo 9 tháng" that Regulation
11-QĐi/TW and most work programmes ask for), which org.Period has no kind for, so periods
are computed here from org.periods.bounds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.org.periods import bounds

from .errors import ReportsError

QUARTER, HALF, NINE_MONTHS, YEAR = "quarter", "half", "nine_months", "year"
KINDS = [
    (QUARTER, gettext_lazy("Quarter")),
    (HALF, gettext_lazy("6 months")),
    (NINE_MONTHS, gettext_lazy("9 months")),
    (YEAR, gettext_lazy("Year")),
]
MIN_YEAR = 2000

_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?P<part>q[1-4]|h[12]|9m))?$")
# Official wording of the period in a report's title (the document is in Vietnamese).
_TITLE_WORDS = {
    QUARTER: "quý {roman} năm {year}",
    HALF: "6 tháng {half} năm {year}",
    NINE_MONTHS: "9 tháng năm {year}",
    YEAR: "năm {year}",
}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class ReportPeriod:
    kind: str
    year: int
    index: int = 1

    @property
    def key(self) -> str:
        suffix = {QUARTER: f"-q{self.index}", HALF: f"-h{self.index}", NINE_MONTHS: "-9m"}
        return f"{self.year}{suffix.get(self.kind, '')}"

    @property
    def start(self) -> dt.date:
        return self.bounds[0]

    @property
    def end(self) -> dt.date:
        return self.bounds[1]

    @property
    def bounds(self) -> tuple[dt.date, dt.date]:
        if self.kind == NINE_MONTHS:
            return dt.date(self.year, 1, 1), dt.date(self.year, 9, 30)
        return bounds(self.kind, self.year, self.index)

    @property
    def previous(self) -> ReportPeriod:
        """The period a figure is compared with: the quarter or half before, the same
        9 months or the year before."""
        if self.kind == QUARTER:
            return (
                ReportPeriod(QUARTER, self.year, self.index - 1)
                if self.index > 1
                else ReportPeriod(QUARTER, self.year - 1, 4)
            )
        if self.kind == HALF:
            return (
                ReportPeriod(HALF, self.year, 1)
                if self.index == 2
                else ReportPeriod(HALF, self.year - 1, 2)
            )
        return ReportPeriod(self.kind, self.year - 1, 1)

    @property
    def label(self) -> str:
        if self.kind == QUARTER:
            return _("Quarter %(q)d/%(year)d") % {"q": self.index, "year": self.year}
        if self.kind == HALF:
            return (
                _("First half of %(year)d") if self.index == 1 else _("Second half of %(year)d")
            ) % {"year": self.year}
        if self.kind == NINE_MONTHS:
            return _("9 months of %(year)d") % {"year": self.year}
        return _("Year %(year)d") % {"year": self.year}

    @property
    def title_words(self) -> str:
        """The period as the Vietnamese title of a report says it ("quý I năm 2026")."""
        return _TITLE_WORDS[self.kind].format(
            roman=_ROMAN.get(self.index, ""),
            half="đầu" if self.index == 1 else "cuối",
            year=self.year,
        )

    def __str__(self) -> str:
        return self.label


def parse(key: str | None, *, field: str = "period", today: dt.date | None = None) -> ReportPeriod:
    """A period from its key; a malformed key or a period that has not begun is an error."""
    text = (key or "").strip().lower()
    match = _KEY.match(text)
    if not match:
        raise ReportsError(
            _(
                "Unknown period: %(key)s. Use a quarter (2026-q1), a half year (2026-h1), "
                "9 months (2026-9m) or a year (2026)."
            )
            % {"key": (key or "")[:20]},
            field=field,
        )
    year, part = int(match["year"]), match["part"] or ""
    if part.startswith("q"):
        period = ReportPeriod(QUARTER, year, int(part[1]))
    elif part.startswith("h"):
        period = ReportPeriod(HALF, year, int(part[1]))
    elif part == "9m":
        period = ReportPeriod(NINE_MONTHS, year)
    else:
        period = ReportPeriod(YEAR, year)
    today = today or timezone.localdate()
    if year < MIN_YEAR or period.start > today:
        raise ReportsError(
            _("The period %(period)s does not exist yet or is out of range.")
            % {"period": period.label},
            field=field,
        )
    return period


def make(kind: str, year: int, index: int = 1) -> ReportPeriod:
    """A period from its parts (the pages' selects); checked like a key."""
    key = {QUARTER: f"{year}-q{index}", HALF: f"{year}-h{index}", NINE_MONTHS: f"{year}-9m"}
    return parse(key.get(kind, str(year)))


def current(today: dt.date | None = None) -> ReportPeriod:
    """The quarter we are in: what the dashboard opens on."""
    today = today or timezone.localdate()
    return ReportPeriod(QUARTER, today.year, (today.month - 1) // 3 + 1)


def recent(today: dt.date | None = None, *, years: int = 3) -> list[ReportPeriod]:
    """Periods offered by the pickers, newest first, none in the future."""
    today = today or timezone.localdate()
    found = []
    for year in range(today.year, today.year - years, -1):
        candidates = [
            ReportPeriod(YEAR, year),
            ReportPeriod(NINE_MONTHS, year),
            ReportPeriod(HALF, year, 2),
            ReportPeriod(QUARTER, year, 4),
            ReportPeriod(QUARTER, year, 3),
            ReportPeriod(HALF, year, 1),
            ReportPeriod(QUARTER, year, 2),
            ReportPeriod(QUARTER, year, 1),
        ]
        found.extend(p for p in candidates if p.start <= today)
    return found
