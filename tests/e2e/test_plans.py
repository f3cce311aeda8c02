"""Plans in a real browser: the city commission issues a directive to the communes and sees
who has not issued an implementing plan, cascades a task to 16 communes and sees it roll up,
finds a commune's overdue task on the province's list, and turns a conference's key task
into a task. Screenshots var/screenshots/plans-*.png."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from danvan.audit.context import request_context
from danvan.plans import services
from danvan.plans.models import Document, Task

from ..plans.conftest import province  # noqa: F401  (the fixture)
from .test_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_commission_journey(page, screenshot, province):  # noqa: F811
    today = timezone.localdate()
    officer = province.officer
    with request_context():
        programme = services.create_programme(
            actor=officer,
            organization=province.commission,
            kind="annual",
            title=f"Chương trình công tác dân vận năm {today.year}",
            start=dt.date(today.year, 1, 1),
            end=dt.date(today.year, 12, 31),
        )
        late = services.create_task(
            actor=officer,
            owner=province.unions[0],
            title="Báo cáo tình hình hội viên quý",
            start_on=today - dt.timedelta(days=60),
            deadline=today - dt.timedelta(days=3),
        )
        conference = services.create_conference(
            actor=officer,
            organizer=province.commission,
            kind="quarterly",
            title="Hội nghị giao ban quý",
            held_on=today,
            participant_units=province.communes[:5],
            participant_count=42,
            conclusions="Tập trung hoàn thành các nhiệm vụ còn chậm.",
            key_tasks=["Hoàn thành đối thoại ở các xã còn lại"],
        )

    sign_in(page, officer.username)
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    # 1. A directive to 20 communes, through the form.
    page.goto("/plans/documents/new/")
    page.select_option("select[name=issuer]", str(province.commission.pk))
    page.wait_for_load_state()
    page.select_option("select[name=kind]", "directive")
    page.fill("input[name=number]", "28-CT/TU")
    page.fill("input[name=issued_on]", f"{today - dt.timedelta(days=45):%d/%m/%Y}")
    page.fill("input[name=title]", "Về tăng cường công tác dân vận trong tình hình mới")
    for unit in province.communes:
        page.check(f"input[name=recipients][value='{unit.pk}']")
    page.fill("input[name=plan_due]", f"{today - dt.timedelta(days=15):%d/%m/%Y}")
    page.fill("input[name=final_due]", f"{today + dt.timedelta(days=60):%d/%m/%Y}")
    with page.expect_navigation():
        page.locator("#plans-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/plans/documents/\d+/$"))
    document = Document.objects.get(number="28-CT/TU")
    plan = document.actions.get(kind="plan")
    with request_context():
        for unit in province.communes[:17]:
            services.record_completion(
                actor=officer,
                action=plan,
                unit=unit,
                done_on=today - dt.timedelta(days=20),
                reference="KH/ĐU",
            )
    page.reload()
    missing = page.locator("#not-done details").first
    expect(missing).to_contain_text("17")
    for unit in province.communes[17:]:
        expect(missing).to_contain_text(unit.name)
    screenshot("plans-document")

    # 2. A task cascaded to 16 communes; 11 report done: 11/16 (68.8%).
    page.goto(f"/plans/tasks/new/?programme={programme.pk}")
    page.fill("input[name=title]", "Tổ chức đối thoại với Nhân dân")
    page.fill("input[name=deadline]", (today + dt.timedelta(days=20)).isoformat())
    page.fill("input[name=start_on]", (today - dt.timedelta(days=100)).isoformat())
    page.fill("input[name=target]", "12")
    page.fill("input[name=target_unit]", "buổi")
    with page.expect_navigation():
        page.locator("#plans-form button[type=submit]").click()
    task = Task.objects.get(title="Tổ chức đối thoại với Nhân dân", parent=None)
    page.locator("#cascade summary").click()
    page.select_option("#cascade select[name=units]", [str(u.pk) for u in province.communes[:16]])
    with page.expect_navigation():
        page.locator("#cascade button[type=submit]").click()
    with request_context():
        for child in task.children.order_by("owner__path")[:11]:
            services.report_progress(
                actor=officer, task=child, reported_on=today, narrative="Đã tổ chức", done=True
            )
    page.reload()
    expect(page.locator("#task-percent")).to_have_text("68,8%")
    expect(page.locator("#children tbody tr")).to_have_count(16)
    screenshot("plans-task")

    # 3. The commune union's overdue task is on the city's overdue list.
    page.goto(f"/plans/tasks/?unit={province.party.pk}&status=overdue")
    expect(page.locator("#task-rows")).to_contain_text(late.title)
    page.goto(f"/plans/?unit={province.party.pk}")
    expect(page.locator("#overdue")).to_contain_text(late.title)
    screenshot("plans-overview")

    # 4. The conference's key task becomes a task in one step.
    page.goto(f"/plans/conferences/{conference.pk}/")
    with page.expect_navigation():
        page.locator("#key-tasks button[type=submit]").click()
    expect(page.locator("main h1")).to_have_text("Hoàn thành đối thoại ở các xã còn lại")
    page.goto(f"/plans/conferences/{conference.pk}/")
    screenshot("plans-conference")

    # 5. On a phone: the task list with its filters.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/plans/tasks/")
    expect(page.locator("#task-rows")).to_contain_text("Tổ chức đối thoại với Nhân dân")
    screenshot("plans-tasks-phone")
