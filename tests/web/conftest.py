"""Helpers for the page tests."""

import re

import pytest

from danvan.accounts.models import ApiToken, Grant
from danvan.audit.models import AuditEvent
from danvan.org.models import Organization


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Users are created per test; the production hasher would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def text(response) -> str:
    return response.content.decode()


def html_lang(response) -> str | None:
    found = re.search(r'<html lang="([^"]+)"', text(response))
    return found.group(1) if found else None


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def db_state():
    return (
        list(
            Organization.objects.order_by("pk").values_list(
                "pk", "code", "name", "path", "is_active"
            )
        ),
        Grant.objects.count(),
        ApiToken.objects.count(),
        AuditEvent.objects.count(),
    )
