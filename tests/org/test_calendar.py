"""The working calendar as data: public holidays and Tết from the `holidays` package, the
Saturday a swap names counted as a working day, and days an administrator adds with the
decision that announced them. Every app counts on it (voices, democracy)."""

import datetime as dt

import pytest
from django.test import Client

from danvan.org.calendar import WORKING, add_days, is_working_day
from danvan.org.models import CalendarDay

from ..conftest import login

D = dt.date
pytestmark = pytest.mark.django_db


def test_the_swapped_saturday_is_a_working_day():
    # "Ngày nghỉ (thay cho ngày 22/08/2026)": Monday 31 Aug off, Saturday 22 Aug worked.
    assert D(2026, 8, 22).weekday() == 5 and is_working_day(D(2026, 8, 22))
    assert not is_working_day(D(2026, 8, 31))
    assert not is_working_day(D(2026, 8, 23))  # the Sunday stays a weekend day
    # Seven working days from Friday 21 Aug: Sat 22, Mon 24 … Fri 28, then 31 Aug and
    # 1–2 Sep are off: Thursday 3 September (a day later without the swapped Saturday).
    assert add_days(D(2026, 8, 21), 7, WORKING) == D(2026, 9, 3)


def test_a_deadline_across_tet_2027():
    # Tết 2027 (the package's days): 4–10 Feb off. Seven working days from 3 Feb 2027.
    assert add_days(D(2027, 2, 3), 7, WORKING) == D(2027, 2, 19)
    # Thirty calendar days that end on a day off end on the next working day.
    assert add_days(D(2027, 1, 6), 30, "calendar") == D(2027, 2, 11)


def test_a_day_off_added_by_an_administrator():
    before = add_days(D(2026, 12, 21), 5, WORKING)
    CalendarDay.objects.create(
        day=D(2026, 12, 24), kind="day_off", reason="Nghỉ bù",
        citation="Thông báo 999/TB-BNV ngày 01/12/2026",
    )  # fmt: skip
    assert not is_working_day(D(2026, 12, 24))
    assert add_days(D(2026, 12, 21), 5, WORKING) == before + dt.timedelta(days=1)


def test_a_working_saturday_added_by_an_administrator():
    CalendarDay.objects.create(
        day=D(2026, 12, 26), kind="working_day", reason="Làm bù",
        citation="Thông báo 999/TB-BNV ngày 01/12/2026",
    )  # fmt: skip
    assert is_working_day(D(2026, 12, 26))


def test_a_swapped_working_day_must_be_a_weekend_day(superuser):
    client = Client()
    login(superuser, client)
    response = client.post(
        "/admin/org/calendarday/add/",
        {"day": "2026-12-23", "kind": "working_day", "reason": "Làm bù",
         "citation": "Thông báo 999/TB-BNV"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật." in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_the_case_clocks_use_it(db):
    from danvan.voices import rules

    assert rules.add_days is add_days and rules.is_working_day is is_working_day
