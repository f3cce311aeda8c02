"""Fixtures of the democracy tests: in phường Ba Đình, the People's Committee (under the ward
Party committee) publicizes and consults hamlet "Tổ dân phố 1"; the Front supervises.

Users: `gov` (government officer on the People's Committee: manage and respond), `alice`
(commission officer on the ward: supervise), `bob` (viewer), `charlie` (outsider),
`other_gov` (government officer of the sibling ward)."""

from __future__ import annotations

import datetime as dt

import pytest

from danvan.democracy import services
from danvan.org.models import OrganizationType

from ..factories import OrganizationFactory, UserFactory, grant

# A representative's name that must never reach a public page, an export or a roll-up.
REPRESENTATIVE = "Nguyễn Văn Thành"
MEMBER = "Phạm Thị Xuân Mai"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The portal's pages are cached; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _type(code):
    return OrganizationType.objects.get(code=code)


@pytest.fixture
def ward_orgs(tree, hanoi_ward):
    ubnd = OrganizationFactory(
        code="bd-ubnd", name="Ủy ban nhân dân phường Ba Đình", area=hanoi_ward,
        parent=tree["ward"], type=_type("peoples-committee"),
    )  # fmt: skip
    hamlet = OrganizationFactory(
        code="bd-tdp1", name="Tổ dân phố 1, phường Ba Đình", area=hanoi_ward, parent=ubnd,
        type=_type("hamlet"),
    )  # fmt: skip
    front = OrganizationFactory(
        code="bd-mttq", name="Ủy ban MTTQ Việt Nam phường Ba Đình", area=hanoi_ward,
        parent=tree["ward"], type=_type("fatherland-front"),
    )  # fmt: skip
    other_ubnd = OrganizationFactory(
        code="other-ubnd", name="Ủy ban nhân dân phường khác", area=tree["other"].area,
        parent=tree["other"], type=_type("peoples-committee"),
    )  # fmt: skip
    from danvan.org.models import Organization

    return {
        k: Organization.objects.select_related("type", "area").get(pk=v.pk)
        for k, v in {
            "ubnd": ubnd,
            "hamlet": hamlet,
            "front": front,
            "other_ubnd": other_ubnd,
        }.items()
    }


@pytest.fixture
def gov(ward_orgs):
    user = UserFactory(username="giang")
    grant(user, "government_officer", ward_orgs["ubnd"])
    return user


@pytest.fixture
def other_gov(ward_orgs):
    user = UserFactory(username="oanh")
    grant(user, "government_officer", ward_orgs["other_ubnd"])
    return user


def make_households(actor, community, n: int, *, named: int = 3):
    for i in range(1, n + 1):
        services.register_household(
            actor=actor, community=community, code=f"H{i:03d}",
            representative=REPRESENTATIVE if i <= named else "",
        )  # fmt: skip


@pytest.fixture
def households(gov, ward_orgs):
    make_households(gov, ward_orgs["hamlet"], 240)
    return ward_orgs["hamlet"]


def open_matter(actor, orgs, matter_type="contribution", *, opens_on=None, closes_on=None):
    opens_on = opens_on or dt.date(2026, 3, 2)
    return services.open_consultation(
        actor=actor, unit=orgs["ubnd"], community=orgs["hamlet"], matter_type_code=matter_type,
        title="Đóng góp làm đường bê tông ngõ 5", form="meeting", opens_on=opens_on,
        closes_on=closes_on or opens_on + dt.timedelta(days=14),
    )  # fmt: skip


def vote(actor, consultation, yes: int, *, no: int = 0, on=None):
    on = on or consultation.opens_on
    for i in range(1, yes + no + 1):
        services.record_vote(
            actor=actor, consultation=consultation, household_code=f"H{i:03d}",
            choice="yes" if i <= yes else "no", cast_on=on,
        )  # fmt: skip
