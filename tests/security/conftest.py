"""Fixtures of the security review: a second province with its own Party committee (an
outsider's world), on top of tests/conftest.py's `tree` (city → ward → union, other ward)."""

import pytest

from danvan.org.models import Area, Organization, OrganizationType

from ..factories import OrganizationFactory, UserFactory, grant

PDF = b"%PDF-1.4 security review"


@pytest.fixture
def far(db):
    """A Party committee in another province (Hải Phòng, code 31) and its commission officer."""
    province = Area.objects.get(structure="2025", level="province", code="31")
    org = OrganizationFactory(
        code="hp-tu",
        name="Thành ủy Hải Phòng",
        area=province,
        type=OrganizationType.objects.get(code="party-committee"),
    )
    officer = UserFactory(username="far-officer")
    grant(officer, "commission_officer", org)
    return {"org": Organization.objects.select_related("area").get(pk=org.pk), "officer": officer}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
