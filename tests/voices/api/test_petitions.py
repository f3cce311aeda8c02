"""Petitions over the API: received with the tracking code, listed and read without the
citizen's identity, similar ones found; the rule table and topics."""

from danvan.audit.models import AuditEvent
from danvan.voices.models import Citizen, Matter, Petition

from .conftest import CONTENTS, RECEIVED, TODAY, Api, assert_no_identity

NEW = {
    "unit": None,
    "channel": "reception",
    "received_on": TODAY.isoformat(),
    "area": None,
    "topic": "environment",
    "contents": "Nước thải của xưởng nhuộm chảy ra mương",
    "citizens": [{"name": "Đỗ Mười Hai Kép", "address": "Tổ 5", "contact": "0900 000 111"}],
    "matters": [
        {"kind": "recommendation", "summary": "Đề nghị kiểm tra xưởng nhuộm"},
        {"kind": "complaint", "summary": "Khiếu nại việc không xử lý", "complicated": True},
    ],
}


def test_receive_a_petition(world):
    api = Api(world.users["handler"])
    audit = AuditEvent.objects.count()
    body = {**NEW, "unit": world.tree["ward"].pk, "area": world.petition.area_id}
    response = api.post("petitions", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert len(data["tracking_code"]) == 12
    assert data["citizens"] == 1
    assert [m["kind"] for m in data["matters"]] == ["recommendation", "complaint"]
    assert all(m["state"] == "received" for m in data["matters"])
    assert data["matters"][1]["due_on"]  # a complaint is accepted or not within 10 days
    assert data["unit"]["id"] == world.tree["ward"].pk and data["topic"]["code"] == "environment"
    text = response.content.decode()
    assert "Đỗ Mười Hai Kép" not in text and "0900 000 111" not in text and "Tổ 5" not in text
    petition = Petition.objects.get(pk=data["id"])
    assert petition.citizens.count() == 1 and petition.matters.count() == 2
    assert AuditEvent.objects.count() == audit + 1
    assert "Đỗ Mười" not in str(AuditEvent.objects.latest("pk").changes)


def test_anonymous_denunciation_is_recorded_not_accepted(world):
    api = Api(world.users["handler"])
    body = {
        **NEW,
        "unit": world.tree["ward"].pk,
        "area": world.petition.area_id,
        "anonymous": True,
        "citizens": [],
        "matters": [{"kind": "denunciation", "summary": "Tố cáo nặc danh"}],
    }
    response = api.post("petitions", body)
    assert response.status_code == 201, response.content
    (matter,) = response.json()["matters"]
    assert matter["state"] == "not_accepted" and matter["due_on"] is None
    assert Citizen.objects.filter(petition_id=response.json()["id"]).count() == 0


def test_second_time_complaint(world, superuser):
    from danvan.voices import services

    complaint = world.complaint
    services.accept_matter(actor=superuser, matter=complaint, on=RECEIVED)
    services.decide_matter(
        actor=superuser, matter=complaint, decision_number="12/QĐ", decision_date=TODAY,
        result="rejected",
    )  # fmt: skip
    body = {
        **NEW,
        "unit": world.tree["ward"].pk,
        "area": world.petition.area_id,
        "matters": [{"kind": "complaint", "summary": "Khiếu nại lần hai"}],
        "first_complaint": complaint.pk,
    }
    response = Api(world.users["handler"]).post("petitions", body)
    assert response.status_code == 201, response.content
    matter = Matter.objects.get(pk=response.json()["matters"][0]["id"])
    assert matter.first_complaint_id == complaint.pk


def test_list_petitions_without_contents_or_identity(world):
    api = Api(world.users["handler"])
    response = api.get("petitions")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1  # the sibling ward's petition is not seen
    (row,) = body["items"]
    assert row["tracking_code"] == world.petition.tracking_code
    assert "contents" not in row and "citizens" not in row
    assert CONTENTS not in response.content.decode()
    assert_no_identity(response)


def test_petition_filters(world, superuser):
    api, ids = Api(superuser), world.ids
    assert api.get("petitions").json()["count"] == 2

    def count(**params):
        response = api.get("petitions", **params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["items"]}

    assert count(unit=ids["ward"]) == {ids["petition"]}
    assert count(unit=ids["city"]) == {ids["petition"], ids["other_petition"]}
    assert count(topic="land") == {ids["petition"]}
    assert count(channel="online") == {ids["other_petition"]}
    assert count(received_from=TODAY.isoformat()) == {ids["other_petition"]}
    assert count(received_to=RECEIVED.isoformat()) == {ids["petition"]}
    assert count(received_from=TODAY.isoformat(), topic="land") == set()


def test_petition_detail(world):
    response = Api(world.users["bob"]).get(f"petitions/{world.petition.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["contents"] == CONTENTS
    assert data["citizens"] == 1
    assert [m["kind"] for m in data["matters"]] == ["complaint", "denunciation", "recommendation"]
    assert_no_identity(response)


def test_similar_petitions(world):
    api = Api(world.users["handler"])
    response = api.get(
        "petitions/similar",
        text="xem xét thu hồi đất làm đường liên xã tổ dân phố 3",
        area=world.petition.area_id,
        topic="land",
    )
    assert response.status_code == 200, response.content
    (row,) = response.json()
    assert row["id"] == world.petition.pk and row["tracking_code"] == world.petition.tracking_code
    assert 0.35 <= row["score"] <= 1 and set(row) == {"id", "tracking_code", "received_on", "score"}
    assert api.get("petitions/similar", text="hoàn toàn khác biệt chẳng liên quan").json() == []
    # The sibling ward's handler does not see it.
    other = Api(world.users["other_handler"]).get("petitions/similar", text=CONTENTS)
    assert other.json() == []


def test_rules_and_topics(world):
    api = Api(world.users["charlie"])
    rules = api.get("deadline-rules").json()
    assert rules and all(r["citation"] and r["effective_from"] for r in rules)
    accept = [r for r in rules if (r["kind"], r["step"]) == ("complaint", "accept")]
    assert accept[0]["days"] == 10 and "Điều 27" in accept[0]["citation"]
    denunciations = api.get("deadline-rules", kind="denunciation").json()
    assert denunciations and {r["kind"] for r in denunciations} == {"denunciation"}
    assert api.get("deadline-rules", in_force_on="2010-01-01").json() == []
    topics = api.get("topics").json()
    assert {"land", "environment"} <= {t["code"] for t in topics}
