"""Pages: the dashboard and its htmx panels, the report pages; outsiders 404, viewers 403;
query counts that do not grow with the data."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.reports import services
from danvan.reports.models import JobState, PeriodReport, ReportState

from ..conftest import login
from .conftest import IN_Q1

pytestmark = pytest.mark.django_db


def test_the_dashboard_loads_one_panel_per_app(units, officer, petitions):
    client = login(officer)
    page = client.get(reverse("reports:index"), {"unit": units["city"].pk, "period": "2026-q1"})
    assert page.status_code == 200
    html = page.content.decode()
    for key in ("emulation", "voices"):
        assert (
            reverse("reports:panel", args=[key]) + f"?period=2026-q1&amp;unit={units['city'].pk}"
            in html
        )
    assert "vendor/chartjs/chart.umd.min" in html and "reports/dashboard" in html
    assert client.get("/reports/dashboard/").status_code == 200

    panel = client.get(
        reverse("reports:panel", args=["voices"]),
        {"unit": units["city"].pk, "period": "2026-q1"},
        headers={"HX-Request": "true"},
    )
    html = panel.content.decode()
    assert panel.status_code == 200 and 'data-panel="voices"' in html
    # 7 matters received in Q1 2026 against 2 in Q4 2025; drill-down to the worklist.
    assert ">7</a>" in html and "+5" in html
    assert (
        reverse("voices:worklist")
        + "?state=all&amp;received_from=2026-01-01&amp;received_to=2026-03-31"
        in html
    )
    # Charts: data in json_script, never in a JS string.
    assert 'type="application/json"' in html and 'data-chart="chart-voices-1"' in html
    data = json.loads(
        html.split('id="chart-voices-2" type="application/json">')[1].split("</script>")[0]
    )
    assert data["kind"] == "doughnut" and data["datasets"][0]["data"] == [4, 2, 1]
    # Nothing personal in a panel.
    assert "Trần Văn Khải" not in html


def test_an_app_without_figures_says_so(units, officer):
    client = login(officer)
    html = client.get(
        reverse("reports:panel", args=["emulation"]), {"period": "2026-q1"}
    ).content.decode()
    assert 'class="panel empty muted"' in html
    assert client.get(reverse("reports:panel", args=["nope"])).status_code == 404


def test_outsiders_and_bad_periods(units, ward_officer, officer):
    client = login(ward_officer)
    assert client.get(reverse("reports:index"), {"unit": units["city"].pk}).status_code == 404
    page = login(officer).get(reverse("reports:index"), {"period": "2026-q9"}, follow=True)
    assert page.status_code == 200 and "2026-q9" in page.content.decode()


def _panel_queries(client, unit, key) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(
            reverse("reports:panel", args=[key]), {"unit": unit.pk, "period": "2026-q1"}
        )
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_stay_flat_as_data_grows(units, officer, receive):
    client = login(officer)
    receive(kinds=("complaint",))
    _panel_queries(client, units["city"], "voices")  # the first request stores the unit picked
    small = {key: _panel_queries(client, units["city"], key) for key in ("voices", "emulation")}
    api_small = len(_api_queries(client, units["city"]))
    for unit in (units["committee"], units["other"], units["union"]):
        for _i in range(3):
            receive(unit, kinds=("complaint", "denunciation", "recommendation"), on=IN_Q1)
    large = {key: _panel_queries(client, units["city"], key) for key in ("voices", "emulation")}
    assert large == small
    assert len(_api_queries(client, units["city"])) == api_small


def _api_queries(client, unit):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/reports/dashboard", {"unit": unit.pk, "period": "2026-q1"})
    assert response.status_code == 200
    return ctx.captured_queries


def test_the_report_journey_in_pages(
    units, officer, viewer, ward_officer, petitions, django_capture_on_commit_callbacks
):
    client = login(officer)
    listing = client.get(reverse("reports:reports"), {"unit": units["committee"].pk})
    assert 'id="generate-form"' in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:generate"), {"unit": units["committee"].pk, "period": "2026-q1"}
        )
    report = PeriodReport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "reports:report", args=[report.pk]
    )
    assert report.job_state == JobState.DONE

    page = client.get(response.url).content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Độc lập - Tự do - Hạnh phúc" in page
    status = client.get(reverse("reports:status", args=[report.pk]), {"was": "running"})
    assert status["HX-Refresh"] == "true"

    section = report.sections.get(key="assessment")
    url = reverse("reports:section", args=[report.pk, section.pk])
    edited = client.post(
        url, {"text": "Đoạn một.\r\n\r\nĐoạn hai."}, headers={"HX-Request": "true"}
    )
    assert edited.status_code == 200 and f'id="section-{section.pk}"' in edited.content.decode()
    section.refresh_from_db()
    assert section.paragraphs == ["Đoạn một.", "Đoạn hai."]

    for fmt, magic in (("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        draft = client.get(reverse("reports:draft", args=[report.pk, fmt]))
        assert draft.status_code == 200 and draft.content.startswith(magic)

    assert client.post(reverse("reports:issue", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.ISSUED
    download = client.get(reverse("reports:version", args=[report.pk, 1, "pdf"]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Type"] == "application/pdf"

    # A viewer reads and downloads but never writes; an outsider learns nothing.
    reader = login(viewer)
    assert reader.get(reverse("reports:report", args=[report.pk])).status_code == 200
    assert reader.get(reverse("reports:version", args=[report.pk, 1, "docx"])).status_code == 200
    assert reader.post(url, {"text": "x"}).status_code == 403
    assert reader.post(reverse("reports:issue", args=[report.pk])).status_code == 403
    assert (
        reader.post(
            reverse("reports:generate"), {"unit": units["committee"].pk, "period": "2026-q2"}
        ).status_code
        == 403
    )
    section.refresh_from_db()
    assert section.paragraphs == ["Đoạn một.", "Đoạn hai."]
    outsider = login(ward_officer)
    for name, args in (
        ("report", [report.pk]),
        ("version", [report.pk, 1, "pdf"]),
        ("draft", [report.pk, "pdf"]),
    ):
        assert outsider.get(reverse(f"reports:{name}", args=args)).status_code == 404
    assert outsider.post(url, {"text": "x"}).status_code == 404

    export = client.get(reverse("reports:reports_export"), {"format": "xlsx"})
    assert export.status_code == 200 and export.content.startswith(b"PK")


def test_generating_with_a_bad_period_in_the_page_writes_nothing(units, officer):
    client = login(officer)
    response = client.post(
        reverse("reports:generate"),
        {"unit": units["committee"].pk, "period": "2026-q7"},
        follow=True,
    )
    assert response.status_code == 200 and not PeriodReport.objects.exists()


def test_viewers_issue_nothing(units, officer, viewer, generate):
    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    login(viewer).post(reverse("reports:issue", args=[report.pk]))
    assert not report.versions.exists()
    assert services.ACTION == "reports.issue"


def test_details_in_the_page(units, officer, viewer, generate):
    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    url = reverse("reports:details", args=[report.pk])
    form = {
        "title": "Kết quả công tác dân vận quý I năm 2026",
        "place": "Ba Đình",
        "date": "2026-04-06",
        "superior": "",
        "issuer": "Ủy ban nhân dân\nPhường Ba Đình",
        "abbreviation": "UBND",
        "signer_title": "Chủ tịch",
        "signer_name": "Nguyễn Văn An",
        "recipients": "- Như trên;\n- Lưu: VT.",
    }
    assert login(officer).post(url, form).status_code == 302
    report.refresh_from_db()
    assert (report.signer_name, str(report.date)) == ("Nguyễn Văn An", "2026-04-06")
    bad = login(officer).post(url, {**form, "date": "2025-12-01", "signer_name": "X"})
    assert bad.status_code == 400 and "id_date" in bad.content.decode()
    assert login(viewer).post(url, {**form, "signer_name": "Y"}).status_code == 403
    report.refresh_from_db()
    assert report.signer_name == "Nguyễn Văn An"


def test_a_failing_panel_stays_in_its_box(units, officer, monkeypatch):
    from danvan.voices import panels as voices_panels

    def broken(scope):
        raise RuntimeError("boom")

    monkeypatch.setattr(voices_panels, "dashboard_panel", broken)
    response = login(officer).get(reverse("reports:panel", args=["voices"]), {"period": "2026-q1"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
