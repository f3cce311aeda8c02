"""Petitions: intake, similar petitions, a petition and who filed it."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from danvan.core.errors import NotFound
from danvan.core.pagination import Pagination
from danvan.org import queries as org_queries

from .. import queries, services
from .common import _matter, _org, _unit
from .schemas import (
    CitizenIdentityOut,
    PetitionDetail,
    PetitionFilter,
    PetitionIn,
    PetitionOut,
    SimilarFilter,
    SimilarOut,
)

router = Router()


@router.get(
    "/petitions",
    operation_id="danvan_voices_api_list_petitions",
    response=list[PetitionOut],
    summary="List petitions",
    description="Petitions received by units the user sees; neither who filed them nor what "
    "they say (see the detail).",
)
@paginate(Pagination)
def list_petitions(request: HttpRequest, filters: Query[PetitionFilter]):
    qs = queries.petitions(request.user, unit=_unit(request, filters.unit))
    if filters.received_from:
        qs = qs.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        qs = qs.filter(received_on__lte=filters.received_to)
    if filters.topic:
        qs = qs.filter(topic__code=filters.topic)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    return qs


@router.post(
    "/petitions",
    operation_id="danvan_voices_api_receive_petition",
    response={201: PetitionDetail},
    summary="Receive a petition",
    description="Records a received petition, its citizens (stored encrypted, never answered "
    "here) and its matters, whose clocks start on `received_on`. Answers the petition with its "
    "tracking code for the citizen. Needs `voices.intake` on the unit. An anonymous "
    "denunciation is recorded as not accepted (Law on Denunciations 2018, Art. 25).",
)
def receive_petition(request: HttpRequest, payload: PetitionIn):
    unit = _org(request, payload.unit, "unit")
    area = org_queries.get_area(request.user, payload.area, field="area")
    first = None
    if payload.first_complaint is not None:
        try:
            first = _matter(request, payload.first_complaint)
        except NotFound as exc:
            raise NotFound(_("Not found."), field="first_complaint") from exc
    petition = services.receive_petition(
        actor=request.user,
        unit=unit,
        channel=payload.channel,
        received_on=payload.received_on,
        area=area,
        topic_code=payload.topic,
        contents=payload.contents,
        citizens=[c.dict() for c in payload.citizens],
        matters=[m.dict() for m in payload.matters],
        anonymous=payload.anonymous,
        first_complaint=first,
    )
    return Status(201, queries.get_petition(request.user, petition.pk))


@router.get(
    "/petitions/similar",
    operation_id="danvan_voices_api_similar_petitions",
    response=list[SimilarOut],
    summary="Find similar petitions",
    description="Likely duplicates and related petitions among those the user sees, in the "
    "same area or on the same topic, best first.",
)
def similar_petitions(request: HttpRequest, filters: Query[SimilarFilter]):
    area = org_queries.get_area(request.user, filters.area, field="area") if filters.area else None
    found = queries.similar_petitions(
        request.user, text=filters.text, area=area, topic_code=filters.topic
    )
    return [
        {"id": p.pk, "tracking_code": p.tracking_code, "received_on": p.received_on, "score": s}
        for p, s in found
    ]


@router.get(
    "/petitions/{petition_id}",
    operation_id="danvan_voices_api_get_petition",
    response=PetitionDetail,
    summary="A petition",
    description="With its contents and matters, and how many citizens filed it.",
)
def get_petition(request: HttpRequest, petition_id: int):
    return queries.get_petition(request.user, petition_id)


@router.get(
    "/petitions/{petition_id}/identity",
    operation_id="danvan_voices_api_reveal_identity",
    response=list[CitizenIdentityOut],
    summary="Who filed a petition",
    description="The citizens' names, addresses and contacts, for the case handler of the unit "
    "only (`voices.view_identity`; a denouncer needs `voices.view_denouncer`, granted by name). "
    "Every view is written to the audit log. Anyone else gets the same 404 as for an unknown "
    "petition. Empty for an anonymous petition.",
)
def reveal_identity(request: HttpRequest, petition_id: int):
    try:
        petition = queries.get_petition(request.user, petition_id)
        return queries.reveal_identity(request.user, petition)
    except NotFound as exc:
        raise NotFound(_("Not found.")) from exc
