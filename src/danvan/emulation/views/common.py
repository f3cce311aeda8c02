"""Helpers every page of the app shares: the object looked up as the user may see it (else 404),
the units offered in a form, and the organizers' form pages.

A request from htmx gets the partial template (`_name.html`); after a successful htmx post the
client is sent to the object's page with `HX-Redirect`. A GET from htmx with `?probe=1` answers
with the page's button when the user may use it, or with nothing (204): pages whose views do
not know who may act load their buttons that way."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import can, get_visible, visible
from danvan.core.errors import NotFound
from danvan.core.forms import submit
from danvan.core.http import is_htmx as _is_htmx
from danvan.core.http import to_int as _int
from danvan.core.tree import under
from danvan.org.models import Organization
from danvan.org.units import requested_unit

from .. import queries
from ..models import (
    Contest,
    Movement,
    MovementModel,
)

PAGE_SIZE = 50
MAX_UNIT_CHOICES = 300


def _movement(request, movement_id: int) -> Movement:
    try:
        return queries.get_movement(request.user, movement_id)
    except NotFound as exc:
        raise Http404 from exc


def _model(request, model_id: int) -> MovementModel:
    try:
        return queries.get_model(request.user, model_id)
    except NotFound as exc:
        raise Http404 from exc


def _contest(request, contest_id: int) -> Contest:
    try:
        return get_visible(
            request.user, Contest.objects.select_related("organizer", "movement"), pk=contest_id
        )
    except NotFound as exc:
        raise Http404 from exc


def _register_units(user, *, under: Organization | None = None) -> list[Organization]:
    """The units the user may register for (choices of a form; the service re-checks)."""
    qs = visible(user, Organization.objects.filter(is_active=True), action="emulation.register")
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    return list(qs.order_by("path")[:MAX_UNIT_CHOICES])


def may_register(user) -> bool:
    """Whether the user may register models for some unit (shows the register and import
    links; the service re-checks each unit)."""
    return visible(
        user, Organization.objects.filter(is_active=True), action="emulation.register"
    ).exists()


def _years(movement: Movement) -> list[int]:
    last = max(movement.end_year or 0, timezone.localdate().year, movement.start_year)
    return list(range(last, movement.start_year - 1, -1))


def _default_year(request, movement: Movement) -> int:
    year = _int(request.GET.get("year"))
    if year:
        return year
    latest = (
        queries.models(request.user, movement=movement)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or min(timezone.localdate().year, movement.end_year or 9999)


_unit_param = requested_unit


def _units(user, action: str, *, area_path: str | None = None) -> list[Organization]:
    """Active units where the user may do `action` (a form's choices; the service re-checks)."""
    qs = visible(user, Organization.objects.filter(is_active=True), action=action)
    if area_path:
        qs = qs.filter(under(area_path, "area__path"))
    return list(qs.select_related("area").order_by("path")[:MAX_UNIT_CHOICES])


def _probe(request) -> bool:
    return request.method == "GET" and _is_htmx(request) and request.GET.get("probe") == "1"


def _button(request, allowed: bool, label, *, target: str = "") -> HttpResponse:
    if not allowed:
        return HttpResponse(status=204)
    return render(
        request,
        "emulation/_manage_button.html",
        {"url": request.path, "label": label, "target": target},
    )


def _form_page(
    request,
    form,
    *,
    write: Callable[[dict], object],
    done: Callable[[object], str],
    message: Callable[[object], str],
    context: dict,
    template: str = "emulation/manage_form.html",
    partial: str = "emulation/_manage_form.html",
):
    """GET shows the form; a valid POST writes through `write`; a DomainError goes back on the
    form, a PermissionDenied from the service becomes a 403."""
    if request.method == "POST":
        response = submit(request, form, write, success=message, then=done)
        if response and _is_htmx(request):
            url, response = response.url, HttpResponse(status=204)
            response["HX-Redirect"] = url
        if response:
            return response
    context = {"form": form, "action": request.path, **context}
    return render(request, partial if _is_htmx(request) else template, context)


def _movement_crumbs(movement: Movement) -> list[tuple[str, str]]:
    return [
        (reverse("emulation:movements"), _("Movements")),
        (reverse("emulation:movement", args=[movement.pk]), movement.name),
    ]


def _contest_crumbs(contest: Contest) -> list[tuple[str, str]]:
    return [
        (reverse("emulation:contests"), _("Contests")),
        (reverse("emulation:contest", args=[contest.pk]), contest.name),
    ]


def _managed_movement(request, movement_id: int) -> Movement:
    movement = _movement(request, movement_id)
    if not can(request.user, "emulation.manage", movement):
        raise PermissionDenied
    return movement


def _managed_contest(request, contest_id: int) -> Contest:
    contest = _contest(request, contest_id)
    if not can(request.user, "emulation.manage", contest):
        raise PermissionDenied
    return contest
