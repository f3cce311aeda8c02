"""The audit log page: holders of `audit.view` read the events of their subtree only;
nobody can write there; events written with an organization path still verify."""

import pytest
from django.core.management import CommandError, call_command

from danvan.audit.context import request_context
from danvan.audit.models import AuditEvent
from danvan.org import services as org_services

from ..factories import UserFactory, grant


@pytest.fixture
def events(alice, tree, superuser):
    """One organization created under the ward (alice's subtree), one under the other ward."""
    with request_context():
        inside = org_services.create_organization(
            actor=superuser, code="bd-hnd", name="Hội Nông dân phường Ba Đình",
            type_code="farmers-association", area_code="00004", parent=tree["ward"],
        )  # fmt: skip
        outside = org_services.create_organization(
            actor=superuser, code="kh-hnd", name="Hội Nông dân phường khác",
            type_code="farmers-association", area_code="00008", parent=tree["other"],
        )  # fmt: skip
    return inside, outside


def test_events_carry_the_organization_path(events):
    inside, outside = events
    by_object = {e.object_id: e.org_path for e in AuditEvent.objects.filter(action="org.create")}
    assert by_object[str(inside.pk)] == inside.path
    assert by_object[str(outside.pk)] == outside.path
    call_command("audit_verify")  # the path is part of the hashed payload and still verifies


def test_org_path_is_tamper_evident(events):
    inside, _outside = events
    AuditEvent.objects.filter(object_id=str(inside.pk)).update(org_path="0009")
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_commission_officer_reads_only_their_subtree(client_for, alice, events):
    inside, outside = events
    page = client_for(alice).get("/audit/")
    assert page.status_code == 200
    assert inside.name.encode() in page.content
    assert outside.name.encode() not in page.content


def test_filters_and_htmx_partial(client_for, alice, events):
    response = client_for(alice).get("/audit/", {"action": "org.create"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"org.create" in response.content


def test_viewer_and_outsider_are_refused(client_for, bob, charlie, events):
    assert client_for(bob).get("/audit/").status_code == 403  # viewer: no audit.view
    assert client_for(charlie).get("/audit/").status_code == 403


def test_leader_with_audit_view_and_superuser(client_for, tree, superuser, events):
    leader = UserFactory(username="leader-audit")
    grant(leader, "leader", tree["other"])
    page = client_for(leader).get("/audit/")
    assert page.status_code == 200
    assert "Hội Nông dân phường khác".encode() in page.content
    assert "Hội Nông dân phường Ba Đình".encode() not in page.content
    assert client_for(superuser).get("/audit/").status_code == 200


def test_the_page_writes_nothing(client_for, alice, events):
    before = AuditEvent.objects.count()
    response = client_for(alice).post("/audit/", {"action": "x"})
    assert response.status_code == 405
    assert AuditEvent.objects.count() == before
