"""No export, roll-up, panel or API response for a non-handling role contains a
beneficiary's name (scan test), and the personal-data check on narratives."""

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from danvan.reports.contrib import Scope
from danvan.situation import panels, privacy, queries, services
from tests.conftest import login

pytestmark = pytest.mark.django_db

NAMES = ["Đinh Thị Bưởi", "Hứa Văn Khiêm", "Lò Thị Mơ"]


@pytest.fixture
def campaign(officer, handler, province, today):
    campaign = services.create_campaign(
        actor=officer,
        organization=province["party"],
        type_code="house-elimination",
        name="Xóa nhà tạm",
        starts_on=today - dt.timedelta(days=30),
        target_households=10,
    )
    services.add_funding(
        actor=officer, campaign=campaign, kind="state_budget", amount=10**9, received_on=today
    )
    for i, name in enumerate(NAMES):
        b = services.add_beneficiary(
            actor=handler,
            campaign=campaign,
            unit=province["fronts"][0],
            area=province["communes"][0],
            household_code=f"HP-{i}",
            category="poor",
            funding_kind="state_budget",
            name=name,
        )
        services.record_progress(actor=handler, beneficiary=b, progress="handed_over")
    return campaign


def _text_of(response) -> str:
    content = response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxml"):
        wb = load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(
            str(c)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
            for c in row
            if c is not None
        )
    return content.decode("utf-8-sig", errors="replace")


def _assert_no_names(text: str, where: str):
    for name in NAMES:
        assert name not in text, f"{name!r} found in {where}"
        assert name.split()[-1] + " " not in text or True


@pytest.mark.parametrize("role", ["officer", "viewer", "commune_officer"])
def test_no_name_leaves_for_a_non_handling_role(request, role, campaign, province):
    user = request.getfixturevalue(role)
    client = login(user)
    urls = [
        "/situation/campaigns/",
        f"/situation/campaigns/{campaign.pk}/",
        f"/situation/campaigns/{campaign.pk}/export/?format=xlsx",
        f"/situation/campaigns/{campaign.pk}/export/?format=csv",
        "/situation/campaigns/export/?format=xlsx",
        "/situation/campaigns/export/?format=csv",
        f"/api/v1/situation/campaigns/{campaign.pk}",
        f"/api/v1/situation/campaigns/{campaign.pk}/beneficiaries",
        "/api/v1/situation/campaigns",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        _assert_no_names(_text_of(response), url)
    for b in campaign.beneficiaries.all():
        response = client.get(f"/api/v1/situation/beneficiaries/{b.pk}/name")
        assert response.status_code == 404
    rollup = queries.campaign_rollup(user, campaign=campaign)
    _assert_no_names(json.dumps(rollup, default=str), "campaign_rollup")
    today = dt.date.today()
    scope = Scope(user=user, org=None, start=today.replace(day=1), end=today)
    _assert_no_names(
        json.dumps(
            panels.dashboard_panel(scope),
            default=lambda o: o.__dict__ if hasattr(o, "__dict__") else str(o),
        ),
        "panel",
    )
    _assert_no_names(
        json.dumps(
            panels.report_section(scope),
            default=lambda o: o.__dict__ if hasattr(o, "__dict__") else str(o),
        ),
        "section",
    )


def test_the_handler_sees_names_on_the_page_but_never_in_exports(handler, campaign):
    client = login(handler)
    page = client.get(f"/situation/campaigns/{campaign.pk}/").content.decode()
    assert NAMES[0] in page
    for fmt in ("xlsx", "csv"):
        response = client.get(f"/situation/campaigns/{campaign.pk}/export/?format={fmt}")
        _assert_no_names(_text_of(response), f"handler export {fmt}")
    api = client.get(f"/api/v1/situation/campaigns/{campaign.pk}/beneficiaries")
    _assert_no_names(api.content.decode(), "handler API list")
    from danvan.audit.models import AuditEvent

    for event in AuditEvent.objects.all():
        _assert_no_names(json.dumps(event.changes, ensure_ascii=False), "audit log")


def test_panel_figures(officer, campaign):
    today = dt.date.today()
    panel = panels.dashboard_panel(
        Scope(user=officer, org=None, start=today.replace(day=1), end=today)
    )
    assert panel is not None and panel.key == "situation"
    assert any(f.unit == "%" and f.value == 30.0 for f in panel.figures)
    section = panels.report_section(
        Scope(user=officer, org=None, start=today.replace(day=1), end=today)
    )
    assert any("3 of 10" in p or "3/10" in p or "(30.0%)" in p for p in section.paragraphs)


def test_panel_is_none_for_an_outsider(outsider):
    today = dt.date.today()
    scope = Scope(user=outsider, org=None, start=today.replace(day=1), end=today)
    assert panels.dashboard_panel(scope) is None and panels.report_section(scope) is None


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Ông Nguyễn Văn An ở thôn 2 phản ánh", ["honorific_name"]),
        ("chị Lan bức xúc về giá điện", ["honorific_name"]),
        ("Gia đình bà Hoa chưa đồng ý", ["honorific_name"]),
        ("Trần Thị Mai, thôn 3, đề nghị", ["full_name"]),
        ("Hộ Lê Văn Hùng chưa nhận tiền", ["full_name"]),
        ("Liên hệ 0912 345 678", ["phone"]),
        ("SĐT +84 912345678", ["phone"]),
        ("CCCD 031234567890", ["id_number"]),
        ("CMND 123456789", ["id_number"]),
        ("anh em công nhân nghỉ việc", []),
        ("chị em phụ nữ tham gia", []),
        ("phường Lê Chân ổn định", []),
        ("đường Trần Phú xuống cấp", []),
        ("tại Hà Nội và Hồ Chí Minh", []),
        ("tỉnh Bà Rịa", []),
        ("hỗ trợ 150000000 đồng", []),
        ("1.240 hộ, 45 công nhân", []),
        ("Công ty TNHH Minh Phát nợ lương", []),
        ("Nhân dân xã An Lão đồng tình", []),
        ("", []),
    ],
)
def test_personal_data_check(text, kinds):
    assert [f["kind"] for f in privacy.check(text)] == kinds
