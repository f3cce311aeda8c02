"""Services: generate (in the background), edit, issue — happy path, permission edge, bad
input with nothing written, audit, versions with their SHA-256."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django_tasks_db.models import DBTaskResult

from danvan.audit.models import AuditEvent
from danvan.core.errors import Conflict
from danvan.reports import services
from danvan.reports.errors import ReportsError
from danvan.reports.models import JobState, PeriodReport, ReportSection, ReportState, ReportVersion
from danvan.reports.tasks import collect_sections

pytestmark = pytest.mark.django_db


def _state() -> tuple:
    return (
        PeriodReport.objects.count(),
        ReportSection.objects.count(),
        ReportVersion.objects.count(),
        AuditEvent.objects.filter(action__startswith="reports.").count(),
    )


def test_generating_collects_each_apps_section_in_the_background(
    units, officer, petitions, generate
):
    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    assert (report.job_state, report.progress, report.state) == (
        JobState.DONE,
        100,
        ReportState.DRAFT,
    )
    assert report.subject == units["committee"]
    # A People's Committee counts Q1 from 15 December to 14 March (Decree 09/2019, Art. 12).
    assert (report.start, report.end) == (dt.date(2025, 12, 15), dt.date(2026, 3, 14))
    assert report.cutoff_rule.citation.startswith("Nghị định 09/2019/NĐ-CP, Điều 12")
    assert report.issuer == "Ủy ban nhân dân\nPhường Ba Đình" and report.abbreviation == "UBND"
    assert report.place == "Ba Đình" and report.document_format == "state"
    voices = report.sections.get(key="voices")
    kinds = next(t for t in voices.tables if len(t["rows"]) == 3)
    assert [row[1] for row in kinds["rows"]] == [3, 2, 1]
    actions = list(
        AuditEvent.objects.filter(action__startswith="reports.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["reports.generate", "reports.collect"]


def test_a_commission_reports_on_its_party_committees_subtree(units, officer, petitions, generate):
    report = generate(actor=officer, unit=units["commission"], period="2026-q1")
    assert report.subject == units["city"]
    assert (report.superior, report.issuer, report.abbreviation) == (
        "Thành ủy Hà Nội",
        "Ban Dân vận",
        "BDVTU",
    )
    kinds = next(t for t in report.sections.get(key="voices").tables if len(t["rows"]) == 3)
    assert [row[1] for row in kinds["rows"]] == [4, 2, 1]


def test_generation_is_queued_after_the_commit(
    settings, units, officer, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        report = services.generate_report(actor=officer, unit=units["committee"], period="2026-q1")
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "danvan.reports.tasks.collect_sections"
    assert queued.args_kwargs["args"] == [report.pk]
    report.refresh_from_db()
    assert report.job_state == JobState.QUEUED and not report.sections.exists()
    # The worker runs it; running it twice changes nothing.
    assert collect_sections.call(report.pk) == "done"
    first = list(report.sections.values_list("pk", flat=True))
    assert collect_sections.call(report.pk) == "skipped"
    assert list(report.sections.values_list("pk", flat=True)) == first


@pytest.mark.parametrize("who", ["viewer", "ward_officer"])
def test_only_holders_of_reports_issue_on_the_unit_generate(units, request, who):
    user = request.getfixturevalue(who)
    before = _state()
    with pytest.raises(PermissionDenied):
        services.generate_report(actor=user, unit=units["committee"], period="2026-q1")
    assert _state() == before


@pytest.mark.parametrize("period", ["2026-q5", "2026-h3", "q1-2026", "", "2099", "1999-q1"])
def test_a_period_that_does_not_exist_writes_nothing(units, officer, period):
    before = _state()
    with pytest.raises(ReportsError) as error:
        services.generate_report(actor=officer, unit=units["committee"], period=period)
    assert error.value.field == "period" and str(error.value.message)
    assert _state() == before


def test_one_report_per_unit_and_period(units, officer, generate):
    generate(actor=officer, unit=units["committee"], period="2026-q1")
    before = _state()
    with pytest.raises(Conflict):
        services.generate_report(actor=officer, unit=units["committee"], period="2026-Q1")
    assert _state() == before


def test_editing_the_narrative(units, officer, viewer, generate):
    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    section = report.sections.get(key="assessment")
    services.update_section(
        actor=officer, section=section, paragraphs=["  Đánh giá chung. ", "", "Hạn chế."]
    )
    section.refresh_from_db()
    assert section.paragraphs == ["Đánh giá chung.", "Hạn chế."]
    event = AuditEvent.objects.filter(action="reports.edit_section").get()
    assert event.changes["section:assessment"][1] == ["Đánh giá chung.", "Hạn chế."]

    before = (_state(), section.paragraphs)
    with pytest.raises(PermissionDenied):
        services.update_section(actor=viewer, section=section, paragraphs=["x"])
    with pytest.raises(ReportsError) as error:
        services.update_section(actor=officer, section=section, paragraphs=["x" * 5001])
    assert error.value.field == "paragraphs"
    with pytest.raises(ReportsError):
        services.update_section(actor=officer, section=section, paragraphs=["x"] * 41)
    section.refresh_from_db()
    assert (_state(), section.paragraphs) == before


def test_details_are_checked(units, officer, generate):
    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    services.update_details(
        actor=officer, report=report, signer_name="Nguyễn Văn An", date=dt.date(2026, 4, 5)
    )
    report.refresh_from_db()
    assert (report.signer_name, report.date) == ("Nguyễn Văn An", dt.date(2026, 4, 5))
    before = _state()
    for bad in (
        {"date": dt.date(2025, 12, 1)},
        {"title": "  "},
        {"number": "1"},
        {"abbreviation": "x" * 31},
    ):
        with pytest.raises(ReportsError):
            services.update_details(actor=officer, report=report, **bad)
    report.refresh_from_db()
    assert _state() == before and report.date == dt.date(2026, 4, 5)


def _sha(field) -> str:
    field.open("rb")
    try:
        return hashlib.sha256(field.read()).hexdigest()
    finally:
        field.close()


def test_issuing_freezes_versions(units, officer, viewer, generate, media):
    report = generate(actor=officer, unit=units["commission"], period="2026-q1")
    with pytest.raises(PermissionDenied):
        services.issue_report(actor=viewer, report=report)

    v1 = services.issue_report(actor=officer, report=report)
    report.refresh_from_db()
    assert (report.state, report.number, v1.number) == (ReportState.ISSUED, "Số 1-BC/BDVTU", 1)
    for ext in ("docx", "xlsx", "pdf"):
        stored = getattr(v1, ext)
        assert stored.name.startswith(f"reports/{report.pk}/v1/")
        assert (media / stored.name).is_file()
        assert _sha(stored) == getattr(v1, f"{ext}_sha256")
    assert v1.content["number"] == "Số 1-BC/BDVTU"
    with pytest.raises(Conflict):
        services.issue_report(actor=officer, report=report)

    # A later edit makes a draft of version 2; version 1 stays as issued.
    section = report.sections.get(key="next")
    services.update_section(actor=officer, section=section, paragraphs=["Nhiệm vụ quý II."])
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    v2 = services.issue_report(actor=officer, report=report)
    report.refresh_from_db()
    assert (v2.number, report.number, report.state) == (2, "Số 1-BC/BDVTU", ReportState.ISSUED)
    v1.refresh_from_db()
    assert _sha(v1.pdf) == v1.pdf_sha256 and v1.pdf_sha256 != v2.pdf_sha256
    assert "Nhiệm vụ quý II." not in str(v1.content) and "Nhiệm vụ quý II." in str(v2.content)
    issued = AuditEvent.objects.filter(action="reports.issue").order_by("pk")
    assert [e.changes["version"][1] for e in issued] == [1, 2]
    assert issued[1].changes["pdf_sha256"][1] == v2.pdf_sha256

    # The unit's next report of the year takes the next number.
    q2 = generate(actor=officer, unit=units["commission"], period="2026-q2")
    services.issue_report(actor=officer, report=q2)
    q2.refresh_from_db()
    assert q2.number == "Số 2-BC/BDVTU"


def test_nothing_is_issued_while_figures_are_collected(settings, units, officer):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    report = services.generate_report(actor=officer, unit=units["committee"], period="2026-q1")
    with pytest.raises(Conflict):
        services.issue_report(actor=officer, report=report)
    assert not ReportVersion.objects.exists()


def test_a_failed_collection_can_be_tried_again(units, officer, petitions, monkeypatch):
    from danvan.voices import panels as voices_panels

    working = voices_panels.report_section

    def broken(scope):
        raise RuntimeError("boom")

    monkeypatch.setattr(voices_panels, "report_section", broken)
    with pytest.raises(RuntimeError):
        services.generate_report(
            actor=officer, unit=units["committee"], period="2026-q1", run_now=True
        )
    report = PeriodReport.objects.get()
    assert report.job_state == JobState.FAILED and "boom" in report.job_error
    assert not report.sections.exists()
    with pytest.raises(Conflict):
        services.issue_report(actor=officer, report=report)

    monkeypatch.setattr(voices_panels, "report_section", working)
    again = services.generate_report(
        actor=officer, unit=units["committee"], period="2026-q1", run_now=True
    )
    assert again.pk == report.pk and again.job_state == JobState.DONE
    assert again.sections.filter(key="voices").exists()
    assert AuditEvent.objects.filter(action="reports.retry").count() == 1
