"""Bad input on every endpoint: a clear 4xx JSON answer (message, and the field where it
applies), never a 5xx, a traceback or HTML, and nothing written."""

import pytest

from danvan.accounts.models import ApiToken, Grant, User
from danvan.audit.models import AuditEvent
from danvan.org.models import Area, Organization

from .conftest import ApiClient, assert_json_error, token_for

HUGE = 10**20


@pytest.fixture
def root_api(superuser, tree):
    return ApiClient(token_for(superuser))


@pytest.fixture
def alice_api(alice):
    return ApiClient(token_for(alice))


def _state():
    return {
        "organizations": list(
            Organization.objects.order_by("pk").values_list(
                "pk", "code", "name", "short_name", "type_id", "area_id", "path", "is_active"
            )
        ),
        "grants": list(
            Grant.objects.order_by("pk").values_list(
                "pk", "user_id", "role_id", "organization_id", "area_id"
            )
        ),
        "languages": list(User.objects.order_by("pk").values_list("pk", "language")),
        "tokens": ApiToken.objects.count(),
        "audit": AuditEvent.objects.count(),
        "areas": Area.objects.count(),
    }


@pytest.fixture
def unchanged(db):
    """Call it after the test's setup; it asserts at teardown that nothing was written."""
    holder = {}

    def snap():
        holder["before"] = _state()

    yield snap
    if "before" in holder:
        assert _state() == holder["before"], "a refused request wrote something"


def good_org(**overrides):
    body = {
        "code": "new-org",
        "name": "Hội Nông dân phường",
        "type": "farmers-association",
        "area": "00004",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


# --- GET /areas ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"q": "a" * 101}, 422, "q"),
        ({"structure": "1999"}, 422, "structure"),
        ({"level": "hamlet"}, 422, "level"),
        ({"under": "abc"}, 422, "under"),
        ({"under": "999999999"}, 404, "under"),
        ({"under": str(HUGE)}, 404, "under"),
        ({"under": "-1"}, 404, "under"),
        ({"valid_on": "2025-13-01"}, 422, "valid_on"),
        ({"valid_on": "yesterday"}, 422, "valid_on"),
        ({"limit": "abc"}, 422, "limit"),
        ({"limit": "-5"}, 422, "limit"),
        ({"offset": "-1"}, 422, "offset"),
    ],
)
def test_areas_list_bad_filters(root_api, unchanged, params, status, field):
    unchanged()
    assert_json_error(root_api.get("areas", **params), status, field=field)


@pytest.mark.parametrize("area_id", ["999999999", str(HUGE), "0"])
def test_area_detail_unknown(root_api, unchanged, area_id):
    unchanged()
    assert_json_error(root_api.get(f"areas/{area_id}"), 404)


@pytest.mark.parametrize("area_id", ["abc", "-1", "1.5"])
def test_area_detail_not_an_id(root_api, unchanged, area_id):
    unchanged()
    response = root_api.get(f"areas/{area_id}")
    assert response.status_code in (404, 422)
    assert_json_error(response, response.status_code)


# --- GET /organizations and /organizations/{id} ------------------------------------------


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"q": "x" * 101}, 422, "q"),
        ({"type": "t" * 41}, 422, "type"),
        ({"under": "abc"}, 422, "under"),
        ({"under": "999999999"}, 404, "under"),
        ({"under": str(HUGE)}, 404, "under"),
        ({"area": "abc"}, 422, "area"),
        ({"area": "999999999"}, 404, "area"),
        ({"area": str(HUGE)}, 404, "area"),
        ({"active": "maybe"}, 422, "active"),
        ({"limit": "0"}, 422, "limit"),
    ],
)
def test_organizations_list_bad_filters(root_api, unchanged, params, status, field):
    unchanged()
    assert_json_error(root_api.get("organizations", **params), status, field=field)


def test_organizations_list_unknown_type_is_just_empty(root_api):
    response = root_api.get("organizations", type="no-such-type")
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize("org_id", ["999999999", str(HUGE)])
def test_organization_detail_unknown(root_api, unchanged, org_id):
    unchanged()
    assert_json_error(root_api.get(f"organizations/{org_id}"), 404)


# --- POST /organizations ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (good_org(area="99999"), 400, "area"),
        (good_org(area="00004x"), 400, "area"),
        (good_org(area=""), 400, "area"),
        (good_org(area="a" * 11), 422, "area"),
        (good_org(type="no-such-type"), 400, "type"),
        (good_org(type="t" * 41), 422, "type"),
        (good_org(code="bd-du"), 409, "code"),  # taken by the ward Party committee
        (good_org(code="has space"), 400, "code"),
        (good_org(code="dấu"), 400, "code"),
        (good_org(code=""), 422, "code"),
        (good_org(code="c" * 61), 422, "code"),
        (good_org(name=""), 422, "name"),
        (good_org(name="   "), 400, "name"),
        (good_org(name="n" * 256), 422, "name"),
        (good_org(short_name="s" * 101), 422, "short_name"),
        (good_org(name=123), 422, "name"),
        (good_org(name=None), 422, "name"),
        (good_org(name=["a"]), 422, "name"),
        (good_org(code={"a": 1}), 422, "code"),
        (good_org(parent="abc"), 422, "parent"),
        (good_org(parent=999999999), 404, "parent"),
        (good_org(parent=HUGE), 404, "parent"),
        (good_org(parent=1.5), 422, "parent"),
        (good_org(name=...), 422, "name"),
        (good_org(code=...), 422, "code"),
        (good_org(type=...), 422, "type"),
        (good_org(area=...), 422, "area"),
    ],
    ids=lambda v: repr(v)[:60] if isinstance(v, dict) else str(v),
)
def test_create_organization_bad_input(root_api, unchanged, body, status, field):
    unchanged()
    assert_json_error(root_api.post("organizations", body), status, field=field)


@pytest.mark.parametrize(
    "raw",
    [
        '{"code": "x", ',
        "not json",
        "",
        "[]",
        "null",
        '"a string"',
        "42",
        '{"code": "x"}\x00',
        "\ufeff{}",
    ],
    ids=["truncated", "text", "empty", "list", "null", "string", "number", "nul", "bom"],
)
def test_create_organization_malformed_json(root_api, unchanged, raw):
    unchanged()
    response = root_api.post("organizations", raw=raw)
    assert response.status_code in (400, 422), response.content[:300]
    assert_json_error(response, response.status_code)


def test_create_organization_wrong_content_type(root_api, unchanged):
    unchanged()
    response = root_api.client.post(
        "/api/v1/organizations",
        "code=x&name=y",
        content_type="text/plain",
        headers=root_api.headers,
    )
    assert response.status_code in (400, 415, 422)
    assert_json_error(response, response.status_code)


def test_create_organization_duplicate_is_refused_even_for_the_owner(alice_api, tree, unchanged):
    unchanged()
    assert_json_error(
        alice_api.post("organizations", good_org(code="bd-hlhpn", parent=tree["ward"].pk)),
        409,
        field="code",
    )


# --- PATCH /organizations/{id} ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"parent": "{union}"}, 400, "parent"),  # the ward under its own union: a cycle
        ({"parent": "{ward}"}, 400, "parent"),  # under itself
        ({"parent": None}, 404, "parent"),
        ({"parent": 999999999}, 404, "parent"),
        ({"parent": HUGE}, 404, "parent"),
        ({"parent": "x"}, 422, "parent"),
        ({"code": "hn-tu"}, 409, "code"),
        ({"code": "bad code"}, 400, "code"),
        ({"code": ""}, 422, "code"),
        ({"code": "c" * 61}, 422, "code"),
        ({"name": ""}, 422, "name"),
        ({"name": "  "}, 400, "name"),
        ({"name": "n" * 256}, 422, "name"),
        ({"name": 5}, 422, "name"),
        ({"short_name": "s" * 101}, 422, "short_name"),
        ({"type": "no-such-type"}, 400, "type"),
        ({"type": "t" * 41}, 422, "type"),
        ({"area": "99999"}, 400, "area"),
        ({"area": "a" * 11}, 422, "area"),
        ({"is_active": "maybe"}, 422, "is_active"),
        ({"is_active": [True]}, 422, "is_active"),
        # A good change next to a bad one: the whole request is refused.
        ({"name": "Tên mới", "area": "99999"}, 400, "area"),
        ({"parent": "{city}", "type": "no-such-type"}, 400, "type"),
    ],
    ids=lambda v: repr(v)[:60] if isinstance(v, dict) else str(v),
)
def test_update_organization_bad_input(root_api, tree, unchanged, body, status, field):
    ids = {name: org.pk for name, org in tree.items()}
    body = {
        k: (ids[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v)
        for k, v in body.items()
    }
    unchanged()
    assert_json_error(root_api.patch(f"organizations/{tree['ward'].pk}", body), status, field=field)


@pytest.mark.parametrize("target", ["ward", "union"])
def test_alice_cannot_make_a_cycle(alice_api, tree, unchanged, target):
    unchanged()
    response = alice_api.patch(f"organizations/{tree['ward'].pk}", {"parent": tree[target].pk})
    assert_json_error(response, 400, field="parent")


@pytest.mark.parametrize(
    "raw", ['{"name": ', "name=x", "[1]", "null"], ids=["truncated", "form", "list", "null"]
)
def test_update_organization_malformed_json(root_api, tree, unchanged, raw):
    unchanged()
    response = root_api.patch(f"organizations/{tree['ward'].pk}", raw=raw)
    assert response.status_code in (400, 422), response.content[:300]
    assert_json_error(response, response.status_code)


@pytest.mark.parametrize("org_id", ["999999999", str(HUGE)])
def test_update_unknown_organization(root_api, unchanged, org_id):
    unchanged()
    assert_json_error(root_api.patch(f"organizations/{org_id}", {"name": "X"}), 404)


# --- PATCH /me ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"language": "xx"}, 400),
        ({"language": "EN"}, 400),
        ({"language": "en-us"}, 400),
        ({"language": ""}, 400),
        ({"language": "a" * 11}, 422),
        ({"language": 1}, 422),
        ({"language": None}, 422),
        ({}, 422),
    ],
    ids=repr,
)
def test_update_me_bad_language(alice_api, unchanged, body, status):
    unchanged()
    body = assert_json_error(alice_api.patch("me", body), status, field="language")
    if status == 400:
        assert "vi" in body["message"] and "en" in body["message"]


@pytest.mark.parametrize("raw", ['{"language": ', "en", "[]"], ids=["truncated", "text", "list"])
def test_update_me_malformed_json(alice_api, unchanged, raw):
    unchanged()
    response = alice_api.patch("me", raw=raw)
    assert response.status_code in (400, 422)
    assert_json_error(response, response.status_code)


# --- POST /grants and DELETE /grants/{id} -------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (
            {
                "username": "charlie",
                "role": "viewer",
                "organization": "{ward}",
                "area": "{hanoi_ward}",
            },
            400,
            "organization",
        ),
        ({"username": "charlie", "role": "viewer"}, 400, "organization"),
        (
            {"username": "charlie", "role": "viewer", "organization": None, "area": None},
            400,
            "organization",
        ),
        ({"username": "charlie", "role": "no-such-role", "organization": "{ward}"}, 400, "role"),
        ({"username": "nobody", "role": "viewer", "organization": "{ward}"}, 404, "username"),
        (
            {"username": "bob", "role": "viewer", "organization": "{ward}"},
            409,
            "role",
        ),  # bob already holds it
        ({"username": "charlie", "role": "viewer", "organization": 999999999}, 404, "organization"),
        ({"username": "charlie", "role": "viewer", "organization": HUGE}, 404, "organization"),
        ({"username": "charlie", "role": "viewer", "area": 999999999}, 404, "area"),
        ({"username": "charlie", "role": "viewer", "area": HUGE}, 404, "area"),
        ({"username": "charlie", "role": "viewer", "organization": "abc"}, 422, "organization"),
        ({"username": "u" * 151, "role": "viewer", "organization": "{ward}"}, 422, "username"),
        ({"username": "charlie", "role": "r" * 41, "organization": "{ward}"}, 422, "role"),
        ({"username": 7, "role": "viewer", "organization": "{ward}"}, 422, "username"),
        ({"role": "viewer", "organization": "{ward}"}, 422, "username"),
        ({"username": "charlie", "organization": "{ward}"}, 422, "role"),
    ],
    ids=lambda v: repr(v)[:70] if isinstance(v, dict) else str(v),
)
def test_create_grant_bad_input(
    root_api, tree, bob, charlie, hanoi_ward, unchanged, body, status, field
):
    ids = {name: org.pk for name, org in tree.items()} | {"hanoi_ward": hanoi_ward.pk}
    body = {
        k: (ids[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v)
        for k, v in body.items()
    }
    unchanged()
    assert_json_error(root_api.post("grants", body), status, field=field)


def test_grant_to_a_disabled_user_is_refused(root_api, tree, charlie, unchanged):
    charlie.is_active = False
    charlie.save(update_fields=["is_active"])
    unchanged()
    body = {"username": "charlie", "role": "viewer", "organization": tree["ward"].pk}
    assert_json_error(root_api.post("grants", body), 404, field="username")


@pytest.mark.parametrize("raw", ['{"username": ', "x", "[]"], ids=["truncated", "text", "list"])
def test_create_grant_malformed_json(root_api, unchanged, raw):
    unchanged()
    response = root_api.post("grants", raw=raw)
    assert response.status_code in (400, 422)
    assert_json_error(response, response.status_code)


@pytest.mark.parametrize("grant_id", ["999999999", str(HUGE)])
def test_delete_unknown_grant(root_api, unchanged, grant_id):
    unchanged()
    assert_json_error(root_api.delete(f"grants/{grant_id}"), 404)


# --- Anything else under /api/ ------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/nope",
        "/api/v1/",
        "/api/",
        "/api/v2/areas",
        "/api/v1/organizations/",
        "/api/v1/nope/1",
    ],
)
def test_unknown_urls_are_json_404(root_api, url):
    response = root_api.client.get(url, headers=root_api.headers)
    assert_json_error(response, 404)


@pytest.mark.parametrize("url", ["areas/abc", "organizations/x", "grants/x"])
def test_ids_that_are_not_numbers(root_api, unchanged, url):
    unchanged()
    method = "DELETE" if url.startswith("grants") else "GET"
    response = root_api.request(method, url)
    assert response.status_code in (404, 422)
    assert_json_error(response, response.status_code)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("DELETE", "organizations"),
        ("PUT", "organizations/1"),
        ("POST", "areas"),
        ("DELETE", "me"),
        ("PATCH", "roles"),
        ("GET", "grants/1"),
    ],
)
def test_wrong_method_is_json_405(root_api, unchanged, method, url):
    unchanged()
    response = root_api.request(method, url, None if method == "GET" else {})
    body = assert_json_error(response, 405)
    assert method in body["message"]
    assert response["Allow"]


def test_unknown_url_without_credentials_is_json(db):
    from django.test import Client

    response = Client().get("/api/v1/nope")
    assert response.status_code in (401, 404)
    assert_json_error(response, response.status_code)


def test_a_stale_if_match_on_an_organization_is_412(root_api, tree):
    from danvan.org.models import Organization

    url = f"organizations/{tree['ward'].pk}"
    etag = root_api.get(url)["ETag"]
    first = root_api.patch(url, {"short_name": "ĐU Ba Đình"}, **{"If-Match": etag})
    assert first.status_code == 200 and first["ETag"] != etag
    stale = root_api.patch(url, {"name": "Tên cũ"}, **{"If-Match": etag})
    assert stale.status_code == 412 and stale.json()["code"] == "edit_conflict"
    assert Organization.objects.get(pk=tree["ward"].pk).name != "Tên cũ"
