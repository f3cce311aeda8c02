"""What the voices routers share: the organization, unit and matter of a request (404 for
what the user does not see) and the period check."""

from django.utils.translation import gettext as _

from danvan.org import queries as org_queries

from .. import queries, services
from .schemas import RangeFilter


def _org(request, org_id: int, field: str):
    return org_queries.get_organization(request.user, org_id, field=field)


def _unit(request, org_id: int | None):
    return _org(request, org_id, "unit") if org_id is not None else None


def _matter(request, matter_id: int):
    return queries.get_matter(request.user, matter_id)


def _files(files) -> list:
    return list(files or [])


def _range(filters: RangeFilter):
    if filters.end < filters.start:
        raise services.VoicesError(_("The end comes before the start."), field="end")
