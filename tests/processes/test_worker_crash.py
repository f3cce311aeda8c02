"""kill -9 of the task worker in the middle of a report's collection, for real: separate
processes on their own SQLite database. The report is left running at 5 %, its task
RUNNING; the restarted worker takes it up again and finishes it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
from django.db import transaction
from danvan.org.models import OrganizationType
from danvan.reports import services
from tests.factories import AreaFactory, OrganizationFactory, UserFactory
area = AreaFactory(name="Phường Thử")
unit = OrganizationFactory(code="ubnd-thu", name="Ủy ban nhân dân Phường Thử", area=area,
                           type=OrganizationType.objects.get(code="peoples-committee"))
root = UserFactory(username="root", is_superuser=True, is_staff=True)
with transaction.atomic():
    report = services.generate_report(actor=root, unit=unit, period="2026-q1")
print(report.pk)
"""

STATE = """
from danvan.reports.models import PeriodReport
from django_tasks_db.models import DBTaskResult
r = PeriodReport.objects.get()
rows = DBTaskResult.objects.order_by("enqueued_at").values_list("status", "exception_class_path")
print(r.job_state, r.progress, [list(x) for x in rows])
"""


def _run(env, *args, check=True):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300, check=check,
    )  # fmt: skip


def _shell(env, code):
    return _run(env, "-m", "danvan", "shell", "-c", code).stdout.strip().splitlines()[-1]


@pytest.mark.process
def test_a_killed_worker_leaves_the_report_and_a_restarted_one_finishes_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANVAN_")}
    env.update(DANVAN_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    _run(env, "-m", "danvan", "migrate", "-v0")
    _shell(env, SETUP)

    crashed = _run(env, "tests/processes/crashing_worker.py", "--batch", "--no-startup-delay",
                   check=False)  # fmt: skip
    assert crashed.returncode == -9, crashed.stderr[-2000:]
    assert _shell(env, STATE) == "running 5 [['RUNNING', '']]"

    # Within the lease a new worker leaves it alone (it may still be running elsewhere).
    _run(env, "-m", "danvan", "db_worker", "--batch", "--no-startup-delay")
    assert _shell(env, STATE) == "running 5 [['RUNNING', '']]"

    # Past the lease, the restarted worker marks the run lost and collects the figures.
    env["DANVAN_TASK_LEASE_MINUTES"] = "0"
    _run(env, "-m", "danvan", "db_worker", "--batch", "--no-startup-delay")
    assert _shell(env, STATE) == (
        "done 100 [['FAILED', 'danvan.core.jobs.WorkerLost'], ['SUCCESSFUL', '']]"
    )
