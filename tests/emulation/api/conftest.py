"""Fixtures of the emulation API tests: a movement organized by the ward Party committee of
`tree`, open for registration this year, with one model of the ward's Women's Union; a teams
contest and an entries contest. Everything is entered through the services."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from danvan.audit.models import AuditEvent
from danvan.emulation import services
from danvan.emulation.models import (
    Adoption,
    Commendation,
    Contest,
    CoverageRule,
    Criterion,
    Entry,
    Evidence,
    Judge,
    Label,
    Movement,
    MovementModel,
    Prize,
    ProgressReport,
    RegistrationWindow,
    RoundScore,
    RoundTeam,
    Score,
    Team,
    Theme,
)
from danvan.emulation.services import contests

from ...conftest import login
from ...factories import UserFactory, grant

API = "/api/v1/emulation/"
TODAY = timezone.localdate()
YEAR = TODAY.year
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Api:
    """A signed-in test Client that speaks JSON to /api/v1/emulation/."""

    def __init__(self, user):
        self.client = login(user) if user is not None else Client()

    def _url(self, url: str) -> str:
        return url if url.startswith("/") else API + url

    def get(self, url, **params):
        return self.client.get(self._url(url), params)

    def send(self, method: str, url: str, body=None, *, raw: str | None = None, headers=None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        call = getattr(self.client, method.lower())
        return call(self._url(url), data=data, content_type="application/json", headers=headers)

    def post(self, url, body=None, **kw):
        return self.send("POST", url, body, **kw)

    def put(self, url, body=None, **kw):
        return self.send("PUT", url, body, **kw)

    def patch(self, url, body=None, **kw):
        return self.send("PATCH", url, body, **kw)

    def upload(self, url, data):
        return self.client.post(self._url(url), data)


@pytest.fixture
def api_as():
    return Api


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


def db_state() -> dict:
    """Row counts of every emulation table, the models' mutable fields, and the audit log."""
    counted = [
        Movement, Theme, Criterion, Label, RegistrationWindow, MovementModel, ProgressReport,
        Evidence, Score, Commendation, Adoption, Contest, Team, RoundTeam, Judge, RoundScore,
        Prize, Entry, CoverageRule, AuditEvent,
    ]  # fmt: skip
    state = {m.__name__: m.objects.count() for m in counted}
    state["models"] = list(
        MovementModel.objects.order_by("pk").values_list(
            "pk", "title", "state", "score", "for_replication", "recognized_level", "field"
        )
    )
    state["windows"] = list(RegistrationWindow.objects.values_list("pk", "closes_on"))
    state["themes"] = list(Theme.objects.values_list("pk", "title"))
    state["adoptions"] = list(Adoption.objects.values_list("pk", "percent", "notes"))
    state["rounds"] = list(RoundTeam.objects.values_list("pk", "rank", "advanced"))
    return state


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@dataclass
class World:
    tree: dict
    movement: Movement
    criteria: list
    label: Label
    window: RegistrationWindow
    model: MovementModel
    other_model: MovementModel
    contest: Contest
    entries_contest: Contest
    team: Team
    judge_user: object

    @property
    def ids(self) -> dict:
        rounds = list(self.contest.rounds.order_by("order"))
        return {
            **{name: org.pk for name, org in self.tree.items()},
            "movement": self.movement.pk,
            "window": self.window.pk,
            "model": self.model.pk,
            "other_model": self.other_model.pk,
            "contest": self.contest.pk,
            "entries_contest": self.entries_contest.pk,
            "round1": rounds[0].pk,
            "round2": rounds[1].pk,
            "team": self.team.pk,
            "c1": self.criteria[0].pk,
            "c2": self.criteria[1].pk,
            "cc": self.contest.criteria.first().pk,
        }


@pytest.fixture
def world(tree, superuser, alice, bob, charlie) -> World:
    """The ward Party committee runs the movement and two contests; alice (commission officer
    there) registered a model of the Women's Union; root registered one in the other ward."""
    ward = tree["ward"]
    movement = services.create_movement(
        actor=superuser,
        organizer=ward,
        code="dvk-bd",
        name="Dân vận khéo Ba Đình",
        start_year=2024,
        completion="reported",
    )
    criteria = [
        services.add_criterion(actor=superuser, movement=movement, name="Hiệu quả", weight=2),
        services.add_criterion(actor=superuser, movement=movement, name="Lan tỏa", max_score=5),
    ]
    label = services.add_label(actor=superuser, movement=movement, name="Kỷ niệm 70 năm")
    window = services.open_registration(
        actor=superuser,
        movement=movement,
        year=YEAR,
        opens_on=TODAY - dt.timedelta(days=10),
        closes_on=TODAY + dt.timedelta(days=30),
    )
    model = services.register_model(
        actor=alice,
        movement=movement,
        data=services.RegistrationIn(
            year=YEAR,
            level_code="commune",
            unit=tree["union"],
            title="Chi hội phụ nữ tiết kiệm",
            field_code="economy",
            label_names=[label.name],
        ),
    )
    other_movement = services.create_movement(
        actor=superuser, organizer=tree["city"], code="dvk-hn", name="Dân vận khéo Hà Nội",
        start_year=2024,
    )  # fmt: skip
    services.open_registration(
        actor=superuser,
        movement=other_movement,
        year=YEAR,
        opens_on=TODAY - dt.timedelta(days=10),
        closes_on=TODAY + dt.timedelta(days=30),
    )
    other_model = services.register_model(
        actor=superuser,
        movement=other_movement,
        data=services.RegistrationIn(
            year=YEAR,
            level_code="commune",
            unit=tree["other"],
            title="Tổ hòa giải ở cơ sở",
            field_code="culture-society",
        ),
    )
    contest = contests.create_contest(
        actor=superuser,
        data=contests.NewContest(
            organizer=ward,
            code="hoi-thi-dvk",
            name="Hội thi Dân vận khéo",
            kind="teams",
            year=YEAR,
            criteria=[{"name": "Kiến thức", "max_score": 10}],
            rounds=[{"name": "Vòng sơ khảo", "advance": 1}, {"name": "Chung kết"}],
        ),
    )
    team = contests.add_team(
        actor=superuser,
        contest=contest,
        name="Đội Phụ nữ",
        unit=tree["union"],
        members=[{"name": "Nguyễn Thị Hoa", "role": "đội trưởng"}],
    )
    entries_contest = contests.create_contest(
        actor=superuser,
        data=contests.NewContest(
            organizer=ward,
            code="bao-chi",
            name="Giải báo chí",
            kind="entries",
            year=YEAR,
        ),
    )  # fmt: skip
    judge_user = UserFactory(username="judy")
    contests.add_judge(actor=superuser, round=contest.rounds.get(order=1), user=judge_user)
    return World(
        tree, movement, criteria, label, window, model, other_model, contest, entries_contest,
        team, judge_user,
    )  # fmt: skip


@pytest.fixture
def officer(tree):
    """An organization officer of the Women's Union: registers there, evaluates nothing."""
    user = UserFactory(username="olga")
    grant(user, "organization_officer", tree["union"])
    return user
