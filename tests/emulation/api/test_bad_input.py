"""Bad input on every write endpoint: a clear 4xx JSON answer with a message and the field,
never a 5xx, a traceback or HTML, and nothing written (row counts, mutable fields and the
audit log unchanged)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from danvan.core import uploads
from danvan.emulation import services
from tests.factories import complete_model

from .conftest import PDF, TODAY, YEAR, Api, assert_error, db_state

MISSING = 999999
M, C, E = "movements/{movement}", "contests/{contest}", "contests/{entries_contest}"
R1, R2 = C + "/rounds/{round1}", C + "/rounds/{round2}"
MOVEMENT = {"organizer": "{ward}", "code": "moi", "name": "Mới", "start_year": 2025}
REGISTER = {
    "movement": "{movement}",
    "year": YEAR,
    "level": "commune",
    "unit": "{union}",
    "title": "Mô hình khác",
    "field": "economy",
}
COMMEND = {
    "form": "Giấy khen",
    "issuing_body": "Đảng ủy",
    "decision_number": "1/QĐ",
    "decision_date": "2026-01-02",
}
CONTEST = {"organizer": "{ward}", "code": "moi", "name": "Mới", "kind": "teams", "year": YEAR}
ENTRY = {"unit": "{union}", "title": "Bài", "author": "Thu"}

# endpoint → [(body, status, field)]; a body of type str is sent raw.
CASES = {
    ("POST", "movements"): [
        ({}, 422, "organizer"),
        ({**MOVEMENT, "code": "có dấu cách"}, 422, "code"),
        ({**MOVEMENT, "start_year": 1800}, 422, "start_year"),
        ({**MOVEMENT, "end_year": 2024}, 400, "end_year"),
        ({**MOVEMENT, "code": "dvk-bd"}, 409, "code"),
        ({**MOVEMENT, "organizer": MISSING}, 404, "organizer"),
        ({**MOVEMENT, "name": "   "}, 400, "name"),
        ({**MOVEMENT, "name": "x" * 256}, 422, "name"),
        ("[1]", 400, None),
        ("{not json", 400, None),
    ],
    ("PUT", M + "/themes/1800"): [({"title": "Chủ đề"}, 400, "year")],
    ("PUT", M + "/themes/abc"): [({"title": "Chủ đề"}, 422, "year")],
    ("PUT", M + f"/themes/{YEAR}"): [({"title": ""}, 422, "title"), ({"title": " "}, 400, "title")],
    ("POST", M + "/criteria"): [
        ({"name": "T", "weight": 0}, 422, "weight"),
        ({"name": "T", "max_score": "abc"}, 422, "max_score"),
        ({"name": "T", "weight": 10**9}, 422, "weight"),
        ({"name": ""}, 422, "name"),
    ],
    ("POST", M + "/labels"): [({"name": ""}, 422, "name"), ({"name": "Kỷ niệm 70 năm"}, 409, "name")],
    ("POST", M + "/windows"): [
        ({"year": YEAR, "opens_on": "2030-02-01", "closes_on": "2030-01-01"}, 400, "closes_on"),
        ({"year": YEAR, "opens_on": "2030-01-01", "closes_on": "2030-02-01", "level": "x"}, 400, "level"),
        ({"year": YEAR, "opens_on": "2030-13-01", "closes_on": "2030-02-01"}, 422, "opens_on"),
        ({"opens_on": "2030-01-01", "closes_on": "2030-02-01"}, 422, "year"),
    ],
    ("POST", M + "/windows/{window}/close"): [
        ({"last_day": "2000-01-01"}, 400, "last_day"),
        ({"last_day": "x"}, 422, "last_day"),
    ],
    ("POST", M + f"/windows/{MISSING}/close"): [({}, 404, None)],
    ("POST", "models"): [
        ({**REGISTER, "title": None}, 422, "title"),
        ({**REGISTER, "level": "nope"}, 400, "level"),
        ({**REGISTER, "field": "nope"}, 400, "field"),
        ({**REGISTER, "kind": "robot"}, 422, "kind"),
        ({**REGISTER, "kind": "individual"}, 400, "person_name"),
        ({**REGISTER, "start_date": "2026-05-01", "end_date": "2026-01-01"}, 400, "end_date"),
        ({**REGISTER, "labels": ["không có"]}, 400, "labels"),
        ({**REGISTER, "year": YEAR + 1}, 400, "year"),
        ({**REGISTER, "title": "Chi hội phụ nữ tiết kiệm"}, 409, "title"),
        ({**REGISTER, "unit": MISSING}, 404, "unit"),
        ({**REGISTER, "movement": MISSING}, 404, "movement"),
    ],
    ("PATCH", "models/{model}"): [
        ({"title": ""}, 422, "title"),
        ({"title": None}, 400, "title"),
        ({"field": "nope"}, 400, "field"),
        ({"start_date": "2026-05-01", "end_date": "2026-01-01"}, 400, "end_date"),
        ({"start_date": "x"}, 422, "start_date"),
    ],
    ("PATCH", f"models/{MISSING}"): [({"title": "x"}, 404, None)],
    ("POST", "models/{model}/state"): [
        ({"state": "flying"}, 422, "state"),
        ({"state": "abandoned"}, 400, "reason"),
        ({"state": "registered"}, 400, "state"),
    ],
    ("POST", "models/{model}/scores"): [
        ({}, 422, "scores"),
        ({"scores": {}}, 400, "scores"),
        ({"scores": {"abc": 1}}, 422, "scores.abc.[key]"),
        ({"scores": {str(MISSING): 1}}, 400, "scores"),
        ({"scores": {"{c1}": 11}}, 400, "scores.{c1}"),
        ({"scores": {"{c1}": -1}}, 400, "scores.{c1}"),
        ({"scores": {"{c1}": "abc"}}, 422, "scores.{c1}"),
    ],
    ("POST", "models/{model}/recognition"): [({"level": "nope"}, 400, "level"), ({}, 422, "level")],
    ("POST", "models/{model}/commendations"): [
        ({**COMMEND, "decision_date": None}, 422, "decision_date"),
        ({**COMMEND, "form": ""}, 422, "form"),
        ({**COMMEND, "decision_date": "x"}, 422, "decision_date"),
        ({**COMMEND, "issuing_body": "  "}, 400, "issuing_body"),
    ],
    ("POST", "models/{model}/replication"): [({"replicate": "maybe"}, 422, "replicate")],
    ("POST", "models/{model}/adoptions"): [
        ({"unit": "{ward}", "started_on": "2026-01-01"}, 400, "model"),
        ({"unit": MISSING, "started_on": "2026-01-01"}, 404, "unit"),
        ({"unit": "{ward}"}, 422, "started_on"),
    ],
    ("POST", "models/{other_model}/adoptions"): [
        ({"unit": "{ward}", "started_on": "2026-01-01"}, 400, "model")
    ],
    ("POST", f"adoptions/{MISSING}/progress"): [({"percent": 5}, 404, None)],
    ("POST", "contests"): [
        ({**CONTEST, "kind": "quiz"}, 422, "kind"),
        ({**CONTEST, "code": "hoi-thi-dvk"}, 409, "code"),
        ({**CONTEST, "criteria": [{"name": ""}]}, 422, "name"),
        ({**CONTEST, "criteria": [{"name": "A", "max_score": 0}]}, 422, "max_score"),
        ({**CONTEST, "rounds": [{"name": "A", "group_by": "planet"}]}, 422, "group_by"),
        ({**CONTEST, "rounds": [{"name": "A", "advance": 0}]}, 422, "advance"),
        ({**CONTEST, "rounds": [{"name": " "}]}, 400, "name"),
        ({**CONTEST, "organizer": MISSING}, 404, "organizer"),
        ({**CONTEST, "movement": MISSING}, 404, "movement"),
        ({**CONTEST, "year": 3000}, 422, "year"),
    ],
    ("POST", C + "/teams"): [
        ({"name": "Đội Phụ nữ", "unit": "{union}"}, 409, "name"),
        ({"name": "Đội", "unit": "{union}", "members": [{"name": ""}]}, 422, "name"),
        ({"name": "Đội", "unit": MISSING}, 404, "unit"),
        ({"name": "", "unit": "{union}"}, 422, "name"),
    ],
    ("POST", E + "/teams"): [({"name": "Đội", "unit": "{union}"}, 400, "contest")],
    ("POST", R1 + "/judges"): [({"username": ""}, 422, "username"), ({"username": "ai"}, 404, "username")],
    ("POST", C + f"/rounds/{MISSING}/judges"): [({"username": "bob"}, 404, "round")],
    ("POST", R2 + "/close"): [(None, 400, "round")],
    ("POST", C + "/prizes"): [
        ({"name": "Giải"}, 400, "team"),
        ({"name": "Giải", "team": MISSING}, 404, "team"),
        ({"name": "", "team": "{team}"}, 422, "name"),
    ],
    ("POST", E + "/prizes"): [({"name": "Giải", "entry": MISSING}, 404, "entry")],
    ("POST", E + "/entries"): [
        ({**ENTRY, "link": "ftp://x"}, 400, "link"),
        ({**ENTRY, "title": ""}, 422, "title"),
        ({**ENTRY, "unit": MISSING}, 404, "unit"),
        ({**ENTRY, "submitted_on": "x"}, 422, "submitted_on"),
    ],
    ("POST", C + "/entries"): [(ENTRY, 400, "contest")],
    ("PUT", E + "/coverage-rule"): [
        ({"unit_type": "nope"}, 400, "unit_type"),
        ({"unit_type": "womens-union", "area_level": "planet"}, 422, "area_level"),
        ({"unit_type": "womens-union", "minimum": 0}, 422, "minimum"),
    ],
}  # fmt: skip


def _fill(value, ids):
    if isinstance(value, dict):
        return {_fill(k, ids): _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, str) and "{" in value and not value.startswith("{not"):
        return value.format(**ids)
    return value


@pytest.mark.parametrize(("method", "url"), list(CASES), ids=[f"{m} {u}" for m, u in CASES])
def test_bad_input_is_refused_and_writes_nothing(world, superuser, alice, method, url):
    ids = world.ids
    api = Api(superuser)
    for body, status, field in CASES[(method, url)]:
        before = db_state()
        if isinstance(body, str) and body.startswith(("[", "{not")):
            response = api.send(method, _fill(url, ids), raw=body)
        else:
            response = api.send(method, _fill(url, ids), _fill(body, ids))
        assert_error(response, status, _fill(field, ids) if field else None)
        assert db_state() == before, (method, url, body)


def test_a_judge_scoring_badly(world):
    ids, judge = world.ids, Api(world.judge_user)
    url = C.format(**ids) + "/rounds/{round1}/scores".format(**ids)
    for body, status, field in [
        ({"team": MISSING, "scores": {ids["cc"]: 5}}, 404, "team"),
        ({"team": ids["team"], "scores": {ids["cc"]: 11}}, 400, f"scores.{ids['cc']}"),
        ({"team": ids["team"], "scores": {MISSING: 1}}, 400, "scores"),
        ({"team": ids["team"]}, 422, "scores"),
    ]:
        before = db_state()
        assert_error(judge.post(url, body), status, field)
        assert db_state() == before


def _progress(api, model_id, **data):
    return api.upload(
        f"models/{model_id}/progress",
        {"reported_on": TODAY.isoformat(), "percent": 10, "narrative": "Đã làm", **data},
    )


def test_progress_bad_input(world, alice, media, monkeypatch):
    api, mid = Api(alice), world.model.pk
    monkeypatch.setattr(uploads, "MAX_BYTES", 64)
    cases = [
        ({"percent": 101}, 422, "percent"),
        ({"percent": "x"}, 422, "percent"),
        ({"narrative": ""}, 422, "narrative"),
        ({"reported_on": "x"}, 422, "reported_on"),
        ({"files": [SimpleUploadedFile("virus.exe", b"MZ...")]}, 400, "files"),
        ({"files": [SimpleUploadedFile("fake.pdf", b"GIF89a")]}, 400, "files"),
        ({"files": [SimpleUploadedFile("big.pdf", PDF + b"0" * 100)]}, 400, "files"),
        # One bad file among good ones: nothing at all is kept.
        ({"files": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.gif", b"GIF")]}, 400, "files"),
    ]  # fmt: skip
    for data, status, field in cases:
        before = db_state()
        body = assert_error(_progress(api, mid, **data), status, field)
        assert db_state() == before, data
        if status == 400:
            assert "." in body["message"]
    assert list(media.rglob("*.*")) == []
    assert _progress(api, MISSING).status_code == 404


def test_progress_on_a_closed_model(world, alice, media):
    complete_model(actor=alice, model=world.model)
    before = db_state()
    assert_error(_progress(Api(alice), world.model.pk), 400, "state")
    assert db_state() == before


def test_adoption_progress_bad_input(world, superuser):
    services.mark_for_replication(actor=superuser, model=world.model)
    adoption = services.adopt_model(
        actor=superuser, model=world.model, unit=world.tree["ward"], started_on=TODAY
    )
    api = Api(superuser)
    for body, field in [
        ({"percent": 101}, "percent"),
        ({"percent": "x"}, "percent"),
        ({}, "percent"),
    ]:
        before = db_state()
        assert_error(api.post(f"adoptions/{adoption.pk}/progress", body), 422, field)
        assert db_state() == before
    # The adopting unit is the model's own: refused.
    before = db_state()
    response = api.post(
        f"models/{world.model.pk}/adoptions",
        {"unit": world.tree["union"].pk, "started_on": "2026-01-01"},
    )
    assert_error(response, 400, "unit")
    assert db_state() == before


@pytest.mark.parametrize(
    "url",
    [
        "movements/abc",
        "models/abc",
        "models/1.5/state",
        "evidence/x",
        "nope",
        f"movements/{MISSING}",
        f"models/{MISSING}",
        f"contests/{MISSING}",
        f"contests/{MISSING}/coverage",
        f"evidence/{MISSING}",
    ],
)
def test_unknown_urls_answer_json(world, superuser, url):
    response = Api(superuser).get(url)
    assert response.status_code in (404, 405, 422), (url, response.status_code)
    assert_error(response, response.status_code)


def test_bad_filters(world, alice):
    api = Api(alice)
    assert_error(api.get("models", year="abc"), 422, "year")
    assert_error(api.get("models", state="flying"), 422, "state")
    assert_error(api.get("models", q="x" * 101), 422, "q")
    assert_error(api.get("models", limit=-1), 422, "limit")
    assert_error(api.get("contests", kind="quiz"), 422, "kind")
    assert_error(api.get(f"movements/{world.movement.pk}/dashboard"), 422, "year")
    assert_error(
        api.get(f"movements/{world.movement.pk}/dashboard", year=YEAR, as_of="x"), 422, "as_of"
    )


def test_anonymous_gets_json_401(world):
    response = Client().post("/api/v1/emulation/movements", "{}", content_type="application/json")
    assert_error(response, 401)
