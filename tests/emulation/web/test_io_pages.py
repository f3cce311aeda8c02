"""Downloads of the movement's tables and the checked import of registrations, in the pages."""

from __future__ import annotations

import csv
import html
import io as pyio
import os
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from danvan.emulation.models import MovementModel
from danvan.emulation.views.io import KEEP_SECONDS, SESSION_KEY

from ..conftest import Unchanged
from .conftest import YEAR, db_state, register, text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = "Mã đơn vị,Năm,Cấp,Lĩnh vực,Tên mô hình,Họ tên,Chức vụ"


@pytest.fixture
def models(movement, tree, alice):
    """Three models: two of the Women's Union (one of them an individual's), one of the ward."""
    return [
        register(movement, alice, tree["union"], "Tổ phụ nữ tự quản"),
        register(
            movement,
            alice,
            tree["union"],
            "Cán bộ hội gần dân",
            kind="individual",
            person_name="Nguyễn Thị Hoa",
            person_position="Chi hội trưởng",
        ),
        register(
            movement, alice, tree["ward"], "Đảng ủy nghe dân nói", field_code="political-system"
        ),
    ]


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(pyio.StringIO(content.decode("utf-8-sig"))))


def _sheet(content: bytes, name: str | None = None) -> list[tuple]:
    workbook = load_workbook(pyio.BytesIO(content))
    sheet = workbook[name] if name else workbook.worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def _upload(content: bytes | str, name: str = "dang-ky.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _csv_file(*rows: str) -> str:
    return "\r\n".join([HEADER, *rows]) + "\r\n"


def _table(response, table_id: str) -> list[list[str]]:
    body = text(response).split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = body.split("<tbody>", 1)[1]
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        rows.append([html.unescape(re.sub(r"<[^>]+>", " ", c)).strip() for c in cells])
    return rows


def _token(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', text(response)).group(1)


def _imports(media) -> list:
    folder = media / "imports"
    return sorted(p for p in folder.iterdir()) if folder.exists() else []


# --- exports ------------------------------------------------------------------------------


def test_models_export_xlsx_has_the_filtered_rows_only(models, movement, alice, client_for):
    url = reverse("emulation:models_export", args=[movement.pk])
    response = client_for(alice).get(url, {"field": "economy", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert re.fullmatch(
        r'attachment; filename="models-\d{8}\.xlsx"', response["Content-Disposition"]
    )
    header, *rows = _sheet(response.content)
    assert header[0] == "Title"
    assert sorted(r[0] for r in rows) == ["Cán bộ hội gần dân", "Tổ phụ nữ tự quản"]


def test_models_export_csv_follows_the_drill_down_filters(
    models, movement, tree, alice, client_for
):
    url = reverse("emulation:models_export", args=[movement.pk])
    params = {"unit": tree["union"].pk, "kind": "individual", "format": "csv", "page": "3"}
    response = client_for(alice).get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('.csv"')
    _header, *rows = _csv_rows(response.content)
    assert [r[0] for r in rows] == ["Cán bộ hội gần dân"]
    assert rows[0][6] == "Nguyễn Thị Hoa"


def test_models_export_is_scoped_like_the_list(models, movement, tree, client_for):
    from tests.factories import UserFactory, grant

    union_only = UserFactory(username="hoa")
    grant(union_only, "viewer", tree["union"])
    url = reverse("emulation:models_export", args=[movement.pk])
    response = client_for(union_only).get(url, {"format": "csv"})
    assert response.status_code == 200
    titles = sorted(r[0] for r in _csv_rows(response.content)[1:])
    assert titles == ["Cán bộ hội gần dân", "Tổ phụ nữ tự quản"]


def test_dashboard_export_xlsx_and_csv(models, movement, tree, alice, client_for):
    url = reverse("emulation:dashboard_export", args=[movement.pk])
    client = client_for(alice)
    response = client.get(url, {"year": YEAR, "unit": tree["union"].pk, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert f'filename="dashboard-dvk-bd-{YEAR}.xlsx"' in response["Content-Disposition"]
    summary = dict(_sheet(response.content, "Overview")[1:])
    assert summary["Unit"] == tree["union"].name
    assert summary["Models"] == 2
    response = client.get(url, {"year": YEAR, "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(response.content)
    assert ["Models", "3"] in rows


def test_unknown_export_format_is_a_clear_400(movement, alice, client_for):
    url = reverse("emulation:models_export", args=[movement.pk])
    response = client_for(alice).get(url, {"format": "pdf"})
    assert response.status_code == 400
    assert "xlsx or csv" in text(response)


def test_pages_offer_downloads_and_the_import_link_only_to_registrars(
    movement, alice, bob, client_for
):
    for name in ("emulation:models", "emulation:dashboard"):
        url = reverse(name, args=[movement.pk])
        mine, viewer = text(client_for(alice).get(url)), text(client_for(bob).get(url))
        for body in (mine, viewer):
            assert "Download Excel" in body and "Download CSV" in body
        assert reverse("emulation:import", args=[movement.pk]) in mine
        assert reverse("emulation:import", args=[movement.pk]) not in viewer


def test_list_download_links_carry_the_filters(movement, alice, client_for):
    url = reverse("emulation:models", args=[movement.pk])
    body = text(client_for(alice).get(url, {"field": "economy", "state": "registered"}))
    export = reverse("emulation:models_export", args=[movement.pk])
    assert f"{export}?field=economy&amp;state=registered&amp;format=xlsx" in body


# --- who may use what ---------------------------------------------------------------------

IO_URLS = [
    ("get", "emulation:models_export"),
    ("get", "emulation:dashboard_export"),
    ("get", "emulation:import"),
    ("get", "emulation:import_template"),
    ("post", "emulation:import"),
    ("post", "emulation:import_confirm"),
]


@pytest.mark.parametrize(("method", "name"), IO_URLS)
def test_outsider_gets_404(models, movement, charlie, client_for, method, name):
    url = reverse(name, args=[movement.pk])
    response = getattr(client_for(charlie), method)(url, {"format": "csv"})
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "name"), IO_URLS[2:])
def test_viewer_may_not_import(movement, bob, client_for, method, name):
    url = reverse(name, args=[movement.pk])
    assert getattr(client_for(bob), method)(url).status_code == 403


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_import_template_downloads(movement, alice, client_for, fmt):
    url = reverse("emulation:import_template", args=[movement.pk])
    response = client_for(alice).get(url, {"format": fmt})
    assert response.status_code == 200
    assert f'filename="registrations-template.{fmt}"' in response["Content-Disposition"]
    header = _sheet(response.content)[0] if fmt == "xlsx" else _csv_rows(response.content)[0]
    assert list(header)[:2] == ["Unit code", "Kind"]


# --- import -------------------------------------------------------------------------------


def test_clean_file_preview_writes_nothing_and_confirm_imports(
    movement, tree, alice, client_for, media
):
    client = client_for(alice)
    url = reverse("emulation:import", args=[movement.pk])
    assert "Check the file" in text(client.get(url))
    content = _csv_file(
        f"bd-hlhpn,{YEAR},commune,economy,Mô hình nhập một,,",
        f"BD-DU,{YEAR},Cấp xã,Kinh tế,Mô hình nhập hai,Trần Văn An,Bí thư chi bộ",
    )
    before = db_state()
    response = client.post(url, {"file": _upload(content)})
    assert response.status_code == 200
    assert db_state() == before
    rows = _table(response, "import-rows")
    assert [r[0] for r in rows] == ["2", "3"]
    assert all(r[1] == "Ready" for r in rows)
    assert 'id="import-errors"' not in text(response)
    assert "Import 2 registrations" in text(response)
    assert len(_imports(media)) == 1

    response = client.post(
        reverse("emulation:import_confirm", args=[movement.pk]), {"token": _token(response)}
    )
    assert response.status_code == 200
    assert "2 models registered" in text(response)
    assert reverse("emulation:models", args=[movement.pk]) in text(response)
    titles = set(MovementModel.objects.filter(movement=movement).values_list("title", flat=True))
    assert titles == {"Mô hình nhập một", "Mô hình nhập hai"}
    assert _imports(media) == []
    assert not client.session.get(SESSION_KEY)


def test_the_kept_file_is_used_once(movement, alice, client_for, media):
    client = client_for(alice)
    content = _csv_file(f"bd-hlhpn,{YEAR},commune,economy,Một lần thôi,,")
    preview = client.post(
        reverse("emulation:import", args=[movement.pk]), {"file": _upload(content)}
    )
    confirm = reverse("emulation:import_confirm", args=[movement.pk])
    client.post(confirm, {"token": _token(preview)})
    before = db_state()
    response = client.post(confirm, {"token": _token(preview)}, follow=True)
    assert db_state() == before
    assert "upload it again" in text(response)


def test_bad_rows_show_every_error_and_no_confirm(movement, alice, client_for, media):
    client = client_for(alice)
    content = _csv_file(
        f"bd-hlhpn,{YEAR},commune,economy,Dòng tốt,,",
        f"khong-co,{YEAR},commune,economy,Đơn vị lạ,,",
        "bd-hlhpn,abc,commune,economy,Năm sai,,",
        f"bd-hlhpn,{YEAR},xyz,economy,Cấp sai,,",
        f"other-du,{YEAR},commune,economy,Đơn vị ngoài phạm vi,,",
        f"bd-hlhpn,{YEAR},commune,economy,Dòng tốt,,",
    )
    with Unchanged(media):
        response = client.post(
            reverse("emulation:import", args=[movement.pk]), {"file": _upload(content)}
        )
    assert response.status_code == 200
    errors = [(row, column) for row, column, _message in _table(response, "import-errors")]
    assert errors == [
        ("3", "Unit code"),
        ("4", "Year"),
        ("5", "Level"),
        ("6", "Unit code"),
        ("7", "Model title"),
    ]
    messages = [m for _r, _c, m in _table(response, "import-errors")]
    assert messages[0] == "Unknown unit: khong-co."
    assert messages[3] == "Unknown unit: other-du."  # outside alice's scope: not told apart
    statuses = [r[1] for r in _table(response, "import-rows")]
    assert statuses == ["Ready", "1 error", "1 error", "1 error", "1 error", "1 error"]
    assert 'id="import-confirm"' not in text(response)
    assert 'name="token"' not in text(response)


@pytest.mark.parametrize("token", ["", "forged-token", "../../etc/passwd"])
def test_forged_confirm_imports_nothing(movement, alice, client_for, media, token):
    client = client_for(alice)
    content = _csv_file(f"khong-co,{YEAR},commune,economy,Đơn vị lạ,,")
    client.post(reverse("emulation:import", args=[movement.pk]), {"file": _upload(content)})
    with Unchanged(media):
        response = client.post(
            reverse("emulation:import_confirm", args=[movement.pk]), {"token": token}
        )
    assert response.status_code == 302


def test_another_session_cannot_use_the_token(movement, alice, client_for, media):
    content = _csv_file(f"bd-hlhpn,{YEAR},commune,economy,Của phiên khác,,")
    preview = client_for(alice).post(
        reverse("emulation:import", args=[movement.pk]), {"file": _upload(content)}
    )
    with Unchanged():
        response = client_for(alice).post(
            reverse("emulation:import_confirm", args=[movement.pk]), {"token": _token(preview)}
        )
    assert response.status_code == 302


def test_a_changed_or_stale_kept_file_imports_nothing(movement, alice, client_for, media):
    client = client_for(alice)
    url = reverse("emulation:import", args=[movement.pk])
    confirm = reverse("emulation:import_confirm", args=[movement.pk])
    content = _csv_file(f"bd-hlhpn,{YEAR},commune,economy,Tệp bị sửa,,")

    token = _token(client.post(url, {"file": _upload(content)}))
    _imports(media)[0].write_bytes(content.replace("bd-hlhpn", "other-du").encode())
    before = db_state()
    assert client.post(confirm, {"token": token}).status_code == 302
    assert db_state() == before and _imports(media) == []

    token = _token(client.post(url, {"file": _upload(content)}))
    session = client.session
    session[SESSION_KEY][token]["at"] -= KEEP_SECONDS + 1
    session.save()
    assert client.post(confirm, {"token": token}).status_code == 302
    assert db_state() == before and _imports(media) == []


def test_rows_that_broke_a_rule_since_the_check_are_shown_again(
    movement, tree, alice, client_for, media
):
    client = client_for(alice)
    content = _csv_file(
        f"bd-hlhpn,{YEAR},commune,economy,Mô hình trùng,,",
        f"bd-du,{YEAR},commune,economy,Mô hình khác,,",
    )
    preview = client.post(
        reverse("emulation:import", args=[movement.pk]), {"file": _upload(content)}
    )
    register(movement, alice, tree["union"], "Mô hình trùng")  # meanwhile, by hand
    before = db_state()
    response = client.post(
        reverse("emulation:import_confirm", args=[movement.pk]), {"token": _token(preview)}
    )
    assert response.status_code == 200
    assert db_state() == before
    assert "nothing was imported" in text(response)
    assert [r[0] for r in _table(response, "import-errors")] == ["2"]
    assert 'id="import-confirm"' not in text(response)
    assert _imports(media) == []


def _xlsx(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = pyio.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_upload_through_htmx_gets_the_partial(movement, alice, client_for, media):
    content = _xlsx(
        ["Unit code", "Year", "Level", "Field", "Title"],
        ["bd-hlhpn", YEAR, "commune", "economy", "Mô hình từ Excel"],
    )
    response = client_for(alice).post(
        reverse("emulation:import", args=[movement.pk]),
        {"file": _upload(content, "dang-ky.xlsx")},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "<html" not in text(response)
    assert "Import 1 registration" in text(response)
    assert not MovementModel.objects.filter(title="Mô hình từ Excel").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("dang-ky.csv", b"", "The file is empty."),
        ("dang-ky.xls", b"\xd0\xcf\x11\xe0 old excel", "Old .xls files are not read"),
        ("dang-ky.xlsx", b"PK\x03\x04 not really a zip", "This is not a readable .xlsx file."),
        ("dang-ky.csv", "Tên mô hình,Năm\r\nA,2025\r\n", "Missing columns: Unit code, Level"),
        ("dang-ky.csv", "Mã đơn vị,Năm,Cấp,Lĩnh vực,Tên mô hình,Màu\r\n", "Unknown columns: Màu"),
        ("dang-ky.csv", "\ufeffMã đơn vị,Năm,Cấp,Lĩnh vực,Tên mô hình\r\n", "no rows"),
        ("dang-ky.csv", "Mã đơn vị,Năm\r\n".encode("utf-16"), "not in UTF-8"),
        ("ghi-chu.pdf", b"%PDF-1.4", "Upload an .xlsx or a .csv file."),
    ],
)
def test_malformed_files_get_a_clear_message(
    movement, alice, client_for, media, name, content, message
):
    with Unchanged(media):
        response = client_for(alice).post(
            reverse("emulation:import", args=[movement.pk]), {"file": _upload(content, name)}
        )
    assert response.status_code == 200
    error = text(response).split('id="import-file-error">', 1)[1].split("</p>", 1)[0]
    assert message in html.unescape(error)
    assert 'id="import-confirm"' not in text(response)


def test_no_file_chosen(movement, alice, client_for):
    response = client_for(alice).post(reverse("emulation:import", args=[movement.pk]))
    assert response.status_code == 200
    assert "Choose a file to upload." in text(response)


def test_closed_registration_is_a_row_error(movement, alice, client_for, media):
    content = _csv_file(f"bd-hlhpn,{YEAR + 3},commune,economy,Năm chưa mở,,")
    with Unchanged(media):
        response = client_for(alice).post(
            reverse("emulation:import", args=[movement.pk]), {"file": _upload(content)}
        )
    [(row, column, message)] = _table(response, "import-errors")
    assert (row, column) == ("2", "Year") and "not open" in message


def test_a_new_check_replaces_the_kept_file_and_old_ones_are_swept(
    movement, alice, client_for, media
):
    client = client_for(alice)
    url = reverse("emulation:import", args=[movement.pk])
    content = _csv_file(f"bd-hlhpn,{YEAR},commune,economy,Giữ một tệp,,")
    first = _token(client.post(url, {"file": _upload(content)}))
    abandoned = media / "imports" / "abandoned"
    abandoned.write_bytes(b"left by another session")
    old = time.time() - KEEP_SECONDS - 60
    os.utime(abandoned, (old, old))
    second = _token(client.post(url, {"file": _upload(content)}))
    assert first != second
    assert len(_imports(media)) == 1 and not abandoned.exists()
    confirm = reverse("emulation:import_confirm", args=[movement.pk])
    assert client.post(confirm, {"token": first}).status_code == 302
    assert not MovementModel.objects.filter(title="Giữ một tệp").exists()
    assert client.post(confirm, {"token": second}).status_code == 200
    assert MovementModel.objects.filter(title="Giữ một tệp").count() == 1


def test_a_large_file_is_registered_by_the_task_worker(
    movement, alice, client_for, media, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_IN_BACKGROUND_ROWS = 1
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client = client_for(alice)
    content = _csv_file(
        f"bd-hlhpn,{YEAR},commune,economy,Mô hình nền một,,\n"
        f"bd-hlhpn,{YEAR},commune,economy,Mô hình nền hai,,"
    )
    token = _token(
        client.post(reverse("emulation:import", args=[movement.pk]), {"file": _upload(content)})
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("emulation:import_confirm", args=[movement.pk]), {"token": token}
        )
    assert response.status_code == 302 and response["Location"].startswith("/imports/")
    assert MovementModel.objects.filter(title__startswith="Mô hình nền").count() == 2
    page = client.get(response["Location"]).content.decode()
    assert 'data-state="done"' in page
    assert reverse("emulation:models", args=[movement.pk]) in page
