"""`backup` then `restore` into an empty installation, in separate processes on their own
SQLite databases: the rows, the uploads and the keys come back, the audit chain verifies
with the restored key; a backup changed since it was made is refused."""

import os
from pathlib import Path

import pytest

from . import danvan, installation_env, shell

SETUP = """
import datetime as dt
import os
from pathlib import Path
from django.conf import settings
from danvan.org.models import OrganizationType
from danvan.plans import services
from tests.factories import AreaFactory, OrganizationFactory, UserFactory, grant
area = AreaFactory(name="Phường Thử")
unit = OrganizationFactory(code="dang-uy-thu", name="Đảng ủy phường Thử", area=area,
                           type=OrganizationType.objects.get(code="party-committee"))
officer = UserFactory(username="bdv")
grant(officer, "commission_officer", unit)
services.create_task(actor=officer, owner=unit, title="Rà soát hộ nghèo cuối năm",
                     deadline=dt.date(2026, 12, 31))
media = Path(settings.MEDIA_ROOT) / "plans"
media.mkdir(parents=True, exist_ok=True)
(media / "bien-ban.txt").write_text("Biên bản họp")
print("ok")
"""

COUNT = """
from danvan.plans.models import Task
print(Task.objects.get().title)
"""


@pytest.mark.process
def test_a_backup_restores_into_an_empty_installation(tmp_path):
    first = installation_env(tmp_path / "first")
    danvan(first, "migrate", "-v0")
    assert shell(first, SETUP) == "ok"
    made = Path(danvan(first, "backup", str(tmp_path / "backups")).stdout.strip())
    assert {p.name for p in made.iterdir()} == {
        "database.sqlite3", "media.tar", "keys", "manifest.json"
    }  # fmt: skip
    assert {p.name for p in (made / "keys").iterdir()} >= {"secret_key", "field_key", "audit_key"}

    # An empty installation: its own generated keys, no database.
    second = installation_env(tmp_path / "second")
    refused = danvan(second, "restore", str(made), check=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    restored = danvan(second, "restore", str(made), "--yes", check=False)
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout
    assert shell(second, COUNT) == ("Rà soát hộ nghèo cuối năm")
    assert (tmp_path / "second" / "media" / "plans" / "bien-ban.txt").read_text() == "Biên bản họp"
    assert (tmp_path / "second" / "audit_key").read_text() == (
        tmp_path / "first" / "audit_key"
    ).read_text()
    assert danvan(second, "audit_verify").returncode == 0


@pytest.mark.process
def test_a_changed_backup_is_refused(tmp_path):
    first = installation_env(tmp_path / "first")
    danvan(first, "migrate", "-v0")
    made = Path(danvan(first, "backup", str(tmp_path / "backups")).stdout.strip())
    with (made / "database.sqlite3").open("ab") as db:
        db.write(b"\0")
    second = installation_env(tmp_path / "second")
    refused = danvan(second, "restore", str(made), "--yes", check=False)
    assert refused.returncode != 0
    assert "database.sqlite3: missing or changed" in refused.stderr
    database = tmp_path / "second" / "danvan.sqlite3"
    if database.exists():  # opened by the command's start-up, but nothing was put back
        import sqlite3

        with sqlite3.connect(database) as db:
            assert db.execute("select count(*) from sqlite_master").fetchone() == (0,)


def _database(url: str, name: str) -> str:
    """The same server's URL for another database."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.mark.process
@pytest.mark.skipif(
    not os.environ.get("DANVAN_DATABASE_URL", "").startswith("postgres"),
    reason="the PostgreSQL run (scripts/with-postgres) gives the server",
)
def test_a_postgresql_backup_restores_into_an_empty_database(tmp_path):
    import psycopg

    url = os.environ["DANVAN_DATABASE_URL"]
    names = [f"danvan_backup_{os.getpid()}_{n}" for n in ("first", "second")]
    with psycopg.connect(_database(url, "postgres"), autocommit=True) as server:
        for name in names:
            server.execute(f'CREATE DATABASE "{name}"')
    try:
        first = installation_env(tmp_path / "first", DANVAN_DATABASE_URL=_database(url, names[0]))
        danvan(first, "migrate", "-v0")
        assert shell(first, SETUP) == "ok"
        made = Path(danvan(first, "backup", str(tmp_path / "backups")).stdout.strip())
        assert "database.dump" in {p.name for p in made.iterdir()}

        second = installation_env(tmp_path / "second", DANVAN_DATABASE_URL=_database(url, names[1]))
        restored = danvan(second, "restore", str(made), "--yes", check=False)
        assert restored.returncode == 0, restored.stderr
        assert shell(second, COUNT) == "Rà soát hộ nghèo cuối năm"
        assert (tmp_path / "second" / "media" / "plans" / "bien-ban.txt").exists()
        assert danvan(second, "audit_verify").returncode == 0
    finally:
        with psycopg.connect(_database(url, "postgres"), autocommit=True) as server:
            for name in names:
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
