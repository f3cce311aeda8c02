"""Fixtures of the situation tests: a test province with communes and their Fronts, the
cast (a city commission officer, a commune officer, a viewer, an outsider), periods."""

import datetime as dt

import pytest
from django.utils import timezone

from danvan.audit.context import request_context
from danvan.org.models import Organization, OrganizationType
from danvan.situation import services
from tests.factories import AreaFactory, OrganizationFactory, UserFactory, grant


def _type(code):
    return OrganizationType.objects.get(code=code)


@pytest.fixture(autouse=True)
def _audit_context():
    with request_context():
        yield


@pytest.fixture
def province(db):
    """A province with 12 communes; in each, a commune Party committee with a Front under it;
    the province has a Party committee, a commission and a Front."""
    area = AreaFactory(name="Tỉnh Thử Nghiệm")
    party = OrganizationFactory(
        code="p-tu", name="Tỉnh ủy", area=area, type=_type("party-committee")
    )
    commission = OrganizationFactory(
        code="p-bdv", name="Ban Dân vận Tỉnh ủy", area=area, parent=party,
        type=_type("mass-mobilization-commission"),
    )  # fmt: skip
    communes, fronts, committees = [], [], []
    for i in range(12):
        commune = AreaFactory(parent=area, name=f"Xã Thử {i + 1:02d}", kind="xã")
        committee = OrganizationFactory(
            code=f"c{i:02d}-du", name=f"Đảng ủy xã Thử {i + 1:02d}", area=commune,
            parent=Organization.objects.get(pk=party.pk), type=_type("party-committee"),
        )  # fmt: skip
        front = OrganizationFactory(
            code=f"c{i:02d}-mttq", name=f"Ủy ban MTTQ xã Thử {i + 1:02d}", area=commune,
            parent=Organization.objects.get(pk=committee.pk), type=_type("fatherland-front"),
        )  # fmt: skip
        communes.append(commune)
        committees.append(Organization.objects.get(pk=committee.pk))
        fronts.append(Organization.objects.get(pk=front.pk))
    return {
        "area": area,
        "party": Organization.objects.get(pk=party.pk),
        "commission": Organization.objects.get(pk=commission.pk),
        "communes": communes,
        "committees": committees,
        "fronts": fronts,
    }


@pytest.fixture
def officer(province):
    """Commission officer of the province (situation.*: report and manage)."""
    user = UserFactory(username="officer")
    grant(user, "commission_officer", province["party"])
    return user


@pytest.fixture
def commune_officer(province):
    """Organization officer of commune 0's Party committee subtree (situation.report)."""
    user = UserFactory(username="commune")
    grant(user, "organization_officer", province["committees"][0])
    return user


@pytest.fixture
def handler(province):
    """Government officer on commune 0 (manage + view_beneficiaries there)."""
    user = UserFactory(username="handler")
    grant(user, "government_officer", province["committees"][0])
    return user


@pytest.fixture
def viewer(province):
    user = UserFactory(username="viewer")
    grant(user, "viewer", province["party"])
    return user


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def today():
    return timezone.localdate()


def last_quarter(today: dt.date) -> tuple[int, int]:
    q = (today.month - 1) // 3 + 1
    return (today.year, q - 1) if q > 1 else (today.year - 1, 4)


def last_month(today: dt.date) -> tuple[int, int]:
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def quarter_periods(today):
    year, q = last_quarter(today)
    now = services.period_of("quarter", year, q)
    prev_year, prev_q = (year, q - 1) if q > 1 else (year - 1, 4)
    return now, services.period_of("quarter", prev_year, prev_q)


def submit(actor, org, period, **levels):
    """levels: topic code (with _ for -) → level code."""
    return services.submit_report(
        actor=actor,
        organization=org,
        period=period,
        entries=[
            {"topic": code.replace("_", "-"), "level": level, "narrative": "", "sources": []}
            for code, level in levels.items()
        ],
    )
