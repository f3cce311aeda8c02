"""Pages. Thin: parse the request, call a query or a service, render.

A request from htmx gets the partial template (`_name.html`) instead of the whole page.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from danvan import __version__
from danvan.accounts import queries as account_queries
from danvan.accounts import services as account_services
from danvan.accounts.scope import can, visible
from danvan.core import home as core_home
from danvan.core import import_jobs
from danvan.core.errors import DomainError, NotFound
from danvan.core.http import is_htmx as _is_htmx
from danvan.core.http import safe_next
from danvan.core.imports import error_rows
from danvan.core.models import ImportJob
from danvan.org import queries as org_queries
from danvan.org import services as org_services
from danvan.org.models import Area, AreaLevel, Organization, OrganizationType, Structure
from danvan.org.units import SESSION_KEY, current_unit, unit_choices, unit_picker_choices

from .audit import may_read_audit
from .forms import LanguageForm, OrganizationForm, TokenForm

PAGE_SIZE = 50


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
def healthz(request):
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = {"status": "ok", "vendor": connection.vendor}
        status = 200
    except Exception as exc:  # the probe reports any failure rather than raising
        db = {"status": "error", "vendor": connection.vendor, "error": exc.__class__.__name__}
        status = 503
    body = {
        "status": "ok" if status == 200 else "error",
        "version": __version__,
        "database": {**db, "ms": round((time.monotonic() - started) * 1000, 1)},
    }
    return JsonResponse(body, status=status)


def favicon(request):
    from django.templatetags.static import static

    return redirect(static("web/favicon.svg"), permanent=True)


def _error_page(request, status: int, template: str, *, plain: bool = False):
    """403, 404 and 500 in the layout and the user's language, with a way back. The 500
    page renders without the context processors: they read the database, which may be
    what failed."""
    if request.path.startswith("/api/"):
        messages_by_status = {
            403: (_("You do not have permission to do this here."), "forbidden"),
            404: (_("Not found."), "not_found"),
            500: (_("Internal error. It has been logged."), "server_error"),
        }
        message, code = messages_by_status[status]
        return JsonResponse({"message": message, "code": code}, status=status)
    if plain:
        html = loader.get_template(template).render(
            {"request": request, "languages": settings.LANGUAGES, "plain": True}
        )
        return HttpResponse(html, status=status)
    return render(request, template, status=status)


def permission_denied(request, exception=None):
    return _error_page(request, 403, "403.html")


def not_found(request, exception=None):
    return _error_page(request, 404, "404.html")


def server_error(request):
    return _error_page(request, 500, "500.html", plain=True)


# Roles whose first concern is the whole subtree rather than their own to-do list.
OVERSEEING_ROLES = {"leader", "administrator", "viewer"}


@login_required
def home(request):
    """What needs doing: an officer's to-do list first, a leader's attention list first
    (each app contributes its items: core/home.py)."""
    user = request.user
    unit = current_unit(request)
    focus = unit
    if focus is None and not user.is_superuser:
        choices = unit_choices(request)
        focus = choices[0] if choices else None
    found = core_home.collect(user, focus)
    roles = account_queries.role_codes(user)
    overseeing = user.is_superuser or not roles or roles <= OVERSEEING_ROLES
    context = {
        "unit": unit,
        "focus": focus,
        "todo": found[core_home.TODO],
        "attention": found[core_home.ATTENTION],
        "overseeing": overseeing,
        "today": timezone.localdate(),
    }
    return render(request, "web/home.html", context)


@require_POST
def set_language(request):
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(
            _("Unknown language. Choose one of: %(codes)s.")
            % {"codes": ", ".join(code for code, _name in settings.LANGUAGES)}
        )
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        account_services.set_language(actor=request.user, user=request.user, language=language)
    response = redirect(safe_next(request, form.cleaned_data["next"]))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
    )
    translation.activate(language)
    return response


@login_required
def choose_unit(request):
    """The unit picker: search the whole visible subtree (GET), choose one (POST)."""
    if request.method == "POST":
        unit_id = request.POST.get("unit", "")
        if unit_id in ("", "all"):
            request.session[SESSION_KEY] = "all"
        else:
            try:
                unit = org_queries.get_organization(request.user, int(unit_id))
            except (ValueError, NotFound):
                messages.error(request, _("That unit does not exist or is outside your access."))
                return redirect(request.get_full_path())
            request.session[SESSION_KEY] = unit.pk
        return redirect(safe_next(request, request.POST.get("next", "")))
    q = (request.GET.get("q") or "").strip()[:100]
    context = {
        "q": q,
        "next": safe_next(request, request.GET.get("next", "")),
        "units": unit_picker_choices(request, q),
        "current_unit": current_unit(request),
        "show_unit_strip": False,
    }
    template = "web/_unit_results.html" if _is_htmx(request) else "web/unit_picker.html"
    return render(request, template, context)


@login_required
def area_list(request):
    structure = request.GET.get("structure") or Structure.TWO_LEVEL_2025
    level = request.GET.get("level") or ""
    if structure not in Structure.values:
        structure = Structure.TWO_LEVEL_2025
    if level not in AreaLevel.values:
        level = ""
    q = (request.GET.get("q") or "").strip()[:100]
    areas = org_queries.areas(request.user, q=q, structure=structure, level=level or None)
    if not q and not level:
        areas = areas.filter(depth=1)
    context = {
        "page": _page(request, areas),
        "q": q,
        "structure": structure,
        "level": level,
        "structures": Structure.choices,
        "levels": AreaLevel.choices,
    }
    template = "web/_area_rows.html" if _is_htmx(request) else "web/area_list.html"
    return render(request, template, context)


@login_required
def area_detail(request, area_id: int):
    try:
        detail = org_queries.area_detail(request.user, area_id)
    except NotFound:
        return not_found(request)
    area = Area.objects.get(pk=area_id)
    children = Area.objects.get_children(area)
    organizations = visible(
        request.user, Organization.objects.filter(area=area).select_related("type")
    )
    context = {
        "area": area,
        "detail": detail,
        "ancestors": Area.objects.get_ancestors(area),
        "children": _page(request, children),
        "organizations": organizations[:100],
    }
    return render(request, "web/area_detail.html", context)


@login_required
def organization_list(request):
    unit = current_unit(request)
    q = (request.GET.get("q") or "").strip()[:100]
    type_code = request.GET.get("type") or ""
    orgs = org_queries.organizations(
        request.user, q=q or None, type=type_code or None, under=unit.pk if unit else None
    )
    context = {
        "page": _page(request, orgs),
        "q": q,
        "type": type_code,
        "types": OrganizationType.objects.all(),
        "unit": unit,
    }
    template = "web/_organization_rows.html" if _is_htmx(request) else "web/organization_list.html"
    return render(request, template, context)


@login_required
def organization_detail(request, org_id: int):
    try:
        org = org_queries.get_organization(request.user, org_id)
    except NotFound:
        return not_found(request)
    children = visible(
        request.user, Organization.objects.get_children(org).select_related("type", "area")
    )
    context = {
        "org": org,
        "ancestors": visible(request.user, Organization.objects.get_ancestors(org)),
        "children": children,
        "grants": account_queries.grants_on(request.user, org),
        "can_manage": can(request.user, "org.manage", org),
    }
    return render(request, "web/organization_detail.html", context)


@login_required
def organization_create(request):
    parent = None
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    if parent_id:
        try:
            parent = org_queries.get_organization(request.user, int(parent_id))
        except (ValueError, NotFound):
            return not_found(request)
        if not can(request.user, "org.manage", parent):
            raise PermissionDenied
    types = OrganizationType.objects.all()
    initial = {"area": parent.area.code} if parent else {}
    form = OrganizationForm(request.POST or None, types=types, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = org_services.create_organization(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                short_name=data["short_name"],
                public_contact=data["public_contact"],
                type_code=data["type"],
                area_code=data["area"],
                parent=parent,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Organization %(name)s created.") % {"name": org.name})
            return redirect("web:organization", org_id=org.pk)
    return render(request, "web/organization_form.html", {"form": form, "parent": parent})


@login_required
def import_job(request, job_id: int):
    """A background import, for its owner only: progress, then the result."""
    job = ImportJob.objects.filter(pk=job_id, user=request.user).first()
    if job is None:
        return not_found(request)
    kind = import_jobs.kind_of(job)
    context = {
        "job": job,
        "done_rows": import_jobs.progress(job),
        "list_url": kind.list_url(job.scope_id),
        "upload_url": kind.upload_url(job.scope_id),
        "errors": error_rows(job.errors, kind.label),
    }
    return render(request, "web/import_job.html", context)


@login_required
def profile(request):
    context = {
        "tokens": account_queries.own_tokens(request.user),
        "grants": account_queries.own_grants(request.user),
        "token_form": TokenForm(),
        "new_token": request.session.pop("danvan_new_token", None),
        "may_read_audit": may_read_audit(request.user),
        "two_factor": account_queries.two_factor_status(request.user),
    }
    return render(request, "web/profile.html", context)


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            _token, raw = account_services.create_token(
                actor=request.user, user=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            # Shown once on the next page, never stored in clear.
            request.session["danvan_new_token"] = raw
    else:
        messages.error(request, _("Give the token a name, e.g. what will use it."))
    return redirect("web:profile")


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = account_queries.own_token(request.user, token_id)
    if token is None:
        return not_found(request)
    account_services.revoke_token(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    if _is_htmx(request):
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    return redirect("web:profile")
