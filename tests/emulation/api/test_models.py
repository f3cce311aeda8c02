"""Models over the API: list and filters, detail, register, change, state, progress with
evidence, scores, recognition, commendation, replication, adoption; evidence download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.emulation.models import Adoption, Evidence, MovementModel

from .conftest import PDF, TODAY, YEAR, Api


def test_list_is_scoped(world, alice, bob, charlie, superuser):
    assert [m["id"] for m in Api(alice).get("models").json()["items"]] == [world.model.pk]
    assert [m["id"] for m in Api(bob).get("models").json()["items"]] == [world.model.pk]
    assert Api(charlie).get("models").json()["count"] == 0
    assert Api(superuser).get("models").json()["count"] == 2


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"movement": "movement"}, True),
        ({"year": YEAR}, True),
        ({"year": YEAR - 1}, False),
        ({"unit": "union"}, True),
        ({"unit": "ward"}, True),
        ({"level": "commune"}, True),
        ({"level": "district"}, False),
        ({"field": "economy"}, True),
        ({"field": "culture-society"}, False),
        ({"state": "registered"}, True),
        ({"state": "completed"}, False),
        ({"q": "tiet kiem"}, True),
        ({"q": "hoa giai"}, False),
        ({"for_replication": "false"}, True),
        ({"for_replication": "true"}, False),
    ],
)
def test_list_filters(world, alice, params, found):
    ids = world.ids
    params = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
    response = Api(alice).get("models", **params)
    assert response.status_code == 200, response.content
    assert [m["id"] for m in response.json()["items"]] == ([world.model.pk] if found else [])


def test_list_filter_outside_scope_is_404(world, alice):
    assert Api(alice).get("models", unit=world.tree["other"].pk).status_code == 404
    assert Api(alice).get("models", movement=999999).status_code == 404


def test_detail(world, bob):
    body = Api(bob).get(f"models/{world.model.pk}").json()
    assert body["title"] == "Chi hội phụ nữ tiết kiệm"
    assert body["unit"]["code"] == "bd-hlhpn" and body["level"] == "commune"
    assert body["kind"] == "collective" and body["labels"] == ["Kỷ niệm 70 năm"]
    assert [s["name"] for s in body["scores"]] == ["Hiệu quả", "Lan tỏa"]
    assert body["scores"][0]["mean"] is None and body["scores"][0]["evaluators"] == 0
    assert body["progress_reports"] == [] and body["commendations"] == []
    assert body["adoptions"] == [] and body["goal_rows"] == []


def test_register_collective_and_individual(world, officer):
    api = Api(officer)
    base = {
        "movement": world.movement.pk,
        "year": YEAR,
        "level": "commune",
        "unit": world.tree["union"].pk,
        "field": "culture-society",
    }
    r = api.post("models", {**base, "title": "Tổ phụ nữ tự quản", "labels": ["Kỷ niệm 70 năm"]})
    assert r.status_code == 201, r.content
    assert r.json()["labels"] == ["Kỷ niệm 70 năm"] and r.json()["state"] == "registered"
    r = api.post(
        "models",
        {
            **base,
            "title": "Gương cán bộ khéo vận động",
            "kind": "individual",
            "person_name": "Trần Thị Mai",
            "person_position": "Chi hội trưởng",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["person_name"] == "Trần Thị Mai" and r.json()["kind"] == "individual"


def test_patch(world, alice):
    api = Api(alice)
    r = api.patch(
        f"models/{world.model.pk}",
        {"title": "Tiết kiệm vì người nghèo", "field": "political-system", "plan": "Mỗi tháng"},
    )
    assert r.status_code == 200, r.content
    assert r.json()["title"] == "Tiết kiệm vì người nghèo"
    assert r.json()["field"] == "political-system" and r.json()["plan"] == "Mỗi tháng"
    assert api.patch(f"models/{world.model.pk}", {}).status_code == 200


def test_state_changes(world, alice):
    api, url = Api(alice), f"models/{world.model.pk}/state"
    r = api.post(url, {"state": "in_progress"})
    assert r.status_code == 200 and r.json()["state"] == "in_progress"
    r = api.post(url, {"state": "abandoned", "reason": "Thiếu kinh phí", "on": "2026-05-01"})
    assert r.json()["state"] == "abandoned" and r.json()["abandon_reason"] == "Thiếu kinh phí"
    assert r.json()["state_changed_on"] == "2026-05-01"


def test_progress_with_evidence_and_download(world, alice, bob, charlie, media):
    files = [
        SimpleUploadedFile("báo cáo quý 1.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("ảnh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png"),
    ]
    r = Api(alice).upload(
        f"models/{world.model.pk}/progress",
        {
            "reported_on": TODAY.isoformat(),
            "percent": 40,
            "narrative": "Đã họp dân",
            "files": files,
        },
    )
    assert r.status_code == 201, r.content
    report = r.json()
    assert report["percent"] == 40
    assert [e["name"] for e in report["evidence"]] == ["báo cáo quý 1.pdf", "ảnh.png"]
    pdf = report["evidence"][0]
    assert pdf["content_type"] == "application/pdf" and pdf["size"] == len(PDF)
    assert pdf["url"] == f"/api/v1/emulation/evidence/{pdf['id']}"
    # The model moved on, and lists its report.
    detail = Api(bob).get(f"models/{world.model.pk}").json()
    assert detail["state"] == "in_progress" and detail["progress_reports"][0]["id"] == report["id"]
    # Download: the viewer may, the outsider never learns it exists.
    response = Api(bob).get(pdf["url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''b%C3%A1o" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    r = Api(charlie).get(pdf["url"])
    assert r.status_code == 404 and r.json()["message"]
    assert Api(bob).get("evidence/999999").status_code == 404


def test_progress_without_files(world, alice):
    r = Api(alice).upload(
        f"models/{world.model.pk}/progress",
        {"reported_on": TODAY.isoformat(), "percent": "10", "narrative": "Khởi động"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["evidence"] == []


def test_evidence_file_missing_on_disk_is_404(world, alice, media):
    upload = SimpleUploadedFile("a.pdf", PDF)
    r = Api(alice).upload(
        f"models/{world.model.pk}/progress",
        {"reported_on": TODAY.isoformat(), "percent": 5, "narrative": "x", "files": [upload]},
    )
    evidence = Evidence.objects.get(pk=r.json()["evidence"][0]["id"])
    evidence.file.delete(save=False)
    r = Api(alice).get(f"evidence/{evidence.pk}")
    assert r.status_code == 404 and r["Content-Type"].startswith("application/json")


def test_evaluation_recognition_commendation_replication(world, alice, superuser):
    api, url = Api(alice), f"models/{world.model.pk}"
    c1, c2 = world.criteria
    r = api.post(f"{url}/scores", {"scores": {str(c1.pk): 8, str(c2.pk): "5"}})
    assert r.status_code == 200, r.content
    # (8/10·2 + 5/5·1) / 3 = 86.67
    assert r.json()["score"] == "86.67"
    assert [s["evaluators"] for s in r.json()["scores"]] == [1, 1]
    r = Api(superuser).post(f"{url}/scores", {"scores": {str(c1.pk): 6}})
    assert r.json()["scores"][0]["mean"] == 7.0
    r = api.post(f"{url}/recognition", {"level": "commune", "on": "2026-06-01"})
    assert r.status_code == 200 and r.json()["recognized_level"] == "commune"
    assert r.json()["recognized_on"] == "2026-06-01"
    r = api.post(
        f"{url}/commendations",
        {
            "form": "Giấy khen",
            "issuing_body": "Đảng ủy phường Ba Đình",
            "decision_number": "12/QĐ-ĐU",
            "decision_date": "2026-06-15",
        },
    )
    assert r.status_code == 201 and r.json()["decision_number"] == "12/QĐ-ĐU"
    r = api.post(f"{url}/replication", {})
    assert r.status_code == 200 and r.json()["for_replication"] is True
    assert api.post(f"{url}/replication", {"replicate": False}).json()["for_replication"] is False
    detail = api.get(url).json()
    assert detail["commendations"][0]["form"] == "Giấy khen"


def test_adoption_and_progress(world, alice, bob):
    services_model = MovementModel.objects.get(pk=world.model.pk)
    services_model.for_replication = True
    services_model.save(update_fields=["for_replication"])
    api = Api(alice)
    r = api.post(
        f"models/{world.model.pk}/adoptions",
        {"unit": world.tree["ward"].pk, "started_on": "2026-07-01", "notes": "Nhân rộng"},
    )
    assert r.status_code == 201, r.content
    adoption = r.json()
    assert adoption["unit"]["code"] == "bd-du" and adoption["percent"] == 0
    r = api.post(f"adoptions/{adoption['id']}/progress", {"percent": 60, "notes": "Đã có 3 tổ"})
    assert r.status_code == 200 and r.json()["percent"] == 60
    assert r.json()["notes"] == "Đã có 3 tổ"
    assert Api(bob).get(f"models/{world.model.pk}").json()["adoptions"][0]["percent"] == 60
    assert Adoption.objects.count() == 1
