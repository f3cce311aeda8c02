"""The main journey in a real browser: sign in, Vietnamese home, switch to English, find an
area without diacritics, walk the organization tree. Screenshots in var/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD

from .conftest import second_step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    second_step(page, username)


def test_officer_journey(page, screenshot, alice, tree):
    # 1. Sign in: the home page is in Vietnamese, on the officer's own unit.
    sign_in(page, alice.username)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#current-unit")).to_have_text("Đảng ủy phường Ba Đình")
    nav = page.locator("header nav")
    expect(nav.get_by_role("link", name="Trang chủ")).to_be_visible()
    expect(nav.get_by_role("link", name="Tổ chức")).to_be_visible()
    expect(nav.get_by_role("link", name="Địa bàn")).to_be_visible()
    expect(page.locator("#todo")).to_be_visible()
    screenshot("home-vi")

    # 2. The language switch at the foot of every page changes it (and remembers it).
    page.select_option("#language-switch select[name=language]", "en")
    with page.expect_navigation():
        page.locator("#language-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav.get_by_role("link", name="Home")).to_be_visible()
    expect(nav.get_by_role("link", name="Areas")).to_be_visible()
    expect(page.locator("#current-unit")).to_have_text("Đảng ủy phường Ba Đình")
    screenshot("home-en")

    # 3. Areas: a search without diacritics finds the city with them (htmx swaps the rows).
    with page.expect_navigation():
        nav.get_by_role("link", name="Areas").click()
    expect(page.locator("main h1")).to_have_text("Administrative areas")
    page.fill("#area-q", "ha noi")
    rows = page.locator("#area-rows")
    expect(rows.get_by_role("link", name="Thành phố Hà Nội")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]q=ha(\+|%20)noi"))
    screenshot("areas")

    # 4. Organizations: the officer sees the subtree granted, indented as a tree, and nothing else.
    with page.expect_navigation():
        nav.get_by_role("link", name="Organizations").click()
    org_rows = page.locator("#org-rows")
    expect(org_rows.get_by_role("link", name="Đảng ủy phường Ba Đình")).to_be_visible()
    expect(org_rows.get_by_role("link", name="Hội Liên hiệp Phụ nữ phường Ba Đình")).to_be_visible()
    expect(org_rows.get_by_text("Đảng ủy phường khác")).to_have_count(0)
    expect(org_rows.get_by_text("Thành ủy Hà Nội")).to_have_count(0)
    screenshot("organizations")

    # 5. One organization: its page, with the way back up the tree.
    with page.expect_navigation():
        org_rows.get_by_role("link", name="Hội Liên hiệp Phụ nữ phường Ba Đình").click()
    expect(page.locator("main h1")).to_have_text("Hội Liên hiệp Phụ nữ phường Ba Đình")
    expect(page).to_have_url(re.compile(rf"/organizations/{tree['union'].pk}/$"))
    breadcrumb = page.locator("nav.crumbs")
    expect(breadcrumb.get_by_role("link", name="Đảng ủy phường Ba Đình")).to_be_visible()
    screenshot("organization")
