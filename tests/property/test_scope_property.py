"""No user ever sees outside the subtrees granted — checked on random trees and random grants.

The expected set is computed in Python from parent links (organization → parent, area →
parent), never from materialized paths, and compared with `visible()` and with the API.
Each hypothesis example runs in its own savepoint that is rolled back, so examples never see
one another's rows (pytest's function fixtures are not reset between examples).
"""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danvan.accounts.actions import allows
from danvan.accounts.models import Role
from danvan.accounts.scope import visible
from danvan.accounts.services import create_token
from danvan.org.models import Organization

from ..conftest import login
from ..factories import AreaFactory, OrganizationFactory, UserFactory, grant

# A small area forest: two provinces, each with two communes; one commune has a hamlet.
# Index -> parent index (None for a province).
AREA_PARENTS = {0: None, 1: None, 2: 0, 3: 0, 4: 1, 5: 1, 6: 2}
ROLE_CODES = ["administrator", "commission_officer", "leader", "viewer", "case_handler"]
ACTIONS = [None, "org.manage", "accounts.manage_grants", "audit.view"]


@dataclass
class Scenario:
    parents: list[int | None]  # organization i's parent index (always < i) or None
    org_areas: list[int]  # organization i's area index
    grants: list[tuple[str, int, str]]  # ("org" | "area", node index, role code)
    use_token: bool


@st.composite
def scenarios(draw):
    n = draw(st.integers(min_value=1, max_value=25))
    parents: list[int | None] = [None]
    for i in range(1, n):
        parents.append(draw(st.none() | st.integers(min_value=0, max_value=i - 1)))
    org_areas = [draw(st.sampled_from(sorted(AREA_PARENTS))) for _ in range(n)]
    node = st.one_of(
        st.tuples(st.just("org"), st.integers(min_value=0, max_value=n - 1)),
        st.tuples(st.just("area"), st.sampled_from(sorted(AREA_PARENTS))),
    )
    grants = draw(
        st.lists(
            st.tuples(node, st.sampled_from(ROLE_CODES)).map(lambda t: (*t[0], t[1])),
            max_size=4,
            unique_by=lambda g: g,
        )
    )
    return Scenario(parents, org_areas, grants, draw(st.booleans()))


def _ancestors(index: int, parent_of: dict) -> set[int]:
    """index itself and every ancestor, following parent links."""
    chain = set()
    while index is not None:
        chain.add(index)
        index = parent_of[index]
    return chain


def expected_visible(s: Scenario, role_actions: dict, action: str | None) -> set[int]:
    org_parent = dict(enumerate(s.parents))
    seen = set()
    for kind, node, role in s.grants:
        if action is not None and not allows(role_actions[role], action):
            continue
        for i in range(len(s.parents)):
            if kind == "org" and node in _ancestors(i, org_parent):
                seen.add(i)
            if kind == "area" and node in _ancestors(s.org_areas[i], AREA_PARENTS):
                seen.add(i)
    return seen


@pytest.fixture
def areas(db):
    """The test areas never change, so they are made once per test, outside the examples."""
    made = {}
    for i, parent in AREA_PARENTS.items():
        made[i] = AreaFactory(parent=made[parent] if parent is not None else None)
    return made


def build(s: Scenario, areas: dict):
    orgs = []
    for i, parent in enumerate(s.parents):
        parent_obj = orgs[parent] if parent is not None else None
        orgs.append(OrganizationFactory(parent=parent_obj, area=areas[s.org_areas[i]]))
    user = UserFactory()
    for kind, node, role in s.grants:
        grant(user, role, orgs[node] if kind == "org" else areas[node])
    return orgs, user


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(s=scenarios())
def test_users_see_exactly_the_organizations_in_granted_subtrees(areas, s):
    role_actions = dict(Role.objects.values_list("code", "actions"))
    with transaction.atomic():
        assert not Organization.objects.exists(), "an earlier example leaked rows"
        orgs, user = build(s, areas)
        pk_of = {i: o.pk for i, o in enumerate(orgs)}

        for action in ACTIONS:
            expected = {pk_of[i] for i in expected_visible(s, role_actions, action)}
            got = set(
                visible(user, Organization.objects.all(), action=action).values_list(
                    "pk", flat=True
                )
            )
            assert got == expected, (action, s)

        expected = {pk_of[i] for i in expected_visible(s, role_actions, None)}
        client = Client()
        headers = {}
        if s.use_token:
            _token, raw = create_token(actor=user, user=user, name="property")
            headers["Authorization"] = f"Bearer {raw}"
        else:
            login(user, client)
        response = client.get("/api/v1/organizations?limit=500", headers=headers)
        assert response.status_code == 200, response.content
        body = response.json()
        assert {item["id"] for item in body["items"]} == expected
        assert body["count"] == len(expected)
        # The parent the API reports is the one we built.
        for item in body["items"]:
            i = next(k for k, pk in pk_of.items() if pk == item["id"])
            parent = s.parents[i]
            assert item["parent_id"] == (pk_of[parent] if parent is not None else None)

        transaction.set_rollback(True)


@st.composite
def moves(draw):
    """A random tree, then random re-parentings (some invalid: under itself or a descendant)."""
    n = draw(st.integers(min_value=2, max_value=15))
    parents: list[int | None] = [None]
    for i in range(1, n):
        parents.append(draw(st.none() | st.integers(min_value=0, max_value=i - 1)))
    steps = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=n - 1),
                st.none() | st.integers(min_value=0, max_value=n - 1),
            ),
            min_size=1,
            max_size=6,
        )
    )
    granted = draw(st.integers(min_value=0, max_value=n - 1))
    return parents, steps, granted


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=moves())
def test_moves_keep_paths_in_step_with_parent_links(areas, case):
    from danvan.org.services import OrgError, move_organization

    parents, steps, granted = case
    with transaction.atomic():
        orgs, _user = build(Scenario(parents, [0] * len(parents), [], False), areas)
        root_user = UserFactory(is_superuser=True)
        viewer = UserFactory()
        grant(viewer, "viewer", orgs[granted])
        parent_of = dict(enumerate(parents))
        pk_of = {i: o.pk for i, o in enumerate(orgs)}
        for node, new_parent in steps:
            invalid = new_parent is not None and new_parent in _descendants(node, parent_of)
            target = (
                Organization.objects.get(pk=pk_of[new_parent]) if new_parent is not None else None
            )
            if invalid:
                with pytest.raises(OrgError):
                    move_organization(
                        actor=root_user,
                        organization=Organization.objects.get(pk=pk_of[node]),
                        new_parent=target,
                    )
            else:
                move_organization(
                    actor=root_user,
                    organization=Organization.objects.get(pk=pk_of[node]),
                    new_parent=target,
                )
                parent_of[node] = new_parent

        assert Organization.objects.find_problems() == ([], [], [], [], [])
        for i in parent_of:
            org = Organization.objects.get(pk=pk_of[i])
            parent = Organization.objects.get_parent(org) if org.depth > 1 else None
            assert (parent.pk if parent else None) == (
                pk_of[parent_of[i]] if parent_of[i] is not None else None
            )
            under = set(Organization.objects.under(org).values_list("pk", flat=True))
            assert under == {pk_of[k] for k in _descendants(i, parent_of)}
        expected = {pk_of[k] for k in _descendants(granted, parent_of)}
        assert set(visible(viewer, Organization.objects.all()).values_list("pk", flat=True)) == (
            expected
        )
        transaction.set_rollback(True)


def _descendants(index: int, parent_of: dict) -> set[int]:
    return {i for i in parent_of if index in _ancestors(i, parent_of)}
