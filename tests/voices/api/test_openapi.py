"""The OpenAPI schema documents every voices path, and no schema but the identity answer
holds a citizen's name, address and contact."""

import json

import pytest
from django.test import Client

PATHS = {
    ("GET", "/deadline-rules"), ("GET", "/topics"), ("GET", "/complexity-criteria"),
    ("GET", "/petitions"), ("POST", "/petitions"), ("GET", "/petitions/similar"),
    ("GET", "/petitions/{petition_id}"), ("GET", "/petitions/{petition_id}/identity"),
    ("GET", "/matters"), ("GET", "/matters/{matter_id}"),
    *{("POST", f"/matters/{{matter_id}}/{step}") for step in [
        "classify", "accept", "not-accept", "forward", "settling", "extend", "decide", "close",
        "withdraw", "assign", "complexity",
    ]},
    ("GET", "/documents/{document_id}"), ("GET", "/worklist"),
    ("GET", "/receptions"), ("POST", "/receptions"),
    ("GET", "/dialogues"), ("POST", "/dialogues"), ("GET", "/dialogues/{dialogue_id}"),
    ("POST", "/dialogues/{dialogue_id}/commitments"),
    ("POST", "/commitments/{commitment_id}/answer"),
    ("GET", "/reception-compliance"), ("GET", "/dashboard"), ("GET", "/hot-spots"),
    ("GET", "/track/{code}"),
}  # fmt: skip
MULTIPART = {"accept", "not-accept", "forward", "settling", "extend", "decide", "withdraw"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def _voices(schema):
    prefix = "/api/v1/voices"
    return {
        (method.upper(), path.removeprefix(prefix)): op
        for path, ops in schema["paths"].items()
        if path.startswith(prefix + "/")
        for method, op in ops.items()
    }


def test_every_voices_path_is_documented(schema):
    ops = _voices(schema)
    assert set(ops) == PATHS
    for (method, path), op in ops.items():
        assert op["tags"] == ["voices"], path
        assert op.get("summary"), path
        assert op.get("security"), path
        if method == "POST":
            step = path.rsplit("/", 1)[-1]
            content = op["requestBody"]["content"]
            kind = "multipart/form-data" if step in MULTIPART else "application/json"
            assert set(content) == {kind}, path
            if step in MULTIPART:
                assert "files" in json.dumps(content), path
    # Lists are paginated.
    for path in ["/petitions", "/matters", "/receptions", "/dialogues"]:
        names = {p["name"] for p in ops[("GET", path)]["parameters"]}
        assert {"limit", "offset"} <= names, path
    # Public tracking declares that no sign-in is needed.
    assert ops[("GET", "/track/{code}")]["security"] == [{}]


def test_only_the_identity_answer_holds_identity(schema):
    holders = {
        name
        for name, component in schema["components"]["schemas"].items()
        if {"address", "contact"} & set(component.get("properties", {}))
    }
    assert holders == {"CitizenIdentityOut", "CitizenIn"}
    identity = schema["paths"]["/api/v1/voices/petitions/{petition_id}/identity"]["get"]
    assert "CitizenIdentityOut" in json.dumps(identity["responses"]["200"])
    citizens = schema["components"]["schemas"]["PetitionDetail"]["properties"]["citizens"]
    assert citizens["type"] == "integer"
