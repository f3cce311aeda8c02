"""Bad input on every write endpoint: a clear 4xx JSON answer with a message and the field,
never a 5xx, a traceback or HTML, and nothing written (row counts, the matters' state and
the audit log unchanged)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.voices import services

from .conftest import MISSING, NAME, PDF, RECEIVED, TODAY, Api, assert_error, db_state, fill

DAY = TODAY.isoformat()
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()
PETITION = {
    "unit": "{ward}", "channel": "letter", "received_on": DAY, "area": "{area}", "topic": "land",
    "contents": "Nội dung", "citizens": [{"name": NAME}],
    "matters": [{"kind": "complaint", "summary": "Khiếu nại"}],
}  # fmt: skip
MATTER = {"kind": "complaint", "summary": "Khiếu nại"}
C, D = "matters/{complaint}", "matters/{denunciation}"

# (method, url, multipart) → [(body, status, field)]; a str body is sent raw.
CASES = {
    ("POST", "petitions", False): [
        ({**PETITION, "matters": [{"summary": "Không có loại"}]}, 422, "kind"),
        ({**PETITION, "matters": [{**MATTER, "kind": "gossip"}]}, 422, "kind"),
        ({**PETITION, "matters": []}, 422, "matters"),
        ({**PETITION, "received_on": "2026-02-30"}, 422, "received_on"),
        ({**PETITION, "received_on": "hôm qua"}, 422, "received_on"),
        ({**PETITION, "received_on": TOMORROW}, 400, "received_on"),
        ({**PETITION, "channel": "pigeon"}, 422, "channel"),
        ({**PETITION, "topic": "khong-co"}, 400, "topic"),
        ({**PETITION, "contents": "   "}, 400, "contents"),
        ({**PETITION, "citizens": []}, 400, "citizens"),
        ({**PETITION, "citizens": [{"name": "   "}]}, 400, "name"),
        ({**PETITION, "citizens": [{"name": NAME, "contact": "0" * 101}]}, 422, "contact"),
        ({**PETITION, "unit": MISSING}, 404, "unit"),
        ({**PETITION, "area": MISSING}, 404, "area"),
        ({**PETITION, "first_complaint": "{complaint}"}, 400, "first_complaint"),
        ({**PETITION, "first_complaint": MISSING}, 404, "first_complaint"),
        ("[1]", 400, None),
        ("{not json", 400, None),
    ],
    ("POST", C + "/classify", False): [
        ({"kind": "gossip"}, 422, "kind"),
        ({"on": "x"}, 422, "on"),
        ({"on": TOMORROW}, 400, "on"),
        ({"complicated": "perhaps"}, 422, "complicated"),
    ],
    ("POST", C + "/accept", True): [
        ({"on": "2026-13-01"}, 422, "on"),
        ({}, 422, "on"),
        ({"on": TOMORROW}, 400, "on"),
        ({"on": (RECEIVED - dt.timedelta(days=1)).isoformat()}, 400, "on"),
        ({"on": DAY, "files": [SimpleUploadedFile("virus.exe", b"MZ")]}, 400, "files"),
        ({"on": DAY, "files": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", b"GIF")]}, 400, "files"),
    ],
    ("POST", C + "/not-accept", True): [
        ({"on": DAY}, 422, "reason"),
        ({"on": DAY, "reason": "   "}, 400, "reason"),
        ({"on": "x", "reason": "Không"}, 422, "on"),
    ],
    ("POST", C + "/forward", True): [
        ({"on": DAY, "to": "{ward}"}, 400, "to"),
        ({"on": DAY, "to": MISSING}, 404, "to"),
        ({"on": DAY, "to": "{other}"}, 404, "to"),
        ({"on": DAY}, 422, "to"),
    ],
    ("POST", C + "/settling", True): [({"on": DAY}, 400, "state"), ({"on": "x"}, 422, "on")],
    ("POST", C + "/extend", True): [
        ({"on": DAY, "decision_number": "1"}, 400, "state"),
        ({"on": DAY}, 422, "decision_number"),
    ],
    # A decision before acceptance.
    ("POST", C + "/decide", True): [
        ({"decision_number": "1", "decision_date": DAY, "result": "upheld"}, 400, "decision_date"),
        ({"decision_number": "1", "decision_date": "x", "result": "upheld"}, 422, "decision_date"),
        ({"decision_number": "1", "decision_date": DAY, "result": "maybe"}, 422, "result"),
    ],
    ("POST", C + "/close", False): [({"on": DAY}, 400, "state"), ({"on": "31/12/2025"}, 422, "on")],
    ("POST", D + "/withdraw", True): [({"on": DAY}, 400, "kind")],
    ("POST", C + "/withdraw", True): [({"on": TOMORROW}, 400, "on"), ({}, 422, "on")],
    ("POST", C + "/assign", False): [
        ({"handler": "khong-ai"}, 400, "handler"),
        ({"handler": "bob"}, 400, "handler"),
        ({}, 422, "handler"),
    ],
    ("POST", f"matters/{MISSING}/close", False): [({"on": DAY}, 404, None)],
    ("POST", "receptions", False): [
        ({"unit": "{ward}", "head_role": "king", "head_name": "A", "held_on": DAY}, 422, "head_role"),
        ({"unit": "{ward}", "head_role": "agency_head", "head_name": "A", "held_on": "x"}, 422, "held_on"),
        ({"unit": "{ward}", "head_role": "agency_head", "head_name": "A", "held_on": TOMORROW}, 400, "held_on"),
        ({"unit": "{ward}", "head_role": "agency_head", "head_name": "A", "held_on": DAY, "head_present": False}, 400, "delegate"),
        ({"unit": "{ward}", "head_role": "agency_head", "head_name": "A", "held_on": DAY, "citizens_received": -1}, 422, "citizens_received"),
    ],
    ("POST", "dialogues", False): [
        ({"unit": "{ward}", "title": "T", "held_on": DAY, "heads": "H", "topics": ["khong-co"]}, 400, "topics"),
        ({"unit": "{ward}", "title": "T", "held_on": "2026-02-31", "heads": "H"}, 422, "held_on"),
        ({"unit": "{ward}", "title": "", "held_on": DAY, "heads": "H"}, 422, "title"),
    ],
    ("POST", "dialogues/{dialogue}/commitments", False): [
        ({"content": "C", "owner": "{ward}", "due_on": "2000-01-01"}, 400, "due_on"),
        ({"content": "C", "owner": "{ward}", "due_on": "x"}, 422, "due_on"),
        ({"content": "C", "owner": MISSING, "due_on": DAY}, 404, "owner"),
    ],
    ("POST", "commitments/{commitment}/answer", False): [
        ({"answered_on": "2000-01-01", "answer": "A"}, 400, "answered_on"),
        ({"answered_on": "x", "answer": "A"}, 422, "answered_on"),
        ({"answered_on": DAY, "answer": " "}, 400, "answer"),
    ],
}  # fmt: skip


def _send(api, method, url, multipart, body, ids):
    url = fill(url, ids)
    if isinstance(body, str):
        return api.send(method, url, raw=body)
    if multipart:
        return api.upload(url, fill(body, ids))
    return api.send(method, url, fill(body, ids))


@pytest.mark.parametrize(("method", "url", "multipart"), list(CASES))
def test_bad_input_is_refused_and_writes_nothing(world, media, method, url, multipart):
    api, ids = Api(world.users["handler"]), world.ids
    for body, status, field in CASES[(method, url, multipart)]:
        before = db_state()
        response = _send(api, method, url, multipart, body, ids)
        assert_error(response, status, field)
        assert NAME not in response.content.decode()
        assert db_state() == before, (url, body)
    assert list(media.rglob("*.*")) == []


def test_an_extension_beyond_the_maximum(world):
    """A complaint's settlement time is not extendable; a normal denunciation's once."""
    api = Api(world.users["handler"])
    services.accept_matter(actor=world.users["handler"], matter=world.complaint, on=RECEIVED)
    before = db_state()
    body = {"on": DAY, "decision_number": "9/QĐ"}
    assert_error(api.upload(f"matters/{world.complaint.pk}/extend", body), 400, "extensions")
    assert db_state() == before


def test_a_decision_dated_before_acceptance(world):
    api = Api(world.users["handler"])
    services.accept_matter(actor=world.users["handler"], matter=world.complaint, on=TODAY)
    before = db_state()
    body = {"decision_number": "1", "decision_date": RECEIVED.isoformat(), "result": "upheld"}
    assert_error(api.upload(f"matters/{world.complaint.pk}/decide", body), 400, "decision_date")
    body = {"decision_number": "1", "decision_date": DAY, "result": "answered"}
    assert_error(api.upload(f"matters/{world.complaint.pk}/decide", body), 400, "result")
    assert db_state() == before


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("petitions", {"received_from": "x"}, "received_from"),
        ("petitions", {"channel": "pigeon"}, "channel"),
        ("matters", {"state": "sleeping"}, "state"),
        ("matters", {"received_to": "2026-02-30"}, "received_to"),
        ("dashboard", {"start": "x", "end": DAY}, "start"),
        ("dashboard", {"start": DAY, "end": "2000-01-01"}, "end"),
        ("reception-compliance", {"start": DAY}, "end"),
        ("hot-spots", {"months": 0}, "months"),
        ("petitions/similar", {"text": "ab"}, "text"),
        ("deadline-rules", {"in_force_on": "x"}, "in_force_on"),
    ],
)
def test_bad_filters(world, url, params, field):
    response = Api(world.users["handler"]).get(url, **params)
    assert_error(response, 400 if field == "end" and "end" in params else 422, field)
