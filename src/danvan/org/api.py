"""Areas, organizations and their types over /api/v1/. Thin: parse, call, serialize."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from danvan.core import versions
from danvan.core.errors import NotFound
from danvan.core.pagination import Pagination

from . import queries, services
from .models import AreaLevel, Structure

router = Router(tags=["tree"])


class AreaOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    level: str
    structure: str
    depth: int
    path: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class OrgAreaRef(Schema):
    id: int
    code: str
    name: str
    structure: str


class AreaDetail(AreaOut):
    parent: OrgAreaRef | None
    children_count: int
    predecessors: list[OrgAreaRef]
    successors: list[OrgAreaRef]


class AreaFilter(Schema):
    q: str | None = Field(None, max_length=100, description="Name; diacritics and case ignored")
    structure: Structure | None = None
    level: AreaLevel | None = None
    under: int | None = Field(None, description="Only areas under this area id (itself included)")
    valid_on: dt.date | None = None


@router.get("/areas", response=list[AreaOut])
@paginate(Pagination)
def list_areas(request: HttpRequest, filters: Query[AreaFilter]):
    return queries.areas(request.user, **filters.dict())


@router.get("/areas/{area_id}", response=AreaDetail)
def get_area(request: HttpRequest, area_id: int):
    return queries.area_detail(request.user, area_id)


class OrgTypeOut(Schema):
    code: str
    name: str
    name_en: str
    document_format: str


@router.get("/organization-types", response=list[OrgTypeOut])
def list_org_types(request: HttpRequest):
    return queries.organization_types()


class OrgOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    public_contact: str
    type: str = Field(..., alias="type.code")
    area: OrgAreaRef
    parent_id: int | None
    depth: int
    path: str
    is_active: bool


class OrgFilter(Schema):
    q: str | None = Field(None, max_length=100, description="Name or code; diacritics ignored")
    type: str | None = Field(None, max_length=40, description="Organization type code")
    under: int | None = Field(
        None, description="Only organizations under this one (itself included)"
    )
    area: int | None = Field(None, description="Only organizations in this area's subtree")
    active: bool | None = None


@router.get("/organizations", response=list[OrgOut])
@paginate(Pagination)
def list_organizations(request: HttpRequest, filters: Query[OrgFilter]):
    return queries.organizations(request.user, **filters.dict())


@router.get("/organizations/{org_id}", response=OrgOut)
def get_organization(request: HttpRequest, response: HttpResponse, org_id: int):
    """The ETag header is the organization's version: send it as If-Match when changing it."""
    org = queries.get_organization(request.user, org_id)
    versions.tag(response, org, services.AUDITED_ORG_FIELDS)
    return org


class OrgIn(Schema):
    code: str = Field(..., min_length=1, max_length=60)
    name: str = Field(..., min_length=1, max_length=255)
    type: str = Field(..., max_length=40, description="Organization type code")
    area: str = Field(..., max_length=10, description="Statistics-office code of a current area")
    parent: int | None = Field(None, description="Parent organization id")
    short_name: str = Field("", max_length=100)
    public_contact: str = Field("", max_length=300)


@router.post("/organizations", response={201: OrgOut})
def create_organization(request: HttpRequest, payload: OrgIn):
    parent = (
        queries.get_organization(request.user, payload.parent, field="parent")
        if payload.parent
        else None
    )
    org = services.create_organization(
        actor=request.user,
        code=payload.code,
        name=payload.name,
        type_code=payload.type,
        area_code=payload.area,
        parent=parent,
        short_name=payload.short_name,
        public_contact=payload.public_contact,
    )
    return Status(201, queries.get_organization(request.user, org.pk))


class OrgPatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=60)
    name: str | None = Field(None, min_length=1, max_length=255)
    short_name: str | None = Field(None, max_length=100)
    public_contact: str | None = Field(None, max_length=300)
    type: str | None = Field(None, max_length=40)
    area: str | None = Field(None, max_length=10)
    is_active: bool | None = None
    parent: int | None = Field(None, description="Move under this organization")


@router.patch("/organizations/{org_id}", response=OrgOut)
def update_organization(
    request: HttpRequest, response: HttpResponse, org_id: int, payload: OrgPatch
):
    """With If-Match (the ETag read), refused with 412 when it changed meanwhile."""
    org = queries.get_organization(request.user, org_id)
    data = payload.dict(exclude_unset=True)
    expected = versions.if_match(request)
    if "parent" in data:
        if data["parent"] is None:
            raise NotFound(_("Give the id of the new parent organization."), field="parent")
        new_parent = queries.get_organization(request.user, data.pop("parent"), field="parent")
        org = services.move_organization(
            actor=request.user, organization=org, new_parent=new_parent, expected_version=expected
        )
        expected = None  # checked by the first write
    if data:
        org = services.update_organization(
            actor=request.user,
            organization=org,
            name=data.get("name"),
            short_name=data.get("short_name"),
            public_contact=data.get("public_contact"),
            code=data.get("code"),
            type_code=data.get("type"),
            area_code=data.get("area"),
            is_active=data.get("is_active"),
            expected_version=expected,
        )
    org = queries.get_organization(request.user, org.pk)
    versions.tag(response, org, services.AUDITED_ORG_FIELDS)
    return org
