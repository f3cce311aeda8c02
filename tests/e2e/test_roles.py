"""Every demo role's working day, end to end, in a real browser, in Vietnamese, on a desktop
(1366×900) and a phone (390×844).

Each page a journey lands on passes the checks of tests/e2e/checks.py (no sideways
scroll, no English left, no console error, no failed request, axe-core without serious or
critical violations). Screenshots: var/screenshots/<role>-<journey>-<width>.png.
The data is the demo's (`python -m danvan demo`, as `make run` loads it).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = [1366, 390]


def open_menu(j) -> None:
    """On a phone the main menu is behind its button; on a desktop it is always there."""
    toggle = j.page.locator(".menu-toggle")
    if toggle.is_visible():
        toggle.click()
        expect(j.page.locator("#site-nav")).to_be_visible()


def go(j, name: str):
    """Follow a main-menu entry, as a person would."""
    open_menu(j)
    return j.click(j.page.locator("#site-nav").get_by_role("link", name=name, exact=True))


def error_summary_shows(j, *messages: str) -> None:
    summary = j.page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    for message in messages:
        expect(summary).to_contain_text(message)


# --- viewer: read-only everywhere, no dead buttons ------------------------------------------

READ_ONLY_PAGES = [
    ("Trang chủ", None),
    ("Kế hoạch", "/plans/tasks/"),
    ("Phong trào", None),
    ("Công dân", None),
    ("Dân chủ ở cơ sở", None),
    ("Tình hình Nhân dân", None),
    ("Báo cáo", "/reports/reports/"),
]

WRITE_LINKS = re.compile(r"/(new|intake|import|edit|register)/|/models/new/")


@pytest.mark.parametrize("width", WIDTHS)
def test_viewer_reads_everything_and_meets_no_dead_button(journey, width):
    j = journey("viewer", "read-only", width)
    j.sign_in("xem")
    for menu, then in READ_ONLY_PAGES:
        go(j, menu)
        if then:
            j.visit(then)
        main = j.page.locator("main")
        # Nothing to send: no form that writes, no link to a form that would answer 403.
        assert main.locator("form[method=post]").count() == 0, j.page.url
        hrefs = main.locator("a[href]").evaluate_all("links => links.map(a => a.pathname)")
        assert not [h for h in hrefs if WRITE_LINKS.search(h)], (j.page.url, hrefs)
    j.visit("/emulation/1/models/")
    assert j.page.locator("main form[method=post]").count() == 0
    j.screenshot()
    # A form typed in by hand answers with the layout, in Vietnamese, with a way back.
    j.checker.expected_statuses.add(403)
    j.page.goto("/voices/intake/")
    expect(j.page.locator("main h1")).to_have_text("Bạn không thể thực hiện việc này ở đây")
    expect(j.page.locator("main a", has_text="Về trang chủ")).to_be_visible()
    j.check()


# --- anonymous: the public portal and tracking on a phone -----------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_citizen_reads_the_portal_and_tracks_a_petition(journey, width):
    from danvan.voices.models import Petition

    j = journey("anonymous", "portal-tracking", width)
    j.visit("/cong-khai/")
    j.page.locator("select[name=tinh]").select_option(label="Thành phố Hải Phòng")
    j.page.wait_for_load_state("networkidle")
    j.check()
    j.click(j.page.locator("main a", has_text="Phường Thành Đông").first)
    expect(j.page.locator("main h1")).to_have_text("Phường Thành Đông")
    # An item opens on its own page, with a way back.
    j.click(j.page.locator("#cong-khai ~ .item h3 a").first)
    expect(j.page.locator(".crumbs a")).to_have_text("Phường Thành Đông")
    j.screenshot("portal")

    # Tracking: a wrong code says so; the right one shows states, deadlines, the office.
    j.visit("/tra-cuu/")
    j.page.fill("#id_code", "ABCDEFGHJKLM")
    j.click(j.page.get_by_role("button", name="Tra cứu"))
    expect(j.page.locator(".message.error")).to_be_visible()
    petition = Petition.objects.filter(unit__code__endswith="-ubnd").order_by("pk").first()
    j.page.fill("#id_code", petition.tracking_code.lower())
    j.click(j.page.get_by_role("button", name="Tra cứu"))
    expect(j.page.locator("#track-result table")).to_be_visible()
    expect(j.page.locator("#office")).to_contain_text(petition.unit.name)
    expect(j.page.locator("#office")).to_contain_text("Bộ phận tiếp công dân")
    j.screenshot("tracking")


# --- city commission officer: a directive, who has not acted, the quarterly report ----------


def choose_unit(j, query: str, name: str) -> None:
    """The unit picker: search the subtree without diacritics, pick, come back."""
    j.click(j.page.locator(".unit-strip a", has_text="Đổi đơn vị"))
    j.page.fill("#unit-q", query)
    choice = j.page.locator("#unit-results button", has_text=name).first
    expect(choice).to_be_visible()
    j.click(choice)
    expect(j.page.locator("#current-unit")).to_have_text(name)


@pytest.mark.parametrize("width", WIDTHS)
def test_city_officer_plans_a_directive_and_issues_the_quarterly_report(journey, width, tmp_path):
    from danvan.plans.models import Document
    from danvan.reports.models import PeriodReport
    from danvan.reports.periods import current
    from danvan.reports.tasks import collect_sections

    j = journey("city-commission-officer", "directive-report", width)
    j.sign_in("bdv.thanhpho")
    expect(j.page.locator("#todo")).to_be_visible()

    # 1. A directive to the communes' Party committees, with its required actions.
    go(j, "Kế hoạch")
    j.click(j.page.locator(".subnav a", has_text="Văn bản cần triển khai"))
    j.click(j.page.locator("main a", has_text="Thêm văn bản"))
    before = Document.objects.count()
    j.click(j.page.locator("#plans-form button[type=submit]"))  # nothing filled in
    error_summary_shows(j, "Số, ký hiệu", "Tên")
    assert Document.objects.count() == before
    number = f"{width}-CT/TU"
    form = j.page.locator("#plans-form")
    form.locator("#id_kind").select_option("directive")
    form.locator("#id_number").fill(number)
    form.locator("#id_issued_on").fill("01/12/2026")
    form.locator("#id_title").fill("Về tăng cường công tác dân vận trong tình hình mới")
    for label in (
        "Đảng ủy Phường Thành Đông",
        "Đảng ủy Phường Hải Dương",
        "Đảng ủy Phường Chí Linh",
    ):
        form.get_by_label(label, exact=True).check()
    form.locator("#id_plan_due").fill("15/12/2026")
    form.locator("#id_report_due").fill("30/12/2026")
    j.click(form.locator("button[type=submit]"))
    expect(j.page.locator("main h1")).to_contain_text(number)
    # 2. Who has not acted: all three, for each action, until they record it.
    expect(j.page.locator("#not-done")).to_contain_text("0/3")
    expect(j.page.locator("#matrix tbody tr")).to_have_count(3)
    j.screenshot("directive")

    # 3. The commission's quarterly report: generate, follow the progress, edit, issue, PDF.
    choose_unit(j, "ban dan van thanh uy", "Ban Dân vận Thành ủy Hải Phòng")
    go(j, "Báo cáo")
    j.click(j.page.locator(".subnav a", has_text="Báo cáo định kỳ"))
    expect(j.page.locator("main")).to_contain_text("1-BC/BDVTU")  # issued by the demo
    period = current(dt.date.today()).previous.previous
    j.page.locator("#generate-form select[name=period]").select_option(period.key)
    j.click(j.page.locator("#generate-form button[type=submit]"))
    expect(j.page.locator("#status")).to_be_visible()
    report = PeriodReport.objects.get(unit__code="31-bdv", year=period.year, index=period.index)
    collect_sections.call(report.pk)  # what the worker of `make run` does
    expect(j.page.locator("#status progress")).to_have_count(0, timeout=30_000)
    j.check()
    section = report.sections.get(key="assessment")
    box = j.page.locator(f"#section-{section.pk}")
    box.locator("textarea").fill("Công tác dân vận chuyển biến tích cực; nhân dân đồng tình.")
    box.locator("button[type=submit]").click()
    expect(j.page.locator(f"#section-{section.pk} [role=status]")).to_be_visible()
    j.click(j.page.locator("#issue-form button[type=submit]"))
    expect(j.page.locator("#versions tbody tr")).to_have_count(1)
    j.screenshot("report")
    with j.page.expect_download() as download:
        j.page.locator("#versions a", has_text="PDF").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")


# --- commune officers on a phone: a model, its progress with a photo, the situation report ---

# A real 1×1 PNG: what a phone camera sends, in small.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cfc0f01f0005000201a5f1d6a40000000049454e44ae426082"
)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("username", "role"),
    [("bdv.xa", "commune-commission-officer"), ("hoiphunu.xa", "union-officer")],
)
def test_commune_officer_registers_a_model_reports_progress_and_the_situation(
    journey, width, username, role, tmp_path
):
    from danvan.emulation.models import MovementModel, ProgressReport
    from danvan.situation.models import SituationReport

    j = journey(role, "model-situation", width)
    j.sign_in(username)

    # 1. Register a model; the level is the registering unit's (a ward: the commune level).
    go(j, "Phong trào")
    j.click(j.page.locator("main a", has_text="Dân vận khéo").first)
    j.click(j.page.locator("main a", has_text="Đăng ký mô hình").first)
    expect(j.page.locator("#id_level_code")).to_have_value("commune")
    assert "district" not in j.page.locator("#id_level_code option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    before = MovementModel.objects.count()
    j.click(j.page.locator("form.register-form button[type=submit]"))
    error_summary_shows(j, "Tên mô hình")
    assert MovementModel.objects.count() == before
    title = f"Tổ tự quản đường hoa ({width})"
    j.page.fill("#id_title", title)
    j.page.select_option("#id_field_code", "culture-society")
    j.page.fill("#id_goals", "Mỗi hộ trồng và chăm sóc 5 mét đường hoa.")
    j.click(j.page.locator("form.register-form button[type=submit]"))
    expect(j.page.locator("main h1")).to_contain_text(title)
    # Just registered: completion is not offered.
    expect(j.page.locator("button", has_text="Xác nhận hoàn thành")).to_have_count(0)

    # 2. Progress with a photo: a wrong percentage is refused and nothing is written.
    model = MovementModel.objects.get(title=title)
    j.page.locator("#progress summary").click()
    form = j.page.locator("#progress form")
    form.locator("[name=reported_on]").fill("01/12/2026")
    form.locator("[name=percent]").fill("150")
    form.locator("[name=narrative]").fill("Đã trồng 300 mét hoa trên tuyến đường thôn.")
    photo = tmp_path / "anh-duong-hoa.png"
    photo.write_bytes(PNG)
    form.locator("input[type=file]").set_input_files(str(photo))
    j.click(form.locator("button[type=submit]"))
    error_summary_shows(j)
    assert not ProgressReport.objects.filter(model=model).exists()
    form = j.page.locator("#progress form")
    expect(form.locator("[name=narrative]")).to_have_value(
        "Đã trồng 300 mét hoa trên tuyến đường thôn."
    )  # the input is kept
    form.locator("[name=percent]").fill("40")
    form.locator("input[type=file]").set_input_files(str(photo))
    j.click(form.locator("button[type=submit]"))
    expect(j.page.locator("#progress article").first).to_contain_text("40%")
    expect(j.page.locator("#progress .evidence")).to_contain_text("anh-duong-hoa.png")
    expect(j.page.locator("#completion-missing")).to_be_visible()
    j.screenshot("model")

    # 3. The month's situation report, topic by topic.
    go(j, "Tình hình Nhân dân")
    j.click(j.page.locator(".subnav a", has_text="Gửi báo cáo"))
    chooser = j.page.locator("select[name=organization]")
    if not j.page.locator("#report-form").count():
        with j.page.expect_navigation():
            chooser.select_option(index=1)
        j.check()
    unit_id = int(chooser.input_value())
    form = j.page.locator("#report-form")
    land = form.locator("#topic-land-clearance")
    land.locator(".levels label", has_text="Cần chú ý").click()
    land.locator("textarea").fill("Một số hộ chưa đồng thuận phương án bồi thường tuyến đường.")
    land.locator("input[type=number]").fill("-3")  # a count below zero
    form.locator("#topic-prices-livelihoods .levels label", has_text="Ổn định").click()
    before = list(
        SituationReport.objects.filter(organization_id=unit_id).values_list("pk", "submitted_at")
    )
    j.click(form.locator("button[type=submit]"))
    error_summary_shows(j, "Nhập số nguyên từ 0 trở lên.")
    expect(j.page.locator("#topic-land-clearance .form-error")).to_be_visible()
    after = list(
        SituationReport.objects.filter(organization_id=unit_id).values_list("pk", "submitted_at")
    )
    assert after == before  # nothing written
    land = j.page.locator("#report-form #topic-land-clearance")
    expect(land.locator("textarea")).to_have_value(
        "Một số hộ chưa đồng thuận phương án bồi thường tuyến đường."
    )  # the input is kept
    land.locator("input[type=number]").fill("12")
    j.click(j.page.locator("#report-form button[type=submit]"))
    expect(j.page.locator("main")).to_contain_text("Cần chú ý")
    expect(j.page.locator("main hgroup .badge")).to_have_text("Đã gửi")
    j.screenshot("situation")


# --- case handler: intake with similar cases, then the whole settlement ---------------------


def step(j, name: str):
    """Open a step of the case page and return its form (its fields are named
    "<step>-<field>")."""
    details = j.page.locator(f"#step-{name}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details.locator("form")


@pytest.mark.parametrize("width", WIDTHS)
def test_case_handler_receives_and_settles_a_denunciation(journey, width):
    from danvan.voices.models import Matter, Petition

    j = journey("case-handler", "intake-settle", width)
    j.sign_in("xuly.don")
    go(j, "Công dân")
    j.click(j.page.locator(".subnav a", has_text="Tiếp nhận đơn thư"))

    # 1. Intake: similar petitions appear as the contents are typed.
    contents = (
        "Tố cáo cán bộ địa chính phường gây khó khăn, đòi tiền khi làm thủ tục tách thửa "
        f"đất của gia đình (lần {width})."
    )
    j.page.select_option("#id_channel", index=1)
    j.page.select_option("#id_topic", "land")
    j.page.fill("#id_contents", contents)
    expect(j.page.locator("#similar li").first).to_be_visible()
    j.check()
    # No matter written down: refused, nothing saved, what was typed is kept.
    before = Petition.objects.count()
    j.click(j.page.locator("#intake-form button[type=submit]"))
    error_summary_shows(j)
    assert Petition.objects.count() == before
    expect(j.page.locator("#id_contents")).to_have_value(contents)
    row = j.page.locator("#citizen-rows fieldset").first
    row.locator("input[name$=-name]").fill("Nguyễn Văn Bình")
    row.locator("input[name$=-address]").fill("Tổ dân phố 3")
    matter = j.page.locator("#matter-rows fieldset").first
    matter.locator("select[name$=-kind]").select_option("denunciation")
    matter.locator("input[name$=-summary]").fill(
        "Cán bộ địa chính đòi tiền khi làm thủ tục tách thửa."
    )
    j.click(j.page.locator("#intake-form button[type=submit]"))
    code = j.page.locator("#tracking-code").inner_text().strip()
    assert Petition.objects.filter(tracking_code=code).exists()
    j.click(j.page.locator("main table a").first)

    # 2. Classify as complicated (Art. 30: one extension), accept, extend once (a second
    # extension is refused by the law's limit, nothing written), decide, close.
    j.page.locator("main h1").wait_for()
    form = step(j, "classify")
    form.locator("[name=classify-complicated]").check()
    # A complicated denunciation names the decree's criterion that makes it so.
    form.locator("[name=classify-grounds]").first.check()
    j.click(form.locator("button[type=submit]"))
    form = step(j, "accept")
    j.click(form.locator("button[type=submit]"))
    form = step(j, "extend")
    form.locator("[name=extend-decision_number]").fill("12/QĐ-UBND")
    j.click(form.locator("button[type=submit]"))
    expect(j.page.locator(".timeline")).to_contain_text("Đã gia hạn")
    # Extending again until the law's limit refuses it, with the article, writing nothing.
    the_matter = Matter.objects.get(petition__tracking_code=code)
    for attempt in range(2, 5):
        the_matter.refresh_from_db()
        extensions, due = the_matter.extensions, the_matter.settle_due_on
        form = step(j, "extend")
        form.locator("[name=extend-decision_number]").fill(f"{20 + attempt}/QĐ-UBND")
        j.click(form.locator("button[type=submit]"))
        if j.page.locator("[data-error-summary]").count():
            break
    error_summary_shows(j, "Không được gia hạn thêm")
    the_matter.refresh_from_db()
    assert (the_matter.extensions, the_matter.settle_due_on) == (extensions, due)
    form = step(j, "decide")
    form.locator("[name=decide-decision_number]").fill("25/KL-UBND")
    form.locator("[name=decide-result]").select_option(index=1)
    j.click(form.locator("button[type=submit]"))
    form = step(j, "close")
    j.click(form.locator("button[type=submit]"))
    expect(j.page.locator("main h1 .state")).to_have_text("Đã kết thúc")
    j.screenshot()


# --- government officer: a disclosure, and a matter put to the households --------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_government_officer_publicizes_and_consults_households(journey, width):
    from danvan.democracy.models import Consultation, Disclosure, Household

    j = journey("government-officer", "disclosure-consultation", width)
    j.sign_in("chinhquyen.xa")
    go(j, "Dân chủ ở cơ sở")

    # 1. A disclosure: refused when empty, then recorded and publicized on time.
    j.click(j.page.locator(".subnav a", has_text="Công khai").first)
    j.click(j.page.locator("main a", has_text="Ghi nhận nội dung phải công khai"))
    before = Disclosure.objects.count()
    j.click(j.page.locator("main form button[type=submit]"))
    error_summary_shows(j, "Tên")
    assert Disclosure.objects.count() == before
    title = f"Dự toán ngân sách phường năm 2027 ({width})"
    j.page.fill("#id_title", title)
    j.page.fill("#id_decision_number", "45/QĐ-UBND")
    j.page.fill("#id_decision_date", "01/12/2026")
    j.click(j.page.locator("main form button[type=submit]"))
    expect(j.page.locator("main h1")).to_contain_text(title)
    j.page.fill("#id_published_on", "02/12/2026")
    j.page.get_by_label("Niêm yết", exact=True).check()
    j.click(j.page.locator("main form button[type=submit]"))
    expect(j.page.locator("#disclosure-status")).to_contain_text("đúng hạn")
    j.screenshot("disclosure")

    # 2. A contribution put to a hamlet's households: votes, a second vote refused.
    j.click(j.page.locator(".subnav a", has_text="Lấy ý kiến").first)
    j.click(j.page.locator("main a", has_text="Đưa nội dung ra lấy ý kiến Nhân dân"))
    form = j.page.locator("main form")
    community = int(form.locator("#id_community").input_value())
    form.locator("#id_matter_type_code").select_option(index=0)
    form.locator("#id_title").fill(f"Đóng góp làm đường bê tông thôn ({width})")
    form.locator("#id_opens_on").fill("01/12/2026")
    form.locator("#id_closes_on").fill("31/12/2026")
    j.click(form.locator("button[type=submit]"))
    consultation = Consultation.objects.get(title__endswith=f"({width})")
    households = list(Household.objects.filter(community_id=community).order_by("code")[:2])
    for household in households:
        vote = j.page.locator("#vote-form")
        vote.locator("[name=household_code]").fill(household.code)
        vote.get_by_label("Đồng ý", exact=True).check()
        vote.locator("button[type=submit]").click()
        expect(j.page.locator("#tally .message")).to_contain_text(household.code)
    j.check()
    vote = j.page.locator("#vote-form")
    vote.locator("[name=household_code]").fill(households[0].code)
    vote.get_by_label("Không đồng ý", exact=True).check()
    vote.locator("button[type=submit]").click()
    expect(j.page.locator("#tally .form-error").first).to_contain_text("đã biểu quyết")
    consultation.refresh_from_db()
    assert (consultation.yes, consultation.no) == (2, 0)
    j.check()
    j.screenshot("consultation")


# --- leader: what needs attention, the dashboard, a late unit, the people's signals -----------


@pytest.mark.parametrize("width", WIDTHS)
def test_leader_sees_what_needs_attention_and_drills_down(journey, width):
    j = journey("leader", "overview", width)
    j.sign_in("lanhdao")
    # The home page starts with what needs attention across the city, worst first.
    attention = j.page.locator("#attention")
    expect(attention).to_be_visible()
    assert j.page.locator("#todo").count() == 0 or (
        j.page.locator("#attention").bounding_box()["y"]
        < j.page.locator("#todo").bounding_box()["y"]
    )
    expect(attention.locator("section.tone-bad").first).to_be_visible()
    j.screenshot("home")
    # The overdue tasks, then the unit with the most of them.
    j.click(attention.locator("a", has_text="nhiệm vụ quá hạn").first)
    expect(j.page.locator("#task-rows tbody tr").first).to_be_visible()
    j.page.go_back()
    j.check()
    j.click(attention.locator("section", has_text="nhiệm vụ quá hạn").locator("ul a").first)
    expect(j.page.locator("#task-rows")).to_contain_text("quá hạn")

    # The dashboard: every app's panel arrives by itself; a unit's row opens its tasks.
    go(j, "Báo cáo")
    panels = j.page.locator("#panels article[data-panel]")
    expect(panels).to_have_count(5, timeout=30_000)
    expect(j.page.locator("[aria-busy=true]")).to_have_count(0)
    j.check()
    plans = j.page.locator('article[data-panel="plans"]')
    expect(plans.locator("canvas[data-drawn]")).to_be_attached()
    j.screenshot("dashboard")
    late = plans.locator("details table tbody tr").filter(
        has_not=j.page.locator("td.num:nth-child(5):text-is('0')")
    )
    j.click(late.first.locator("a"))
    expect(j.page.locator("main h1")).to_have_text("Nhiệm vụ")

    # The people's situation: the signals, and the reports behind one.
    go(j, "Tình hình Nhân dân")
    expect(j.page.locator("#matrix")).to_be_visible()
    j.click(j.page.locator("main a", has_text="Tất cả tín hiệu"))
    expect(j.page.locator("article.signal").first).to_be_visible()
    j.click(j.page.locator("article.signal .reports-behind a").first)
    expect(j.page.locator("main h1")).to_be_visible()
    j.screenshot("signals")


# --- administrator: the unit picker across the subtree, organizations, the audit log ---------


@pytest.mark.parametrize("width", WIDTHS)
def test_administrator_moves_through_the_tree_and_reads_the_log(journey, width):
    j = journey("administrator", "tree-audit", width)
    j.sign_in("quantri")
    choose_unit(j, "dang uy phuong thanh dong", "Đảng ủy Phường Thành Đông")
    expect(j.page.locator("main h1")).to_contain_text("Xin chào")
    go(j, "Tổ chức")
    j.click(j.page.locator("main a", has_text="Hội Liên hiệp Phụ nữ Phường Thành Đông").first)
    expect(j.page.locator("main h1")).to_have_text("Hội Liên hiệp Phụ nữ Phường Thành Đông")
    j.visit("/audit/")
    expect(j.page.locator("main table tbody tr").first).to_be_visible()
    j.screenshot()
    # Signed in again: the password, then the code from the app set up at first sign-in.
    j.sign_out()
    j.sign_in("quantri")
    assert "/account/two-factor/" not in j.page.url
    expect(j.page.locator("main h1")).to_contain_text("Xin chào")
