"""Fixtures of the voices tests: the ward Party committee of Ba Đình receives petitions; a
case handler works there, a case handler of the sibling ward does not. Every petition and
transition goes through the services; only the organization tree and the grants are setup."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.audit.models import AuditEvent
from danvan.voices import services
from danvan.voices.models import (
    Citizen,
    Commitment,
    Dialogue,
    Matter,
    MatterDocument,
    MatterEvent,
    Notification,
    Petition,
    ReceptionSession,
)

from ..factories import UserFactory, grant

# A citizen whose name must never leave the encrypted columns except through reveal_identity.
CITIZEN = {"name": "Trần Văn Khải", "address": "Số 7 ngõ Hòa Bình", "contact": "0912 345 678"}
SECOND_CITIZEN = {"name": "Lê Thị Quỳnh Nga", "address": "", "contact": "nga@example.vn"}
TRACES = ["Trần Văn Khải", "Tran Van Khai", "Khải", "ngõ Hòa Bình", "0912 345 678"]

FRIDAY_BEFORE_TET = dt.date(2026, 2, 13)
CONTENTS = "Đề nghị xem xét việc thu hồi đất làm đường liên xã tại tổ dân phố số 3."


@pytest.fixture
def handler(tree):
    """Case handler of the ward Party committee (its whole subtree)."""
    user = UserFactory(username="hana")
    grant(user, "case_handler", tree["ward"])
    return user


@pytest.fixture
def other_handler(tree):
    """Case handler of the sibling ward: never sees the ward's citizens."""
    user = UserFactory(username="oanh")
    grant(user, "case_handler", tree["other"])
    return user


@pytest.fixture
def admin_user(tree):
    """Administrator ("*") of the whole city: everything but a denouncer's identity."""
    user = UserFactory(username="quan")
    grant(user, "administrator", tree["city"])
    return user


@pytest.fixture
def receive(tree, handler, hanoi_ward):
    """Receive a petition at the ward through the service; keyword overrides."""

    def _receive(**overrides) -> Petition:
        kwargs = {
            "actor": handler,
            "unit": tree["ward"],
            "channel": "letter",
            "received_on": FRIDAY_BEFORE_TET,
            "area": hanoi_ward,
            "topic_code": "land",
            "contents": CONTENTS,
            "matters": [{"kind": "complaint", "summary": "Khiếu nại quyết định thu hồi đất"}],
            "citizens": [dict(CITIZEN)],
        }
        kwargs.update(overrides)
        return services.receive_petition(**kwargs)

    return _receive


@pytest.fixture
def matter_of(receive):
    """One matter of a freshly received petition, of the given kind and conditions."""

    def _matter(kind: str = "complaint", received_on=FRIDAY_BEFORE_TET, **conditions) -> Matter:
        petition = receive(
            received_on=received_on,
            matters=[{"kind": kind, "summary": f"Một {kind}", **conditions}],
        )
        return petition.matters.get()

    return _matter


MODELS = [
    Petition,
    Citizen,
    Matter,
    MatterEvent,
    MatterDocument,
    ReceptionSession,
    Dialogue,
    Commitment,
    Notification,
    AuditEvent,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def row(matter: Matter) -> dict:
    return Matter.objects.filter(pk=matter.pk).values().get()


@pytest.fixture
def nothing_written():
    """Use as `with nothing_written(matter): ...` around a call that must fail."""
    from contextlib import contextmanager

    @contextmanager
    def _check(matter: Matter | None = None):
        before, state = counts(), row(matter) if matter is not None else None
        yield
        assert counts() == before
        if matter is not None:
            assert row(matter) == state

    return _check


def pdf(
    name: str = "quyet-dinh.pdf", body: bytes = b"%PDF-1.4\n% decision\n"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path
