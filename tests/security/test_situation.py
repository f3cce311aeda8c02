"""Security review of the situation app: scoped lookups, outsider 404s, and beneficiaries'
names (explicit-only `situation.view_beneficiaries`) kept off exports, API, audit and from
wildcard roles and superusers."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from danvan.situation import services
from danvan.situation.models import AffectedHousehold, Beneficiary, Loan

from ..factories import OrganizationFactory, UserFactory, grant

TODAY = dt.date.today()
NAME = "Hoàng Thị Thụ Hưởng"


def build(actor, org, prefix):
    """A house-elimination campaign with a named beneficiary, a loan fund with a loan, a
    land project with an affected household, and a situation report of `org`."""
    campaign = services.create_campaign(
        actor=actor, organization=org, type_code="house-elimination",
        name=f"Xóa nhà tạm {prefix}", starts_on=TODAY - dt.timedelta(days=30),
        target_households=10,
    )  # fmt: skip
    beneficiary = services.add_beneficiary(
        actor=actor, campaign=campaign, unit=org, area=org.area, household_code=f"{prefix}-1",
        category="poor", name=NAME,
    )  # fmt: skip
    fund = services.create_campaign(
        actor=actor, organization=org, type_code="support-fund", name=f"Quỹ {prefix}",
        starts_on=TODAY - dt.timedelta(days=30),
    )  # fmt: skip
    services.add_funding(actor=actor, campaign=fund, kind="state_budget", amount=10**8,
                         received_on=TODAY - dt.timedelta(days=20))  # fmt: skip
    loan = services.lend(
        actor=actor, campaign=fund, unit=org, area=org.area, household_code=f"{prefix}-2",
        purpose="Chăn nuôi", amount=10**7, lent_on=TODAY - dt.timedelta(days=10),
        due_on=TODAY + dt.timedelta(days=300),
    )  # fmt: skip
    project = services.create_project(
        actor=actor, organization=org, code=f"{prefix}-duong", name=f"Đường {prefix}",
        starts_on=TODAY - dt.timedelta(days=30),
    )  # fmt: skip
    household = services.add_household(
        actor=actor, project=project, unit=org, area=org.area, household_code=f"{prefix}-3",
        area_m2=120,
    )  # fmt: skip
    period = services.period_of("month", TODAY.year, TODAY.month)
    union = OrganizationFactory(code=f"{prefix}-pn", name=f"Hội Phụ nữ {prefix}", area=org.area,
                                parent=org)  # fmt: skip
    report = services.submit_report(
        actor=actor, organization=union, period=period,
        entries=[{"topic": "environment", "level": "attention", "narrative": "Khói bụi."}],
    )  # fmt: skip
    return {
        "org": org, "campaign": campaign, "beneficiary": beneficiary, "fund": fund,
        "loan": loan, "project": project, "household": household, "report": report,
    }  # fmt: skip


@pytest.fixture
def far_sit(far, superuser):
    return build(superuser, far["org"], "hp")


@pytest.fixture
def ward_sit(tree, superuser):
    return build(superuser, tree["ward"], "bd")


GET_PAGES = [
    ("situation:report", "report_id", "report"),
    ("situation:campaign", "campaign_id", "campaign"),
    ("situation:campaign_export", "campaign_id", "campaign"),
    ("situation:import", "campaign_id", "campaign"),
    ("situation:import_template", "campaign_id", "campaign"),
    ("situation:project", "project_id", "project"),
    ("situation:project_export", "project_id", "project"),
]

POST_PAGES = [
    ("situation:funding_add", "campaign_id", "campaign"),
    ("situation:beneficiary_add", "campaign_id", "campaign"),
    ("situation:loan_add", "campaign_id", "fund"),
    ("situation:beneficiary_update", "beneficiary_id", "beneficiary"),
    ("situation:loan_repay", "loan_id", "loan"),
    ("situation:household_add", "project_id", "project"),
    ("situation:meeting_add", "project_id", "project"),
    ("situation:household_update", "household_id", "household"),
]

API_GETS = [
    "/api/v1/situation/reports/{report}",
    "/api/v1/situation/campaigns/{campaign}",
    "/api/v1/situation/campaigns/{campaign}/beneficiaries",
    "/api/v1/situation/beneficiaries/{beneficiary}/name",
    "/api/v1/situation/campaigns/{fund}/loans",
    "/api/v1/situation/projects/{project}",
]


@pytest.mark.parametrize(("name", "kwarg", "key"), GET_PAGES)
def test_outsider_gets_404_on_each_detail_page(far_sit, alice, client_for, name, kwarg, key):
    response = client_for(alice).get(reverse(name, kwargs={kwarg: far_sit[key].pk}))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "kwarg", "key"), POST_PAGES)
def test_outsider_gets_404_on_each_write(far_sit, alice, tree, client_for, name, kwarg, key):
    response = client_for(alice).post(
        reverse(name, kwargs={kwarg: far_sit[key].pk}),
        {"unit": tree["ward"].pk, "area": tree["ward"].area_id, "household_code": "X-1",
         "category": "poor", "progress": "built", "amount": "1000", "kind": "state_budget",
         "received_on": TODAY.isoformat(), "state": "handed_over", "area_m2": "10",
         "held_on": TODAY.isoformat(), "title": "x", "purpose": "x",
         "lent_on": TODAY.isoformat(), "due_on": TODAY.isoformat()},
    )  # fmt: skip
    assert response.status_code == 404
    far_sit["beneficiary"].refresh_from_db()
    assert far_sit["beneficiary"].progress == "registered"
    assert Beneficiary.objects.count() == 1
    assert Loan.objects.get().repaid == 0
    assert AffectedHousehold.objects.get().state == "informed"


@pytest.mark.parametrize("url", API_GETS)
def test_api_outsider_gets_404(far_sit, alice, client_for, url):
    keys = {k: v.pk for k, v in far_sit.items()}
    assert client_for(alice).get(url.format(**keys)).status_code == 404


def test_api_foreign_ids_in_bodies_give_404(far_sit, ward_sit, alice, client_for, tree):
    client = client_for(alice)
    ward_campaign = ward_sit["campaign"].pk
    cases = [
        (f"/api/v1/situation/campaigns/{ward_campaign}/beneficiaries",
         {"unit": far_sit["org"].pk, "area": far_sit["org"].area_id, "household_code": "Z",
          "category": "poor"}),
        (f"/api/v1/situation/campaigns/{far_sit['campaign'].pk}/beneficiaries",
         {"unit": tree["ward"].pk, "area": tree["ward"].area_id, "household_code": "Z",
          "category": "poor"}),
        ("/api/v1/situation/campaigns",
         {"organization": far_sit["org"].pk, "type": "other", "name": "x",
          "starts_on": TODAY.isoformat()}),
        ("/api/v1/situation/signals/task",
         {"unit": far_sit["org"].pk, "kind": "month", "year": TODAY.year, "index": TODAY.month,
          "topic": "environment", "signal": "tense", "deadline": TODAY.isoformat()}),
    ]  # fmt: skip
    for url, payload in cases:
        response = client.post(url, payload, content_type="application/json")
        assert response.status_code == 404, url
    assert Beneficiary.objects.count() == 2


def test_unit_parameter_outside_the_grant_is_404(far_sit, alice, client_for):
    client = client_for(alice)
    unit = far_sit["org"].pk
    for name in ("situation:index", "situation:signals", "situation:reports",
                 "situation:campaigns", "situation:missing"):  # fmt: skip
        assert client.get(reverse(name), {"unit": unit}).status_code == 404, name
    response = client.get("/api/v1/situation/campaigns", {"unit": unit})
    assert response.status_code == 404


def test_viewer_gets_403_on_writes(ward_sit, bob, client_for):
    client = client_for(bob)
    b = ward_sit["beneficiary"]
    response = client.post(
        f"/api/v1/situation/beneficiaries/{b.pk}/disbursements",
        {"amount": 1000}, content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403
    b.refresh_from_db()
    assert b.disbursed == 0


@pytest.fixture
def gov(tree):
    """Government officer on the ward: holds situation.view_beneficiaries by name."""
    user = UserFactory(username="gov-ward")
    grant(user, "government_officer", tree["ward"])
    return user


def test_names_only_for_the_explicit_action(ward_sit, alice, gov, superuser, client_for):
    b = ward_sit["beneficiary"]
    url = f"/api/v1/situation/beneficiaries/{b.pk}/name"
    # alice holds situation.* (a wildcard): never the names; nor does a superuser.
    assert client_for(alice).get(url).status_code == 404
    assert client_for(superuser).get(url).status_code == 404
    page = reverse("situation:campaign", args=[ward_sit["campaign"].pk])
    assert NAME not in client_for(alice).get(page).content.decode()
    assert NAME not in client_for(superuser).get(page).content.decode()
    response = client_for(gov).get(url)
    assert response.status_code == 200 and response.json()["name"] == NAME
    assert NAME in client_for(gov).get(page).content.decode()


def test_names_never_in_exports_api_lists_or_audit(ward_sit, gov, client_for):
    from danvan.audit.models import AuditEvent

    client = client_for(gov)
    campaign = ward_sit["campaign"].pk
    texts = []
    for fmt in ("csv", "xlsx"):
        for url in (reverse("situation:campaign_export", args=[campaign]),
                    reverse("situation:campaigns_export")):  # fmt: skip
            response = client.get(url, {"format": fmt})
            assert response.status_code == 200
            texts.append(response.content)
    for url in (f"/api/v1/situation/campaigns/{campaign}",
                f"/api/v1/situation/campaigns/{campaign}/beneficiaries"):  # fmt: skip
        texts.append(client.get(url).content)
    assert all(NAME.encode() not in t for t in texts)
    changes = json.dumps(list(AuditEvent.objects.values_list("changes", flat=True)),
                         ensure_ascii=False)  # fmt: skip
    assert NAME not in changes


def test_lower_unit_sees_a_higher_campaign_but_only_its_own_households(
    tree, superuser, alice, client_for
):
    """Campaigns cascade to lower areas; their households do not: the ward sees the city
    campaign but neither the other ward's households nor the city's funds."""
    city = tree["city"]
    campaign = services.create_campaign(
        actor=superuser, organization=city, type_code="house-elimination", name="Thành phố",
        starts_on=TODAY - dt.timedelta(days=30),
    )  # fmt: skip
    services.add_beneficiary(actor=superuser, campaign=campaign, unit=tree["other"],
                             area=tree["other"].area, household_code="OTHER-1",
                             category="poor")  # fmt: skip
    client = client_for(alice)
    response = client.get(f"/api/v1/situation/campaigns/{campaign.pk}/beneficiaries")
    assert response.status_code == 200
    assert "OTHER-1" not in response.content.decode()
    detail = client.get(f"/api/v1/situation/campaigns/{campaign.pk}").json()
    assert detail["totals"]["registered"] == 0


def test_a_household_is_placed_in_the_handling_units_area(ward_sit, far, alice, client_for):
    response = client_for(alice).post(
        f"/api/v1/situation/campaigns/{ward_sit['campaign'].pk}/beneficiaries",
        {"unit": ward_sit["org"].pk, "area": far["org"].area_id, "household_code": "FAR-1",
         "category": "poor"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code in (400, 404)
    assert not Beneficiary.objects.filter(household_code="FAR-1").exists()
