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
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control, cache_page

from danvan.core.collation import Vietnamese
from danvan.core.errors import DomainError, NotFound
from danvan.core.tables import export_table
from danvan.core.uploads import attachment
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
    communes = (
        list(queries.communes_of(province).order_by(Vietnamese("name"), "code")) if province else []
    )
    active = set(queries.active_communes())
    for commune in communes:
        commune.has_data = commune.pk in active
    featured = list(
        Area.objects.filter(pk__in=active, level="commune", structure="2025").order_by(
            Vietnamese("name"), "code"
        )[:30]
    )
    template = (
        "democracy/portal/_communes.html"
        if request.headers.get("HX-Request")
        else ("democracy/portal/index.html")
    )
    response = render(
        request, template,
        {"provinces": queries.provinces().order_by(Vietnamese("name"), "code"), "province": province,
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


# One published item ------------------------------------------------------------------------------


def _item(rows: list[dict], item_id: int) -> dict:
    found = next((row for row in rows if row["id"] == item_id), None)
    if found is None:
        raise Http404
    return found


@public
def disclosure(request, code: str, item_id: int):
    area = _commune(code)
    try:
        item = queries.public_disclosure(area, item_id)
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request, "democracy/portal/item.html", {"area": area, "kind": "cong-khai", "d": item}
    )


@public
def consultation(request, code: str, item_id: int):
    area = _commune(code)
    item = _item(queries.public_consultations(area), item_id)
    return render(
        request, "democracy/portal/item.html", {"area": area, "kind": "lay-y-kien", "c": item}
    )


@public
def recommendation(request, code: str, item_id: int):
    area = _commune(code)
    item = _item(queries.public_recommendations(area), item_id)
    return render(
        request, "democracy/portal/item.html", {"area": area, "kind": "kien-nghi", "r": item}
    )


def document(request, code: str, document_id: int):
    """A document of a publicized disclosure: public, as the law makes it."""
    area = _commune(code)
    try:
        stored = queries.public_document(area, document_id)
        return attachment(stored)
    except (NotFound, FileNotFoundError) as exc:
        raise Http404 from exc


# Open data -------------------------------------------------------------------------------------

LISTS = {
    "cong-khai": ("disclosures", [
        ("title", gettext_lazy("Title")), ("category", gettext_lazy("Category")), ("unit", gettext_lazy("Unit")),
        ("decision_number", gettext_lazy("Decision number")), ("decision_date", gettext_lazy("Decision date")),
        ("due_on", gettext_lazy("Publicize by")), ("published_on", gettext_lazy("Publicized on")),
        ("posted_until", gettext_lazy("Posted until")), ("posting_days", gettext_lazy("Days posted")), ("forms", gettext_lazy("Forms")),
        ("status", gettext_lazy("Status")),
    ]),
    "lay-y-kien": ("consultations", [
        ("title", gettext_lazy("Title")), ("matter_type", gettext_lazy("Matter")), ("community", gettext_lazy("Residential community")),
        ("form", gettext_lazy("Form")), ("opens_on", gettext_lazy("Opens on")), ("closes_on", gettext_lazy("Closes on")),
        ("state", gettext_lazy("State")), ("households", gettext_lazy("Households registered")), ("yes", gettext_lazy("Agree")),
        ("no", gettext_lazy("Disagree")), ("abstain", gettext_lazy("Abstain")), ("threshold", gettext_lazy("Threshold")),
        ("valid", gettext_lazy("Valid")), ("recognition", gettext_lazy("Recognition decision")),
        ("recognized_on", gettext_lazy("Recognized on")), ("comments", gettext_lazy("Comments")),
        ("responded_on", gettext_lazy("Responded on")),
    ]),
    "kien-nghi": ("recommendations", [
        ("body", gettext_lazy("Supervising body")), ("activity", gettext_lazy("Kind")), ("subject", gettext_lazy("Subject")),
        ("recommendation", gettext_lazy("Recommendation")), ("addressee", gettext_lazy("Body concerned")),
        ("made_on", gettext_lazy("Made on")), ("due_on", gettext_lazy("Answer by")), ("answered_on", gettext_lazy("Answered on")),
        ("status", gettext_lazy("Status")),
    ]),
    "hai-long": ("satisfaction", [
        ("unit", gettext_lazy("Unit rated")), ("service", gettext_lazy("Service")), ("period_start", gettext_lazy("From")),
        ("period_end", gettext_lazy("To")), ("very_satisfied", gettext_lazy("Very satisfied")), ("satisfied", gettext_lazy("Satisfied")),
        ("neutral", gettext_lazy("Neutral")), ("dissatisfied", gettext_lazy("Dissatisfied")), ("total", gettext_lazy("Ratings")),
        ("satisfied_percent", gettext_lazy("Satisfied (%)")),
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
