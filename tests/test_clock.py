"""The test run's clock never crosses midnight in Vietnam and never goes backwards."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from .conftest import clock_start

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_run_started_late_in_the_evening_runs_on_the_next_day():
    late = dt.datetime(2026, 12, 2, 21, 30, tzinfo=VN)
    assert clock_start(late) == dt.datetime(2026, 12, 3, 0, 1, tzinfo=VN)


def test_a_run_started_in_the_day_keeps_the_real_time():
    morning = dt.datetime(2026, 12, 2, 10, 0, tzinfo=VN)
    assert clock_start(morning) == morning
    assert clock_start(dt.datetime(2026, 12, 2, 20, 59, tzinfo=VN)).date() == morning.date()


def test_django_sees_the_same_day_for_the_whole_run():
    now = timezone.localtime()
    until = now + dt.timedelta(minutes=90)
    assert until.date() == now.date()
