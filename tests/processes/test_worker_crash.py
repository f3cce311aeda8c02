"""kill -9 of the task worker in the middle of a report's collection, for real: separate
processes on their own SQLite database. The report is left running at 5 %, its task
RUNNING; the restarted worker takes it up again and finishes it."""

import pytest

from . import danvan, installation_env, python, shell

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


@pytest.mark.process
def test_a_killed_worker_leaves_the_report_and_a_restarted_one_finishes_it(tmp_path):
    env = installation_env(tmp_path)
    danvan(env, "migrate", "-v0")
    shell(env, SETUP)

    crashed = python(env, "tests/processes/crashing_worker.py", "--batch", "--no-startup-delay",
                   check=False)  # fmt: skip
    assert crashed.returncode == -9, crashed.stderr[-2000:]
    assert shell(env, STATE) == "running 5 [['RUNNING', '']]"

    # Within the lease a new worker leaves it alone (it may still be running elsewhere).
    danvan(env, "db_worker", "--batch", "--no-startup-delay")
    assert shell(env, STATE) == "running 5 [['RUNNING', '']]"

    # Past the lease, the restarted worker marks the run lost and collects the figures.
    env["DANVAN_TASK_LEASE_MINUTES"] = "0"
    danvan(env, "db_worker", "--batch", "--no-startup-delay")
    assert shell(env, STATE) == (
        "done 100 [['FAILED', 'danvan.core.jobs.WorkerLost'], ['SUCCESSFUL', '']]"
    )
