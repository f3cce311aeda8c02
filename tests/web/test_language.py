"""Vietnamese by default; the language switch sets a cookie and the signed-in user's choice."""

import pytest
from django.conf import settings
from django.test import Client

from .conftest import db_state, html_lang, text


def test_vietnamese_by_default(db):
    response = Client().get("/login/")
    assert html_lang(response) == "vi"
    assert "Đăng nhập" in text(response)


def test_vietnamese_by_default_when_signed_in(alice, client_for):
    response = client_for(alice).get("/")
    assert html_lang(response) == "vi"
    assert "Trang chủ" in text(response)
    assert "Home" not in text(response)


def test_switch_to_english_anonymous(db):
    client = Client()
    response = client.post("/language/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/login/")
    assert html_lang(page) == "en"
    assert "Sign in" in text(page)


def test_switch_to_english_saves_it_on_the_user(alice, client_for):
    client = client_for(alice)
    response = client.post("/language/", {"language": "en", "next": "/organizations/"})
    assert response.status_code == 302
    assert response["Location"] == "/organizations/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    alice.refresh_from_db()
    assert alice.language == "en"
    page = client.get("/")
    assert html_lang(page) == "en"
    assert "Home" in text(page)

    # The saved choice follows the user to a new browser, without the cookie.
    from tests.conftest import login

    assert html_lang(login(alice).get("/")) == "en"


def test_switch_back_to_vietnamese(alice, client_for):
    client = client_for(alice)
    client.post("/language/", {"language": "en"})
    client.post("/language/", {"language": "vi"})
    alice.refresh_from_db()
    assert alice.language == "vi"
    assert html_lang(client.get("/")) == "vi"


@pytest.mark.parametrize("code", ["xx", "", "EN", "en-us", "fr", "x" * 500])
def test_invalid_language_is_400_and_changes_nothing(alice, client_for, code):
    client = client_for(alice)
    before = db_state()
    response = client.post("/language/", {"language": code})
    assert response.status_code == 400
    body = text(response)
    assert "vi, en" in body  # the message lists the codes to choose from
    assert "Traceback" not in body
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    alice.refresh_from_db()
    assert alice.language in ("", "vi")
    assert db_state() == before
    assert html_lang(client.get("/")) == "vi"


def test_missing_language_is_400(db):
    response = Client().post("/language/", {})
    assert response.status_code == 400


def test_language_switch_needs_post(db):
    assert Client().get("/language/", {"language": "en"}).status_code == 405


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "http://evil.example/x"]
)
def test_language_switch_never_redirects_off_site(db, target):
    response = Client().post("/language/", {"language": "en", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
