"""Background tasks whose worker died are recovered, not left running forever.

django-tasks-db marks a task RUNNING when a worker claims it; if that worker is killed
(kill -9, a crash, the machine restarting) the row stays RUNNING and no worker looks at
it again. A task RUNNING for longer than the lease (DANVAN_TASK_LEASE_MINUTES) is taken
as lost: it is marked failed ("WorkerLost") and its app decides what follows — take it up
again (up to MAX_ATTEMPTS times; every task here is idempotent) or mark its record failed
so the owner sees what happened and can retry. Workers run `recover` when they start and
every few minutes while they run (core's `db_worker` command)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
LOST = "danvan.core.jobs.WorkerLost"

# task path -> what to do when one of its runs is lost: handler(result, attempts)
_ON_LOST: dict[str, Callable[[DBTaskResult, int], None]] = {}


class WorkerLost(Exception):
    """The worker running a task stopped before the task finished."""


def on_lost(task) -> Callable:
    """Register what to do when a run of `task` is lost (decorator)."""

    def register(handler):
        _ON_LOST[task.module_path] = handler
        return handler

    return register


def lease() -> dt.timedelta:
    return dt.timedelta(minutes=settings.TASK_LEASE_MINUTES)


def attempts_lost(result: DBTaskResult) -> int:
    return DBTaskResult.objects.filter(
        task_path=result.task_path, args_kwargs=result.args_kwargs, exception_class_path=LOST
    ).count()


def recover(now: dt.datetime | None = None) -> int:
    """Mark runs older than the lease as lost and hand them to their app. Returns how many."""
    # The apps' `tasks` modules register their handlers when imported.
    autodiscover_modules("tasks")
    now = now or timezone.now()
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - lease()
    )
    recovered = 0
    for result in stale:
        with transaction.atomic():
            # Only if still running: another worker may be recovering it at the same time.
            result.status, result.finished_at = TaskResultStatus.FAILED, now
            result.exception_class_path = LOST
            result.traceback = (
                f"WorkerLost: worker {', '.join(result.worker_ids) or '?'} stopped before "
                f"the task finished (running since {result.started_at:%Y-%m-%d %H:%M:%S})."
            )
            marked = DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING
            ).update(
                status=result.status,
                finished_at=now,
                exception_class_path=LOST,
                traceback=result.traceback,
            )
            if not marked:
                continue
            recovered += 1
            log.warning("task %s (%s) lost by its worker", result.pk, result.task_path)
            handler = _ON_LOST.get(result.task_path)
            if handler is not None:
                handler(result, attempts_lost(result))
    return recovered


def enqueue_again(result: DBTaskResult, attempts: int) -> bool:
    """Run the task again with the same arguments, unless it was lost too often."""
    if attempts >= MAX_ATTEMPTS:
        return False
    task = result.task
    args, kwargs = result.args_kwargs["args"], result.args_kwargs["kwargs"]
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
    return True
