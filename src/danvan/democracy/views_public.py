"""The public portal (/cong-khai/): no sign-in, aggregates and published items only.

Pages and exports are cached (shared caches too: `Cache-Control: public`), so nothing here
may depend on who asks. Never a person's name, a household or a household's vote."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import cache_control, cache_page

from danvan.core.errors import DomainError, NotFound
from danvan.core.tables import export_table
from danvan.org.models import Area

from . import queries

MAX_AGE = 300


def public(view):
    """Cached for everyone for a few minutes; published data changes slowly."""
    return cache_control(public=True, max_age=MAX_AGE)(cache_page(MAX_AGE)(view))


def _province(code: str | None) -> Area | None:
    if not code:
        return None
    return queries.provinces().filter(code=code).first()


@public
def index(request):
    province = _province(request.GET.get("tinh"))
    communes = list(queries.communes_of(province).order_by("name", "code")) if province else []
    active = set(queries.active_communes())
    for commune in communes:
        commune.has_data = commune.pk in active
    featured = list(
        Area.objects.filter(pk__in=active, level="commune", structure="2025").order_by(
            "name", "code"
        )[:30]
    )
    template = (
        "democracy/portal/_communes.html"
        if request.headers.get("HX-Request")
        else ("democracy/portal/index.html")
    )
    response = render(
        request, template,
        {"provinces": queries.provinces().order_by("name", "code"), "province": province,
         "communes": communes, "featured": featured},
    )  # fmt: skip
    # The same URL answers htmx with the list only: caches must keep the two apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _commune(code: str) -> Area:
    try:
        return queries.public_commune(code)
    except NotFound as exc:
        raise Http404 from exc


def _data(area: Area) -> dict:
    today = timezone.localdate()
    return {
        "disclosures": queries.public_disclosures(area, today=today),
        "consultations": queries.public_consultations(area),
        "recommendations": queries.public_recommendations(area, today=today),
        "satisfaction": queries.public_satisfaction(area),
    }


@public
def commune(request, code: str):
    area = _commune(code)
    data = _data(area)
    recs = data["recommendations"]
    counts = {
        key: sum(1 for r in recs if r["status"] == key)
        for key in ("open", "overdue", "answered", "answered_late")
    }
    disclosures = data["disclosures"]
    d_counts = {
        key: sum(1 for d in disclosures if d["status"] == key)
        for key in ("on_time", "late", "missing", "pending")
    }
    return render(
        request, "democracy/portal/commune.html",
        {"area": area, "province": Area.objects.get_parent(area), **data, "rec_counts": counts,
         "d_counts": d_counts, "cases": queries.public_cases(area),
         "models": queries.public_models(area), "lists": LISTS},
    )  # fmt: skip


# Open data -------------------------------------------------------------------------------------

LISTS = {
    "cong-khai": ("disclosures", [
        ("title", _l("Title")), ("category", _l("Category")), ("unit", _l("Unit")),
        ("decision_number", _l("Decision number")), ("decision_date", _l("Decision date")),
        ("due_on", _l("Publicize by")), ("published_on", _l("Publicized on")),
        ("posted_until", _l("Posted until")), ("posting_days", _l("Days posted")), ("forms", _l("Forms")),
        ("status", _l("Status")),
    ]),
    "lay-y-kien": ("consultations", [
        ("title", _l("Title")), ("matter_type", _l("Matter")), ("community", _l("Residential community")),
        ("form", _l("Form")), ("opens_on", _l("Opens on")), ("closes_on", _l("Closes on")),
        ("state", _l("State")), ("households", _l("Households registered")), ("yes", _l("Agree")),
        ("no", _l("Disagree")), ("abstain", _l("Abstain")), ("threshold", _l("Threshold")),
        ("valid", _l("Valid")), ("recognition", _l("Recognition decision")),
        ("recognized_on", _l("Recognized on")), ("comments", _l("Comments")),
        ("responded_on", _l("Responded on")),
    ]),
    "kien-nghi": ("recommendations", [
        ("body", _l("Supervising body")), ("activity", _l("Kind")), ("subject", _l("Subject")),
        ("recommendation", _l("Recommendation")), ("addressee", _l("Body concerned")),
        ("made_on", _l("Made on")), ("due_on", _l("Answer by")), ("answered_on", _l("Answered on")),
        ("status", _l("Status")),
    ]),
    "hai-long": ("satisfaction", [
        ("unit", _l("Unit rated")), ("service", _l("Service")), ("period_start", _l("From")),
        ("period_end", _l("To")), ("very_satisfied", _l("Very satisfied")), ("satisfied", _l("Satisfied")),
        ("neutral", _l("Neutral")), ("dissatisfied", _l("Dissatisfied")), ("total", _l("Ratings")),
        ("satisfied_percent", _l("Satisfied (%)")),
    ]),
}  # fmt: skip


@public
def open_data(request, code: str, name: str, fmt: str):
    if name not in LISTS or fmt not in ("csv", "json", "xlsx"):
        raise Http404
    area = _commune(code)
    key, columns = LISTS[name]
    rows = _data(area)[key]
    filename = f"{name}-{area.code}"
    if fmt == "json":
        body = {
            "commune": {"code": area.code, "name": area.name},
            "generated": timezone.now(),
            "columns": [c for c, _label in columns],
            "rows": [{c: row[c] for c, _label in columns} for row in rows],
        }
        response = HttpResponse(
            json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
    else:
        try:
            content, content_type, filename = export_table(
                headers=[str(label) for _c, label in columns],
                rows=([row[c] for c, _label in columns] for row in rows),
                fmt=fmt, filename=filename,
            )  # fmt: skip
        except DomainError as exc:
            raise Http404 from exc
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
