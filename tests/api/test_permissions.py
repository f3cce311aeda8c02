"""The permission table of /api/v1/ (pretix style): method, URL, user → expected status.

Outsiders get 404 for what lies outside their subtree (they never learn it exists), viewers
get 403 on writes, commission officers write in their subtree only, the superuser anywhere.
"""

import pytest

from danvan.accounts.models import Grant
from danvan.audit.models import AuditEvent
from danvan.org.models import Organization
from tests.factories import UserFactory, grant

from .conftest import ApiClient, token_for

ANON, ALICE, BOB, CHARLIE, DAVE, ROOT = "anon", "alice", "bob", "charlie", "dave", "root"


def everyone(status, anon=401):
    return {ANON: anon, ALICE: status, BOB: status, CHARLIE: status, DAVE: status, ROOT: status}


def new_org(parent, code="api-new", area="00004"):
    body = {"code": code, "name": "Chi hội Phụ nữ mới", "type": "womens-union", "area": area}
    if parent:
        body["parent"] = "{" + parent + "}"
    return body


# (method, url, body, {user: status}). "{ward}" etc. are replaced by the ids of the tree.
# alice: commission officer on the ward Party committee; bob: viewer there; charlie: no grant;
# dave: administrator on the ward (may manage grants there); root: superuser.
TABLE = [
    # Reference data: any signed-in user.
    ("GET", "areas", None, everyone(200)),
    ("GET", "areas/{hanoi}", None, everyone(200)),
    ("GET", "areas/{hanoi_ward}", None, everyone(200)),
    ("GET", "organization-types", None, everyone(200)),
    ("GET", "roles", None, everyone(200)),
    ("GET", "me", None, everyone(200)),
    ("PATCH", "me", {"language": "en"}, everyone(200)),
    ("GET", "grants", None, everyone(200)),
    ("GET", "organizations", None, everyone(200)),
    # Reading one organization.
    (
        "GET",
        "organizations/{ward}",
        None,
        {ANON: 401, ALICE: 200, BOB: 200, CHARLIE: 404, DAVE: 200, ROOT: 200},
    ),
    (
        "GET",
        "organizations/{union}",
        None,
        {ANON: 401, ALICE: 200, BOB: 200, CHARLIE: 404, DAVE: 200, ROOT: 200},
    ),
    (
        "GET",
        "organizations/{city}",
        None,
        {ANON: 401, ALICE: 404, BOB: 404, CHARLIE: 404, DAVE: 404, ROOT: 200},
    ),
    (
        "GET",
        "organizations/{other}",
        None,
        {ANON: 401, ALICE: 404, BOB: 404, CHARLIE: 404, DAVE: 404, ROOT: 200},
    ),
    # Creating an organization.
    (
        "POST",
        "organizations",
        new_org("ward"),
        {ANON: 401, ALICE: 201, BOB: 403, CHARLIE: 404, DAVE: 201, ROOT: 201},
    ),
    (
        "POST",
        "organizations",
        new_org("union"),
        {ANON: 401, ALICE: 201, BOB: 403, CHARLIE: 404, DAVE: 201, ROOT: 201},
    ),
    (
        "POST",
        "organizations",
        new_org("other", area="00008"),
        {ANON: 401, ALICE: 404, BOB: 404, CHARLIE: 404, DAVE: 404, ROOT: 201},
    ),
    (
        "POST",
        "organizations",
        new_org("city", area="01"),
        {ANON: 401, ALICE: 404, BOB: 404, CHARLIE: 404, DAVE: 404, ROOT: 201},
    ),
    # A root organization needs a grant on its area: none of the cast but root holds one.
    (
        "POST",
        "organizations",
        new_org(None),
        {ANON: 401, ALICE: 403, BOB: 403, CHARLIE: 403, DAVE: 403, ROOT: 201},
    ),
    # Changing an organization.
    (
        "PATCH",
        "organizations/{ward}",
        {"name": "Đảng ủy phường Ba Đình (mới)"},
        {ANON: 401, ALICE: 200, BOB: 403, CHARLIE: 404, DAVE: 200, ROOT: 200},
    ),
    (
        "PATCH",
        "organizations/{union}",
        {"is_active": False},
        {ANON: 401, ALICE: 200, BOB: 403, CHARLIE: 404, DAVE: 200, ROOT: 200},
    ),
    (
        "PATCH",
        "organizations/{other}",
        {"name": "Đổi tên"},
        {ANON: 401, ALICE: 404, BOB: 404, CHARLIE: 404, DAVE: 404, ROOT: 200},
    ),
    (
        "PATCH",
        "organizations/{city}",
        {"short_name": "TU"},
        {ANON: 401, ALICE: 404, BOB: 404, CHARLIE: 404, DAVE: 404, ROOT: 200},
    ),
    # Moving: both ends must be in the user's subtree.
    (
        "PATCH",
        "organizations/{union}",
        {"parent": "{other}"},
        {ANON: 401, ALICE: 404, BOB: 404, CHARLIE: 404, DAVE: 404, ROOT: 200},
    ),
    (
        "PATCH",
        "organizations/{other}",
        {"parent": "{ward}"},
        {ANON: 401, ALICE: 404, BOB: 404, CHARLIE: 404, DAVE: 404, ROOT: 200},
    ),
    # Moving an organization elsewhere in the user's subtree is allowed, or forbidden to viewers.
    (
        "PATCH",
        "organizations/{union2}",
        {"parent": "{union}"},
        {ANON: 401, ALICE: 200, BOB: 403, CHARLIE: 404, DAVE: 200, ROOT: 200},
    ),
    # Grants.
    (
        "POST",
        "grants",
        {"username": "charlie", "role": "viewer", "organization": "{ward}"},
        {ANON: 401, ALICE: 403, BOB: 403, CHARLIE: 404, DAVE: 201, ROOT: 201},
    ),
    (
        "POST",
        "grants",
        {"username": "charlie", "role": "viewer", "organization": "{union}"},
        {ANON: 401, ALICE: 403, BOB: 403, CHARLIE: 404, DAVE: 201, ROOT: 201},
    ),
    (
        "POST",
        "grants",
        {"username": "charlie", "role": "viewer", "organization": "{other}"},
        {ANON: 401, ALICE: 404, BOB: 404, CHARLIE: 404, DAVE: 404, ROOT: 201},
    ),
    (
        "POST",
        "grants",
        {"username": "charlie", "role": "viewer", "area": "{hanoi_ward}"},
        {ANON: 401, ALICE: 403, BOB: 403, CHARLIE: 403, DAVE: 403, ROOT: 201},
    ),
    (
        "DELETE",
        "grants/{bob_grant}",
        None,
        {ANON: 401, ALICE: 404, BOB: 403, CHARLIE: 404, DAVE: 204, ROOT: 204},
    ),
    (
        "DELETE",
        "grants/{other_grant}",
        None,
        {ANON: 401, ALICE: 404, BOB: 404, CHARLIE: 404, DAVE: 404, ROOT: 204},
    ),
    (
        "DELETE",
        "grants/{alice_grant}",
        None,
        {ANON: 401, ALICE: 403, BOB: 404, CHARLIE: 404, DAVE: 204, ROOT: 204},
    ),
]

# Every (method, path template) of the API must appear in the table.
ENDPOINTS = {
    ("GET", "/areas"),
    ("GET", "/areas/{area_id}"),
    ("GET", "/organization-types"),
    ("GET", "/organizations"),
    ("GET", "/organizations/{org_id}"),
    ("POST", "/organizations"),
    ("PATCH", "/organizations/{org_id}"),
    ("GET", "/me"),
    ("PATCH", "/me"),
    ("GET", "/roles"),
    ("GET", "/grants"),
    ("POST", "/grants"),
    ("DELETE", "/grants/{grant_id}"),
}


def _cases():
    for method, url, body, expected in TABLE:
        for user, status in expected.items():
            yield pytest.param(
                method, url, body, user, status, id=f"{method} {url} {user} {status}"
            )


@pytest.fixture
def cast(tree, alice, bob, charlie, superuser, hanoi, hanoi_ward):
    from tests.factories import OrganizationFactory

    dave = UserFactory(username="dave")
    grant(dave, "administrator", tree["ward"])
    other_officer = UserFactory(username="erin")
    union2 = OrganizationFactory(
        code="bd-cd", name="Công đoàn phường Ba Đình", area=hanoi_ward, parent=tree["ward"]
    )
    ids = {name: org.pk for name, org in tree.items()}
    ids.update(
        union2=union2.pk,
        hanoi=hanoi.pk,
        hanoi_ward=hanoi_ward.pk,
        bob_grant=Grant.objects.get(user=bob).pk,
        alice_grant=Grant.objects.get(user=alice).pk,
        other_grant=grant(other_officer, "viewer", tree["other"]).pk,
    )
    users = {ALICE: alice, BOB: bob, CHARLIE: charlie, DAVE: dave, ROOT: superuser, ANON: None}
    return ids, users


def _fill(value, ids):
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def _state():
    return (
        Organization.objects.count(),
        Grant.objects.count(),
        AuditEvent.objects.count(),
        list(
            Organization.objects.order_by("pk").values_list(
                "pk", "name", "short_name", "path", "is_active"
            )
        ),
    )


@pytest.mark.parametrize(("method", "url", "body", "user", "status"), list(_cases()))
def test_permission_table(cast, method, url, body, user, status):
    ids, users = cast
    client = ApiClient(token_for(users[user]) if users[user] else None)
    before = _state()
    response = client.request(method, url.format(**ids), _fill(body, ids))
    assert response.status_code == status, response.content[:400]
    assert response["Content-Type"].startswith("application/json") or status == 204
    if status >= 400:
        assert response.json()["message"]
        assert _state() == before, "a refused request wrote something"
    elif method != "GET":
        assert AuditEvent.objects.count() > before[2], "a write left no audit event"


def test_table_covers_every_endpoint():
    """Every endpoint of org/api.py and accounts/api.py is in the table (other apps keep theirs)."""
    from danvan.api import api

    schema = api.get_openapi_schema()
    served = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, ops in schema["paths"].items()
        for method in ops
    }
    assert served >= ENDPOINTS
    table = {(m, "/" + u.split("/")[0] + ("/{}" if "/" in u else "")) for m, u, _b, _e in TABLE}
    wanted = {(m, p.split("{")[0] + ("{}" if "{" in p else "")) for m, p in ENDPOINTS}
    assert wanted <= table


def test_outsider_list_shows_nothing_of_the_tree(cast):
    _ids, users = cast
    client = ApiClient(token_for(users[CHARLIE]))
    assert client.get("organizations").json()["items"] == []
    alice_codes = {
        o["code"] for o in ApiClient(token_for(users[ALICE])).get("organizations").json()["items"]
    }
    assert alice_codes == {"bd-du", "bd-hlhpn", "bd-cd"}
    root_codes = {
        o["code"] for o in ApiClient(token_for(users[ROOT])).get("organizations").json()["items"]
    }
    assert {"hn-tu", "bd-du", "bd-hlhpn", "bd-cd", "other-du"} <= root_codes


def test_grants_list_is_scoped(cast):
    _ids, users = cast
    own = ApiClient(token_for(users[BOB])).get("grants").json()["items"]
    assert [g["username"] for g in own] == ["bob"]
    managed = {
        g["username"] for g in ApiClient(token_for(users[DAVE])).get("grants").json()["items"]
    }
    assert managed == {"alice", "bob", "dave"}  # not erin, whose grant is on the other ward


def test_patch_me_changes_only_the_caller(cast):
    _ids, users = cast
    response = ApiClient(token_for(users[BOB])).patch("me", {"language": "en"})
    assert response.json()["language"] == "en"
    users[ALICE].refresh_from_db()
    users[BOB].refresh_from_db()
    assert users[BOB].language == "en"
    assert users[ALICE].language != "en"
