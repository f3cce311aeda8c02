"""Pages of welfare campaigns (with the Farmers' Support Fund's loans) and of land handover
for projects, their exports, and the beneficiary import (check, preview, then all or
nothing).

Names of beneficiaries are shown on the campaign page only to holders of
`situation.view_beneficiaries` on the handling unit (each showing is audited); exports and
roll-ups never carry them. The import keeps the checked rows in the session between the
preview and the confirmation, with any name encrypted.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can, visible
from danvan.core import charts, crypto, imports
from danvan.core.errors import DomainError, NotFound
from danvan.core.http import to_int
from danvan.core.tables import MAX_IMPORT_BYTES, attachment, download, export_table
from danvan.core.tree import under
from danvan.org.models import Area, Organization

from .. import io, queries, services
from ..models import (
    BeneficiaryCategory,
    CampaignType,
    FundingKind,
    HandoverState,
    IssueType,
    Progress,
)
from .situation import get_unit

IMPORT_SESSION_KEY = "situation_import"


def _get(fn, request, pk):
    try:
        return fn(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc


def _campaign(request, campaign_id):
    return _get(queries.get_campaign, request, campaign_id)


def _project(request, project_id):
    return _get(queries.get_project, request, project_id)


def _unit_filter(request) -> Organization | None:
    """?unit= narrows a campaign's or project's figures; without it, the whole of it."""
    return get_unit(request) if request.GET.get("unit") else None


def _in_area_q(root: Organization):
    return under(root.path) | under(root.area.path, "area__path")


def _org_in(request, org_id, root: Organization):
    org = (
        visible(request.user, Organization.objects.select_related("area"))
        .filter(_in_area_q(root), pk=to_int(org_id) or 0)
        .first()
    )
    if org is None:
        raise DomainError(_("Choose a unit."), field="unit")
    return org


def _recording_units(user, root: Organization):
    """Units in `root`'s area (or under it) where the user may record households."""
    qs = Organization.objects.select_related("area").filter(_in_area_q(root))
    manage = visible(user, qs, action="situation.manage")
    report = visible(user, qs, action="situation.report")
    return (manage | report).distinct().order_by("path")[:300]


def _fail(request, exc: DomainError):
    messages.error(request, str(exc.message))


@contextmanager
def _reported(request, success: str):
    """Run a write: its DomainError becomes an error message, else `success` is shown."""
    try:
        yield
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, success)


def _create_under_unit(request, create, *, template: str, success: str, then, **context):
    """The new-campaign and new-project form: the unit is one the user manages;
    `create(org, data)` calls the service; then a redirect to `then(obj)`."""
    units = list(_manageable(request.user))
    if not units:
        raise PermissionDenied
    error, data = None, request.POST
    if request.method == "POST":
        try:
            org = next((u for u in units if u.pk == to_int(data.get("organization"))), None)
            if org is None:
                raise DomainError(_("Choose a unit."), field="organization")
            obj = create(org, data)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, success)
            return redirect(*then(obj))
    return render(request, template, {"units": units, "error": error, "data": data, **context})


# Campaigns ----------------------------------------------------------------------------------


@login_required
def campaigns(request):
    unit = get_unit(request)
    overview = queries.campaigns_overview(request.user, unit=unit)
    return render(
        request,
        "situation/campaign_list.html",
        {"unit": unit, "overview": overview, "may_manage": queries.may_manage(request.user, unit)},
    )


@login_required
def campaigns_export(request):
    overview = queries.campaigns_overview(request.user, unit=get_unit(request))
    return download(request, lambda fmt: io.export_campaigns(overview, fmt))


def _manageable(user):
    return visible(
        user, Organization.objects.select_related("type"), action="situation.manage"
    ).order_by("path")[:300]


@login_required
def campaign_new(request):
    return _create_under_unit(
        request,
        lambda org, data: services.create_campaign(
            actor=request.user,
            organization=org,
            type_code=data.get("type", ""),
            name=data.get("name", ""),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on") or None,
            target_households=data.get("target_households") or 0,
            target_money=data.get("target_money") or 0,
            target_items=data.get("target_items") or 0,
            items_label=data.get("items_label", ""),
            description=data.get("description", ""),
        ),
        template="situation/campaign_form.html",
        success=_("The campaign was created."),
        then=lambda campaign: ("situation:campaign", campaign.pk),
        types=CampaignType.objects.all(),
    )


def _chart(rollup: dict) -> dict:
    """Data for the two charts: households by area (stacked) and funds by source."""
    areas = rollup["by_area"]
    return {
        "areas": charts.chart_data(
            "bar",
            [r["area__name"] for r in areas],
            [
                (_("Handed over"), [r["handed_over"] for r in areas], "ok"),
                (_("Built"), [r["built"] - r["handed_over"] for r in areas], "info"),
                (_("Registered"), [r["registered"] - r["built"] for r in areas], "neutral"),
            ],
            stacked=True,
        ),
        "funds": charts.chart_data(
            "doughnut",
            [str(f["label"]) for f in rollup["funds"]],
            [(_("Amount"), [float(f["amount"]) for f in rollup["funds"]])],
        ),
        "progress": {
            "done": rollup["totals"]["handed_over"],
            "target": rollup["target_households"] or rollup["totals"]["registered"],
        },
    }


@login_required
def campaign_detail(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    unit = _unit_filter(request)
    rollup = queries.campaign_rollup(request.user, campaign=campaign, unit=unit)
    qs = queries.beneficiaries(request.user, campaign=campaign, unit=unit)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    names = queries.beneficiary_names(request.user, list(page))
    for b in page:
        b.name = names.get(b.pk, "")
    recording = list(_recording_units(request.user, campaign.organization))
    loans = (
        list(queries.loans(request.user, campaign=campaign, unit=unit)[:100])
        if campaign.type.is_loan_fund
        else []
    )
    return render(
        request,
        "situation/campaign_detail.html",
        {
            "campaign": campaign,
            "unit": unit,
            "rollup": rollup,
            "page": page,
            "chart": _chart(rollup),
            "loans": loans,
            "recording_units": recording,
            "areas": _areas_of(recording),
            "may_manage": can(request.user, "situation.manage", campaign.organization),
            "categories": BeneficiaryCategory.choices,
            "fundings": FundingKind.choices,
            "progresses": Progress.choices,
            "today": timezone.localdate(),
        },
    )


def _areas_of(units) -> list[Area]:
    """The communes under the units' areas (for the household forms)."""
    paths = sorted({u.area.path for u in units})
    if not paths:
        return []
    q = under(paths[0])
    for path in paths[1:]:
        q |= under(path)
    return list(Area.objects.filter(q, valid_to__isnull=True).order_by("path")[:500])


@login_required
def campaign_export(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    unit = _unit_filter(request)
    rollup = queries.campaign_rollup(request.user, campaign=campaign, unit=unit)
    rows = list(queries.beneficiaries(request.user, campaign=campaign, unit=unit))
    return download(request, lambda fmt: io.export_campaign(rollup, rows, fmt))


def _back(campaign) -> str:
    return reverse("situation:campaign", kwargs={"campaign_id": campaign.pk})


@login_required
@require_POST
def funding_add(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    with _reported(request, _("The funding was recorded.")):
        services.add_funding(
            actor=request.user,
            campaign=campaign,
            kind=request.POST.get("kind", ""),
            amount=request.POST.get("amount"),
            received_on=request.POST.get("received_on"),
            note=request.POST.get("note", ""),
        )
    return redirect(_back(campaign))


@login_required
@require_POST
def beneficiary_add(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    with _reported(request, _("The household was recorded.")):
        unit = _org_in(request, request.POST.get("unit"), campaign.organization)
        area = Area.objects.filter(pk=to_int(request.POST.get("area")) or 0).first()
        services.add_beneficiary(
            actor=request.user,
            campaign=campaign,
            unit=unit,
            area=area,
            household_code=request.POST.get("household_code", ""),
            category=request.POST.get("category", ""),
            funding_kind=request.POST.get("funding_kind", ""),
            name=request.POST.get("name", ""),
        )
    return redirect(_back(campaign))


@login_required
@require_POST
def beneficiary_update(request, beneficiary_id: int):
    b = _get(queries.get_beneficiary, request, beneficiary_id)
    with _reported(request, _("Saved.")):
        if request.POST.get("progress"):
            services.record_progress(
                actor=request.user, beneficiary=b, progress=request.POST["progress"]
            )
        if request.POST.get("amount"):
            services.disburse(
                actor=request.user,
                beneficiary=b,
                amount=request.POST.get("amount"),
                override=request.POST.get("override") == "1",
                override_reason=request.POST.get("override_reason", ""),
            )
    return redirect(_back(b.campaign))


@login_required
@require_POST
def loan_add(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    with _reported(request, _("The loan was recorded.")):
        unit = _org_in(request, request.POST.get("unit"), campaign.organization)
        services.lend(
            actor=request.user,
            campaign=campaign,
            unit=unit,
            area=unit.area,
            household_code=request.POST.get("household_code", ""),
            purpose=request.POST.get("purpose", ""),
            amount=request.POST.get("amount"),
            lent_on=request.POST.get("lent_on"),
            due_on=request.POST.get("due_on"),
            override=request.POST.get("override") == "1",
            override_reason=request.POST.get("override_reason", ""),
        )
    return redirect(_back(campaign))


@login_required
@require_POST
def loan_repay(request, loan_id: int):
    loan = _get(queries.get_loan, request, loan_id)
    with _reported(request, _("The repayment was recorded.")):
        services.repay(actor=request.user, loan=loan, amount=request.POST.get("amount"))
    return redirect(_back(loan.campaign))


# Import -------------------------------------------------------------------------------------


@login_required
def import_template(request, campaign_id: int):
    _campaign(request, campaign_id)
    headers, rows = io.template_rows()
    return attachment(*export_table(headers=headers, rows=rows, fmt="xlsx", filename="mau-nhap-ho"))


def _serialize(rows: list[dict]) -> str:
    return json.dumps(
        [
            {
                **{k: v for k, v in r.items() if k not in ("unit", "area", "name")},
                "unit": r["unit"].pk,
                "area": r["area"].pk,
                "name": crypto.encrypt(r["name"]),
            }
            for r in rows
        ]
    )


def _deserialize(request, campaign, text: str) -> list[dict]:
    raw = json.loads(text)
    units = {
        u.pk: u
        for u in visible(request.user, Organization.objects.all()).filter(
            pk__in=[r["unit"] for r in raw]
        )
    }
    areas = Area.objects.in_bulk([r["area"] for r in raw])
    rows = []
    for r in raw:
        if r["unit"] not in units or r["area"] not in areas:
            raise DomainError(_("The checked file is out of date; upload it again."), field="file")
        rows.append(
            {
                **r,
                "unit": units[r["unit"]],
                "area": areas[r["area"]],
                "name": crypto.decrypt(r["name"]),
            }
        )
    return rows


@login_required
def beneficiary_import(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    if not _recording_units(request.user, campaign.organization):
        raise PermissionDenied
    context = {
        "campaign": campaign,
        **imports.form_context(io.IMPORT_COLUMNS, io.REQUIRED_COLUMNS),
    }
    if request.method == "POST" and request.POST.get("confirm"):
        pending = request.session.get(IMPORT_SESSION_KEY) or {}
        if pending.get("campaign") != campaign.pk:
            messages.error(request, _("Nothing to import: upload the file again."))
            return redirect("situation:import", campaign_id=campaign.pk)
        try:
            rows = _deserialize(request, campaign, pending["rows"])
            created = services.import_beneficiaries(
                actor=request.user, campaign=campaign, rows=rows
            )
        except DomainError as exc:
            _fail(request, exc)
            return redirect("situation:import", campaign_id=campaign.pk)
        finally:
            request.session.pop(IMPORT_SESSION_KEY, None)
        messages.success(request, _("%(n)d households were imported.") % {"n": len(created)})
        return redirect(_back(campaign))
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["file_error"] = _("Choose a file.")
        elif upload.size > MAX_IMPORT_BYTES:
            context["file_error"] = _("The file is larger than %(mb)d MB.") % {
                "mb": context["max_mb"]
            }
        else:
            try:
                result = io.check_beneficiaries(request.user, campaign, upload.name, upload.read())
            except DomainError as exc:
                context["file_error"] = str(exc.message)
            else:
                context["result"] = result
                context["errors"] = imports.error_rows(result["errors"], io.column_label)
                if not result["errors"] and result["rows"]:
                    request.session[IMPORT_SESSION_KEY] = {
                        "campaign": campaign.pk,
                        "rows": _serialize(result["rows"]),
                    }
                    context["preview"] = result["rows"][:50]
                else:
                    request.session.pop(IMPORT_SESSION_KEY, None)
    return render(request, "situation/import.html", context)


# Land handover ------------------------------------------------------------------------------


@login_required
def projects(request):
    unit = get_unit(request)
    overview = queries.projects_overview(request.user, unit=unit)
    return render(
        request,
        "situation/project_list.html",
        {"unit": unit, "overview": overview, "may_manage": queries.may_manage(request.user, unit)},
    )


@login_required
def projects_export(request):
    overview = queries.projects_overview(request.user, unit=get_unit(request))
    return download(request, lambda fmt: io.export_projects(overview, fmt))


@login_required
def project_new(request):
    return _create_under_unit(
        request,
        lambda org, data: services.create_project(
            actor=request.user,
            organization=org,
            code=data.get("code", ""),
            name=data.get("name", ""),
            investor=data.get("investor", ""),
            total_area_m2=data.get("total_area_m2") or 0,
            starts_on=data.get("starts_on"),
            deadline=data.get("deadline") or None,
            description=data.get("description", ""),
        ),
        template="situation/project_form.html",
        success=_("The project was created."),
        then=lambda project: ("situation:project", project.pk),
    )


@login_required
def project_detail(request, project_id: int):
    project = _project(request, project_id)
    unit = _unit_filter(request)
    rollup = queries.project_rollup(request.user, project=project, unit=unit)
    qs = queries.households(request.user, project=project, unit=unit)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    recording = list(_recording_units(request.user, project.organization))
    return render(
        request,
        "situation/project_detail.html",
        {
            "project": project,
            "unit": unit,
            "rollup": rollup,
            "page": page,
            "recording_units": recording,
            "areas": _areas_of(recording),
            "states": HandoverState.choices,
            "issues": IssueType.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
def project_export(request, project_id: int):
    project = _project(request, project_id)
    unit = _unit_filter(request)
    rollup = queries.project_rollup(request.user, project=project, unit=unit)
    rows = list(queries.households(request.user, project=project, unit=unit))
    return download(request, lambda fmt: io.export_project(rollup, rows, fmt))


def _project_back(project) -> str:
    return reverse("situation:project", kwargs={"project_id": project.pk})


@login_required
@require_POST
def household_add(request, project_id: int):
    project = _project(request, project_id)
    with _reported(request, _("The household was recorded.")):
        unit = _org_in(request, request.POST.get("unit"), project.organization)
        area = Area.objects.filter(pk=to_int(request.POST.get("area")) or 0).first() or unit.area
        services.add_household(
            actor=request.user,
            project=project,
            unit=unit,
            area=area,
            household_code=request.POST.get("household_code", ""),
            area_m2=request.POST.get("area_m2") or "0",
            state=request.POST.get("state") or HandoverState.INFORMED,
            issue_type=request.POST.get("issue_type", ""),
            issue_note=request.POST.get("issue_note", ""),
        )
    return redirect(_project_back(project))


@login_required
@require_POST
def household_update(request, household_id: int):
    household = _get(queries.get_household, request, household_id)
    with _reported(request, _("Saved.")):
        services.update_household(
            actor=request.user,
            household=household,
            state=request.POST.get("state", ""),
            issue_type=request.POST.get("issue_type", ""),
            issue_note=request.POST.get("issue_note", ""),
        )
    return redirect(_project_back(household.project))


@login_required
@require_POST
def meeting_add(request, project_id: int):
    project = _project(request, project_id)
    with _reported(request, _("The meeting was recorded.")):
        unit = _org_in(request, request.POST.get("unit"), project.organization)
        services.record_meeting(
            actor=request.user,
            project=project,
            unit=unit,
            held_on=request.POST.get("held_on"),
            title=request.POST.get("title", ""),
            households=request.POST.get("households") or 0,
            outcome=request.POST.get("outcome", ""),
        )
    return redirect(_project_back(project))
