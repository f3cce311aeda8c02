"""Rules as data: the publication time limit of a disclosure and the vote threshold of a
consultation, each looked up by the date its clock started (the decision date; the day the
consultation opened).

Days are counted on the calendar of citizens' voices (`voices.rules`: Civil Code 2015
Art. 144–148; working days skip weekends and Vietnamese holidays, Tết included, from the
`holidays` package)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from danvan.org.calendar import add_days, is_working_day  # noqa: F401  (one calendar)

from .models import DisclosureCategory, DisclosureRule, MatterType, ThresholdRule


def _in_force(qs, on: dt.date):
    return qs.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on
    ).order_by("-effective_from", "-pk")


def disclosure_rule(category: DisclosureCategory, on: dt.date) -> DisclosureRule | None:
    """The category's own rule in force on `on`, else the general one."""
    own = _in_force(DisclosureRule.objects.filter(category=category), on).first()
    return own or _in_force(DisclosureRule.objects.filter(category__isnull=True), on).first()


def publish_due(rule: DisclosureRule | None, decision_date: dt.date) -> dt.date | None:
    if rule is None:
        return None
    return add_days(decision_date, rule.publish_within, rule.day_count)


def threshold_rule(matter_type: MatterType, on: dt.date) -> ThresholdRule | None:
    return _in_force(ThresholdRule.objects.filter(matter_type=matter_type), on).first()


def required_yes(total: int, percent: Decimal, strict: bool) -> int:
    """The fewest "yes" votes of `total` households that pass the threshold.

    The product is rounded to 2 decimals first, so 66.6667% ("at least two thirds") of 240
    asks for 160, not 161: a stored percent cannot hold 2/3 exactly."""
    share = (Decimal(total) * Decimal(percent) / 100).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    if strict:
        return math.floor(share) + 1
    return max(math.ceil(share), 0)


def passes(yes: int, total: int, percent: Decimal, strict: bool) -> bool:
    return total > 0 and yes >= required_yes(total, percent, strict)
