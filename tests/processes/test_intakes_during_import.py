"""The production setup on SQLite, for real: gunicorn as deploy/systemd/danvan-web.service
runs it (3 workers × 2 threads), a 5,000-row task import checked and written in another
process, and 50 intakes sent at once over the API meanwhile. Every intake is saved (none
gets "database is locked"), and the import writes all its rows."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from . import ROOT, danvan, installation_env, shell

SETUP = """
from django.db import transaction
from danvan.accounts.services import create_token
from danvan.org.models import OrganizationType
from tests.factories import AreaFactory, OrganizationFactory, UserFactory, grant
with transaction.atomic():
    area = AreaFactory(name="Phường Thử")
    unit = OrganizationFactory(code="dang-uy-thu", name="Đảng ủy Phường Thử", area=area,
                               type=OrganizationType.objects.get(code="party-committee"))
    officer = UserFactory(username="officer")
    grant(officer, "commission_officer", unit)
    _token, raw = create_token(actor=officer, user=officer, name="load")
print(unit.pk, area.pk, raw)
"""

# Checked (preview), then written all or nothing, as the import pages do.
IMPORT = """
import datetime as dt, sys, time
from danvan.accounts.models import User
from danvan.audit.context import request_context
from danvan.plans import io
rows = ["Mã đơn vị,Nhiệm vụ,Hạn hoàn thành"] + [
    f"dang-uy-thu,Nhiệm vụ nhập số {n},31/12/2026" for n in range(5000)
]
content = "\\n".join(rows).encode()
officer = User.objects.get(username="officer")
print("checking", time.time(), flush=True)
with request_context():
    assert not io.preview_import(actor=officer, file_name="t.csv", content=content).errors
    print("writing", time.time(), flush=True)
    created = io.run_import(actor=officer, file_name="t.csv", content=content)
print("done", time.time(), len(created), flush=True)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _intake(base: str, token: str, unit: int, area: int, n: int) -> tuple[str, float, float]:
    body = {
        "unit": unit, "channel": "letter", "received_on": "2026-11-30", "area": area,
        "topic": "land", "contents": f"Kiến nghị số {n} về đường giao thông nông thôn.",
        "matters": [{"kind": "recommendation", "summary": f"Kiến nghị {n}"}], "anonymous": True,
    }  # fmt: skip
    request = urllib.request.Request(
        f"{base}/api/v1/voices/petitions", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    start = time.time()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = str(response.status)
    except urllib.error.HTTPError as exc:
        answer = f"{exc.code} {exc.read()[:300].decode(errors='replace')}"
    return answer, start, time.time()


@pytest.mark.process
def test_fifty_intakes_during_a_5000_row_import_all_succeed(tmp_path):
    port = _free_port()
    env = installation_env(tmp_path, DANVAN_ALLOWED_HOSTS="127.0.0.1", DANVAN_DEBUG="false")
    danvan(env, "migrate", "-v0")
    unit, area, token = shell(env, SETUP).split()
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "danvan.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "3", "--threads", "2", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(300):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=5).close()
                break
            except OSError:
                time.sleep(0.1)
        importer = subprocess.Popen(
            [sys.executable, "-m", "danvan", "shell", "-c", IMPORT],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        while not importer.stdout.readline().startswith("checking"):  # after shell's banner
            assert importer.poll() is None, importer.stderr.read()[-3000:]
        with ThreadPoolExecutor(max_workers=50) as pool:
            results = list(
                pool.map(lambda n: _intake(base, token, int(unit), int(area), n), range(50))
            )
        out, err = importer.communicate(timeout=600)
    finally:
        web.terminate()
        web.wait(timeout=30)
    assert importer.returncode == 0, err[-3000:]
    assert [answer for answer, _s, _e in results] == ["201"] * 50
    lines = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
    assert lines["done"].split()[1] == "5000"
    counts = shell(env, "from danvan.voices.models import Petition; from danvan.plans.models "
                        "import Task; print(Petition.objects.count(), Task.objects.count())")  # fmt: skip
    assert counts == "50 5000"
    # What overlapped, for the record (-s shows it): the import's write, the intakes' span.
    writing, done = float(lines["writing"]), float(lines["done"].split()[0])
    first, last = min(s for _c, s, _e in results), max(e for _c, _s, e in results)
    print(
        f"import write {done - writing:.1f} s; intakes {first - writing:+.1f}..{last - writing:+.1f} s"
    )
