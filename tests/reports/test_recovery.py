"""A report whose worker died is taken up again, or offered for retry.

`kill -9` of the worker in the middle of `collect_sections` leaves exactly this: the task
row RUNNING, claimed by a worker that no longer exists, the report RUNNING at 5 %. The
next worker (or the running worker's watch) finds it once the lease has passed."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from danvan.audit.models import AuditEvent
from danvan.core import jobs
from danvan.core.errors import Conflict
from danvan.reports import services
from danvan.reports.models import JobState, PeriodReport
from danvan.reports.tasks import collect_sections

from ..conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Here tasks go to the database, as in production, and a worker runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _killed_mid_collection(officer, unit, django_capture_on_commit_callbacks, minutes=20):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.generate_report(actor=officer, unit=unit, period="2026-q1")
    row = DBTaskResult.objects.get(task_path=collect_sections.module_path)
    row.claim("worker-that-died")
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=minutes)
    )
    PeriodReport.objects.filter(pk=report.pk).update(job_state=JobState.RUNNING, progress=5)
    return report, row


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """The worker runs here in the test's transaction: its habit of closing old connections
    between tasks would close the test's own (on PostgreSQL; SQLite's in-memory one stays).
    The real process, killed and restarted, is tested in tests/processes."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def _worker():
    call_command("db_worker", batch=True, verbosity=0, startup_delay=False)


def test_a_restarted_worker_takes_the_lost_report_up_again(
    units, officer, django_capture_on_commit_callbacks
):
    report, row = _killed_mid_collection(
        officer, units["committee"], django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        _worker()
    row.refresh_from_db()
    assert (row.status, row.exception_class_path) == (TaskResultStatus.FAILED, jobs.LOST)
    assert "worker-that-died" in row.traceback
    # The same task again, run to the end by the new worker.
    again = DBTaskResult.objects.exclude(pk=row.pk).get(task_path=collect_sections.module_path)
    assert again.args_kwargs == row.args_kwargs
    _worker()
    report.refresh_from_db()
    assert (report.job_state, report.progress) == (JobState.DONE, 100)
    assert report.sections.exists()


def test_a_task_inside_its_lease_is_left_alone(units, officer, django_capture_on_commit_callbacks):
    _report, row = _killed_mid_collection(
        officer, units["committee"], django_capture_on_commit_callbacks, minutes=1
    )
    assert jobs.recover() == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING


def test_after_three_losses_the_owner_sees_it_and_retries(
    units, officer, viewer, django_capture_on_commit_callbacks
):
    report, _row = _killed_mid_collection(
        officer, units["committee"], django_capture_on_commit_callbacks
    )
    for _attempt in range(jobs.MAX_ATTEMPTS):
        with django_capture_on_commit_callbacks(execute=True):
            jobs.recover()
        pending = DBTaskResult.objects.filter(status=TaskResultStatus.READY).first()
        if pending is None:
            break
        pending.claim("another-worker-that-died")
        DBTaskResult.objects.filter(pk=pending.pk).update(
            started_at=timezone.now() - dt.timedelta(hours=1)
        )
    report.refresh_from_db()
    assert report.job_state == JobState.FAILED and report.worker_lost, report.job_error
    page = login(officer).get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "đã dừng trước khi hoàn tất" in page
    assert reverse("reports:retry", args=[report.pk]) in page
    # A viewer reads the failure but is offered no retry, and cannot force one.
    seen = login(viewer).get(reverse("reports:report", args=[report.pk])).content.decode()
    assert reverse("reports:retry", args=[report.pk]) not in seen
    assert login(viewer).post(reverse("reports:retry", args=[report.pk])).status_code in (
        302,
        403,
        404,
    )
    report.refresh_from_db()
    assert report.job_state == JobState.FAILED
    # The owner retries: queued again, audited, and a worker finishes it.
    with django_capture_on_commit_callbacks(execute=True):
        response = login(officer).post(reverse("reports:retry", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.job_state, report.job_error) == (JobState.QUEUED, "")
    assert AuditEvent.objects.filter(action="reports.retry", object_id=str(report.pk)).exists()
    _worker()
    report.refresh_from_db()
    assert report.job_state == JobState.DONE


def test_retrying_a_report_that_did_not_fail_is_refused(
    units, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.generate_report(actor=officer, unit=units["committee"], period="2026-q1")
    with pytest.raises(Conflict):
        services.retry_report(actor=officer, report=report)
