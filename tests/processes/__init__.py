"""Helpers for tests that run danvan in separate processes on their own installation."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def installation_env(var: Path, **extra) -> dict:
    """The environment of a separate installation in `var`: none of this run's DANVAN_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANVAN_")}
    env.update(DANVAN_VAR_DIR=str(var), PYTHONPATH=str(ROOT), **extra)
    return env


def python(env, *args, check=True, timeout=300):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout, check=check,
    )  # fmt: skip


def danvan(env, *args, check=True, timeout=300):
    return python(env, "-m", "danvan", *args, check=check, timeout=timeout)


def shell(env, code: str) -> str:
    """The last line `code` prints in `danvan shell` (it prints its imports first)."""
    return danvan(env, "shell", "-c", code).stdout.strip().splitlines()[-1]
