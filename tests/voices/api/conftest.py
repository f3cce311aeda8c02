"""Fixtures of the voices API tests: the ward Party committee of Ba Đình received a petition
from a citizen with a distinctive name, holding a complaint, a denunciation and a
recommendation; the sibling ward received one of its own. Everything is entered through the
services; only the organization tree and the grants are test setup."""

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from danvan.audit.models import AuditEvent
from danvan.voices import services
from danvan.voices.models import (
    Citizen,
    Commitment,
    Dialogue,
    Matter,
    MatterDocument,
    MatterEvent,
    Petition,
    ReceptionSession,
)

from ...conftest import login
from ...factories import UserFactory, grant

API = "/api/v1/voices/"
TODAY = timezone.localdate()
RECEIVED = TODAY - dt.timedelta(days=20)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MISSING = 999999

# Nobody but the ward's case handler may ever read these back.
NAME = "Hoàng Thị Bíẩn Zyxwq"
ADDRESS = "Số 99 ngõ Kínđáo"
CONTACT = "0987 654 321"
TRACES = [NAME, "Zyxwq", "Bíẩn", ADDRESS, "Kínđáo", CONTACT, "0987654321"]
CONTENTS = "Đề nghị xem xét việc thu hồi đất làm đường liên xã tại tổ dân phố số 3."


class Api:
    """A signed-in test Client (or an anonymous one) that speaks JSON to /api/v1/voices/."""

    def __init__(self, user):
        self.client = login(user) if user is not None else Client()

    @staticmethod
    def url(url: str) -> str:
        return url if url.startswith("/") else API + url

    def get(self, url, **params):
        return self.client.get(self.url(url), params)

    def send(self, method: str, url: str, body=None, *, raw: str | None = None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        call = getattr(self.client, method.lower())
        return call(self.url(url), data=data, content_type="application/json")

    def post(self, url, body=None, **kw):
        return self.send("POST", url, body, **kw)

    def upload(self, url, data):
        """multipart/form-data"""
        return self.client.post(self.url(url), data)


def assert_error(response, status: int, field: str | None = None) -> dict:
    """A JSON error with that status, a message, and (if given) that field among the errors."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    text = response.content.decode()
    assert "<html" not in text.lower() and "Traceback" not in text
    body = response.json()
    assert isinstance(body["message"], str) and body["message"].strip()
    if field is not None:
        fields = [e["field"] for e in body.get("errors", [])]
        assert any(f == field or f.split(".")[-1] == field for f in fields), body
        assert all(e["message"] for e in body["errors"])
    return body


def assert_no_identity(response):
    text = response.content.decode()
    for trace in TRACES:
        assert trace not in text, (response.request["PATH_INFO"], trace)


def db_state() -> dict:
    """Row counts of every voices table, the matters' mutable fields, and the audit log."""
    counted = [
        Petition, Citizen, Matter, MatterEvent, MatterDocument, ReceptionSession, Dialogue,
        Commitment, AuditEvent,
    ]  # fmt: skip
    state = {m.__name__: m.objects.count() for m in counted}
    state["matters"] = list(
        Matter.objects.order_by("pk").values_list(
            "pk", "state", "kind", "accepted_on", "settle_due_on", "extensions", "handler_id",
            "decision_date", "closed_on",
        )
    )  # fmt: skip
    state["commitments"] = list(Commitment.objects.values_list("pk", "answered_on", "answer"))
    return state


@pytest.fixture(autouse=True)
def _no_throttle_history():
    """The tracking throttle counts in the cache; each test starts afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@dataclass
class World:
    tree: dict
    users: dict
    petition: Petition
    complaint: Matter
    denunciation: Matter
    recommendation: Matter
    other_petition: Petition
    dialogue: Dialogue
    commitment: Commitment
    reception: ReceptionSession

    @property
    def ids(self) -> dict:
        return {
            **{name: org.pk for name, org in self.tree.items()},
            "petition": self.petition.pk,
            "complaint": self.complaint.pk,
            "denunciation": self.denunciation.pk,
            "recommendation": self.recommendation.pk,
            "other_petition": self.other_petition.pk,
            "other_matter": self.other_petition.matters.get().pk,
            "dialogue": self.dialogue.pk,
            "commitment": self.commitment.pk,
            "reception": self.reception.pk,
            "area": self.petition.area_id,
            "code": self.petition.tracking_code,
        }


@pytest.fixture
def world(tree, hanoi_ward, superuser, alice, bob, charlie) -> World:
    handler = UserFactory(username="api-handler")
    grant(handler, "case_handler", tree["ward"])
    other_handler = UserFactory(username="api-other-handler")
    grant(other_handler, "case_handler", tree["other"])
    admin = UserFactory(username="api-admin")
    grant(admin, "administrator", tree["city"])
    petition = services.receive_petition(
        actor=handler,
        unit=tree["ward"],
        channel="letter",
        received_on=RECEIVED,
        area=hanoi_ward,
        topic_code="land",
        contents=CONTENTS,
        citizens=[{"name": NAME, "address": ADDRESS, "contact": CONTACT}],
        matters=[
            {"kind": "complaint", "summary": "Khiếu nại quyết định thu hồi đất"},
            {"kind": "denunciation", "summary": "Tố cáo cán bộ địa chính"},
            {"kind": "recommendation", "summary": "Kiến nghị làm rõ mốc giới"},
        ],
    )
    complaint, denunciation, recommendation = petition.matters.order_by("pk")
    other_petition = services.receive_petition(
        actor=superuser,
        unit=tree["other"],
        channel="online",
        received_on=TODAY,
        area=tree["other"].area,
        topic_code="environment",
        contents="Khói bụi từ xưởng gỗ",
        citizens=[{"name": "Người Khác"}],
        matters=[{"kind": "recommendation", "summary": "Khói bụi"}],
    )
    dialogue = services.record_dialogue(
        actor=handler,
        unit=tree["ward"],
        title="Đối thoại về giải phóng mặt bằng",
        held_on=TODAY - dt.timedelta(days=5),
        heads="Bí thư Đảng ủy phường",
        participants=40,
        topic_codes=["land"],
    )
    commitment = services.add_commitment(
        actor=handler,
        dialogue=dialogue,
        content="Công khai phương án bồi thường",
        owner=tree["ward"],
        due_on=TODAY + dt.timedelta(days=10),
    )
    reception = services.record_reception(
        actor=handler,
        unit=tree["ward"],
        head_role="commune_party_head",
        head_name="Nguyễn Văn Bí Thư",
        held_on=TODAY - dt.timedelta(days=3),
        citizens_received=4,
    )
    users = {
        "handler": handler,
        "other_handler": other_handler,
        "admin": admin,
        "superuser": superuser,
        "alice": alice,
        "bob": bob,
        "charlie": charlie,
    }
    return World(
        tree=tree,
        users=users,
        petition=petition,
        complaint=complaint,
        denunciation=denunciation,
        recommendation=recommendation,
        other_petition=other_petition,
        dialogue=dialogue,
        commitment=commitment,
        reception=reception,
    )


def fill(value, ids: dict):
    """Replace {name} placeholders (in a str, list or dict) with the world's ids."""
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
            return ids[value[1:-1]]
        return value.format(**ids) if "{" in value and not value.startswith("{not") else value
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value
