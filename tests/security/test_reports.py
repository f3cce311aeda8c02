"""Security review of the reports app: period reports, their files and the dashboard are
read through the scope; an outsider gets 404, a viewer 403 on writes; panels and report
files carry no personal data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from danvan.reports import services
from danvan.reports.models import PeriodReport
from danvan.reports.periods import current


@pytest.fixture
def far_report(far, superuser, media):
    report = services.generate_report(
        actor=superuser, unit=far["org"], period=current().key, run_now=True
    )
    services.issue_report(actor=superuser, report=report)
    report.refresh_from_db()
    return report


@pytest.fixture
def ward_report(tree, superuser, media):
    return services.generate_report(
        actor=superuser, unit=tree["ward"], period=current().key, run_now=True
    )


def _urls(report):
    section = report.sections.order_by("position").first()
    return {
        "get": [
            reverse("reports:report", args=[report.pk]),
            reverse("reports:status", args=[report.pk]),
            reverse("reports:draft", args=[report.pk, "docx"]),
            reverse("reports:draft", args=[report.pk, "pdf"]),
            reverse("reports:version", args=[report.pk, 1, "pdf"]),
            reverse("reports:version", args=[report.pk, 1, "xlsx"]),
            f"/api/v1/reports/reports/{report.pk}",
        ],
        "post": [
            reverse("reports:details", args=[report.pk]),
            reverse("reports:section", args=[report.pk, section.pk]),
            reverse("reports:issue", args=[report.pk]),
        ],
    }


def test_outsider_gets_404_on_each_report_endpoint(far_report, alice, client_for):
    client = client_for(alice)
    urls = _urls(far_report)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        assert client.post(url, {"title": "x", "text": "x"}).status_code == 404, url
    section = far_report.sections.order_by("position").first()
    assert client.patch(f"/api/v1/reports/reports/{far_report.pk}", {"title": "x"},
                        content_type="application/json").status_code == 404  # fmt: skip
    assert client.put(f"/api/v1/reports/reports/{far_report.pk}/sections/{section.pk}",
                      {"paragraphs": ["x"]}, content_type="application/json").status_code == 404  # fmt: skip
    assert client.post(f"/api/v1/reports/reports/{far_report.pk}/issue").status_code == 404
    far_report.refresh_from_db()
    assert far_report.versions.count() == 1 and far_report.title != "x"


def test_files_are_served_inside_the_grant(far_report, far, client_for):
    client = client_for(far["officer"])
    response = client.get(reverse("reports:version", args=[far_report.pk, 1, "pdf"]))
    assert response.status_code == 200


def test_outsider_cannot_generate_for_a_foreign_unit_or_read_its_dashboard(far, alice, client_for):
    client = client_for(alice)
    org = far["org"].pk
    response = client.post(reverse("reports:generate"), {"unit": org, "period": current().key})
    assert response.status_code == 404
    response = client.post("/api/v1/reports/reports", {"unit": org, "period": current().key},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 404
    assert not PeriodReport.objects.exists()
    assert client.get(reverse("reports:dashboard"), {"unit": org}).status_code == 404
    for key in ("plans", "democracy", "situation"):
        url = reverse("reports:panel", args=[key])
        assert client.get(url, {"unit": org}).status_code == 404, key
    assert client.get("/api/v1/reports/dashboard", {"unit": org}).status_code == 404
    assert client.get("/api/v1/reports/reports", {"unit": org}).status_code == 404


def test_viewer_gets_403_on_writes(ward_report, bob, client_for):
    client = client_for(bob)
    assert client.get(reverse("reports:report", args=[ward_report.pk])).status_code == 200
    assert client.post(reverse("reports:issue", args=[ward_report.pk])).status_code == 403
    assert client.post(reverse("reports:details", args=[ward_report.pk]),
                       {"title": "x"}).status_code == 403  # fmt: skip
    response = client.post(f"/api/v1/reports/reports/{ward_report.pk}/issue")
    assert response.status_code == 403
    assert not ward_report.versions.exists()


def test_period_report_and_dashboard_carry_no_personal_data(tree, superuser, media, client_for):
    """Democracy and situation data with names in the ward; the ward's period report (its
    content, from which DOCX/XLSX/PDF are made), the dashboard API and each panel hold none."""
    import json

    from danvan.reports import documents

    from . import test_democracy, test_situation

    test_democracy.build(superuser, tree["ward"], tree["ward"].area, "bd")
    test_situation.build(superuser, tree["ward"], "bd")
    names = [test_democracy.REPRESENTATIVE, test_democracy.MEMBER, test_situation.NAME]
    report = services.generate_report(
        actor=superuser, unit=tree["ward"], period=current().key, run_now=True
    )
    content = json.dumps(documents.content(report), default=str, ensure_ascii=False)
    assert report.sections.count() >= 3  # the apps' sections were collected
    for name in names:
        assert name not in content
    client = client_for(superuser)
    texts = [client.get("/api/v1/reports/dashboard", {"unit": tree["ward"].pk}).content.decode()]
    for key in ("plans", "democracy", "situation"):
        response = client.get(reverse("reports:panel", args=[key]), {"unit": tree["ward"].pk})
        assert response.status_code == 200
        texts.append(response.content.decode())
    for name in names:
        assert all(name not in t for t in texts)
