"""Movements: themes, criteria, labels, registration windows, and the dashboard."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from danvan.core import versions
from danvan.core.errors import NotFound
from danvan.core.pagination import Pagination
from danvan.core.schemas import OrgRef

from .. import queries, services
from .common import YEAR, MovementRef, _org, router

# Movements -------------------------------------------------------------------------------


class ThemeOut(Schema):
    year: int
    title: str


class FieldOut(Schema):
    id: int
    code: str
    name: str


class LevelOut(Schema):
    id: int
    code: str
    name: str
    rank: int
    area_level: str = Field(..., description="Area level of the accepting units; empty = central")


class EmulationCriterionOut(Schema):
    id: int
    name: str
    weight: Decimal
    max_score: Decimal


class LabelOut(Schema):
    id: int
    name: str


class WindowOut(Schema):
    id: int
    year: int
    level: str | None = Field(None, description="Level code, or null for every level")
    opens_on: dt.date
    closes_on: dt.date

    @staticmethod
    def resolve_level(obj):
        return obj.level.code if obj.level_id else None


class MovementOut(Schema):
    id: int
    code: str
    name: str
    description: str
    start_year: int
    end_year: int | None
    organizer: OrgRef


class MovementDetail(MovementOut):
    themes: list[ThemeOut]
    fields: list[FieldOut]
    levels: list[LevelOut]
    criteria: list[EmulationCriterionOut]
    labels: list[LabelOut]
    windows: list[WindowOut]

    @staticmethod
    def resolve_windows(obj):
        return obj.windows.select_related("level")


class MovementFilter(Schema):
    q: str | None = Field(None, max_length=100, description="Words of the name or code")
    year: int | None = Field(None, description="Only movements running in this year", **YEAR)
    organizer: int | None = Field(
        None, description="Only movements organized under this organization id"
    )


@router.get(
    "/movements",
    response=list[MovementOut],
    summary="List movements",
    description="Movements the user runs (organizer in their subtree) or takes part in "
    "(organized above one of their units).",
    operation_id="danvan_emulation_api_list_movements",
)
@paginate(Pagination)
def list_movements(request: HttpRequest, filters: Query[MovementFilter]):
    organizer = _org(request, filters.organizer, "organizer") if filters.organizer else None
    return queries.movement_list(request.user, q=filters.q, year=filters.year, organizer=organizer)


@router.get(
    "/movements/{movement_id}",
    response=MovementDetail,
    summary="A movement",
    description="With its yearly themes, fields of work, levels, criteria, labels and "
    "registration windows.",
    operation_id="danvan_emulation_api_get_movement",
)
def get_movement(request: HttpRequest, movement_id: int):
    return queries.get_movement(request.user, movement_id)


class MovementIn(Schema):
    organizer: int = Field(..., description="Organization id of the organizer")
    code: str = Field(..., min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=255)
    start_year: int = Field(..., **YEAR)
    end_year: int | None = Field(None, **YEAR)
    description: str = Field("", max_length=5000)
    completion: Literal["evaluated", "reported"] = Field(
        "evaluated",
        description="When a model counts as completed: once evaluated by the accepting level "
        "with progress at 100% (evaluated), or once its unit reports 100% (reported)",
    )


@router.post(
    "/movements",
    response={201: MovementDetail},
    summary="Create a movement",
    description="Needs `emulation.manage` on the organizer. Starts with the default fields of "
    "work and levels (commune, province, central; district too for movements starting before "
    "the districts ended on 30 June 2025).",
    operation_id="danvan_emulation_api_create_movement",
)
def create_movement(request: HttpRequest, payload: MovementIn):
    organizer = _org(request, payload.organizer, "organizer")
    movement = services.create_movement(
        actor=request.user,
        organizer=organizer,
        code=payload.code,
        name=payload.name,
        start_year=payload.start_year,
        end_year=payload.end_year,
        description=payload.description,
        completion=payload.completion,
    )
    return Status(201, queries.get_movement(request.user, movement.pk))


class ThemeIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)


@router.put(
    "/movements/{movement_id}/themes/{year}",
    response=ThemeOut,
    summary="Set the theme of a year",
    description="Creates or replaces the movement's theme for the year.",
    operation_id="danvan_emulation_api_set_theme",
)
def set_theme(
    request: HttpRequest, response: HttpResponse, movement_id: int, year: int, payload: ThemeIn
):
    """With If-Match (the ETag of the last answer), refused with 412 when it changed since."""
    movement = queries.get_movement(request.user, movement_id)
    theme = services.set_theme(
        actor=request.user, movement=movement, year=year, title=payload.title,
        expected_version=versions.if_match(request),
    )  # fmt: skip
    versions.tag(response, theme, services.THEME_FIELDS)
    return theme


class CriterionIn(Schema):
    name: str = Field(..., min_length=1, max_length=300)
    weight: Decimal = Field(Decimal("1"), gt=0, max_digits=6, decimal_places=2)
    max_score: Decimal = Field(Decimal("10"), gt=0, max_digits=6, decimal_places=2)


@router.post(
    "/movements/{movement_id}/criteria",
    response={201: EmulationCriterionOut},
    summary="Add an evaluation criterion",
    operation_id="danvan_emulation_api_add_criterion",
)
def add_criterion(request: HttpRequest, movement_id: int, payload: CriterionIn):
    movement = queries.get_movement(request.user, movement_id)
    criterion = services.add_criterion(
        actor=request.user,
        movement=movement,
        name=payload.name,
        weight=payload.weight,
        max_score=payload.max_score,
    )
    criterion.refresh_from_db()  # the numbers as stored: "20.00", not "20"
    return Status(201, criterion)


class LabelIn(Schema):
    name: str = Field(..., min_length=1, max_length=300)


@router.post(
    "/movements/{movement_id}/labels",
    response={201: LabelOut},
    summary="Add a label",
    description="A tag with its own roll-up on the dashboard; 409 if it exists.",
    operation_id="danvan_emulation_api_add_label",
)
def add_label(request: HttpRequest, movement_id: int, payload: LabelIn):
    movement = queries.get_movement(request.user, movement_id)
    return Status(201, services.add_label(actor=request.user, movement=movement, name=payload.name))


class WindowIn(Schema):
    year: int = Field(..., **YEAR)
    opens_on: dt.date
    closes_on: dt.date
    level: str | None = Field(
        None, max_length=40, description="Level code; omit to open every level"
    )


@router.post(
    "/movements/{movement_id}/windows",
    response={201: WindowOut},
    summary="Open registration",
    description="Units may register models for the year (optionally one level) between the "
    "two dates, inclusive.",
    operation_id="danvan_emulation_api_open_registration",
)
def open_registration(request: HttpRequest, movement_id: int, payload: WindowIn):
    movement = queries.get_movement(request.user, movement_id)
    window = services.open_registration(
        actor=request.user,
        movement=movement,
        year=payload.year,
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
        level_code=payload.level,
    )
    return Status(201, window)


class CloseWindowIn(Schema):
    last_day: dt.date | None = Field(
        None, description="The last day registration is accepted; default yesterday"
    )


@router.post(
    "/movements/{movement_id}/windows/{window_id}/close",
    response=WindowOut,
    summary="Close registration early",
    operation_id="danvan_emulation_api_close_registration",
)
def close_registration(
    request: HttpRequest, movement_id: int, window_id: int, payload: CloseWindowIn
):
    movement = queries.get_movement(request.user, movement_id)
    window = movement.windows.select_related("level", "movement").filter(pk=window_id).first()
    if window is None:
        raise NotFound(_("Not found."))
    return services.close_registration(actor=request.user, window=window, last_day=payload.last_day)


# Dashboard -------------------------------------------------------------------------------


class LevelFigures(Schema):
    level: LevelOut
    models: int
    completed: int
    collectives: int
    individuals: int


class FieldFigures(Schema):
    code: str = Field(..., alias="field__code")
    name: str = Field(..., alias="field__name")
    models: int = Field(..., alias="n")
    completed: int = Field(..., alias="done")


class StateFigures(Schema):
    state: str
    label: str
    models: int = Field(..., alias="n")

    @staticmethod
    def resolve_label(obj):
        return str(obj["label"])


class UnitFigures(Schema):
    unit: OrgRef
    models: int
    completed: int
    percent_completed: float


class LabelFigures(Schema):
    label: str = Field(..., alias="labels__name")
    models: int = Field(..., alias="n")


class PreviousYear(Schema):
    year: int
    models: int
    completed: int


class EmulationDashboardOut(Schema):
    movement: MovementRef
    year: int
    unit: OrgRef | None
    as_of: dt.date | None
    models: int
    completed: int
    percent_completed: float | None
    collectives: int
    individuals: int
    by_level: list[LevelFigures]
    by_field: list[FieldFigures]
    by_state: list[StateFigures]
    by_unit: list[UnitFigures]
    commended: int = Field(..., description="Models with at least one commendation")
    commendations: int
    for_replication: int
    adoptions: int
    by_label: list[LabelFigures]
    previous: PreviousYear


class EmulationDashboardFilter(Schema):
    year: int = Field(..., **YEAR)
    unit: int | None = Field(None, description="Only this organization's subtree")
    as_of: dt.date | None = Field(None, description="Count completions up to this date")


@router.get(
    "/movements/{movement_id}/dashboard",
    response=EmulationDashboardOut,
    summary="Movement dashboard",
    description="The movement's figures for a year within what the user sees (optionally one "
    "unit's subtree): registrants counted once per level and once in total, models by level, "
    "field, state and unit, commendations, replication, labels, and the previous year.",
    operation_id="danvan_emulation_api_dashboard",
)
def dashboard(request: HttpRequest, movement_id: int, filters: Query[EmulationDashboardFilter]):
    movement = queries.get_movement(request.user, movement_id)
    unit = _org(request, filters.unit, "unit") if filters.unit else None
    return queries.dashboard(
        request.user, movement=movement, year=filters.year, unit=unit, as_of=filters.as_of
    )
