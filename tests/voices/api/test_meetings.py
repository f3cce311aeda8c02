"""Reception sessions, dialogues and commitments, compliance, the dashboard and hot spots."""

import datetime as dt

from danvan.voices import services

from .conftest import RECEIVED, TODAY, Api, assert_no_identity


def test_reception_sessions(world):
    api, ward = Api(world.users["handler"]), world.tree["ward"].pk
    response = api.post(
        "receptions",
        {
            "unit": ward,
            "head_role": "commune_pc_chair",
            "head_name": "Trần Chủ Tịch",
            "held_on": TODAY.isoformat(),
            "head_present": False,
            "delegate": "Phó Chủ tịch",
            "citizens_received": 7,
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["delegate"] == "Phó Chủ tịch" and not data["head_present"]
    listed = api.get("receptions", unit=ward)
    assert listed.json()["count"] == 2
    assert listed.json()["items"][0]["id"] == data["id"]
    assert (
        api.get("receptions", held_to=(TODAY - dt.timedelta(days=1)).isoformat()).json()["count"]
        == 1
    )
    assert Api(world.users["other_handler"]).get("receptions").json()["count"] == 0


def test_dialogues_and_commitments(world):
    api, ids = Api(world.users["handler"]), world.ids
    response = api.post(
        "dialogues",
        {
            "unit": ids["ward"],
            "title": "Đối thoại về môi trường",
            "held_on": TODAY.isoformat(),
            "heads": "Chủ tịch UBND phường",
            "participants": 25,
            "topics": ["environment", "land"],
        },
    )
    assert response.status_code == 201, response.content
    dialogue = response.json()
    assert sorted(dialogue["topics"]) == ["environment", "land"] and dialogue["commitments"] == []
    response = api.post(
        f"dialogues/{dialogue['id']}/commitments",
        {"content": "Kiểm tra xưởng nhuộm", "owner": ids["union"], "due_on": TODAY.isoformat()},
    )
    assert response.status_code == 201, response.content
    commitment = response.json()
    assert commitment["owner"]["id"] == ids["union"] and commitment["answered_on"] is None
    response = api.post(
        f"commitments/{commitment['id']}/answer",
        {"answered_on": TODAY.isoformat(), "answer": "Đã kiểm tra, lập biên bản"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["answer"] == "Đã kiểm tra, lập biên bản"
    detail = api.get(f"dialogues/{dialogue['id']}").json()
    assert [c["id"] for c in detail["commitments"]] == [commitment["id"]]
    assert detail["commitments"][0]["answered_on"] == TODAY.isoformat()
    listed = api.get("dialogues", held_from=TODAY.isoformat()).json()
    assert [d["id"] for d in listed["items"]] == [dialogue["id"]]
    assert api.get("dialogues").json()["count"] == 2


def test_reception_compliance(world):
    api = Api(world.users["handler"])
    start, end = TODAY - dt.timedelta(days=29), TODAY
    response = api.get("reception-compliance", start=start.isoformat(), end=end.isoformat())
    assert response.status_code == 200, response.content
    (row,) = response.json()
    assert row["head_name"] == "Nguyễn Văn Bí Thư" and row["held"] == 1 and row["in_person"] == 1
    assert row["required"] == 2 and row["met"] is False and row["citation"]


def test_dashboard(world, superuser):
    services.accept_matter(actor=superuser, matter=world.complaint, on=RECEIVED)
    api = Api(world.users["handler"])
    start = (TODAY - dt.timedelta(days=60)).isoformat()
    response = api.get("dashboard", start=start, end=TODAY.isoformat())
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["received"] == 3 and data["accepted"] == 1
    assert {r["key"]: r["n"] for r in data["by_kind"]} == {
        "complaint": 1, "denunciation": 1, "recommendation": 1,
    }  # fmt: skip
    assert data["by_channel"] == [{"key": "letter", "n": 3}]
    assert data["by_topic"][0]["code"] == "land"
    assert data["overdue_now"] == 1  # the denunciation; the complaint was accepted
    assert data["commitments_open"] == 1 and data["commitments_overdue"] == 0
    assert len(data["reception"]) == 1
    assert_no_identity(response)
    whole = Api(superuser).get(
        "dashboard", start=start, end=TODAY.isoformat(), unit=world.tree["city"].pk
    )
    assert whole.json()["received"] == 4 and whole.json()["unit"]["id"] == world.tree["city"].pk


def test_hot_spots(world, hanoi_ward):
    api = Api(world.users["handler"])
    for i in range(3):
        services.receive_petition(
            actor=world.users["handler"],
            unit=world.tree["ward"],
            channel="online",
            received_on=TODAY - dt.timedelta(days=i),
            area=hanoi_ward,
            topic_code="environment",
            contents=f"Khói bụi lần {i}",
            citizens=[{"name": "Người dân"}],
            matters=[{"kind": "recommendation", "summary": "Khói bụi"}],
        )
    response = api.get("hot-spots", months=1)
    assert response.status_code == 200, response.content
    (spot,) = response.json()
    assert spot["area_id"] == hanoi_ward.pk and spot["topic_en"] == "Environment"
    assert (spot["now"], spot["before"], spot["rise"]) == (3, 0, 3)
    assert Api(world.users["other_handler"]).get("hot-spots").json() == []
