"""A large task import goes to the task worker: the page follows it (rows done, then the
result); all rows or none; only its owner sees it; a lost worker's job is taken up again
or failed with a message."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.core import import_jobs
from danvan.core.models import ImportJob
from danvan.plans import io
from danvan.plans.models import Task

from ..conftest import login
from .test_io import _csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_threshold(settings):
    settings.IMPORT_IN_BACKGROUND_ROWS = 2
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _rows(province, n: int) -> bytes:
    return _csv(
        "".join(f"{province.communes[i % 3].code},Việc số {i},31/12/2026,,,\n" for i in range(n))
    )


def _checked(client, content: bytes) -> str:
    response = client.post(
        reverse("plans:import"), {"file": SimpleUploadedFile("lon.csv", content)}
    )
    return response.content.decode().split('name="token" value="')[1].split('"')[0]


def test_a_large_file_is_imported_in_the_background(province, django_capture_on_commit_callbacks):
    client = login(province.officer)
    token = _checked(client, _rows(province, 3))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plans:import_confirm"), {"token": token})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert job.state == "done" and job.created == 3 and job.rows == 3
    assert Task.objects.count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "Đã nhập 3 dòng" in page and 'data-state="done"' in page and "hx-get" not in page
    assert not list(import_jobs._folder().glob(f"{job.stored}*"))  # the file is gone
    # The token is spent, as for a small file.
    assert client.post(reverse("plans:import_confirm"), {"token": token}).status_code == 302
    assert ImportJob.objects.count() == 1


def test_a_small_file_is_still_imported_at_once(province):
    client = login(province.officer)
    token = _checked(client, _rows(province, 2))
    assert client.post(reverse("plans:import_confirm"), {"token": token}).status_code == 200
    assert Task.objects.count() == 2 and not ImportJob.objects.exists()


def test_rows_broken_since_the_check_fail_the_whole_job(
    province, django_capture_on_commit_callbacks
):
    client = login(province.officer)
    token = _checked(client, _rows(province, 3))
    province.communes[1].code = "hn-sap-nhap"  # recoded between the check and the import
    province.communes[1].save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plans:import_confirm"), {"token": token})
    job = ImportJob.objects.get()
    assert job.state == "failed" and job.errors and not Task.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Không có dòng nào được nhập" in page and 'id="import-errors"' in page


def test_only_the_owner_sees_the_job(province, django_capture_on_commit_callbacks):
    client = login(province.officer)
    token = _checked(client, _rows(province, 3))
    with django_capture_on_commit_callbacks(execute=True):
        url = client.post(reverse("plans:import_confirm"), {"token": token})["Location"]
    assert login(province.viewer).get(url).status_code == 404
    from django.test import Client

    assert Client().get(url).status_code == 302  # to sign in


def test_a_queued_job_shows_its_progress(province):
    content = _rows(province, 3)
    job = import_jobs.start(
        actor=province.officer, kind="plans.tasks", scope_id=None, file_name="lon.csv",
        content=content, rows=3,
    )  # fmt: skip
    import_jobs._progress_file(job).write_text("2")
    page = login(province.officer).get(f"/imports/{job.pk}/").content.decode()
    assert "2 / 3 dòng" in page or "2 trên 3 dòng" in page
    assert 'hx-trigger="every 2s"' in page


def test_the_run_reports_rows_done_every_hundred(province):
    seen = []
    io.run_import(actor=province.officer, file_name="t.csv", content=_rows(province, 250),
                  progress=seen.append)  # fmt: skip
    assert seen == [100, 200]


def test_a_changed_file_or_a_lost_worker_fails_the_job_with_a_message(province):
    job = import_jobs.start(
        actor=province.officer, kind="plans.tasks", scope_id=None, file_name="lon.csv",
        content=_rows(province, 3), rows=3,
    )  # fmt: skip
    (import_jobs._folder() / job.stored).write_bytes(b"x")
    assert import_jobs.run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.state == "failed" and "Hãy tải lên lại" in job.message
    assert import_jobs.run(job.pk) == "skipped"  # finished: left as it is

    again = import_jobs.start(
        actor=province.officer, kind="plans.tasks", scope_id=None, file_name="lon.csv",
        content=_rows(province, 3), rows=3,
    )  # fmt: skip
    ImportJob.objects.filter(pk=again.pk).update(state="running")
    import_jobs.lost(again.pk, again=True)
    assert ImportJob.objects.get(pk=again.pk).state == "queued"
    import_jobs.lost(again.pk, again=False)
    again.refresh_from_db()
    assert again.state == "failed" and again.message and not Task.objects.exists()
