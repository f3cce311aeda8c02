"""Grassroots democracy in a real browser: a commune officer records a household's vote
(htmx updates the tally), sees the dashboard; then a resident reads the public portal on a
phone. Screenshots: var/screenshots/democracy-dashboard.png and
democracy-portal-phone.png (390×844)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from danvan.audit.context import request_context
from danvan.democracy import services
from danvan.org.models import Organization, OrganizationType

from ..factories import OrganizationFactory, UserFactory, grant
from .test_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def commune(tree, hanoi_ward, alice):
    def typed(code):
        return OrganizationType.objects.get(code=code)

    ubnd = OrganizationFactory(code="bd-ubnd", name="Ủy ban nhân dân phường Ba Đình",
                               area=hanoi_ward, parent=tree["ward"], type=typed("peoples-committee"))  # fmt: skip
    hamlet = OrganizationFactory(code="bd-tdp1", name="Tổ dân phố 1", area=hanoi_ward,
                                 parent=ubnd, type=typed("hamlet"))  # fmt: skip
    front = OrganizationFactory(code="bd-mttq", name="Ủy ban MTTQ phường Ba Đình",
                                area=hanoi_ward, parent=tree["ward"], type=typed("fatherland-front"))  # fmt: skip
    ubnd, hamlet, front = (Organization.objects.select_related("type", "area").get(pk=o.pk)
                           for o in (ubnd, hamlet, front))  # fmt: skip
    gov = UserFactory(username="giang", first_name="Giang", last_name="Trần Thị")
    grant(gov, "government_officer", ubnd)
    today = timezone.localdate()
    with request_context():
        for i in range(1, 41):
            services.register_household(actor=gov, community=hamlet, code=f"T1-{i:03d}",
                                        representative="Nguyễn Văn Thành" if i == 1 else "")  # fmt: skip
        decision = today - dt.timedelta(days=45)
        services.create_disclosure(
            actor=gov, unit=ubnd, category_code="contributions",
            title="Mức đóng góp làm đường ngõ 5", decision_date=decision,
            published_on=decision + dt.timedelta(days=30), forms=["notice_board", "loudspeaker"],
            posted_until=today,
        )  # fmt: skip
        services.create_disclosure(
            actor=gov, unit=ubnd, category_code="budget", title="Dự toán ngân sách phường",
            decision_date=today - dt.timedelta(days=20), published_on=today - dt.timedelta(days=15),
            forms=["website"],
        )  # fmt: skip
        consultation = services.open_consultation(
            actor=gov, unit=ubnd, community=hamlet, matter_type_code="contribution",
            title="Đóng góp làm đường ngõ 5", form="meeting", opens_on=today - dt.timedelta(days=2),
            closes_on=today + dt.timedelta(days=5),
        )  # fmt: skip
        for i in range(2, 28):
            services.record_vote(actor=gov, consultation=consultation,
                                 household_code=f"T1-{i:03d}", choice="yes" if i < 26 else "no")  # fmt: skip
        body = services.create_body(actor=alice, unit=front, kind="inspection",
                                    name="Ban Thanh tra nhân dân phường Ba Đình")  # fmt: skip
        services.add_member(actor=alice, body=body, name="Phạm Thị Xuân Mai")
        activity = services.record_activity(actor=alice, body=body, kind="supervision",
                                            subject="Thu chi đóng góp", held_on=today - dt.timedelta(days=9))  # fmt: skip
        services.add_recommendation(actor=alice, activity=activity, addressee=ubnd,
                                    content="Công khai bảng kê chi tiết các khoản chi",
                                    made_on=today - dt.timedelta(days=8),
                                    due_on=today - dt.timedelta(days=1))  # fmt: skip
    return {"gov": gov, "consultation": consultation}


def test_vote_dashboard_and_portal_on_a_phone(page, screenshot, browser, live_server, commune):
    from django.core.cache import cache

    cache.clear()  # the portal's pages are cached; none from an earlier test
    sign_in(page, "giang")
    with page.expect_navigation():
        page.locator("header nav a[href='/democracy/']").click()
    expect(page.locator("#disclosure-figures")).to_contain_text("1")

    consultation = commune["consultation"]
    page.goto(f"/democracy/consultations/{consultation.pk}/")
    expect(page.locator("#tally")).to_contain_text("26")
    page.fill("#id_household_code", "t1-001")
    page.locator("#vote-form input[value=yes]").check()
    page.locator("#vote-form button[type=submit]").click()
    expect(page.locator("#tally")).to_contain_text("T1-001")
    expect(page.locator("#tally")).to_contain_text("27")
    # A second vote of the same household is refused, on the form.
    page.fill("#id_household_code", "T1-001")
    page.locator("#vote-form input[value=no]").check()
    page.locator("#vote-form button[type=submit]").click()
    expect(page.locator("#vote-form")).to_contain_text("T1-001")

    page.goto("/democracy/")
    expect(page.locator("#recommendation-figures")).to_contain_text("1")
    screenshot("democracy-dashboard")

    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844},
                                locale="vi-VN", is_mobile=True, has_touch=True)  # fmt: skip
    try:
        resident = phone.new_page()
        resident.goto("/cong-khai/")
        resident.select_option("#province-select", "01")
        resident.get_by_role("link", name="Phường Ba Đình").first.click()
        expect(resident.locator("main h1")).to_have_text("Phường Ba Đình")
        body = resident.locator("body")
        expect(body).to_contain_text("Mức đóng góp làm đường ngõ 5")
        expect(body).not_to_contain_text("Nguyễn Văn Thành")
        expect(body).not_to_contain_text("Phạm Thị Xuân Mai")
        expect(body).not_to_contain_text("T1-001")
        from django.conf import settings

        folder = settings.VAR_DIR / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        resident.screenshot(path=str(folder / "democracy-portal-phone.png"), full_page=True)
    finally:
        phone.close()
