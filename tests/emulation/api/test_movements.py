"""Movements over the API: list, detail, create, themes, criteria, labels, windows, dashboard."""

import datetime as dt

from danvan.audit.models import AuditEvent
from danvan.emulation.models import Movement

from .conftest import TODAY, YEAR, Api


def test_list_is_scoped_and_filtered(world, alice, charlie, superuser):
    codes = {m["code"] for m in Api(alice).get("movements").json()["items"]}
    # The ward's own movement, and the city's one it takes part in.
    assert codes == {"dvk-bd", "dvk-hn"}
    assert Api(charlie).get("movements").json() == {"items": [], "count": 0}
    root = Api(superuser)
    assert [m["code"] for m in root.get("movements", q="Ba Đình").json()["items"]] == ["dvk-bd"]
    assert [
        m["code"] for m in root.get("movements", organizer=world.tree["ward"].pk).json()["items"]
    ] == ["dvk-bd"]
    assert root.get("movements", year=2023).json()["count"] == 0
    page = root.get("movements", limit=1, offset=1).json()
    assert page["count"] == 2 and len(page["items"]) == 1


def test_detail(world, bob):
    body = Api(bob).get(f"movements/{world.movement.pk}").json()
    assert body["organizer"]["code"] == "bd-du"
    assert body["fields"][0]["code"] == "economy"
    assert [lv["code"] for lv in body["levels"]] == ["commune", "district", "province", "central"]
    assert [c["name"] for c in body["criteria"]] == ["Hiệu quả", "Lan tỏa"]
    assert body["criteria"][0]["weight"] == "2.00"
    assert body["labels"] == [{"id": world.label.pk, "name": "Kỷ niệm 70 năm"}]
    assert body["windows"][0]["year"] == YEAR and body["windows"][0]["level"] is None
    assert body["themes"] == []


def test_create_movement(tree, alice):
    before = AuditEvent.objects.count()
    response = Api(alice).post(
        "movements",
        {
            "organizer": tree["union"].pk,
            "code": "phu-nu-kheo",
            "name": "Phụ nữ khéo",
            "start_year": 2025,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organizer"]["id"] == tree["union"].pk and len(body["levels"]) == 4
    assert Movement.objects.filter(code="phu-nu-kheo").exists()
    assert AuditEvent.objects.count() == before + 1


def test_themes_criteria_labels_windows(world, alice):
    api, mid = Api(alice), world.movement.pk
    r = api.put(f"movements/{mid}/themes/{YEAR}", {"title": "Việc gì cũng thành công"})
    assert r.status_code == 200 and r.json() == {"year": YEAR, "title": "Việc gì cũng thành công"}
    etag = r["ETag"]
    r = api.put(f"movements/{mid}/themes/{YEAR}", {"title": "Chủ đề mới"})
    assert r.json()["title"] == "Chủ đề mới"
    # Replaced over the version this client last saw, which another PUT has since changed.
    stale = api.put(f"movements/{mid}/themes/{YEAR}", {"title": "Cũ"}, headers={"If-Match": etag})
    assert stale.status_code == 412 and stale.json()["code"] == "edit_conflict"
    fresh = api.put(
        f"movements/{mid}/themes/{YEAR}", {"title": "Chủ đề mới"}, headers={"If-Match": r["ETag"]}
    )
    assert fresh.status_code == 200 and fresh.json()["title"] == "Chủ đề mới"
    r = api.post(
        f"movements/{mid}/criteria", {"name": "Sáng tạo", "weight": "1.5", "max_score": 20}
    )
    assert r.status_code == 201 and r.json()["max_score"] == "20.00"
    r = api.post(f"movements/{mid}/labels", {"name": "Chuyển đổi số"})
    assert r.status_code == 201 and r.json()["name"] == "Chuyển đổi số"
    r = api.post(
        f"movements/{mid}/windows",
        {
            "year": YEAR + 1,
            "opens_on": "2030-01-01",
            "closes_on": "2030-03-31",
            "level": "district",
        },
    )
    assert r.status_code == 201 and r.json()["level"] == "district"
    wid = r.json()["id"]
    r = api.post(f"movements/{mid}/windows/{wid}/close", {"last_day": "2030-02-01"})
    assert r.status_code == 200 and r.json()["closes_on"] == "2030-02-01"
    detail = api.get(f"movements/{mid}").json()
    assert detail["themes"] == [{"year": YEAR, "title": "Chủ đề mới"}]
    assert len(detail["criteria"]) == 3 and len(detail["windows"]) == 2


def test_close_window_default_yesterday(world, alice):
    r = Api(alice).post(f"movements/{world.movement.pk}/windows/{world.window.pk}/close", {})
    assert r.status_code == 200
    assert r.json()["closes_on"] == (TODAY - dt.timedelta(days=1)).isoformat()


def test_dashboard(world, alice, bob):
    url = f"movements/{world.movement.pk}/dashboard"
    body = Api(alice).get(url, year=YEAR).json()
    assert body["models"] == 1 and body["collectives"] == 1 and body["individuals"] == 0
    assert body["by_level"][0]["level"]["code"] == "commune"
    assert body["by_field"] == [{"code": "economy", "name": "Kinh tế", "models": 1, "completed": 0}]
    states = {s["state"]: s["models"] for s in body["by_state"]}
    assert states["registered"] == 1 and states["completed"] == 0
    assert [row["models"] for row in body["by_unit"]] == [1]
    assert body["by_label"] == [{"label": "Kỷ niệm 70 năm", "models": 1}]
    assert body["previous"] == {"year": YEAR - 1, "models": 0, "completed": 0}
    # One unit's subtree, a date, and the previous year.
    sub = Api(bob).get(url, year=YEAR, unit=world.tree["union"].pk, as_of=TODAY.isoformat())
    assert sub.status_code == 200 and sub.json()["unit"]["code"] == "bd-hlhpn"
    ward = Api(bob).get(url, year=YEAR, unit=world.tree["ward"].pk).json()
    assert [row["unit"]["code"] for row in ward["by_unit"]] == ["bd-hlhpn"]
    assert Api(alice).get(url, year=YEAR + 1).json()["previous"]["models"] == 1
