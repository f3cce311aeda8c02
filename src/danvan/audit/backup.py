"""Backups that restore: the database, the uploads and the keys, with a manifest to check.

A backup is a directory:
- `database.sqlite3` (SQLite's online backup API: consistent while the app runs) or
  `database.dump` (pg_dump, custom format);
- `media.tar` (uploads: evidence, documents, report versions);
- `keys/` — the secret key, the field keys (without them identities cannot be read) and
  the audit keys (without them the chain cannot be verified), with the audit checkpoints.
  Move this folder to a different place from the data (docs/operations.md, "Backups");
- `manifest.json` — when, which database, row counts per table, the audit head, and the
  SHA-256 of every file.

`restore` checks the manifest's checksums first, puts the database, the uploads and the
keys back, then compares the row counts and runs `audit_verify` in a fresh process (which
reads the restored keys). Any difference is an error.

It lives with the audit log because what proves a restore whole is the log's head and its
verification.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import AuditHead

KEY_FILES = {
    "secret_key": lambda: settings.SECRET_KEY,
    "field_key": lambda: ",".join(settings.FIELD_ENCRYPTION_KEYS),
    "audit_key": lambda: ",".join(settings.AUDIT_KEYS),
}


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _audit_head() -> dict:
    head = AuditHead.objects.filter(pk=1).first()
    return {"count": head.count, "last_id": head.last_id, "seal": head.last_hash} if head else {}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools")
    return path


def _pg_env() -> dict:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        PGHOST=str(db.get("HOST") or ""), PGPORT=str(db.get("PORT") or ""),
        PGUSER=str(db.get("USER") or ""), PGPASSWORD=str(db.get("PASSWORD") or ""),
        PGDATABASE=str(db["NAME"]),
    )  # fmt: skip
    return env


def backup(target: Path) -> Path:
    """Write a backup into a new directory under `target`; return it."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    out = Path(target) / f"danvan-{stamp}"
    out.mkdir(parents=True, exist_ok=False)
    counts, head = row_counts(), _audit_head()
    if connection.vendor == "sqlite":
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        dest = sqlite3.connect(out / "database.sqlite3")
        with dest:
            source.backup(dest)
        dest.close()
        source.close()
    elif connection.vendor == "postgresql":
        subprocess.run(  # noqa: S603 (our own arguments, no shell)
            [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={out / 'database.dump'}"],
            env=_pg_env(), check=True, capture_output=True,
        )  # fmt: skip
    else:
        raise BackupError(f"no backup for {connection.vendor}")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(out / "media.tar", "w") as tar:
        if media.exists():
            tar.add(media, arcname="media")
    keys = out / "keys"
    keys.mkdir(mode=0o700)
    for name, value in KEY_FILES.items():
        path = keys / name
        path.write_text(value())
        path.chmod(0o600)
    checkpoints = Path(settings.AUDIT_CHECKPOINT_FILE)
    if checkpoints.exists():
        shutil.copy2(checkpoints, keys / "audit_checkpoints.jsonl")
    files = {str(p.relative_to(out)): _sha256(p) for p in sorted(out.rglob("*")) if p.is_file()}
    manifest = {
        "created": timezone.now().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "rows": counts,
        "audit_head": head,
        "files": files,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return out


def _check_files(source: Path, manifest: dict) -> None:
    for name, digest in manifest["files"].items():
        path = source / name
        if not path.exists() or _sha256(path) != digest:
            raise BackupError(f"{name}: missing or changed since the backup was made")


def restore(source: Path) -> list[str]:
    """Put a backup back; return the problems found after (none: restored and verified)."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    _check_files(source, manifest)
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"the backup is of {manifest['database']}, the configured database is "
            f"{connection.vendor}"
        )
    connection.close()
    if connection.vendor == "sqlite":
        name = Path(settings.DATABASES["default"]["NAME"])
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source / "database.sqlite3", name)
    else:
        subprocess.run(  # noqa: S603 (our own arguments, no shell)
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             f"--dbname={_pg_env()['PGDATABASE']}", str(source / "database.dump")],
            env=_pg_env(), check=True, capture_output=True,
        )  # fmt: skip
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    with tarfile.open(source / "media.tar") as tar:
        tar.extractall(media.parent, filter="data")
    var = Path(settings.VAR_DIR)
    for name in KEY_FILES:
        path = var / name
        path.write_text((source / "keys" / name).read_text())
        path.chmod(0o600)
    kept = source / "keys" / "audit_checkpoints.jsonl"
    if kept.exists():
        shutil.copy2(kept, settings.AUDIT_CHECKPOINT_FILE)

    problems = []
    counts = row_counts()
    for label, expected in manifest["rows"].items():
        if counts.get(label) != expected:
            problems.append(f"{label}: {counts.get(label)} rows, the backup had {expected}")
    # A fresh process reads the restored keys (unless the environment sets others).
    verified = subprocess.run(
        [sys.executable, "-m", "danvan", "audit_verify"], capture_output=True, text=True
    )
    if verified.returncode != 0:
        problems.append("audit_verify: " + (verified.stderr or verified.stdout).strip())
    return problems
