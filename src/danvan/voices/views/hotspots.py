"""Hot spots: area × topic groups whose petitions rose, their matters, and the download."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core import tables
from danvan.org.models import Area
from danvan.org.units import current_unit

from .. import queries
from ..models import (
    Topic,
)
from .dashboard import _bars, translation_is_english
from .periods import PAGE_SIZE, _base, _int


def _hot_params(request) -> dict:
    return {
        "months": _int(request.GET.get("months"), 3, low=1, high=24),
        "minimum": _int(request.GET.get("minimum"), 3, low=1, high=1000),
    }


def _hot_spots(request) -> tuple[list[dict], dict]:
    params = _hot_params(request)
    spots = queries.hot_spots(request.user, unit=current_unit(request), **params)
    english = translation_is_english()
    for spot in spots:
        spot["topic"] = (english and spot["topic__name_en"]) or spot["topic__name"]
        spot["topic_code"] = None
    if spots:
        codes = dict(
            Topic.objects.filter(pk__in={s["topic_id"] for s in spots}).values_list("pk", "code")
        )
        for spot in spots:
            spot["topic_code"] = codes.get(spot["topic_id"])
    return _bars(spots, "now"), params


@login_required
def hot_spots(request):
    spots, params = _hot_spots(request)
    context = _base(request, spots=spots, **params, params_qs=urlencode(params))
    return render(request, "voices/hotspots.html", context)


@login_required
def hot_spot_matters(request):
    """The matters of one area × topic group over the hot-spot window: cases, never people."""
    params = _hot_params(request)
    area = Area.objects.filter(pk=_int(request.GET.get("area"), 0, low=0, high=2**31)).first()
    topic = Topic.objects.filter(code=(request.GET.get("topic") or "")[:40]).first()
    if area is None or topic is None:
        raise Http404
    today = timezone.localdate()
    start = today - dt.timedelta(days=30 * params["months"])
    previous = start - dt.timedelta(days=30 * params["months"])
    qs = queries.matters(
        request.user, unit=current_unit(request), topic=topic.code, received_to=today
    ).filter(petition__area=area, petition__received_on__gt=previous)
    context = _base(
        request,
        area=area,
        topic=topic,
        start=start,
        previous=previous,
        page=Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        **params,
        params_qs=urlencode(params),
    )
    return render(request, "voices/hotspots_matters.html", context)


HOT_HEADERS = [
    gettext_lazy("Area"),
    gettext_lazy("Topic"),
    gettext_lazy("Petitions now"),
    gettext_lazy("Petitions before"),
    gettext_lazy("Rise"),
]


@login_required
def hot_spots_export(request):
    spots, _params = _hot_spots(request)
    rows = [[s["area__name"], s["topic"], s["now"], s["before"], s["rise"]] for s in spots]
    return tables.download(
        request,
        lambda fmt: tables.export_table(
            headers=HOT_HEADERS, rows=rows, fmt=fmt, filename=_("hot-spots")
        ),
    )
