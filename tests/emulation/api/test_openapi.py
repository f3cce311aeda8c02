"""The OpenAPI schema documents every emulation endpoint, usably."""

import json

import pytest
from django.test import Client

from .test_permissions import TABLE

EMULATION = "/api/v1/emulation/"


@pytest.fixture(scope="module")
def schema():
    from danvan.api import api

    return json.loads(json.dumps(api.get_openapi_schema()))


def _shape(path):
    return "/".join("{}" if p.startswith("{") else p for p in path.split("?")[0].split("/"))


def test_schema_lists_every_emulation_path(schema):
    served = {
        (m.upper(), _shape(p.removeprefix(EMULATION)))
        for p, ops in schema["paths"].items()
        if p.startswith(EMULATION)
        for m in ops
    }
    expected = {(m, _shape(u)) for m, u, _b, _e in TABLE}
    assert served == expected
    assert len(served) == 35


def test_operations_are_tagged_summarized_and_secured(schema):
    for path, ops in schema["paths"].items():
        if not path.startswith(EMULATION):
            continue
        for method, op in ops.items():
            where = f"{method.upper()} {path}"
            assert op["tags"] == ["emulation"], where
            assert op.get("summary"), where
            assert op.get("security"), where
            if method in ("post", "put"):
                assert any(str(s).startswith("2") for s in op["responses"]), where


def test_bodies_are_described(schema):
    register = schema["paths"][EMULATION + "models"]["post"]
    ref = register["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.split("/")[-1]]
    assert {"movement", "year", "level", "unit", "title", "field"} <= set(body["required"])
    assert body["properties"]["title"]["maxLength"] == 300
    assert "201" in register["responses"]
    progress = schema["paths"][EMULATION + "models/{model_id}/progress"]["post"]
    form = progress["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["files"]["items"]["format"] == "binary"
    evidence = schema["paths"][EMULATION + "evidence/{evidence_id}"]["get"]
    assert "application/octet-stream" in evidence["responses"]["200"]["content"]
    model_filters = {p["name"] for p in schema["paths"][EMULATION + "models"]["get"]["parameters"]}
    assert {"movement", "year", "unit", "level", "field", "state", "q", "for_replication"} <= (
        model_filters
    )
    assert {"limit", "offset"} <= model_filters


def test_docs_page_and_schema_are_served(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert EMULATION + "movements/{movement_id}/dashboard" in response.json()["paths"]
