"""Reception sessions: the list, a new session, compliance per head, and their downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core import tables
from danvan.core.errors import DomainError
from danvan.core.http import is_htmx as _is_htmx
from danvan.org.units import current_unit

from .. import queries, services
from ..forms.meetings import ReceptionForm
from ..models import (
    HeadRole,
    ReceptionRule,
)
from .periods import (
    PAGE_SIZE,
    PICKS,
    _base,
    _chosen,
    _in_period,
    _intake_units,
    _period_qs,
    may_record,
    period_params,
)


def filtered_sessions(request) -> tuple:
    """The reception list's filters (also its export's)."""
    unit = current_unit(request)
    head = request.GET.get("head") if request.GET.get("head") in HeadRole.values else ""
    period = period_params(request, default=None)
    qs = queries.reception_sessions(request.user, unit=unit)
    if head:
        qs = qs.filter(head_role=head)
    qs = _in_period(qs, period).order_by("-held_on", "-pk")
    return qs, {"head": head, "period": period}


@login_required
def reception_list(request):
    qs, shown = filtered_sessions(request)
    if shown["period"]["invalid"]:
        messages.error(request, shown["period"]["invalid"])
    totals = qs.aggregate(
        sessions=Count("id"),
        in_person=Count("id", filter=Q(head_present=True)),
        citizens=Sum("citizens_received", default=0),
    )
    context = _base(
        request,
        page=Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        totals=totals,
        heads=HeadRole.choices,
        picks=PICKS,
        may_record=may_record(request.user),
        keep={"head": shown["head"]} if shown["head"] else {},
        **shown,
    )
    template = "voices/_reception_rows.html" if _is_htmx(request) else "voices/reception_list.html"
    return render(request, template, context)


@login_required
def reception_new(request):
    units = _intake_units(request)
    if not units:
        raise PermissionDenied
    unit = current_unit(request)
    initial = {
        "held_on": timezone.localdate(),
        "unit": unit.pk if unit in units else units[0].pk,
        "head_present": True,
    }
    form = ReceptionForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.record_reception(
                actor=request.user,
                unit=_chosen(units, data["unit"]),
                head_role=data["head_role"],
                head_name=data["head_name"],
                held_on=data["held_on"],
                head_present=data["head_present"],
                delegate=data["delegate"],
                citizens_received=data["citizens_received"],
                notes=data["notes"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("Reception session of %(day)s recorded.")
                % {"day": session.held_on.strftime("%d/%m/%Y")},
            )
            return redirect("voices:reception")
    return render(request, "voices/reception_form.html", _base(request, form=form))


def _compliance(request):
    period = period_params(request)
    rows = queries.reception_compliance(
        request.user, unit=current_unit(request), start=period["start"], end=period["end"]
    )
    return rows, period


@login_required
def reception_compliance(request):
    rows, period = _compliance(request)
    if period["invalid"]:
        messages.error(request, period["invalid"])
    context = _base(
        request,
        rows=rows,
        period=period,
        period_qs=_period_qs(period),
        picks=PICKS,
        missed=sum(1 for r in rows if not r["met"]),
        rules=ReceptionRule.objects.order_by("head_role", "-effective_from"),
    )
    return render(request, "voices/reception_compliance.html", context)


RECEPTION_HEADERS = [
    gettext_lazy("Date"),
    gettext_lazy("Unit"),
    gettext_lazy("Head"),
    gettext_lazy("Head's name"),
    gettext_lazy("Head present"),
    gettext_lazy("Delegated to"),
    gettext_lazy("Citizens received"),
    gettext_lazy("Notes"),
]


@login_required
def reception_export(request):
    qs, _shown = filtered_sessions(request)
    rows = (
        [
            s.held_on,
            s.unit.name,
            s.get_head_role_display(),
            s.head_name,
            s.head_present,
            s.delegate,
            s.citizens_received,
            s.notes,
        ]
        for s in qs.iterator(chunk_size=1000)
    )
    return tables.download(
        request,
        lambda fmt: tables.export_table(
            headers=RECEPTION_HEADERS, rows=rows, fmt=fmt, filename=_("reception-sessions")
        ),
    )


COMPLIANCE_HEADERS = [
    gettext_lazy("Unit"),
    gettext_lazy("Head"),
    gettext_lazy("Head's name"),
    gettext_lazy("Days required"),
    gettext_lazy("Days held"),
    gettext_lazy("In person"),
    gettext_lazy("Met"),
    gettext_lazy("Legal basis"),
]


def _compliance_rows(rows: list[dict]) -> list[list]:
    return [
        [
            r["unit"],
            str(r["head_role"]),
            r["head_name"],
            r["required"],
            r["held"],
            r["in_person"],
            r["met"],
            r["citation"],
        ]
        for r in rows
    ]


@login_required
def compliance_export(request):
    rows, _period = _compliance(request)
    return tables.download(
        request,
        lambda fmt: tables.export_table(
            headers=COMPLIANCE_HEADERS,
            rows=_compliance_rows(rows),
            fmt=fmt,
            filename=_("reception-compliance"),
        ),
    )
