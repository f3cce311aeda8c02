"""A movement's set-up: the movement, its yearly themes, criteria, labels and registration windows."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import require
from danvan.audit.log import record, snapshot
from danvan.core import versions
from danvan.core.errors import Conflict
from danvan.org.models import Organization

from .. import defaults
from ..models import (
    CompletionRule,
    Criterion,
    FieldOfWork,
    Label,
    Level,
    Movement,
    RegistrationWindow,
    Theme,
)
from .common import (
    EmulationError,
    _decimal,
    _text,
    _year,
)

# Movements -----------------------------------------------------------------------------


@transaction.atomic
def create_movement(
    *,
    actor,
    organizer: Organization,
    code: str,
    name: str,
    start_year: int,
    end_year: int | None = None,
    description: str = "",
    completion: str = CompletionRule.EVALUATED,
) -> Movement:
    """A movement with the default fields and levels (the organizer can change them).
    `completion` is when a model counts as completed (CompletionRule)."""
    require(actor, "emulation.manage", organizer)
    code = _text(code, "code", max_length=60)
    if Movement.objects.filter(code=code).exists():
        raise Conflict(
            _("A movement with code %(code)s already exists.") % {"code": code}, field="code"
        )
    start_year = _year(start_year, "start_year")
    if completion not in CompletionRule.values:
        raise EmulationError(
            _("Unknown completion rule: %(code)s.") % {"code": str(completion)[:40]},
            field="completion",
        )
    if end_year is not None and _year(end_year, "end_year") < start_year:
        raise EmulationError(_("The last year comes before the first."), field="end_year")
    movement = Movement.objects.create(
        organizer=organizer,
        code=code,
        name=_text(name, "name", max_length=255),
        start_year=start_year,
        end_year=end_year,
        description=description or "",
        completion=completion,
    )
    for order, (field_code, field_name) in enumerate(defaults.FIELDS, start=1):
        FieldOfWork.objects.create(
            movement=movement, code=field_code, name=field_name, sort_order=order
        )
    first_day = dt.date(start_year, 1, 1)
    for level_code, level_name, rank, area_level, until in defaults.LEVELS:
        if until is not None and until < first_day:
            continue  # a movement that starts after a level was abolished never offers it
        Level.objects.create(
            movement=movement,
            code=level_code,
            name=level_name,
            rank=rank,
            area_level=area_level,
            valid_until=until,
        )
    record(actor=actor, action="emulation.create_movement", obj=movement, after=snapshot(movement))
    return movement


THEME_FIELDS = ["title"]


@transaction.atomic
def set_theme(
    *, actor, movement: Movement, year: int, title: str, expected_version: str | None = None
) -> Theme:
    """Creates or replaces the year's theme; with `expected_version`, only over that one."""
    require(actor, "emulation.manage", movement)
    year = _year(year)
    title = _text(title, "title", max_length=300)
    theme = Theme.objects.select_for_update().filter(movement=movement, year=year).first()
    if theme:
        versions.check(theme, THEME_FIELDS, expected_version)
    before = {"title": theme.title} if theme else {}
    if theme:
        theme.title = title
        theme.save(update_fields=["title"])
    else:
        theme = Theme.objects.create(movement=movement, year=year, title=title)
    record(
        actor=actor, action="emulation.set_theme", obj=theme, before=before, after={"title": title}
    )
    return theme


@transaction.atomic
def add_criterion(*, actor, movement: Movement, name: str, weight=1, max_score=10) -> Criterion:
    require(actor, "emulation.manage", movement)
    weight, max_score = _decimal(weight, "weight"), _decimal(max_score, "max_score")
    if weight <= 0:
        raise EmulationError(_("The weight must be above zero."), field="weight")
    if max_score <= 0:
        raise EmulationError(_("The maximum score must be above zero."), field="max_score")
    criterion = Criterion.objects.create(
        movement=movement,
        name=_text(name, "name", max_length=300),
        weight=weight,
        max_score=max_score,
        sort_order=movement.criteria.count() + 1,
    )
    record(actor=actor, action="emulation.add_criterion", obj=criterion, after=snapshot(criterion))
    return criterion


@transaction.atomic
def add_label(*, actor, movement: Movement, name: str) -> Label:
    require(actor, "emulation.manage", movement)
    name = _text(name, "name", max_length=300)
    label, created = Label.objects.get_or_create(movement=movement, name=name)
    if not created:
        raise Conflict(_("This label already exists."), field="name")
    record(actor=actor, action="emulation.add_label", obj=label, after={"name": name})
    return label


def level_by_code(movement: Movement, code: str) -> Level:
    level = Level.objects.filter(movement=movement, code=code).first()
    if level is None:
        raise EmulationError(_("Unknown level: %(code)s.") % {"code": code}, field="level")
    return level


@transaction.atomic
def open_registration(
    *,
    actor,
    movement: Movement,
    year: int,
    opens_on: dt.date,
    closes_on: dt.date,
    level_code: str | None = None,
) -> RegistrationWindow:
    """Registration for a year (optionally one level) is open between two dates, inclusive."""
    require(actor, "emulation.manage", movement)
    if closes_on < opens_on:
        raise EmulationError(_("Registration cannot close before it opens."), field="closes_on")
    window = RegistrationWindow.objects.create(
        movement=movement,
        year=_year(year),
        level=level_by_code(movement, level_code) if level_code else None,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    record(actor=actor, action="emulation.open_registration", obj=window, after=snapshot(window))
    return window


@transaction.atomic
def close_registration(
    *, actor, window: RegistrationWindow, last_day: dt.date | None = None
) -> RegistrationWindow:
    """Close a window early: `last_day` (default yesterday) is the last day it accepts."""
    require(actor, "emulation.manage", window.movement)
    last_day = last_day or timezone.localdate() - dt.timedelta(days=1)
    if last_day < window.opens_on:
        raise EmulationError(_("Registration cannot close before it opens."), field="last_day")
    before = snapshot(window, ["closes_on"])
    window.closes_on = min(window.closes_on, last_day)
    window.save(update_fields=["closes_on"])
    record(
        actor=actor,
        action="emulation.close_registration",
        obj=window,
        before=before,
        after=snapshot(window, ["closes_on"]),
    )
    return window


def registration_open(movement: Movement, year: int, level: Level, day: dt.date) -> bool:
    return (
        RegistrationWindow.objects.filter(
            movement=movement, year=year, opens_on__lte=day, closes_on__gte=day
        )
        .filter(level__isnull=True)
        .exists()
        or RegistrationWindow.objects.filter(
            movement=movement, year=year, level=level, opens_on__lte=day, closes_on__gte=day
        ).exists()
    )
