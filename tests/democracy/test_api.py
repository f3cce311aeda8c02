"""/api/v1/democracy/: the permission table (method, URL, user → status), bad input, and
list endpoints whose query count does not grow with the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from danvan.accounts.services import create_token
from danvan.democracy import services

from ..api.conftest import ApiClient
from .conftest import make_households

pytestmark = pytest.mark.django_db

USERS = ("anon", "gov", "alice", "bob", "charlie", "root")


def row(gov, alice, bob, charlie, root):
    return {"anon": 401, "gov": gov, "alice": alice, "bob": bob, "charlie": charlie, "root": root}


SEE_ALL = row(200, 200, 200, 200, 200)
SEE = row(200, 200, 200, 404, 200)
MANAGE = row(200, 403, 403, 404, 200)
MANAGE_NEW = row(201, 403, 403, 404, 201)
SUPERVISE_NEW = row(404, 201, 403, 404, 201)


@pytest.fixture
def world(gov, alice, bob, charlie, superuser, ward_orgs):
    ubnd, hamlet, front = ward_orgs["ubnd"], ward_orgs["hamlet"], ward_orgs["front"]
    disclosure = services.create_disclosure(
        actor=gov, unit=ubnd, category_code="policy", title="Chính sách",
        decision_date=dt.date(2026, 3, 2),
    )  # fmt: skip
    make_households(gov, hamlet, 3)
    consultation = services.open_consultation(
        actor=gov, unit=ubnd, community=hamlet, matter_type_code="contribution", title="Đường",
        form="meeting", opens_on=dt.date(2026, 3, 2), closes_on=dt.date(2099, 3, 9),
    )  # fmt: skip
    body = services.create_body(actor=alice, unit=front, kind="inspection", name="Ban TTND")
    activity = services.record_activity(actor=alice, body=body, kind="supervision",
                                        subject="Thu chi", held_on=dt.date(2026, 3, 2))  # fmt: skip
    rec = services.add_recommendation(actor=alice, activity=activity, addressee=ubnd,
                                      content="Công khai", made_on=dt.date(2026, 3, 3),
                                      due_on=dt.date(2026, 3, 20))  # fmt: skip
    users = {"gov": gov, "alice": alice, "bob": bob, "charlie": charlie, "root": superuser}
    clients = {"anon": ApiClient(None)}
    for name, user in users.items():
        clients[name] = ApiClient(create_token(actor=user, user=user, name="t")[1])
    return {
        "d": disclosure.pk, "c": consultation.pk, "h": hamlet.pk, "b": body.pk,
        "a": activity.pk, "r": rec.pk, "ubnd": ubnd.pk, "front": front.pk, "clients": clients,
    }  # fmt: skip


def table(w):
    return [
        ("GET", "democracy/rules", None, SEE_ALL),
        ("GET", "democracy/dashboard", None, SEE_ALL),
        ("GET", "democracy/disclosures", None, SEE_ALL),
        ("GET", f"democracy/disclosures/{w['d']}", None, SEE),
        ("POST", "democracy/disclosures", {"unit": w["ubnd"], "category": "budget",
                                           "title": "Dự toán", "decision_date": "2026-03-02"},
         MANAGE_NEW),
        ("POST", f"democracy/disclosures/{w['d']}/publication",
         {"published_on": "2026-03-05", "forms": ["website"]}, MANAGE),
        ("GET", f"democracy/communities/{w['h']}/households", None, SEE),
        ("POST", f"democracy/communities/{w['h']}/households", {"code": "N1"}, MANAGE_NEW),
        ("GET", "democracy/consultations", None, SEE_ALL),
        ("GET", f"democracy/consultations/{w['c']}", None, SEE),
        ("POST", f"democracy/consultations/{w['c']}/votes",
         {"household": "H001", "choice": "yes", "cast_on": "2026-03-03"}, MANAGE_NEW),
        ("POST", f"democracy/consultations/{w['c']}/close", {"closed_on": "2026-03-10"}, MANAGE),
        ("GET", "democracy/bodies", None, SEE_ALL),
        ("GET", f"democracy/bodies/{w['b']}", None, row(404, 200, 200, 404, 200)),
        ("POST", "democracy/bodies", {"unit": w["front"], "kind": "front", "name": "MTTQ"},
         SUPERVISE_NEW),
        ("POST", "democracy/activities", {"body": w["b"], "kind": "social_criticism",
                                          "subject": "Dự thảo", "held_on": "2026-03-02"},
         SUPERVISE_NEW),
        ("GET", "democracy/recommendations", None, SEE_ALL),
        ("GET", f"democracy/recommendations/{w['r']}", None, SEE),
        ("POST", "democracy/recommendations", {"activity": w["a"], "addressee": w["ubnd"],
                                               "content": "Thêm", "made_on": "2026-03-04",
                                               "due_on": "2026-03-30"}, SUPERVISE_NEW),
        ("POST", f"democracy/recommendations/{w['r']}/responses",
         {"responded_on": "2026-03-05", "content": "Đã làm"}, MANAGE_NEW),
        ("GET", "democracy/satisfaction", None, SEE_ALL),
        ("POST", "democracy/satisfaction", {"unit": w["ubnd"], "service": "Một cửa",
                                            "period_start": "2026-01-01",
                                            "period_end": "2026-06-30", "satisfied": 3},
         row(403, 201, 403, 404, 201)),
        ("POST", "democracy/rules/thresholds", {"matter_type": "contribution", "percent": 70,
                                                "citation": "x",
                                                "effective_from": "2027-01-01"},
         row(403, 403, 403, 403, 201)),
    ]  # fmt: skip


def test_permission_table(world):
    failures = []
    for method, url, body, expected in table(world):
        for user in USERS:
            with transaction.atomic():
                client = world["clients"][user]
                response = client.get(url) if method == "GET" else client.post(url, body)
                if response.status_code != expected[user]:
                    failures.append((method, url, user, expected[user], response.status_code,
                                     response.content[:200]))  # fmt: skip
                transaction.set_rollback(True)
    assert not failures, failures


def test_bad_input_is_a_clear_error(world):
    root = world["clients"]["root"]
    r = root.post("democracy/rules/thresholds", {"matter_type": "contribution", "percent": 150,
                                                  "citation": "x",
                                                  "effective_from": "2027-01-01"})  # fmt: skip
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "percent"
    gov = world["clients"]["gov"]
    r = gov.post(f"democracy/recommendations/{world['r']}/responses",
                 {"responded_on": "2026-03-01", "content": "Sớm"})  # fmt: skip
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "responded_on"
    r = gov.post(f"democracy/consultations/{world['c']}/votes",
                 {"household": "H001", "choice": "yes", "cast_on": "2026-03-03"})  # fmt: skip
    assert r.status_code == 201 and r.json()["yes"] == 1
    r = gov.post(f"democracy/consultations/{world['c']}/votes",
                 {"household": "H001", "choice": "no", "cast_on": "2026-03-03"})  # fmt: skip
    assert r.status_code == 409
    r = gov.post("democracy/disclosures", {"unit": world["ubnd"], "category": "budget",
                                            "title": "", "decision_date": "2026-03-02"})  # fmt: skip
    assert r.status_code == 422


def test_answers_never_carry_a_representative(world):
    response = world["clients"]["gov"].get(f"democracy/communities/{world['h']}/households")
    assert response.status_code == 200
    assert "Nguyễn Văn Thành" not in response.content.decode()
    assert response.json()["items"][0] == {"id": response.json()["items"][0]["id"],
                                           "code": "H001", "is_active": True}  # fmt: skip


def test_import_households_by_api(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/api/v1/democracy/communities/{world['h']}/households/import"
    gov = world["clients"]["gov"]

    def send(client, content, commit):
        upload = SimpleUploadedFile("ho.csv", content, content_type="text/csv")
        return client.client.post(url, {"file": upload, "commit": commit}, headers=client.headers)

    bad = send(gov, "Mã hộ,Đại diện\nH001,Nguyễn Văn Thành\nP2,\n".encode(), "true")
    assert bad.status_code == 200
    body = bad.json()
    assert body["ok"] is False and body["created"] == 0 and body["errors"][0]["row"] == 2
    assert "Nguyễn Văn Thành" not in bad.content.decode()
    good = "Mã hộ\nP1\nP2\n".encode()
    assert send(gov, good, "false").json() == {"ok": True, "created": 0, "rows": 2, "errors": []}
    assert send(gov, good, "true").json()["created"] == 2
    assert send(world["clients"]["bob"], good, "false").status_code == 403
    assert send(world["clients"]["charlie"], good, "false").status_code == 404
    assert send(gov, b"", "false").status_code == 400


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_counts_do_not_grow(world, gov, alice, ward_orgs):
    root = world["clients"]["root"]
    urls = ["democracy/disclosures", "democracy/consultations", "democracy/recommendations",
            "democracy/bodies", "democracy/activities", "democracy/satisfaction",
            "democracy/dashboard", f"democracy/communities/{world['h']}/households"]  # fmt: skip
    root.get("democracy/rules")  # the token's first use of the minute is written down
    before = {url: _count(root, url) for url in urls}
    for i in range(4):
        services.create_disclosure(actor=gov, unit=ward_orgs["ubnd"], category_code="budget",
                                   title=f"D{i}", decision_date=dt.date(2026, 3, 2))  # fmt: skip
        services.register_household(actor=gov, community=ward_orgs["hamlet"], code=f"Z{i}")
        services.open_consultation(
            actor=gov, unit=ward_orgs["ubnd"], community=ward_orgs["hamlet"],
            matter_type_code="draft-plan", title=f"K{i}", form="online",
            opens_on=dt.date(2026, 3, 2), closes_on=dt.date(2026, 3, 9),
        )  # fmt: skip
        body = services.create_body(actor=alice, unit=ward_orgs["front"], kind="front",
                                    name=f"B{i}")  # fmt: skip
        services.add_member(actor=alice, body=body, name="X")
        activity = services.record_activity(actor=alice, body=body, kind="supervision",
                                            subject="S", held_on=dt.date(2026, 3, 2))  # fmt: skip
        services.add_recommendation(actor=alice, activity=activity, addressee=ward_orgs["ubnd"],
                                    content="R", made_on=dt.date(2026, 3, 2),
                                    due_on=dt.date(2026, 3, 9))  # fmt: skip
        services.record_satisfaction(actor=alice, unit=ward_orgs["ubnd"], service=f"S{i}",
                                     period_start=dt.date(2026, 1, 1),
                                     period_end=dt.date(2026, 6, 30), counts={"satisfied": 1})  # fmt: skip
    after = {url: _count(root, url) for url in urls}
    assert after == before
