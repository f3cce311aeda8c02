"""A schemathesis run against the OpenAPI schema, with a superuser's token: no 5xx, and
every answer is JSON (or an empty 204)."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from danvan.api import api

from .conftest import token_for

# Few examples per operation keep the run short on a small machine; raise it for a deep run.
# Derandomized: the same cases on every run (a failure is reproducible, never by chance).
EXAMPLES = int(os.environ.get("DANVAN_FUZZ_EXAMPLES", "10"))

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Calling the WSGI app directly fires request_finished, whose close_old_connections
    would close the test's connection on PostgreSQL (Django's test client disconnects it
    the same way)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(superuser, tree, hanoi_ward):
    return token_for(superuser)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_no_server_errors(case, bearer):
    response = case.call(headers={"Authorization": f"Bearer {bearer}"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
    if response.status_code != 204:
        headers = {k.lower(): v for k, v in response.headers.items()}
        content_type = headers["content-type"]
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/json"), (
            case.method,
            case.formatted_path,
            headers,
        )
        assert "Traceback" not in response.text


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_answers_match_the_documented_schema(case, bearer):
    """Every answer (success or error) has a status the OpenAPI document lists for the
    operation, and the shape it gives."""
    from schemathesis.specs.openapi.checks import (
        response_schema_conformance,
        status_code_conformance,
    )

    response = case.call(headers={"Authorization": f"Bearer {bearer}"})
    case.validate_response(response, checks=[status_code_conformance, response_schema_conformance])
