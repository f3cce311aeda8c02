"""Model pages: the list, registration, a model's page and what is done to it (progress, state,
evaluation, recognition, commendation, replication, adoption), evidence downloads; the edit
page and adoptions' reports."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can, visible
from danvan.core import versions
from danvan.core.dates import parse_day
from danvan.core.errors import DomainError
from danvan.core.forms import submit
from danvan.core.http import is_htmx as _is_htmx
from danvan.core.http import to_int as _int
from danvan.core.uploads import attachment
from danvan.org.units import current_unit

from .. import queries, services
from ..forms import (
    AdoptForm,
    AdoptionReportForm,
    CommendForm,
    EvaluationForm,
    ModelEditForm,
    ProgressForm,
    RecognizeForm,
    RegisterModelForm,
    StateForm,
    plain_number,
)
from ..models import (
    Adoption,
    Evidence,
    ModelState,
    Movement,
    MovementModel,
    RegistrantKind,
    Score,
)
from .common import (
    PAGE_SIZE,
    _form_page,
    _model,
    _movement,
    _movement_crumbs,
    _register_units,
    _unit_param,
    _years,
    may_register,
)

# Models ---------------------------------------------------------------------------------


def filtered_models(request, movement: Movement) -> tuple[QuerySet, dict]:
    """The list page's filters (also the export's): the scoped models, and the filters as
    the page shows them."""
    get = request.GET
    unit = _unit_param(request)
    filters = {
        "year": _int(get.get("year")),
        "level": (get.get("level") or "").strip()[:40],
        "field": (get.get("field") or "").strip()[:40],
        "state": get.get("state") if get.get("state") in ModelState.values else "",
        "q": (get.get("q") or "").strip()[:100],
    }
    qs = queries.models(
        request.user,
        movement=movement,
        unit=unit,
        year=filters["year"],
        level=filters["level"] or None,
        field=filters["field"] or None,
        state=filters["state"] or None,
        q=filters["q"] or None,
        for_replication=True if get.get("replication") == "1" else None,
    )
    # Drill-downs from the dashboard: data filters on the already scoped list.
    as_of = parse_day(get.get("as_of") or "")
    if as_of and filters["state"] == ModelState.COMPLETED:
        qs = qs.filter(state_changed_on__lte=as_of)
    if get.get("commended") == "1":
        qs = qs.filter(commendations__isnull=False).distinct()
    if get.get("adopted") == "1":
        qs = qs.filter(adoptions__isnull=False).distinct()
    label = (get.get("label") or "").strip()[:300]
    if label:
        qs = qs.filter(labels__name=label).distinct()
    if get.get("kind") in RegistrantKind.values:
        qs = qs.filter(registration__kind=get["kind"])
    shown = {
        "f": filters,
        "unit": unit,
        "label": label,
        "extra": {
            k: get[k]
            for k in ("commended", "adopted", "replication", "kind", "as_of")
            if get.get(k)
        },
    }
    return qs, shown


@login_required
def model_list(request, movement_id: int):
    movement = _movement(request, movement_id)
    qs, shown = filtered_models(request, movement)
    context = {
        "movement": movement,
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        **shown,
        "years": _years(movement),
        "levels": movement.levels.all(),
        "fields": movement.fields.all(),
        "states": ModelState.choices,
        "may_register": partial(may_register, request.user),  # asked only if shown
    }
    template = "emulation/_model_rows.html" if _is_htmx(request) else "emulation/model_list.html"
    return render(request, template, context)


@login_required
def model_register(request, movement_id: int):
    movement = _movement(request, movement_id)
    units = _register_units(request.user)
    if not units:
        raise PermissionDenied
    unit = current_unit(request)
    unit = unit if unit and unit in units else units[0]
    # The level the registering unit works at: the city Party committee registers at the
    # city's level, a ward's units at the commune level.
    level = next((lv for lv in movement.levels.all() if lv.area_level == unit.area.level), None)
    initial = {
        "year": timezone.localdate().year,
        "kind": RegistrantKind.COLLECTIVE,
        "unit": unit.pk,
        "level_code": level.code if level else None,
    }
    form = RegisterModelForm(request.POST or None, movement=movement, units=units, initial=initial)
    if request.method == "POST":

        def write(data):
            return services.register_model(
                actor=request.user,
                movement=movement,
                data=services.RegistrationIn(
                    year=data["year"],
                    level_code=data["level_code"],
                    unit=next(u for u in units if u.pk == data["unit"]),
                    title=data["title"],
                    field_code=data["field_code"],
                    kind=data["kind"],
                    person_name=data["person_name"],
                    person_position=data["person_position"],
                    target_group=data["target_group"],
                    goals=data["goals"],
                    plan=data["plan"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    label_names=data["label_names"],
                ),
            )

        done = submit(
            request,
            form,
            write,
            success=lambda model: _("Model “%(title)s” registered.") % {"title": model.title},
            then=lambda model: ("emulation:model", model.pk),
        )
        if done:
            return done
    return render(request, "emulation/model_form.html", {"movement": movement, "form": form})


def _may_evaluate(user, model: MovementModel) -> bool:
    try:
        services.require_accepting_level(user, model)
    except (PermissionDenied, DomainError):
        return False
    return True


def _model_page(request, model: MovementModel, **bound):
    user = request.user
    may_register = can(user, "emulation.register", model)
    may_evaluate = _may_evaluate(user, model)
    criteria = list(model.movement.criteria.all())
    mine = {
        s.criterion_id: plain_number(s.value)
        for s in Score.objects.filter(model=model, evaluator=user.pk)
    }
    adoptions = queries.spread(model)
    adopt_units = []
    if model.for_replication:
        taken = {a.unit_id for a in adoptions} | {model.unit_id}
        adopt_units = [u for u in _register_units(user) if u.pk not in taken]
    closed = model.state in (ModelState.COMPLETED, ModelState.ABANDONED)
    next_states = sorted(services.TRANSITIONS[ModelState(model.state)], key=list(ModelState).index)
    # Completion is offered only when the movement's rule allows it; otherwise the page says
    # what is still missing.
    completion_missing = ""
    if ModelState.COMPLETED in next_states:
        completion_missing = services.completion_missing(model)
        if completion_missing:
            next_states.remove(ModelState.COMPLETED)
    levels = list(model.movement.levels.all())
    today = timezone.localdate()
    context = {
        "model": model,
        "registration": model.registration,
        "goals": model.goal_rows.all(),
        "reports": model.progress_reports.prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
        ),
        "commendations": model.commendations.all(),
        "adoptions": adoptions,
        "labels": model.labels.all(),
        "criteria": criteria,
        "may_register": may_register,
        "may_evaluate": may_evaluate,
        "next_states": next_states if may_register else [],
        "completion_missing": completion_missing if may_register else "",
        "progress_form": bound.get("progress_form")
        or (ProgressForm(initial={"reported_on": today}) if may_register and not closed else None),
        "state_form": bound.get("state_form"),
        "evaluation_form": bound.get("evaluation_form")
        or (EvaluationForm(criteria=criteria, mine=mine) if may_evaluate and criteria else None),
        "recognize_form": bound.get("recognize_form")
        or (
            RecognizeForm(levels=levels, initial={"level_code": model.level.code})
            if may_evaluate
            else None
        ),
        "commend_form": bound.get("commend_form") or (CommendForm() if may_evaluate else None),
        "adopt_form": bound.get("adopt_form")
        or (AdoptForm(units=adopt_units, initial={"started_on": today}) if adopt_units else None),
    }
    return render(request, "emulation/model_detail.html", context)


@login_required
def model_detail(request, model_id: int):
    return _model_page(request, _model(request, model_id))


def _done(request, model: MovementModel, message: str):
    messages.success(request, message)
    return redirect("emulation:model", model_id=model.pk)


@login_required
@require_POST
def model_progress(request, model_id: int):
    model = _model(request, model_id)
    form = ProgressForm(request.POST, request.FILES)
    done = submit(
        request,
        form,
        lambda data: services.report_progress(
            actor=request.user,
            model=model,
            reported_on=data["reported_on"],
            percent=data["percent"],
            narrative=data["narrative"],
            files=data["files"],
        ),
        success=_("Progress reported."),
        then=lambda result: ("emulation:model", model.pk),
    )
    return done or _model_page(request, model, progress_form=form)


@login_required
@require_POST
def model_state(request, model_id: int):
    model = _model(request, model_id)
    form = StateForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: services.change_state(
            actor=request.user,
            model=model,
            state=data["state"],
            reason=data["reason"],
        ),
        success=_("State changed."),
        then=lambda result: ("emulation:model", model.pk),
    )
    return done or _model_page(request, model, state_form=form)


@login_required
@require_POST
def model_evaluate(request, model_id: int):
    model = _model(request, model_id)
    form = EvaluationForm(request.POST, criteria=model.movement.criteria.all())
    done = submit(
        request,
        form,
        lambda data: services.score_model(actor=request.user, model=model, scores=form.scores()),
        success=_("Scores saved."),
        then=lambda result: ("emulation:model", model.pk),
    )
    return done or _model_page(request, model, evaluation_form=form)


@login_required
@require_POST
def model_recognize(request, model_id: int):
    model = _model(request, model_id)
    form = RecognizeForm(request.POST, levels=model.movement.levels.all())
    done = submit(
        request,
        form,
        lambda data: services.recognize_model(
            actor=request.user,
            model=model,
            level_code=data["level_code"],
            on=data["on"],
        ),
        success=_("Model recognized."),
        then=lambda result: ("emulation:model", model.pk),
    )
    return done or _model_page(request, model, recognize_form=form)


@login_required
@require_POST
def model_commend(request, model_id: int):
    model = _model(request, model_id)
    form = CommendForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: services.commend_model(
            actor=request.user,
            model=model,
            form=data["form"],
            issuing_body=data["issuing_body"],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
        ),
        success=_("Commendation recorded."),
        then=lambda result: ("emulation:model", model.pk),
    )
    return done or _model_page(request, model, commend_form=form)


@login_required
@require_POST
def model_replicate(request, model_id: int):
    model = _model(request, model_id)
    replicate = request.POST.get("replicate") == "1"
    error = None
    try:
        model = services.mark_for_replication(actor=request.user, model=model, replicate=replicate)
    except DomainError as exc:
        error = str(exc.message)
    if _is_htmx(request):
        context = {"model": model, "may_evaluate": True, "replication_error": error}
        return render(request, "emulation/_replication.html", context)
    if error:
        messages.error(request, error)
        return redirect("emulation:model", model_id=model.pk)
    message = _("Marked for replication.") if replicate else _("No longer marked for replication.")
    return _done(request, model, message)


@login_required
@require_POST
def model_adopt(request, model_id: int):
    model = _model(request, model_id)
    units = _register_units(request.user)
    form = AdoptForm(request.POST, units=units)
    done = submit(
        request,
        form,
        lambda data: services.adopt_model(
            actor=request.user,
            model=model,
            unit=next(u for u in units if u.pk == data["unit"]),
            started_on=data["started_on"],
            notes=data["notes"],
        ),
        success=_("Adoption recorded."),
        then=lambda result: ("emulation:model", model.pk),
    )
    return done or _model_page(request, model, adopt_form=form)


@login_required
def evidence_download(request, evidence_id: int):
    """The file, as an attachment with its original name, only to those who may see the model."""
    evidence = Evidence.objects.select_related("report").filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    _model(request, evidence.report.model_id)
    try:
        return attachment(evidence)
    except FileNotFoundError as exc:
        raise Http404 from exc


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
    done = submit(
        request,
        form,
        lambda data: services.report_adoption(
            actor=request.user, adoption=adoption, percent=data["percent"], notes=data["notes"]
        ),
        success=_("Progress of %(unit)s reported.") % {"unit": adoption.unit.name},
        then=lambda result: reverse("emulation:model", args=[model.pk]) + "#spread",
    )
    if done and _is_htmx(request):
        # Reload the page the form sits on (a redirect to it plus "#spread" would only scroll).
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return done or _adoption_page(request, model, _reportable(request.user, model), bound=form)
