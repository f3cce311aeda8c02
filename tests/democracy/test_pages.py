"""The officers' pages: each step's page renders, forms go through the services, outsiders
get 404, read-only users 403, htmx gets the partial, lists export and keep their query
count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from danvan.democracy import services
from danvan.democracy.models import Consultation, Disclosure, Household, Response, Vote
from danvan.reports.contrib import Scope

from ..conftest import login
from .conftest import MEMBER, REPRESENTATIVE, make_households, vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(gov, alice, ward_orgs):
    ubnd, hamlet, front = ward_orgs["ubnd"], ward_orgs["hamlet"], ward_orgs["front"]
    d = services.create_disclosure(actor=gov, unit=ubnd, category_code="contributions",
                                   title="Mức đóng góp", decision_date=dt.date(2026, 2, 13),
                                   published_on=dt.date(2026, 3, 10), forms=["meeting"])  # fmt: skip
    make_households(gov, hamlet, 6, named=6)
    c = services.open_consultation(
        actor=gov, unit=ubnd, community=hamlet, matter_type_code="contribution",
        title="Đường ngõ 5", form="meeting", opens_on=dt.date(2026, 3, 2),
        closes_on=dt.date(2099, 1, 1),
    )  # fmt: skip
    k = services.open_consultation(
        actor=gov, unit=ubnd, community=hamlet, matter_type_code="draft-plan",
        title="Dự thảo", form="online", opens_on=dt.date(2026, 3, 2),
        closes_on=dt.date(2099, 1, 1),
    )  # fmt: skip
    body = services.create_body(actor=alice, unit=front, kind="inspection", name="Ban TTND")
    services.add_member(actor=alice, body=body, name=MEMBER)
    a = services.record_activity(actor=alice, body=body, kind="supervision", subject="Thu chi",
                                 held_on=dt.date(2026, 3, 2))  # fmt: skip
    r = services.add_recommendation(actor=alice, activity=a, addressee=ubnd, content="Công khai",
                                    made_on=dt.date(2026, 3, 3), due_on=dt.date(2026, 3, 20))  # fmt: skip
    return {"d": d, "c": c, "k": k, "b": body, "a": a, "r": r, "h": hamlet}


def pages(w):
    return [
        "/democracy/", "/democracy/export/?format=csv", "/democracy/rules/",
        "/democracy/disclosures/", "/democracy/disclosures/export/?format=xlsx",
        f"/democracy/disclosures/{w['d'].pk}/", "/democracy/communities/",
        f"/democracy/communities/{w['h'].pk}/",
        f"/democracy/communities/{w['h'].pk}/export/?format=csv",
        "/democracy/consultations/", "/democracy/consultations/export/?format=csv",
        f"/democracy/consultations/{w['c'].pk}/", f"/democracy/consultations/{w['k'].pk}/",
        "/democracy/supervision/", f"/democracy/supervision/{w['b'].pk}/",
        f"/democracy/supervision/activities/{w['a'].pk}/", "/democracy/recommendations/",
        "/democracy/recommendations/export/?format=csv", f"/democracy/recommendations/{w['r'].pk}/",
        "/democracy/satisfaction/", "/democracy/satisfaction/export/?format=xlsx",
    ]  # fmt: skip


def test_every_page_renders_for_officers_and_viewers(world, gov, alice, bob):
    for user in (gov, alice, bob):
        client = login(user)
        for url in pages(world):
            if user == gov and "/supervision/" in url and url[-2].isdigit():
                # The Front's board is not the People's Committee's to see; its
                # recommendations to the committee are (checked below).
                assert client.get(url).status_code == 404
                continue
            assert client.get(url).status_code == 200, (user.username, url)


def test_outsiders_get_404_on_records(world, charlie, other_gov):
    for user in (charlie, other_gov):
        client = login(user)
        for url in pages(world):
            if any(ch.isdigit() for ch in url.split("?")[0]):
                assert client.get(url).status_code == 404, (user.username, url)


def test_exports_have_no_representative(world, gov):
    client = login(gov)
    text = client.get(f"/democracy/communities/{world['h'].pk}/export/?format=csv").content
    assert REPRESENTATIVE.encode() not in text and b"H001" in text
    page = client.get(f"/democracy/communities/{world['h'].pk}/").content.decode()
    assert REPRESENTATIVE in page  # the officer who manages the community sees it


def test_viewer_sees_no_representative_and_cannot_write(world, bob):
    client = login(bob)
    page = client.get(f"/democracy/communities/{world['h'].pk}/").content.decode()
    assert REPRESENTATIVE not in page
    c = world["c"]
    assert client.post(f"/democracy/consultations/{c.pk}/vote/",
                       {"household_code": "H001", "choice": "yes"}).status_code == 403  # fmt: skip
    assert client.get("/democracy/disclosures/new/").status_code == 403
    assert not Vote.objects.exists()


def test_vote_by_htmx_returns_the_tally(world, gov):
    client = login(gov)
    url = f"/democracy/consultations/{world['c'].pk}/vote/"
    data = {"household_code": "h002", "choice": "yes", "cast_on": "2026-03-03"}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'id="tally"' in response.content and b"<html" not in response.content
    again = client.post(url, data, headers={"HX-Request": "true"}).content.decode()
    assert "H002" in again and Vote.objects.count() == 1


def test_search_without_diacritics(world, gov):
    page = login(gov).get("/democracy/disclosures/?q=muc dong gop").content.decode()
    assert "Mức đóng góp" in page
    page = login(gov).get("/democracy/disclosures/?q=khong co").content.decode()
    assert "Mức đóng góp" not in page


def test_create_disclosure_page(world, gov):
    client = login(gov)
    response = client.post("/democracy/disclosures/new/", {
        "unit": world["d"].unit_id, "category_code": "budget", "title": "Dự toán",
        "decision_date": "2026-03-02", "published_on": "2026-03-01", "forms": ["website"],
    })  # fmt: skip
    assert response.status_code == 200 and Disclosure.objects.count() == 1  # error shown
    response = client.post("/democracy/disclosures/new/", {
        "unit": world["d"].unit_id, "category_code": "budget", "title": "Dự toán",
        "decision_date": "2026-03-02", "published_on": "2026-03-03", "forms": ["website"],
        "files": [SimpleUploadedFile("qd.pdf", b"%PDF-1.4")],
    })  # fmt: skip
    assert response.status_code == 302
    created = Disclosure.objects.get(title="Dự toán")
    assert created.documents.count() == 1
    doc = created.documents.get()
    assert client.get(f"/democracy/documents/{doc.pk}/").status_code == 200


def test_consultation_pages_walk(world, gov):
    client = login(gov)
    response = client.post("/democracy/consultations/new/", {
        "unit": world["c"].unit_id, "community": world["h"].pk, "matter_type_code": "hamlet-head",
        "title": "Bầu trưởng thôn", "form": "ballot", "opens_on": "2026-03-02",
        "closes_on": "2026-03-09",
    })  # fmt: skip
    assert response.status_code == 302
    c = Consultation.objects.get(title="Bầu trưởng thôn")
    vote(gov, c, 4)
    assert client.post(f"/democracy/consultations/{c.pk}/close/",
                       {"closed_on": "2026-03-09"}).status_code == 302  # fmt: skip
    assert client.post(f"/democracy/consultations/{c.pk}/recognize/", {
        "recognized_by": c.unit_id, "number": "5/QĐ", "recognized_on": "2026-03-11",
    }).status_code == 302  # fmt: skip
    c.refresh_from_db()
    assert c.state == "recognized" and c.is_valid
    k = world["k"]
    assert client.post(f"/democracy/consultations/{k.pk}/comment/", {
        "topic": "Giao thông", "content": "Mở rộng ngõ", "received_on": "2026-03-03",
    }).status_code == 302  # fmt: skip
    assert client.post(f"/democracy/consultations/{k.pk}/response/", {
        "response": "Tiếp thu", "responded_on": "2026-03-05",
    }).status_code == 302  # fmt: skip
    assert "Giao thông" in client.get(f"/democracy/consultations/{k.pk}/").content.decode()


def test_household_import_page(world, gov):
    client = login(gov)
    url = f"/democracy/communities/{world['h'].pk}/import/"
    sheet = "Mã hộ,Đại diện\nH001,x\nN2,\n".encode()
    page = client.post(url, {"file": SimpleUploadedFile("ho.csv", sheet)}).content.decode()
    assert 'id="import-errors"' in page and Household.objects.count() == 6
    good = "Mã hộ\nN1\nN2\n".encode()
    page = client.post(url, {"file": SimpleUploadedFile("ho.csv", good)}).content.decode()
    assert 'id="import-preview"' in page and Household.objects.count() == 6
    import base64

    sheet = base64.b64encode(good).decode()
    assert f'value="{sheet}"' in page
    response = client.post(url, {"sheet": sheet, "file_name": "ho.csv", "confirm": "1"})
    assert response.status_code == 302 and Household.objects.count() == 8
    garbage = client.post(url, {"sheet": "%%%", "file_name": "ho.csv", "confirm": "1"})
    assert garbage.status_code == 200 and Household.objects.count() == 8


def test_respond_page(world, gov, alice):
    rec = world["r"]
    assert login(alice).post(f"/democracy/recommendations/{rec.pk}/",
                             {"responded_on": "2026-03-05", "content": "x"}).status_code == 403  # fmt: skip
    client = login(gov)
    bad = client.post(f"/democracy/recommendations/{rec.pk}/",
                      {"responded_on": "2026-03-01", "content": "Sớm"})  # fmt: skip
    assert bad.status_code == 200 and not Response.objects.exists()
    good = client.post(f"/democracy/recommendations/{rec.pk}/",
                       {"responded_on": "2026-03-05", "content": "Đã công khai"})  # fmt: skip
    assert good.status_code == 302 and Response.objects.count() == 1


def test_list_pages_keep_their_query_count(world, gov, alice, ward_orgs):
    client = login(gov)
    urls = ["/democracy/disclosures/", "/democracy/consultations/",
            "/democracy/recommendations/", "/democracy/supervision/", "/democracy/"]  # fmt: skip
    client.get(urls[0])

    def counts():
        result = {}
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result[url] = len(ctx.captured_queries)
        return result

    before = counts()
    for i in range(4):
        services.create_disclosure(actor=gov, unit=ward_orgs["ubnd"], category_code="budget",
                                   title=f"D{i}", decision_date=dt.date(2026, 3, 2))  # fmt: skip
        services.open_consultation(
            actor=gov, unit=ward_orgs["ubnd"], community=ward_orgs["hamlet"],
            matter_type_code="other-decision", title=f"K{i}", form="online",
            opens_on=dt.date(2026, 3, 2), closes_on=dt.date(2026, 3, 9),
        )  # fmt: skip
        services.add_recommendation(actor=alice, activity=world["a"], addressee=ward_orgs["ubnd"],
                                    content=f"R{i}", made_on=dt.date(2026, 3, 2),
                                    due_on=dt.date(2026, 3, 9))  # fmt: skip
    assert counts() == before


def test_panels(world, gov, bob):
    from danvan.democracy import panels

    scope = Scope(user=gov, org=None, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                  previous_start=dt.date(2025, 1, 1), previous_end=dt.date(2025, 12, 31))  # fmt: skip
    with translation.override("en"):
        panel = panels.dashboard_panel(scope)
        figures = {str(f.label): f.value for f in panel.figures}
    assert figures["Disclosures late"] == 1 and figures["Recommendations overdue"] == 1
    section = panels.report_section(scope)
    text = " ".join(section.paragraphs) + str([t.rows for t in section.tables])
    assert REPRESENTATIVE not in text and MEMBER not in text
    empty = Scope(user=gov, org=None, start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31))
    assert panels.dashboard_panel(empty) is None and panels.report_section(empty) is None


def test_rules_are_editable_in_the_admin(superuser):
    client = login(superuser)
    for model in ("disclosurecategory", "disclosurerule", "mattertype", "thresholdrule"):
        assert client.get(f"/admin/democracy/{model}/").status_code == 200, model
