"""Pages: the dashboard (each app's panel loaded by its own htmx request) and period
reports (generate, follow progress, edit the narrative, issue, download). Thin: parse →
queries/services → template."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can
from danvan.core import tables, versions
from danvan.core.errors import DomainError, NotFound
from danvan.core.http import is_htmx, to_int
from danvan.core.versions import EditConflict
from danvan.org import queries as org_queries
from danvan.org.units import SESSION_KEY, current_unit

from . import documents, queries, services
from .forms import DetailsForm, GenerateForm, SectionForm
from .models import JobState
from .periods import current, parse, recent

log = logging.getLogger(__name__)
PAGE_SIZE = 25
FILE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": tables.XLSX_TYPE,
    "pdf": "application/pdf",
}


def _unit(request, *, remember: bool = True):
    """?unit=<id> (then remembered as the unit picker's choice), else the picker's unit.
    The dashboard's panels, loaded in parallel, only read it."""
    raw = request.GET.get("unit")
    unit_id = to_int(raw)
    if raw and not unit_id:
        raise Http404
    if unit_id:
        try:
            unit = org_queries.get_organization(request.user, unit_id, field="unit")
        except NotFound as exc:
            raise Http404 from exc
        if remember and request.session.get(SESSION_KEY) != unit.pk:
            request.session[SESSION_KEY] = unit.pk
        return unit
    return current_unit(request)


def _period(request):
    raw = request.GET.get("period")
    if not raw:
        return current(), None
    try:
        return parse(raw), None
    except DomainError as exc:
        return current(), exc.message


# Dashboard ---------------------------------------------------------------------------------


@login_required
def index(request):
    unit = _unit(request)
    period, error = _period(request)
    if error:
        messages.error(request, error)
    query = {"period": period.key, **({"unit": unit.pk} if unit else {})}
    context = {
        "unit": unit,
        "period": period,
        "window": queries.data_window(unit, period),
        "periods": recent(),
        "keys": queries.panel_keys(),
        "query": urlencode(query),
        "may_issue": unit is not None and can(request.user, services.ACTION, unit),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
def panel(request, key: str):
    unit = _unit(request, remember=False)
    period, _error = _period(request)
    failed = False
    try:
        found = queries.panel(request.user, unit=unit, period=period, key=key)
    except NotFound as exc:
        raise Http404 from exc
    except Exception:
        # One app's failure shows in its own panel; the rest of the dashboard stands.
        log.exception("dashboard panel %s failed", key)
        found, failed = None, True
    return render(
        request,
        "reports/_panel.html",
        {"panel": found, "key": key, "period": period, "unit": unit, "failed": failed},
    )


# Reports -----------------------------------------------------------------------------------


@login_required
def report_list(request):
    unit = _unit(request)
    qs = queries.reports(request.user, unit=unit)
    context = {
        "unit": unit,
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "form": GenerateForm(initial={"unit": unit.pk if unit else None}),
        "may_issue": unit is not None and can(request.user, services.ACTION, unit),
    }
    return render(request, "reports/report_list.html", context)


@login_required
def report_list_export(request):
    qs = queries.reports(request.user, unit=_unit(request))
    headers = [
        _("Unit"), _("Period"), pgettext("document", "Number and symbol"), _("Title"), _("Date"),
        _("State"),
    ]  # fmt: skip
    rows = (
        [r.unit.name, r.period.label, r.number, r.title, r.date, r.get_state_display()] for r in qs
    )
    return tables.download(
        request,
        lambda fmt: tables.export_table(headers=headers, rows=rows, fmt=fmt, filename="bao-cao"),
    )


@login_required
@require_POST
def report_generate(request):
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a unit and a period."))
        return redirect("reports:reports")
    try:
        unit = org_queries.get_organization(request.user, form.cleaned_data["unit"], field="unit")
        report = services.generate_report(
            actor=request.user, unit=unit, period=form.cleaned_data["period"]
        )
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reports:reports")
    messages.success(request, _("The report is being drafted from the data."))
    return redirect("reports:report", report.pk)


def _section_form(section) -> SectionForm:
    return SectionForm(
        initial={
            "text": "\n\n".join(section.paragraphs),
            "version": versions.version_of(section, services.SECTION_FIELDS),
        }
    )


def _report(request, report_id: int):
    try:
        return queries.get_report(request.user, report_id)
    except NotFound as exc:
        raise Http404 from exc


# A queued report older than this has not been taken up by a worker: the page says so.
WORKER_GRACE_SECONDS = 20


def _status_context(request, report) -> dict:
    waited = int((timezone.now() - report.created_at).total_seconds())
    return {
        "report": report,
        "may_retry": report.job_state == JobState.FAILED
        and can(request.user, services.ACTION, report),
        "waited": waited,
        "no_worker": report.job_state == JobState.QUEUED and waited > WORKER_GRACE_SECONDS,
    }


def _detail_context(request, report, **extra) -> dict:
    may_issue = can(request.user, services.ACTION, report)
    spec = documents.format_of(report)
    sections = list(report.sections.order_by("position"))
    for section in sections:
        section.form = _section_form(section)
    return {
        **_status_context(request, report),
        "sections": sections,
        "versions": report.versions.select_related("issued_by").order_by("-number"),
        "may_issue": may_issue,
        "details": DetailsForm(
            initial={
                **{f: getattr(report, f) for f in services.DETAIL_FIELDS},
                "version": versions.version_of(report, services.DETAIL_FIELDS),
            }
        ),
        "done": report.job_state == JobState.DONE,
        "number": documents.number_text(report, spec),
        "spec": spec,
        "place_date": documents.place_date(report, spec),
        **extra,
    }


@login_required
def report_detail(request, report_id: int):
    report = _report(request, report_id)
    return render(request, "reports/report_detail.html", _detail_context(request, report))


@login_required
def report_status(request, report_id: int):
    """The progress partial, polled by htmx until the figures are in; then the page reloads."""
    report = _report(request, report_id)
    response = render(request, "reports/_status.html", _status_context(request, report))
    if report.job_state == JobState.DONE and request.GET.get("was") != JobState.DONE:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def section_edit(request, report_id: int, section_id: int):
    report = _report(request, report_id)
    try:
        section = queries.get_section(request.user, report, section_id)
    except NotFound as exc:
        raise Http404 from exc
    form = SectionForm(request.POST)
    error = theirs = None
    if form.is_valid():
        try:
            section = services.update_section(
                actor=request.user,
                section=section,
                paragraphs=form.paragraphs(),
                expected_version=form.cleaned_data["version"] or None,
            )
            form = _section_form(section)
        except EditConflict as exc:
            # Their text is shown; mine stays in the box, and saving again is deliberate.
            error, theirs = exc.message, exc.current["paragraphs"]
            form = SectionForm({**request.POST.dict(), "version": exc.version})
            form.is_valid()
        except DomainError as exc:
            error = exc.message
    else:
        error = _("Too long.")
    section.form = form
    if is_htmx(request):
        report.refresh_from_db()
        return render(
            request,
            "reports/_section.html",
            {
                "report": report,
                "section": section,
                "may_issue": True,
                "error": error,
                "theirs": theirs,
                "saved": error is None,
            },
        )
    if error:
        messages.error(request, error)
    return redirect("reports:report", report.pk)


@login_required
@require_POST
def details_edit(request, report_id: int):
    report = _report(request, report_id)
    form = DetailsForm(request.POST)
    if form.is_valid():
        values = dict(form.cleaned_data)
        expected = values.pop("version") or None
        try:
            services.update_details(
                actor=request.user, report=report, expected_version=expected, **values
            )
            messages.success(request, _("Saved."))
            return redirect("reports:report", report.pk)
        except DomainError as exc:
            form.add_service_error(exc)
    if not can(request.user, services.ACTION, report):
        raise PermissionDenied
    context = _detail_context(request, report, details=form, open_details=True)
    return render(request, "reports/report_detail.html", context, status=400)


@login_required
@require_POST
def report_issue(request, report_id: int):
    report = _report(request, report_id)
    try:
        version = services.issue_report(actor=request.user, report=report)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Issued as version %(n)d.") % {"n": version.number})
    return redirect("reports:report", report.pk)


@login_required
@require_POST
def report_retry(request, report_id: int):
    report = _report(request, report_id)
    try:
        services.retry_report(actor=request.user, report=report)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The figures are being collected again."))
    return redirect("reports:report", report.pk)


@login_required
def version_download(request, report_id: int, number: int, fmt: str):
    report = _report(request, report_id)
    if fmt not in FILE_TYPES:
        raise Http404
    try:
        version = queries.get_version(request.user, report, number)
    except NotFound as exc:
        raise Http404 from exc
    stored = getattr(version, fmt)
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=stored.name.rsplit("/", 1)[-1],
        content_type=FILE_TYPES[fmt],
    )


@login_required
def draft_download(request, report_id: int, fmt: str):
    """The current text rendered now (not stored): for reading a draft before issue."""
    report = _report(request, report_id)
    if fmt not in FILE_TYPES or report.job_state != JobState.DONE:
        raise Http404
    data = documents.content(report)
    make = {"docx": documents.docx_bytes, "xlsx": documents.xlsx_bytes, "pdf": documents.pdf_bytes}
    return tables.attachment(make[fmt](data), FILE_TYPES[fmt], f"du-thao-{report.pk}.{fmt}")
