"""Two-step sign-in: an authenticator app (TOTP) and recovery codes, required for whoever
can read citizens' identities or administer, optional for the others."""

import re
import time
from base64 import b32decode
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.accounts.scope import requires_two_factor
from danvan.accounts.services import (
    AccessError,
    confirm_totp,
    remove_two_factor,
    start_totp,
    verify_second_factor,
)
from danvan.audit.models import AuditEvent
from danvan.core.errors import Conflict, NotFound

from ..factories import DEFAULT_PASSWORD, UserFactory, grant


@pytest.fixture
def handler(tree):
    user = UserFactory(username="handler")
    grant(user, "case_handler", tree["ward"])
    return user


def _code(device, *, ahead: int = 0) -> str:
    """The code the app shows now (or `ahead` steps later, still within the tolerance)."""
    return f"{totp(device.bin_key, drift=ahead):06d}"


@pytest.fixture(autouse=True)
def clock():
    """A still clock, one second into a 30-second step: which code is current, and how
    long a wrong one holds the next try back, never depend on when the test runs."""
    start = (int(time.time()) // 30 + 1) * 30 + 1
    with time_machine.travel(start, tick=False) as traveller:
        yield traveller


def _sign_in(user) -> tuple[Client, object]:
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client, client.get(response["Location"])


def _text(response) -> str:
    return response.content.decode()


def test_who_needs_it(tree, handler, alice, bob, superuser):
    officer = UserFactory(username="gov")
    grant(officer, "government_officer", tree["ward"])  # sees beneficiaries' names
    admin = UserFactory(username="admin-of-ward")
    grant(admin, "administrator", tree["ward"])
    assert all(requires_two_factor(u) for u in (handler, officer, admin, superuser))
    assert not any(requires_two_factor(u) for u in (alice, bob))


def test_a_case_handler_sets_it_up_at_first_sign_in_then_enters_codes(handler, clock):
    client, page = _sign_in(handler)
    # Nothing but the second step until it is set up: the home page and the worklist.
    assert page.status_code == 302 and page["Location"].startswith("/account/two-factor/setup/")
    assert client.get("/voices/").status_code == 302
    setup = client.get(page["Location"])
    body = _text(setup)
    assert "Thiết lập đăng nhập hai bước" in body and "<svg" in body
    assert 'id="site-nav"' not in body  # no menu between the password and the code
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', body).group(1)
    device = TOTPDevice.objects.get(user=handler)
    assert b32decode(secret.replace(" ", "")) == device.bin_key and not device.confirmed
    events = AuditEvent.objects.count()

    wrong = client.post(page["Location"], {"code": "000000" if _code(device) != "000000" else "1"})
    assert wrong.status_code == 200 and "Mã không đúng" in _text(wrong)
    assert 'class="error-summary"' in _text(wrong)
    device.refresh_from_db()
    assert not device.confirmed and AuditEvent.objects.count() == events

    clock.shift(2)  # a wrong code holds the next try back for a second
    done = client.post(page["Location"], {"code": _code(device), "next": "/voices/"})
    assert done.status_code == 302 and "/account/two-factor/recovery-codes/" in done["Location"]
    codes_page = client.get(done["Location"])
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", _text(codes_page))
    assert len(codes) == 10 and 'href="/voices/"' in _text(codes_page)
    assert client.get(done["Location"]).status_code == 302  # shown once
    assert client.get("/voices/").status_code == 200
    event = AuditEvent.objects.get(action="accounts.enable_two_factor")
    assert event.object_id == str(handler.pk) and not any(c in str(event.changes) for c in codes)

    # The next sign-in asks for the code; the code just used cannot be replayed.
    client, page = _sign_in(handler)
    assert page["Location"].startswith("/account/two-factor/verify/")
    replay = client.post(page["Location"], {"code": _code(device)})
    assert replay.status_code == 200 and "Mã không đúng" in _text(replay)
    assert client.get("/api/v1/me").status_code == 401  # the session API waits too
    clock.shift(2)
    ok = client.post(page["Location"], {"code": _code(device, ahead=1), "next": "/voices/"})
    assert ok.status_code == 302 and ok["Location"] == "/voices/"
    assert client.get("/api/v1/me").status_code == 200


def test_a_recovery_code_works_once(handler):
    device = start_totp(actor=handler)
    codes = confirm_totp(actor=handler, device=device, code=_code(device))
    client, page = _sign_in(handler)
    response = client.post(page["Location"], {"code": codes[0].upper()[:4] + "-" + codes[0][4:]})
    assert response.status_code == 302
    assert "9" in _text(client.get("/profile/"))  # "9 mã dự phòng còn lại"
    assert StaticDevice.objects.get(user=handler).token_set.count() == 9
    assert AuditEvent.objects.filter(action="accounts.use_recovery_code").count() == 1
    client, page = _sign_in(handler)
    again = client.post(page["Location"], {"code": codes[0]})
    assert again.status_code == 200 and client.get("/").status_code == 302


def test_wrong_codes_are_throttled(handler, clock):
    device = start_totp(actor=handler)
    confirm_totp(actor=handler, device=device, code=_code(device))
    wrong = "123456" if _code(device, ahead=1) != "123456" else "654321"
    with pytest.raises(AccessError, match="không đúng"):
        verify_second_factor(actor=handler, code=wrong)
    # Right away, even the right code waits (1 s, doubling with each wrong one).
    with pytest.raises(AccessError, match="quá nhiều"):
        verify_second_factor(actor=handler, code=_code(device, ahead=1))
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    clock.shift(2)
    assert verify_second_factor(actor=handler, code=_code(device, ahead=1)) == device


def test_bad_input_is_refused_with_a_field_error(handler):
    device = start_totp(actor=handler)
    for bad in ("", "   ", "abc", "\x00"):
        with pytest.raises(AccessError) as caught:
            confirm_totp(actor=handler, device=device, code=bad)
        assert caught.value.field == "code"
    with pytest.raises(Conflict):
        verify_second_factor(actor=handler, code="123456")  # nothing confirmed yet


def test_someone_else_s_device_is_not_found(handler, alice):
    device = start_totp(actor=handler)
    with pytest.raises(NotFound):
        confirm_totp(actor=alice, device=device, code=_code(device))
    with pytest.raises(NotFound):
        remove_two_factor(actor=alice, user=handler)


def test_optional_for_others_and_asked_once_turned_on(alice):
    client, page = _sign_in(alice)
    assert page.status_code == 200  # no second step
    profile = _text(client.get("/profile/"))
    assert "Đăng nhập hai bước" in profile and "/account/two-factor/setup/" in profile
    device = start_totp(actor=alice)
    confirm_totp(actor=alice, device=device, code=_code(device))
    client, page = _sign_in(alice)
    assert page["Location"].startswith("/account/two-factor/verify/")
    # The password alone cannot turn it off or make new codes.
    for url in ("/account/two-factor/remove/", "/account/two-factor/recovery-codes/"):
        refused = client.post(url)
        assert refused["Location"].startswith("/account/two-factor/verify/")
    assert TOTPDevice.objects.filter(user=alice).exists()
    client.post(page["Location"], {"code": _code(device, ahead=1)})
    response = client.post("/account/two-factor/remove/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert AuditEvent.objects.filter(action="accounts.remove_two_factor").count() == 1


def test_required_users_cannot_turn_it_off(handler, client_for):
    client = client_for(handler)
    response = client.post("/account/two-factor/remove/", follow=True)
    assert "không thể tắt" in _text(response)
    assert TOTPDevice.objects.filter(user=handler).exists()


def test_an_administrator_resets_a_lost_phone(handler, superuser):
    device = start_totp(actor=handler)
    confirm_totp(actor=handler, device=device, code=_code(device))
    with pytest.raises(CommandError):
        call_command("reset_two_factor", handler.username, by=handler.username)
    call_command("reset_two_factor", handler.username, by=superuser.username, stdout=StringIO())
    assert not TOTPDevice.objects.filter(user=handler).exists()
    assert not StaticDevice.objects.filter(user=handler).exists()
    event = AuditEvent.objects.get(action="accounts.remove_two_factor")
    assert event.actor_id == superuser.pk
    _client, page = _sign_in(handler)
    assert page["Location"].startswith("/account/two-factor/setup/")


def test_tokens_are_not_asked_for_a_second_factor(handler):
    from danvan.accounts.services import create_token

    _token, raw = create_token(actor=handler, user=handler, name="script")
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_next_never_leaves_the_site(handler):
    device = start_totp(actor=handler)
    confirm_totp(actor=handler, device=device, code=_code(device))
    client, _page = _sign_in(handler)
    response = client.post(
        "/account/two-factor/verify/",
        {"code": _code(device, ahead=1), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_the_verify_page_needs_a_password_first():
    response = Client().get("/account/two-factor/verify/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
