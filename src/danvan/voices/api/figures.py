"""Figures of a period and hot spots: counts only, never people."""

from django.http import HttpRequest
from ninja import Query, Router

from .. import queries
from .common import _range, _unit
from .schemas import HotSpotFilter, RangeFilter, VoicesDashboardOut, VoicesHotSpotOut

router = Router()


@router.get(
    "/dashboard",
    operation_id="danvan_voices_api_dashboard",
    response=VoicesDashboardOut,
    summary="Figures of a period",
    description="Matters received in the period by kind, channel, topic and state; accepted, "
    "decided on time and late; overdue now; reception compliance; open and overdue dialogue "
    "commitments. Counts only, never people.",
)
def dashboard(request: HttpRequest, filters: Query[RangeFilter]):
    _range(filters)
    return queries.dashboard(
        request.user, unit=_unit(request, filters.unit), start=filters.start, end=filters.end
    )


@router.get(
    "/hot-spots",
    operation_id="danvan_voices_api_hot_spots",
    response=list[VoicesHotSpotOut],
    summary="Hot spots",
    description="Area × topic groups whose petitions rose in the last months against the "
    "months before (at least three now). Groups of cases, never of people.",
)
def hot_spots(request: HttpRequest, filters: Query[HotSpotFilter]):
    return queries.hot_spots(request.user, unit=_unit(request, filters.unit), months=filters.months)
