"""Personal API tokens and the interface-language preference."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from danvan.accounts.models import ApiToken, User, hash_token
from danvan.accounts.services import (
    TOKEN_PREFIX,
    AccessError,
    authenticate_token,
    create_token,
    revoke_token,
    set_language,
)
from danvan.audit.models import AuditEvent
from danvan.core.errors import NotFound

from ..factories import UserFactory


def _state():
    return (
        list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at", "expires_at")),
        AuditEvent.objects.count(),
    )


def test_create_token_returns_a_raw_value_once_and_stores_only_its_hash(charlie):
    events = AuditEvent.objects.count()
    token, raw = create_token(actor=charlie, user=charlie, name="  laptop   script ")
    assert raw.startswith(TOKEN_PREFIX) and len(raw) > 40
    token.refresh_from_db()
    assert token.name == "laptop script"
    assert token.key_hash == hash_token(raw) != raw
    assert token.prefix == raw[:10]
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "accounts.create_token"
    assert raw not in str(event.changes)
    assert authenticate_token(raw) == charlie


def test_authenticate_touches_last_used(charlie):
    token, raw = create_token(actor=charlie, user=charlie, name="t")
    assert token.last_used_at is None
    authenticate_token(raw)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_two_tokens_differ(charlie):
    _t1, raw1 = create_token(actor=charlie, user=charlie, name="a")
    _t2, raw2 = create_token(actor=charlie, user=charlie, name="a")
    assert raw1 != raw2


def test_superuser_creates_a_token_for_someone_else(superuser, charlie):
    token, raw = create_token(actor=superuser, user=charlie, name="for charlie")
    assert token.user == charlie
    assert authenticate_token(raw) == charlie


def test_a_user_cannot_create_a_token_for_someone_else(alice, charlie):
    before = _state()
    with pytest.raises(NotFound):
        create_token(actor=alice, user=charlie, name="steal")
    assert _state() == before


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "  \n "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"expires_at": "past"}, "expires_at"),
    ],
)
def test_bad_token_input_writes_nothing(charlie, kwargs, field):
    args = {"name": "ok", **kwargs}
    if args.get("expires_at") == "past":
        args["expires_at"] = timezone.now() - dt.timedelta(seconds=1)
    before = _state()
    with pytest.raises(AccessError) as exc:
        create_token(actor=charlie, user=charlie, **args)
    assert exc.value.field == field
    assert _state() == before


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "dv_",
        "xx_" + "a" * 43,
        "Bearer dv_abc",
        "dv_" + "ă" * 43,
        "dv_" + "a" * 98,
        "dv_unknown-token-value-that-was-never-issued-000000000",
    ],
)
def test_malformed_or_unknown_tokens_authenticate_nobody(charlie, raw):
    create_token(actor=charlie, user=charlie, name="real")
    assert authenticate_token(raw) is None


def test_a_real_token_with_a_changed_prefix_or_padding_fails(charlie):
    _token, raw = create_token(actor=charlie, user=charlie, name="real")
    assert authenticate_token(raw) == charlie
    assert authenticate_token("DV_" + raw[3:]) is None
    assert authenticate_token(raw + " ") is None
    assert authenticate_token(raw[:-1]) is None
    assert authenticate_token(raw + "x" * (101 - len(raw))) is None


def test_revoked_token_authenticates_nobody(charlie):
    token, raw = create_token(actor=charlie, user=charlie, name="t")
    events = AuditEvent.objects.count()
    revoke_token(actor=charlie, token=token)
    assert authenticate_token(raw) is None
    assert AuditEvent.objects.count() == events + 1
    revoke_token(actor=charlie, token=token)  # again: nothing more to do
    assert AuditEvent.objects.count() == events + 1


def test_only_the_owner_or_a_superuser_revokes(charlie, alice, superuser):
    token, raw = create_token(actor=charlie, user=charlie, name="t")
    before = _state()
    with pytest.raises(NotFound):
        revoke_token(actor=alice, token=token)
    assert _state() == before
    assert authenticate_token(raw) == charlie
    revoke_token(actor=superuser, token=token)
    assert authenticate_token(raw) is None


def test_expired_token_authenticates_nobody(charlie):
    token, raw = create_token(
        actor=charlie, user=charlie, name="t", expires_at=timezone.now() + dt.timedelta(days=1)
    )
    assert authenticate_token(raw) == charlie
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert authenticate_token(raw) is None


def test_token_of_an_inactive_user_authenticates_nobody(charlie):
    _token, raw = create_token(actor=charlie, user=charlie, name="t")
    User.objects.filter(pk=charlie.pk).update(is_active=False)
    assert authenticate_token(raw) is None


def test_create_token_command_prints_a_working_token(charlie):
    out = StringIO()
    call_command("create_token", "charlie", "--name", "cron", stdout=out)
    raw = out.getvalue().strip()
    assert authenticate_token(raw) == charlie
    assert ApiToken.objects.get(user=charlie).name == "cron"


def test_create_token_command_refuses_unknown_or_inactive_users(db):
    UserFactory(username="gone", is_active=False)
    before = _state()
    for name in ("nobody", "gone"):
        with pytest.raises(CommandError):
            call_command("create_token", name, stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("create_token", "gone", "--name", "", stdout=StringIO())
    assert _state() == before


def test_create_token_command_reports_a_bad_name(charlie):
    before = _state()
    with pytest.raises(CommandError):
        call_command("create_token", "charlie", "--name", "   ", stdout=StringIO())
    assert _state() == before


# --- language ------------------------------------------------------------------------------


def test_set_language(charlie):
    events = AuditEvent.objects.count()
    set_language(actor=charlie, user=charlie, language="en")
    charlie.refresh_from_db()
    assert charlie.language == "en"
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.order_by("-id").first().changes == {"language": ["", "en"]}


@pytest.mark.parametrize("code", ["", "xx", "EN", "en-us-long", "vi "])
def test_set_language_rejects_unknown_codes(charlie, code):
    before = (User.objects.get(pk=charlie.pk).language, AuditEvent.objects.count())
    with pytest.raises(AccessError) as exc:
        set_language(actor=charlie, user=charlie, language=code)
    assert exc.value.field == "language"
    assert (User.objects.get(pk=charlie.pk).language, AuditEvent.objects.count()) == before


def test_set_language_for_someone_else(alice, charlie, superuser):
    with pytest.raises(NotFound):
        set_language(actor=alice, user=charlie, language="en")
    assert User.objects.get(pk=charlie.pk).language == ""
    set_language(actor=superuser, user=charlie, language="ru")
    assert User.objects.get(pk=charlie.pk).language == "ru"
