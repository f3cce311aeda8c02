"""The data window of a period: calendar dates, or the cut-off of the unit's type.

State administrative bodies count a period's figures under Decree 09/2019/NĐ-CP, Art. 12:
a month from the 15th of the month before to the 14th; a quarter from the 15th of the
month before the quarter to the 14th of its last month; 6 months from 15 December to
14 June; a year from 15 December of the year before to 14 December. The same shift is
applied to the second half and to 9 months. Party bodies, the Front and the unions report
on calendar periods unless an administrator gives their type a rule (CutOffRule)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import CutOffRule
from .periods import ReportPeriod


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date
    rule: CutOffRule | None = None

    @property
    def basis(self) -> str:
        """How the dates were chosen, in words (shown on the dashboard and in the report)."""
        return self.rule.citation if self.rule else _("calendar period")


def _shift(start: dt.date, end: dt.date, day: int) -> tuple[dt.date, dt.date]:
    if day == 1:
        return start, end
    before = start.replace(day=1) - dt.timedelta(days=1)
    return before.replace(day=day), end.replace(day=day - 1)


def rule_for(org_type, on: dt.date) -> CutOffRule | None:
    if org_type is None:
        return None
    return (
        CutOffRule.objects.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on),
            org_type=org_type,
            effective_from__lte=on,
        )
        .order_by("-effective_from")
        .first()
    )


def window(period: ReportPeriod, org_type=None, *, rule: CutOffRule | None = None) -> Window:
    """The dates a period's figures count for a type of organization (None: calendar), by
    the rule in force on the period's last calendar day — or the rule given."""
    rule = rule or rule_for(org_type, period.end)
    if rule is None:
        return Window(period.start, period.end)
    start, end = _shift(period.start, period.end, rule.start_day)
    return Window(start, end, rule)
