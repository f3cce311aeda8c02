"""Matters over the API: lists with filters, the detail with its timeline, every transition,
documents, and the worklist."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.audit.models import AuditEvent
from danvan.voices import services
from danvan.voices.models import Matter, MatterDocument

from .conftest import PDF, RECEIVED, TODAY, Api, assert_error, assert_no_identity


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def test_list_matters_with_filters(world, superuser):
    api, ids = Api(world.users["handler"]), world.ids
    mine = {ids["complaint"], ids["denunciation"], ids["recommendation"]}
    response = api.get("matters")
    assert _ids(response) == mine
    assert_no_identity(response)
    row = response.json()["items"][0]
    assert row["tracking_code"] == world.petition.tracking_code and row["topic"] == "land"
    assert _ids(api.get("matters", kind="complaint")) == {ids["complaint"]}
    assert _ids(api.get("matters", state="open")) == mine
    assert _ids(api.get("matters", state="closed")) == set()
    assert _ids(api.get("matters", topic="environment")) == set()
    assert _ids(api.get("matters", channel="letter")) == mine
    assert _ids(api.get("matters", q="THU HOI DAT lien xa")) == mine
    assert _ids(api.get("matters", q="xưởng gỗ")) == set()
    assert _ids(api.get("matters", received_from=TODAY.isoformat())) == set()
    assert _ids(api.get("matters", received_to=RECEIVED.isoformat())) == mine
    root = Api(superuser)
    assert _ids(root.get("matters", unit=ids["other"])) == {ids["other_matter"]}
    assert _ids(root.get("matters", q="xưởng gỗ")) == {ids["other_matter"]}


def test_a_complaint_from_classification_to_closing(world, media):
    api, mid = Api(world.users["handler"]), world.complaint.pk
    audit = AuditEvent.objects.count()
    response = api.post(
        f"matters/{mid}/classify",
        {"complicated": True, "note": "Nhiều hộ", "on": RECEIVED.isoformat()},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "classified" and response.json()["complicated"]
    accepted_on = RECEIVED + dt.timedelta(days=2)
    response = api.upload(
        f"matters/{mid}/accept",
        {
            "on": accepted_on.isoformat(),
            "note": "Thụ lý",
            "files": [SimpleUploadedFile("thong-bao.pdf", PDF, "application/pdf")],
        },
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["state"] == "accepted" and data["accepted_on"] == accepted_on.isoformat()
    assert data["settle_due_on"] == data["due_on"]  # 45 days: complicated
    assert dt.date.fromisoformat(data["settle_due_on"]) >= accepted_on + dt.timedelta(days=45)
    response = api.upload(f"matters/{mid}/settling", {"on": TODAY.isoformat(), "note": "Xác minh"})
    assert response.json()["state"] == "settling"
    response = api.upload(
        f"matters/{mid}/decide",
        {"decision_number": "15/QĐ-UBND", "decision_date": TODAY.isoformat(), "result": "upheld"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "decided" and response.json()["result"] == "upheld"
    response = api.post(f"matters/{mid}/close", {"on": TODAY.isoformat()})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "closed" and response.json()["due_on"] is None
    assert AuditEvent.objects.count() == audit + 5

    detail = api.get(f"matters/{mid}")
    assert detail.status_code == 200
    timeline = detail.json()["timeline"]
    assert [e["step"] for e in timeline] == [
        "received", "classified", "accepted", "settling", "decided", "closed",
    ]  # fmt: skip
    assert timeline[1]["note"] == "Nhiều hộ" and timeline[2]["actor"] == "api-handler"
    (document,) = timeline[2]["documents"]
    assert document["name"] == "thong-bao.pdf" and document["size"] == len(PDF)
    assert_no_identity(detail)

    download = api.client.get(document["url"])
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    # Only for those who see the matter.
    assert_error(Api(world.users["other_handler"]).client.get(document["url"]), 404)
    assert_error(Api(world.users["charlie"]).client.get(document["url"]), 404)
    assert Api(world.users["bob"]).client.get(document["url"]).status_code == 200
    assert_error(api.get("documents/999999"), 404)


def test_a_denunciation_extended_once_when_complicated(world):
    """Law on Denunciations 2018, Art. 30: an ordinary denunciation is not extended; marked
    complicated with its grounds, it is, once."""
    api, mid = Api(world.users["handler"]), world.denunciation.pk
    assert api.upload(f"matters/{mid}/accept", {"on": RECEIVED.isoformat()}).status_code == 200
    before = Matter.objects.get(pk=mid).settle_due_on
    extend = {"on": TODAY.isoformat(), "decision_number": "3/QĐ-GH"}
    refused = api.upload(f"matters/{mid}/extend", extend)
    assert_error(refused, 400, "extensions")
    assert "Điều 30" in refused.json()["message"]

    grounds = api.get("complexity-criteria").json()
    assert {g["code"] for g in grounds} >= {"many-people", "several-contents"}
    assert all(g["citation"].startswith("Nghị định 31/2019/NĐ-CP") for g in grounds)
    missing = api.post(f"matters/{mid}/complexity", {"complicated": True})
    assert_error(missing, 400, "grounds")
    response = api.post(
        f"matters/{mid}/complexity", {"complicated": True, "grounds": ["many-people"]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["complexity_grounds"] == ["many-people"]
    assert "Điều 30" in response.json()["settlement_rule"]

    response = api.upload(f"matters/{mid}/extend", extend)
    assert response.status_code == 200, response.content
    assert response.json()["extensions"] == 1
    assert dt.date.fromisoformat(response.json()["settle_due_on"]) > before
    # A second extension goes beyond the maximum of a complicated case.
    again = api.upload(
        f"matters/{mid}/extend", {"on": TODAY.isoformat(), "decision_number": "4/QĐ-GH"}
    )
    assert_error(again, 400, "extensions")


def test_not_accept_forward_withdraw(world):
    api, ids = Api(world.users["handler"]), world.ids
    response = api.upload(
        f"matters/{ids['recommendation']}/not-accept",
        {"on": TODAY.isoformat(), "reason": "Không thuộc thẩm quyền"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "not_accepted"
    assert response.json()["not_accepted_reason"] == "Không thuộc thẩm quyền"
    response = api.upload(
        f"matters/{ids['denunciation']}/forward",
        {"on": TODAY.isoformat(), "to": ids["union"], "note": "Chuyển Hội Phụ nữ"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "forwarded"
    assert response.json()["forwarded_to_id"] == ids["union"]
    response = api.upload(f"matters/{ids['complaint']}/withdraw", {"on": TODAY.isoformat()})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "withdrawn"


def test_assign_a_handler(world):
    api, mid = Api(world.users["handler"]), world.complaint.pk
    response = api.post(f"matters/{mid}/assign", {"handler": "api-handler"})
    assert response.status_code == 200, response.content
    assert response.json()["handler"] == "api-handler"
    assert _ids(api.get("matters", state="open")) >= {mid}
    response = api.post(f"matters/{mid}/assign", {"handler": None})
    assert response.json()["handler"] is None


def test_worklist(world, superuser):
    api = Api(world.users["handler"])
    response = api.get("worklist")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["today"] == TODAY.isoformat()
    assert data["open"] == 3
    # Received 20 days ago: the complaint's 10 days and the denunciation's 7 working days are past.
    assert {m["id"] for m in data["overdue"]} == {world.complaint.pk, world.denunciation.pk}
    assert data["due_soon"] == []
    assert_no_identity(response)
    assert Api(superuser).get("worklist", unit=world.tree["other"].pk).json()["open"] == 1
    assert_error(api.get("worklist", unit=world.tree["other"].pk), 404, "unit")


def test_files_are_stored_only_with_the_step(world, media):
    api, mid = Api(world.users["handler"]), world.complaint.pk
    response = api.upload(
        f"matters/{mid}/accept",
        {"on": TODAY.isoformat(), "files": [SimpleUploadedFile("a.pdf", PDF)]},
    )
    assert response.status_code == 200
    assert MatterDocument.objects.filter(event__matter_id=mid).count() == 1


def test_list_queries_do_not_grow_with_the_data(world, hanoi_ward):
    api = Api(world.users["handler"])

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = {url: queries(url) for url in ["petitions", "matters", "dialogues", "worklist"]}
    for i in range(3):
        petition = {
            "actor": world.users["handler"], "unit": world.tree["ward"], "channel": "letter",
            "received_on": TODAY, "area": hanoi_ward, "topic_code": "land",
            "contents": f"Đơn {i}", "citizens": [{"name": "Dân"}],
            "matters": [{"kind": "complaint", "summary": "K"}],
        }  # fmt: skip
        matter = services.receive_petition(**petition).matters.get()
        services.assign_handler(
            actor=world.users["handler"], matter=matter, handler=world.users["handler"]
        )
    after = {url: queries(url) for url in before}
    assert after == before
