"""A task worker that dies like a killed one (SIGKILL, no clean-up) in the middle of
collecting a report's figures: the first contributing app's section kills the process.
Used by test_worker_crash.py; never imported by the application."""

import os
import signal
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from danvan.reports import contrib  # noqa: E402

first = contrib.contributors()[0]
first.report_section = lambda scope: os.kill(os.getpid(), signal.SIGKILL)
call_command("db_worker", *sys.argv[1:])
