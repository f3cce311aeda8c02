"""Fixtures of the movement's page tests: a movement organized by the ward Party committee of
`tree` (where alice is a commission officer), open for registration this year, with a model of
the ward's Women's Union; a teams contest and an entries contest. All through the services."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from danvan.audit.models import AuditEvent
from danvan.emulation import services
from danvan.emulation.models import (
    Adoption,
    Commendation,
    ContestKind,
    Entry,
    Evidence,
    GroupBy,
    MovementModel,
    ProgressReport,
    Registration,
    RegistrationWindow,
    RoundScore,
    Score,
)
from danvan.emulation.services import contests

TODAY = timezone.localdate()
YEAR = TODAY.year
PDF = b"%PDF-1.4\n% a tiny pdf\n"


@pytest.fixture(autouse=True)
def _media_and_english(settings, tmp_path):
    """Uploads go to a temporary folder; pages speak the English msgids the tests check."""
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def movement(tree, alice):
    movement = services.create_movement(
        actor=alice,
        organizer=tree["ward"],
        code="dvk-bd",
        name="Dân vận khéo phường Ba Đình",
        start_year=YEAR - 1,
        completion="reported",
        end_year=YEAR + 4,
    )
    services.set_theme(
        actor=alice, movement=movement, year=YEAR, title="Dân vận khéo – Việc gì cũng thành công"
    )
    services.add_criterion(actor=alice, movement=movement, name="Hiệu quả", weight=2, max_score=10)
    services.add_criterion(
        actor=alice, movement=movement, name="Khả năng nhân rộng", weight=1, max_score=5
    )
    services.add_label(actor=alice, movement=movement, name="Kỷ niệm 70 năm Giải phóng Thủ đô")
    services.open_registration(
        actor=alice,
        movement=movement,
        year=YEAR,
        opens_on=TODAY - dt.timedelta(days=10),
        closes_on=TODAY + dt.timedelta(days=10),
    )
    return movement


def register(movement, actor, unit, title, **kw):
    kw.setdefault("level_code", "commune")
    kw.setdefault("field_code", "economy")
    today = kw.pop("today", None)
    data = services.RegistrationIn(year=kw.pop("year", YEAR), unit=unit, title=title, **kw)
    return services.register_model(actor=actor, movement=movement, data=data, today=today)


@pytest.fixture
def model(movement, tree, alice):
    return register(
        movement,
        alice,
        tree["union"],
        "Chi hội phụ nữ tự quản đường phố xanh – sạch – đẹp",
        goals="120 hộ tham gia",
        label_names=["Kỷ niệm 70 năm Giải phóng Thủ đô"],
    )


@pytest.fixture
def teams_contest(tree, alice):
    contest = contests.create_contest(
        actor=alice,
        data=contests.NewContest(
            organizer=tree["ward"],
            code="hoi-thi-dvk",
            name="Hội thi Dân vận khéo",
            kind=ContestKind.TEAMS,
            year=YEAR,
            criteria=[
                {"name": "Nội dung", "max_score": 10},
                {"name": "Trình bày", "max_score": 10},
            ],
            rounds=[
                {"name": "Vòng cơ sở", "advance": 1, "group_by": GroupBy.NONE},
                {"name": "Chung kết"},
            ],
        ),
    )
    contests.add_team(actor=alice, contest=contest, name="Đội Phụ nữ", unit=tree["union"])
    contests.add_team(actor=alice, contest=contest, name="Đội Đảng ủy", unit=tree["ward"])
    return contest


@pytest.fixture
def entries_contest(tree, alice):
    contest = contests.create_contest(
        actor=alice,
        data=contests.NewContest(
            organizer=tree["ward"],
            code="bao-chi",
            name="Cuộc thi báo chí về mô hình điển hình",
            kind=ContestKind.ENTRIES,
            year=YEAR,
        ),
    )
    contests.set_coverage_rule(actor=alice, contest=contest, unit_type_code="womens-union")
    return contest


COUNTED = [
    MovementModel,
    Registration,
    RegistrationWindow,
    ProgressReport,
    Evidence,
    Score,
    Commendation,
    Adoption,
    Entry,
    RoundScore,
    AuditEvent,
]


def db_state() -> dict:
    return {m.__name__: m.objects.count() for m in COUNTED}


def text(response) -> str:
    return response.content.decode()


def errors_of(response) -> list[str]:
    """Field errors, and the form's own errors listed in the error summary."""
    body = text(response)
    found = re.findall(r'class="form-error"[^>]*>([^<]*)<', body)
    summary = (
        body.split("data-error-summary", 1)[1].split("</ul>", 1)[0]
        if "data-error-summary" in body
        else ""
    )
    found += re.findall(r"<li>([^<]+)</li>", summary)
    return [html.unescape(e) for e in found]
