"""Intake: the petition form with its repeated citizen and matter rows (htmx), the area
picker, likely duplicates, and the receipt."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from danvan.core.errors import DomainError, NotFound
from danvan.core.http import to_int as _int
from danvan.core.text import fold
from danvan.org.models import Area
from danvan.org.units import current_unit

from .. import queries, services
from ..forms.cases import (
    CITIZEN_FIELDS,
    MATTER_FIELDS,
    IntakeForm,
    parse_rows,
)
from ..models import (
    Channel,
    MatterKind,
    Topic,
)
from .common import _area_choices, _intake_units

SIMILAR_MIN_CHARS = 20


_ROW_FIELD = re.compile(r"^(citizens|matters)\.(\d+)\.(\w+)$")


def _blank_citizen(index: int) -> dict:
    return {"index": index, "name": "", "address": "", "contact": "", "errors": {}}


def _blank_matter(index: int) -> dict:
    return {
        "index": index,
        "kind": MatterKind.COMPLAINT,
        "summary": "",
        "complicated": "",
        "remote_area": "",
        "several_places": "",
        "errors": {},
    }


def _row_error(exc: DomainError, citizens: list[dict], matters: list[dict]) -> str | None:
    """Put a service error about a row on that row; the group's name if it is about the
    group; None if it names a field of the petition."""
    match = _ROW_FIELD.match(exc.field or "")
    if match:
        rows = citizens if match[1] == "citizens" else matters
        position = int(match[2])
        if position < len(rows):
            rows[position]["errors"][match[3]] = str(exc.message)
            return match[1]
    if exc.field in ("citizens", "matters"):
        return exc.field
    return None


@login_required
@sensitive_post_parameters()  # error reports never carry the citizens' names
def intake(request):
    user = request.user
    units = _intake_units(user)
    if not units:
        raise PermissionDenied
    unit = current_unit(request)
    initial = {
        "unit": unit.pk if unit in units else units[0].pk,
        "channel": Channel.RECEPTION,
        "received_on": timezone.localdate(),
    }
    posted = request.method == "POST"
    form = IntakeForm(request.POST if posted else None, units=units, initial=initial)
    citizens = [{**row, "errors": {}} for row in parse_rows(request.POST, "c", CITIZEN_FIELDS)]
    matters = [{**row, "errors": {}} for row in parse_rows(request.POST, "m", MATTER_FIELDS)]
    group_errors: dict[str, str] = {}
    area = None
    if posted and form.is_valid():
        data = form.cleaned_data
        chosen = next(u for u in units if u.pk == data["unit"])
        area = Area.objects.filter(pk=data["area"]).first() if data["area"] else chosen.area
        first = None
        if data["first_complaint"]:
            try:
                first = queries.get_matter(user, data["first_complaint"])
            except NotFound as exc:
                form.add_error("first_complaint", str(exc.message))
        if area is None:
            form.add_error(None, _("Choose the area concerned."))
        if not form.errors:
            try:
                petition = services.receive_petition(
                    actor=user,
                    unit=chosen,
                    channel=data["channel"],
                    received_on=data["received_on"],
                    area=area,
                    topic_code=data["topic"],
                    contents=data["contents"],
                    citizens=[{f: c[f] for f in CITIZEN_FIELDS} for c in citizens],
                    anonymous=data["anonymous"],
                    matters=[{f: m[f] for f in MATTER_FIELDS} for m in matters],
                    first_complaint=first,
                )
            except DomainError as exc:
                group = _row_error(exc, citizens, matters)
                if group is None:
                    form.add_service_error(exc)
                elif not any(row["errors"] for row in citizens + matters):
                    group_errors[group] = str(exc.message)
            else:
                messages.success(
                    request,
                    _("Petition received. Tracking code: %(code)s.")
                    % {"code": petition.tracking_code},
                )
                return redirect("voices:receipt", petition_id=petition.pk)
    elif posted and form.data.get("area"):
        area = Area.objects.filter(pk=_int(form.data.get("area"))).first()
    citizens = citizens or [_blank_citizen(0)]
    matters = matters or [_blank_matter(0)]
    context = {
        "form": form,
        "citizens": citizens,
        "matters": matters,
        "next_citizen": max(c["index"] for c in citizens) + 1,
        "next_matter": max(m["index"] for m in matters) + 1,
        "group_errors": group_errors,
        "area": area,
        "kinds": MatterKind.choices,
        "unit_areas": {u.pk: u.area.name for u in units},
    }
    return render(request, "voices/intake.html", context)


@login_required
def intake_row(request, kind: str):
    """One more citizen or matter row for the intake form (htmx)."""
    if not _intake_units(request.user):
        raise PermissionDenied
    index = min(max(_int(request.GET.get("i")) or 0, 0), 499)
    if kind == "citizen":
        return render(request, "voices/_intake_citizen_row.html", {"row": _blank_citizen(index)})
    if kind == "matter":
        return render(
            request,
            "voices/_intake_matter_row.html",
            {"row": _blank_matter(index), "kinds": MatterKind.choices},
        )
    raise Http404


@login_required
def intake_areas(request):
    """Areas whose name matches, diacritics ignored (htmx picker of the intake form)."""
    text = (request.GET.get("area_q") or "").strip()[:100]
    found = list(_area_choices(text)) if len(fold(text)) >= 2 else []
    parents = {
        a.path: a.name
        for a in Area.objects.filter(path__in={f.path[:4] for f in found if f.depth > 1})
    }
    for a in found:
        a.parent_name = parents.get(a.path[:4], "")
    return render(request, "voices/_intake_areas.html", {"areas": found, "q": text})


@login_required
def intake_similar(request):
    """Likely duplicates of the contents being typed: codes, dates, topics — never names."""
    user = request.user
    if not _intake_units(user):
        raise PermissionDenied
    text = (request.GET.get("contents") or "")[:2000]
    found = []
    if len(text.strip()) >= SIMILAR_MIN_CHARS:
        area_id = _int(request.GET.get("area"))
        found = queries.similar_petitions(
            user,
            text=text,
            area=Area.objects.filter(pk=area_id).first() if area_id else None,
            topic_code=(request.GET.get("topic") or "").strip()[:40] or None,
        )
    first_matter = {}
    if found:
        for pk, petition_id in (
            queries.matters(user)
            .filter(petition_id__in=[p.pk for p, _s in found])
            .order_by("pk")
            .values_list("pk", "petition_id")
        ):
            first_matter.setdefault(petition_id, pk)
    topics = {t.pk: t for t in Topic.objects.filter(pk__in={p.topic_id for p, _s in found})}
    rows = [
        {
            "code": p.tracking_code,
            "received_on": p.received_on,
            "topic": topics.get(p.topic_id),
            "score": round(score * 100),
            "matter_id": first_matter.get(p.pk),
        }
        for p, score in found
    ]
    return render(
        request, "voices/_intake_similar.html", {"rows": rows, "short": len(text.strip()) < 20}
    )


@login_required
def receipt(request, petition_id: int):
    try:
        petition = queries.get_petition(request.user, petition_id)
    except NotFound as exc:
        raise Http404 from exc
    context = {
        "petition": petition,
        "matters": list(petition.matters.order_by("pk")),
        "citizen_count": petition.citizens.count(),
        "track_url": request.build_absolute_uri(reverse("track")),
    }
    return render(request, "voices/intake_receipt.html", context)
