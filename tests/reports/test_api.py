"""The reports API: the permission table (outsiders 404, viewers 403, officers write), the
dashboard as JSON, and bad input."""

import pytest

from danvan.reports.models import PeriodReport, ReportVersion

from ..api.conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(units, officer, viewer, ward_officer, petitions, generate):
    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    return {
        "users": {"officer": officer, "viewer": viewer, "outsider": ward_officer},
        "report": report,
        "section": report.sections.get(key="assessment"),
        "units": units,
    }


# who, expected status: read the report / generate / patch / edit a section / issue
TABLE = [
    ("officer", 200, 201, 200, 200, 201),
    ("viewer", 200, 403, 403, 403, 403),
    ("outsider", 404, 404, 404, 404, 404),
]


@pytest.mark.parametrize(("who", "read", "create", "patch", "edit", "issue"), TABLE)
def test_permission_table(world, who, read, create, patch, edit, issue):
    api = ApiClient(token_for(world["users"][who]))
    report, section, units = world["report"], world["section"], world["units"]
    url = f"reports/reports/{report.pk}"
    assert api.get(url).status_code == read
    listed = api.get("reports/reports").json()
    assert [r["id"] for r in listed["items"]] == ([] if read == 404 else [report.pk])
    body = {"unit": units["committee"].pk, "period": "2026-q2"}
    assert api.post("reports/reports", body).status_code == create
    assert api.patch(url, {"signer_name": "Lê Văn Bình"}).status_code == patch
    edited = api.request("PUT", f"{url}/sections/{section.pk}", {"paragraphs": ["Một.", "Hai."]})
    assert edited.status_code == edit
    assert api.post(f"{url}/issue").status_code == issue
    assert ReportVersion.objects.count() == (1 if issue == 201 else 0)
    assert PeriodReport.objects.count() == (2 if create == 201 else 1)


def test_anonymous_gets_401(world):
    assert ApiClient().get("reports/dashboard").status_code == 401
    assert ApiClient().get(f"reports/reports/{world['report'].pk}").status_code == 401


def test_the_dashboard_as_json(world):
    api = ApiClient(token_for(world["users"]["officer"]))
    body = api.get("reports/dashboard", unit=world["units"]["city"].pk, period="2026-q1").json()
    assert body["period"] == {
        "key": "2026-q1",
        "label": body["period"]["label"],
        "start": "2026-01-01",
        "end": "2026-03-31",
        "previous_key": "2025-q4",
    }
    voices = next(p for p in body["panels"] if p["key"] == "voices")
    received = voices["figures"][0]
    assert (received["value"], received["previous"]) == (7, 2)
    assert received["url"].startswith("/voices/")
    assert "Trần Văn Khải" not in str(body)
    outsider = ApiClient(token_for(world["users"]["outsider"]))
    assert outsider.get("reports/dashboard", unit=world["units"]["city"].pk).status_code == 404


@pytest.mark.parametrize("period", ["2026-q5", "abc", "2099"])
def test_bad_periods_are_400_with_the_field(world, period):
    api = ApiClient(token_for(world["users"]["officer"]))
    response = api.get("reports/dashboard", period=period)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "period"
    created = api.post(
        "reports/reports", {"unit": world["units"]["committee"].pk, "period": period}
    )
    assert created.status_code == 400 and PeriodReport.objects.count() == 1


def test_report_detail_carries_sections_and_versions(world):
    api = ApiClient(token_for(world["users"]["officer"]))
    url = f"reports/reports/{world['report'].pk}"
    api.post(f"{url}/issue")
    detail = api.get(url).json()
    assert detail["state"] == "issued" and detail["number"] == "Số: 1/BC-UBND"
    assert [s["key"] for s in detail["sections"]][-2:] == ["assessment", "next"]
    version = detail["versions"][0]
    assert len(version["pdf_sha256"]) == 64 and version["download_urls"]["pdf"].endswith("/v1.pdf")
    assert api.post(f"{url}/issue").status_code == 409
