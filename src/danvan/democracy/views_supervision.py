"""Officers' pages of supervision: bodies and boards, activities, recommendations and their
responses, and satisfaction ratings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import can
from danvan.core.collation import Vietnamese
from danvan.core.errors import DomainError
from danvan.core.http import is_htmx
from danvan.core.tables import download, export_table

from . import queries, services
from .forms import (
    ActivityForm,
    BodyForm,
    MemberForm,
    RecommendationForm,
    ResponseForm,
    SatisfactionForm,
)
from .models import BodyKind
from .views import _404, _page, _safe_date, _unit, _units


@login_required
def body_list(request):
    unit = _unit(request)
    kind = request.GET.get("kind") or ""
    qs = queries.bodies(request.user, unit=unit, kind=kind or None).order_by(
        "kind", Vietnamese("name"), "pk"
    )
    return render(
        request, "democracy/body_list.html",
        {"page": _page(request, qs), "unit": unit, "kind": kind, "kinds": BodyKind.choices,
         "may_supervise": bool(_units(request.user, "democracy.supervise")),
         "nav": "supervision"},
    )  # fmt: skip


@login_required
def body_create(request):
    units = _units(request.user, "democracy.supervise")
    if not units:
        raise PermissionDenied
    form = BodyForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            body = services.create_body(
                actor=request.user, unit=next(u for u in units if u.pk == d["unit"]),
                kind=d["kind"], name=d["name"], term_start=d["term_start"],
                term_end=d["term_end"], projects=d["projects"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The supervising body is recorded."))
            return redirect("democracy:body", body.pk)
    return render(
        request, "democracy/form.html",
        {"form": form, "title": _("New supervising body"),
         "back": reverse("democracy:bodies"), "nav": "supervision"},
    )  # fmt: skip


@login_required
def body_detail(request, body_id: int):
    body = _404(queries.get_body, request.user, body_id)
    may = can(request.user, "democracy.supervise", body)
    member_form = MemberForm(prefix="m")
    activity_form = ActivityForm(prefix="a")
    if request.method == "POST":
        if not may:
            raise PermissionDenied
        try:
            if "m-name" in request.POST:
                member_form = MemberForm(request.POST, prefix="m")
                if member_form.is_valid():
                    services.add_member(actor=request.user, body=body, **member_form.cleaned_data)
                    messages.success(request, _("The member is added."))
                    return redirect("democracy:body", body.pk)
            else:
                activity_form = ActivityForm(request.POST, prefix="a")
                if activity_form.is_valid():
                    activity = services.record_activity(
                        actor=request.user, body=body, **activity_form.cleaned_data
                    )
                    messages.success(request, _("The activity is recorded."))
                    return redirect("democracy:activity", activity.pk)
        except DomainError as exc:
            (member_form if "m-name" in request.POST else activity_form).add_service_error(exc)
    return render(
        request, "democracy/body_detail.html",
        # Members' names are for the officers who run supervision, as the model says.
        {"body": body, "may": may, "members": body.members.all() if may else None,
         "member_count": body.members.count(),
         "activities": body.activities.all(), "member_form": member_form,
         "activity_form": activity_form, "nav": "supervision"},
    )  # fmt: skip


@login_required
def activity_detail(request, activity_id: int):
    activity = _404(queries.get_activity, request.user, activity_id)
    may = can(request.user, "democracy.supervise", activity)
    addressees = list(queries.addressees(activity)[:300])
    form = RecommendationForm(request.POST or None, addressees=addressees)
    if request.method == "POST":
        if not may:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.add_recommendation(
                    actor=request.user, activity=activity,
                    addressee=next(a for a in addressees if a.pk == d["addressee"]),
                    content=d["content"], made_on=d["made_on"], due_on=d["due_on"],
                )  # fmt: skip
            except DomainError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("The recommendation is recorded."))
                return redirect("democracy:activity", activity.pk)
    return render(
        request, "democracy/activity_detail.html",
        {"activity": activity, "may": may, "form": form,
         "recs": activity.recommendations.select_related("addressee"),
         "today": timezone.localdate(), "nav": "supervision"},
    )  # fmt: skip


def _rec_qs(request):
    unit = _unit(request)
    status = request.GET.get("status") or ""
    kind = request.GET.get("kind") or ""
    qs = queries.recommendations(
        request.user, unit=unit, status=status or None, kind=kind or None,
        start=_safe_date(request.GET.get("start")), end=_safe_date(request.GET.get("end")),
    )  # fmt: skip
    return qs.order_by("due_on", "pk"), status, kind, unit


@login_required
def recommendation_list(request):
    qs, status, kind, unit = _rec_qs(request)
    context = {
        "page": _page(request, qs), "status": status, "kind": kind, "unit": unit,
        "today": timezone.localdate(), "nav": "recommendations",
    }  # fmt: skip
    if is_htmx(request):
        return render(request, "democracy/_recommendation_rows.html", context)
    return render(request, "democracy/recommendation_list.html", context)


@login_required
def recommendation_export(request):
    qs, _s, _k, _u = _rec_qs(request)
    today = timezone.localdate()
    rows = (
        [
            r.activity.body.name, r.activity.get_kind_display(), r.activity.subject, r.content,
            r.addressee.name, r.made_on, r.due_on, r.answered_on, r.status_label(today),
        ]
        for r in qs.iterator(chunk_size=500)
    )  # fmt: skip
    headers = [
        _("Supervising body"), _("Kind"), _("Subject"), _("Recommendation"),
        _("Body concerned"), _("Made on"), _("Answer by"), _("Answered on"), _("Status"),
    ]  # fmt: skip
    return download(
        request,
        lambda fmt: export_table(headers=headers, rows=rows, fmt=fmt, filename="kien-nghi"),
    )


@login_required
def recommendation_detail(request, recommendation_id: int):
    rec = _404(queries.get_recommendation, request.user, recommendation_id)
    may_respond = can(request.user, "democracy.respond", rec.addressee)
    form = ResponseForm(request.POST or None)
    if request.method == "POST":
        if not may_respond:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.respond_to_recommendation(
                    actor=request.user, recommendation=rec, **form.cleaned_data
                )
            except DomainError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("The response is recorded."))
                return redirect("democracy:recommendation", rec.pk)
    return render(
        request, "democracy/recommendation_detail.html",
        {"rec": rec, "form": form, "may_respond": may_respond,
         "today": timezone.localdate(), "nav": "recommendations"},
    )  # fmt: skip


@login_required
def satisfaction_list(request):
    unit = _unit(request)
    units = _units(request.user, "democracy.supervise")
    form = SatisfactionForm(request.POST or None, units=units) if units else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            d = dict(form.cleaned_data)
            try:
                services.record_satisfaction(
                    actor=request.user, unit=next(u for u in units if u.pk == d["unit"]),
                    service=d["service"], period_start=d["period_start"],
                    period_end=d["period_end"],
                    counts={k: d[k] for k in services.SATISFACTION_LEVELS},
                )  # fmt: skip
            except DomainError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("The ratings are recorded."))
                return redirect("democracy:satisfaction")
    qs = queries.satisfaction(request.user, unit=unit)
    return render(
        request, "democracy/satisfaction_list.html",
        {"page": _page(request, qs), "form": form, "unit": unit, "nav": "satisfaction"},
    )  # fmt: skip


@login_required
def satisfaction_export(request):
    qs = queries.satisfaction(request.user, unit=_unit(request))
    rows = (
        [s.unit.name, s.service, s.period_start, s.period_end, s.very_satisfied, s.satisfied,
         s.neutral, s.dissatisfied, s.total, s.satisfied_percent]
        for s in qs.iterator(chunk_size=500)
    )  # fmt: skip
    headers = [
        _("Unit rated"), _("Service"), _("From"), _("To"), _("Very satisfied"), _("Satisfied"),
        _("Neutral"), _("Dissatisfied"), _("Ratings"), _("Satisfied (%)"),
    ]  # fmt: skip
    return download(
        request,
        lambda fmt: export_table(headers=headers, rows=rows, fmt=fmt, filename="hai-long"),
    )
