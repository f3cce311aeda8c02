"""Writes on organizations: create, update, move. Happy path, permission edge, bad input."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from danvan.audit.models import AuditEvent
from danvan.core.errors import Conflict, DomainError, NotFound
from danvan.org.models import Area, Organization
from danvan.org.services import (
    OrgError,
    create_organization,
    move_organization,
    organization_by_code,
    update_organization,
)

from ..factories import OrganizationFactory, UserFactory, grant


class Unchanged:
    """Asserts that a block wrote no organization and no audit event, and moved no path."""

    def __enter__(self):
        self.state = self._state()
        return self

    def __exit__(self, *exc):
        assert self._state() == self.state
        return False

    @staticmethod
    def _state():
        return (
            list(
                Organization.objects.order_by("pk").values_list(
                    "pk", "code", "name", "path", "area_id", "type_id", "is_active", "numchild"
                )
            ),
            AuditEvent.objects.count(),
        )


def _last_event():
    return AuditEvent.objects.order_by("-id").first()


@pytest.fixture
def area_officer(hanoi_ward):
    """Commission officer granted on the Ba Đình ward area (not on an organization)."""
    user = UserFactory(username="dung")
    grant(user, "commission_officer", hanoi_ward)
    return user


# --- create --------------------------------------------------------------------------------


def test_superuser_creates_a_root_organization_in_an_area(superuser, hanoi):
    events = AuditEvent.objects.count()
    org = create_organization(
        actor=superuser,
        code="hn-mttq",
        name="  Ủy ban MTTQ   Việt Nam thành phố Hà Nội ",
        type_code="fatherland-front",
        area_code="01",
    )
    assert org.is_root()
    assert org.name == "Ủy ban MTTQ Việt Nam thành phố Hà Nội"
    assert org.area == hanoi
    assert org.search_name.startswith("uy ban mttq viet nam")
    assert AuditEvent.objects.count() == events + 1
    event = _last_event()
    assert (event.action, event.actor, event.object_type, event.object_id) == (
        "org.create",
        superuser,
        "org.organization",
        str(org.pk),
    )
    assert event.changes["code"] == [None, "hn-mttq"]
    assert event.changes["area_id"] == [None, hanoi.pk]
    assert event.changes["path"] == [None, org.path]


def test_officer_creates_a_child_under_the_granted_organization(alice, tree):
    events = AuditEvent.objects.count()
    org = create_organization(
        actor=alice,
        code="bd-doan",
        name="Đoàn Thanh niên phường Ba Đình",
        type_code="youth-union",
        area_code="00004",
        parent=tree["ward"],
    )
    assert Organization.objects.get_parent(org) == tree["ward"]
    assert org.path.startswith(tree["ward"].path)
    assert AuditEvent.objects.count() == events + 1
    assert _last_event().actor == alice


def test_create_by_parent_code(alice, tree):
    org = create_organization(
        actor=alice,
        code="bd-cbx",
        name="Hội Cựu chiến binh",
        type_code="veterans-association",
        area_code="00004",
        parent_code="bd-du",
    )
    assert Organization.objects.get_parent(org) == tree["ward"]


def test_area_grant_lets_an_officer_create_roots_in_that_area_only(area_officer, hanoi_ward):
    org = create_organization(
        actor=area_officer,
        code="bd-root",
        name="Ban Dân vận phường Ba Đình",
        type_code="party-committee",
        area_code=hanoi_ward.code,
    )
    assert org.is_root() and org.area == hanoi_ward
    with Unchanged(), pytest.raises(PermissionDenied):
        create_organization(
            actor=area_officer,
            code="elsewhere",
            name="Ban khác",
            type_code="party-committee",
            area_code="00008",
        )


@pytest.mark.parametrize("who", ["alice", "bob", "charlie_area"])
def test_create_without_org_manage_over_the_parent_is_denied(request, tree, who, hanoi):
    if who == "charlie_area":
        user = request.getfixturevalue("charlie")
        grant(user, "viewer", hanoi)  # sees, but may not manage
        parent = tree["city"]
    else:
        user = request.getfixturevalue(who)
        parent = tree["city"] if who == "alice" else tree["ward"]
    with Unchanged(), pytest.raises(PermissionDenied):
        create_organization(
            actor=user,
            code="new-one",
            name="Tổ chức mới",
            type_code="womens-union",
            area_code="00004",
            parent=parent,
        )


def test_create_root_needs_an_area_grant(alice):
    with Unchanged(), pytest.raises(PermissionDenied):
        create_organization(
            actor=alice, code="root-x", name="Gốc", type_code="womens-union", area_code="00004"
        )


def test_parent_code_outside_the_users_scope_is_not_found(charlie, tree):
    with Unchanged(), pytest.raises(NotFound):
        create_organization(
            actor=charlie,
            code="x1",
            name="Tổ chức",
            type_code="womens-union",
            area_code="00004",
            parent_code="bd-du",
        )


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"area_code": "99999"}, OrgError, "area"),
        ({"area_code": ""}, OrgError, "area"),
        ({"type_code": "no-such-type"}, OrgError, "type"),
        ({"code": "bd-du"}, Conflict, "code"),
        ({"name": ""}, OrgError, "name"),
        ({"name": "   \t "}, OrgError, "name"),
        ({"name": "x" * 256}, OrgError, "name"),
        ({"code": ""}, OrgError, "code"),
        ({"code": "có dấu"}, OrgError, "code"),
        ({"code": "a/b"}, OrgError, "code"),
        ({"code": "a b"}, OrgError, "code"),
        ({"code": "x" * 61}, OrgError, "code"),
    ],
)
def test_create_bad_input_raises_with_field_and_writes_nothing(
    superuser, tree, changes, error, field
):
    kwargs = {
        "code": "fresh-code",
        "name": "Tổ chức mới",
        "type_code": "womens-union",
        "area_code": "00004",
        "parent": tree["ward"],
        **changes,
    }
    with Unchanged(), pytest.raises(error) as exc:
        create_organization(actor=superuser, **kwargs)
    assert isinstance(exc.value, DomainError)
    assert exc.value.field == field
    assert str(exc.value.message)


def test_create_uses_current_areas_only(superuser):
    # "00004" is both a 2025 ward and a 2024 ward; a new organization lands in the current one.
    org = create_organization(
        actor=superuser, code="cur", name="Hiện hành", type_code="womens-union", area_code="00004"
    )
    assert org.area.structure == "2025"
    with Unchanged(), pytest.raises(OrgError):
        # District code 001 exists only in the 2024 structure.
        create_organization(
            actor=superuser, code="old", name="Cũ", type_code="womens-union", area_code="001"
        )


# --- update --------------------------------------------------------------------------------


def test_update_renames_and_records_before_and_after(alice, tree):
    union = tree["union"]
    events = AuditEvent.objects.count()
    org = update_organization(
        actor=alice, organization=union, name="Hội Phụ nữ phường Ba Đình", short_name="HPN BĐ"
    )
    org.refresh_from_db()
    assert (org.name, org.short_name) == ("Hội Phụ nữ phường Ba Đình", "HPN BĐ")
    assert AuditEvent.objects.count() == events + 1
    event = _last_event()
    assert event.action == "org.update"
    assert event.changes == {
        "name": ["Hội Liên hiệp Phụ nữ phường Ba Đình", "Hội Phụ nữ phường Ba Đình"],
        "short_name": ["", "HPN BĐ"],
    }
    assert Organization.objects.search("hpn bd").get() == org


def test_update_code_type_area_and_active(superuser, tree):
    org = update_organization(
        actor=superuser,
        organization=tree["union"],
        code="bd-hpn",
        type_code="youth-union",
        area_code="00008",
        is_active=False,
    )
    org.refresh_from_db()
    assert (org.code, org.type.code, org.area.code, org.is_active) == (
        "bd-hpn",
        "youth-union",
        "00008",
        False,
    )
    assert set(_last_event().changes) == {"code", "type_id", "area_id", "is_active"}


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"name": " "}, OrgError, "name"),
        ({"code": "hn-tu"}, Conflict, "code"),
        ({"code": "bad code"}, OrgError, "code"),
        ({"type_code": "nope"}, OrgError, "type"),
        ({"area_code": "12345678"}, OrgError, "area"),
    ],
)
def test_update_bad_input_changes_nothing(alice, tree, changes, error, field):
    with Unchanged(), pytest.raises(error) as exc:
        update_organization(actor=alice, organization=tree["union"], **changes)
    assert exc.value.field == field


def test_update_by_a_viewer_or_outsider_is_denied(bob, charlie, alice, tree):
    for user, org in ((bob, tree["union"]), (charlie, tree["union"]), (alice, tree["other"])):
        with Unchanged(), pytest.raises(PermissionDenied):
            update_organization(actor=user, organization=org, name="Đổi tên")


def test_update_that_moves_out_of_the_users_area_is_rolled_back(area_officer, tree):
    # Permitted through an area grant on Ba Đình; moving the union to another ward would put it
    # out of reach, so the service re-checks after the write and undoes it.
    assert update_organization(actor=area_officer, organization=tree["union"], name="Hội mới")
    with Unchanged(), pytest.raises(PermissionDenied):
        update_organization(actor=area_officer, organization=tree["union"], area_code="00008")


# --- move ----------------------------------------------------------------------------------


def test_move_takes_the_whole_subtree(superuser, tree):
    ward, union, other = tree["ward"], tree["union"], tree["other"]
    cell = OrganizationFactory(code="bd-chi-hoi", parent=union, area=union.area)
    events = AuditEvent.objects.count()

    moved = move_organization(actor=superuser, organization=ward, new_parent=other)

    ward, union, cell = (Organization.objects.get(pk=o.pk) for o in (ward, union, cell))
    other.refresh_from_db()
    assert moved.pk == ward.pk
    assert Organization.objects.get_parent(ward) == other
    assert ward.path.startswith(other.path) and ward.depth == other.depth + 1
    assert Organization.objects.get_parent(union) == ward
    assert Organization.objects.get_parent(cell) == Organization.objects.get(pk=union.pk)
    assert (union.depth, cell.depth) == (ward.depth + 1, ward.depth + 2)
    assert set(Organization.objects.under(other)) == {other, ward, union, cell}
    assert set(Organization.objects.under(tree["city"])) == {tree["city"], other, ward, union, cell}
    assert other.numchild == 1
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    assert AuditEvent.objects.count() == events + 1
    event = _last_event()
    assert event.action == "org.move"
    assert event.changes == {"path": [tree["ward"].path, ward.path]}


@pytest.mark.parametrize(
    ("target", "under"), [("ward", "ward"), ("ward", "union"), ("city", "union")]
)
def test_move_under_itself_or_a_descendant_is_refused(superuser, tree, target, under):
    with Unchanged(), translation.override("en"), pytest.raises(OrgError) as exc:
        move_organization(actor=superuser, organization=tree[target], new_parent=tree[under])
    assert "cannot be placed under itself" in str(exc.value.message)
    assert exc.value.field == "parent"


def test_move_to_a_sibling_with_a_shared_path_prefix_is_allowed(superuser, db, hanoi):
    # Paths 0001 and 00010001... — a naive startswith on the parent must not confuse siblings.
    a = OrganizationFactory(area=hanoi)
    b = OrganizationFactory(area=hanoi)
    moved = move_organization(actor=superuser, organization=b, new_parent=a)
    assert Organization.objects.get_parent(moved) == Organization.objects.get(pk=a.pk)


def test_move_needs_org_manage_on_both_ends(alice, tree):
    union, other = tree["union"], tree["other"]
    with Unchanged(), pytest.raises(PermissionDenied):
        move_organization(actor=alice, organization=union, new_parent=other)
    with Unchanged(), pytest.raises(PermissionDenied):
        move_organization(actor=alice, organization=other, new_parent=tree["ward"])


def test_move_to_the_current_parent_changes_nothing(superuser, tree):
    with Unchanged():
        move_organization(actor=superuser, organization=tree["union"], new_parent=tree["ward"])


def test_move_to_the_top_level(superuser, tree):
    ward = move_organization(actor=superuser, organization=tree["ward"], new_parent=None)
    assert ward.is_root()
    assert set(Organization.objects.under(ward)) == {
        ward,
        Organization.objects.get(code="bd-hlhpn"),
    }
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    assert _last_event().action == "org.move"


def test_organization_by_code_hides_what_the_user_cannot_see(alice, tree):
    assert organization_by_code(alice, "bd-hlhpn") == tree["union"]
    with pytest.raises(NotFound) as exc:
        organization_by_code(alice, "hn-tu")
    assert exc.value.field == "code"
    with pytest.raises(NotFound):
        organization_by_code(alice, "does-not-exist")


def test_area_rows_are_untouched_by_organization_writes(superuser, tree):
    before = Area.objects.count()
    update_organization(actor=superuser, organization=tree["union"], area_code="00008")
    assert Area.objects.count() == before


def test_create_under_a_stale_parent_object(superuser, tree):
    # The caller's parent object may be out of date (another request added a child since):
    # the service must place the new child after the real last child, not clash with it.
    stale = Organization.objects.get(pk=tree["union"].pk)
    first = create_organization(
        actor=superuser,
        code="c1",
        name="Chi hội 1",
        type_code="womens-union",
        area_code="00004",
        parent_code="bd-hlhpn",
    )
    second = create_organization(
        actor=superuser,
        code="c2",
        name="Chi hội 2",
        type_code="womens-union",
        area_code="00004",
        parent=stale,
    )
    union = Organization.objects.get(pk=tree["union"].pk)
    assert list(Organization.objects.get_children(union)) == [first, second]
    assert union.numchild == 2


def test_move_under_a_stale_parent_object(superuser, tree):
    stale_other = Organization.objects.get(pk=tree["other"].pk)
    OrganizationFactory(code="o-child", parent=Organization.objects.get(pk=tree["other"].pk))
    moved = move_organization(actor=superuser, organization=tree["union"], new_parent=stale_other)
    other = Organization.objects.get(pk=tree["other"].pk)
    assert Organization.objects.get_parent(moved) == other
    assert other.numchild == 2
    assert Organization.objects.find_problems() == ([], [], [], [], [])
