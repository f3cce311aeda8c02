"""The organizers' pages: create movements and contests, set themes, criteria and labels, add
teams, judges, prizes and the coverage rule, edit a model, report an adoption's progress.

Same rules as `views`: thin, every write through `services` / `contests` (which check
permission and audit). The object must be visible (else 404); `can()` decides up front
whether the form is offered (else 403). A request from htmx gets the form's partial; after a
successful htmx post the client is sent to the object's page with `HX-Redirect`.
A GET from htmx with `?probe=1` answers with the page's button when the user may use it, or
with nothing (204): pages whose views do not know who may act load their buttons that way.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can, visible
from danvan.core import versions
from danvan.core.collation import Vietnamese
from danvan.core.errors import DomainError
from danvan.core.tree import under
from danvan.org.models import Organization, OrganizationType

from . import services
from .forms_manage import (
    AdoptionReportForm,
    ContestForm,
    CoverageRuleForm,
    CriterionForm,
    JudgeForm,
    LabelForm,
    ModelEditForm,
    MovementForm,
    PrizeForm,
    TeamForm,
    ThemeForm,
)
from .models import Adoption, Contest, ContestKind, Judge, Movement, MovementModel
from .views import MAX_UNIT_CHOICES, _contest, _is_htmx, _model, _movement

# Helpers --------------------------------------------------------------------------------


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
    if request.method == "POST" and form.is_valid():
        try:
            obj = write(form.cleaned_data)
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, message(obj))
            url = done(obj)
            if _is_htmx(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
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


# Contests -------------------------------------------------------------------------------


@login_required
def contest_create(request):
    user = request.user
    units = _units(user, "emulation.manage")
    if _probe(request):
        return _button(request, bool(units), gettext_lazy("New contest"))
    if not units:
        raise PermissionDenied
    movements = list(
        visible(user, Movement.objects.all(), action="emulation.manage").order_by(
            "-start_year", Vietnamese("name")
        )
    )
    form = ContestForm(
        request.POST or None,
        units=units,
        movements=movements,
        initial={
            "organizer": units[0].pk,
            "year": timezone.localdate().year,
            "kind": ContestKind.TEAMS,
        },
    )

    def write(data):
        return services.create_contest(
            actor=user,
            organizer=next(u for u in units if u.pk == data["organizer"]),
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            year=data["year"],
            movement=next((m for m in movements if m.pk == data["movement"]), None),
            description=data["description"],
            criteria=form.criteria(),
            rounds=form.rounds(),
        )

    return _form_page(
        request,
        form,
        write=write,
        done=lambda c: reverse("emulation:contest", args=[c.pk]),
        message=lambda c: _("Contest “%(name)s” created.") % {"name": c.name},
        template="emulation/manage_contest_form.html",
        partial="emulation/_manage_contest_form.html",
        context={
            "title": _("New contest"),
            "crumbs": [(reverse("emulation:contests"), _("Contests"))],
        },
    )


def _teams_contest(request, contest_id: int) -> Contest:
    contest = _contest(request, contest_id)
    if contest.kind != ContestKind.TEAMS:
        raise Http404
    return contest


@login_required
def team_add(request, contest_id: int):
    contest = _teams_contest(request, contest_id)
    # The units the contest covers (the organizer's area) that the user may register for.
    units = _units(request.user, "emulation.register", area_path=contest.organizer.area.path)
    if _probe(request):
        return _button(request, bool(units), gettext_lazy("Add a team"))
    if not units:
        raise PermissionDenied
    form = TeamForm(request.POST or None, units=units)
    first = contest.rounds.order_by("order").first()
    if first is None or first.closed:
        intro = _("The first round is closed (or there is none yet): no team can be added now.")
    else:
        intro = _("The team enters the contest's first round, %(round)s.") % {"round": first.name}

    def write(data):
        return services.add_team(
            actor=request.user,
            contest=contest,
            name=data["name"],
            unit=next(u for u in units if u.pk == data["unit"]),
            members=form.member_list(),
        )

    return _form_page(
        request,
        form,
        write=write,
        done=lambda team: reverse("emulation:contest", args=[contest.pk]),
        message=lambda team: _("Team “%(name)s” added to the first round.") % {"name": team.name},
        context={
            "title": _("Add a team"),
            "crumbs": _contest_crumbs(contest),
            "intro": intro,
            "submit": _("Add the team"),
            "wide": "members",
            "listing": [f"{t.name} — {t.unit.name}" for t in contest.teams.select_related("unit")],
            "listing_title": _("Teams"),
        },
    )


@login_required
def judge_add(request, contest_id: int):
    contest = _managed_contest(request, contest_id)
    rounds = list(contest.rounds.all())
    if contest.kind != ContestKind.TEAMS or not rounds:
        raise Http404
    form = JudgeForm(request.POST or None, rounds=rounds)
    judges = Judge.objects.filter(round__contest=contest).select_related("round", "user")
    return _form_page(
        request,
        form,
        write=lambda data: services.add_judge(
            actor=request.user,
            round=next(r for r in rounds if r.pk == data["round"]),
            username=data["username"],
        ),
        done=lambda judge: reverse("emulation:contest", args=[contest.pk]),
        message=lambda judge: (
            _("%(user)s judges %(round)s.")
            % {"user": judge.user.get_full_name() or judge.user.username, "round": judge.round.name}
        ),
        context={
            "title": _("Add a judge"),
            "crumbs": _contest_crumbs(contest),
            "intro": _("A judge scores every team of the round on the contest's criteria."),
            "submit": _("Add the judge"),
            "listing": [
                f"{j.round.order}. {j.round.name}: {j.user.get_full_name() or j.user.username}"
                for j in judges.order_by("round__order", "user__username")
            ],
            "listing_title": _("Judges"),
        },
    )


@login_required
def prize_award(request, contest_id: int):
    contest = _managed_contest(request, contest_id)
    teams = list(contest.teams.order_by(Vietnamese("name")))
    entries = list(visible(request.user, contest.entries.all()).order_by(Vietnamese("title")))
    form = PrizeForm(request.POST or None, teams=teams, entries=entries)

    def write(data):
        kind, _sep, pk = data["recipient"].partition(":")
        return services.award_prize(
            actor=request.user,
            contest=contest,
            name=data["name"],
            team=next((t for t in teams if kind == "team" and str(t.pk) == pk), None),
            entry=next((e for e in entries if kind == "entry" and str(e.pk) == pk), None),
        )

    return _form_page(
        request,
        form,
        write=write,
        done=lambda prize: reverse("emulation:contest", args=[contest.pk]),
        message=lambda prize: _("Prize “%(name)s” awarded.") % {"name": prize.name},
        context={
            "title": _("Award a prize"),
            "crumbs": _contest_crumbs(contest),
            "submit": _("Award the prize"),
            "listing": [
                f"{p.name}: {p.team.name if p.team else p.entry.title if p.entry else ''}"
                for p in contest.prizes.select_related("team", "entry")
            ],
            "listing_title": _("Prizes"),
        },
    )


@login_required
def coverage_rule_set(request, contest_id: int):
    contest = _managed_contest(request, contest_id)
    if contest.kind != ContestKind.ENTRIES:
        raise Http404
    rule = getattr(contest, "coverage_rule", None)
    initial = (
        {"unit_type": rule.unit_type.code, "area_level": rule.area_level, "minimum": rule.minimum}
        if rule
        else {"minimum": 1}
    )
    form = CoverageRuleForm(
        request.POST or None, unit_types=OrganizationType.objects.all(), initial=initial
    )
    return _form_page(
        request,
        form,
        write=lambda data: services.set_coverage_rule(
            actor=request.user,
            contest=contest,
            unit_type_code=data["unit_type"],
            area_level=data["area_level"],
            minimum=data["minimum"],
        ),
        done=lambda r: reverse("emulation:contest", args=[contest.pk]) + "#coverage",
        message=lambda r: _("Coverage rule set."),
        context={
            "title": _("Set the coverage rule"),
            "crumbs": _contest_crumbs(contest),
            "intro": _(
                "Which units under the organizer's area must send entries, e.g. every "
                "district-level Party committee at least one. Setting it again replaces it."
            ),
            "submit": _("Set the rule"),
        },
    )


# Models and adoptions -------------------------------------------------------------------

MODEL_FIELDS = ["title", "field_code", "target_group", "goals", "plan", "start_date", "end_date"]


def _model_values(model: MovementModel) -> dict:
    return {
        "title": model.title,
        "field_code": model.field.code,
        "target_group": model.target_group,
        "goals": model.goals,
        "plan": model.plan,
        "start_date": model.start_date,
        "end_date": model.end_date,
    }


@login_required
def model_edit(request, model_id: int):
    model = _model(request, model_id)
    if not can(request.user, "emulation.register", model):
        raise PermissionDenied
    current = _model_values(model)
    version = versions.version_of(model, services.MODEL_VERSIONED)
    form = ModelEditForm(
        request.POST or None, movement=model.movement, initial={**current, "version": version}
    )

    def write(data):
        changes = {name: data[name] for name in MODEL_FIELDS if data[name] != current[name]}
        if not changes:
            return None
        return services.update_model(
            actor=request.user, model=model, expected_version=data["version"] or None, **changes
        )

    return _form_page(
        request,
        form,
        write=write,
        done=lambda m: reverse("emulation:model", args=[model.pk]),
        message=lambda m: _("Model updated.") if m else _("Nothing changed."),
        context={
            "title": _("Edit the model"),
            "crumbs": [
                *_movement_crumbs(model.movement),
                (reverse("emulation:model", args=[model.pk]), model.title),
            ],
            "submit": _("Save changes"),
            "wide": "title goals plan",
        },
    )


def _reportable(user, model: MovementModel) -> list[Adoption]:
    """The model's adoptions whose progress the user may report."""
    return list(
        visible(
            user,
            model.adoptions.select_related("unit__area"),
            action="emulation.register",
        ).order_by("started_on", "pk")
    )


def _adoption_page(request, model: MovementModel, adoptions: list[Adoption], bound=None):
    for adoption in adoptions:
        adoption.form = (
            bound
            if bound is not None and bound.prefix == f"a{adoption.pk}"
            else AdoptionReportForm(
                prefix=f"a{adoption.pk}",
                initial={"percent": adoption.percent, "notes": adoption.notes},
            )
        )
    context = {
        "model": model,
        "adoptions": adoptions,
        "title": _("Report progress of an adoption"),
        "crumbs": [
            *_movement_crumbs(model.movement),
            (reverse("emulation:model", args=[model.pk]), model.title),
        ],
    }
    template = (
        "emulation/_manage_adoptions.html"
        if _is_htmx(request)
        else "emulation/manage_adoptions.html"
    )
    return render(request, template, context)


@login_required
def adoption_reports(request, model_id: int):
    """The adoptions of a model the user may report on, each with its small form. Loaded by
    htmx into the model page's "where it spread"; without JS, a page of its own."""
    model = _model(request, model_id)
    adoptions = _reportable(request.user, model)
    if not adoptions:
        if _is_htmx(request):
            return HttpResponse(status=204)
        raise PermissionDenied
    return _adoption_page(request, model, adoptions)


@login_required
@require_POST
def adoption_report(request, adoption_id: int):
    adoption = (
        visible(request.user, Adoption.objects.select_related("unit__area", "model"))
        .filter(pk=adoption_id)
        .first()
    )
    if adoption is None:
        raise Http404
    model = _model(request, adoption.model_id)
    if not can(request.user, "emulation.register", adoption):
        raise PermissionDenied
    form = AdoptionReportForm(request.POST, prefix=f"a{adoption.pk}")
    if form.is_valid():
        try:
            services.report_adoption(
                actor=request.user,
                adoption=adoption,
                percent=form.cleaned_data["percent"],
                notes=form.cleaned_data["notes"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, _("Progress of %(unit)s reported.") % {"unit": adoption.unit.name}
            )
            if _is_htmx(request):
                # Reload the page the form sits on (a redirect to it plus "#spread" would
                # only scroll).
                response = HttpResponse(status=204)
                response["HX-Refresh"] = "true"
                return response
            return redirect(reverse("emulation:model", args=[model.pk]) + "#spread")
    return _adoption_page(request, model, _reportable(request.user, model), bound=form)
