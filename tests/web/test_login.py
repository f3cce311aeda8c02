"""Signing in through the form, with the demo users, and django-axes' throttling."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.factories import DEFAULT_PASSWORD

from ..conftest import login
from .conftest import text


def _login(client, username, password, next_url=None):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/login/", data)


def test_login_and_logout(alice, tree):
    client = Client()
    response = _login(client, "alice", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Xin chào," in text(home)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_login_goes_to_next(alice, tree):
    response = _login(Client(), "alice", DEFAULT_PASSWORD, next_url="/organizations/")
    assert response["Location"] == "/organizations/"


def test_login_never_redirects_off_site(alice, tree):
    response = _login(Client(), "alice", DEFAULT_PASSWORD, next_url="https://evil.example/")
    assert response["Location"] == "/"


def test_wrong_password_shows_a_message(alice):
    client = Client()
    response = _login(client, "alice", "wrong-password")
    assert response.status_code == 200
    assert 'role="alert"' in text(response)
    assert client.get("/").status_code == 302


def test_demo_users_can_sign_in(db, settings):
    from danvan.web.management.commands.demo import DEMO_PASSWORD

    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = Client()
    assert _login(client, "bdv.xa", DEMO_PASSWORD).status_code == 302
    home = text(client.get("/"))
    assert "Trang chủ" in home and "Việc cần làm" in home
    assert 'id="current-unit">Đảng ủy Phường' in home  # her own commune, not the city

    # A system administrator: the password, then the second step.
    admin = Client()
    assert _login(admin, "admin", DEMO_PASSWORD).status_code == 302
    assert admin.get("/")["Location"] == "/account/two-factor/setup/?next=%2F"
    login(get_user_model().objects.get(username="admin"), admin)
    country = text(admin.get("/"))
    assert 'id="current-unit">Toàn quốc<' in country
    assert "Cần chú ý" in country


@pytest.fixture
def limit(settings):
    return settings.AXES_FAILURE_LIMIT


def test_lockout_after_repeated_failures(alice, tree, limit):
    client = Client()
    for _ in range(limit):
        _login(client, "alice", "wrong-password")
    response = _login(client, "alice", DEFAULT_PASSWORD)
    assert response.status_code in (403, 429)
    assert "Đăng nhập sai quá nhiều lần" in text(response)
    assert client.get("/").status_code == 302  # not signed in


def test_lockout_is_per_username(alice, bob, tree, limit):
    client = Client()
    for _ in range(limit):
        _login(client, "alice", "wrong-password")
    assert _login(client, "bob", DEFAULT_PASSWORD).status_code == 302


def test_lockout_is_per_address(alice, tree, limit):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(limit):
        _login(attacker, "alice", "wrong-password")
    assert _login(attacker, "alice", DEFAULT_PASSWORD).status_code in (403, 429)
    assert _login(Client(REMOTE_ADDR="198.51.100.7"), "alice", DEFAULT_PASSWORD).status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(alice, tree, limit):
    client = Client()
    for _ in range(limit - 1):
        _login(client, "alice", "wrong-password")
    assert _login(client, "alice", DEFAULT_PASSWORD).status_code == 302
    # A success resets the count.
    client.post("/logout/")
    for _ in range(limit - 1):
        _login(client, "alice", "wrong-password")
    assert _login(client, "alice", DEFAULT_PASSWORD).status_code == 302
