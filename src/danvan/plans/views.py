"""Pages of the plans app. Thin: parse, call a query or a service, render.

Reads go through `queries` (scoped); writes through `services`, which check permission and
audit. `can()` here only decides whether to show a form or a button. A request from htmx
gets the partial template (`_name.html`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can, visible
from danvan.core import versions
from danvan.core.collation import Vietnamese
from danvan.core.dates import parse_day
from danvan.core.errors import DomainError, NotFound
from danvan.core.forms import submit as _submit
from danvan.core.http import is_htmx
from danvan.core.http import to_int as _int
from danvan.core.tree import under
from danvan.core.uploads import attachment
from danvan.org.models import Organization
from danvan.org.units import requested_unit

from . import queries, services
from .forms import (
    ActivityForm,
    AddressForm,
    CancelForm,
    CascadeForm,
    CompletionForm,
    ConferenceForm,
    CoordinationForm,
    DocumentForm,
    EvaluationForm,
    KeyTaskForm,
    ProgrammeForm,
    ProgressForm,
    TaskEditForm,
    TaskForm,
)
from .models import (
    ConferenceKind,
    DocumentKind,
    ProgrammeKind,
    ProgressReport,
    TaskState,
)

PAGE_SIZE = 50
MAX_CHOICES = 500


def _get(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except NotFound as exc:
        raise Http404 from exc


unit_param = requested_unit


def units_for(user, action: str, *, under_unit: Organization | None = None) -> QuerySet:
    """Active units the user may do `action` on (a form's choices; services re-check)."""
    qs = visible(user, Organization.objects.filter(is_active=True), action=action)
    if under_unit is not None:
        qs = qs.filter(under(under_unit.path))
    return qs.order_by("path")


def _limited(qs: QuerySet) -> QuerySet:
    return qs.model.objects.filter(pk__in=list(qs.values_list("pk", flat=True)[:MAX_CHOICES]))


def reach_of(user, issuer: Organization) -> QuerySet:
    """Units in reach of `issuer` that the user sees (choices for addressees and cascades)."""
    qs = visible(user, Organization.objects.filter(is_active=True).select_related("area"))
    qs = qs.filter(Q(under(issuer.path)) | Q(under(issuer.area.path, "area__path")))
    return qs.exclude(pk=issuer.pk).order_by("path")


def _paged(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _date_param(request, name: str) -> dt.date | None:
    raw = (request.GET.get(name) or "").strip()
    return parse_day(raw) if raw else None


def _pick(data: dict, *names: str) -> dict:
    return {name: data[name] for name in names}


def _form_page(request, section: str, form, title, submit, **extra):
    return render(
        request,
        "plans/form.html",
        {**_subnav(request, section), "form": form, "title": title, "submit": submit, **extra},
    )


def _list_page(request, section: str, template: str, qs, f: dict, **extra):
    """A list with the year filter (this year and the five before) and the new-item button."""
    this_year = timezone.localdate().year
    context = {
        **_subnav(request, section),
        "page": _paged(request, qs),
        "f": f,
        "years": list(range(this_year + 1, this_year - 6, -1)),
        "may_manage": units_for(request.user, "plans.manage").exists(),
        **extra,
    }
    return render(request, template, context)


def _kind_list(request, section: str, template: str, kinds, query):
    """A list filtered by unit, year and a kind among `kinds` (an unknown kind: all)."""
    year = _int(request.GET.get("year"))
    kind = request.GET.get("kind") if request.GET.get("kind") in kinds.values else ""
    qs = query(request.user, unit=unit_param(request), kind=kind or None, year=year)
    f = {"year": year, "kind": kind}
    return _list_page(request, section, template, qs, f, kinds=kinds.choices)


def _subnav(request, section: str) -> dict:
    today = timezone.localdate()
    return {
        "section": section,
        "unit": unit_param(request),
        "today": today,
        "risk_until": services.rules.at_risk_window(today)[1],
    }


# Overview -------------------------------------------------------------------------------------


@login_required
def index(request):
    user = request.user
    unit = unit_param(request)
    today = timezone.localdate()
    year_start, year_end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    figures = queries.task_figures(
        queries.tasks(user, unit=unit, start=year_start, end=year_end), today
    )
    overdue = queries.tasks(user, unit=unit, status="overdue").order_by("deadline", "pk")
    at_risk = queries.tasks(user, unit=unit, status="at_risk")
    outstanding = queries.outstanding_actions(user, unit=unit, due_by=today)
    context = {
        **_subnav(request, "index"),
        "year": today.year,
        "f": figures,
        "overdue": overdue[:20],
        "overdue_count": overdue.count(),
        "at_risk": at_risk[:20],
        "at_risk_count": at_risk.count(),
        "late_actions": outstanding.count(),
        "late_documents": queries.documents(user).filter(pk__in=outstanding.values("document_id"))[
            :10
        ],
        "rows": queries.by_unit(user, unit=unit, start=year_start, end=year_end, day=today),
        "window": services.rules.AT_RISK_WINDOW_DAYS,
        "may_manage": units_for(user, "plans.manage").exists(),
    }
    return render(request, "plans/index.html", context)


# Tasks ----------------------------------------------------------------------------------------


def filtered_tasks(request) -> tuple[QuerySet, dict]:
    """The task list's filters (also the export's)."""
    get = request.GET
    unit = unit_param(request)
    programme = None
    if _int(get.get("programme")):
        programme = queries.programmes(request.user).filter(pk=_int(get.get("programme"))).first()
    filters = {
        "q": (get.get("q") or "").strip()[:100],
        "state": get.get("state") if get.get("state") in TaskState.values else "",
        "status": get.get("status") if get.get("status") in queries.STATUSES else "",
        "start": _date_param(request, "start"),
        "end": _date_param(request, "end"),
        "top": get.get("top") == "1",
        "level": get.get("level") == "1",
    }
    qs = queries.tasks(
        request.user,
        unit=unit,
        programme=programme,
        state=filters["state"] or None,
        status=filters["status"] or None,
        start=filters["start"],
        end=filters["end"],
        q=filters["q"] or None,
        top_level=filters["top"],
        same_level=filters["level"],
    )
    filters.update(unit=unit, programme=programme)
    return qs, filters


@login_required
def task_list(request):
    qs, filters = filtered_tasks(request)
    context = {
        **_subnav(request, "tasks"),
        "page": _paged(request, qs),
        "f": filters,
        "states": TaskState.choices,
        "statuses": [
            ("overdue", _("Overdue")),
            ("at_risk", _("At risk")),
            ("open", _("Open")),
            ("done", _("Done")),
            ("cancelled", _("Cancelled")),
        ],
        "today": timezone.localdate(),
        "may_manage": units_for(request.user, "plans.manage").exists(),
    }
    template = "plans/_task_rows.html" if is_htmx(request) else "plans/task_list.html"
    return render(request, template, context)


@login_required
def task_create(request):
    user = request.user
    units = _limited(units_for(user, "plans.manage"))
    programmes = queries.programmes(user).filter(organization__in=units)
    initial = {}
    if _int(request.GET.get("programme")):
        programme = programmes.filter(pk=_int(request.GET.get("programme"))).first()
        if programme is not None:
            initial = {"programme": programme, "owner": programme.organization}
    form = TaskForm(request.POST or None, units=units, programmes=programmes, initial=initial)
    fields = ("owner", "title", "deadline", "programme", "description", "start_on", "target",
              "target_unit", "rollup")  # fmt: skip
    return _submit(
        request,
        form,
        lambda data: services.create_task(actor=user, **_pick(data, *fields)),
        success=_("Task created."),
        then=lambda task: ("plans:task", task.pk),
    ) or _form_page(request, "tasks", form, _("New task"), _("Create the task"))


def _task_page(request, task, **forms):
    user = request.user
    manage = can(user, "plans.manage", task)
    report = manage or can(user, "plans.report", task)
    # Only the units' tasks this user may see; whether the task is a leaf does not depend on it.
    leaf = not task.children.exists()
    children = [] if leaf else list(queries.tasks(user, parent=task).order_by("owner__path", "pk"))
    today = timezone.localdate()
    context = {
        **_subnav(request, "tasks"),
        "task": task,
        "children": children,
        "reports": task.reports.order_by("-reported_on", "-pk")[:50],
        "assignees": task.assignees.order_by(Vietnamese("last_name"), Vietnamese("first_name")),
        "overdue": task.is_open and task.deadline < today,
        "at_risk": queries.tasks(user, status="at_risk").filter(pk=task.pk).exists(),
        "manage": manage,
        "progress_form": forms.get("progress_form")
        or (ProgressForm(initial={"reported_on": today}) if report and leaf and task.is_open
            else None),
        "cascade_form": forms.get("cascade_form")
        or (CascadeForm(units=_limited(reach_of(user, task.owner)))
            if manage and task.is_open and not task.reports.exists() else None),
        "cancel_form": forms.get("cancel_form") or (CancelForm() if manage and task.is_open
                                                    else None),
        "can_complete": report and leaf and task.is_open,
        "key_task": getattr(task, "key_task", None),
    }  # fmt: skip
    return render(request, "plans/task_detail.html", context)


def _task(request, task_id):
    return _get(queries.get_task, request.user, task_id)


@login_required
def task_detail(request, task_id: int):
    return _task_page(request, _task(request, task_id))


@login_required
def task_edit(request, task_id: int):
    task = _task(request, task_id)
    if not can(request.user, "plans.manage", task):
        raise PermissionDenied
    initial = {
        name: getattr(task, name)
        for name in ("title", "description", "start_on", "deadline", "target", "target_unit")
    }
    version = versions.version_of(task, services.TASK_EDITABLE)
    form = TaskEditForm(
        request.POST or None, initial={**initial, "rollup": task.rollup, "version": version}
    )

    def save(data):
        expected = data.pop("version") or None
        changes = {k: v for k, v in data.items() if v != initial.get(k, task.rollup)}
        services.update_task(actor=request.user, task=task, expected_version=expected, **changes)

    return _submit(
        request, form, save, success=_("Task saved."), then=lambda _r: ("plans:task", task.pk)
    ) or _form_page(request, "tasks", form, task.title, _("Save"))


@login_required
@require_POST
def document_address(request, document_id: int):
    document = _get(queries.get_document, request.user, document_id)
    form = AddressForm(request.POST, units=_limited(reach_of(request.user, document.issuer)))
    if form.is_valid():
        try:
            added = services.address_document(
                actor=request.user, document=document, units=list(form.cleaned_data["units"])
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Addressed to %(n)d more units.") % {"n": added})
    else:
        messages.error(request, _("Choose at least one unit."))
    return redirect("plans:document", document_id=document.pk)


@login_required
@require_POST
def task_progress(request, task_id: int):
    task = _task(request, task_id)
    form = ProgressForm(request.POST, request.FILES)
    fields = ("reported_on", "narrative", "percent", "value", "done", "file")
    return _submit(
        request,
        form,
        lambda data: services.report_progress(
            actor=request.user, task=task, **_pick(data, *fields)
        ),
        success=_("Progress reported."),
        then=lambda _r: ("plans:task", task.pk),
    ) or _task_page(request, task, progress_form=form)


def _weights(text: str, units: list) -> dict:
    parts = [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]
    if not parts:
        return {}
    if len(parts) != len(units):
        raise services.PlansError(
            _("Give one weight per unit (%(n)d), or none.") % {"n": len(units)}, field="weights"
        )
    try:
        return {u.pk: Decimal(p) for u, p in zip(units, parts, strict=True)}
    except InvalidOperation as exc:
        raise services.PlansError(_("Enter a number."), field="weights") from exc


@login_required
@require_POST
def task_cascade(request, task_id: int):
    task = _task(request, task_id)
    form = CascadeForm(request.POST, units=_limited(reach_of(request.user, task.owner)))

    def cascade(data):
        units = sorted(data["units"], key=lambda u: u.path)
        weights = _weights(data["weights"], units)
        return services.cascade_task(actor=request.user, task=task, units=units, weights=weights)

    return _submit(
        request,
        form,
        cascade,
        success=lambda children: _("Cascaded to %(n)d units.") % {"n": len(children)},
        then=lambda _r: ("plans:task", task.pk),
    ) or _task_page(request, task, cascade_form=form)


@login_required
@require_POST
def task_complete(request, task_id: int):
    task = _task(request, task_id)
    try:
        services.complete_task(actor=request.user, task=task)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The task is done."))
    return redirect("plans:task", task_id=task.pk)


@login_required
@require_POST
def task_cancel(request, task_id: int):
    task = _task(request, task_id)
    form = CancelForm(request.POST)
    return _submit(
        request,
        form,
        lambda data: services.cancel_task(actor=request.user, task=task, reason=data["reason"]),
        success=_("The task was cancelled."),
        then=lambda _r: ("plans:task", task.pk),
    ) or _task_page(request, task, cancel_form=form)


# Documents ------------------------------------------------------------------------------------


def filtered_documents(request) -> tuple[QuerySet, dict]:
    get = request.GET
    unit = unit_param(request)
    filters = {
        "q": (get.get("q") or "").strip()[:100],
        "kind": get.get("kind") if get.get("kind") in DocumentKind.values else "",
        "year": _int(get.get("year")),
        "unit": unit,
    }
    qs = queries.documents(
        request.user,
        unit=unit,
        kind=filters["kind"] or None,
        year=filters["year"],
        q=filters["q"] or None,
    )
    return qs, filters


@login_required
def document_list(request):
    qs, filters = filtered_documents(request)
    template = "plans/_document_rows.html" if is_htmx(request) else "plans/document_list.html"
    return _list_page(request, "documents", template, qs, filters, kinds=DocumentKind.choices)


@login_required
def document_create(request):
    user = request.user
    issuers = _limited(units_for(user, "plans.manage"))
    issuer = None
    issuer_id = _int(request.POST.get("issuer") or request.GET.get("issuer"))
    if issuer_id:
        issuer = issuers.filter(pk=issuer_id).select_related("area").first()
    issuer = issuer or issuers.select_related("area").first()
    units = _limited(reach_of(user, issuer)) if issuer else Organization.objects.none()
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        issuers=issuers,
        units=units,
        initial={"issuer": issuer, "issued_on": timezone.localdate()},
    )
    # The addressees depend on the issuer: choosing another reloads the form (app.js).
    form.fields["issuer"].widget.attrs["data-reload-param"] = "issuer"
    fields = ("issuer", "kind", "number", "issued_on", "title", "summary", "file")
    return _submit(
        request,
        form,
        lambda data: services.create_document(
            actor=user,
            recipients=list(data["recipients"]),
            actions=form.actions(),
            **_pick(data, *fields),
        ),
        success=_("Document recorded."),
        then=lambda document: ("plans:document", document.pk),
    ) or _form_page(
        request, "documents", form, _("New document"), _("Record the document"),
        multipart=True,
    )  # fmt: skip


def _document_page(request, document, completion_form=None):
    user = request.user
    only_missing = request.GET.get("missing") == "1"
    unit = unit_param(request)
    issuer_side = visible(user, Organization.objects.filter(pk=document.issuer_id)).exists()
    table = queries.matrix(document, unit=None if issuer_side else unit)
    if not issuer_side and not user.is_superuser:
        seen = set(
            visible(
                user, Organization.objects.filter(pk__in=[u.pk for u in table["units"]])
            ).values_list("pk", flat=True)
        )
        table["rows"] = [r for r in table["rows"] if r.unit.pk in seen]
        for i, s in enumerate(table["summary"]):
            s["not_done"] = [r.unit for r in table["rows"] if r.cells[i] is None]
            s["done"] = sum(1 for r in table["rows"] if r.cells[i] is not None)
    rows = table["rows"]
    if only_missing:
        rows = [r for r in rows if any(c is None for c in r.cells)]
    reporters = [
        u for u in table["units"] if can(user, "plans.report", u) or can(user, "plans.manage", u)
    ]
    if completion_form is None and reporters and table["actions"]:
        completion_form = CompletionForm(
            actions=document.actions.all(),
            units=Organization.objects.filter(pk__in=[u.pk for u in reporters]).order_by("path"),
            initial={"done_on": timezone.localdate()},
        )
    context = {
        **_subnav(request, "documents"),
        "document": document,
        "actions": table["actions"],
        "rows": rows,
        "summary": table["summary"],
        "addressed": len(table["rows"]),
        "only_missing": only_missing,
        "completion_form": completion_form,
        "address_form": AddressForm(
            units=_limited(reach_of(user, document.issuer)).exclude(
                pk__in=document.recipient_rows.values("unit_id")
            )
        )
        if can(user, "plans.manage", document.issuer)
        else None,
        "today": timezone.localdate(),
    }
    template = "plans/_matrix.html" if is_htmx(request) else "plans/document_detail.html"
    return render(request, template, context)


@login_required
def document_detail(request, document_id: int):
    document = _get(queries.get_document, request.user, document_id)
    return _document_page(request, document)


@login_required
@require_POST
def action_complete(request, action_id: int):
    action = _get(queries.get_action, request.user, action_id)
    document = _get(queries.get_document, request.user, action.document_id)
    units = Organization.objects.filter(pk__in=document.recipient_rows.values("unit_id")).order_by(
        "path"
    )
    form = CompletionForm(request.POST, request.FILES, actions=document.actions.all(), units=units)
    fields = ("action", "unit", "done_on", "reference", "file")
    return _submit(
        request,
        form,
        lambda data: services.record_completion(actor=request.user, **_pick(data, *fields)),
        success=_("Recorded."),
        then=lambda _r: ("plans:document", document.pk),
    ) or _document_page(request, document, completion_form=form)


# Work programmes ------------------------------------------------------------------------------


@login_required
def programme_list(request):
    return _kind_list(
        request, "programmes", "plans/programme_list.html", ProgrammeKind, queries.programmes
    )


@login_required
def programme_create(request):
    user = request.user
    units = _limited(units_for(user, "plans.manage"))
    year = timezone.localdate().year
    form = ProgrammeForm(
        request.POST or None,
        units=units,
        initial={"kind": "annual", "start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31)},
    )
    fields = ("organization", "kind", "title", "period", "start", "end", "description")
    return _submit(
        request,
        form,
        lambda data: services.create_programme(actor=user, **_pick(data, *fields)),
        success=_("Work programme created."),
        then=lambda programme: ("plans:programme", programme.pk),
    ) or _form_page(request, "programmes", form, _("New work programme"), _("Create the programme"))


@login_required
def programme_detail(request, programme_id: int):
    programme = _get(queries.get_programme, request.user, programme_id)
    tasks = queries.tasks(request.user, programme=programme)
    context = {
        **_subnav(request, "programmes"),
        "programme": programme,
        "tasks": tasks,
        "f": queries.task_figures(
            queries.tasks(request.user, programme=programme)
            | queries.tasks(request.user).filter(parent__programme=programme)
        ),
        "manage": can(request.user, "plans.manage", programme),
        "today": timezone.localdate(),
    }
    return render(request, "plans/programme_detail.html", context)


# Conferences ----------------------------------------------------------------------------------


@login_required
def conference_list(request):
    return _kind_list(
        request, "conferences", "plans/conference_list.html", ConferenceKind, queries.conferences
    )


@login_required
def conference_create(request):
    user = request.user
    organizers = _limited(units_for(user, "plans.manage"))
    participants = _limited(visible(user, Organization.objects.filter(is_active=True)))
    form = ConferenceForm(
        request.POST or None,
        request.FILES or None,
        organizers=organizers,
        units=participants.order_by("path"),
        initial={"held_on": timezone.localdate()},
    )
    fields = ("organizer", "kind", "title", "held_on", "period", "participant_count",
              "report_ref", "conclusions", "file")  # fmt: skip
    return _submit(
        request,
        form,
        lambda data: services.create_conference(
            actor=user,
            participant_units=list(data["participant_units"]),
            key_tasks=data["key_tasks"].splitlines(),
            **_pick(data, *fields),
        ),
        success=_("Conference recorded."),
        then=lambda conference: ("plans:conference", conference.pk),
    ) or _form_page(
        request, "conferences", form, _("New review conference"), _("Record the conference"),
        multipart=True,
    )  # fmt: skip


def _conference_page(request, conference, forms=None):
    manage = can(request.user, "plans.manage", conference)
    key_tasks = list(conference.key_tasks.select_related("task").order_by("pk"))
    default = conference.held_on + dt.timedelta(days=90)
    for key_task in key_tasks:
        key_task.form = (forms or {}).get(key_task.pk) or (
            KeyTaskForm(prefix=f"k{key_task.pk}", initial={"deadline": default})
            if manage and not key_task.task_id
            else None
        )
    context = {
        **_subnav(request, "conferences"),
        "conference": conference,
        "participants": conference.participant_units.order_by("path"),
        "key_tasks": key_tasks,
        "manage": manage,
    }
    return render(request, "plans/conference_detail.html", context)


@login_required
def conference_detail(request, conference_id: int):
    return _conference_page(request, _get(queries.get_conference, request.user, conference_id))


@login_required
@require_POST
def key_task_to_task(request, key_task_id: int):
    key_task = _get(queries.get_key_task, request.user, key_task_id)
    form = KeyTaskForm(request.POST, prefix=f"k{key_task.pk}")
    return _submit(
        request,
        form,
        lambda data: services.key_task_to_task(
            actor=request.user, key_task=key_task, deadline=data["deadline"]
        ),
        success=_("The key task is now a task."),
        then=lambda task: ("plans:task", task.pk),
    ) or _conference_page(request, key_task.conference, forms={key_task.pk: form})


# Coordination programmes ---------------------------------------------------------------------


@login_required
def coordination_list(request):
    year = _int(request.GET.get("year"))
    qs = queries.coordinations(request.user, unit=unit_param(request), year=year)
    return _list_page(request, "coordination", "plans/coordination_list.html", qs, {"year": year})


@login_required
def coordination_create(request):
    user = request.user
    leads = _limited(units_for(user, "plans.manage"))
    parties = _limited(visible(user, Organization.objects.filter(is_active=True)))
    year = timezone.localdate().year
    form = CoordinationForm(
        request.POST or None,
        leads=leads,
        units=parties.order_by("path"),
        initial={"start": dt.date(year, 1, 1), "end": dt.date(year + 4, 12, 31)},
    )
    fields = ("lead", "title", "start", "end", "signed_on", "content")
    return _submit(
        request,
        form,
        lambda data: services.create_coordination(
            actor=user, parties=list(data["parties"]), **_pick(data, *fields)
        ),
        success=_("Coordination programme created."),
        then=lambda programme: ("plans:coordination", programme.pk),
    ) or _form_page(
        request, "coordination", form, _("New coordination programme"),
        _("Create the programme"),
    )  # fmt: skip


def _coordination_page(request, programme, evaluation_form=None, activity_form=None):
    user = request.user
    manage = can(user, "plans.manage", programme.lead)
    parties = programme.parties.order_by("path")
    own = [p for p in parties if can(user, "plans.manage", p)]
    context = {
        **_subnav(request, "coordination"),
        "programme": programme,
        "parties": parties,
        "activities": queries.tasks(user).filter(coordination=programme),
        "evaluations": programme.evaluations.select_related("party").order_by(
            "-year", "party__path"
        ),
        "manage": manage,
        "evaluation_form": evaluation_form
        or (EvaluationForm(parties=parties, initial={"year": timezone.localdate().year})
            if manage else None),
        "activity_form": activity_form
        or (ActivityForm(parties=parties.filter(pk__in=[p.pk for p in own])) if own else None),
        "today": timezone.localdate(),
    }  # fmt: skip
    return render(request, "plans/coordination_detail.html", context)


@login_required
def coordination_detail(request, programme_id: int):
    programme = _get(queries.get_coordination, request.user, programme_id)
    if request.method == "POST":
        form = ActivityForm(request.POST, parties=programme.parties.all())
        return _submit(
            request,
            form,
            lambda data: services.add_activity(
                actor=request.user, programme=programme, **_pick(data, "owner", "title", "deadline")
            ),
            success=_("Activity added."),
            then=lambda _r: ("plans:coordination", programme.pk),
        ) or _coordination_page(request, programme, activity_form=form)
    return _coordination_page(request, programme)


@login_required
@require_POST
def coordination_evaluate(request, programme_id: int):
    programme = _get(queries.get_coordination, request.user, programme_id)
    form = EvaluationForm(request.POST, parties=programme.parties.all())
    fields = ("party", "year", "grade", "score", "comment")
    return _submit(
        request,
        form,
        lambda data: services.evaluate_party(
            actor=request.user, programme=programme, **_pick(data, *fields)
        ),
        success=_("Evaluation saved."),
        then=lambda _r: ("plans:coordination", programme.pk),
    ) or _coordination_page(request, programme, evaluation_form=form)


# Files ----------------------------------------------------------------------------------------


@login_required
def file_download(request, kind: str, pk: int):
    """A document's, completion's, progress report's or conference's file, for those who
    may see the record it belongs to."""
    user = request.user
    if kind == "document":
        row = _get(queries.get_document, user, pk)
    elif kind == "completion":
        row = _get(queries.get_completion, user, pk)
    elif kind == "report":
        row = ProgressReport.objects.filter(pk=pk).first()
        if row is None:
            raise Http404
        _get(queries.get_task, user, row.task_id)
    elif kind == "conference":
        row = _get(queries.get_conference, user, pk)
    else:
        raise Http404
    if not row.file:
        raise Http404
    try:
        return attachment(row)
    except FileNotFoundError as exc:
        raise Http404 from exc
