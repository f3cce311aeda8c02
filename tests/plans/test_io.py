"""The task import: a preview with every row's errors, then all rows or none; and the page."""

import datetime as dt
import io as stdio

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from danvan.core.tables import ImportFileError
from danvan.plans import io
from danvan.plans.models import Task

from ..conftest import login

pytestmark = pytest.mark.django_db
HEADER = "Mã đơn vị,Nhiệm vụ,Hạn hoàn thành,Chỉ tiêu,Đơn vị tính,Cách tổng hợp\n"


def _csv(rows: str) -> bytes:
    return (HEADER + rows).encode("utf-8")


def test_a_clean_file_previews_then_imports(province):
    content = _csv(
        f"{province.communes[0].code},Tổ chức đối thoại,31/12/2026,12,buổi,count\n"
        f"{province.communes[1].code},Hội nghị sơ kết,2026-06-30,,,\n"
    )
    preview = io.preview_import(actor=province.officer, file_name="t.csv", content=content)
    assert preview.is_clean and preview.total == 2
    assert not Task.objects.exists()
    created = io.run_import(actor=province.officer, file_name="t.csv", content=content)
    assert [t.title for t in created] == ["Tổ chức đối thoại", "Hội nghị sơ kết"]
    assert created[0].target == 12 and created[0].deadline == dt.date(2026, 12, 31)
    assert created[0].origin == "import"


def test_every_bad_row_is_reported_and_nothing_is_written(province):
    content = _csv(
        f"{province.communes[0].code},Đúng,31/12/2026,,,\n"
        "khong-co,Đơn vị lạ,31/12/2026,,,\n"
        f"{province.communes[1].code},,31/12/2026,,,\n"
        f"{province.communes[2].code},Sai ngày,31/13/2026,,,\n"
        f"{province.communes[3].code},Chỉ tiêu âm,31/12/2026,-4,,\n"
        f"{province.outsider.code},Ngoài phạm vi,31/12/2026,,,\n"
        f"{province.communes[4].code},Tổng hợp lạ,31/12/2026,,,average\n"
    )
    preview = io.preview_import(actor=province.officer, file_name="t.csv", content=content)
    assert not preview.is_clean
    errors = {(e["row"], e["field"]) for e in preview.errors}
    assert errors == {
        (3, "unit"), (4, "title"), (5, "deadline"), (6, "target"), (7, "unit"), (8, "rollup"),
    }  # fmt: skip
    with pytest.raises(io.ImportRejected) as caught:
        io.run_import(actor=province.officer, file_name="t.csv", content=content)
    assert len(caught.value.errors) == 6
    assert not Task.objects.exists()


def test_rows_for_units_the_user_may_not_manage(province):
    content = _csv(f"{province.communes[1].code},Việc,31/12/2026,,,\n")
    preview = io.preview_import(actor=province.commune_officer, file_name="t.csv", content=content)
    assert [e["field"] for e in preview.errors] == ["unit"]


def test_xlsx_and_bad_files(province):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Owner unit code", "Task", "Deadline"])
    sheet.append([province.communes[0].code, "Từ Excel", dt.datetime(2026, 12, 1)])
    out = stdio.BytesIO()
    workbook.save(out)
    created = io.run_import(actor=province.officer, file_name="t.xlsx", content=out.getvalue())
    assert created[0].deadline == dt.date(2026, 12, 1)
    with pytest.raises(ImportFileError):
        io.preview_import(actor=province.officer, file_name="t.csv", content=b"Foo,Bar\n1,2\n")
    with pytest.raises(ImportFileError):
        io.preview_import(actor=province.officer, file_name="t.csv", content=HEADER.encode())


def test_the_import_pages(province):
    client = login(province.officer)
    template = client.get(reverse("plans:import_template") + "?format=xlsx")
    headers = [c.value for c in load_workbook(stdio.BytesIO(template.content)).active[1]]
    assert len(headers) == len(io.IMPORT_COLUMNS)
    content = _csv(f"{province.communes[0].code},Qua trang,31/12/2026,,,\n")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("plans:import"), {"file": SimpleUploadedFile("t.csv", content)})
    body = response.content.decode()
    assert 'name="token"' in body
    token = body.split('name="token" value="')[1].split('"')[0]
    assert not Task.objects.exists()
    response = client.post(reverse("plans:import_confirm"), {"token": token})
    assert response.status_code == 200 and Task.objects.get().title == "Qua trang"
    # The token is spent: a second confirm imports nothing.
    response = client.post(reverse("plans:import_confirm"), {"token": token})
    assert response.status_code == 302 and Task.objects.count() == 1
    assert login(province.viewer).get(reverse("plans:import")).status_code == 403
