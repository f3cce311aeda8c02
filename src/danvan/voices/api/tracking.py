"""Public tracking of a petition by its code (no sign-in, throttled)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.throttling import AnonRateThrottle

from danvan.core.errors import NotFound
from danvan.core.schemas import Error

from .. import queries
from .schemas import TrackOut

router = Router()


TRACK_RATE = "20/h"


@router.get(
    "/track/{code}",
    operation_id="danvan_voices_api_track",
    response={200: TrackOut, 429: Error},
    auth=None,
    throttle=[AnonRateThrottle(TRACK_RATE)],
    summary="Follow a petition by its tracking code",
    description="No sign-in. The states and due dates of the petition's matters and the "
    "receiving office's public contact, nothing else. "
    f"404 for an unknown code; at most {TRACK_RATE.replace('/h', ' requests an hour')} per "
    "address, then 429.",
    # An empty requirement: anyone may call it.
    openapi_extra={"security": [{}]},
)
def track(request: HttpRequest, code: str):
    found = queries.track(code)
    if found is None:
        raise NotFound(_("Not found."))
    return found
