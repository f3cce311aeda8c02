"""The admin: the audit log can be read there, never changed."""

from danvan.accounts.services import create_token
from danvan.audit.models import AuditEvent


def test_audit_events_are_read_only_in_the_admin(superuser, alice, client_for):
    create_token(actor=alice, user=alice, name="script")  # at least one event
    event = AuditEvent.objects.order_by("-id").first()
    client = client_for(superuser)
    before = AuditEvent.objects.count()

    changelist = client.get("/admin/audit/auditevent/")
    assert changelist.status_code == 200
    assert "accounts.create_token" in changelist.content.decode()
    assert changelist.context["has_add_permission"] is False

    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    detail = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert detail.status_code == 200  # a read-only view
    assert detail.context["has_change_permission"] is False
    assert detail.context["has_delete_permission"] is False
    assert 'name="_save"' not in detail.content.decode()

    response = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "forged"})
    assert response.status_code == 403
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    assert (
        client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    bulk = client.post(
        "/admin/audit/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)

    event.refresh_from_db()
    assert event.action == "accounts.create_token"
    assert AuditEvent.objects.count() == before


def test_admin_search_and_filters_load(superuser, client_for):
    client = client_for(superuser)
    assert client.get("/admin/audit/auditevent/", {"q": "alice"}).status_code == 200
    assert client.get("/admin/audit/auditevent/", {"action": "org.create"}).status_code == 200


def test_admin_is_closed_to_non_staff(alice, client_for):
    response = client_for(alice).get("/admin/audit/auditevent/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
