"""Officers' pages: the dashboard, disclosures, households and consultations. Thin: parse,
call a query or a service, render. A request from htmx gets the partial (`_name.html`)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can, visible
from danvan.core import charts
from danvan.core.dates import parse_day
from danvan.core.errors import DomainError, NotFound
from danvan.core.http import is_htmx
from danvan.core.tables import download, export_table
from danvan.core.uploads import attachment
from danvan.org.models import Organization
from danvan.org.units import requested_unit

from . import queries, services
from .forms import (
    CloseForm,
    CommentForm,
    CommentResponseForm,
    ConsultationCreateForm,
    DisclosureCreateForm,
    HouseholdForm,
    ImportForm,
    PublishForm,
    RecognizeForm,
    VoteForm,
)
from .models import (
    ConsultationState,
    DisclosureCategory,
    DisclosureStatus,
    Household,
    MatterMode,
    MatterType,
)

PAGE_SIZE = 50
MAX_CHOICES = 300


_unit = requested_unit


def _period(request) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start = parse_day(request.GET.get("start") or "") if request.GET.get("start") else None
    end = parse_day(request.GET.get("end") or "") if request.GET.get("end") else None
    return start or dt.date(today.year, 1, 1), end or dt.date(today.year, 12, 31)


def _units(user, action: str) -> list[Organization]:
    qs = visible(user, Organization.objects.filter(is_active=True), action=action)
    return list(qs.order_by("path")[:MAX_CHOICES])


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _404(fn, *args):
    try:
        return fn(*args)
    except NotFound as exc:
        raise Http404 from exc


def _safe_date(value):
    try:
        return parse_day(value or "")
    except ValueError:
        return None


# Dashboard ------------------------------------------------------------------------------------


@login_required
def index(request):
    unit = _unit(request)
    start, end = _period(request)
    if end < start:
        start, end = end, start
    d = queries.dashboard(request.user, unit=unit, start=start, end=end)
    dis, rec = d["disclosures"], d["recommendations"]
    chart = charts.chart_data(
        "bar",
        [_("Disclosures"), _("Recommendations")],
        [
            (_("On time / answered"), [dis["on_time"], rec["answered"]], "ok"),
            (_("Late / awaiting"), [dis["late"], rec["open"]], "warn"),
            (_("Missing / overdue"), [dis["missing"], rec["overdue"]], "bad"),
        ],
        stacked=True,
    )
    return render(
        request,
        "democracy/dashboard.html",
        {"d": d, "chart": chart, "unit": unit, "start": start, "end": end, "nav": "dashboard",
         "qs": f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}" + (f"&unit={unit.pk}" if unit else "")},
    )  # fmt: skip


@login_required
def dashboard_export(request):
    unit = _unit(request)
    start, end = _period(request)
    d = queries.dashboard(request.user, unit=unit, start=start, end=end)
    rows = [
        [_("Disclosures"), _("Total"), d["disclosures"]["total"]],
        [_("Disclosures"), _("On time"), d["disclosures"]["on_time"]],
        [_("Disclosures"), _("Late"), d["disclosures"]["late"]],
        [_("Disclosures"), _("Missing"), d["disclosures"]["missing"]],
        [_("Consultations"), _("Matters to decide"), d["consultations"]["decisions"]],
        [_("Consultations"), _("Held"), d["consultations"]["held"]],
        [_("Consultations"), _("Valid"), d["consultations"]["valid"]],
        [_("Consultations"), _("Recognized"), d["consultations"]["recognized"]],
        [_("Consultations"), _("Matters for comment"), d["consultations"]["for_comment"]],
        [_("Recommendations"), _("Total"), d["recommendations"]["total"]],
        [_("Recommendations"), _("Answered"), d["recommendations"]["answered"]],
        [_("Recommendations"), _("Overdue"), d["recommendations"]["overdue"]],
    ]
    return download(
        request,
        lambda fmt: export_table(
            headers=[_("Section"), _("Figure"), _("Value")],
            rows=rows,
            fmt=fmt,
            filename=f"dan-chu-{start:%Y%m%d}-{end:%Y%m%d}",
        ),
    )


@login_required
def rules_page(request):
    return render(request, "democracy/rules.html", {"t": queries.rule_tables(), "nav": "rules"})


# Disclosures ---------------------------------------------------------------------------------


def _disclosure_filters(request):
    return {
        "status": request.GET.get("status") or "",
        "category": request.GET.get("category") or "",
        "q": (request.GET.get("q") or "")[:100],
        "start": _safe_date(request.GET.get("start")),
        "end": _safe_date(request.GET.get("end")),
    }


def _disclosure_qs(request):
    f = _disclosure_filters(request)
    unit = _unit(request)
    qs = queries.disclosures(
        request.user, unit=unit, status=f["status"], category=f["category"], q=f["q"],
        start=f["start"], end=f["end"],
    )  # fmt: skip
    return qs, f, unit


@login_required
def disclosure_list(request):
    qs, f, unit = _disclosure_qs(request)
    context = {
        "page": _page(request, qs),
        "f": f,
        "unit": unit,
        "statuses": DisclosureStatus.choices,
        "categories": DisclosureCategory.objects.all(),
        "may_manage": bool(_units(request.user, "democracy.manage")),
        "nav": "disclosures",
    }
    if is_htmx(request):
        return render(request, "democracy/_disclosure_rows.html", context)
    return render(request, "democracy/disclosure_list.html", context)


@login_required
def disclosure_export(request):
    qs = _disclosure_qs(request)[0]
    today = timezone.localdate()
    rows = (
        [
            d.unit.name, str(d.category), d.title, d.decision_number, d.decision_date,
            d.due_on, d.published_on, ", ".join(d.form_labels()), d.posted_until,
            d.min_posting_days, d.status_label(today), d.rule.citation if d.rule else "",
        ]
        for d in qs.iterator(chunk_size=500)
    )  # fmt: skip
    headers = [
        _("Unit"), _("Category"), _("Title"), _("Decision number"), _("Decision date"),
        _("Publicize by"), _("Publicized on"), _("Forms"), _("Posted until"),
        _("Minimum posting period (days)"), _("Status"), _("Legal basis"),
    ]  # fmt: skip
    return download(
        request,
        lambda fmt: export_table(headers=headers, rows=rows, fmt=fmt, filename="cong-khai"),
    )


@login_required
def disclosure_create(request):
    units = _units(request.user, "democracy.manage")
    if not units:
        raise PermissionDenied
    kwargs = {"units": units, "categories": DisclosureCategory.objects.all()}
    form = DisclosureCreateForm(request.POST or None, request.FILES or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if u.pk == data["unit"])
        try:
            disclosure = services.create_disclosure(
                actor=request.user, unit=unit, category_code=data["category_code"],
                title=data["title"], content=data["content"],
                decision_number=data["decision_number"], decision_date=data["decision_date"],
                published_on=data["published_on"], forms=data["forms"],
                posted_until=data["posted_until"], files=data["files"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The item is recorded."))
            return redirect("democracy:disclosure", disclosure.pk)
    return render(
        request, "democracy/form.html",
        {"form": form, "title": _("Record an item to publicize"), "multipart": True,
         "back": reverse("democracy:disclosures"), "nav": "disclosures"},
    )  # fmt: skip


@login_required
def disclosure_detail(request, disclosure_id: int):
    disclosure = _404(queries.get_disclosure, request.user, disclosure_id)
    may_manage = can(request.user, "democracy.manage", disclosure)
    form = None
    if may_manage:
        form = PublishForm(
            request.POST or None, request.FILES or None,
            initial={"published_on": disclosure.published_on, "forms": disclosure.forms,
                     "posted_until": disclosure.posted_until},
        )  # fmt: skip
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.publish_disclosure(
                    actor=request.user, disclosure=disclosure, published_on=data["published_on"],
                    forms=data["forms"], posted_until=data["posted_until"], files=data["files"],
                )  # fmt: skip
            except DomainError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("The publication is recorded."))
                return redirect("democracy:disclosure", disclosure.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request, "democracy/disclosure_detail.html",
        {"d": disclosure, "form": form, "nav": "disclosures"},
    )  # fmt: skip


@login_required
def disclosure_document(request, document_id: int):
    document = _404(queries.get_document, request.user, document_id)
    try:
        return attachment(document)
    except FileNotFoundError as exc:
        raise Http404 from exc


# Households ---------------------------------------------------------------------------------


@login_required
def community_list(request):
    unit = _unit(request)
    rows = list(queries.communities(request.user, unit=unit)[:500])
    counts = dict(
        Household.objects.filter(community__in=[c.pk for c in rows], is_active=True)
        .values_list("community")
        .annotate(n=Count("id"))
        .values_list("community", "n")
    )
    for c in rows:
        c.n_households = counts.get(c.pk, 0)
    return render(
        request, "democracy/community_list.html",
        {"rows": rows, "unit": unit, "nav": "households"},
    )  # fmt: skip


@login_required
def household_list(request, community_id: int):
    community = _404(queries.get_community, request.user, community_id)
    may_manage = can(request.user, "democracy.manage", community)
    form = HouseholdForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.register_household(
                    actor=request.user, community=community, code=form.cleaned_data["code"],
                    representative=form.cleaned_data["representative"],
                )  # fmt: skip
            except DomainError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("The household is registered."))
                return redirect("democracy:households", community.pk)
    qs = queries.households(request.user, community)
    return render(
        request, "democracy/household_list.html",
        {"community": community, "page": _page(request, qs), "form": form,
         "may_manage": may_manage, "nav": "households"},
    )  # fmt: skip


@login_required
def household_export(request, community_id: int):
    community = _404(queries.get_community, request.user, community_id)
    qs = queries.households(request.user, community)
    # Codes only: a representative's name never leaves the officers' pages.
    rows = ([h.code, h.is_active] for h in qs.iterator(chunk_size=1000))
    return download(
        request,
        lambda fmt: export_table(
            headers=[_("Household code"), _("Active")],
            rows=rows,
            fmt=fmt,
            filename=f"ho-{community.code}",
        ),
    )


@login_required
def household_import(request, community_id: int):
    """Upload → preview of every row → confirm. The checked sheet travels back with the
    confirmation (base64 in the form) and is checked again by the service."""
    community = _404(queries.get_community, request.user, community_id)
    if not can(request.user, "democracy.manage", community):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = error = sheet = None
    file_name = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                file_name, content = upload.name, upload.read()
            else:
                file_name = (request.POST.get("file_name") or "")[:255]
                content = base64.b64decode(request.POST.get("sheet") or "", validate=True)
            if request.POST.get("confirm"):
                result = services.import_households(
                    actor=request.user, community=community, file_name=file_name,
                    content=content,
                )  # fmt: skip
                if result.created:
                    messages.success(
                        request, _("%(n)d households registered.") % {"n": result.created}
                    )
                    return redirect("democracy:households", community.pk)
            else:
                result = services.read_households(community, file_name, content)
                if result.ok:
                    sheet = base64.b64encode(content).decode()
        except (DomainError, binascii.Error, ValueError) as exc:
            error = str(getattr(exc, "message", "")) or _("Upload an .xlsx or a .csv file.")
    return render(
        request, "democracy/household_import.html",
        {"community": community, "form": form, "result": result, "error": error,
         "sheet": sheet, "file_name": file_name, "nav": "households"},
    )  # fmt: skip


# Consultations ---------------------------------------------------------------------------------


def _consultation_qs(request):
    unit = _unit(request)
    f = {
        "state": request.GET.get("state") or "",
        "mode": request.GET.get("mode") or "",
        "start": _safe_date(request.GET.get("start")),
        "end": _safe_date(request.GET.get("end")),
    }
    qs = queries.consultations(
        request.user, unit=unit, state=f["state"], mode=f["mode"], start=f["start"],
        end=f["end"],
    )  # fmt: skip
    return qs, f, unit


@login_required
def consultation_list(request):
    qs, f, unit = _consultation_qs(request)
    context = {
        "page": _page(request, qs),
        "f": f,
        "unit": unit,
        "states": ConsultationState.choices,
        "modes": MatterMode.choices,
        "may_manage": bool(_units(request.user, "democracy.manage")),
        "nav": "consultations",
    }
    if is_htmx(request):
        return render(request, "democracy/_consultation_rows.html", context)
    return render(request, "democracy/consultation_list.html", context)


@login_required
def consultation_export(request):
    qs = _consultation_qs(request)[0]
    rows = (
        [
            c.unit.name, c.community.name, str(c.matter_type), c.title, c.get_form_display(),
            c.opens_on, c.closes_on, c.get_state_display(), c.households_total, c.yes, c.no,
            c.abstain, c.threshold_label, c.is_valid, c.recognition_number, c.recognized_on,
        ]
        for c in qs.iterator(chunk_size=500)
    )  # fmt: skip
    headers = [
        _("Organizing unit"), _("Residential community"), _("Matter"), _("Title"), _("Form"),
        _("Opens on"), _("Closes on"), _("State"), _("Households registered"), _("Agree"),
        _("Disagree"), _("Abstain"), _("Threshold"), _("Valid"), _("Recognition decision"),
        _("Recognized on"),
    ]  # fmt: skip
    return download(
        request,
        lambda fmt: export_table(headers=headers, rows=rows, fmt=fmt, filename="lay-y-kien"),
    )


@login_required
def consultation_create(request):
    units = _units(request.user, "democracy.manage")
    communities = list(queries.communities(request.user, action="democracy.manage")[:MAX_CHOICES])
    if not units:
        raise PermissionDenied
    form = ConsultationCreateForm(
        request.POST or None, units=units, communities=communities,
        matter_types=MatterType.objects.all(),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.open_consultation(
                actor=request.user, unit=next(u for u in units if u.pk == data["unit"]),
                community=next(c for c in communities if c.pk == data["community"]),
                matter_type_code=data["matter_type_code"], title=data["title"],
                description=data["description"], form=data["form"], opens_on=data["opens_on"],
                closes_on=data["closes_on"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The matter is put to the community."))
            return redirect("democracy:consultation", consultation.pk)
    return render(
        request, "democracy/form.html",
        {"form": form, "title": _("Put a matter to residents"),
         "back": reverse("democracy:consultations"), "nav": "consultations"},
    )  # fmt: skip


def _consultation_context(request, consultation, **forms):
    may_manage = can(request.user, "democracy.manage", consultation)
    recognizers = _units(request.user, "democracy.manage") if may_manage else []
    context = {
        "c": consultation,
        "may_manage": may_manage,
        "required_yes": services.required_yes(consultation),
        "provisional": services.evaluate(consultation),
        "groups": queries.comment_groups(consultation),
        "vote_form": VoteForm(),
        "close_form": CloseForm(),
        "recognize_form": RecognizeForm(units=recognizers),
        "comment_form": CommentForm(),
        "response_form": CommentResponseForm(initial={"response": consultation.response}),
        "nav": "consultations",
    }
    context.update(forms)
    return context


@login_required
def consultation_detail(request, consultation_id: int):
    consultation = _404(queries.get_consultation, request.user, consultation_id)
    return render(
        request, "democracy/consultation_detail.html", _consultation_context(request, consultation)
    )


def _act(request, consultation_id, form_class, key, call, success, form_kwargs=None):
    """POST of one step of a consultation: the service, then the page (or its tally)."""
    consultation = _404(queries.get_consultation, request.user, consultation_id)
    if not can(request.user, "democracy.manage", consultation):
        raise PermissionDenied
    form = form_class(request.POST, **(form_kwargs or {}))
    if form.is_valid():
        try:
            call(consultation, form.cleaned_data)
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            if is_htmx(request) and key == "vote_form":
                consultation = queries.get_consultation(request.user, consultation_id)
                context = _consultation_context(request, consultation)
                context["voted"] = form.cleaned_data["household_code"].upper()
                return render(request, "democracy/_tally.html", context)
            messages.success(request, success)
            return redirect("democracy:consultation", consultation_id)
    context = _consultation_context(request, consultation, **{key: form})
    if is_htmx(request) and key == "vote_form":
        return render(request, "democracy/_tally.html", context)
    return render(request, "democracy/consultation_detail.html", context, status=400)


@login_required
@require_POST
def consultation_vote(request, consultation_id: int):
    return _act(
        request, consultation_id, VoteForm, "vote_form",
        lambda c, d: services.record_vote(
            actor=request.user, consultation=c, household_code=d["household_code"],
            choice=d["choice"], cast_on=d["cast_on"],
        ),
        _("The vote is recorded."),
    )  # fmt: skip


@login_required
@require_POST
def consultation_close(request, consultation_id: int):
    return _act(
        request, consultation_id, CloseForm, "close_form",
        lambda c, d: services.close_consultation(
            actor=request.user, consultation=c, closed_on=d["closed_on"]
        ),
        _("The consultation is closed."),
    )  # fmt: skip


@login_required
@require_POST
def consultation_recognize(request, consultation_id: int):
    units = _units(request.user, "democracy.manage")
    return _act(
        request, consultation_id, RecognizeForm, "recognize_form",
        lambda c, d: services.recognize_consultation(
            actor=request.user, consultation=c,
            recognized_by=next(u for u in units if u.pk == d["recognized_by"]),
            number=d["number"], recognized_on=d["recognized_on"],
        ),
        _("The recognition decision is recorded."),
        {"units": units},
    )  # fmt: skip


@login_required
@require_POST
def consultation_comment(request, consultation_id: int):
    return _act(
        request, consultation_id, CommentForm, "comment_form",
        lambda c, d: services.add_comment(
            actor=request.user, consultation=c, topic=d["topic"], content=d["content"],
            received_on=d["received_on"],
        ),
        _("The comment is recorded."),
    )  # fmt: skip


@login_required
@require_POST
def consultation_response(request, consultation_id: int):
    return _act(
        request, consultation_id, CommentResponseForm, "response_form",
        lambda c, d: services.respond_to_comments(
            actor=request.user, consultation=c, response=d["response"],
            responded_on=d["responded_on"],
        ),
        _("The response is recorded."),
    )  # fmt: skip
