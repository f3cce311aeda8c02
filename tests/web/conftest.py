"""Helpers for the page tests."""

import datetime as dt
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


def overdue_task(actor, owner, title="Tổ chức hội nghị đối thoại"):
    from danvan.audit.context import request_context
    from danvan.plans import services as plans

    with request_context():
        task = plans.create_task(
            actor=actor, owner=owner, title=title, deadline=dt.date(2026, 12, 1),
            start_on=dt.date(2026, 11, 1),
        )  # fmt: skip
    return task


@pytest.fixture
def after_deadline(monkeypatch):
    """The home page reads "today" from the clock: pin it after the tasks' deadline."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 12, 2))
