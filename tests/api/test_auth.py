"""Who the API lets in: bearer tokens, sessions (with CSRF), and clear 401s otherwise."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from danvan.accounts.models import ApiToken
from danvan.accounts.services import create_token, revoke_token
from danvan.org.models import Organization

from .conftest import API, ApiClient, assert_json_error

pytestmark = pytest.mark.django_db


def _get_me(headers=None, client=None):
    return (client or Client()).get(f"{API}/me", headers=headers or {})


def test_no_credentials_is_401_json():
    body = assert_json_error(_get_me(), 401)
    assert "Bearer" in body["message"]
    assert body["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "url",
    [
        "areas",
        "areas/1",
        "organizations",
        "organizations/1",
        "organization-types",
        "roles",
        "grants",
    ],
)
def test_every_read_needs_credentials(url):
    assert_json_error(Client().get(f"{API}/{url}"), 401)


def test_writes_need_credentials(tree):
    before = Organization.objects.count()
    client = Client()
    body = {"code": "x", "name": "X", "type": "womens-union", "area": "00004"}
    assert_json_error(
        client.post(f"{API}/organizations", body, content_type="application/json"), 401
    )
    assert_json_error(
        client.patch(
            f"{API}/organizations/{tree['ward'].pk}", {"name": "Y"}, content_type="application/json"
        ),
        401,
    )
    assert_json_error(
        client.patch(f"{API}/me", {"language": "en"}, content_type="application/json"), 401
    )
    assert_json_error(client.delete(f"{API}/grants/1"), 401)
    assert Organization.objects.count() == before


def test_bearer_token_works(alice):
    token, raw = create_token(actor=alice, user=alice, name="script")
    response = _get_me({"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_bearer_scheme_is_case_insensitive(alice):
    _token, raw = create_token(actor=alice, user=alice, name="script")
    assert _get_me({"Authorization": f"bearer {raw}"}).status_code == 200


@pytest.fixture
def raw_token(alice):
    return create_token(actor=alice, user=alice, name="script")[1]


@pytest.mark.parametrize(
    "header",
    [
        "{raw}",  # missing "Bearer"
        "Token {raw}",  # wrong scheme
        "Basic {raw}",
        "Bearer",
        "Bearer ",
        "",
        "Bearer  {raw}",  # two spaces: the token then starts with a space
        "Bearer {raw}x",  # one character too many
        "Bearer {short}",  # truncated
        "Bearer dv_",
        "Bearer garbage",
        "Bearer dv_" + "a" * 500,
        "Bearer dv_ünïcode-tökén",
        "Bearer {raw} {raw}",
        "Bearer null",
    ],
)
def test_malformed_authorization_is_401_json(raw_token, header):
    value = header.format(raw=raw_token, short=raw_token[:-3])
    assert_json_error(_get_me({"Authorization": value}), 401)


def test_revoked_token_is_401(alice):
    token, raw = create_token(actor=alice, user=alice, name="script")
    assert _get_me({"Authorization": f"Bearer {raw}"}).status_code == 200
    revoke_token(actor=alice, token=token)
    assert_json_error(_get_me({"Authorization": f"Bearer {raw}"}), 401)


def test_expired_token_is_401(alice):
    token, raw = create_token(
        actor=alice, user=alice, name="script", expires_at=timezone.now() + dt.timedelta(days=1)
    )
    assert _get_me({"Authorization": f"Bearer {raw}"}).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_json_error(_get_me({"Authorization": f"Bearer {raw}"}), 401)


def test_token_of_a_disabled_user_is_401(alice):
    _token, raw = create_token(actor=alice, user=alice, name="script")
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert_json_error(_get_me({"Authorization": f"Bearer {raw}"}), 401)


def test_a_token_is_its_owner_only(alice, bob):
    _token, raw = create_token(actor=bob, user=bob, name="script")
    assert _get_me({"Authorization": f"Bearer {raw}"}).json()["username"] == "bob"


def test_session_auth_reads(alice, client_for):
    response = client_for(alice).get(f"{API}/me")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def _csrf_session_client(user):
    from tests.factories import DEFAULT_PASSWORD

    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/login/",
        {"username": user.username, "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": csrf},
    )
    assert response.status_code == 302, response.content[:300]
    return client


def test_session_auth_unsafe_methods_need_csrf(alice, tree):
    client = _csrf_session_client(alice)
    assert client.get(f"{API}/me").status_code == 200
    before = Organization.objects.count()
    body = {
        "code": "bd-new",
        "name": "Chi hội mới",
        "type": "womens-union",
        "area": "00004",
        "parent": tree["ward"].pk,
    }

    # Without the CSRF token: refused, as JSON, nothing written.
    response = client.post(f"{API}/organizations", body, content_type="application/json")
    assert_json_error(response, 403)
    response = client.patch(f"{API}/me", {"language": "en"}, content_type="application/json")
    assert_json_error(response, 403)
    assert Organization.objects.count() == before

    # With it: accepted.
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        f"{API}/organizations", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 201, response.content
    assert Organization.objects.count() == before + 1


def test_bearer_token_needs_no_csrf(alice, tree):
    """Programs with a token have no CSRF cookie; the token itself is the proof."""
    _token, raw = create_token(actor=alice, user=alice, name="script")
    api = ApiClient(raw, enforce_csrf_checks=True)
    response = api.patch("me", {"language": "en"})
    assert response.status_code == 200, response.content
    assert response.json()["language"] == "en"


@pytest.mark.parametrize("header", ["", "Bearer garbage", "Bearer dv_unknown"])
def test_unsafe_method_without_valid_credentials_is_401_not_csrf_403(header):
    """A program (no cookies, no CSRF) with a bad or missing token must learn it is not signed in."""
    client = Client(enforce_csrf_checks=True)
    headers = {"Authorization": header} if header else {}
    response = client.patch(
        f"{API}/me", {"language": "en"}, content_type="application/json", headers=headers
    )
    assert_json_error(response, 401)
