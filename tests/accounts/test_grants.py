"""Granting and revoking roles: only holders of accounts.manage_grants over the node may."""

import pytest
from django.core.exceptions import PermissionDenied

from danvan.accounts.models import Grant
from danvan.accounts.scope import visible
from danvan.accounts.services import AccessError, grant_role, grants_visible_to, revoke_grant
from danvan.audit.models import AuditEvent
from danvan.core.errors import Conflict, NotFound
from danvan.org.models import Organization

from ..factories import UserFactory, grant


def _state():
    return (
        sorted(Grant.objects.values_list("user_id", "role_id", "organization_id", "area_id")),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def admin_of_ward(tree):
    """Administrator (every action) on the ward Party committee."""
    user = UserFactory(username="hoa")
    grant(user, "administrator", tree["ward"])
    return user


@pytest.fixture
def admin_of_hanoi(hanoi):
    """Administrator through an area grant on Hà Nội."""
    user = UserFactory(username="minh")
    grant(user, "administrator", hanoi)
    return user


def _codes(user):
    return set(visible(user, Organization.objects.all()).values_list("code", flat=True))


def test_administrator_grants_a_role_in_the_subtree(admin_of_ward, charlie, tree):
    events = AuditEvent.objects.count()
    g = grant_role(
        actor=admin_of_ward, username="charlie", role_code="viewer", organization=tree["union"]
    )
    assert (g.user, g.role.code, g.organization, g.area, g.granted_by) == (
        charlie,
        "viewer",
        tree["union"],
        None,
        admin_of_ward,
    )
    assert _codes(UserFactory._meta.model.objects.get(pk=charlie.pk)) == {"bd-hlhpn"}
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_type, event.object_id) == (
        "accounts.grant",
        "accounts.grant",
        str(g.pk),
    )
    assert event.changes["organization_id"] == [None, tree["union"].pk]


def test_area_administrator_grants_on_organizations_located_in_the_area(
    admin_of_hanoi, charlie, tree, hanoi_ward
):
    grant_role(
        actor=admin_of_hanoi, username="charlie", role_code="leader", organization=tree["city"]
    )
    grant_role(actor=admin_of_hanoi, username="charlie", role_code="viewer", area=hanoi_ward)
    assert Grant.objects.filter(user=charlie).count() == 2


def test_superuser_grants_anywhere(superuser, charlie, hanoi):
    g = grant_role(actor=superuser, username="charlie", role_code="administrator", area=hanoi)
    assert g.area == hanoi


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_without_manage_grants_the_grant_is_refused(request, tree, who):
    # alice is a commission officer (org.manage, audit.view) but may not hand out roles.
    user = request.getfixturevalue(who)
    before = _state()
    with pytest.raises(PermissionDenied):
        grant_role(actor=user, username="bob", role_code="administrator", organization=tree["ward"])
    assert _state() == before


def test_administrator_of_a_ward_cannot_grant_above_or_beside_it(admin_of_ward, tree, hanoi):
    before = _state()
    for node in ({"organization": tree["city"]}, {"organization": tree["other"]}, {"area": hanoi}):
        with pytest.raises(PermissionDenied):
            grant_role(actor=admin_of_ward, username="charlie", role_code="viewer", **node)
    assert _state() == before


def test_unknown_user_is_only_revealed_to_those_who_may_grant(admin_of_ward, alice, tree):
    before = _state()
    with pytest.raises(NotFound) as exc:
        grant_role(
            actor=admin_of_ward, username="nobody", role_code="viewer", organization=tree["ward"]
        )
    assert exc.value.field == "username"
    with pytest.raises(PermissionDenied):
        grant_role(actor=alice, username="nobody", role_code="viewer", organization=tree["ward"])
    assert _state() == before


def test_inactive_user_cannot_receive_a_role(admin_of_ward, tree):
    UserFactory(username="gone", is_active=False)
    before = _state()
    with pytest.raises(NotFound):
        grant_role(
            actor=admin_of_ward, username="gone", role_code="viewer", organization=tree["ward"]
        )
    assert _state() == before


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"role_code": "emperor"}, "role"),
        ({"role_code": ""}, "role"),
        ({"organization": None}, "node"),
        ({"area": "hanoi"}, "node"),  # both an organization and an area
    ],
)
def test_bad_grant_input(request, admin_of_ward, tree, kwargs, field):
    args = {"username": "charlie", "role_code": "viewer", "organization": tree["union"], **kwargs}
    if args.get("area") == "hanoi":
        args["area"] = request.getfixturevalue("hanoi")
    UserFactory(username="charlie")
    before = _state()
    with pytest.raises(AccessError) as exc:
        grant_role(actor=admin_of_ward, **args)
    assert exc.value.field == field
    assert _state() == before


def test_duplicate_grant_is_a_conflict(admin_of_ward, bob, tree):
    before = _state()
    with pytest.raises(Conflict) as exc:
        grant_role(
            actor=admin_of_ward, username="bob", role_code="viewer", organization=tree["ward"]
        )
    assert exc.value.field == "role"
    assert _state() == before
    # The same role on another node, or another role on the same node, is fine.
    grant_role(actor=admin_of_ward, username="bob", role_code="viewer", organization=tree["union"])
    grant_role(actor=admin_of_ward, username="bob", role_code="leader", organization=tree["ward"])


def test_revoke_removes_access_and_is_audited(admin_of_ward, bob, tree):
    g = Grant.objects.get(user=bob)
    events = AuditEvent.objects.count()
    revoke_grant(actor=admin_of_ward, grant=g)
    assert not Grant.objects.filter(pk=g.pk).exists()
    assert _codes(UserFactory._meta.model.objects.get(pk=bob.pk)) == set()
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "accounts.revoke"
    assert event.changes["role_id"] == [g.role_id, None]


def test_revoke_refused_outside_the_actors_subtree(admin_of_ward, alice, tree, hanoi):
    outside = grant(UserFactory(username="x"), "viewer", tree["city"])
    area_grant = grant(UserFactory(username="y"), "viewer", hanoi)
    own = Grant.objects.get(user=alice)
    before = _state()
    for g, actor in ((outside, admin_of_ward), (area_grant, admin_of_ward), (own, alice)):
        with pytest.raises(PermissionDenied):
            revoke_grant(actor=actor, grant=g)
    assert _state() == before


def test_grants_visible_to(admin_of_ward, alice, bob, charlie, tree, hanoi):
    stranger = grant(UserFactory(username="z"), "viewer", tree["other"])
    area_grant = grant(UserFactory(username="w"), "viewer", hanoi)
    mine = set(grants_visible_to(admin_of_ward))
    assert mine == set(Grant.objects.filter(user__in=[admin_of_ward, alice, bob]))
    assert stranger not in mine and area_grant not in mine
    # Without accounts.manage_grants, a user sees only their own grants.
    assert set(grants_visible_to(alice)) == set(Grant.objects.filter(user=alice))
    assert not grants_visible_to(charlie).exists()
    assert grants_visible_to(UserFactory(username="root2", is_superuser=True)).count() == (
        Grant.objects.count()
    )
