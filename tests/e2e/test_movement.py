"""The movement in a real browser: a unit's officer registers a model, the dashboard counts
it, in Vietnamese. Screenshot var/screenshots/movement-dashboard.png."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from danvan.audit.context import request_context
from danvan.emulation import services

from .test_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def movement(alice, tree):
    today = timezone.localdate()
    with request_context():
        movement = services.create_movement(
            actor=alice,
            organizer=tree["ward"],
            code="dvk-ba-dinh",
            name="Phong trào “Dân vận khéo” phường Ba Đình",
            start_year=today.year,
        )
        services.open_registration(
            actor=alice,
            movement=movement,
            year=today.year,
            opens_on=today - dt.timedelta(days=1),
            closes_on=today + dt.timedelta(days=30),
        )
    return movement


def test_register_a_model_and_see_it_counted(page, screenshot, alice, movement):
    sign_in(page, alice.username)
    nav = page.locator("header nav")
    with page.expect_navigation():
        nav.get_by_role("link", name="Phong trào").click()
    with page.expect_navigation():
        page.get_by_role("link", name=movement.name).first.click()
    with page.expect_navigation():
        page.locator("main").get_by_text("Đăng ký mô hình", exact=True).first.click()

    page.fill("input[name=title]", "Tổ hòa giải ở cơ sở gắn với Dân vận khéo")
    page.select_option("select[name=level_code]", "commune")
    page.select_option("select[name=field_code]", "political-system")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main")).to_contain_text("Tổ hòa giải ở cơ sở gắn với Dân vận khéo")

    page.goto(f"/emulation/{movement.pk}/dashboard/")
    expect(page).to_have_url(re.compile(r"/dashboard/"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("main")).to_contain_text("Cấp xã")
    screenshot("movement-dashboard")
