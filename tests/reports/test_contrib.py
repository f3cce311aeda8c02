"""The panel contract: which apps contribute, and the shared helpers."""

import datetime as dt

import pytest
from django.db.models import Count

from danvan.reports import contrib
from danvan.voices.models import Matter

from .conftest import IN_Q1

pytestmark = pytest.mark.django_db


def test_contributors_are_the_apps_with_a_panels_module_in_order():
    names = [m.__name__ for m in contrib.contributors()]
    assert {"danvan.emulation.panels", "danvan.voices.panels"} <= set(names)
    order = [f"danvan.{app}.panels" for app in contrib.CONTRIBUTORS]
    assert names == [n for n in order if n in names]
    for module in contrib.contributors():
        assert callable(module.dashboard_panel) and callable(module.report_section)


def test_a_missing_panels_module_is_skipped(monkeypatch):
    monkeypatch.setattr(contrib, "CONTRIBUTORS", ["voices", "nosuchapp"])
    assert [m.__name__ for m in contrib.contributors()] == ["danvan.voices.panels"]


def test_percent_and_number():
    assert contrib.percent(11, 16) == 68.8
    assert contrib.percent(3, 0) is None


def test_sibling_rows_count_whole_subtrees(units, officer, receive):
    receive(units["committee"], kinds=("complaint", "complaint"))
    receive(units["ward"], kinds=("complaint",))
    receive(units["other"], kinds=("denunciation",))
    rows = contrib.by_child_unit(Matter.objects.all(), "unit__path", units["city"], n=Count("id"))
    assert [(unit.code, row["n"]) for unit, row in rows] == [("bd-du", 3), ("other-du", 1)]
    own = contrib.by_child_unit(Matter.objects.all(), "unit__path", units["ward"], n=Count("id"))
    assert [(unit.code, row["n"]) for unit, row in own] == [("bd-ubnd", 2), ("bd-du", 1)]


def test_panels_and_sections_follow_the_scope(units, officer, viewer, ward_officer, petitions):
    scope = contrib.Scope(
        user=ward_officer, org=None, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)
    )
    voices = next(p for p in contrib.panels(scope) if p.key == "voices")
    assert voices.figures[0].value == 1  # the sibling ward's one matter, nothing else
    assert IN_Q1.year == 2026
    sections = contrib.sections(scope)
    assert all(isinstance(s, contrib.Section) for s in sections)
