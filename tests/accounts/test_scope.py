"""The scope choke point: who sees which rows, and who may act on them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from danvan.accounts.actions import allows
from danvan.accounts.models import Grant, Role
from danvan.accounts.scope import _grants_of, can, forget, get_visible, require, visible
from danvan.core.errors import NotFound
from danvan.org.models import Area, Organization, OrganizationType

from ..factories import OrganizationFactory, UserFactory, grant

ALL = {"hn-tu", "bd-du", "bd-hlhpn", "other-du"}


def codes(user, **kwargs):
    return set(visible(user, Organization.objects.all(), **kwargs).values_list("code", flat=True))


def test_superuser_sees_and_may_do_everything(superuser, tree, hanoi):
    assert codes(superuser) == ALL
    assert codes(superuser, action="org.manage") == ALL
    assert can(superuser, "voices.handle", tree["city"])  # any action (unknown codes raise)
    assert can(superuser, "org.manage", hanoi)


def test_org_grant_covers_the_organizations_subtree(alice, bob, tree):
    assert codes(alice) == {"bd-du", "bd-hlhpn"}
    assert codes(bob) == {"bd-du", "bd-hlhpn"}
    assert can(alice, None, tree["union"])
    assert not can(alice, None, tree["city"])
    assert not can(alice, None, tree["other"])


def test_actions_narrow_what_a_user_may_do(alice, bob, tree):
    assert codes(alice, action="org.manage") == {"bd-du", "bd-hlhpn"}
    assert codes(bob, action="org.manage") == set()
    assert codes(alice, action="accounts.manage_grants") == set()
    assert can(alice, "org.manage", tree["union"])
    assert not can(bob, "org.manage", tree["union"])
    require(alice, "org.manage", tree["ward"])
    with pytest.raises(PermissionDenied):
        require(bob, "org.manage", tree["ward"])
    with pytest.raises(PermissionDenied):
        require(alice, "org.manage", tree["city"])


def test_area_grant_covers_organizations_located_under_the_area(tree, hanoi, hanoi_ward):
    ward_viewer = UserFactory(username="ward-viewer")
    grant(ward_viewer, "viewer", hanoi_ward)
    city_viewer = UserFactory(username="city-viewer")
    grant(city_viewer, "viewer", hanoi)
    assert codes(ward_viewer) == {"bd-du", "bd-hlhpn"}
    assert codes(city_viewer) == ALL
    assert can(ward_viewer, None, tree["union"])
    assert not can(ward_viewer, None, tree["city"])


def test_area_grant_in_another_structure_or_province_covers_nothing(tree):
    old_hanoi = Area.objects.get(structure="2024", level="province", code="01")
    saigon = Area.objects.get(structure="2025", level="province", code="79")
    user = UserFactory(username="elsewhere")
    grant(user, "administrator", old_hanoi)
    grant(user, "administrator", saigon)
    assert codes(user) == set()
    assert not can(user, "org.manage", tree["city"])


def test_area_grant_does_not_leak_into_a_neighbouring_path_prefix(db):
    # Test provinces T.. get consecutive paths; a grant on one must not cover the next.
    from ..factories import AreaFactory

    first, second = AreaFactory(), AreaFactory()
    in_first = OrganizationFactory(area=first)
    in_second = OrganizationFactory(area=second)
    user = UserFactory()
    grant(user, "viewer", first)
    assert set(visible(user, Organization.objects.all())) == {in_first}
    assert not can(user, None, in_second)


def test_inactive_and_anonymous_users_see_nothing(tree, hanoi):
    inactive = UserFactory(username="inactive", is_active=False, is_superuser=True)
    grant(inactive, "administrator", hanoi)
    for user in (inactive, AnonymousUser(), None):
        assert not visible(user, Organization.objects.all()).exists()
        assert not visible(user, Area.objects.all()).exists()
        assert not can(user, None, tree["city"])
        assert not can(user, None, hanoi)
        with pytest.raises(PermissionDenied):
            require(user, "org.manage", tree["city"])


def test_areas_are_public_to_read_but_writes_need_a_covering_grant(charlie, alice, hanoi):
    hanoi_ward = Area.objects.get(structure="2025", level="commune", code="00004")
    assert visible(charlie, Area.objects.all()).count() == Area.objects.count()
    assert can(charlie, None, hanoi)
    assert not can(charlie, "org.manage", hanoi)
    # An organization grant says nothing about areas.
    assert not can(alice, "org.manage", hanoi_ward)
    assert not visible(alice, Area.objects.all(), action="org.manage").exists()
    officer = UserFactory(username="officer")
    grant(officer, "commission_officer", hanoi_ward)
    assert can(officer, "org.manage", hanoi_ward)
    assert not can(officer, "org.manage", hanoi)
    assert set(visible(officer, Area.objects.all(), action="org.manage")) == {hanoi_ward}
    assert not can(officer, "accounts.manage_grants", hanoi_ward)


def test_get_visible_never_tells_hidden_from_missing(alice, tree):
    assert get_visible(alice, Organization.objects, code="bd-du") == tree["ward"]
    errors = []
    for lookup in ({"code": "hn-tu"}, {"code": "no-such"}, {"pk": "not-a-number"}):
        with pytest.raises(NotFound) as exc:
            get_visible(alice, Organization.objects, **lookup)
        errors.append(exc.value.as_dict())
    assert errors[0] == errors[1] == errors[2]
    assert errors[0]["code"] == "not_found"


def test_grants_rows_are_scoped_too(alice, bob, charlie, tree):
    admin = UserFactory(username="admin-ward")
    grant(admin, "administrator", tree["ward"])
    outside = grant(UserFactory(username="city"), "viewer", tree["city"])
    seen = set(visible(admin, Grant.objects.all()))
    assert set(Grant.objects.filter(user__in=[alice, bob, admin])) <= seen
    assert outside not in seen
    assert not visible(charlie, Grant.objects.all()).exists()


def test_models_without_a_scope_cannot_be_filtered(alice):
    with pytest.raises(TypeError, match="declares no scope"):
        visible(alice, OrganizationType.objects.all())
    with pytest.raises(TypeError):
        visible(alice, Role.objects.all())


def test_grants_are_cached_until_forgotten(charlie, tree):
    assert _grants_of(charlie) == []
    grant(charlie, "viewer", tree["other"])
    assert codes(charlie) == set()  # still the cached, empty list
    forget(charlie)
    assert codes(charlie) == {"other-du"}
    forget(charlie)
    forget(charlie)  # forgetting twice is harmless


@pytest.mark.parametrize(
    ("granted", "action", "expected"),
    [
        (["*"], "org.manage", True),
        (["org.*"], "org.manage", True),
        (["org.*"], "accounts.manage_grants", False),
        (["org.manage"], "org.manage", True),
        (["org.manage"], "org.manager", False),
        (["org.manage"], "org", False),
        ([], "org.manage", False),
        (["audit.view"], "org.manage", False),
    ],
)
def test_allows(granted, action, expected):
    assert allows(granted, action) is expected


def test_default_roles_are_seeded(db):
    roles = dict(Role.objects.values_list("code", "actions"))
    assert roles["administrator"] == ["*"]
    assert "org.manage" in roles["commission_officer"]
    assert roles["viewer"] == []
