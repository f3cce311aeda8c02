"""Helpers for the API tests: bearer-token clients and JSON error checks."""

import json

import pytest
from django.test import Client

from danvan.accounts.services import create_token

API = "/api/v1"


class ApiClient:
    """A Django test Client that sends a bearer token (or nothing) and speaks JSON."""

    def __init__(self, token: str | None = None, *, enforce_csrf_checks: bool = False):
        self.client = Client(enforce_csrf_checks=enforce_csrf_checks)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def request(self, method: str, url: str, body=None, *, raw: str | None = None, **headers):
        if not url.startswith("/"):
            url = f"{API}/{url}"
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        call = getattr(self.client, method.lower())
        kwargs = {"headers": {**self.headers, **headers}}
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        return call(url, **kwargs)

    def get(self, url, **params):
        if not url.startswith("/"):
            url = f"{API}/{url}"
        return self.client.get(url, params, headers=self.headers)

    def post(self, url, body=None, **kw):
        return self.request("POST", url, body, **kw)

    def patch(self, url, body=None, **kw):
        return self.request("PATCH", url, body, **kw)

    def put(self, url, body=None, **kw):
        return self.request("PUT", url, body, **kw)

    def delete(self, url, **kw):
        return self.request("DELETE", url, **kw)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Users are created per test; the production hasher would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def token_for(user) -> str:
    _token, raw = create_token(actor=user, user=user, name="tests")
    return raw


@pytest.fixture
def api_for():
    """`api_for(user)` → an ApiClient with a fresh token of that user; `api_for(None)` → anonymous."""

    def make(user, **kwargs):
        return ApiClient(token_for(user) if user is not None else None, **kwargs)

    return make


def assert_json_error(response, status: int, *, field: str | None = None) -> dict:
    """The response is a JSON error with that status and a message (and that field, if given)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    text = response.content.decode()
    assert "Traceback" not in text
    assert "<html" not in text.lower()
    body = response.json()
    assert isinstance(body.get("message"), str)
    assert body["message"].strip()
    if field is not None:
        # Query and path parameters are named "query.q", "path.org_id"; body fields bare.
        fields = [e.get("field") for e in body.get("errors", [])]
        assert field in fields or field in [f.split(".")[-1] for f in fields], body
        for error in body["errors"]:
            assert error.get("message"), body
    return body
