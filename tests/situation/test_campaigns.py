"""Welfare campaigns: targets, funds, beneficiaries, progress, roll-ups (acceptance:
1,240 houses, 1,016 handed over → 81.9%), disbursement limits, the loan fund."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from danvan.audit.models import AuditEvent
from danvan.situation import queries, services
from danvan.situation.models import Beneficiary, Disbursement, Loan
from danvan.situation.services import SituationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def houses(officer, province, today):
    campaign = services.create_campaign(
        actor=officer,
        organization=province["party"],
        type_code="house-elimination",
        name="Xóa nhà tạm, nhà dột nát 2025",
        starts_on=today - dt.timedelta(days=200),
        target_households=1240,
        target_money=74_400_000_000,
    )
    services.add_funding(
        actor=officer,
        campaign=campaign,
        kind="state_budget",
        amount=40_000_000_000,
        received_on=today,
    )
    services.add_funding(
        actor=officer,
        campaign=campaign,
        kind="relief_fund",
        amount=10_000_000_000,
        received_on=today,
    )
    return campaign


def _bulk(campaign, province, plan):
    """plan: list of (commune index, funding kind, progress, count)."""
    rows, n = [], 0
    for commune, kind, progress, count in plan:
        for _ in range(count):
            n += 1
            rows.append(
                Beneficiary(
                    campaign=campaign,
                    unit=province["fronts"][commune],
                    area=province["communes"][commune],
                    household_code=f"HH-{n:05d}",
                    category="poor",
                    funding_kind=kind,
                    progress=progress,
                )
            )
    Beneficiary.objects.bulk_create(rows)


def test_house_elimination_rolls_up_to_81_9_percent(officer, province, houses):
    _bulk(
        houses,
        province,
        [
            (0, "state_budget", "handed_over", 400),
            (1, "state_budget", "handed_over", 300),
            (1, "relief_fund", "handed_over", 216),
            (2, "contributions", "handed_over", 100),
            (2, "contributions", "built", 50),
            (3, "state_budget", "registered", 174),
        ],
    )
    rollup = queries.campaign_rollup(officer, campaign=houses)
    assert rollup["totals"]["handed_over"] == 1016
    assert rollup["target_households"] == 1240
    assert rollup["percent_of_target"] == 81.9
    by_area = {r["area__name"]: r["handed_over"] for r in rollup["by_area"]}
    assert by_area == {"Xã Thử 01": 400, "Xã Thử 02": 516, "Xã Thử 03": 100, "Xã Thử 04": 0}
    by_funding = {r["funding_kind"]: r["handed_over"] for r in rollup["by_funding"]}
    assert by_funding == {"state_budget": 700, "relief_fund": 216, "contributions": 100}
    assert {f["kind"]: f["amount"] for f in rollup["funds"]} == {
        "state_budget": Decimal(40_000_000_000),
        "relief_fund": Decimal(10_000_000_000),
    }
    assert {r["unit"]: r["handed_over"] for r in rollup["by_unit"]}["Ủy ban MTTQ xã Thử 02"] == 516
    overview = queries.campaigns_overview(officer)
    assert overview[0]["percent_of_target"] == 81.9


def test_a_commune_sees_only_its_households(handler, province, houses):
    _bulk(
        houses,
        province,
        [(0, "state_budget", "handed_over", 3), (1, "state_budget", "handed_over", 5)],
    )
    rollup = queries.campaign_rollup(handler, campaign=houses)
    assert rollup["totals"]["registered"] == 3
    assert rollup["percent_of_target"] is None  # the whole campaign is not theirs
    assert rollup["percent_of_registered"] == 100.0


def test_beneficiary_service_and_names(handler, officer, province, houses):
    b = services.add_beneficiary(
        actor=handler, campaign=houses, unit=province["fronts"][0], area=province["communes"][0],
        household_code="HP-001", category="near_poor", funding_kind="state_budget", name="Trần Thị Mai",
    )  # fmt: skip
    assert b.name_enc and "Thị Mai" not in b.name_enc
    event = AuditEvent.objects.get(action="situation.add_beneficiary")
    assert "Thị Mai" not in str(event.changes)
    assert queries.beneficiary_names(handler, [b]) == {b.pk: "Trần Thị Mai"}
    assert AuditEvent.objects.filter(action="situation.view_beneficiaries").count() == 1
    # A commission officer (situation.* by wildcard) and a superuser never read names.
    assert queries.beneficiary_names(officer, [b]) == {}
    from tests.factories import UserFactory

    root = UserFactory(username="root2", is_superuser=True)
    assert queries.beneficiary_names(root, [b]) == {}
    with pytest.raises(SituationError):
        services.add_beneficiary(
            actor=handler, campaign=houses, unit=province["fronts"][0], area=province["communes"][0],
            household_code="HP-002", category="rich",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.add_beneficiary(
            actor=handler, campaign=houses, unit=province["fronts"][1], area=province["communes"][1],
            household_code="HP-003", category="poor",
        )  # fmt: skip


def test_progress(handler, province, houses, today):
    b = services.add_beneficiary(
        actor=handler, campaign=houses, unit=province["fronts"][0], area=province["communes"][0],
        household_code="HP-001", category="poor",
    )  # fmt: skip
    b = services.record_progress(actor=handler, beneficiary=b, progress="handed_over")
    assert b.built_on == today and b.handed_over_on == today
    b = services.record_progress(actor=handler, beneficiary=b, progress="building")
    assert b.built_on is None and b.handed_over_on is None
    with pytest.raises(SituationError):
        services.record_progress(actor=handler, beneficiary=b, progress="demolished")


def test_disbursement_beyond_funds_needs_an_explicit_override(handler, province, houses):
    b = services.add_beneficiary(
        actor=handler, campaign=houses, unit=province["fronts"][0], area=province["communes"][0],
        household_code="HP-001", category="poor",
    )  # fmt: skip
    services.disburse(actor=handler, beneficiary=b, amount=49_000_000_000)
    with pytest.raises(SituationError) as err:
        services.disburse(actor=handler, beneficiary=b, amount=2_000_000_000)
    assert err.value.field == "amount" and err.value.code == "over_funds"
    with pytest.raises(SituationError) as err:
        services.disburse(
            actor=handler, beneficiary=b, amount=2_000_000_000, override=True, override_reason=" "
        )
    assert err.value.field == "override_reason"
    assert Disbursement.objects.count() == 1
    b.refresh_from_db()
    assert b.disbursed == Decimal(49_000_000_000)
    services.disburse(
        actor=handler, beneficiary=b, amount=2_000_000_000, override=True,
        override_reason="Tạm ứng từ ngân sách xã, sẽ bổ sung nguồn",
    )  # fmt: skip
    event = AuditEvent.objects.get(action="situation.disburse_over_funds")
    assert "Tạm ứng" in str(event.changes)


@pytest.mark.parametrize("amount", [0, -5, "abc", "1.5"])
def test_bad_amounts(handler, province, houses, amount):
    b = services.add_beneficiary(
        actor=handler, campaign=houses, unit=province["fronts"][0], area=province["communes"][0],
        household_code="HP-001", category="poor",
    )  # fmt: skip
    with pytest.raises(SituationError):
        services.disburse(actor=handler, beneficiary=b, amount=amount)


def test_campaign_bad_input_and_permission(officer, commune_officer, province, today):
    with pytest.raises(SituationError) as err:
        services.create_campaign(
            actor=officer,
            organization=province["party"],
            type_code="nope",
            name="X",
            starts_on=today,
        )
    assert err.value.field == "type"
    with pytest.raises(SituationError) as err:
        services.create_campaign(
            actor=officer, organization=province["party"], type_code="gift-visits", name="X",
            starts_on=today, ends_on=today - dt.timedelta(days=1),
        )  # fmt: skip
    assert err.value.field == "ends_on"
    with pytest.raises(PermissionDenied):
        services.create_campaign(
            actor=commune_officer, organization=province["fronts"][0], type_code="gift-visits",
            name="X", starts_on=today,
        )  # fmt: skip


def test_farmers_support_fund(officer, handler, province, today):
    fund = services.create_campaign(
        actor=officer, organization=province["party"], type_code="support-fund",
        name="Quỹ Hỗ trợ nông dân", starts_on=today - dt.timedelta(days=400),
    )  # fmt: skip
    services.add_funding(
        actor=officer, campaign=fund, kind="state_budget", amount=500_000_000, received_on=today
    )
    loan = services.lend(
        actor=handler, campaign=fund, unit=province["fronts"][0], area=province["communes"][0],
        household_code="ND-01", purpose="Nuôi bò sinh sản", amount=300_000_000,
        lent_on=today - dt.timedelta(days=300), due_on=today + dt.timedelta(days=65),
    )  # fmt: skip
    services.repay(actor=handler, loan=loan, amount=100_000_000)
    with pytest.raises(SituationError):
        services.repay(actor=handler, loan=loan, amount=300_000_000)
    with pytest.raises(SituationError) as err:
        services.lend(
            actor=handler, campaign=fund, unit=province["fronts"][0], area=province["communes"][0],
            household_code="ND-02", purpose="Trồng rau", amount=400_000_000,
            lent_on=today, due_on=today + dt.timedelta(days=365),
        )  # fmt: skip
    assert err.value.code == "over_funds"
    assert Loan.objects.count() == 1
    rollup = queries.campaign_rollup(officer, campaign=fund)["loans"]
    assert (rollup["out"], rollup["repaid"], rollup["outstanding"]) == (
        Decimal(300_000_000), Decimal(100_000_000), Decimal(200_000_000),
    )  # fmt: skip
