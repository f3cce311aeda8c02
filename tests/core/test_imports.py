"""core.imports: the column mapping, row errors, preview/all-or-nothing and the kept upload."""

import datetime as dt
import hashlib

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from danvan.core import imports
from danvan.core.errors import DomainError
from danvan.core.tables import ImportFileError, read_rows


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


COLUMNS = [
    ("code", "Household code", ("ma ho", "code")),
    ("name", "Name", ("ho ten",)),
    ("on", "Date", ("ngay",)),
]


# Columns ----------------------------------------------------------------------------------


def test_headers_match_by_label_or_alias_ignoring_case_and_diacritics():
    mapped = imports.map_columns(["Mã hộ", "", "HỌ TÊN", "date"], COLUMNS, ("code",))
    assert mapped == {0: "code", 2: "name", 3: "on"}


def test_unknown_and_repeated_headers_are_named():
    with pytest.raises(ImportFileError) as caught:
        imports.map_columns(["code", "colour", "---"], COLUMNS)
    assert "colour" in caught.value.message and "Household code, Name, Date" in caught.value.message
    with pytest.raises(ImportFileError) as caught:
        imports.map_columns(["code", "Mã hộ"], COLUMNS)
    assert "appear twice" in caught.value.message and "Mã hộ" in caught.value.message


def test_missing_required_columns_are_listed_in_order():
    with pytest.raises(imports.MissingColumns) as caught:
        imports.map_columns(["ho ten"], COLUMNS, ("on", "code"))
    assert caught.value.missing == ["on", "code"]
    assert caught.value.field == "file" and "Date, Household code" in caught.value.message


def test_not_strict_ignores_unknown_columns_and_keeps_the_first_of_two():
    mapped = imports.map_columns(["colour", "code", "ma ho"], COLUMNS, ("code",), strict=False)
    assert mapped == {1: "code"}


def test_raw_rows_fill_short_rows_with_none():
    data = read_rows("x.csv", b"code,name\nA1,Lan\nA2\n")
    mapped = imports.map_columns(data[0][1], COLUMNS)
    assert imports.raw_rows(data[1:], mapped) == [
        (2, {"code": "A1", "name": "Lan"}),
        (3, {"code": "A2", "name": None}),
    ]


# Rows -------------------------------------------------------------------------------------


def test_row_errors_and_dates():
    row = imports.ImportRow(4)
    assert row.ok and row.date("05/01/2026", "on") == dt.date(2026, 1, 5)
    assert row.date("", "on") is None and row.ok
    assert row.date("tomorrow", "on") is None
    assert row.errors == [
        {"row": 4, "field": "on", "message": "Not a date: tomorrow. Enter it as dd/mm/yyyy."}
    ]
    preview = imports.ImportPreview(rows=[row, imports.ImportRow(5)])
    assert (preview.total, preview.ok_rows, preview.error_rows, preview.is_clean) == (
        2,
        1,
        1,
        False,
    )
    assert not imports.ImportPreview(rows=[]).is_clean
    assert imports.error_rows(row.errors, {"on": "Date"}.get)[0]["column"] == "Date"


def test_rejected_counts_rows_not_errors():
    errors = [{"row": 2, "field": "a", "message": "x"}, {"row": 2, "field": "b", "message": "y"}]
    exc = imports.ImportRejected(errors)
    assert exc.message == "1 rows have errors; nothing was imported."
    assert exc.as_dict()["errors"] == errors and exc.code == "import_rejected"


# Checking and writing ---------------------------------------------------------------------


def _write(row):
    if row.row == 3:
        raise DomainError("Bad name", field="name")
    if row.row == 4:
        raise PermissionDenied
    return Group.objects.create(name=f"g{row.row}")


@pytest.mark.django_db
def test_preview_writes_nothing_and_collects_every_error():
    rows = [imports.ImportRow(n) for n in (2, 3, 4, 5)]
    rows[3].error("code", "Empty")
    with imports.rolled_back():
        created = imports.write_rows(rows, _write, keep=False, denied=("unit", "Not yours"))
    assert created == [] and not Group.objects.exists()
    assert [(e["row"], e["field"], e["message"]) for r in rows for e in r.errors] == [
        (3, "name", "Bad name"),
        (4, "unit", "Not yours"),
        (5, "code", "Empty"),
    ]


@pytest.mark.django_db
def test_run_keeps_all_rows_or_none():
    good = [imports.ImportRow(2), imports.ImportRow(5)]
    created = imports.all_or_nothing(
        good, lambda: imports.write_rows(good, _write, keep=True, denied=("unit", "no"))
    )
    assert [g.name for g in created] == ["g2", "g5"]
    mixed = [imports.ImportRow(6), imports.ImportRow(3)]
    with pytest.raises(imports.ImportRejected) as caught:
        imports.all_or_nothing(
            mixed, lambda: imports.write_rows(mixed, _write, keep=True, denied=("unit", "no"))
        )
    assert caught.value.errors == [{"row": 3, "field": "name", "message": "Bad name"}]
    assert sorted(Group.objects.values_list("name", flat=True)) == ["g2", "g5"]


@pytest.mark.django_db
def test_check_runs_before_each_row_is_written():
    rows = [imports.ImportRow(2), imports.ImportRow(7)]

    def check(row):
        if row.row == 7:
            row.error("code", "Twice")

    created = imports.write_rows(rows, _write, keep=True, check=check, denied=("unit", "no"))
    assert [g.name for g in created] == ["g2"] and rows[1].errors[0]["message"] == "Twice"


# The kept upload ---------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _request(method="get", session=None, **data):
    factory = RequestFactory()
    request = getattr(factory, method)("/import/", data)
    request.session = session if session is not None else SessionStore()
    request._messages = FallbackStorage(request)
    return request


UPLOADS = imports.KeptUploads("test_imports", scope_key="thing")


@pytest.mark.django_db
def test_a_kept_upload_comes_back_once_for_its_scope(media):
    request = _request()
    token = UPLOADS.keep(request, "a.csv", b"code\nA1\n", scope=1, rows=1)
    assert UPLOADS.kept(request, token, scope=2) is None
    assert UPLOADS.kept(request, token, scope=1) == ("a.csv", b"code\nA1\n", 1)
    entry = request.session["test_imports"][token]
    assert entry["sha256"] == hashlib.sha256(b"code\nA1\n").hexdigest() and entry["thing"] == 1
    UPLOADS.forget(request, token)
    assert UPLOADS.kept(request, token, scope=1) is None
    assert list((media / "imports").iterdir()) == []


@pytest.mark.django_db
def test_a_changed_stale_or_forged_upload_is_refused(media):
    request = _request()
    token = UPLOADS.keep(request, "a.csv", b"one", scope=1)
    next((media / "imports").iterdir()).write_bytes(b"two")
    assert UPLOADS.kept(request, token, scope=1) is None
    token = UPLOADS.keep(request, "a.csv", b"one", scope=1)
    request.session["test_imports"][token]["at"] -= UPLOADS.keep_seconds + 1
    assert UPLOADS.kept(request, token, scope=1) is None
    for forged in ("", "../etc/passwd", "x" * 65):
        assert UPLOADS.kept(request, forged, scope=1) is None


@pytest.mark.django_db
def test_a_new_upload_replaces_the_scopes_own_only(media):
    request = _request()
    first = UPLOADS.keep(request, "a.csv", b"one", scope=1)
    other = UPLOADS.keep(request, "b.csv", b"two", scope=2)
    second = UPLOADS.keep(request, "c.csv", b"three", scope=1)
    assert UPLOADS.kept(request, first, scope=1) is None
    assert UPLOADS.kept(request, other, scope=2) == ("b.csv", b"two", 0)
    assert UPLOADS.kept(request, second, scope=1) == ("c.csv", b"three", 0)


def _page(**context):
    response = HttpResponse("page")
    response.context = context
    return response


@pytest.mark.django_db
def test_check_then_confirm(media):
    flow = imports.KeptUploads("flow_imports")
    assert flow.check(_request(), page=_page, preview=None, label=str).context == {}
    request = _request("post")
    assert flow.check(request, page=_page, preview=None, label=str).context == {
        "file_error": "Choose a file to upload."
    }

    def preview(file_name, content):
        row = imports.ImportRow(2)
        if b"bad" in content:
            row.error("code", "Bad")
        return imports.ImportPreview(rows=[row])

    upload = SimpleUploadedFile("h.csv", b"code\nbad\n")
    request = _request("post", file=upload)
    context = flow.check(request, page=_page, preview=preview, label={"code": "Code"}.get).context
    assert context["token"] == "" and context["errors"][0]["column"] == "Code"

    session = SessionStore()
    request = _request("post", session, file=SimpleUploadedFile("h.csv", b"code\nA1\n"))
    token = flow.check(request, page=_page, preview=preview, label=str).context["token"]
    assert token

    done = []
    request = _request("post", session, token=token)
    response = flow.confirm(
        request,
        page=_page,
        run=lambda name, content: [name, content],
        done=lambda name, result: done.append(result) or HttpResponse("done"),
        label=str,
        retry_url="/import/",
    )
    assert response.content == b"done" and done == [["h.csv", b"code\nA1\n"]]
    request = _request("post", session, token=token)
    response = flow.confirm(
        request, page=_page, run=None, done=None, label=str, retry_url="/import/"
    )
    assert response.status_code == 302 and response["Location"] == "/import/"


@pytest.mark.django_db
def test_confirm_shows_rows_that_broke_a_rule_since_the_check(media):
    flow = imports.KeptUploads("flow_imports")
    request = _request("post")
    token = flow.keep(request, "h.csv", b"code\nA1\n")

    def run(file_name, content):
        raise imports.ImportRejected([{"row": 2, "field": "code", "message": "Taken"}])

    request = _request("post", request.session, token=token)
    context = flow.confirm(
        request, page=_page, run=run, done=None, label={"code": "Code"}.get, retry_url="/"
    ).context
    assert context["rejected"].startswith("1 rows") and context["errors"][0]["column"] == "Code"
    assert flow.kept(request, token) is None


def test_form_context_lists_columns_and_limits():
    context = imports.form_context(COLUMNS, {"code"})
    assert context["columns"] == [("Household code", True), ("Name", False), ("Date", False)]
    assert context["max_rows"] == 5000 and context["max_mb"] == 10
