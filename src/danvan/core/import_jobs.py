"""Large imports in the background: a checked file of more than IMPORT_IN_BACKGROUND_ROWS
rows is written by the task worker, not in the web request (which a proxy would cut off,
and which would hold a web worker for the whole write). The rule stays all or nothing;
the owner follows the job on its page (rows done so far, then the result, or every row
that broke a rule since the check). A job whose worker died is taken up again
(core/jobs.py), which is safe because nothing of a failed run is kept.

Each app registers what a job of its kind runs (`register`): run(actor, scope_id,
file_name, content, progress) → rows created, and where its list and upload pages are."""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import ImportJob, ImportJobState


@dataclasses.dataclass(frozen=True)
class JobKind:
    run: Callable[..., int]
    list_url: Callable[[int | None], str]
    upload_url: Callable[[int | None], str]
    label: Callable[[str], str]  # a column's label, for the errors


KINDS: dict[str, JobKind] = {}


def register(code: str, *, run, list_url, upload_url, label) -> None:
    KINDS[code] = JobKind(run=run, list_url=list_url, upload_url=upload_url, label=label)


def kind_of(job: ImportJob) -> JobKind:
    if job.kind not in KINDS:
        autodiscover_modules("io")  # the apps' io modules register their kinds
    return KINDS[job.kind]


def in_background(rows: int) -> bool:
    return rows > settings.IMPORT_IN_BACKGROUND_ROWS


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "jobs"


def _progress_file(job: ImportJob) -> Path:
    # Outside the database: the import's own transaction holds SQLite's write lock.
    return _folder() / f"{job.stored}.progress"


def progress(job: ImportJob) -> int:
    try:
        return int(_progress_file(job).read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


@transaction.atomic
def start(*, actor, kind: str, scope_id: int | None, file_name: str, content: bytes,
          rows: int) -> ImportJob:  # fmt: skip
    """Keep the checked file for the worker and queue the job."""
    from .tasks import run_import_job

    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16)
    (folder / stored).write_bytes(content)
    job = ImportJob.objects.create(
        kind=kind, scope_id=scope_id, user=actor, file_name=file_name[:255], stored=stored,
        sha256=hashlib.sha256(content).hexdigest(), rows=rows,
    )  # fmt: skip
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def _finish(job: ImportJob, **values) -> None:
    values.update(finished_at=timezone.now())
    ImportJob.objects.filter(pk=job.pk).update(**values)
    (_folder() / job.stored).unlink(missing_ok=True)
    _progress_file(job).unlink(missing_ok=True)


def run(job_id: int) -> str:
    """The worker's side. Idempotent: a finished job is left as it is."""
    from .imports import ImportRejected

    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.finished:
        return "skipped"
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJobState.RUNNING)
    try:
        content = (_folder() / job.stored).read_bytes()
    except FileNotFoundError:
        content = b""
    if hashlib.sha256(content).hexdigest() != job.sha256:
        _finish(
            job, state=ImportJobState.FAILED,
            message=_("The file kept for this import is missing or changed. Upload it again."),
        )  # fmt: skip
        return "failed"
    marker = _progress_file(job)

    def report(done: int) -> None:
        marker.write_text(str(done))

    try:
        created = kind_of(job).run(job.user, job.scope_id, job.file_name, content, report)
    except ImportRejected as exc:
        _finish(job, state=ImportJobState.FAILED, errors=exc.errors, message=str(exc.message))
        return "rejected"
    except DomainError as exc:
        _finish(job, state=ImportJobState.FAILED, message=str(exc.message))
        return "failed"
    _finish(job, state=ImportJobState.DONE, created=created)
    return "done"


def lost(job_id: int, again: bool) -> None:
    """The worker died during the job: queued again, or failed after too many losses."""
    pending = ImportJob.objects.filter(pk=job_id).exclude(
        state__in=[ImportJobState.DONE, ImportJobState.FAILED]
    )
    if again:
        pending.update(state=ImportJobState.QUEUED)
    else:
        job = pending.first()
        if job is not None:
            _finish(
                job, state=ImportJobState.FAILED,
                message=_("The import stopped several times with the task worker; nothing was "
                          "imported. Upload the file again, or ask the operator to check the "
                          "worker."),
            )  # fmt: skip
