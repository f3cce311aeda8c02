"""Background work: collecting a period report's figures (Django's tasks API, run by the
django-tasks-db worker: `python -m danvan db_worker`)."""

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import translation

from danvan.core.jobs import enqueue_again, on_lost

from . import contrib
from .models import JobState, PeriodReport


@task()
def collect_sections(report_id: int) -> str:
    """Ask each contributing app for its section, showing progress as it goes.
    Idempotent: a report whose figures are collected is left as it is."""
    from .services import scope_of, store_sections

    report = (
        PeriodReport.objects.select_related("unit", "subject", "created_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.job_state == JobState.DONE:
        return "skipped"
    modules = contrib.contributors()
    PeriodReport.objects.filter(pk=report_id).update(job_state=JobState.RUNNING, progress=5)
    scope = scope_of(report)
    sections = []
    try:
        # The report is a Vietnamese document, whatever language its author reads in.
        with translation.override(settings.LANGUAGE_CODE):
            for done, module in enumerate(modules, start=1):
                section = module.report_section(scope)
                if section is not None:
                    sections.append(section)
                PeriodReport.objects.filter(pk=report_id).update(
                    progress=5 + int(85 * done / max(len(modules), 1))
                )
            store_sections(report, sections)
    except Exception as exc:
        with transaction.atomic():
            PeriodReport.objects.filter(pk=report_id).update(
                job_state=JobState.FAILED, job_error=str(exc)[:2000]
            )
        raise
    return "done"


@on_lost(collect_sections)
def _collection_lost(result, attempts: int) -> None:
    """Take the report up again; after MAX_ATTEMPTS losses, show it failed with retry."""
    report_id = result.args_kwargs["args"][0]
    pending = PeriodReport.objects.filter(pk=report_id).exclude(job_state=JobState.DONE)
    if enqueue_again(result, attempts):
        pending.update(job_state=JobState.QUEUED, progress=0)
    else:
        pending.update(job_state=JobState.FAILED, job_error=result.traceback)
