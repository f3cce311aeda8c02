"""Reports in a real browser: the dashboard's panels load one by one (htmx) with their
charts; a commission officer generates the quarter's report, watches the figures being
collected, edits the narrative, issues it and downloads the PDF.
Screenshots: var/screenshots/reports-dashboard.png, reports-report.png and
reports-page1.png (the first page of the issued PDF, rendered by pdftoppm)."""

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from danvan.audit.context import request_context
from danvan.emulation import services as emulation
from danvan.org.models import Organization, OrganizationType
from danvan.reports.models import PeriodReport
from danvan.reports.periods import current
from danvan.reports.tasks import collect_sections
from danvan.voices import services as voices

from ..factories import OrganizationFactory, UserFactory, grant
from .test_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _org(code, name, parent, type_code, area=None):
    org = OrganizationFactory(
        code=code,
        name=name,
        area=area or parent.area,
        parent=parent,
        type=OrganizationType.objects.get(code=type_code),
    )
    return Organization.objects.get(pk=org.pk)


@pytest.fixture
def world(tree, hanoi_ward):
    period = current(timezone.localdate()).previous
    commission = _org(
        "hn-bdv", "Ban Dân vận Thành ủy Hà Nội", tree["city"], "mass-mobilization-commission"
    )
    committee = _org(
        "bd-ubnd", "Ủy ban nhân dân Phường Ba Đình", tree["ward"], "peoples-committee", hanoi_ward
    )
    officer = UserFactory(username="dung", first_name="Dũng", last_name="Nguyễn")
    grant(officer, "commission_officer", tree["city"])
    with request_context():
        kinds = ["complaint", "recommendation", "denunciation", "complaint", "recommendation"]
        for i, unit in enumerate(
            [committee, committee, tree["other"], tree["ward"], committee, tree["other"]]
        ):
            for when, count in ((period.start, 2 + i % 3), (period.previous.start, 1 + i % 2)):
                voices.receive_petition(
                    actor=officer,
                    unit=unit,
                    channel="letter",
                    received_on=when + dt.timedelta(days=5 + i),
                    area=hanoi_ward,
                    topic_code="land",
                    contents=f"Kiến nghị số {i} về đường liên xã.",
                    matters=[
                        {"kind": kinds[(i + k) % 5], "summary": "Nội dung"} for k in range(count)
                    ],
                    citizens=[{"name": "Công dân", "address": "", "contact": ""}],
                )
        movement = emulation.create_movement(
            actor=officer,
            organizer=tree["city"],
            code="dvk-hn",
            name="Phong trào “Dân vận khéo” Hà Nội",
            start_year=period.year - 1,
            completion="reported",
        )
        emulation.open_registration(
            actor=officer,
            movement=movement,
            year=period.year,
            opens_on=dt.date(period.year, 1, 1),
            closes_on=dt.date(period.year, 12, 31),
        )
        titles = ["Tổ hòa giải ở cơ sở", "Chợ văn minh", "Đường hoa tự quản", "Camera an ninh"]
        for i, title in enumerate(titles):
            model = emulation.register_model(
                actor=officer,
                movement=movement,
                data=emulation.RegistrationIn(
                    year=period.year,
                    level_code="commune",
                    unit=[tree["ward"], tree["other"], committee, tree["ward"]][i],
                    title=title,
                    field_code="political-system" if i % 2 else "economy",
                ),
                today=dt.date(period.year, 1, 10),
            )
            if i < 2:
                emulation.report_progress(
                    actor=officer,
                    model=model,
                    reported_on=period.start,
                    percent=100,
                    narrative="Hoàn thành.",
                )
                emulation.change_state(
                    actor=officer,
                    model=model,
                    state="completed",
                    on=period.start + dt.timedelta(days=20),
                )
    return {
        "period": period,
        "commission": commission,
        "committee": committee,
        "officer": officer,
        "city": tree["city"],
    }


def test_dashboard_generate_edit_issue_download(page, screenshot, world, tmp_path):
    period, city = world["period"], world["city"]
    sign_in(page, world["officer"].username)

    # 1. The dashboard of the city for the last quarter: each panel arrives by itself.
    page.goto(f"/reports/?unit={city.pk}&period={period.key}")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    voices_panel = page.locator('article[data-panel="voices"]')
    expect(voices_panel.locator(".figure").first).to_be_visible()
    expect(page.locator('article[data-panel="emulation"] .figure').first).to_be_visible()
    expect(voices_panel.locator("canvas[data-drawn]").first).to_be_attached()
    expect(page.locator('[aria-busy="true"]')).to_have_count(0)
    screenshot("reports-dashboard")

    # Drill down: the figure links to the worklist filtered on the period.
    href = voices_panel.locator(".figure a").first.get_attribute("href")
    assert f"received_from={period.start.isoformat()}" in href

    # 2. Generate the commission's report: progress shows until the worker has run.
    page.goto(f"/reports/reports/?unit={world['commission'].pk}")
    page.select_option("#generate-form select[name=period]", period.key)
    with page.expect_navigation():
        page.locator("#generate-form button[type=submit]").click()
    expect(page.locator("#status progress")).to_be_visible()
    report = PeriodReport.objects.get()
    collect_sections.call(report.pk)  # what `python -m danvan db_worker` does
    expect(page.locator("#status progress")).to_have_count(0, timeout=30_000)
    expect(page.locator("#doc-head")).to_contain_text("ĐẢNG CỘNG SẢN VIỆT NAM")
    expect(page.locator("#doc-head")).to_contain_text("BAN DÂN VẬN")

    # 3. Edit the narrative of the assessment.
    section = report.sections.get(key="assessment")
    box = page.locator(f"#section-{section.pk}")
    box.locator("textarea").fill(
        "Công tác dân vận tiếp tục được quan tâm; các cấp ủy chỉ đạo sát sao.\n\n"
        "Một số nơi tiếp công dân chưa đủ số ngày theo quy định."
    )
    box.locator("button[type=submit]").click()
    expect(page.locator(f"#section-{section.pk} [role=status]")).to_be_visible()

    # 4. Issue, then download the PDF of version 1.
    with page.expect_navigation():
        page.locator("#issue-form button[type=submit]").click()
    expect(page.locator("#versions tbody tr")).to_have_count(1)
    expect(page.locator("#doc-head")).to_contain_text("Số 1-BC/BDVTU")
    screenshot("reports-report")
    with page.expect_download() as download:
        page.locator("#versions a", has_text="PDF").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert "Một số nơi tiếp công dân chưa đủ số ngày theo quy định." in " ".join(
        text.stdout.split()
    )

    if shutil.which("pdftoppm"):
        folder = Path(settings.VAR_DIR) / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "110",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(folder / "reports-page1"),
            ],
            check=True,
        )
        assert (folder / "reports-page1.png").stat().st_size > 10_000
    assert re.search(r"v1\.pdf$", page.locator("#versions a", has_text="PDF").get_attribute("href"))
