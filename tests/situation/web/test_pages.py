"""The situation pages: each renders for the officer, outsiders get 404, writes go through
the services; exports exist for each list."""

import datetime as dt

import pytest

from danvan.situation import services
from danvan.situation.models import ReportingRule, SituationReport
from tests.conftest import login

from ..conftest import last_month, quarter_periods, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(officer, handler, province, today):
    ReportingRule.objects.filter(org_type__code="fatherland-front").update(frequency="quarter")
    now, prev = quarter_periods(today)
    for i, front in enumerate(province["fronts"]):
        submit(officer, front, prev, land_clearance="tense" if i < 2 else "stable")
        submit(officer, front, now, land_clearance="tense" if i < 5 else "stable")
    campaign = services.create_campaign(
        actor=officer,
        organization=province["party"],
        type_code="house-elimination",
        name="Xóa nhà tạm",
        starts_on=today - dt.timedelta(days=30),
        target_households=10,
    )
    services.add_funding(
        actor=officer, campaign=campaign, kind="state_budget", amount=10**9, received_on=today
    )
    b = services.add_beneficiary(
        actor=handler,
        campaign=campaign,
        unit=province["fronts"][0],
        area=province["communes"][0],
        household_code="HP-001",
        category="poor",
        funding_kind="state_budget",
        name="Đinh Thị Bưởi",
    )
    fund = services.create_campaign(
        actor=officer,
        organization=province["party"],
        type_code="support-fund",
        name="Quỹ hỗ trợ nông dân",
        starts_on=today - dt.timedelta(days=30),
    )
    project = services.create_project(
        actor=officer, organization=province["party"], code="kcn", name="KCN", starts_on=today
    )
    services.add_household(
        actor=handler,
        project=project,
        unit=province["fronts"][0],
        area=province["communes"][0],
        household_code="G1",
        area_m2=100,
    )
    return {"period": now, "campaign": campaign, "beneficiary": b, "fund": fund, "project": project}


def _period_qs(period):
    return f"kind=quarter&year={period.start.year}&index={(period.start.month - 1) // 3 + 1}"


def test_every_page_renders(officer, province, data):
    client = login(officer)
    qs = _period_qs(data["period"]) + f"&unit={province['party'].pk}"
    report = SituationReport.objects.filter(period=data["period"]).first()
    urls = [
        f"/situation/?{qs}",
        f"/situation/cell/land-clearance/?{qs}",
        f"/situation/signals/?{qs}",
        "/situation/reports/",
        f"/situation/reports/{report.pk}/",
        "/situation/reports/new/",
        f"/situation/missing/?{qs}",
        "/situation/campaigns/",
        "/situation/campaigns/new/",
        f"/situation/campaigns/{data['campaign'].pk}/",
        f"/situation/campaigns/{data['fund'].pk}/",
        f"/situation/campaigns/{data['campaign'].pk}/import/",
        "/situation/projects/",
        "/situation/projects/new/",
        f"/situation/projects/{data['project'].pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/situation/?{qs}").content.decode()
    assert "Đất đai, giải phóng mặt bằng" in page
    signals = client.get(f"/situation/signals/?{qs}").content.decode()
    assert 'id="signal-rising-land-clearance"' in signals


def test_exports(officer, province, data):
    client = login(officer)
    qs = _period_qs(data["period"]) + f"&unit={province['party'].pk}"
    for url in [
        f"/situation/export/?{qs}",
        f"/situation/signals/export/?{qs}",
        f"/situation/missing/export/?{qs}",
        "/situation/reports/export/?",
        "/situation/campaigns/export/?",
        f"/situation/campaigns/{data['campaign'].pk}/export/?",
        "/situation/projects/export/?",
        f"/situation/projects/{data['project'].pk}/export/?",
    ]:
        for fmt in ("xlsx", "csv"):
            response = client.get(url + f"&format={fmt}")
            assert response.status_code == 200, url
            assert response["Content-Disposition"].startswith("attachment")


def test_outsider_gets_404(outsider, province, data):
    client = login(outsider)
    for url in [
        f"/situation/campaigns/{data['campaign'].pk}/",
        f"/situation/projects/{data['project'].pk}/",
        f"/situation/reports/{SituationReport.objects.first().pk}/",
        f"/situation/?unit={province['party'].pk}",
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            f"/situation/households/{data['beneficiary'].pk}/", {"progress": "built"}
        ).status_code
        == 404
    )


def test_viewer_cannot_write(viewer, province, data):
    client = login(viewer)
    assert client.get("/situation/campaigns/new/").status_code == 403
    response = client.post(
        f"/situation/campaigns/{data['campaign'].pk}/fundings/",
        {"kind": "enterprises", "amount": "5", "received_on": "2025-01-01"},
    )
    assert response.status_code == 403


def test_report_form_submits_and_flags(commune_officer, province, today):
    client = login(commune_officer)
    year, month = last_month(today)
    front = province["fronts"][0]
    url = f"/situation/reports/new/?organization={front.pk}&kind=month&year={year}&index={month}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "organization": front.pk,
            "kind": "month",
            "year": year,
            "index": month,
            "level-land-clearance": "tense",
            "narrative-land-clearance": "Bà Trần Thị Mai phản đối.",
            "sources-land-clearance": ["dialogue"],
            "level-environment": "stable",
        },
    )
    assert response.status_code == 302
    report = SituationReport.objects.get()
    assert report.flagged and report.entries.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert 'id="flag-notice"' in page


def test_report_form_shows_the_error(commune_officer, province, today):
    client = login(commune_officer)
    year, month = last_month(today)
    front = province["fronts"][0]
    response = client.post(
        "/situation/reports/new/",
        {
            "organization": front.pk,
            "kind": "month",
            "year": year,
            "index": month,
            "level-land-clearance": "boiling",
        },
    )
    assert response.status_code == 200
    assert 'id="form-error"' in response.content.decode()
    assert not SituationReport.objects.exists()


def test_signal_into_task_in_one_step(officer, province, data, today):
    from danvan.plans.models import Task

    client = login(officer)
    period = data["period"]
    response = client.post(
        "/situation/signals/task/",
        {
            "unit": province["party"].pk,
            "kind": "quarter",
            "year": period.start.year,
            "index": (period.start.month - 1) // 3 + 1,
            "topic": "land-clearance",
            "signal": "rising",
            "deadline": str(today + dt.timedelta(days=20)),
        },
    )
    assert response.status_code == 302
    assert Task.objects.count() == 1


def test_pages_do_not_grow_in_queries(officer, province, data, django_assert_max_num_queries):
    from danvan.situation.models import Beneficiary

    client = login(officer)
    url = f"/situation/campaigns/{data['campaign'].pk}/"
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    Beneficiary.objects.bulk_create(
        Beneficiary(
            campaign=data["campaign"],
            unit=province["fronts"][i % 12],
            area=province["communes"][i % 12],
            household_code=f"B{i}",
            category="poor",
        )
        for i in range(45)
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
    qs = _period_qs(data["period"]) + f"&unit={province['party'].pk}"
    with django_assert_max_num_queries(40) as matrix_small:
        client.get(f"/situation/?{qs}")
    with django_assert_max_num_queries(40):
        client.get("/situation/reports/")
    assert len(matrix_small.captured_queries) < 40
