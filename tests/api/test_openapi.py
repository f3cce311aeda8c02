"""The OpenAPI schema and the interactive docs."""

import json
import re

import pytest
from django.test import Client

from .conftest import ApiClient, token_for
from .test_permissions import ENDPOINTS


@pytest.fixture
def schema(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_schema_lists_every_path(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "danvan API"
    served = {
        (m.upper(), p.removeprefix("/api/v1")) for p, ops in schema["paths"].items() for m in ops
    }
    assert served >= ENDPOINTS
    # And every URL the API routes is described: nothing is served undocumented.
    from danvan.api import api

    routes = set()
    for pattern in api.urls[0]:
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        if route and route not in ("openapi.json", "docs"):
            routes.add("/api/v1/" + route)
    assert routes == set(schema["paths"])


def test_schema_declares_both_auth_methods(schema):
    schemes = schema["components"]["securitySchemes"]
    kinds = {(s["type"], s.get("scheme") or s.get("in")) for s in schemes.values()}
    assert ("http", "bearer") in kinds
    assert ("apiKey", "cookie") in kinds
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            assert op.get("security"), f"{method} {path} has no security"


def test_schema_describes_bodies_and_errors(schema):
    create = schema["paths"]["/api/v1/organizations"]["post"]
    body = create["requestBody"]["content"]["application/json"]["schema"]
    ref = body["$ref"].split("/")[-1]
    org_in = schema["components"]["schemas"][ref]
    assert set(org_in["required"]) == {"code", "name", "type", "area"}
    assert org_in["properties"]["code"]["maxLength"] == 60
    assert "201" in create["responses"]


def test_docs_page(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_schema_paths_answer(superuser, tree, schema):
    """Every GET path of the tree and access API answers 200 JSON for an existing object."""
    api = ApiClient(token_for(superuser))
    for path, ops in schema["paths"].items():
        if "get" not in ops or ("GET", path.removeprefix("/api/v1")) not in ENDPOINTS:
            continue  # other apps' endpoints are checked in their own tests and by the fuzz run
        url = path.replace("{area_id}", "1").replace("{org_id}", str(tree["ward"].pk))
        response = api.get(url)
        assert response.status_code == 200, (url, response.content[:200])
        assert response["Content-Type"].startswith("application/json")


def test_every_schema_name_is_unique_across_the_api(schema):
    """Two apps' schemas of the same name would collide in the document: one operation
    would then be documented with another app's body (e.g. a task report as a situation
    report)."""
    from ninja import Schema

    seen: dict[str, type] = {}
    stack = list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("danvan."):
            continue
        other = seen.setdefault(cls.__name__, cls)
        assert other is cls, f"{cls.__name__}: {other.__module__} and {cls.__module__}"
    # And each operation's body is the schema of its own app.
    body = schema["paths"]["/api/v1/plans/tasks/{task_id}/reports"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/PlansReportIn"), ref
