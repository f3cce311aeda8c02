"""Pages of the movement and its contests. Thin: parse, call a query or a service, render.

Reads go through `queries` (scoped); writes through `services` / `contests`, which check
permission and audit. `can()` here only decides whether to show a form or a button.
A request from htmx gets the partial template (`_name.html`).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can, get_visible, visible
from danvan.core.collation import Vietnamese, sort_key
from danvan.core.dates import parse_day
from danvan.core.errors import DomainError, NotFound
from danvan.core.http import is_htmx as _is_htmx
from danvan.core.http import to_int as _int
from danvan.core.uploads import attachment
from danvan.org.models import Organization
from danvan.org.units import current_unit, requested_unit

from . import queries, services
from .forms import (
    AdoptForm,
    CloseWindowForm,
    CommendForm,
    EntryForm,
    EvaluationForm,
    ProgressForm,
    RecognizeForm,
    RegisterModelForm,
    StateForm,
    TeamScoreForm,
    WindowForm,
    plain_number,
)
from .models import (
    Contest,
    ContestKind,
    Evidence,
    GroupBy,
    Judge,
    ModelState,
    Movement,
    MovementModel,
    RegistrantKind,
    RegistrationWindow,
    Round,
    RoundScore,
    RoundTeam,
    Score,
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


# Home panel (called by the web app's home view) -----------------------------------------


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
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.open_registration(
                actor=request.user,
                movement=movement,
                year=data["year"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                level_code=data["level"] or None,
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Registration window opened."))
            return redirect("emulation:movement", movement_id=movement.pk)
    return _movement_page(request, movement, window_form=form)


@login_required
@require_POST
def window_close(request, window_id: int):
    window = RegistrationWindow.objects.filter(pk=window_id).first()
    if window is None:
        raise Http404
    movement = _movement(request, window.movement_id)
    form = CloseWindowForm(request.POST, prefix=f"w{window.pk}")
    if form.is_valid():
        try:
            services.close_registration(
                actor=request.user, window=window, last_day=form.cleaned_data["last_day"]
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Registration window closed."))
            return redirect("emulation:movement", movement_id=movement.pk)
    return _movement_page(request, movement, close_forms={window.pk: form})


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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next(u for u in units if u.pk == data["unit"])
        try:
            model = services.register_model(
                actor=request.user,
                movement=movement,
                year=data["year"],
                level_code=data["level_code"],
                unit=chosen,
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
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Model “%(title)s” registered.") % {"title": model.title})
            return redirect("emulation:model", model_id=model.pk)
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
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.report_progress(
                actor=request.user,
                model=model,
                reported_on=data["reported_on"],
                percent=data["percent"],
                narrative=data["narrative"],
                files=data["files"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            return _done(request, model, _("Progress reported."))
    return _model_page(request, model, progress_form=form)


@login_required
@require_POST
def model_state(request, model_id: int):
    model = _model(request, model_id)
    form = StateForm(request.POST)
    if form.is_valid():
        try:
            services.change_state(
                actor=request.user,
                model=model,
                state=form.cleaned_data["state"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            return _done(request, model, _("State changed."))
    return _model_page(request, model, state_form=form)


@login_required
@require_POST
def model_evaluate(request, model_id: int):
    model = _model(request, model_id)
    form = EvaluationForm(request.POST, criteria=model.movement.criteria.all())
    if form.is_valid():
        try:
            services.score_model(actor=request.user, model=model, scores=form.scores())
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            return _done(request, model, _("Scores saved."))
    return _model_page(request, model, evaluation_form=form)


@login_required
@require_POST
def model_recognize(request, model_id: int):
    model = _model(request, model_id)
    form = RecognizeForm(request.POST, levels=model.movement.levels.all())
    if form.is_valid():
        try:
            services.recognize_model(
                actor=request.user,
                model=model,
                level_code=form.cleaned_data["level_code"],
                on=form.cleaned_data["on"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            return _done(request, model, _("Model recognized."))
    return _model_page(request, model, recognize_form=form)


@login_required
@require_POST
def model_commend(request, model_id: int):
    model = _model(request, model_id)
    form = CommendForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.commend_model(
                actor=request.user,
                model=model,
                form=data["form"],
                issuing_body=data["issuing_body"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            return _done(request, model, _("Commendation recorded."))
    return _model_page(request, model, commend_form=form)


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
    if form.is_valid():
        unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
        try:
            services.adopt_model(
                actor=request.user,
                model=model,
                unit=unit,
                started_on=form.cleaned_data["started_on"],
                notes=form.cleaned_data["notes"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            return _done(request, model, _("Adoption recorded."))
    return _model_page(request, model, adopt_form=form)


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


# Contests -------------------------------------------------------------------------------


@login_required
def contest_list(request):
    qs = visible(request.user, Contest.objects.select_related("organizer", "movement"))
    return render(
        request,
        "emulation/contest_list.html",
        {"contests": qs.order_by("-year", Vietnamese("name"))},
    )


def _contest_page(request, contest: Contest, *, score_forms=None, entry_form=None):
    user = request.user
    manager = can(user, "emulation.manage", contest)
    criteria = list(contest.criteria.all())
    judged = set(
        Judge.objects.filter(round__contest=contest, user=user.pk).values_list(
            "round_id", flat=True
        )
    )
    mine: dict[int, dict[int, object]] = {}
    for pid, cid, value in RoundScore.objects.filter(
        participant__round__in=judged, judge__user=user.pk
    ).values_list("participant_id", "criterion_id", "value"):
        mine.setdefault(pid, {})[cid] = plain_number(value)
    score_forms = score_forms or {}
    page_errors = []
    rounds = list(contest.rounds.all())
    for rnd in rounds:
        rnd.ranking = _grouped(rnd, list(services.ranking(rnd)))
        rnd.grouped = rnd.group_by != GroupBy.NONE
        rnd.is_judge = rnd.pk in judged and not rnd.closed
        for p in rnd.ranking:
            p.score_form = score_forms.get(p.pk) or (
                TeamScoreForm(criteria=criteria, mine=mine.get(p.pk), prefix=f"p{p.pk}")
                if rnd.is_judge
                else None
            )
            if p.pk in score_forms and not rnd.is_judge:
                page_errors.extend(score_forms[p.pk].non_field_errors())
                p.score_form = None
    context = {
        "contest": contest,
        "manager": manager,
        "criteria": criteria,
        "rounds": rounds,
        "prizes": contest.prizes.select_related("team", "entry"),
        "page_errors": page_errors,
    }
    if contest.kind == ContestKind.ENTRIES:
        units = _register_units(user, under=contest.organizer)
        context.update(
            entries=contest_entries(user, contest),
            entry_form=entry_form or (EntryForm(units=units) if units else None),
            coverage=services.coverage(contest),
        )
    return render(request, "emulation/contest_detail.html", context)


def contest_entries(user, contest: Contest) -> QuerySet:
    """The entries of a contest that the user may see, as listed (also their export's)."""
    return visible(user, contest.entries.select_related("unit")).order_by(
        "-submitted_on", Vietnamese("title")
    )


def _grouped(rnd: Round, participants: list[RoundTeam]) -> list[RoundTeam]:
    """Order a round's teams by group (the area or the parent unit they compete in), then
    rank, and label each group's first row."""
    if rnd.group_by == GroupBy.NONE:
        return participants
    if rnd.group_by == GroupBy.AREA:
        names = {p.pk: p.team.unit.area.name for p in participants}
    else:
        parent_paths = {p.team.unit.path[: -Organization.steplen] for p in participants}
        parents = dict(
            Organization.objects.filter(path__in=parent_paths).values_list("path", "name")
        )
        names = {
            p.pk: parents.get(p.team.unit.path[: -Organization.steplen], "") for p in participants
        }
    participants.sort(key=lambda p: (names[p.pk], p.rank or 10**6, sort_key(p.team.name)))
    previous = None
    for p in participants:
        p.group, p.group_start = names[p.pk], names[p.pk] != previous
        previous = names[p.pk]
    return participants


@login_required
def contest_detail(request, contest_id: int):
    return _contest_page(request, _contest(request, contest_id))


@login_required
def contest_coverage(request, contest_id: int):
    contest = _contest(request, contest_id)
    return render(
        request,
        "emulation/_coverage.html",
        {"contest": contest, "coverage": services.coverage(contest)},
    )


@login_required
@require_POST
def round_close(request, round_id: int):
    rnd = Round.objects.filter(pk=round_id).first()
    if rnd is None:
        raise Http404
    contest = _contest(request, rnd.contest_id)
    try:
        services.close_round(actor=request.user, round=rnd)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Round closed; the ranking is final."))
    return redirect("emulation:contest", contest_id=contest.pk)


@login_required
@require_POST
def team_score(request, participant_id: int):
    participant = (
        RoundTeam.objects.select_related("round", "team").filter(pk=participant_id).first()
    )
    if participant is None:
        raise Http404
    contest = _contest(request, participant.round.contest_id)
    form = TeamScoreForm(request.POST, criteria=contest.criteria.all(), prefix=f"p{participant.pk}")
    if form.is_valid():
        try:
            services.score_team(actor=request.user, participant=participant, scores=form.scores())
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, _("Scores for %(team)s saved.") % {"team": participant.team.name}
            )
            return redirect("emulation:contest", contest_id=contest.pk)
    return _contest_page(request, contest, score_forms={participant.pk: form})


@login_required
@require_POST
def entry_submit(request, contest_id: int):
    contest = _contest(request, contest_id)
    units = _register_units(request.user, under=contest.organizer)
    form = EntryForm(request.POST, units=units)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_entry(
                actor=request.user,
                contest=contest,
                unit=next(u for u in units if u.pk == data["unit"]),
                title=data["title"],
                author=data["author"],
                outlet=data["outlet"],
                link=data["link"],
                submitted_on=data["submitted_on"] or None,
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Entry submitted."))
            return redirect("emulation:contest", contest_id=contest.pk)
    return _contest_page(request, contest, entry_form=form)
