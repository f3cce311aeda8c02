"""An officer granted on an area (the city, not an organization) sees and generates the
reports of the units in it, like every other record: visibility goes through the one scope
function, which reads both kinds of grant. Also: the report page says so when no task
worker has taken the job up."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.scope import visible
from danvan.reports.models import JobState, PeriodReport
from danvan.reports.periods import ReportPeriod

from ..factories import UserFactory, grant

Q1 = ReportPeriod("quarter", 2026, 1)


@pytest.fixture
def area_officer(units):
    """Commission officer granted on the city's area, as the demo's bdv.thanhpho."""
    user = UserFactory(username="hang")
    grant(user, "commission_officer", units["city"].area)
    return user


def test_area_grant_sees_the_commissions_reports_and_generates_one(
    units, officer, area_officer, generate, client_for, petitions
):
    issued = generate(actor=officer, unit=units["commission"], period=Q1)
    assert visible(area_officer, PeriodReport.objects.all()).get() == issued
    client = client_for(area_officer)
    listing = client.get(reverse("reports:reports"), {"unit": units["commission"].pk})
    assert issued.title in listing.content.decode()
    assert client.get(reverse("reports:report", args=[issued.pk])).status_code == 200

    response = client.post(
        reverse("reports:generate"),
        {"unit": units["committee"].pk, "period": Q1.key},
    )
    report = PeriodReport.objects.get(unit=units["committee"])
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report", args=[report.pk])
    assert client.get(response["Location"]).status_code == 200


def test_outside_the_area_the_reports_stay_hidden(units, officer, generate, client_for):
    report = generate(actor=officer, unit=units["commission"], period=Q1)
    elsewhere = UserFactory(username="khanh")
    from danvan.org.models import Area

    grant(elsewhere, "commission_officer", Area.objects.get(structure="2025", code="31"))
    assert not visible(elsewhere, PeriodReport.objects.all()).exists()
    assert client_for(elsewhere).get(reverse("reports:report", args=[report.pk])).status_code == (
        404
    )


def test_every_scoped_model_reads_area_grants_too():
    """Any model placed in the organization tree is also placed on the map, so that a grant
    on an area covers it: the fault that hid the reports cannot come back elsewhere."""
    from django.apps import apps

    missing = [
        model._meta.label
        for model in apps.get_models()
        if (spec := getattr(model, "scope", None)) is not None and spec.org and not spec.area
    ]
    assert missing == []


def test_the_page_says_when_no_worker_took_the_report(units, officer, client_for, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from danvan.reports import services

    report = services.generate_report(actor=officer, unit=units["commission"], period=Q1)
    assert report.job_state == JobState.QUEUED
    client = client_for(officer)
    fresh = client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert "Đang chờ tiến trình xử lý nền" in fresh
    assert "Chưa có tiến trình xử lý nền nào nhận báo cáo này." not in fresh
    PeriodReport.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=2)
    )
    waited = client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert "Chưa có tiến trình xử lý nền nào nhận báo cáo này." in waited
    assert "make run" in waited
