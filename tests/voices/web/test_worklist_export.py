"""The worklist's download: the listed matters with the page's filters and scope, and nothing
about the citizens (no name, address, contact, no petition contents) in either format."""

from __future__ import annotations

import csv
import datetime as dt
import io as pyio
import unicodedata
import zipfile

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from danvan.voices import services
from tests.factories import UserFactory, grant

TODAY = timezone.localdate()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAME = "Hoàng Thị Xuyến Chi"
ADDRESS = "Số 19 ngõ Quỳnh Lâm"
CONTACT = "0987 654 321"
CONTENTS = "Đề nghị giải quyết việc lấn chiếm vỉa hè tại ngõ Quỳnh Lâm kéo dài nhiều năm."
SUMMARY = "Phản ánh lấn chiếm vỉa hè Quỳnh Lâm"
HEADERS = [
    "Matter",
    "Kind",
    "State",
    "Topic",
    "Area",
    "Received on",
    "Due",
    "Days left",
    "Days overdue",
    "Handler",
    "Tracking code",
]


@pytest.fixture(autouse=True)
def _english_cache(settings):
    settings.LANGUAGE_CODE = "en"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clerk(tree):
    user = UserFactory(username="huy", first_name="Huy", last_name="Vũ Quốc")
    grant(user, "case_handler", tree["ward"])
    return user


@pytest.fixture
def matters(tree, clerk, hanoi_ward):
    """The distinctive citizen's complaint (ward, land), a recommendation (union, wages),
    and an overdue complaint (ward, land) assigned to the clerk."""
    mine = services.receive_petition(
        actor=clerk,
        unit=tree["ward"],
        channel="letter",
        received_on=TODAY - dt.timedelta(days=2),
        area=hanoi_ward,
        topic_code="land",
        contents=CONTENTS,
        matters=[{"kind": "complaint", "summary": SUMMARY}],
        citizens=[{"name": NAME, "address": ADDRESS, "contact": CONTACT}],
    ).matters.get()
    wages = services.receive_petition(
        actor=clerk,
        unit=tree["union"],
        channel="online",
        received_on=TODAY,
        area=hanoi_ward,
        topic_code="wages",
        contents="Công nhân phản ánh việc chậm trả lương tại khu công nghiệp.",
        matters=[{"kind": "recommendation", "summary": "Chậm trả lương"}],
        citizens=[{"name": "Đỗ Văn Bình"}],
    ).matters.get()
    old = services.receive_petition(
        actor=clerk,
        unit=tree["ward"],
        channel="letter",
        received_on=TODAY - dt.timedelta(days=60),
        area=hanoi_ward,
        topic_code="land",
        contents="Một đơn đã quá hạn về đất đai",
        matters=[{"kind": "complaint", "summary": "Quá hạn"}],
        citizens=[{"name": "Lý Văn Cường"}],
    ).matters.get()
    services.assign_handler(actor=clerk, matter=old, handler=clerk)
    return {"mine": mine, "wages": wages, "old": old}


def _xlsx(response) -> list[tuple]:
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    return list(load_workbook(pyio.BytesIO(response.content)).worksheets[0].values)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(pyio.StringIO(response.content.decode("utf-8-sig"))))


def _listed(client, params: dict) -> list[int]:
    """The matters the worklist page lists (all pages) for the same filters."""
    response = client.get(reverse("voices:worklist"), params)
    assert response.status_code == 200
    return [m.pk for m in response.context["page"].paginator.object_list]


URL = "/voices/matters/export/"


def test_url_and_buttons(client_for, clerk, matters):
    assert reverse("voices:worklist_export") == URL
    page = client_for(clerk).get(reverse("voices:worklist"), {"kind": "complaint"})
    html = page.content.decode()
    assert f"{URL}?kind=complaint&amp;format=xlsx" in html
    assert f"{URL}?kind=complaint&amp;format=csv" in html
    assert "Download Excel" in html and "Download CSV" in html


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": "complaint"},
        {"topic": "wages"},
        {"q": "via he"},
        {"state": "all"},
        {"state": "closed"},
        {"state": "all", "channel": "letter"},
        {"received_from": (TODAY - dt.timedelta(days=3)).isoformat(), "state": "all"},
    ],
)
def test_download_holds_exactly_the_listed_rows(client_for, clerk, matters, params):
    client = client_for(clerk)
    listed = _listed(client, params)
    rows = _xlsx(client.get(URL, {**params, "format": "xlsx"}))
    assert list(rows[0]) == HEADERS
    assert [r[0] for r in rows[1:]] == listed
    rows = _csv(client.get(URL, {**params, "format": "csv"}))
    assert rows[0] == HEADERS
    assert [int(r[0]) for r in rows[1:]] == listed


def test_row_values(client_for, clerk, matters):
    old, mine = matters["old"], matters["mine"]
    old.refresh_from_db()
    mine.refresh_from_db()
    rows = _xlsx(client_for(clerk).get(URL, {"format": "xlsx"}))
    by_id = {r[0]: r for r in rows[1:]}
    # what is overdue comes first, as on the page
    assert rows[1][0] == old.pk
    row = by_id[old.pk]
    assert row[1:5] == (
        "Complaint",
        old.get_state_display(),
        str(old.petition.topic),
        "Phường Ba Đình",
    )
    assert row[5].date() == TODAY - dt.timedelta(days=60)
    assert row[6].date() == old.due_on
    assert row[7] is None and row[8] == (TODAY - old.due_on).days > 0
    assert row[9] == clerk.get_full_name() == "Vũ Quốc Huy"
    assert row[10] == old.petition.tracking_code
    row = by_id[mine.pk]
    assert row[7] == (mine.due_on - TODAY).days >= 0 and row[8] is None
    assert row[9] is None
    csv_rows = {int(r[0]): r for r in _csv(client_for(clerk).get(URL, {"format": "csv"}))[1:]}
    assert csv_rows[old.pk][5] == (TODAY - dt.timedelta(days=60)).strftime("%d/%m/%Y")
    assert csv_rows[old.pk][7] == "" and int(csv_rows[old.pk][8]) > 0


def _plain(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    ).lower()


def test_no_citizen_data_in_either_format(client_for, clerk, matters, superuser):
    traces = [NAME, ADDRESS, CONTACT, CONTENTS, SUMMARY, "Xuyến", "Quỳnh Lâm"]
    for user in (clerk, superuser):
        client = client_for(user)
        for params in ({}, {"state": "all"}, {"q": "quynh lam"}):
            xlsx = client.get(URL, {**params, "format": "xlsx"})
            rows = _xlsx(xlsx)
            assert matters["mine"].pk in [r[0] for r in rows[1:]]  # the matter is there
            cells = " ".join(str(v) for row in rows for v in row if v is not None)
            csv_response = client.get(URL, {**params, "format": "csv"})
            assert matters["mine"].pk in [int(r[0]) for r in _csv(csv_response)[1:]]
            csv_text = csv_response.content.decode("utf-8-sig")
            # the workbook's own parts (shared strings, sheets), uncompressed and decoded
            with zipfile.ZipFile(pyio.BytesIO(xlsx.content)) as archive:
                parts = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
            for found in (cells, csv_text, *parts):
                for trace in traces:
                    assert trace not in found, trace
                    assert _plain(trace) not in _plain(found), trace


def test_scope_and_outsiders(client_for, clerk, matters, tree, charlie):
    # a handler of the Women's Union sees only the union's matter, as on the page
    union_clerk = UserFactory(username="union-clerk")
    grant(union_clerk, "case_handler", tree["union"])
    client = client_for(union_clerk)
    listed = _listed(client, {"state": "all"})
    assert listed == [matters["wages"].pk]
    rows = _csv(client.get(URL, {"state": "all", "format": "csv"}))
    assert [int(r[0]) for r in rows[1:]] == listed
    # a handler elsewhere sees nothing of the ward
    elsewhere = UserFactory(username="other-clerk")
    grant(elsewhere, "case_handler", tree["other"])
    rows = _xlsx(client_for(elsewhere).get(URL, {"state": "all"}))
    assert rows == [tuple(HEADERS)]
    # without any role: refused, as the page is
    assert client_for(charlie).get(reverse("voices:worklist")).status_code == 403
    assert client_for(charlie).get(URL, {"format": "csv"}).status_code == 403
    # signed out: to the login page
    response = client_for(clerk).__class__().get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    # an unknown format is a 400 with its message
    response = client_for(clerk).get(URL, {"format": "ods"})
    assert response.status_code == 400


def test_headers_in_vietnamese(client_for, clerk, matters, settings):
    settings.LANGUAGE_CODE = "vi"
    rows = _csv(client_for(clerk).get(URL, {"format": "csv"}))
    assert rows[0][:3] == ["Vụ việc", "Loại", "Trạng thái"]
    assert rows[0][7:9] == ["Số ngày còn lại", "Số ngày quá hạn"]
