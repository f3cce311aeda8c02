"""The permission table of /api/v1/emulation/ (pretix style): method, URL, user → status.

Outsiders get 404 (they never learn a thing exists), viewers 403 on writes; writes need the
action on the node they touch (`emulation.manage` on the organizer, `emulation.register` on
the unit, `emulation.evaluate` at the accepting level), and only a round's judges score it.
Each row runs for every user in a savepoint that is rolled back, to stay fast.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from danvan.audit.models import AuditEvent
from danvan.emulation import services

from .conftest import PDF, TODAY, YEAR, Api, db_state

ANON, ALICE, BOB, CHARLIE, OLGA, JUDY, ROOT = (
    "anon",
    "alice",
    "bob",
    "charlie",
    "olga",
    "judy",
    "root",
)


class Form(dict):
    """A multipart body."""


def expect(alice, bob, charlie, olga, root, judy=None):
    """judy (a judge of round 1 with no grant) is an outsider unless told otherwise."""
    return {
        ANON: 401, ALICE: alice, BOB: bob, CHARLIE: charlie, OLGA: olga, ROOT: root,
        JUDY: judy if judy is not None else charlie,
    }  # fmt: skip


EVERYONE = expect(200, 200, 200, 200, 200, 200)
SEE = expect(200, 200, 404, 200, 200)  # things of the ward, which olga's union sits in
MANAGE = expect(200, 403, 404, 403, 200)
MANAGE_NEW = expect(201, 403, 404, 403, 201)
# A judge sees the contest (so 403, not 404) but does not run it.
RUN_CONTEST = expect(200, 403, 404, 403, 200, judy=403)
RUN_CONTEST_NEW = expect(201, 403, 404, 403, 201, judy=403)
ROOT_ONLY = expect(404, 404, 404, 404, 200)
REGISTER = expect(200, 403, 404, 200, 200)
EVALUATE = expect(200, 403, 404, 403, 200)

REGISTER_BODY = {
    "movement": "{movement}",
    "year": YEAR,
    "level": "commune",
    "unit": "{union}",
    "title": "Mô hình mới",
    "field": "economy",
}
CONTEST_BODY = {"code": "moi", "name": "Hội thi mới", "kind": "teams", "year": YEAR}
COMMEND = {
    "form": "Giấy khen",
    "issuing_body": "Đảng ủy phường",
    "decision_number": "1/QĐ",
    "decision_date": "2026-01-02",
}
M, C = "movements/{movement}", "contests/{contest}"
R1 = C + "/rounds/{round1}"
E = "contests/{entries_contest}"

TABLE = [
    # Movements
    ("GET", "movements", None, EVERYONE),
    ("GET", M, None, SEE),
    ("GET", "movements/{city_movement}", None, SEE),
    ("GET", M + "/dashboard?year=" + str(YEAR), None, SEE),
    ("POST", "movements", {"organizer": "{ward}", "code": "x", "name": "X", "start_year": YEAR},
     expect(201, 403, 404, 404, 201)),
    ("POST", "movements", {"organizer": "{other}", "code": "x", "name": "X", "start_year": YEAR},
     ROOT_ONLY | {ROOT: 201}),
    ("PUT", M + "/themes/{year}", {"title": "Chủ đề"}, MANAGE),
    ("PUT", "movements/{city_movement}/themes/{year}", {"title": "Chủ đề"},
     expect(403, 403, 404, 403, 200)),
    ("POST", M + "/criteria", {"name": "Tiêu chí"}, MANAGE_NEW),
    ("POST", M + "/labels", {"name": "Nhãn mới"}, MANAGE_NEW),
    ("POST", M + "/windows", {"year": YEAR, "opens_on": "2030-01-01", "closes_on": "2030-02-01"},
     MANAGE_NEW),
    ("POST", M + "/windows/{window}/close", {}, MANAGE),
    # Models
    ("GET", "models", None, EVERYONE),
    ("GET", "models/{model}", None, SEE),
    ("GET", "models/{other_model}", None, ROOT_ONLY),
    ("POST", "models", REGISTER_BODY, expect(201, 403, 404, 201, 201)),
    ("POST", "models", {**REGISTER_BODY, "movement": "{city_movement}", "unit": "{other}"},
     ROOT_ONLY | {ROOT: 201}),
    ("PATCH", "models/{model}", {"plan": "Kế hoạch"}, REGISTER),
    ("PATCH", "models/{other_model}", {"plan": "Kế hoạch"}, ROOT_ONLY),
    ("POST", "models/{model}/state", {"state": "abandoned", "reason": "Sáp nhập địa bàn"}, REGISTER),
    ("POST", "models/{model}/progress",
     Form(reported_on=TODAY.isoformat(), percent=10, narrative="Đã làm"),
     expect(201, 403, 404, 201, 201)),
    ("POST", "models/{model}/scores", {"scores": {"{c1}": 5}}, EVALUATE),
    ("POST", "models/{other_model}/scores", {"scores": {"{c1}": 5}}, ROOT_ONLY | {ROOT: 400}),
    ("POST", "models/{model}/recognition", {"level": "commune"}, EVALUATE),
    ("POST", "models/{model}/commendations", COMMEND, expect(201, 403, 404, 403, 201)),
    ("POST", "models/{model}/replication", {"replicate": False}, EVALUATE),
    ("POST", "models/{model}/adoptions", {"unit": "{ward}", "started_on": "2026-02-01"},
     expect(409, 403, 404, 404, 409)),
    ("POST", "models/{model}/adoptions", {"unit": "{city}", "started_on": "2026-02-01"},
     ROOT_ONLY | {ROOT: 201}),
    ("POST", "adoptions/{adoption}/progress", {"percent": 50}, expect(200, 403, 404, 404, 200)),
    ("GET", "evidence/{evidence}", None, SEE),
    # Contests
    ("GET", "contests", None, EVERYONE),
    ("GET", C, None, SEE | {JUDY: 200}),
    ("POST", "contests", {**CONTEST_BODY, "organizer": "{ward}"}, expect(201, 403, 404, 404, 201)),
    ("POST", C + "/teams", {"name": "Đội mới", "unit": "{union}"}, expect(201, 403, 404, 201, 201)),
    ("POST", R1 + "/judges", {"username": "charlie"}, RUN_CONTEST_NEW),
    # The username is looked up only after the permission check: no probing.
    ("POST", R1 + "/judges", {"username": "nobody"}, expect(404, 403, 404, 403, 404, judy=403)),
    ("POST", R1 + "/scores", {"team": "{team}", "scores": {"{cc}": 5}},
     expect(403, 403, 404, 403, 403, judy=200)),
    ("POST", R1 + "/close", None, RUN_CONTEST),
    ("GET", R1 + "/ranking", None, SEE | {JUDY: 200}),
    ("POST", C + "/prizes", {"name": "Giải Nhất", "team": "{team}"}, RUN_CONTEST_NEW),
    ("GET", E + "/entries", None, SEE),
    ("POST", E + "/entries", {"unit": "{union}", "title": "Bài báo", "author": "Phạm Thu"},
     expect(201, 403, 404, 201, 201)),
    ("PUT", E + "/coverage-rule", {"unit_type": "womens-union"}, MANAGE),
    ("GET", E + "/coverage", None, expect(200, 200, 404, 404, 200)),
]  # fmt: skip


@pytest.fixture
def cast(world, alice, bob, charlie, officer, superuser, media):
    """Ids for the URL templates: the world, plus an adoption and a piece of evidence."""
    model = world.model
    services.mark_for_replication(actor=superuser, model=model)
    adoption = services.adopt_model(
        actor=superuser, model=model, unit=world.tree["ward"], started_on=TODAY
    )
    report = services.report_progress(
        actor=superuser,
        model=model,
        reported_on=TODAY - dt.timedelta(days=1),
        percent=5,
        narrative="Bắt đầu",
        files=[SimpleUploadedFile("a.pdf", PDF)],
    )
    ids = {
        **world.ids,
        "city_movement": world.other_model.movement_id,
        "adoption": adoption.pk,
        "evidence": report.evidence.get().pk,
        "year": YEAR,
    }
    users = {ANON: None, ALICE: alice, BOB: bob, CHARLIE: charlie, OLGA: officer,
             JUDY: world.judge_user, ROOT: superuser}  # fmt: skip
    return ids, users


def _fill(value, ids):
    if isinstance(value, dict):
        return type(value)({_fill(k, ids): _fill(v, ids) for k, v in value.items()})
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, str):
        return value.format(**ids)
    return value


@pytest.mark.parametrize(
    ("method", "url", "body", "expected"),
    [pytest.param(*row, id=f"{row[0]} {row[1]} {i}") for i, row in enumerate(TABLE)],
)
def test_permission_table(cast, method, url, body, expected):
    ids, users = cast
    url = url.format(**ids)
    body = _fill(body, ids)
    got = {}
    for who, user in users.items():
        with transaction.atomic():
            api = Api(user)
            before = db_state()
            if method == "GET":
                response = api.client.get(api._url(url))
            elif isinstance(body, Form):
                response = api.upload(url, dict(body))
            else:
                response = api.send(method, url, body)
            got[who] = response.status_code
            status = response.status_code
            if status >= 400:
                assert response["Content-Type"].startswith("application/json"), (who, status)
                assert response.json()["message"]
                assert db_state() == before, f"{who}: a refused request wrote something"
            elif method != "GET":
                assert AuditEvent.objects.count() > before["AuditEvent"], f"{who}: no audit"
            transaction.set_rollback(True)
    assert got == expected


def test_table_covers_every_emulation_endpoint():
    from danvan.api import api

    schema = api.get_openapi_schema()
    served = {
        (method.upper(), path.removeprefix("/api/v1/emulation/"))
        for path, ops in schema["paths"].items()
        if path.startswith("/api/v1/emulation/")
        for method in ops
    }

    def shape(path):
        return "/".join(
            "{}" if part.startswith("{") else part for part in path.split("?")[0].split("/")
        )

    assert {(m, shape(p)) for m, p in served} == {(m, shape(u)) for m, u, _b, _e in TABLE}
