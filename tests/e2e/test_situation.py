"""The people's situation in a real browser: the commission officer reads the topic × area
matrix, opens the rising signal and turns it into a task, follows a house-elimination
campaign, and a commune officer fills the report form on a phone.
Screenshots: var/screenshots/situation-matrix.png, situation-signals.png,
situation-campaign.png, situation-report-form.png."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from danvan.audit.context import request_context
from danvan.situation import services
from danvan.situation.models import Beneficiary, ReportingRule
from tests.situation.conftest import (  # noqa: F401 (fixtures)
    commune_officer,
    officer,
    province,
    quarter_periods,
    submit,
)

from .test_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def situation(officer, province):  # noqa: F811
    today = timezone.localdate()
    with request_context():
        ReportingRule.objects.filter(org_type__code="fatherland-front").update(frequency="quarter")
        now, prev = quarter_periods(today)
        for i, front in enumerate(province["fronts"]):
            submit(officer, front, prev, land_clearance="tense" if i < 2 else "stable",
                   employment_wages="stable", environment="stable")  # fmt: skip
            if i < 11:
                submit(officer, front, now, land_clearance="tense" if i < 5 else "stable",
                       employment_wages="attention" if i in (3, 8) else "stable",
                       environment="attention" if i == 6 else "stable")  # fmt: skip
        campaign = services.create_campaign(
            actor=officer, organization=province["party"], type_code="house-elimination",
            name="Xóa nhà tạm, nhà dột nát năm 2025", starts_on=today - dt.timedelta(days=200),
            target_households=1240,
        )  # fmt: skip
        for kind, amount in (("state_budget", 40 * 10**9), ("relief_fund", 12 * 10**9),
                             ("enterprises", 8 * 10**9), ("contributions", 3 * 10**9)):  # fmt: skip
            services.add_funding(
                actor=officer, campaign=campaign, kind=kind, amount=amount, received_on=today
            )
    rows, n = [], 0
    plan = [
        (i, "state_budget" if i % 3 else "relief_fund", 1016 // 12 + (1 if i < 1016 % 12 else 0))
        for i in range(12)
    ]
    for commune, kind, handed in plan:
        for k in range(handed + 15):
            n += 1
            rows.append(
                Beneficiary(
                    campaign=campaign,
                    unit=province["fronts"][commune],
                    area=province["communes"][commune],
                    household_code=f"HH-{n:05d}",
                    category="poor",
                    funding_kind="contributions" if k % 7 == 0 else kind,
                    progress="handed_over"
                    if k < handed
                    else ("built" if k < handed + 5 else "registered"),
                )
            )
    Beneficiary.objects.bulk_create(rows)
    return {"period": now, "campaign": campaign}


def test_matrix_signal_campaign_and_report_form(
    page,
    screenshot,
    browser,
    live_server,
    officer,  # noqa: F811
    commune_officer,  # noqa: F811
    province,  # noqa: F811
    situation,
):
    period = situation["period"]
    q = (period.start.month - 1) // 3 + 1
    sign_in(page, officer.username)
    nav = page.locator("header nav")
    with page.expect_navigation():
        nav.locator("a[href='/situation/']").click()
    page.goto(
        f"/situation/?unit={province['party'].pk}&kind=quarter&year={period.start.year}&index={q}"
    )
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    matrix = page.locator("#matrix")
    expect(matrix).to_contain_text("Đất đai, giải phóng mặt bằng")
    expect(page.locator("#headline")).to_contain_text("11")
    screenshot("situation-matrix")

    # Drill down into one commune, then back to the signals.
    with page.expect_navigation():
        matrix.locator("thead a").nth(2).click()
    expect(page).to_have_url(re.compile(r"unit="))
    page.goto(
        f"/situation/signals/?unit={province['party'].pk}&kind=quarter&year={period.start.year}&index={q}"
    )
    rising = page.locator("#signal-rising-land-clearance")
    expect(rising.locator(".reports-behind li")).to_have_count(5)
    screenshot("situation-signals")
    with page.expect_navigation():
        rising.locator("form[action$='/task/'] button").click()
    expect(page).to_have_url(re.compile(r"/plans/tasks/\d+/"))

    # The campaign: 1,016 of 1,240 handed over.
    page.goto(f"/situation/campaigns/{situation['campaign'].pk}/")
    expect(page.locator("#campaign-figures")).to_contain_text("81,9%")
    page.wait_for_function(
        "() => document.querySelector('canvas[data-chart=chart-areas][data-drawn]')"
    )
    screenshot("situation-campaign")
    _report_form_on_a_phone(browser, live_server, commune_officer, province)


def _report_form_on_a_phone(browser, live_server, commune_officer, province):  # noqa: F811
    from pathlib import Path

    from django.conf import settings

    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh", is_mobile=True,
    )  # fmt: skip
    page = context.new_page()
    try:
        sign_in(page, commune_officer.username)
        page.goto(f"/situation/reports/new/?organization={province['fronts'][0].pk}")
        form = page.locator("#report-form")
        form.locator("#topic-land-clearance .levels label").nth(2).click()
        page.fill(
            "textarea[name=narrative-land-clearance]",
            "Nhiều hộ chưa đồng thuận với đơn giá bồi thường.",
        )
        form.locator("#topic-land-clearance input[value=dialogue]").check()
        form.locator("#topic-employment-wages .levels label").nth(1).click()
        page.fill("input[name=count-employment-wages]", "45")
        folder = Path(settings.VAR_DIR) / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / "situation-report-form.png"), full_page=False)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        expect(page.locator("main .level-chip.lvl-attention")).to_have_count(1)
    finally:
        context.close()
