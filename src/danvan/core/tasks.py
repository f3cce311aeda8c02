"""Background work shared by the apps (the django-tasks-db worker runs it)."""

from django.conf import settings
from django.tasks import task
from django.utils import translation

from . import import_jobs
from .jobs import enqueue_again, on_lost


@task()
def run_import_job(job_id: int) -> str:
    # Row errors are stored as the worker words them: in the product's language.
    with translation.override(settings.LANGUAGE_CODE):
        return import_jobs.run(job_id)


@on_lost(run_import_job)
def _import_lost(result, attempts: int) -> None:
    job_id = result.args_kwargs["args"][0]
    with translation.override(settings.LANGUAGE_CODE):
        import_jobs.lost(job_id, enqueue_again(result, attempts))
