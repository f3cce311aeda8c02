"""django-tasks-db's worker, which also recovers tasks lost by a worker that died: when it
starts and every few minutes while it runs (danvan.core.jobs). Same options as the
original; this command shadows it because `danvan.core` comes before `django_tasks_db`
in INSTALLED_APPS."""

import threading

from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from danvan.core import jobs
from danvan.core.keys import require_readable


def _watch(stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        try:
            close_old_connections()
            jobs.recover()
        except Exception:  # a failed check must never stop the worker; logged, next round
            jobs.log.exception("recovering lost tasks failed")
        finally:
            connection.close()


class Command(db_worker.Command):
    help = (
        "Run the task worker (django-tasks-db); tasks left running by a worker that died "
        "are recovered when it starts and every few minutes."
    )

    def handle(self, *args, **options):
        require_readable()  # a worker must not encrypt with a key the old rows do not use
        jobs.recover()
        stop = threading.Event()
        if not options.get("batch"):
            every = max(jobs.lease().total_seconds() / 3, 10)
            threading.Thread(target=_watch, args=(stop, every), daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
