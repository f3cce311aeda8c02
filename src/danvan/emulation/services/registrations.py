"""Registering models, one or thousands: one set of rules (`check_registration`), two ways to apply them."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import require
from danvan.audit.log import record, snapshot
from danvan.core.errors import Conflict, DomainError
from danvan.core.text import fold
from danvan.org.models import Organization

from ..models import (
    FieldOfWork,
    Label,
    Level,
    Movement,
    MovementModel,
    RegistrantKind,
    Registration,
    RegistrationWindow,
)
from .common import (
    EmulationError,
    _text,
    _year,
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


@dataclasses.dataclass(frozen=True)
class RegistrationIn:
    """One registration as typed: on the page, over the API, or a row of the import file."""

    year: int
    level_code: str
    unit: Organization
    title: str
    field_code: str
    kind: str = RegistrantKind.COLLECTIVE
    person_name: str = ""
    person_position: str = ""
    target_group: str = ""
    goals: str = ""
    plan: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    label_names: list[str] | None = None


def _check_unit(ctx: RegistrationContext, unit: Organization) -> Organization:
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
    return unit


def _check_level(ctx: RegistrationContext, year: int, level_code: str) -> Level:
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
    return level


def _check_registrant(data: RegistrationIn) -> tuple[str, str]:
    """The individual's name and position (empty for a collective)."""
    if data.kind not in RegistrantKind.values:
        raise EmulationError(_("The registrant is a collective or an individual."), field="kind")
    if data.kind != RegistrantKind.INDIVIDUAL:
        return "", ""
    return (
        _text(data.person_name, "person_name", max_length=200),
        _text(data.person_position, "person_position", max_length=200, required=False),
    )


def _check_labels(ctx: RegistrationContext, names) -> list[Label]:
    labels = []
    for label_name in names or []:
        label = ctx.labels.get(label_name)
        if label is None:
            raise EmulationError(
                _("Unknown label: %(name)s.") % {"name": label_name}, field="labels"
            )
        labels.append(label)
    return labels


def check_registration(ctx: RegistrationContext, data: RegistrationIn) -> CheckedRegistration:
    """Every rule of a registration, in the order `register_model` has always applied them;
    the first broken one is raised (PermissionDenied, EmulationError or Conflict)."""
    unit = _check_unit(ctx, data.unit)
    year = _year(data.year)
    level = _check_level(ctx, year, data.level_code)
    person_name, person_position = _check_registrant(data)
    title = _text(data.title, "title", max_length=300)
    field = ctx.fields.get(data.field_code)
    if field is None:
        raise EmulationError(
            _("Unknown field: %(code)s.") % {"code": data.field_code}, field="field"
        )
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise EmulationError(_("The end comes before the start."), field="end_date")
    if not _window_open(ctx, year, level):
        raise EmulationError(
            _("Registration for %(year)d at this level is not open on %(day)s.")
            % {"year": year, "day": ctx.today.strftime("%d/%m/%Y")},
            field="year",
        )
    checked = CheckedRegistration(
        year=year,
        level=level,
        unit=unit,
        kind=data.kind,
        person_name=person_name,
        person_position=person_position,
        title=title,
        field=field,
        target_group="",
        goals=data.goals or "",
        plan=data.plan or "",
        start_date=data.start_date,
        end_date=data.end_date,
        labels=_check_labels(ctx, data.label_names),
    )
    if (checked.registrant, checked.search_name) in ctx.titles:
        raise Conflict(
            _(
                "This registrant has already registered a model with this title for %(year)d at this level."
            )
            % {"year": year},
            field="title",
        )
    checked.target_group = _text(data.target_group, "target_group", max_length=300, required=False)
    return checked


@transaction.atomic
def register_model(
    *, actor, movement: Movement, data: RegistrationIn, today: dt.date | None = None
) -> MovementModel:
    """A collective (the unit itself) or an individual (a cadre of the unit, by name and
    position) registers a model for a year at a level, while registration is open."""
    unit = data.unit
    ctx = registration_context(actor=actor, movement=movement, units=[unit], today=today)
    ctx.units[unit.pk] = unit  # the caller's object: its rules read its current state
    checked = check_registration(ctx, data)
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
            one = check_registration(ctx, RegistrationIn(**row))
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
