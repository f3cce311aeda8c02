import datetime as dt

import pytest

from danvan.reports.errors import ReportsError
from danvan.reports.periods import parse, recent

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("key", "start", "end", "previous"),
    [
        ("2026-q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "2025-q4"),
        ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30), "2026-q2"),
        ("2026-h1", dt.date(2026, 1, 1), dt.date(2026, 6, 30), "2025-h2"),
        ("2025-h2", dt.date(2025, 7, 1), dt.date(2025, 12, 31), "2025-h1"),
        ("2026-9m", dt.date(2026, 1, 1), dt.date(2026, 9, 30), "2025-9m"),
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2024"),
    ],
)
def test_periods_from_keys(key, start, end, previous):
    period = parse(key, today=TODAY)
    assert (period.start, period.end, period.previous.key) == (start, end, previous)
    assert parse(period.key, today=TODAY) == period


@pytest.mark.parametrize(
    "key", ["", "2026-q5", "2026-q0", "2026-h3", "2026-8m", "26-q1", "2026q1", "1999", "2027"]
)
def test_periods_that_do_not_exist_are_clear_errors(key):
    with pytest.raises(ReportsError) as error:
        parse(key, today=TODAY)
    assert error.value.field == "period"


def test_titles_say_the_period_in_vietnamese():
    assert parse("2026-q3", today=TODAY).title_words == "quý III năm 2026"
    assert parse("2026-h1", today=TODAY).title_words == "6 tháng đầu năm 2026"
    assert parse("2026-9m", today=TODAY).title_words == "9 tháng năm 2026"
    assert parse("2025", today=TODAY).title_words == "năm 2025"


def test_pickers_offer_no_future_period():
    offered = recent(TODAY)
    assert all(p.start <= TODAY for p in offered)
    assert offered[0].key == "2026" and "2026-q4" in {p.key for p in offered}
