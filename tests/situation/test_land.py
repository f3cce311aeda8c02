"""Land handover for projects: households by code, states, issues, meetings, roll-ups."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from danvan.core.errors import Conflict
from danvan.situation import queries, services
from danvan.situation.services import SituationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(officer, province, today):
    return services.create_project(
        actor=officer, organization=province["party"], code="duong-ven-bien",
        name="Đường ven biển đoạn qua xã Thử", starts_on=today - dt.timedelta(days=90),
        total_area_m2="12000",
    )  # fmt: skip


def test_households_states_and_rollup(officer, handler, province, project):
    f0, f1 = province["fronts"][0], province["fronts"][1]
    a0, a1 = province["communes"][0], province["communes"][1]
    h1 = services.add_household(
        actor=handler, project=project, unit=f0, area=a0, household_code="GPMB-01", area_m2="250.5"
    )
    services.add_household(
        actor=handler,
        project=project,
        unit=f0,
        area=a0,
        household_code="GPMB-02",
        area_m2=300,
        state="agreed",
    )
    services.add_household(
        actor=officer, project=project, unit=f1, area=a1, household_code="GPMB-03", area_m2=400,
        issue_type="compensation", issue_note="Đề nghị xem lại đơn giá bồi thường",
    )  # fmt: skip
    services.update_household(actor=handler, household=h1, state="handed_over")
    services.record_meeting(
        actor=handler,
        project=project,
        unit=f0,
        held_on=dt.date.today(),
        title="Đối thoại với các hộ",
        households=12,
    )
    rollup = queries.project_rollup(officer, project=project)
    t = rollup["totals"]
    assert (t["households"], t["handed_over"], t["agreed"], t["informed"], t["with_issues"]) == (
        3,
        1,
        1,
        1,
        1,
    )
    assert t["total_m2"] == Decimal("950.5") and t["handed_over_m2"] == Decimal("250.5")
    assert rollup["issues"][0]["issue_type"] == "compensation"
    assert {r["unit__name"]: r["handed_over"] for r in rollup["by_unit"]} == {
        "Ủy ban MTTQ xã Thử 01": 1, "Ủy ban MTTQ xã Thử 02": 0,
    }  # fmt: skip
    assert rollup["meetings_count"] == 1
    # The commune sees only its households.
    mine = queries.project_rollup(handler, project=project)
    assert mine["totals"]["households"] == 2
    overview = queries.projects_overview(officer)
    assert overview[0]["handed_over"] == 1 and overview[0]["meetings"] == 1


def test_bad_input(officer, handler, province, project, today):
    f0, a0 = province["fronts"][0], province["communes"][0]
    with pytest.raises(SituationError):
        services.add_household(
            actor=handler, project=project, unit=f0, area=a0, household_code="X", area_m2="-3"
        )
    with pytest.raises(SituationError):
        services.add_household(
            actor=handler,
            project=project,
            unit=f0,
            area=a0,
            household_code="X",
            area_m2=3,
            state="gone",
        )
    services.add_household(
        actor=handler, project=project, unit=f0, area=a0, household_code="X", area_m2=3
    )
    with pytest.raises(Conflict):
        services.add_household(
            actor=handler, project=project, unit=f0, area=a0, household_code="X", area_m2=3
        )
    with pytest.raises(PermissionDenied):
        services.add_household(
            actor=handler, project=project, unit=province["fronts"][1], area=province["communes"][1],
            household_code="Y", area_m2=3,
        )  # fmt: skip
    with pytest.raises(Conflict):
        services.create_project(
            actor=officer,
            organization=province["party"],
            code="duong-ven-bien",
            name="X",
            starts_on=today,
        )
    with pytest.raises(SituationError):
        services.create_project(
            actor=officer, organization=province["party"], code="có dấu", name="X", starts_on=today
        )
    with pytest.raises(PermissionDenied):
        services.create_project(
            actor=handler, organization=province["party"], code="x2", name="X", starts_on=today
        )
    with pytest.raises(SituationError):
        services.record_meeting(
            actor=handler,
            project=project,
            unit=f0,
            held_on=today + dt.timedelta(days=3),
            title="Họp",
        )
