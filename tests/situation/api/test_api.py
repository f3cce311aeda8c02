"""The situation API: flows, errors and a permission table (method, URL, role → status)."""

import datetime as dt
import json

import pytest

from danvan.situation import services
from danvan.situation.models import Beneficiary, ReportingRule, SituationReport
from tests.conftest import login

from ..conftest import last_month, quarter_periods, submit

pytestmark = pytest.mark.django_db
API = "/api/v1/situation"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def campaign(officer, province, today):
    c = services.create_campaign(
        actor=officer,
        organization=province["party"],
        type_code="house-elimination",
        name="Xóa nhà tạm",
        starts_on=today - dt.timedelta(days=30),
        target_households=10,
    )
    services.add_funding(
        actor=officer, campaign=c, kind="state_budget", amount=1_000_000_000, received_on=today
    )
    return c


@pytest.fixture
def beneficiary(handler, province, campaign):
    return services.add_beneficiary(
        actor=handler,
        campaign=campaign,
        unit=province["fronts"][0],
        area=province["communes"][0],
        household_code="HP-001",
        category="poor",
        funding_kind="state_budget",
        name="Phạm Văn Sáu",
    )


def test_submit_and_read_a_report(commune_officer, province, today):
    client = login(commune_officer)
    year, month = last_month(today)
    body = {
        "organization": province["fronts"][0].pk,
        "kind": "month",
        "year": year,
        "index": month,
        "entries": [
            {
                "topic": "employment-wages",
                "level": "attention",
                "narrative": "Chị Lan nói công ty nợ lương.",
                "sources": ["activities"],
                "count": 12,
            },
            {"topic": "land-clearance", "level": "stable"},
        ],
    }
    response = post(client, f"{API}/reports", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["flagged"] is True and data["entries"][0]["flags"][0]["kind"] == "honorific_name"
    assert client.get(f"{API}/reports/{data['id']}").json()["entries"][0]["level"] == "attention"
    listing = client.get(f"{API}/reports?kind=month&year={year}&index={month}").json()
    assert listing["count"] == 1


def test_bad_level_and_future_period(commune_officer, province, today):
    client = login(commune_officer)
    year, month = last_month(today)
    body = {
        "organization": province["fronts"][0].pk,
        "kind": "month",
        "year": year,
        "index": month,
        "entries": [{"topic": "land-clearance", "level": "boiling"}],
    }
    response = post(client, f"{API}/reports", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "entries.0.level"
    body["entries"][0]["level"] = "stable"
    body["year"] = today.year + 1
    response = post(client, f"{API}/reports", body)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "period"
    assert not SituationReport.objects.exists()


def test_matrix_signals_and_missing(officer, province, today):
    ReportingRule.objects.filter(org_type__code="fatherland-front").update(frequency="quarter")
    now, prev = quarter_periods(today)
    for i, front in enumerate(province["fronts"]):
        submit(officer, front, prev, land_clearance="tense" if i < 2 else "stable")
        if i < 10:
            submit(officer, front, now, land_clearance="tense" if i < 5 else "stable")
    client = login(officer)
    year, q = now.start.year, (now.start.month - 1) // 3 + 1
    qs = f"unit={province['party'].pk}&kind=quarter&year={year}&index={q}"
    m = client.get(f"{API}/matrix?{qs}").json()
    land = next(r for r in m["rows"] if r["topic"] == "land-clearance")
    assert land["level"] == "tense" and land["trend"] == "up"
    signals = client.get(f"{API}/signals?{qs}").json()
    rising = [s for s in signals if s["kind"] == "rising" and s["topic"] == "land-clearance"]
    assert len(rising[0]["reports"]) == 5
    missing = client.get(f"{API}/missing?{qs}").json()
    assert {m["organization"]["code"] for m in missing["missing"]} == {
        "c10-mttq",
        "c11-mttq",
        "p-bdv",
    }


def test_signal_to_task(officer, province, today):
    from danvan.plans.models import Task

    ReportingRule.objects.filter(org_type__code="fatherland-front").update(frequency="quarter")
    now, _prev = quarter_periods(today)
    for front in province["fronts"][:3]:
        submit(officer, front, now, land_clearance="tense")
    client = login(officer)
    year, q = now.start.year, (now.start.month - 1) // 3 + 1
    body = {
        "unit": province["party"].pk,
        "kind": "quarter",
        "year": year,
        "index": q,
        "topic": "land-clearance",
        "signal": "tense",
        "deadline": str(today + dt.timedelta(days=30)),
    }
    response = post(client, f"{API}/signals/task", body)
    assert response.status_code == 201, response.content
    task = Task.objects.get(pk=response.json()["target_id"])
    assert task.owner == province["party"] and "Đất đai" in task.title
    body["topic"] = "environment"
    assert post(client, f"{API}/signals/task", body).status_code == 400
    signals = client.get(
        f"{API}/signals?unit={province['party'].pk}&kind=quarter&year={year}&index={q}"
    ).json()
    tense = next(s for s in signals if s["kind"] == "tense")
    assert tense["follow_ups"][0]["follow_up"] == "task"


def test_signal_to_dialogue(officer, province, today):
    from danvan.voices.models import Dialogue
    from tests.factories import grant

    grant(officer, "case_handler", province["party"])  # voices.intake for recording a dialogue
    ReportingRule.objects.filter(org_type__code="fatherland-front").update(frequency="quarter")
    now, _prev = quarter_periods(today)
    for front in province["fronts"][:3]:
        submit(officer, front, now, land_clearance="tense")
    client = login(officer)
    year, q = now.start.year, (now.start.month - 1) // 3 + 1
    body = {
        "unit": province["party"].pk,
        "kind": "quarter",
        "year": year,
        "index": q,
        "topic": "land-clearance",
        "signal": "tense",
        "held_on": str(today),
        "heads": "Bí thư Tỉnh ủy",
    }
    response = post(client, f"{API}/signals/dialogue", body)
    assert response.status_code == 201, response.content
    dialogue = Dialogue.objects.get(pk=response.json()["target_id"])
    assert [t.code for t in dialogue.topics.all()] == ["land"]


def test_campaign_flow_and_over_funds(officer, handler, province, campaign, beneficiary):
    client = login(handler)
    detail = client.get(f"{API}/campaigns/{campaign.pk}").json()
    assert detail["totals"]["registered"] == 1
    response = post(
        client, f"{API}/beneficiaries/{beneficiary.pk}/disbursements", {"amount": 2_000_000_000}
    )
    assert response.status_code == 400 and response.json()["code"] == "over_funds"
    response = post(
        client,
        f"{API}/beneficiaries/{beneficiary.pk}/disbursements",
        {"amount": 2_000_000_000, "override": True, "override_reason": "Ứng trước"},
    )
    assert response.status_code == 201
    response = post(
        client, f"{API}/beneficiaries/{beneficiary.pk}/progress", {"progress": "handed_over"}
    )
    assert response.json()["progress"] == "handed_over"
    assert client.get(f"{API}/beneficiaries/{beneficiary.pk}/name").json()["name"] == "Phạm Văn Sáu"
    assert login(officer).get(f"{API}/beneficiaries/{beneficiary.pk}/name").status_code == 404


def test_projects_flow(officer, handler, province, today):
    client = login(officer)
    response = post(
        client,
        f"{API}/projects",
        {
            "organization": province["party"].pk,
            "code": "kcn-a",
            "name": "KCN A",
            "starts_on": str(today),
            "total_area_m2": "5000",
        },
    )
    assert response.status_code == 201, response.content
    pid = response.json()["id"]
    response = post(
        login(handler),
        f"{API}/projects/{pid}/households",
        {
            "unit": province["fronts"][0].pk,
            "area": province["communes"][0].pk,
            "household_code": "H1",
            "area_m2": "120.5",
            "issue_type": "graves",
        },
    )
    assert response.status_code == 201, response.content
    hid = response.json()["id"]
    assert (
        post(login(handler), f"{API}/households/{hid}/state", {"state": "handed_over"}).json()[
            "state"
        ]
        == "handed_over"
    )
    detail = client.get(f"{API}/projects/{pid}").json()
    assert detail["totals"]["handed_over"] == 1 and detail["totals"]["percent_households"] == 100.0


@pytest.mark.parametrize(
    ("role", "method", "url", "expected"),
    [
        ("viewer", "get", "/campaigns/{campaign}", 200),
        ("viewer", "get", "/campaigns/{campaign}/beneficiaries", 200),
        ("viewer", "get", "/beneficiaries/{beneficiary}/name", 404),
        ("viewer", "post", "/campaigns/{campaign}/fundings", 403),
        ("viewer", "post", "/beneficiaries/{beneficiary}/progress", 403),
        ("outsider", "get", "/campaigns/{campaign}", 404),
        ("outsider", "get", "/beneficiaries/{beneficiary}/name", 404),
        ("outsider", "post", "/beneficiaries/{beneficiary}/progress", 404),
        ("officer", "post", "/campaigns/{campaign}/fundings", 201),
        ("officer", "get", "/beneficiaries/{beneficiary}/name", 404),
        ("handler", "get", "/beneficiaries/{beneficiary}/name", 200),
        ("handler", "post", "/campaigns/{campaign}/fundings", 403),
        ("commune_officer", "post", "/beneficiaries/{beneficiary}/progress", 200),
        ("anonymous", "get", "/campaigns/{campaign}", 401),
        ("anonymous", "get", "/topics", 401),
        ("viewer", "get", "/topics", 200),
        ("viewer", "get", "/signal-rules", 200),
        ("viewer", "get", "/reporting-rules", 200),
        ("viewer", "get", "/campaign-types", 200),
    ],
)
def test_permission_table(request, role, method, url, expected, campaign, beneficiary, today):
    from django.test import Client

    client = Client() if role == "anonymous" else login(request.getfixturevalue(role))
    url = API + url.format(campaign=campaign.pk, beneficiary=beneficiary.pk)
    bodies = {
        "fundings": {"kind": "enterprises", "amount": 5, "received_on": str(today)},
        "progress": {"progress": "built"},
    }
    if method == "get":
        response = client.get(url)
    else:
        response = post(client, url, bodies[url.rsplit("/", 1)[1]])
    assert response.status_code == expected, response.content


def test_list_queries_do_not_grow(officer, province, campaign, django_assert_max_num_queries):
    client = login(officer)
    with django_assert_max_num_queries(12):
        client.get(f"{API}/campaigns/{campaign.pk}/beneficiaries")
    Beneficiary.objects.bulk_create(
        Beneficiary(
            campaign=campaign,
            unit=province["fronts"][i % 12],
            area=province["communes"][i % 12],
            household_code=f"B{i}",
            category="poor",
        )
        for i in range(40)
    )
    with django_assert_max_num_queries(12):
        assert client.get(f"{API}/campaigns/{campaign.pk}/beneficiaries").json()["count"] == 40
    with django_assert_max_num_queries(20):
        client.get(f"{API}/campaigns/{campaign.pk}")
