"""Downloads of a contest's lists: a round's ranking, the entries, the coverage rule's units.

Each download opens back (openpyxl, csv) and holds exactly the rows the contest page shows;
those who may not see the contest get a 404."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io as pyio
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from danvan.emulation.models import ContestKind, GroupBy
from danvan.emulation.services import contests
from tests.factories import OrganizationFactory

from .conftest import TODAY, YEAR, text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(pyio.BytesIO(response.content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(pyio.StringIO(response.content.decode("utf-8-sig"))))


def _cells(fragment: str) -> list[list[str]]:
    """The body rows of the first table in an HTML fragment, as text."""
    body = fragment.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        rows.append([" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


@pytest.fixture
def scored(teams_contest, alice, bob):
    """The first round scored by bob (Đội Phụ nữ 18, Đội Đảng ủy 12) and closed by alice."""
    first = teams_contest.rounds.get(order=1)
    contests.add_judge(actor=alice, round=first, user=bob)
    criteria = list(teams_contest.criteria.order_by("pk"))
    for participant in first.participants.select_related("team"):
        value = 9 if participant.team.name == "Đội Phụ nữ" else 6
        contests.score_team(
            actor=bob, participant=participant, scores={c.pk: value for c in criteria}
        )
    contests.close_round(actor=alice, round=first)
    return teams_contest


# Ranking ---------------------------------------------------------------------------------


def test_ranking_download_holds_the_rounds_rows(scored, alice, bob, client_for):
    first = scored.rounds.get(order=1)
    url = reverse("emulation:ranking_export", args=[scored.pk, first.pk])
    page = text(client_for(bob).get(reverse("emulation:contest", args=[scored.pk])))
    assert f"{url}?format=xlsx" in page and f"{url}?format=csv" in page
    section = page.split(f'id="round-{first.pk}"', 1)[1].split("</section>", 1)[0]
    # The page: rank, team (and its members), represents, total, advanced
    shown = [(row[1], row[2], row[4]) for row in _cells(section)]
    assert shown == [
        ("Đội Phụ nữ", "Hội Liên hiệp Phụ nữ phường Ba Đình", "✓ advanced"),
        ("Đội Đảng ủy", "Đảng ủy phường Ba Đình", ""),
    ]

    rows = _xlsx_rows(client_for(bob).get(url, {"format": "xlsx"}))
    assert rows[0] == ("Team", "Represents", "Group", "Total", "Rank", "Advanced")
    assert rows[1:] == [
        ("Đội Phụ nữ", "Hội Liên hiệp Phụ nữ phường Ba Đình", None, 18, 1, "Yes"),
        ("Đội Đảng ủy", "Đảng ủy phường Ba Đình", None, 12, 2, "No"),
    ]
    rows = _csv_rows(client_for(alice).get(url, {"format": "csv"}))
    assert rows == [
        ["Team", "Represents", "Group", "Total", "Rank", "Advanced"],
        ["Đội Phụ nữ", "Hội Liên hiệp Phụ nữ phường Ba Đình", "", "18.00", "1", "Yes"],
        ["Đội Đảng ủy", "Đảng ủy phường Ba Đình", "", "12.00", "2", "No"],
    ]
    # xlsx is the default format
    assert client_for(bob).get(url)["Content-Type"] == XLSX

    final = scored.rounds.get(order=2)
    final_url = reverse("emulation:ranking_export", args=[scored.pk, final.pk])
    rows = _csv_rows(client_for(bob).get(final_url, {"format": "csv"}))
    assert rows[1:] == [["Đội Phụ nữ", "Hội Liên hiệp Phụ nữ phường Ba Đình", "", "", "", "No"]]


def test_grouped_ranking_names_each_teams_group(tree, superuser, client_for):
    contest = contests.create_contest(
        actor=superuser,
        data=contests.NewContest(
            organizer=tree["city"],
            code="hoi-thi-thanh-pho",
            name="Hội thi Dân vận khéo thành phố",
            kind=ContestKind.TEAMS,
            year=YEAR,
            criteria=[{"name": "Nội dung", "max_score": 10}],
            rounds=[
                {"name": "Vòng phường", "advance": 1, "group_by": GroupBy.AREA},
                {"name": "CK"},
            ],
        ),
    )
    contests.add_team(actor=superuser, contest=contest, name="Đội A", unit=tree["ward"])
    contests.add_team(actor=superuser, contest=contest, name="Đội B", unit=tree["other"])
    first = contest.rounds.get(order=1)
    url = reverse("emulation:ranking_export", args=[contest.pk, first.pk])
    rows = _xlsx_rows(client_for(superuser).get(url, {"format": "xlsx"}))
    groups = {row[0]: row[2] for row in rows[1:]}
    assert groups == {"Đội A": tree["ward"].area.name, "Đội B": tree["other"].area.name}
    assert len(rows) == 3


def test_ranking_download_is_a_404_for_outsiders_and_other_contests_rounds(
    scored, entries_contest, charlie, alice, client_for
):
    first = scored.rounds.get(order=1)
    url = reverse("emulation:ranking_export", args=[scored.pk, first.pk])
    assert client_for(charlie).get(url, {"format": "xlsx"}).status_code == 404
    assert client_for(charlie).get(url, {"format": "csv"}).status_code == 404
    # a round looked up under another contest does not exist there
    other = reverse("emulation:ranking_export", args=[entries_contest.pk, first.pk])
    assert client_for(alice).get(other).status_code == 404
    missing = reverse("emulation:ranking_export", args=[scored.pk, 999999])
    assert client_for(alice).get(missing).status_code == 404
    # an unknown format is refused with its message, not a 500
    response = client_for(alice).get(url, {"format": "pdf"})
    assert response.status_code == 400 and b"Unknown export format" in response.content
    # signed out: to the login page
    response = client_for(alice).__class__().get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


# Entries ---------------------------------------------------------------------------------


@pytest.fixture
def entries(entries_contest, tree, alice):
    contests.submit_entry(
        actor=alice,
        contest=entries_contest,
        unit=tree["union"],
        title="Phụ nữ Ba Đình giữ phố xanh",
        author="Lê Thu",
        outlet="Báo Phụ nữ Thủ đô",
        link="https://phunuthudo.vn/bai-1",
        submitted_on=TODAY - dt.timedelta(days=3),
    )
    contests.submit_entry(
        actor=alice,
        contest=entries_contest,
        unit=tree["ward"],
        title="=Dân vận khéo ở khu phố",  # would be a formula in a spreadsheet
        author="Phạm Minh",
        submitted_on=TODAY,
    )
    return entries_contest


def test_entries_download_holds_the_listed_entries(entries, alice, bob, client_for):
    url = reverse("emulation:entries_export", args=[entries.pk])
    page = text(client_for(bob).get(reverse("emulation:contest", args=[entries.pk])))
    assert f"{url}?format=xlsx" in page and f"{url}?format=csv" in page
    listed = page.split("<h2>Entries</h2>", 1)[1]
    titles = [row[0] for row in _cells(listed)]
    assert titles == [
        "=Dân vận khéo ở khu phố Phạm Minh",
        "Phụ nữ Ba Đình giữ phố xanh Lê Thu · Báo Phụ nữ Thủ đô",
    ]

    rows = _xlsx_rows(client_for(bob).get(url, {"format": "xlsx"}))
    assert rows[0] == ("Title", "Author", "Outlet", "Link", "Unit", "Submitted on")
    assert [r[:5] for r in rows[1:]] == [
        ("=Dân vận khéo ở khu phố", "Phạm Minh", None, None, "Đảng ủy phường Ba Đình"),
        (
            "Phụ nữ Ba Đình giữ phố xanh",
            "Lê Thu",
            "Báo Phụ nữ Thủ đô",
            "https://phunuthudo.vn/bai-1",
            "Hội Liên hiệp Phụ nữ phường Ba Đình",
        ),
    ]
    assert [r[5].date() for r in rows[1:]] == [TODAY, TODAY - dt.timedelta(days=3)]
    workbook = load_workbook(pyio.BytesIO(client_for(bob).get(url).content))
    assert workbook.worksheets[0]["A2"].data_type == "s"  # text, never a formula

    rows = _csv_rows(client_for(alice).get(url, {"format": "csv"}))
    assert rows[0] == ["Title", "Author", "Outlet", "Link", "Unit", "Submitted on"]
    assert rows[1] == [
        "'=Dân vận khéo ở khu phố",
        "Phạm Minh",
        "",
        "",
        "Đảng ủy phường Ba Đình",
        TODAY.strftime("%d/%m/%Y"),
    ]
    assert rows[2][0] == "Phụ nữ Ba Đình giữ phố xanh" and len(rows) == 3


def test_entries_download_is_a_404_for_outsiders_and_teams_contests(
    entries, teams_contest, charlie, alice, client_for
):
    url = reverse("emulation:entries_export", args=[entries.pk])
    assert client_for(charlie).get(url, {"format": "csv"}).status_code == 404
    teams = reverse("emulation:entries_export", args=[teams_contest.pk])
    assert client_for(alice).get(teams).status_code == 404


# Coverage --------------------------------------------------------------------------------


def test_coverage_download_lists_every_expected_unit(entries, tree, alice, bob, client_for):
    second = OrganizationFactory(
        code="bd-hlhpn-2",
        name="Chi hội Phụ nữ tổ dân phố 5",
        area=tree["union"].area,
        parent=tree["ward"],
    )
    url = reverse("emulation:coverage_export", args=[entries.pk])
    page = text(client_for(bob).get(reverse("emulation:contest", args=[entries.pk])))
    coverage = page.split('id="coverage"', 1)[1]
    assert f"{url}?format=xlsx" in coverage and f"{url}?format=csv" in coverage
    assert second.name in coverage.split('class="missing"', 1)[1]

    expected = contests.coverage(entries)
    assert expected["expected"] == 2 and expected["covered"] == 1
    rows = _xlsx_rows(client_for(bob).get(url, {"format": "xlsx"}))
    assert rows[0] == ("Unit", "Entries", "Covered")
    assert sorted(rows[1:]) == sorted(
        [
            ("Hội Liên hiệp Phụ nữ phường Ba Đình", 1, "Yes"),
            ("Chi hội Phụ nữ tổ dân phố 5", 0, "No"),
        ]
    )
    assert [r[0] for r in rows[1:]] == [row["unit"].name for row in expected["rows"]]
    rows = _csv_rows(client_for(alice).get(url, {"format": "csv"}))
    assert sorted(rows[1:]) == sorted(
        [
            ["Hội Liên hiệp Phụ nữ phường Ba Đình", "1", "Yes"],
            ["Chi hội Phụ nữ tổ dân phố 5", "0", "No"],
        ]
    )
    # the live panel (htmx) keeps the buttons
    partial = text(client_for(bob).get(reverse("emulation:contest_coverage", args=[entries.pk])))
    assert f"{url}?format=csv" in partial


def test_coverage_download_without_a_rule_and_for_outsiders(tree, alice, charlie, client_for):
    contest = contests.create_contest(
        actor=alice,
        data=contests.NewContest(
            organizer=tree["ward"],
            code="khong-quy-tac",
            name="Cuộc thi chưa có quy tắc",
            kind=ContestKind.ENTRIES,
            year=YEAR,
        ),
    )
    url = reverse("emulation:coverage_export", args=[contest.pk])
    assert _csv_rows(client_for(alice).get(url, {"format": "csv"})) == [
        ["Unit", "Entries", "Covered"]
    ]
    assert client_for(charlie).get(url).status_code == 404


def test_ranking_totals_are_numbers_in_the_workbook(scored, bob, client_for):
    first = scored.rounds.get(order=1)
    url = reverse("emulation:ranking_export", args=[scored.pk, first.pk])
    rows = _xlsx_rows(client_for(bob).get(url))
    assert all(isinstance(r[3], int | float | Decimal) for r in rows[1:])


def test_headers_in_vietnamese(entries, bob, client_for, settings):
    settings.LANGUAGE_CODE = "vi"
    url = reverse("emulation:coverage_export", args=[entries.pk])
    rows = _csv_rows(client_for(bob).get(url, {"format": "csv"}))
    assert rows[0] == ["Đơn vị", "Bài dự thi", "Đạt yêu cầu"]
    assert rows[1][2] == "Có"
    page = text(client_for(bob).get(reverse("emulation:contest", args=[entries.pk])))
    assert "Tải về Excel" in page and "Tải về CSV" in page
