"""Who sees a citizen's identity, on random grants: `reveal_identity` answers exactly when the
user holds the identity action on a node covering the petition's unit, computed here from
parent links (never from materialized paths); lists and searches never carry a name.

Each example runs in a savepoint that is rolled back, as in tests/property."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danvan.accounts.models import Role
from danvan.audit.models import AuditEvent
from danvan.core.errors import NotFound
from danvan.org.models import Area, Organization
from danvan.voices import queries, services

from ..factories import UserFactory, grant
from .conftest import CITIZEN, FRIDAY_BEFORE_TET

ORG_PARENT = {"city": None, "ward": "city", "union": "ward", "other": "city"}
ORG_AREA = {"city": "hanoi", "ward": "hanoi_ward", "union": "hanoi_ward", "other": "other_ward"}
AREA_PARENT = {"hanoi": None, "hanoi_ward": "hanoi", "other_ward": "hanoi"}
EXTRA_ROLES = {
    "p-denouncer": ["voices.view_denouncer"],
    "p-identity": ["voices.view_identity"],
    "p-voices-all": ["voices.*"],
    "p-handler-only": ["voices.handle", "voices.intake"],
}
ROLES = [
    "administrator",
    "commission_officer",
    "case_handler",
    "leader",
    "viewer",
    *EXTRA_ROLES,
]
NODES = [("org", name) for name in ORG_PARENT] + [("area", name) for name in AREA_PARENT]


def chain(node: str | None, parent_of: dict) -> set[str]:
    found = set()
    while node is not None:
        found.add(node)
        node = parent_of[node]
    return found


def holds(actions: list[str], kind: str) -> bool:
    if kind == "denunciation":
        return "voices.view_denouncer" in actions  # by name only, never by a wildcard
    return "voices.view_identity" in actions  # likewise


def expected(unit: str, kind: str, grants, role_actions) -> bool:
    for (node_kind, node), role_code in grants:
        if not holds(role_actions[role_code], kind):
            continue
        if node_kind == "org" and node in chain(unit, ORG_PARENT):
            return True
        if node_kind == "area" and node in chain(ORG_AREA[unit], AREA_PARENT):
            return True
    return False


@pytest.fixture
def world(tree, hanoi, hanoi_ward, superuser):
    other_ward = Area.objects.get(structure="2025", level="commune", code="00008")
    areas = {"hanoi": hanoi, "hanoi_ward": hanoi_ward, "other_ward": other_ward}
    # The parent links this test reasons with are the real ones.
    for name, parent in AREA_PARENT.items():
        got = Area.objects.get_parent(areas[name])
        assert (got.pk if got else None) == (areas[parent].pk if parent else None)
    for name, parent in ORG_PARENT.items():
        got = Organization.objects.get_parent(tree[name])
        assert (got.pk if got else None) == (tree[parent].pk if parent else None)
        assert tree[name].area_id == areas[ORG_AREA[name]].pk
    for code, actions in EXTRA_ROLES.items():
        Role.objects.create(code=code, name=code, actions=actions)
    role_actions = dict(Role.objects.values_list("code", "actions"))
    return {"orgs": tree, "areas": areas, "roles": role_actions, "intake": superuser}


scenarios = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(sorted(ORG_PARENT)),
        "kind": st.sampled_from(["complaint", "denunciation", "recommendation"]),
        "grants": st.lists(
            st.tuples(st.sampled_from(NODES), st.sampled_from(ROLES)),
            max_size=4,
            unique=True,
        ),
        "superuser": st.booleans(),
    }
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(s=scenarios)
def test_identity_is_revealed_exactly_to_holders_covering_the_unit(world, s):
    with transaction.atomic():
        unit = world["orgs"][s["unit"]]
        petition = services.receive_petition(
            actor=world["intake"],
            unit=unit,
            channel="online",
            received_on=FRIDAY_BEFORE_TET,
            area=unit.area,
            topic_code="officials",
            contents="Phản ánh cán bộ thu tiền không có biên lai.",
            matters=[{"kind": s["kind"], "summary": "Nội dung"}],
            citizens=[dict(CITIZEN)],
        )
        user = UserFactory(is_superuser=s["superuser"])
        for (node_kind, node), role_code in s["grants"]:
            target = world["orgs"][node] if node_kind == "org" else world["areas"][node]
            grant(user, role_code, target)

        should = expected(s["unit"], s["kind"], s["grants"], world["roles"])
        audits = AuditEvent.objects.count()
        if should:
            people = queries.reveal_identity(user, petition)
            assert [p["name"] for p in people] == [CITIZEN["name"]]
            assert AuditEvent.objects.count() == audits + 1
            logged = AuditEvent.objects.latest("pk")
            assert CITIZEN["name"] not in json.dumps(logged.changes, ensure_ascii=False)
        else:
            with pytest.raises(NotFound):
                queries.reveal_identity(user, petition)
            assert AuditEvent.objects.count() == audits

        assert not queries.matters(user, q=CITIZEN["name"]).exists()
        assert not queries.matters(user, q="Tran Van Khai").exists()
        listed = json.dumps(
            [*queries.petitions(user).values(), *queries.matters(user).values()],
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
        )
        assert CITIZEN["name"] not in listed and "Khai" not in listed
        transaction.set_rollback(True)
