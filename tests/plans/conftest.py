"""Fixtures of the plans tests: a province (Hà Nội, 2025 structure) whose city Party
committee has a Mass Mobilization Commission and 20 commune Party committees under it, the
people who work there, and an outsider province.

Everything the figures count is entered through the services; only the organization tree
and the grants are test setup."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from danvan.org.models import Area, Organization, OrganizationType

from ..factories import OrganizationFactory, UserFactory, grant

ISSUED = dt.date(2025, 12, 6)


def org_type(code: str) -> OrganizationType:
    return OrganizationType.objects.get(code=code)


def fresh(org):
    return Organization.objects.select_related("area").get(pk=org.pk)


@dataclass
class Province:
    area: Area
    party: Organization
    commission: Organization
    communes: list  # 20 commune Party committees, each in its own commune
    unions: list  # a Women's Union under each of the first 3 communes
    outsider: Organization  # in another province
    officer: object  # commission officer on the province's area
    commune_officer: object  # commission officer on the first commune
    reporter: object  # organization officer (plans.report) on the first commune
    viewer: object  # viewer on the city Party committee
    leader: object  # leader (plans.manage) on the commission
    stranger: object  # signed in, no grant


@pytest.fixture
def province(db, hanoi) -> Province:
    party = OrganizationFactory(
        code="hn-tu", name="Thành ủy Hà Nội", area=hanoi, type=org_type("party-committee")
    )
    commission = OrganizationFactory(
        code="hn-bdv",
        name="Ban Dân vận Thành ủy Hà Nội",
        short_name="BDV Thành ủy",
        area=hanoi,
        parent=party,
        type=org_type("mass-mobilization-commission"),
    )
    areas = list(Area.objects.get_children(hanoi).order_by("path")[:20])
    communes = [
        OrganizationFactory(
            code=f"hn-x{i:02d}",
            name=f"Đảng ủy {area.name}",
            area=area,
            parent=party,
            type=org_type("party-committee"),
        )
        for i, area in enumerate(areas)
    ]
    unions = [
        OrganizationFactory(
            code=f"hn-x{i:02d}-pn",
            name=f"Hội LHPN {communes[i].area.name}",
            area=communes[i].area,
            parent=communes[i],
        )
        for i in range(3)
    ]
    other = Area.objects.get(structure="2025", level="province", code="31")
    outsider = OrganizationFactory(
        code="hp-tu", name="Thành ủy Hải Phòng", area=other, type=org_type("party-committee")
    )
    officer = UserFactory(username="officer")
    grant(officer, "commission_officer", hanoi)
    commune_officer = UserFactory(username="commune-officer")
    grant(commune_officer, "commission_officer", communes[0])
    reporter = UserFactory(username="reporter")
    grant(reporter, "organization_officer", communes[0])
    viewer = UserFactory(username="viewer")
    grant(viewer, "viewer", party)
    leader = UserFactory(username="leader")
    grant(leader, "leader", commission)
    stranger = UserFactory(username="stranger")
    return Province(
        area=hanoi,
        party=fresh(party),
        commission=fresh(commission),
        communes=[fresh(c) for c in communes],
        unions=[fresh(u) for u in unions],
        outsider=fresh(outsider),
        officer=officer,
        commune_officer=commune_officer,
        reporter=reporter,
        viewer=viewer,
        leader=leader,
        stranger=stranger,
    )
