"""Period arithmetic and the shared Period rows."""

import datetime as dt
import itertools

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from danvan.org.models import Period
from danvan.org.periods import bounds, index_of
from danvan.org.services import OrgError, ensure_period

D = dt.date


@pytest.mark.parametrize(
    ("kind", "year", "index", "expected"),
    [
        ("year", 2025, 1, (D(2025, 1, 1), D(2025, 12, 31))),
        ("half", 2025, 1, (D(2025, 1, 1), D(2025, 6, 30))),
        ("half", 2025, 2, (D(2025, 7, 1), D(2025, 12, 31))),
        ("quarter", 2025, 1, (D(2025, 1, 1), D(2025, 3, 31))),
        ("quarter", 2025, 2, (D(2025, 4, 1), D(2025, 6, 30))),
        ("quarter", 2025, 3, (D(2025, 7, 1), D(2025, 9, 30))),
        ("quarter", 2025, 4, (D(2025, 10, 1), D(2025, 12, 31))),
        ("month", 2024, 2, (D(2024, 2, 1), D(2024, 2, 29))),
        ("month", 2025, 2, (D(2025, 2, 1), D(2025, 2, 28))),
        ("month", 2100, 2, (D(2100, 2, 1), D(2100, 2, 28))),
        ("month", 2000, 2, (D(2000, 2, 1), D(2000, 2, 29))),
        ("month", 2025, 4, (D(2025, 4, 1), D(2025, 4, 30))),
        ("month", 2025, 12, (D(2025, 12, 1), D(2025, 12, 31))),
        ("quarter", 2024, 1, (D(2024, 1, 1), D(2024, 3, 31))),
        ("term", 2025, 1, (D(2025, 1, 1), D(2030, 12, 31))),
    ],
)
def test_bounds(kind, year, index, expected):
    assert bounds(kind, year, index) == expected


def test_term_length_is_configurable():
    assert bounds("term", 2026, years=4) == (D(2026, 1, 1), D(2030, 12, 31))


@pytest.mark.parametrize(
    ("kind", "index"),
    [("half", 0), ("half", 3), ("quarter", 5), ("quarter", -1), ("month", 13), ("month", 0)],
)
def test_bounds_rejects_an_index_out_of_range(kind, index):
    with pytest.raises(ValueError, match="index"):
        bounds(kind, 2025, index)


def test_bounds_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown period kind"):
        bounds("week", 2025, 1)


def test_every_month_and_quarter_tiles_the_year():
    for kind, n in (("month", 12), ("quarter", 4), ("half", 2)):
        for year in (2023, 2024):
            spans = [bounds(kind, year, i) for i in range(1, n + 1)]
            assert spans[0][0] == D(year, 1, 1)
            assert spans[-1][1] == D(year, 12, 31)
            for (_s, end), (start, _e) in itertools.pairwise(spans):
                assert start - end == dt.timedelta(days=1)
            days = sum((e - s).days + 1 for s, e in spans)
            assert days == (366 if year == 2024 else 365)


@pytest.mark.parametrize(
    ("kind", "day", "index"),
    [
        ("month", D(2025, 12, 31), 12),
        ("quarter", D(2025, 4, 1), 2),
        ("quarter", D(2025, 3, 31), 1),
        ("half", D(2025, 7, 1), 2),
        ("year", D(2025, 7, 1), 1),
    ],
)
def test_index_of(kind, day, index):
    assert index_of(kind, day) == index
    start, end = bounds(kind, day.year, index)
    assert start <= day <= end


def test_ensure_period_creates_once_and_reuses(db):
    before = Period.objects.count()
    q = ensure_period(kind="quarter", year=2025, index=3)
    assert (q.start, q.end) == (D(2025, 7, 1), D(2025, 9, 30))
    assert ensure_period(kind="quarter", year=2025, index=3) == q
    assert Period.objects.count() == before + 1
    feb = ensure_period(kind="month", year=2028, index=2)
    assert feb.end == D(2028, 2, 29)
    assert feb.contains(D(2028, 2, 29))
    assert not feb.contains(D(2028, 3, 1))


def test_ensure_period_terms_are_per_body(db):
    party = ensure_period(kind="term", year=2025, body="party")
    front = ensure_period(kind="term", year=2025, body="front", years=4)
    assert party != front
    assert (party.end, front.end) == (D(2030, 12, 31), D(2029, 12, 31))
    # A body given for a non-term period is ignored: a year is the same for everyone.
    y1 = ensure_period(kind="year", year=2025, body="party")
    y2 = ensure_period(kind="year", year=2025)
    assert y1 == y2 and y1.body == ""


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "week", "year": 2025}, "kind"),
        ({"kind": "", "year": 2025}, "kind"),
        ({"kind": "month", "year": 2025, "index": 13}, "index"),
        ({"kind": "quarter", "year": 2025, "index": 0}, "index"),
        ({"kind": "half", "year": 2025, "index": 3}, "index"),
        ({"kind": "year", "year": 1899}, "year"),
        ({"kind": "year", "year": 2201}, "year"),
        ({"kind": "month", "year": 0, "index": 1}, "year"),
    ],
)
def test_ensure_period_bad_input_writes_nothing(db, kwargs, field):
    before = Period.objects.count()
    with pytest.raises(OrgError) as exc:
        ensure_period(**kwargs)
    assert exc.value.field == field
    assert str(exc.value.message)
    assert Period.objects.count() == before


def test_period_order_is_enforced_by_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.create(kind="month", start=D(2025, 2, 1), end=D(2025, 1, 31))


@pytest.mark.parametrize(
    ("kind", "year", "index", "label"),
    [
        ("year", 2025, 1, "Year 2025"),
        ("half", 2025, 1, "First half of 2025"),
        ("half", 2025, 2, "Second half of 2025"),
        ("quarter", 2025, 3, "Quarter 3/2025"),
        ("month", 2025, 11, "Month 11/2025"),
        ("term", 2025, 1, "Term 2025–2030"),
    ],
)
def test_period_labels_in_english(db, kind, year, index, label):
    period = ensure_period(kind=kind, year=year, index=index)
    with translation.override("en"):
        assert period.label == label
        assert str(period) == label


def test_period_labels_are_translated_to_vietnamese(db):
    period = ensure_period(kind="quarter", year=2025, index=3)
    with translation.override("en"):
        english = period.label
    with translation.override("vi"):
        vietnamese = period.label
    assert "3" in vietnamese and "2025" in vietnamese
    assert vietnamese != english


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "year", "year": 2025, "index": 2}, "index"),
        ({"kind": "term", "year": 2025, "index": 3}, "index"),
        ({"kind": "term", "year": 2025, "years": -3}, "years"),
        ({"kind": "term", "year": 2025, "years": 0}, "years"),
    ],
)
def test_ensure_period_rejects_meaningless_index_and_term_length(db, kwargs, field):
    before = Period.objects.count()
    with pytest.raises(OrgError) as exc:
        ensure_period(**kwargs)
    assert exc.value.field == field
    assert Period.objects.count() == before


def test_bounds_rejects_an_index_for_a_year_or_a_negative_term():
    with pytest.raises(ValueError, match="index"):
        bounds("year", 2025, 2)
    with pytest.raises(ValueError, match="term"):
        bounds("term", 2025, years=-1)
