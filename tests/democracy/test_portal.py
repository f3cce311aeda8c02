"""The public portal: no sign-in, aggregates only, cacheable, and — the acceptance test —
no person's name and no household's vote on any page or export of a seeded commune."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from danvan.democracy import queries, services
from danvan.voices import services as voices_services

from .conftest import MEMBER, REPRESENTATIVE, make_households, vote

pytestmark = pytest.mark.django_db

CITIZEN = "Trần Văn Khải"
WARD = "00004"


@pytest.fixture
def seeded(gov, alice, superuser, ward_orgs, hanoi_ward):
    """Phường Ba Đình with every kind of record the portal shows, entered by the services."""
    ubnd, hamlet, front = ward_orgs["ubnd"], ward_orgs["hamlet"], ward_orgs["front"]
    services.create_disclosure(
        actor=gov, unit=ubnd, category_code="budget", title="Dự toán ngân sách phường 2026",
        decision_date=dt.date(2026, 1, 6), published_on=dt.date(2026, 1, 12),
        forms=["notice_board"], posted_until=dt.date(2026, 4, 30),
    )  # fmt: skip
    services.create_disclosure(
        actor=gov, unit=ubnd, category_code="contributions", title="Mức đóng góp làm đường",
        decision_date=dt.date(2026, 2, 13), published_on=dt.date(2026, 3, 10),
        forms=["loudspeaker"],
    )  # fmt: skip
    make_households(gov, hamlet, 12, named=12)
    consultation = services.open_consultation(
        actor=gov, unit=ubnd, community=hamlet, matter_type_code="contribution",
        title="Đóng góp làm đường ngõ 5", form="ballot", opens_on=dt.date(2026, 3, 2),
        closes_on=dt.date(2026, 3, 9),
    )  # fmt: skip
    vote(gov, consultation, 9, no=2)
    services.close_consultation(actor=gov, consultation=consultation,
                                closed_on=dt.date(2026, 3, 9))  # fmt: skip
    services.recognize_consultation(actor=gov, consultation=consultation, recognized_by=ubnd,
                                    number="7/QĐ-UBND", recognized_on=dt.date(2026, 3, 12))  # fmt: skip
    open_vote = services.open_consultation(
        actor=gov, unit=ubnd, community=hamlet, matter_type_code="village-convention",
        title="Sửa đổi hương ước", form="meeting", opens_on=dt.date(2026, 3, 2),
        closes_on=dt.date(2099, 1, 1),
    )  # fmt: skip
    vote(gov, open_vote, 3)
    draft = services.open_consultation(
        actor=gov, unit=ubnd, community=hamlet, matter_type_code="draft-plan",
        title="Dự thảo quy hoạch", form="online", opens_on=dt.date(2026, 3, 2),
        closes_on=dt.date(2026, 3, 30),
    )  # fmt: skip
    services.add_comment(actor=gov, consultation=draft, topic="Thoát nước",
                         content="Cần rãnh thoát nước", received_on=dt.date(2026, 3, 3))  # fmt: skip
    body = services.create_body(actor=alice, unit=front, kind="inspection",
                                name="Ban Thanh tra nhân dân phường Ba Đình")  # fmt: skip
    services.add_member(actor=alice, body=body, name=MEMBER, position="Trưởng ban")
    activity = services.record_activity(actor=alice, body=body, kind="supervision",
                                        subject="Thu chi đóng góp", held_on=dt.date(2026, 3, 15))  # fmt: skip
    rec = services.add_recommendation(
        actor=alice, activity=activity, addressee=ubnd, content="Công khai bảng kê chi",
        made_on=dt.date(2026, 3, 16), due_on=dt.date(2026, 3, 31),
    )  # fmt: skip
    services.respond_to_recommendation(actor=gov, recommendation=rec,
                                       responded_on=dt.date(2026, 3, 20), content="Đã niêm yết")  # fmt: skip
    services.record_satisfaction(
        actor=alice, unit=ubnd, service="Thủ tục hành chính", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30), counts={"very_satisfied": 5, "satisfied": 7},
    )  # fmt: skip
    voices_services.receive_petition(
        actor=superuser, unit=ubnd, channel="letter", received_on=dt.date(2026, 3, 2),
        area=hanoi_ward, topic_code="land", contents="Kiến nghị về đường ngõ 5",
        matters=[{"kind": "recommendation", "summary": "Đường ngõ 5"}],
        citizens=[{"name": CITIZEN, "address": "Ngõ 5", "contact": "0912"}],
    )  # fmt: skip
    return {"gov": gov, "alice": alice}


def _text(response) -> str:
    content = response.content if hasattr(response, "content") else b"".join(response)
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            " ".join(str(v) for v in row if v is not None)
            for ws in book.worksheets for row in ws.iter_rows(values_only=True)
        )  # fmt: skip
    return content.decode("utf-8")


def test_no_name_and_no_household_vote_anywhere(seeded):
    client = Client()
    urls = ["/cong-khai/", "/cong-khai/?tinh=01", f"/cong-khai/{WARD}/"]
    for name in ("cong-khai", "lay-y-kien", "kien-nghi", "hai-long"):
        for fmt in ("csv", "json", "xlsx"):
            urls.append(f"/cong-khai/{WARD}/{name}.{fmt}")
    # Every item opens on its own page: those pages are scanned too.
    area = queries.public_commune(WARD)
    for name, rows in (
        ("cong-khai", queries.public_disclosures(area)),
        ("lay-y-kien", queries.public_consultations(area)),
        ("kien-nghi", queries.public_recommendations(area)),
    ):
        assert rows
        urls += [f"/cong-khai/{WARD}/{name}/{row['id']}/" for row in rows]
    forbidden = [REPRESENTATIVE, MEMBER, CITIZEN, "Tran Van Khai", "H001", "H012"]
    for user in seeded.values():
        forbidden += [user.get_full_name(), user.username]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        for trace in forbidden:
            assert trace not in text, (url, trace)
    page = _text(client.get(f"/cong-khai/{WARD}/"))
    assert "Dự toán ngân sách phường 2026" in page
    assert "Sửa đổi hương ước" in page


def test_results_are_aggregates_published_when_voting_closed(seeded):
    rows = json.loads(Client().get(f"/cong-khai/{WARD}/lay-y-kien.json").content)["rows"]
    by_title = {r["title"]: r for r in rows}
    closed = by_title["Đóng góp làm đường ngõ 5"]
    assert (closed["yes"], closed["no"], closed["households"], closed["valid"]) == (9, 2, 12, True)
    assert closed["recognition"] == "7/QĐ-UBND"
    still_open = by_title["Sửa đổi hương ước"]
    assert still_open["yes"] is None and still_open["valid"] is None
    assert by_title["Dự thảo quy hoạch"]["comments"] == 1


def test_disclosures_show_late_and_posting_period(seeded):
    rows = json.loads(Client().get(f"/cong-khai/{WARD}/cong-khai.json").content)["rows"]
    statuses = {r["title"]: r["status"] for r in rows}
    assert statuses == {
        "Dự toán ngân sách phường 2026": "on_time",
        "Mức đóng góp làm đường": "late",
    }
    budget = next(r for r in rows if r["title"].startswith("Dự toán"))
    assert budget["posting_days"] == 109


def test_portal_is_public_and_cacheable(seeded):
    response = Client().get(f"/cong-khai/{WARD}/")
    assert response.status_code == 200
    cache = response["Cache-Control"]
    assert "public" in cache and "max-age=300" in cache
    assert "csrftoken" not in response.cookies
    assert Client().get("/cong-khai/99999/").status_code == 404
    assert Client().get(f"/cong-khai/{WARD}/unknown.csv").status_code == 404
    assert Client().get(f"/cong-khai/{WARD}/cong-khai.pdf").status_code == 404


def test_htmx_and_full_page_are_cached_apart(seeded):
    client = Client()
    full = client.get("/cong-khai/?tinh=01")
    partial = client.get("/cong-khai/?tinh=01", headers={"HX-Request": "true"})
    again = client.get("/cong-khai/?tinh=01")
    assert b"<html" in full.content and b"<html" not in partial.content
    assert b"<html" in again.content
    assert "HX-Request" in full["Vary"]


def test_portal_shows_cases_figures(seeded):
    page = Client().get(f"/cong-khai/{WARD}/").content.decode()
    assert "Đơn thư của công dân" in page or "Citizens' cases" in page


def test_commune_page_queries_do_not_grow(seeded, gov, ward_orgs):
    from django.core.cache import cache

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(f"/cong-khai/{WARD}/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(5):
        services.create_disclosure(
            actor=gov, unit=ward_orgs["ubnd"], category_code="policy", title=f"Chính sách {i}",
            decision_date=dt.date(2026, 3, 2), published_on=dt.date(2026, 3, 3), forms=["website"],
        )  # fmt: skip
    assert count() == before


def test_an_item_opens_on_its_page_of_its_commune_only(seeded):
    client = Client()
    rows = queries.public_disclosures(queries.public_commune(WARD))
    item = next(r for r in rows if r["title"] == "Dự toán ngân sách phường 2026")
    page = client.get(f"/cong-khai/{WARD}/cong-khai/{item['id']}/")
    assert page.status_code == 200
    assert set(page["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    assert "Dự toán ngân sách phường 2026" in page.content.decode()
    listing = client.get(f"/cong-khai/{WARD}/").content.decode()
    assert f"/cong-khai/{WARD}/cong-khai/{item['id']}/" in listing
    # The same id under another commune, or an id that is not there: 404.
    assert client.get(f"/cong-khai/00008/cong-khai/{item['id']}/").status_code == 404
    assert client.get(f"/cong-khai/{WARD}/cong-khai/999999/").status_code == 404
    assert client.get(f"/cong-khai/{WARD}/kien-nghi/999999/").status_code == 404


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_documents_are_public_once_publicized(gov, ward_orgs, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from danvan.democracy.models import DisclosureDocument

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    kept = services.create_disclosure(
        actor=gov, unit=ward_orgs["ubnd"], category_code="budget", title="Chưa công khai",
        decision_date=dt.date(2026, 1, 6),
        files=[SimpleUploadedFile("du-toan.pdf", pdf, "application/pdf")],
    )  # fmt: skip
    document = DisclosureDocument.objects.get(disclosure=kept)
    client = Client()
    assert client.get(f"/cong-khai/{WARD}/tai-lieu/{document.pk}/").status_code == 404
    services.publish_disclosure(
        actor=gov, disclosure=kept, published_on=dt.date(2026, 1, 10), forms=["notice_board"]
    )
    response = client.get(f"/cong-khai/{WARD}/tai-lieu/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/cong-khai/00008/tai-lieu/{document.pk}/").status_code == 404
