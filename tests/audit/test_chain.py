"""The append-only, hash-chained audit log and `audit_verify`."""

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import RequestFactory
from django.utils import translation

from danvan.audit.context import request_context
from danvan.audit.log import GENESIS, diff, record, snapshot, verify
from danvan.audit.models import AuditEvent, AuditHead, AuditLogIsAppendOnly


@pytest.fixture(autouse=True)
def checkpoint_file(settings, tmp_path):
    """Each test's own checkpoint file: a file outlives the rolled-back transaction."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    return settings.AUDIT_CHECKPOINT_FILE


def _append(n, actor=None, **kwargs):
    with transaction.atomic():
        return [
            record(actor=actor, action=f"test.event{i}", object_repr=f"thing {i}", **kwargs)
            for i in range(n)
        ]


def _verify_command():
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("audit_verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_record_outside_a_transaction_raises(django_db_blocker):
    with django_db_blocker.unblock():
        before = AuditEvent.objects.count()
        with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
            record(actor=None, action="test.outside")
        assert AuditEvent.objects.count() == before


def test_events_chain_each_to_the_previous_hash(db, charlie):
    head_before = AuditHead.objects.filter(pk=1).first()
    start_hash = head_before.last_hash if head_before else GENESIS
    with request_context("req42"):
        events = _append(3, actor=charlie)
    assert events[0].prev_hash == start_hash
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert len({e.hash for e in events}) == 3
    assert all(len(e.hash) == 64 for e in events)
    stored = AuditEvent.objects.get(pk=events[-1].pk)
    assert (stored.hash, stored.actor, stored.actor_repr, stored.request_id) == (
        events[-1].hash,
        charlie,
        "charlie",
        "req42",
    )
    head = AuditHead.objects.get(pk=1)
    assert (head.last_id, head.last_hash) == (events[-1].pk, events[-1].hash)
    assert head.count == AuditEvent.objects.count()


def test_system_actor_and_object_fields(db, tree):
    with transaction.atomic():
        event = record(actor=None, action="test.system", obj=tree["union"], changes={"x": [1, 2]})
    assert (event.actor, event.actor_repr) == (None, "system")
    assert (event.object_type, event.object_id) == ("org.organization", str(tree["union"].pk))
    assert event.object_repr == tree["union"].name
    assert event.changes == {"x": [1, 2]}


def test_before_and_after_become_a_field_diff(db, tree):
    org = tree["union"]
    before = snapshot(org, ["name", "area_id", "is_active"])
    assert before == {"name": org.name, "area_id": org.area_id, "is_active": True}
    assert diff(before, {**before, "name": "Mới"}) == {"name": [org.name, "Mới"]}
    assert diff(None, {"a": 1}) == {"a": [None, 1]}
    assert diff({"a": 1}, {}) == {"a": [1, None]}
    assert diff({"a": 1}, {"a": 1}) == {}


def test_verify_passes_on_an_intact_chain(db):
    _append(4)
    result = verify()
    assert result.ok, result.problems
    assert result.checked == AuditEvent.objects.count()
    out, err = _verify_command()
    assert f"Audit chain intact: {result.checked} events checked." in out
    assert not err


def test_verify_in_small_batches(db):
    _append(7)
    assert verify(batch_size=2).ok


def test_editing_an_event_breaks_the_chain(db):
    events = _append(3)
    AuditEvent.objects.filter(pk=events[1].pk).update(object_repr="rewritten history")
    result = verify()
    assert not result.ok
    assert any(f"event {events[1].pk}: contents changed" in p for p in result.problems)
    with pytest.raises(CommandError, match=r"Audit chain broken: 1 problems in \d+ events"):
        _verify_command()


@pytest.mark.parametrize("field", ["action", "actor_repr", "changes", "request_id", "at"])
def test_editing_any_hashed_field_is_caught(db, field):
    import datetime as dt

    events = _append(2)
    value = {
        "changes": {"name": ["a", "b"]},
        "at": events[0].at - dt.timedelta(days=1),
    }.get(field, "tampered")
    AuditEvent.objects.filter(pk=events[0].pk).update(**{field: value})
    assert not verify().ok
    with pytest.raises(CommandError):
        _verify_command()


def test_rehashing_an_edited_event_still_breaks_the_next_link(db):
    events = _append(3)
    AuditEvent.objects.filter(pk=events[1].pk).update(hash="f" * 64)
    problems = verify().problems
    assert any(f"event {events[1].pk}: contents changed" in p for p in problems)
    assert any(f"event {events[2].pk}: chain broken" in p for p in problems)


def test_deleting_a_middle_event_breaks_the_chain(db):
    events = _append(3)
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    result = verify()
    assert any(f"event {events[2].pk}: chain broken" in p for p in result.problems)
    with pytest.raises(CommandError):
        _verify_command()


def test_deleting_the_last_event_is_caught_by_the_head(db):
    events = _append(3)
    AuditEvent.objects.filter(pk=events[-1].pk).delete()
    result = verify()
    # The remaining events still link to one another; only the head can tell.
    assert not any("chain broken" in p or "contents changed" in p for p in result.problems)
    assert any("chain head says" in p for p in result.problems)
    with pytest.raises(CommandError):
        _verify_command()


def test_deleting_the_head_is_caught(db):
    _append(1)
    AuditHead.objects.all().delete()
    assert verify().problems == ["chain head is missing"]


def test_a_forged_event_inserted_at_the_end_is_caught(db):
    events = _append(2)
    forged = AuditEvent(
        at=events[-1].at,
        action="test.forged",
        prev_hash=events[-1].hash,
        hash="a" * 64,
    )
    forged.save(_append=True)
    assert not verify().ok


def test_events_cannot_be_changed_or_deleted_through_the_model(db):
    (event,) = _append(1)
    event.action = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.save(_append=True)
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent(action="sneaky", prev_hash=GENESIS, hash="b" * 64).save()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event0"
    assert verify().ok


def test_a_failed_service_write_leaves_no_event(db):
    before = AuditEvent.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record(actor=None, action="test.rolled_back")
        1 / 0  # noqa: B018
    assert AuditEvent.objects.count() == before
    assert verify().ok


def test_admin_is_read_only(superuser):
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = superuser
    (event,) = _append(1)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.has_view_permission(request, event)


def test_admin_pages_show_but_never_change_events(superuser, client_for):
    (event,) = _append(1)
    client = client_for(superuser)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert (
        client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- keyed seals and checkpoints outside the database ---------------------------------


def _rewrite(events, key: bytes | None):
    """What an attacker with write access to the database does: change a settlement
    decision, then recompute every later seal and the head — with a bare SHA-256 when
    they lack the key, with the key when they hold it."""
    import hashlib
    import hmac

    from danvan.audit.log import _payload, canonical

    target = events[1]
    AuditEvent.objects.filter(pk=target.pk).update(changes={"result": ["rejected", "upheld"]})
    prev = AuditEvent.objects.get(pk=events[0].pk).hash
    for event in AuditEvent.objects.filter(pk__gte=target.pk).order_by("id"):
        body = (prev + canonical(_payload(event))).encode()
        new = (
            hmac.new(key, body, hashlib.sha256).hexdigest()
            if key
            else hashlib.sha256(body).hexdigest()
        )
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev, hash=new)
        prev = new
    AuditHead.objects.filter(pk=1).update(last_hash=prev)


def test_a_rewrite_without_the_key_is_caught(db):
    events = _append(4, changes={"result": ["", "rejected"]})
    _rewrite(events, key=None)
    problems = verify().problems
    assert any(f"event {events[1].pk}: contents changed" in p for p in problems)
    with pytest.raises(CommandError):
        _verify_command()


def test_a_rewrite_with_the_key_is_caught_by_a_checkpoint(db, settings, tmp_path):
    from danvan.audit import checkpoints
    from danvan.audit.log import current_key

    events = _append(4, changes={"result": ["", "rejected"]})
    line = checkpoints.take()
    # The level above keeps its own copy of what was printed.
    kept = tmp_path / "kept.jsonl"
    kept.write_text(settings.AUDIT_CHECKPOINT_FILE.read_text())
    assert line["last_id"] == events[-1].pk and verify().ok
    _rewrite(events, key=current_key()[1])
    # The chain itself holds together: only the checkpoint can tell.
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "none.jsonl"
    assert verify().ok
    problems = verify(checkpoints=kept).problems
    assert any("no longer carries the seal recorded then" in p for p in problems), problems
    with pytest.raises(CommandError):
        call_command("audit_verify", checkpoints=str(kept), stdout=StringIO(), stderr=StringIO())


def test_a_checkpoint_line_cannot_be_edited_without_the_key(db, settings):
    from danvan.audit import checkpoints

    _append(2)
    checkpoints.take()
    path = settings.AUDIT_CHECKPOINT_FILE
    text = path.read_text()
    path.write_text(text.replace('"count": ', '"count": 1'))
    assert any("the line was altered" in p for p in verify().problems)


def test_old_keys_still_verify_after_rotation_and_a_missing_key_is_named(db, settings):
    from danvan.audit.log import key_id

    old = settings.AUDIT_KEYS[0]
    _append(2)
    settings.AUDIT_KEYS = ["a-new-key-for-this-year", old]
    events = _append(2)
    assert events[-1].key_id == key_id("a-new-key-for-this-year")
    assert verify().ok
    settings.AUDIT_KEYS = ["a-new-key-for-this-year"]
    problems = verify().problems
    assert any(f"sealed with key {key_id(old)}, which is not configured" in p for p in problems)


def test_the_checkpoint_command_appends_and_prints(db, settings):
    import json

    _append(1)
    out = StringIO()
    call_command("audit_checkpoint", stdout=out)
    call_command("audit_checkpoint", stdout=StringIO())
    printed = json.loads(out.getvalue())
    lines = settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()
    assert json.loads(lines[-2]) == printed and len(lines) >= 2
    assert printed["count"] == AuditEvent.objects.count()
