"""Movement pages: the list, a movement's page and its registration windows, the dashboard;
for organizers, creating a movement and setting its theme, criteria and labels.

Thin: parse, call a query or a service, render. Reads go through `queries` (scoped); writes
through `services`, which check permission and audit. `can()` here only decides whether to
show a form or a button."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can
from danvan.core.dates import parse_day
from danvan.core.forms import submit
from danvan.org.models import Organization

from .. import queries, services
from ..forms import (
    CloseWindowForm,
    CriterionForm,
    LabelForm,
    MovementForm,
    ThemeForm,
    WindowForm,
)
from ..models import (
    Movement,
    RegistrationWindow,
)
from .common import (
    _button,
    _default_year,
    _form_page,
    _managed_movement,
    _movement,
    _movement_crumbs,
    _probe,
    _register_units,
    _unit_param,
    _units,
    _years,
    may_register,
)

# Movements ------------------------------------------------------------------------------


@login_required
def movement_list(request):
    movements = queries.movements(request.user).prefetch_related("themes")
    return render(request, "emulation/movement_list.html", {"movements": movements})


def _movement_page(request, movement: Movement, *, window_form=None, close_forms=None):
    user = request.user
    manager = can(user, "emulation.manage", movement)
    levels = list(movement.levels.all())
    today = timezone.localdate()
    windows = list(movement.windows.select_related("level").order_by("-year", "-opens_on"))
    close_forms = close_forms or {}
    for window in windows:
        window.is_open = window.opens_on <= today <= window.closes_on
        window.close_form = close_forms.get(window.pk) or (
            CloseWindowForm(prefix=f"w{window.pk}") if manager and window.is_open else None
        )
    context = {
        "movement": movement,
        "themes": movement.themes.order_by("-year"),
        "fields": movement.fields.all(),
        "levels": levels,
        "criteria": movement.criteria.all(),
        "labels": movement.labels.all(),
        "windows": windows,
        "manager": manager,
        "window_form": window_form
        or (WindowForm(levels=levels, initial={"year": today.year}) if manager else None),
        "years": _years(movement),
        "may_register": bool(_register_units(user)[:1]),
    }
    return render(request, "emulation/movement_detail.html", context)


@login_required
def movement_detail(request, movement_id: int):
    return _movement_page(request, _movement(request, movement_id))


@login_required
@require_POST
def window_open(request, movement_id: int):
    movement = _movement(request, movement_id)
    form = WindowForm(request.POST, levels=movement.levels.all())
    done = submit(
        request,
        form,
        lambda data: services.open_registration(
            actor=request.user,
            movement=movement,
            year=data["year"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            level_code=data["level"] or None,
        ),
        success=_("Registration window opened."),
        then=lambda result: ("emulation:movement", movement.pk),
    )
    return done or _movement_page(request, movement, window_form=form)


@login_required
@require_POST
def window_close(request, window_id: int):
    window = RegistrationWindow.objects.filter(pk=window_id).first()
    if window is None:
        raise Http404
    movement = _movement(request, window.movement_id)
    form = CloseWindowForm(request.POST, prefix=f"w{window.pk}")
    done = submit(
        request,
        form,
        lambda data: services.close_registration(
            actor=request.user, window=window, last_day=data["last_day"]
        ),
        success=_("Registration window closed."),
        then=lambda result: ("emulation:movement", movement.pk),
    )
    return done or _movement_page(request, movement, close_forms={window.pk: form})


# Dashboard ------------------------------------------------------------------------------


def _bars(rows: list[dict], key: str = "models") -> list[dict]:
    top = max((row[key] for row in rows), default=0)
    for row in rows:
        row["bar"] = round(100 * row[key] / top) if top else 0
    return rows


def dashboard_params(
    request, movement: Movement
) -> tuple[int, Organization | None, dt.date | None, bool]:
    """The dashboard's year, unit and "as of" day (also the export's); and whether the day
    given was not understood."""
    year = _default_year(request, movement)
    unit = _unit_param(request)
    as_of_raw = (request.GET.get("as_of") or "").strip()
    as_of = parse_day(as_of_raw) if as_of_raw else None
    return year, unit, as_of, bool(as_of_raw and as_of is None)


@login_required
def dashboard(request, movement_id: int):
    movement = _movement(request, movement_id)
    year, unit, as_of, as_of_invalid = dashboard_params(request, movement)
    if as_of_invalid:
        messages.error(request, _("The date “as of” was not understood; use YYYY-MM-DD."))
    figures = queries.dashboard(request.user, movement=movement, year=year, unit=unit, as_of=as_of)
    _bars(figures["by_unit"])
    _bars(figures["by_level"])
    _bars(figures["by_field"], "n")
    base = {"year": year}
    if unit is not None:
        base["unit"] = unit.pk
    context = {
        "d": figures,
        "movement": movement,
        "year": year,
        "unit": unit,
        "as_of": as_of,
        "years": _years(movement),
        "list_url": reverse("emulation:models", args=[movement.pk]),
        "base_qs": urlencode(base),
        "unit_qs": urlencode({"year": year, **({"as_of": as_of.isoformat()} if as_of else {})}),
        "as_of_qs": f"&as_of={as_of.isoformat()}" if as_of else "",
        "theme": movement.themes.filter(year=year).first(),
        "may_register": partial(may_register, request.user),  # asked only if shown
    }
    return render(request, "emulation/dashboard.html", context)


# Movements ------------------------------------------------------------------------------


@login_required
def movement_create(request):
    units = _units(request.user, "emulation.manage")
    if _probe(request):
        return _button(request, bool(units), gettext_lazy("New movement"))
    if not units:
        raise PermissionDenied
    year = timezone.localdate().year
    form = MovementForm(
        request.POST or None, units=units, initial={"organizer": units[0].pk, "start_year": year}
    )

    def write(data):
        return services.create_movement(
            actor=request.user,
            organizer=next(u for u in units if u.pk == data["organizer"]),
            code=data["code"],
            name=data["name"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            description=data["description"],
        )

    return _form_page(
        request,
        form,
        write=write,
        done=lambda m: reverse("emulation:movement", args=[m.pk]),
        message=lambda m: (
            _("Movement “%(name)s” created with the default fields and levels.") % {"name": m.name}
        ),
        context={
            "title": _("New movement"),
            "crumbs": [(reverse("emulation:movements"), _("Movements"))],
            "intro": _(
                "The movement starts with the usual fields of work and levels "
                "(commune, district, province, central); criteria, labels and themes are "
                "added on its page."
            ),
            "submit": _("Create the movement"),
            "wide": "name description",
        },
    )


@login_required
def theme_set(request, movement_id: int):
    movement = _managed_movement(request, movement_id)
    form = ThemeForm(request.POST or None, initial={"year": timezone.localdate().year})
    return _form_page(
        request,
        form,
        write=lambda data: services.set_theme(
            actor=request.user, movement=movement, year=data["year"], title=data["title"]
        ),
        done=lambda theme: reverse("emulation:movement", args=[movement.pk]),
        message=lambda theme: _("Theme for %(year)d set.") % {"year": theme.year},
        context={
            "title": _("Set the theme of a year"),
            "crumbs": _movement_crumbs(movement),
            "intro": _("A year has one theme; setting it again replaces the old one."),
            "submit": _("Set the theme"),
            "wide": "title",
            "listing": [
                f"{theme.year}: {theme.title}" for theme in movement.themes.order_by("-year")
            ],
            "listing_title": _("Themes by year"),
        },
    )


@login_required
def criterion_add(request, movement_id: int):
    movement = _managed_movement(request, movement_id)
    form = CriterionForm(request.POST or None)
    return _form_page(
        request,
        form,
        write=lambda data: services.add_criterion(
            actor=request.user,
            movement=movement,
            name=data["name"],
            weight=data["weight"] or 1,
            max_score=data["max_score"] or 10,
        ),
        done=lambda c: reverse("emulation:movement", args=[movement.pk]),
        message=lambda c: _("Criterion “%(name)s” added.") % {"name": c.name},
        context={
            "title": _("Add an evaluation criterion"),
            "crumbs": _movement_crumbs(movement),
            "intro": _(
                "Models are scored on each criterion from 0 to its maximum; the weights "
                "combine the scores into one out of 100."
            ),
            "submit": _("Add the criterion"),
            "wide": "name",
            "listing": [c.name for c in movement.criteria.all()],
            "listing_title": _("Evaluation criteria"),
        },
    )


@login_required
def label_add(request, movement_id: int):
    movement = _managed_movement(request, movement_id)
    form = LabelForm(request.POST or None)
    return _form_page(
        request,
        form,
        write=lambda data: services.add_label(
            actor=request.user, movement=movement, name=data["name"]
        ),
        done=lambda label: reverse("emulation:movement", args=[movement.pk]),
        message=lambda label: _("Label “%(name)s” added.") % {"name": label.name},
        context={
            "title": _("Add a label"),
            "crumbs": _movement_crumbs(movement),
            "intro": _("Registrants tick labels on their models, e.g. an anniversary."),
            "submit": _("Add the label"),
            "wide": "name",
            "listing": [label.name for label in movement.labels.all()],
            "listing_title": _("Labels"),
        },
    )
