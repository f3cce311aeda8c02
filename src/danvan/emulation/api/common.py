"""The one router of the app (every resource module adds its operations to it) and the
pieces they share."""

from ninja import Router, Schema

from danvan.org import queries as org_queries

router = Router(tags=["emulation"])

YEAR = {"ge": 2000, "le": 2100}


class MovementRef(Schema):
    id: int
    code: str
    name: str


def _org(request, org_id: int, field: str):
    return org_queries.get_organization(request.user, org_id, field=field)
