"""Every write of the movement: atomic, permission-checked through accounts.scope, audited."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import granted_at, require
from danvan.audit.log import record, snapshot
from danvan.core import versions
from danvan.core.errors import Conflict, DomainError, clean_text
from danvan.core.text import fold
from danvan.core.uploads import check_upload
from danvan.org.models import Area, Organization

from . import defaults
from .models import (
    Adoption,
    Commendation,
    CompletionRule,
    Criterion,
    Evidence,
    FieldOfWork,
    Label,
    Level,
    ModelState,
    Movement,
    MovementModel,
    ProgressReport,
    RegistrantKind,
    Registration,
    RegistrationWindow,
    Score,
    Theme,
)


class EmulationError(DomainError):
    pass


class NotAllowedHere(EmulationError):
    """A rule about who may act (the accepting level, a round's judges): 403, not 400."""

    status = 403


def _text(value: str | None, field: str, *, max_length: int, required: bool = True) -> str:
    return clean_text(value, field, max_length=max_length, required=required, error=EmulationError)


def _year(year, field: str = "year") -> int:
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise EmulationError(_("The year must be a number."), field=field) from exc
    if not 2000 <= year <= 2100:
        raise EmulationError(_("The year is out of range."), field=field)
    return year


def _date(value, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise EmulationError(_("Enter a date."), field=field)
    return value


def _criterion_key(value) -> int | None:
    """A criterion id from a scores dict; None when it is not a whole number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise EmulationError(_("Enter a number."), field=field) from exc
    if not number.is_finite():
        raise EmulationError(_("Enter a number."), field=field)
    return number


def plain(number: Decimal) -> str:
    """10 as "10", 7.50 as "7.5": never "1E+1"."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def require_in_reach(unit: Organization, organizer: Organization) -> None:
    """A movement or contest concerns the units in its organizer's area, and active ones."""
    if not unit.is_active:
        raise EmulationError(_("%(unit)s is inactive.") % {"unit": unit.name}, field="unit")
    if not unit.area.path.startswith(organizer.area.path):
        raise EmulationError(
            _("%(unit)s is outside the area of %(organizer)s.")
            % {"unit": unit.name, "organizer": organizer.name},
            field="unit",
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


# Registrations and models ---------------------------------------------------------------
#
# One set of rules, two ways to apply them: `check_registration` holds every rule of a
# registration and reads only a `RegistrationContext` (fetched once: levels, fields,
# labels, windows, the units with their areas, the registrants' existing entries and
# titles), so it runs for one row (`register_model`) or thousands (`register_models`)
# without a query per row.


@dataclasses.dataclass
class RegistrationContext:
    """What the rules of a registration read, fetched once for a batch of rows."""

    actor: object
    movement: Movement
    today: dt.date
    organizer_area_path: str
    levels: dict[str, Level]
    fields: dict[str, FieldOfWork]
    labels: dict[str, Label]
    windows: list[RegistrationWindow]
    units: dict[int, Organization]  # with their areas loaded, for `require`
    registrations: dict[tuple, int]  # registrant key -> Registration id
    titles: set[tuple]  # (registrant key, folded title) already taken


def registration_context(
    *, actor, movement: Movement, units, today: dt.date | None = None
) -> RegistrationContext:
    """The context for rows of these units: a fixed number of queries, whatever their count."""
    unit_ids = {unit.pk for unit in units if unit is not None}
    organizer = Organization.objects.select_related("area").get(pk=movement.organizer_id)
    # The registrants' entries and titles, keyed as the unique constraint keys them.
    registrations = {
        (year, level_id, kind, unit_id, person_key): pk
        for pk, year, level_id, kind, unit_id, person_key in Registration.objects.filter(
            movement=movement, unit__in=unit_ids
        ).values_list("pk", "year", "level_id", "kind", "unit_id", "person_key")
    }
    key_of = {pk: key for key, pk in registrations.items()}
    titles = {
        (key_of[registration_id], search_name)
        for registration_id, search_name in MovementModel.objects.filter(
            registration__movement=movement, registration__unit__in=unit_ids
        ).values_list("registration_id", "search_name")
        if registration_id in key_of
    }
    return RegistrationContext(
        actor=actor,
        movement=movement,
        today=today or timezone.localdate(),
        organizer_area_path=organizer.area.path,
        levels={level.code: level for level in Level.objects.filter(movement=movement)},
        fields={field.code: field for field in FieldOfWork.objects.filter(movement=movement)},
        labels={label.name: label for label in Label.objects.filter(movement=movement)},
        windows=list(RegistrationWindow.objects.filter(movement=movement)),
        units=Organization.objects.select_related("area").in_bulk(unit_ids),
        registrations=registrations,
        titles=titles,
    )


@dataclasses.dataclass
class CheckedRegistration:
    """A row that passed every rule, its values cleaned and resolved, ready to write."""

    year: int
    level: Level
    unit: Organization
    kind: str
    person_name: str
    person_position: str
    title: str
    field: FieldOfWork
    target_group: str
    goals: str
    plan: str
    start_date: dt.date | None
    end_date: dt.date | None
    labels: list[Label]
    search_name: str = ""  # the folded title
    person_key: str = ""  # one individual = the same folded name and position in a unit
    registrant: tuple = ()  # the key of Registration's unique constraint

    def __post_init__(self):
        # Folded once: a batch reads them several times a row.
        self.search_name = fold(self.title)
        self.person_key = (
            fold(f"{self.person_name}|{self.person_position}") if self.person_name else ""
        )
        self.registrant = (self.year, self.level.pk, self.kind, self.unit.pk, self.person_key)


def _window_open(ctx: RegistrationContext, year: int, level: Level) -> bool:
    return any(
        w.year == year
        and (w.level_id is None or w.level_id == level.pk)
        and w.opens_on <= ctx.today <= w.closes_on
        for w in ctx.windows
    )


def check_registration(
    ctx: RegistrationContext,
    *,
    year,
    level_code: str,
    unit: Organization,
    title: str,
    field_code: str,
    kind: str = RegistrantKind.COLLECTIVE,
    person_name: str = "",
    person_position: str = "",
    target_group: str = "",
    goals: str = "",
    plan: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    label_names: list[str] | None = None,
) -> CheckedRegistration:
    """Every rule of a registration, in the order `register_model` has always applied them;
    the first broken one is raised (PermissionDenied, EmulationError or Conflict)."""
    unit = ctx.units.get(unit.pk, unit)
    require(ctx.actor, "emulation.register", unit)
    if not unit.is_active:
        raise EmulationError(_("%(unit)s is inactive.") % {"unit": unit.name}, field="unit")
    if not unit.area.path.startswith(ctx.organizer_area_path):
        raise EmulationError(
            _("%(unit)s is outside the area of %(organizer)s.")
            % {"unit": unit.name, "organizer": ctx.movement.organizer.name},
            field="unit",
        )
    year = _year(year)
    level = ctx.levels.get(level_code)
    if level is None:
        raise EmulationError(_("Unknown level: %(code)s.") % {"code": level_code}, field="level")
    if not level.exists_in(year):
        raise EmulationError(
            _(
                "The level “%(level)s” ended on %(day)s; models of %(year)d are registered at a level that exists."
            )
            % {"level": level.name, "day": level.valid_until.strftime("%d/%m/%Y"), "year": year},
            field="level",
        )
    if kind not in RegistrantKind.values:
        raise EmulationError(_("The registrant is a collective or an individual."), field="kind")
    if kind == RegistrantKind.INDIVIDUAL:
        person_name = _text(person_name, "person_name", max_length=200)
        person_position = _text(person_position, "person_position", max_length=200, required=False)
    else:
        person_name = person_position = ""
    title = _text(title, "title", max_length=300)
    field = ctx.fields.get(field_code)
    if field is None:
        raise EmulationError(_("Unknown field: %(code)s.") % {"code": field_code}, field="field")
    if start_date and end_date and end_date < start_date:
        raise EmulationError(_("The end comes before the start."), field="end_date")
    if not _window_open(ctx, year, level):
        raise EmulationError(
            _("Registration for %(year)d at this level is not open on %(day)s.")
            % {"year": year, "day": ctx.today.strftime("%d/%m/%Y")},
            field="year",
        )
    labels = []
    for label_name in label_names or []:
        label = ctx.labels.get(label_name)
        if label is None:
            raise EmulationError(
                _("Unknown label: %(name)s.") % {"name": label_name}, field="labels"
            )
        labels.append(label)
    checked = CheckedRegistration(
        year=year,
        level=level,
        unit=unit,
        kind=kind,
        person_name=person_name,
        person_position=person_position,
        title=title,
        field=field,
        target_group="",
        goals=goals or "",
        plan=plan or "",
        start_date=start_date,
        end_date=end_date,
        labels=labels,
    )
    if (checked.registrant, checked.search_name) in ctx.titles:
        raise Conflict(
            _(
                "This registrant has already registered a model with this title for %(year)d at this level."
            )
            % {"year": year},
            field="title",
        )
    checked.target_group = _text(target_group, "target_group", max_length=300, required=False)
    return checked


@transaction.atomic
def register_model(
    *,
    actor,
    movement: Movement,
    year: int,
    level_code: str,
    unit: Organization,
    title: str,
    field_code: str,
    kind: str = RegistrantKind.COLLECTIVE,
    person_name: str = "",
    person_position: str = "",
    target_group: str = "",
    goals: str = "",
    plan: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    label_names: list[str] | None = None,
    today: dt.date | None = None,
) -> MovementModel:
    """A collective (the unit itself) or an individual (a cadre of the unit, by name and
    position) registers a model for a year at a level, while registration is open."""
    ctx = registration_context(actor=actor, movement=movement, units=[unit], today=today)
    ctx.units[unit.pk] = unit  # the caller's object: its rules read its current state
    checked = check_registration(
        ctx,
        year=year,
        level_code=level_code,
        unit=unit,
        title=title,
        field_code=field_code,
        kind=kind,
        person_name=person_name,
        person_position=person_position,
        target_group=target_group,
        goals=goals,
        plan=plan,
        start_date=start_date,
        end_date=end_date,
        label_names=label_names,
    )
    registration, _created = Registration.objects.get_or_create(
        movement=movement,
        year=checked.year,
        level=checked.level,
        kind=checked.kind,
        unit=unit,
        person_key=checked.person_key,
        defaults={
            "person_name": checked.person_name,
            "person_position": checked.person_position,
            "created_by": actor,
        },
    )
    model = MovementModel.objects.create(
        registration=registration, **_model_values(checked, movement)
    )
    model.labels.set(checked.labels)
    record(actor=actor, action="emulation.register_model", obj=model, after=snapshot(model))
    return model


def _model_values(checked: CheckedRegistration, movement: Movement) -> dict:
    return {
        "movement": movement,
        "year": checked.year,
        "level": checked.level,
        "unit": checked.unit,
        "title": checked.title,
        "field": checked.field,
        "target_group": checked.target_group,
        "goals": checked.goals,
        "plan": checked.plan,
        "start_date": checked.start_date,
        "end_date": checked.end_date,
    }


@dataclasses.dataclass
class RegisteredModels:
    """The outcome of `register_models`: the models written, or (nothing written) the rows'
    errors as [{index, field, message, code}], `index` counting the given rows from 0."""

    models: list[MovementModel]
    errors: list[dict]

    @property
    def ok(self) -> bool:
        return not self.errors


def check_registrations(
    *, actor, movement: Movement, rows, today: dt.date | None = None
) -> tuple[list[CheckedRegistration], list[dict]]:
    """Every row through `check_registration` against one context; a row that passes takes
    its title, so a later row of the batch with the same one is a duplicate, as it would
    be had the rows been registered one after the other. Writes nothing."""
    _ctx, checked, errors = _check_all(actor=actor, movement=movement, rows=rows, today=today)
    return checked, errors


def _check_all(*, actor, movement, rows, today):
    rows = list(rows)
    ctx = registration_context(
        actor=actor, movement=movement, units=[row.get("unit") for row in rows], today=today
    )
    checked, errors = [], []
    for index, row in enumerate(rows):
        try:
            one = check_registration(ctx, **row)
        except PermissionDenied as exc:
            errors.append(
                {"index": index, "field": "unit", "message": str(exc), "code": "forbidden"}
            )
        except DomainError as exc:
            errors.append(
                {
                    "index": index,
                    "field": exc.field or "",
                    "message": str(exc.message),
                    "code": exc.code,
                }
            )
        else:
            ctx.titles.add((one.registrant, one.search_name))
            checked.append(one)
    return ctx, checked, errors


@transaction.atomic
def register_models(
    *, actor, movement: Movement, rows, today: dt.date | None = None, file_sha256: str = ""
) -> RegisteredModels:
    """Many registrations at once (an import): each row is a dict of `register_model`'s
    keyword arguments (without actor, movement, today). Every row is checked by the same
    rules; if any fails nothing is written and the errors are returned. Otherwise the new
    registrants, the models and their labels are written in bulk and ONE audit event
    records the import (count, id range, the file's sha256)."""
    ctx, checked, errors = _check_all(actor=actor, movement=movement, rows=rows, today=today)
    if errors or not checked:
        return RegisteredModels(models=[], errors=errors)
    ctx_registrations = ctx.registrations
    new = {}
    for one in checked:
        if one.registrant not in ctx_registrations and one.registrant not in new:
            new[one.registrant] = Registration(
                movement=movement,
                year=one.year,
                level=one.level,
                kind=one.kind,
                unit=one.unit,
                person_name=one.person_name,
                person_position=one.person_position,
                person_key=one.person_key,  # bulk_create skips Registration.save
                created_by=actor,
            )
    try:
        with transaction.atomic():
            Registration.objects.bulk_create(list(new.values()))
    except IntegrityError as exc:  # the same registrant registered meanwhile
        raise Conflict(
            _("Another registration was saved at the same time; check the file again."),
            field="file",
        ) from exc
    ctx_registrations.update({key: registration.pk for key, registration in new.items()})
    models = [
        MovementModel(
            registration_id=ctx_registrations[one.registrant],
            search_name=one.search_name,  # bulk_create skips MovementModel.save
            **_model_values(one, movement),
        )
        for one in checked
    ]
    MovementModel.objects.bulk_create(models)
    Link = MovementModel.labels.through
    Link.objects.bulk_create(
        [
            Link(movementmodel_id=model.pk, label_id=label.pk)
            for model, one in zip(models, checked, strict=True)
            for label in one.labels
        ]
    )
    ids = [model.pk for model in models]
    record(
        actor=actor,
        action="emulation.import_models",
        obj=movement,
        changes={
            "models": [None, len(models)],
            "ids": [None, [min(ids), max(ids)]],
            "registrations_created": [None, len(new)],
            "sha256": [None, file_sha256 or None],
        },
    )
    return RegisteredModels(models=models, errors=[])


MODEL_EDITABLE = ["title", "target_group", "goals", "plan", "start_date", "end_date"]
# What an edit is checked against (core.versions): the editable fields and the field of work.
MODEL_VERSIONED = [*MODEL_EDITABLE, "field_id"]


@transaction.atomic
def update_model(
    *, actor, model: MovementModel, expected_version: str | None = None, **changes
) -> MovementModel:
    require(actor, "emulation.register", model)
    model = MovementModel.objects.select_for_update().get(pk=model.pk)
    versions.check(model, MODEL_VERSIONED, expected_version)
    unknown = set(changes) - set(MODEL_EDITABLE) - {"field_code"}
    if unknown:
        raise EmulationError(
            _("These fields cannot be changed here: %(f)s.") % {"f": ", ".join(sorted(unknown))}
        )
    before = snapshot(model)
    if "title" in changes:
        changes["title"] = _text(changes["title"], "title", max_length=300)
        # The rule of register_model: one title (folded) per registrant, year and level.
        if (
            MovementModel.objects.filter(
                registration=model.registration_id, search_name=fold(changes["title"])
            )
            .exclude(pk=model.pk)
            .exists()
        ):
            raise Conflict(_("This registrant already has a model with this title."), field="title")
    if "field_code" in changes:
        field = FieldOfWork.objects.filter(
            movement=model.movement_id, code=changes.pop("field_code")
        ).first()
        if field is None:
            raise EmulationError(_("Unknown field."), field="field")
        model.field = field
    for name, value in changes.items():
        # None clears a text to "" but a date to None ("" is not a date).
        if value is None and name not in ("start_date", "end_date"):
            value = ""
        setattr(model, name, value)
    if model.start_date and model.end_date and model.end_date < model.start_date:
        raise EmulationError(_("The end comes before the start."), field="end_date")
    model.save()
    record(
        actor=actor,
        action="emulation.update_model",
        obj=model,
        before=before,
        after=snapshot(model),
    )
    return model


TRANSITIONS = {
    ModelState.REGISTERED: {ModelState.IN_PROGRESS, ModelState.ABANDONED},
    ModelState.IN_PROGRESS: {ModelState.COMPLETED, ModelState.ABANDONED},
    ModelState.COMPLETED: set(),
    ModelState.ABANDONED: set(),
}


def completion_missing(model: MovementModel) -> str:
    """What still keeps a model from being completed under its movement's rule ("" when
    nothing does): progress at 100% in the latest report, and — unless the movement counts
    a model completed on its unit's word — an evaluation by the accepting level."""
    if model.state != ModelState.IN_PROGRESS:
        return _("Only a model in progress can be completed.")
    latest = model.progress_reports.order_by("-reported_on", "-pk").first()
    if latest is None or latest.percent < 100:
        return _("A model is completed when its latest progress report says 100%.")
    if model.movement.completion == CompletionRule.EVALUATED and model.score is None:
        return _(
            "This movement counts a model as completed only after the accepting level has "
            "evaluated it."
        )
    return ""


@transaction.atomic
def change_state(
    *, actor, model: MovementModel, state: str, reason: str = "", on: dt.date | None = None
) -> MovementModel:
    """registered → in progress → completed, or abandoned with a reason."""
    require(actor, "emulation.register", model)
    model = MovementModel.objects.select_for_update().get(pk=model.pk)
    if state not in ModelState.values:
        raise EmulationError(_("Unknown state: %(state)s.") % {"state": state}, field="state")
    if state not in TRANSITIONS[ModelState(model.state)]:
        raise EmulationError(
            _("A model that is %(current)s cannot become %(new)s.")
            % {"current": model.get_state_display(), "new": ModelState(state).label},
            field="state",
        )
    if state == ModelState.COMPLETED:
        missing = completion_missing(model)
        if missing:
            raise EmulationError(missing, field="state")
    before = snapshot(model, ["state", "state_changed_on", "abandon_reason"])
    if state == ModelState.ABANDONED:
        model.abandon_reason = _text(reason, "reason", max_length=2000)
    model.state = state
    model.state_changed_on = on or timezone.localdate()
    model.save(update_fields=["state", "state_changed_on", "abandon_reason"])
    record(
        actor=actor,
        action="emulation.change_state",
        obj=model,
        before=before,
        after=snapshot(model, ["state", "state_changed_on", "abandon_reason"]),
    )
    return model


def _check_evidence(upload: UploadedFile) -> tuple[str, str]:
    return check_upload(upload, field="files", error=EmulationError)


@transaction.atomic
def report_progress(
    *,
    actor,
    model: MovementModel,
    reported_on: dt.date,
    percent: int,
    narrative: str,
    files: list[UploadedFile] | None = None,
) -> ProgressReport:
    require(actor, "emulation.register", model)
    # The state as it is now, locked: a model closed meanwhile takes no more progress.
    model = MovementModel.objects.select_for_update().get(pk=model.pk)
    if model.state in (ModelState.COMPLETED, ModelState.ABANDONED):
        raise EmulationError(
            _("The model is closed; no more progress can be reported."), field="state"
        )
    try:
        percent = int(percent)
    except (TypeError, ValueError) as exc:
        raise EmulationError(_("Enter a whole number from 0 to 100."), field="percent") from exc
    if not 0 <= percent <= 100:
        raise EmulationError(_("Enter a whole number from 0 to 100."), field="percent")
    reported_on = _date(reported_on, "reported_on")
    checked = [(upload, *_check_evidence(upload)) for upload in files or []]
    report = ProgressReport.objects.create(
        model=model,
        reported_on=reported_on,
        percent=percent,
        narrative=_text(narrative, "narrative", max_length=5000),
        created_by=actor,
    )
    for upload, name, content_type in checked:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        evidence = Evidence(
            report=report,
            original_name=name,
            content_type=content_type,
            size=upload.size,
            sha256=digest.hexdigest(),
        )
        evidence.file.save(name, upload, save=False)
        evidence.save()
    if model.state == ModelState.REGISTERED:
        model.state, model.state_changed_on = ModelState.IN_PROGRESS, reported_on
        model.save(update_fields=["state", "state_changed_on"])
    record(
        actor=actor,
        action="emulation.report_progress",
        obj=model,
        changes={"percent": [None, percent], "files": [None, [name for _u, name, _t in checked]]},
    )
    return report


# Evaluation, recognition, commendation, replication ------------------------------------


def _at_accepting_level(actor, model: MovementModel) -> bool:
    """The evaluator holds `emulation.evaluate` on a unit of the model's level that covers it:
    a commune-level model is evaluated by the commune, a district-level one by the district."""
    if actor.is_superuser:
        return True
    level = model.level
    for org_path, area_path in granted_at(actor, "emulation.evaluate", model):
        if org_path:
            org = Organization.objects.select_related("area").filter(path=org_path).first()
            if org is None:
                continue
            if level.area_level and org.area.level == level.area_level:
                return True
            if not level.area_level and model.movement.organizer.path.startswith(org.path):
                return True
        elif area_path and level.area_level:
            area = Area.objects.filter(path=area_path).first()
            if area is not None and area.level == level.area_level:
                return True
    return False


def require_accepting_level(actor, model: MovementModel) -> None:
    require(actor, "emulation.evaluate", model)
    if not _at_accepting_level(actor, model):
        raise NotAllowedHere(
            _("Only the accepting level (%(level)s) evaluates this model.")
            % {"level": model.level.name},
            field="evaluator",
            code="wrong_level",
        )


def combined_score(model: MovementModel) -> Decimal | None:
    """Each criterion's mean over evaluators, as a share of its maximum, weighted; 0–100."""
    rows = (
        Score.objects.filter(model=model)
        .values("criterion_id", "criterion__weight", "criterion__max_score")
        .annotate(mean=Avg("value"))
    )
    total_weight = sum((row["criterion__weight"] for row in rows), Decimal(0))
    if not total_weight:
        return None
    weighted = sum(
        (
            Decimal(row["mean"]) / row["criterion__max_score"] * row["criterion__weight"]
            for row in rows
        ),
        Decimal(0),
    )
    return (weighted / total_weight * 100).quantize(Decimal("0.01"))


def checked_scores(criteria: dict, scores: dict) -> list[tuple]:
    """(criterion, value) pairs, each value a number between 0 and the criterion's maximum;
    all are checked before anything is written."""
    checked = []
    for criterion_id, raw in scores.items():
        criterion = criteria.get(_criterion_key(criterion_id))
        if criterion is None:
            raise EmulationError(
                _("Unknown criterion: %(id)s.") % {"id": criterion_id}, field="scores"
            )
        value = _decimal(raw, f"scores.{criterion_id}")
        if not 0 <= value <= criterion.max_score:
            raise EmulationError(
                _("The score for “%(name)s” must be between 0 and %(max)s.")
                % {"name": criterion.name, "max": plain(criterion.max_score)},
                field=f"scores.{criterion_id}",
            )
        checked.append((criterion, value))
    return checked


@transaction.atomic
def score_model(*, actor, model: MovementModel, scores: dict[int, object]) -> MovementModel:
    """The evaluator's scores on some or all criteria; the model's combined score follows."""
    require_accepting_level(actor, model)
    if not scores:
        raise EmulationError(_("Give at least one score."), field="scores")
    criteria = {c.pk: c for c in Criterion.objects.filter(movement=model.movement_id)}
    before = {"score": str(model.score) if model.score is not None else None}
    for criterion, value in checked_scores(criteria, scores):
        Score.objects.update_or_create(
            model=model,
            criterion=criterion,
            evaluator=actor,
            defaults={"value": value, "scored_at": timezone.now()},
        )
    model.score = combined_score(model)
    model.save(update_fields=["score"])
    record(
        actor=actor,
        action="emulation.score_model",
        obj=model,
        changes={
            "score": [before["score"], str(model.score)],
            "criteria": [None, sorted(int(k) for k in scores)],
        },
    )
    return model


@transaction.atomic
def recognize_model(
    *, actor, model: MovementModel, level_code: str, on: dt.date | None = None
) -> MovementModel:
    require_accepting_level(actor, model)
    level = level_by_code(model.movement, level_code)
    before = snapshot(model, ["recognized_level_id", "recognized_on"])
    model.recognized_level, model.recognized_on = level, on or timezone.localdate()
    model.save(update_fields=["recognized_level", "recognized_on"])
    record(
        actor=actor,
        action="emulation.recognize_model",
        obj=model,
        before=before,
        after=snapshot(model, ["recognized_level_id", "recognized_on"]),
    )
    return model


@transaction.atomic
def commend_model(
    *,
    actor,
    model: MovementModel,
    form: str,
    issuing_body: str,
    decision_number: str,
    decision_date: dt.date,
) -> Commendation:
    require_accepting_level(actor, model)
    decision_date = _date(decision_date, "decision_date")
    commendation = Commendation.objects.create(
        model=model,
        form=_text(form, "form", max_length=200),
        issuing_body=_text(issuing_body, "issuing_body", max_length=300),
        decision_number=_text(decision_number, "decision_number", max_length=100),
        decision_date=decision_date,
    )
    record(actor=actor, action="emulation.commend_model", obj=model, after=snapshot(commendation))
    return commendation


@transaction.atomic
def mark_for_replication(*, actor, model: MovementModel, replicate: bool = True) -> MovementModel:
    require_accepting_level(actor, model)
    before = {"for_replication": model.for_replication}
    model.for_replication = bool(replicate)
    model.save(update_fields=["for_replication"])
    record(
        actor=actor,
        action="emulation.mark_for_replication",
        obj=model,
        before=before,
        after={"for_replication": model.for_replication},
    )
    return model


@transaction.atomic
def adopt_model(
    *, actor, model: MovementModel, unit: Organization, started_on: dt.date, notes: str = ""
) -> Adoption:
    """Another unit takes up a model marked for replication."""
    require(actor, "emulation.register", unit)
    model = MovementModel.objects.select_for_update().get(pk=model.pk)
    if not model.for_replication:
        raise EmulationError(_("This model is not marked for replication."), field="model")
    if unit.pk == model.unit_id:
        raise EmulationError(_("A unit cannot adopt its own model."), field="unit")
    started_on = _date(started_on, "started_on")
    try:
        with transaction.atomic():
            adoption = Adoption.objects.create(
                model=model, unit=unit, started_on=started_on, notes=notes or ""
            )
    except IntegrityError as exc:
        raise Conflict(_("This unit has already adopted this model."), field="unit") from exc
    record(actor=actor, action="emulation.adopt_model", obj=adoption, after=snapshot(adoption))
    return adoption


@transaction.atomic
def report_adoption(
    *, actor, adoption: Adoption, percent: int, notes: str | None = None
) -> Adoption:
    require(actor, "emulation.register", adoption)
    try:
        percent = int(percent)
    except (TypeError, ValueError) as exc:
        raise EmulationError(_("Enter a whole number from 0 to 100."), field="percent") from exc
    if not 0 <= percent <= 100:
        raise EmulationError(_("Enter a whole number from 0 to 100."), field="percent")
    before = snapshot(adoption, ["percent", "notes"])
    adoption.percent = int(percent)
    if notes is not None:
        adoption.notes = notes
    adoption.save(update_fields=["percent", "notes"])
    record(
        actor=actor,
        action="emulation.report_adoption",
        obj=adoption,
        before=before,
        after=snapshot(adoption, ["percent", "notes"]),
    )
    return adoption
