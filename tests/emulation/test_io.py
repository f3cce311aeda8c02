"""Exports open back with their rows intact; the registration import checks every row,
reports every bad one, and writes all rows or none."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from danvan.audit.models import AuditEvent
from danvan.core import tables
from danvan.core.errors import DomainError
from danvan.core.tables import XLSX_TYPE
from danvan.emulation import io as eio
from danvan.emulation import queries, services
from danvan.emulation.models import MovementModel, Registration

from ..factories import UserFactory, complete_model, grant

TODAY = dt.date(2025, 2, 10)
HEADER_VI = [
    "Mã đơn vị",
    "Tập thể/Cá nhân",
    "Họ tên",
    "Chức vụ",
    "Năm",
    "Cấp",
    "Lĩnh vực",
    "Tên mô hình",
    "Đối tượng tác động",
    "Mục tiêu",
    "Ngày bắt đầu",
    "Ngày kết thúc",
    "Nhãn",
]
LABEL = "Kỷ niệm 70 năm Giải phóng Thủ đô"


@pytest.fixture
def movement(tree, superuser):
    movement = services.create_movement(
        actor=superuser,
        organizer=tree["city"],
        code="dvk",
        name="Dân vận khéo",
        start_year=2021,
        completion="reported",
    )
    services.open_registration(
        actor=superuser,
        movement=movement,
        year=2025,
        opens_on=dt.date(2025, 1, 1),
        closes_on=dt.date(2025, 3, 31),
    )
    services.add_label(actor=superuser, movement=movement, name=LABEL)
    return movement


def xlsx_file(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_file(header, rows, *, delimiter=",", bom=True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for values in rows:
        writer.writerow([v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in values])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def row(unit="bd-du", title="Chợ văn minh", *, kind="Tập thể", name="", position="", **kw):
    values = {
        "year": 2025,
        "level": "Cấp xã",
        "field": "Kinh tế",
        "target": "Tiểu thương",
        "goals": "100% hộ cam kết",
        "start": dt.datetime(2025, 3, 1),
        "end": "31/12/2025",
        "labels": "",
    } | kw
    return [
        unit,
        kind,
        name,
        position,
        values["year"],
        values["level"],
        values["field"],
        title,
        values["target"],
        values["goals"],
        values["start"],
        values["end"],
        values["labels"],
    ]


def audit_count() -> int:
    return AuditEvent.objects.filter(action="emulation.register_model").count()


def written() -> tuple[int, int, int]:
    return MovementModel.objects.count(), Registration.objects.count(), audit_count()


# Exports -------------------------------------------------------------------------------


def test_export_table_xlsx_types_header_and_diacritics():
    content, content_type, filename = eio.export_table(
        headers=["Tên", "Ngày", "Điểm", "Số lượng", "Nhân rộng"],
        rows=[
            [
                "Mô hình “Dân vận khéo” ở phường Đống Đa",
                dt.date(2025, 3, 1),
                Decimal("87.5"),
                3,
                True,
            ],
            ["=HYPERLINK(1)", None, None, 0, False],
        ],
        fmt="xlsx",
        filename="Báo cáo mô hình",
    )
    assert content_type == XLSX_TYPE
    assert filename == "bao-cao-mo-hinh.xlsx"
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ["Tên", "Ngày", "Điểm", "Số lượng", "Nhân rộng"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].value == "Mô hình “Dân vận khéo” ở phường Đống Đa"
    assert sheet["B2"].value == dt.datetime(2025, 3, 1)
    assert sheet["B2"].is_date
    assert sheet["C2"].value == 87.5
    assert sheet["D2"].value == 3
    assert sheet["A3"].data_type == "s"  # text, never run as a formula
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["D"].width


def test_export_table_csv_has_bom_commas_and_dates():
    content, content_type, filename = eio.export_table(
        headers=["Tên", "Ngày", "Điểm"],
        rows=[
            ["Hội Phụ nữ, phường Ba Đình", dt.date(2025, 3, 1), Decimal("9.25")],
            ["+cmd", None, 1],
        ],
        fmt="csv",
        filename="export.csv",
    )
    assert content_type.startswith("text/csv")
    assert filename == "export.csv"
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [
        ["Tên", "Ngày", "Điểm"],
        ["Hội Phụ nữ, phường Ba Đình", "01/03/2025", "9.25"],
        ["'+cmd", "", "1"],
    ]


def test_export_unknown_format_is_a_domain_error():
    with pytest.raises(DomainError):
        eio.export_table(headers=["a"], rows=[], fmt="pdf", filename="x")


@pytest.fixture
def some_models(movement, alice, tree, superuser):
    first = services.register_model(
        actor=alice,
        movement=movement,
        data=services.RegistrationIn(
            year=2025,
            level_code="commune",
            unit=tree["union"],
            title="Tổ phụ nữ tiết kiệm",
            field_code="economy",
            kind="individual",
            person_name="Nguyễn Thị Hoà",
            person_position="Chủ tịch Hội",
        ),
        today=TODAY,
    )
    second = services.register_model(
        actor=alice,
        movement=movement,
        data=services.RegistrationIn(
            year=2025,
            level_code="commune",
            unit=tree["ward"],
            title="Phố đi bộ văn minh",
            field_code="culture-society",
        ),
        today=TODAY,
    )
    complete_model(actor=alice, model=second, on=dt.date(2025, 6, 1))
    return first, second


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_models(some_models, alice, movement, fmt):
    content, _type, filename = eio.export_models(queries.models(alice, movement=movement), fmt)
    assert filename.endswith("." + fmt)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header, *data = rows
    assert len(header) == len(eio.MODEL_EXPORT_HEADERS)
    assert len(data) == 2
    by_title = {r[0]: r for r in data}
    individual = by_title["Tổ phụ nữ tiết kiệm"]
    assert "Hội Liên hiệp Phụ nữ phường Ba Đình" in individual
    assert "Nguyễn Thị Hoà" in individual and "Chủ tịch Hội" in individual
    completed = by_title["Phố đi bộ văn minh"]
    assert "Đảng ủy phường Ba Đình" in completed
    expected_day = dt.datetime(2025, 6, 1) if fmt == "xlsx" else "01/06/2025"
    assert expected_day in completed
    year = 2025 if fmt == "xlsx" else "2025"
    assert completed[header.index(str(eio.MODEL_EXPORT_HEADERS[8]))] == year


def test_export_models_shows_only_the_given_queryset(some_models, movement, tree):
    outsider = UserFactory(username="dung")
    grant(outsider, "organization_officer", tree["other"])
    content, *_rest = eio.export_models(queries.models(outsider, movement=movement), "csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 1  # the header only


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_dashboard(some_models, alice, movement, fmt):
    board = queries.dashboard(alice, movement=movement, year=2025)
    content, _type, filename = eio.export_dashboard(board, fmt)
    assert filename == f"dashboard-dvk-2025.{fmt}"
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(content))
        assert len(workbook.worksheets) == 3
        by_level = [list(r) for r in workbook.worksheets[1].iter_rows(values_only=True)]
        by_unit = [list(r) for r in workbook.worksheets[2].iter_rows(values_only=True)]
        assert by_level[1][:3] == ["Cấp xã", 2, 1]
        assert by_unit[1][:4] == ["Thành ủy Hà Nội", "hn-tu", 2, 1]
    else:
        text = content.decode("utf-8-sig")
        assert "Cấp xã,2,1" in text
        assert "Thành ủy Hà Nội,hn-tu,2,1" in text
        assert "Dân vận khéo" in text


# Import: the happy path ---------------------------------------------------------------


def test_clean_xlsx_import_creates_every_row_once(movement, alice, tree):
    rows = [
        row("bd-du", "Chợ văn minh", labels="kỷ niệm 70 năm giải phóng thủ đô"),
        row(
            "BD-HLHPN",
            "Tổ phụ nữ tiết kiệm",
            kind="Cá nhân",
            name="Lê Thị Mai",
            position="Chi hội trưởng",
        ),
        row("bd-hlhpn", "Nhà nhân ái", level="district", field="culture-society"),
        row(
            "bd-du",
            "Camera an ninh",
            kind="",
            level="Cấp huyện",
            field="Quốc phòng – an ninh",
            start="02/01/2025",
            end=None,
        ),
    ]
    content = xlsx_file(HEADER_VI, rows)
    before = written()

    preview = eio.preview_import(
        actor=alice, movement=movement, file_name="dang-ky.xlsx", content=content, today=TODAY
    )
    assert preview.is_clean, preview.errors
    assert (preview.total, preview.ok_rows, preview.error_rows) == (4, 4, 0)
    assert written() == before  # the preview wrote nothing

    result = eio.run_import(
        actor=alice, movement=movement, file_name="dang-ky.xlsx", content=content, today=TODAY
    )
    assert result.created == 4
    # One audit event for the import (services.register_models), not one per row.
    assert written() == (before[0] + 4, before[1] + 4, before[2])
    assert AuditEvent.objects.filter(action="emulation.import_models").count() == 1
    chợ = MovementModel.objects.get(title="Chợ văn minh")
    assert chợ.unit == tree["ward"]
    assert chợ.start_date == dt.date(2025, 3, 1) and chợ.end_date == dt.date(2025, 12, 31)
    assert [label.name for label in chợ.labels.all()] == [LABEL]
    cá_nhân = MovementModel.objects.get(title="Tổ phụ nữ tiết kiệm").registration
    assert (cá_nhân.kind, cá_nhân.person_name, cá_nhân.person_position) == (
        "individual",
        "Lê Thị Mai",
        "Chi hội trưởng",
    )
    assert MovementModel.objects.get(title="Nhà nhân ái").level.code == "district"
    camera = MovementModel.objects.get(title="Camera an ninh")
    assert camera.field.code == "defence-security"
    assert camera.registration.kind == "collective"
    assert camera.start_date == dt.date(2025, 1, 2) and camera.end_date is None


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_clean_csv_import_with_english_headers(movement, alice, delimiter):
    header = [
        "Unit code",
        "Kind",
        "Person name",
        "Position",
        "YEAR",
        "level code",
        "Field",
        "Title",
    ]
    rows = [
        ["bd-du", "collective", "", "", "2025", "commune", "economy", "Đường hoa nông thôn"],
        [
            "bd-hlhpn",
            "individual",
            "Phạm Văn Đức",
            "Cán bộ",
            "2025",
            "commune",
            "economy",
            "Vườn rau sạch",
        ],
    ]
    content = csv_file(header, rows, delimiter=delimiter, bom=delimiter == ",")
    result = eio.run_import(
        actor=alice, movement=movement, file_name="dang-ky.csv", content=content, today=TODAY
    )
    assert result.created == 2
    assert set(MovementModel.objects.values_list("title", flat=True)) == {
        "Đường hoa nông thôn",
        "Vườn rau sạch",
    }


# Import: bad rows ---------------------------------------------------------------------


def test_every_bad_row_is_reported_and_nothing_is_written(movement, alice, tree):
    services.register_model(
        actor=alice,
        movement=movement,
        data=services.RegistrationIn(
            year=2025,
            level_code="commune",
            unit=tree["ward"],
            title="Chợ văn minh",
            field_code="economy",
        ),
        today=TODAY,
    )
    rows = [
        row("bd-du", "Mô hình tốt"),  # 2: fine
        row("khong-co", "Đơn vị lạ"),  # 3: unknown unit
        row("other-du", "Ngoài phạm vi"),  # 4: a unit alice cannot see
        row("bd-du", "Ngày sai", start="31/02/2025"),  # 5: bad date
        row("bd-du", "Cấp lạ", level="cap-thon"),  # 6: unknown level
        row("bd-du", "Chợ văn minh"),  # 7: already registered
        row("bd-hlhpn", "Mô hình tốt 2", year=2026),  # 8: no window for 2026
        row("bd-du", ""),  # 9: no title
        row("bd-du", "mô hình TỐT"),  # 10: same as row 2
        row("bd-hlhpn", "Nhãn lạ", labels="Không có nhãn này"),  # 11: unknown label
        row("bd-hlhpn", "Cá nhân thiếu tên", kind="Cá nhân"),  # 12: individual without a name
        row("bd-hlhpn", "Năm chữ", year="hai nghìn"),  # 13: year not a number
    ]
    content = xlsx_file(HEADER_VI, rows)
    before = written()

    preview = eio.preview_import(
        actor=alice, movement=movement, file_name="x.xlsx", content=content, today=TODAY
    )
    errors = {(e["row"], e["field"]) for e in preview.errors}
    assert errors == {
        (3, "unit"),
        (4, "unit"),
        (5, "start_date"),
        (6, "level"),
        (7, "title"),
        (8, "year"),
        (9, "title"),
        (10, "title"),
        (11, "labels"),
        (12, "person_name"),
        (13, "year"),
    }
    assert (preview.total, preview.ok_rows, preview.error_rows) == (12, 1, 11)
    assert preview.duplicates == [{"row": 10, "duplicate_of": 2}]
    assert all(e["message"] for e in preview.errors)
    messages = {e["row"]: e["message"] for e in preview.errors}
    # The unit alice cannot see reads like one that does not exist.
    assert messages[3].replace("khong-co", "X") == messages[4].replace("other-du", "X")
    assert "31/02/2025" in messages[5]
    assert written() == before

    with pytest.raises(eio.ImportRejected) as caught:
        eio.run_import(
            actor=alice, movement=movement, file_name="x.xlsx", content=content, today=TODAY
        )
    assert {(e["row"], e["field"]) for e in caught.value.errors} == errors
    assert caught.value.as_dict()["errors"] == caught.value.errors
    assert written() == before  # the good row 2 was not kept either


def test_outside_the_registration_window(movement, alice):
    content = xlsx_file(HEADER_VI, [row("bd-du", "Mô hình muộn")])
    preview = eio.preview_import(
        actor=alice,
        movement=movement,
        file_name="x.xlsx",
        content=content,
        today=dt.date(2025, 4, 1),
    )
    assert [(e["row"], e["field"]) for e in preview.errors] == [(2, "year")]


def test_visible_unit_without_the_right_to_register(movement, bob):
    content = xlsx_file(HEADER_VI, [row("bd-hlhpn", "Mô hình")])
    preview = eio.preview_import(
        actor=bob, movement=movement, file_name="x.xlsx", content=content, today=TODAY
    )
    assert [(e["row"], e["field"]) for e in preview.errors] == [(2, "unit")]
    with pytest.raises(eio.ImportRejected):
        eio.run_import(
            actor=bob, movement=movement, file_name="x.xlsx", content=content, today=TODAY
        )
    assert MovementModel.objects.count() == 0


def test_organization_officer_imports_only_for_their_unit(movement, tree):
    officer = UserFactory(username="lan")
    grant(officer, "organization_officer", tree["union"])
    content = csv_file(HEADER_VI, [row("bd-hlhpn", "Của hội"), row("bd-du", "Của đảng ủy")])
    preview = eio.preview_import(
        actor=officer, movement=movement, file_name="x.csv", content=content, today=TODAY
    )
    assert [(e["row"], e["field"]) for e in preview.errors] == [(3, "unit")]
    assert preview.rows[0].ok


# Import: malformed files --------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "content"),
    [
        ("x.xlsx", b""),
        ("x.xlsx", b"PK\x03\x04 not really a zip"),
        ("x.xls", b"\xd0\xcf\x11\xe0"),
        ("x.pdf", b"%PDF-1.4"),
        ("x.csv", "Mã đơn vị;Năm".encode("utf-16")),
        ("x.csv", b"\n\n  \n"),
    ],
    ids=["empty", "broken-xlsx", "old-xls", "pdf", "not-utf8", "blank"],
)
def test_malformed_files_are_rejected(movement, alice, file_name, content):
    with pytest.raises(eio.ImportFileError):
        eio.preview_import(actor=alice, movement=movement, file_name=file_name, content=content)


def test_header_problems_are_rejected(movement, alice):
    def check(header, rows, words):
        with pytest.raises(eio.ImportFileError) as caught:
            eio.run_import(
                actor=alice,
                movement=movement,
                file_name="x.xlsx",
                content=xlsx_file(header, rows),
                today=TODAY,
            )
        for word in words:
            assert word in str(caught.value.message)

    check([*HEADER_VI, "Ghi chú"], [row()], ["Ghi chú"])  # unknown column
    check(HEADER_VI[:7], [row()[:7]], [eio.column_label("title")])  # the title column is missing
    check([*HEADER_VI, "Tên mô hình"], [row()], ["Tên mô hình"])  # twice
    check(HEADER_VI, [], [])  # a header and no rows
    check(["bd-du", "2025"], [], ["bd-du"])  # no header at all: data in its place


def test_too_many_rows(movement, alice, monkeypatch):
    monkeypatch.setattr(tables, "MAX_IMPORT_ROWS", 3)
    content = csv_file(HEADER_VI, [row(title=f"Mô hình {i}") for i in range(4)])
    with pytest.raises(eio.ImportFileError):
        eio.preview_import(actor=alice, movement=movement, file_name="x.csv", content=content)
    ok = csv_file(HEADER_VI, [row(title=f"Mô hình {i}") for i in range(3)])
    assert eio.preview_import(
        actor=alice, movement=movement, file_name="x.csv", content=ok, today=TODAY
    ).is_clean


def test_blank_rows_are_skipped_and_numbers_stay_the_sheets(movement, alice):
    content = xlsx_file(HEADER_VI, [row(title="Một"), [None] * 13, row(unit="khong-co")])
    preview = eio.preview_import(
        actor=alice, movement=movement, file_name="x.xlsx", content=content, today=TODAY
    )
    assert preview.total == 2
    assert [(e["row"], e["field"]) for e in preview.errors] == [(4, "unit")]


def test_import_template_has_every_column(alice):
    content, _type, filename = eio.import_template("xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    assert len(header) == len(eio.IMPORT_COLUMNS)
    assert filename == "registrations-template.xlsx"


def test_blank_level_and_field_are_required(movement, alice):
    content = xlsx_file(HEADER_VI, [row(level="", field=None)])
    preview = eio.preview_import(
        actor=alice, movement=movement, file_name="x.xlsx", content=content, today=TODAY
    )
    assert sorted((e["row"], e["field"]) for e in preview.errors) == [(2, "field"), (2, "level")]


def test_the_template_reads_back(movement, alice):
    template, _type, _name = eio.import_template("csv")
    header = next(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    content = csv_file(header, [row("bd-hlhpn", "Theo mẫu")])
    result = eio.run_import(
        actor=alice, movement=movement, file_name="mau.csv", content=content, today=TODAY
    )
    assert result.created == 1
    assert result.as_dict() == {"created": 1, "models": [result.models[0].pk]}
