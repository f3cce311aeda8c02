"""The current user, roles and grants over /api/v1/."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from danvan.core.errors import DomainError, NotFound
from danvan.core.pagination import Pagination

from . import queries, services
from .models import Grant, Role

router = Router(tags=["access"])


class RoleOut(Schema):
    code: str
    name: str
    name_en: str
    actions: list[str]


class NodeRef(Schema):
    id: int
    code: str
    name: str


class GrantOut(Schema):
    id: int
    username: str = Field(..., alias="user.username")
    role: str = Field(..., alias="role.code")
    organization: NodeRef | None
    area: NodeRef | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    language: str
    is_superuser: bool
    grants: list[GrantOut]


class MePatch(Schema):
    language: str = Field(
        ..., max_length=10, description="One of: " + ", ".join(c for c, _n in settings.LANGUAGES)
    )


def _me(user) -> dict:
    grants = Grant.objects.filter(user=user).select_related("user", "role", "organization", "area")
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.get_full_name(),
        "email": user.email,
        "language": user.language or settings.LANGUAGE_CODE,
        "is_superuser": user.is_superuser,
        "grants": list(grants),
    }


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    return _me(request.user)


@router.patch("/me", response=MeOut)
def update_me(request: HttpRequest, payload: MePatch):
    services.set_language(actor=request.user, user=request.user, language=payload.language)
    return _me(request.user)


@router.get("/roles", response=list[RoleOut])
def list_roles(request: HttpRequest):
    return Role.objects.all()


@router.get("/grants", response=list[GrantOut])
@paginate(Pagination)
def list_grants(request: HttpRequest):
    return (
        services.grants_visible_to(request.user)
        .select_related("user", "role", "organization", "area")
        .order_by("id")
    )


class GrantIn(Schema):
    username: str = Field(..., max_length=150)
    role: str = Field(..., max_length=40)
    organization: int | None = None
    area: int | None = None


@router.post("/grants", response={201: GrantOut})
def create_grant(request: HttpRequest, payload: GrantIn):
    if (payload.organization is None) == (payload.area is None):
        raise DomainError(_("Give exactly one of organization or area."), field="organization")
    organization = area = None
    if payload.organization is not None:
        organization = queries.grant_node(request.user, "organization", payload.organization)
    else:
        area = queries.grant_node(request.user, "area", payload.area)
    grant = services.grant_role(
        actor=request.user,
        username=payload.username,
        role_code=payload.role,
        organization=organization,
        area=area,
    )
    return Status(201, grant)


@router.delete("/grants/{grant_id}", response={204: None})
def delete_grant(request: HttpRequest, grant_id: int):
    grant = services.grants_visible_to(request.user).filter(pk=grant_id).first()
    if grant is None:
        raise NotFound(_("Not found."))
    services.revoke_grant(actor=request.user, grant=grant)
    return Status(204, None)
