"""Transport and caching: oversized bodies are a 413, pages for signed-in users and every
API answer are never cached, HSTS and the HTTPS redirect follow the settings."""

import json

import pytest
from django.test import Client, override_settings

from ..api.conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_body_over_the_limit_is_a_413(alice, tree, client_for):
    big = json.dumps({"title": "x" * 4096, "owner": tree["ward"].pk, "deadline": "2026-12-31"})
    api = ApiClient(token_for(alice))
    response = api.post("plans/tasks", raw=big)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    page = client_for(alice).post("/plans/tasks/new/", {"title": "x" * 4096})
    assert page.status_code == 413
    # Under the limit the same endpoint answers as usual.
    assert api.post("plans/tasks", {"title": ""}).status_code in (400, 422)


def test_identity_and_signed_in_pages_are_not_stored(alice, client_for):
    api = ApiClient(token_for(alice))
    me = api.get("me")
    assert me.status_code == 200
    assert "no-store" in me["Cache-Control"]
    page = client_for(alice).get("/")
    assert "no-store" in page["Cache-Control"]
    # The public portal may be cached by the browser as before.
    public = Client().get("/tra-cuu/")
    assert "no-store" not in public.get("Cache-Control", "")


def test_hsts_and_https_redirect_follow_the_settings():
    assert "Strict-Transport-Security" not in Client().get("/healthz", secure=True)
    with override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=True):
        client = Client()
        secure = client.get("/healthz", secure=True)
        assert secure["Strict-Transport-Security"] == "max-age=31536000"
        assert client.get("/tra-cuu/").status_code == 301
        # The health check answers plain HTTP for the load balancer.
        assert client.get("/healthz").status_code == 200


def test_a_content_security_policy_without_inline_code(alice, client_for):
    page = client_for(alice).get("/")
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "Content-Security-Policy" in Client().get("/tra-cuu/")


def test_no_template_carries_inline_script_or_style():
    """What the policy forbids, the templates do not do: no inline <script> (data blocks of
    type application/json excepted), no on* handler, no javascript: link, no style
    attribute. The report document is rendered for WeasyPrint only, never served."""
    import re
    from pathlib import Path

    import danvan

    root = Path(danvan.__file__).parent
    found = []
    for path in root.rglob("templates/**/*.html"):
        if path.name == "document.html" and "reports" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>",
            r"\son[a-z]+=\"",
            r"javascript:",
            r"\sstyle=\"",
            r"hx-vals='js:|hx-on",
        ):
            found += [f"{path.relative_to(root)}: {m}" for m in re.findall(pattern, text)]
    assert not found, found


def test_check_deploy_is_clean_under_the_documented_production_settings(tmp_path):
    """docs/operations.md's production variables leave Django's deployment check silent."""
    import secrets

    from ..processes import danvan, installation_env

    env = installation_env(
        tmp_path, DANVAN_SECRET_KEY=secrets.token_urlsafe(60),
        DANVAN_ALLOWED_HOSTS="danvan.example.vn", DANVAN_SECURE_COOKIES="true",
        DANVAN_HSTS_SECONDS="31536000", DANVAN_HSTS_SUBDOMAINS="true",
        DANVAN_HSTS_PRELOAD="true", DANVAN_SSL_REDIRECT="true",
    )  # fmt: skip
    result = danvan(env, "check", "--deploy", "--fail-level", "WARNING", check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
