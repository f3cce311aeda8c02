"""Import of beneficiaries from XLSX/CSV: checked row by row, preview, all or nothing."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from danvan.situation import io as sio
from danvan.situation import services
from danvan.situation.models import Beneficiary
from tests.conftest import login

pytestmark = pytest.mark.django_db

HEADER = "Mã hộ,Mã xã,Mã đơn vị,Đối tượng,Nguồn kinh phí,Tiến độ,Họ tên chủ hộ\r\n"


@pytest.fixture
def campaign(officer, province, today):
    return services.create_campaign(
        actor=officer,
        organization=province["party"],
        type_code="house-elimination",
        name="Xóa nhà tạm",
        starts_on=today - dt.timedelta(days=30),
        target_households=10,
    )


def _csv(province, rows):
    a0, a1 = province["communes"][0].code, province["communes"][1].code
    body = HEADER + "\r\n".join(r.format(a0=a0, a1=a1) for r in rows) + "\r\n"
    return ("\ufeff" + body).encode()


GOOD = [
    "HP-1,{a0},c00-mttq,poor,state_budget,handed_over,Nguyễn Thị A",
    "HP-2,{a0},c00-mttq,Hộ cận nghèo,Quỹ Cứu trợ của Mặt trận,,",
    "HP-3,{a1},c01-mttq,policy,,built,",
]


def test_a_clean_file_previews_then_imports(officer, province, campaign):
    client = login(officer)
    url = f"/situation/campaigns/{campaign.pk}/import/"
    response = client.post(
        url, {"file": SimpleUploadedFile("ho.csv", _csv(province, GOOD), "text/csv")}
    )
    page = response.content.decode()
    assert 'id="import-preview"' in page and not Beneficiary.objects.exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    rows = {b.household_code: b for b in Beneficiary.objects.all()}
    assert set(rows) == {"HP-1", "HP-2", "HP-3"}
    assert rows["HP-1"].progress == "handed_over" and rows["HP-1"].name_enc
    assert rows["HP-2"].category == "near_poor" and rows["HP-2"].funding_kind == "relief_fund"
    assert rows["HP-3"].progress == "built"


def test_a_malformed_row_writes_nothing_and_every_bad_row_is_reported(officer, province, campaign):
    client = login(officer)
    bad = [
        *GOOD,
        "HP-4,99999,c00-mttq,poor,,,",  # unknown area
        "HP-1,{a0},c00-mttq,poor,,,",  # duplicate in the file
        ",{a0},c00-mttq,rich,,,",  # no code, bad category
        "HP-6,{a0},nowhere,poor,gold,,",  # unknown unit and funding
    ]
    url = f"/situation/campaigns/{campaign.pk}/import/"
    response = client.post(
        url, {"file": SimpleUploadedFile("ho.csv", _csv(province, bad), "text/csv")}
    )
    page = response.content.decode()
    assert 'id="import-errors"' in page and 'id="import-preview"' not in page
    result = sio.check_beneficiaries(officer, campaign, "ho.csv", _csv(province, bad))
    assert sorted((e["row"], e["field"]) for e in result["errors"]) == [
        (5, "area"),
        (6, "household_code"),
        (7, "category"),
        (7, "household_code"),
        (8, "funding_kind"),
        (8, "unit"),
    ]
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert not Beneficiary.objects.exists()


def test_missing_column_and_xlsx(officer, province, campaign):
    result = sio.check_beneficiaries(
        officer, campaign, "x.csv", "Mã hộ,Đối tượng\r\nA,poor\r\n".encode()
    )
    assert {e["field"] for e in result["errors"]} == {"area", "unit"}
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã hộ", "Mã xã", "Mã đơn vị", "Đối tượng"])
    ws.append(["HP-9", province["communes"][0].code, "c00-mttq", "Hộ nghèo"])
    out = io.BytesIO()
    wb.save(out)
    result = sio.check_beneficiaries(officer, campaign, "x.xlsx", out.getvalue())
    assert result["errors"] == [] and result["rows"][0]["category"] == "poor"


def test_a_unit_the_user_may_not_record_for(commune_officer, province, campaign):
    body = _csv(province, ["HP-1,{a1},c01-mttq,poor,,,"])
    result = sio.check_beneficiaries(commune_officer, campaign, "x.csv", body)
    assert result["errors"][0]["field"] == "unit"


def test_template_download(officer, campaign):
    response = login(officer).get(f"/situation/campaigns/{campaign.pk}/import/template/")
    assert response.status_code == 200
