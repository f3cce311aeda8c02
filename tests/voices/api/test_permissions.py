"""The permission table of the voices API: who gets what on every endpoint. Outsiders never
learn a record exists (404); viewers read but never write (403); nobody signed out gets in
(401), except on public tracking."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.voices.models import Petition

from .conftest import PDF, TODAY, Api, assert_error, db_state, fill

DAY = TODAY.isoformat()
PETITION = {
    "unit": "{ward}", "channel": "letter", "received_on": DAY, "area": "{area}", "topic": "land",
    "contents": "Nội dung", "citizens": [{"name": "Ai Đó"}],
    "matters": [{"kind": "complaint", "summary": "Khiếu nại"}],
}  # fmt: skip
M = "matters/{complaint}"
# method, url, body, multipart?
WRITES = [
    ("POST", "petitions", PETITION, False),
    ("POST", M + "/classify", {}, False),
    ("POST", M + "/accept", {"on": DAY}, True),
    ("POST", M + "/not-accept", {"on": DAY, "reason": "Không"}, True),
    ("POST", M + "/forward", {"on": DAY, "to": "{union}"}, True),
    ("POST", M + "/settling", {"on": DAY}, True),
    ("POST", M + "/extend", {"on": DAY, "decision_number": "1/QĐ"}, True),
    ("POST", M + "/decide", {"decision_number": "1", "decision_date": DAY, "result": "upheld"}, True),
    ("POST", M + "/close", {"on": DAY}, False),
    ("POST", M + "/withdraw", {"on": DAY}, True),
    ("POST", M + "/assign", {"handler": None}, False),
    ("POST", "receptions", {"unit": "{ward}", "head_role": "commune_pc_chair", "head_name": "A", "held_on": DAY}, False),
    ("POST", "dialogues", {"unit": "{ward}", "title": "T", "held_on": DAY, "heads": "H"}, False),
    ("POST", "dialogues/{dialogue}/commitments", {"content": "C", "owner": "{ward}", "due_on": DAY}, False),
    ("POST", "commitments/{commitment}/answer", {"answered_on": DAY, "answer": "Đã làm"}, False),
]  # fmt: skip
# Writes that name no existing record: an outsider is refused on the unit it names.
UNIT_WRITES = {"petitions", "receptions", "dialogues"}
OBJECT_READS = [
    "petitions/{petition}",
    "petitions/{petition}/identity",
    "matters/{complaint}",
    "dialogues/{dialogue}",
]
LISTS = ["petitions", "matters", "receptions", "dialogues", "hot-spots"]
OPEN_READS = ["deadline-rules", "topics"]


def _write(api, method, url, body, multipart, ids):
    url, body = fill(url, ids), fill(body, ids)
    if multipart:
        return api.upload(url, {**body, "files": [SimpleUploadedFile("a.pdf", PDF)]})
    return api.send(method, url, body)


@pytest.mark.parametrize("who", ["charlie", "other_handler"])
def test_outsiders_get_404_and_empty_lists(world, media, who):
    api, ids = Api(world.users[who]), world.ids
    before = db_state()
    for method, url, body, multipart in WRITES:
        assert_error(_write(api, method, url, body, multipart, ids), 404)
    assert db_state() == before
    for url in OBJECT_READS:
        assert_error(api.get(fill(url, ids)), 404)
    ward_ids = {
        "petitions": {ids["petition"]},
        "matters": {ids["complaint"], ids["denunciation"], ids["recommendation"]},
        "receptions": {ids["reception"]},
        "dialogues": {ids["dialogue"]},
    }
    for url in LISTS:
        response = api.get(url)
        assert response.status_code == 200
        data = response.json()
        items = data["items"] if isinstance(data, dict) else data
        if url == "hot-spots":
            assert items == []
        else:
            assert not {row["id"] for row in items} & ward_ids[url], url
    for url in OPEN_READS:
        assert api.get(url).status_code == 200
    assert_error(api.get("worklist", unit=ids["ward"]), 404, "unit")
    assert_error(api.get("dashboard", unit=ids["ward"], start=DAY, end=DAY), 404, "unit")
    if who == "other_handler":
        # Their own unit's petition is theirs; the ward's is not.
        assert api.get(f"petitions/{ids['other_petition']}").status_code == 200


def test_viewers_read_but_never_write(world, media):
    api, ids = Api(world.users["bob"]), world.ids
    before = db_state()
    for method, url, body, multipart in WRITES:
        assert_error(_write(api, method, url, body, multipart, ids), 403)
    assert db_state() == before
    for url in OBJECT_READS:
        expected = 404 if url.endswith("identity") else 200
        assert api.get(fill(url, ids)).status_code == expected, url
    assert api.get("matters").json()["count"] == 3
    assert api.get("worklist").status_code == 200
    assert api.get("dashboard", start=DAY, end=DAY).status_code == 200


def test_intake_officers_receive_but_do_not_handle(world, media):
    api, ids = Api(world.users["alice"]), world.ids
    for method, url, body, multipart in WRITES:
        response = _write(api, method, url, body, multipart, ids)
        if url in UNIT_WRITES or "commitments" in url:
            assert response.status_code in (200, 201), (url, response.content)
        else:
            assert_error(response, 403)
    assert_error(api.get(fill("petitions/{petition}/identity", ids)), 404)


def test_case_handler_may_do_everything_on_the_unit(world, media):
    api, ids = Api(world.users["handler"]), world.ids
    assert _write(api, *WRITES[0], ids).status_code == 201
    assert api.get(fill("petitions/{petition}/identity", ids)).status_code == 200
    assert _write(api, *WRITES[1], ids).status_code == 200


def test_signed_out_gets_401(world):
    api, ids = Api(None), world.ids
    count = Petition.objects.count()
    for method, url, body, multipart in WRITES:
        assert_error(_write(api, method, url, body, multipart, ids), 401)
    for url in [*OBJECT_READS, *LISTS, *OPEN_READS, "worklist", "documents/1"]:
        assert_error(api.get(fill(url, ids)), 401)
    assert Petition.objects.count() == count
    assert api.get(f"track/{ids['code']}").status_code == 200
