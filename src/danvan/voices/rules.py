"""Legal time limits as data, and the calendar they are counted on.

Counting follows the Civil Code 2015 (Art. 144–148): a period in days starts the day
after the event; working days skip weekends and Vietnamese public holidays (Tết included,
from the `holidays` package); a period of calendar days that ends on a day off ends on the
next working day. Which rule applies is decided by the date the clock started."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from danvan.org.calendar import add_days, is_working_day, next_working_day  # noqa: F401

from .models import Condition, DeadlineRule, Matter, MatterKind, Step


def _base_condition(matter: Matter) -> str:
    complicated = matter.complicated or matter.especially_complicated
    if complicated and matter.remote_area:
        return Condition.COMPLICATED_REMOTE
    if complicated:
        return Condition.COMPLICATED
    if matter.remote_area:
        return Condition.REMOTE
    return Condition.NORMAL


# When no rule for the exact condition exists, fall back along this order.
FALLBACK = {
    Condition.COMPLICATED_REMOTE: [
        Condition.COMPLICATED_REMOTE,
        Condition.REMOTE,
        Condition.COMPLICATED,
        Condition.NORMAL,
    ],
    Condition.COMPLICATED: [Condition.COMPLICATED, Condition.NORMAL],
    Condition.REMOTE: [Condition.REMOTE, Condition.NORMAL],
    Condition.SEVERAL_PLACES: [Condition.SEVERAL_PLACES, Condition.NORMAL],
    Condition.ESPECIALLY_COMPLICATED: [
        Condition.ESPECIALLY_COMPLICATED,
        Condition.COMPLICATED,
        Condition.NORMAL,
    ],
    Condition.NORMAL: [Condition.NORMAL],
}


def conditions_of(matter: Matter) -> list[str]:
    """The conditions to look rules up by, most specific first. Checks in several places
    only have a rule of their own for some steps (classification); for the others a
    complicated or remote matter must still get its own rule, not the normal one. The Law
    on Complaints knows no "especially complicated" category: such a complaint takes the
    complicated rule (of a remote area, if it is in one)."""
    chain = list(FALLBACK[Condition(_base_condition(matter))])
    if matter.especially_complicated:
        chain.insert(0, Condition.ESPECIALLY_COMPLICATED)
    return [Condition.SEVERAL_PLACES, *chain] if matter.several_places else chain


def rule_for(kind: str, step: str, condition: str | list[str], on: dt.date) -> DeadlineRule | None:
    """The rule in force on `on` for this kind, step and condition (or its fallback; or the
    first of a list of conditions that has one)."""
    in_force = DeadlineRule.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on),
        kind=kind,
        step=step,
        effective_from__lte=on,
    )
    by_condition = {}
    for rule in in_force.order_by("-effective_from"):
        by_condition.setdefault(rule.condition, rule)
    chain = FALLBACK[Condition(condition)] if isinstance(condition, str) else condition
    for candidate in chain:
        if candidate in by_condition:
            return by_condition[candidate]
    return None


def intake_step(kind: str) -> str:
    return Step.CLASSIFY if kind == MatterKind.DENUNCIATION else Step.ACCEPT


def settle_step(matter: Matter) -> str:
    return Step.SETTLE_SECOND if matter.first_complaint_id else Step.SETTLE


def intake_due(matter: Matter, received_on: dt.date) -> dt.date | None:
    """The intake clock's due date, by the rule in force on the day of receipt; that rule is
    kept on the matter (`intake_rule`), so a later rule never moves the clock."""
    rule = rule_for(matter.kind, intake_step(matter.kind), conditions_of(matter), received_on)
    matter.intake_rule = rule
    return add_days(received_on, rule.days, rule.day_count) if rule else None


def settle_rule(matter: Matter) -> DeadlineRule | None:
    """The rule of the settlement clock: the one kept on the matter since acceptance, or —
    at acceptance — the one in force that day."""
    if matter.accepted_on is None:
        return None
    if matter.settlement_rule_id:
        return matter.settlement_rule
    return rule_for(matter.kind, settle_step(matter), conditions_of(matter), matter.accepted_on)


def settle_due(matter: Matter) -> dt.date | None:
    """Due date of settlement, with the extensions granted so far."""
    rule = settle_rule(matter)
    matter.settlement_rule = rule
    if rule is None:
        return None
    due = add_days(matter.accepted_on, rule.days, rule.day_count)
    if matter.extensions:
        due = add_days(due, rule.extension_days * matter.extensions, rule.day_count)
    return due
