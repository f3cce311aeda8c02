"""Outputs never fail on text already stored: a control character that reached the
database before the entry checks (or through raw SQL) is dropped from exports and
documents, so one bad title does not break the file for everyone who can see it."""

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from danvan.plans import services as plans
from danvan.plans.models import Task
from danvan.reports import documents
from danvan.reports import services as reports
from danvan.reports.models import ReportSection

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_a_task_export_drops_a_stored_control_character(alice, tree, client_for):
    task = plans.create_task(
        actor=alice, owner=tree["ward"], title="Rà soát hộ nghèo", deadline=dt.date(2026, 12, 31)
    )
    # Stored before the check existed: written around the services on purpose. (NUL itself
    # cannot be stored in PostgreSQL at all; other control characters can.)
    Task.objects.filter(pk=task.pk).update(title="Rà soát\x01 hộ nghèo\x1f")
    for fmt in ("xlsx", "csv"):
        response = client_for(alice).get("/plans/tasks/export/", {"format": fmt})
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if fmt == "xlsx":
            sheet = load_workbook(io.BytesIO(body)).active
            titles = [c.value for row in sheet.iter_rows() for c in row]
            assert "Rà soát hộ nghèo" in titles
        else:
            text = body.decode("utf-8-sig")
            assert "Rà soát hộ nghèo" in text and "\x01" not in text and "\x1f" not in text


def test_a_report_with_a_control_character_is_issued(
    alice, tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.generate_report(actor=alice, unit=tree["ward"], period="2026-q1")
    report.refresh_from_db()
    section = report.sections.order_by("position").first()
    ReportSection.objects.filter(pk=section.pk).update(
        paragraphs=["Kết quả\x01 nổi bật\x0b của quý."]
    )
    version = reports.issue_report(actor=alice, report=report)
    doc = Document(io.BytesIO(version.docx.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Kết quả nổi bật của quý." in text
    assert documents.pdf_bytes(documents.content(report)).startswith(b"%PDF")
