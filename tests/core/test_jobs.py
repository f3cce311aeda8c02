"""Lost background runs (core.jobs): every task path with a handler is taken up again
with the same arguments, at most MAX_ATTEMPTS times."""

import datetime as dt

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from danvan.core import jobs
from danvan.voices.tasks import notify_deadlines

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _lose(row):
    row.claim("gone")
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - jobs.lease() - dt.timedelta(seconds=1)
    )


def test_lost_reminders_are_sent_again_then_given_up(django_capture_on_commit_callbacks):
    notify_deadlines.enqueue("2026-12-02")
    for _attempt in range(jobs.MAX_ATTEMPTS):
        _lose(DBTaskResult.objects.get(status=TaskResultStatus.READY))
        with django_capture_on_commit_callbacks(execute=True):
            assert jobs.recover() == 1
    rows = DBTaskResult.objects.filter(task_path=notify_deadlines.module_path)
    assert rows.filter(exception_class_path=jobs.LOST).count() == jobs.MAX_ATTEMPTS
    # Lost three times: not enqueued a fourth time.
    assert not rows.filter(status=TaskResultStatus.READY).exists()
    assert {tuple(r.args_kwargs["args"]) for r in rows} == {("2026-12-02",)}
