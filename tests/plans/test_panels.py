"""The dashboard panel and the report section (reports/contrib.py contract)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from danvan.plans import panels, services
from danvan.reports.contrib import Chart, Panel, Scope, Section

from .conftest import ISSUED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _scope(province, user=None, org=None):
    today = timezone.localdate()
    return Scope(
        user=user or province.officer,
        org=org or province.party,
        start=dt.date(today.year, 1, 1),
        end=dt.date(today.year, 12, 31),
        previous_start=dt.date(today.year - 1, 1, 1),
        previous_end=dt.date(today.year - 1, 12, 31),
    )


def _data(province, communes=4):
    today = timezone.localdate()
    parent = services.create_task(
        actor=province.officer,
        owner=province.party,
        title="Đối thoại với Nhân dân",
        start_on=dt.date(today.year, 1, 1),
        deadline=max(today, dt.date(today.year, 1, 2)),
    )
    children = services.cascade_task(
        actor=province.officer, task=parent, units=province.communes[:communes]
    )
    services.report_progress(
        actor=province.officer, task=children[0], reported_on=today, narrative="Xong", done=True
    )
    document = services.create_document(
        actor=province.officer,
        issuer=province.commission,
        kind="directive",
        number=f"{communes}-CT/TU",
        issued_on=ISSUED,
        title="Chỉ thị",
        recipients=province.communes[:communes],
        actions=[("plan", ISSUED + dt.timedelta(days=30))],
    )
    services.record_completion(
        actor=province.officer,
        action=document.actions.get(),
        unit=province.communes[0],
        done_on=ISSUED + dt.timedelta(days=3),
    )
    return parent, children, document


def test_panel_figures_table_and_chart(province):
    _data(province)
    panel = panels.dashboard_panel(_scope(province))
    assert isinstance(panel, Panel) and panel.key == "plans"
    values = {f.label: f.value for f in panel.figures}
    assert values["Tasks"] == 4  # the 4 communes' tasks; the cascaded parent is not counted again
    assert values["Done"] == 1
    assert values["Percent done"] == 25.0
    assert values["Documents with actions outstanding"] == 1
    assert values["Actions outstanding (unit × action)"] == 3
    table = panel.tables[0]
    assert len(table.rows) == 4 and len(table.row_urls) == 4
    assert isinstance(panel.charts[0], Chart)
    assert panel.charts[0].series[0][1] == [1, 0, 0, 0]
    assert all(f.previous in (0, None) for f in panel.figures)


def test_report_section_has_narrative_and_two_tables(province):
    _data(province)
    section = panels.report_section(_scope(province))
    assert isinstance(section, Section)
    assert [t.title for t in section.tables] == ["Tasks done and late", "Documents implemented"]
    assert section.tables[1].rows[0][4:] == [4, 1, 3]
    assert "4" in section.paragraphs[0]


def test_nothing_to_show_is_none(province):
    assert panels.dashboard_panel(_scope(province)) is None
    assert panels.report_section(_scope(province)) is None


def test_outsider_sees_nothing(province):
    _data(province)
    assert panels.dashboard_panel(_scope(province, user=province.stranger, org=None)) is None


def test_panel_query_count_does_not_grow(province):
    _data(province, communes=2)
    with CaptureQueriesContext(connection) as small:
        panels.dashboard_panel(_scope(province))
        panels.report_section(_scope(province))
    _data(province, communes=12)
    with CaptureQueriesContext(connection) as large:
        panels.dashboard_panel(_scope(province))
        panels.report_section(_scope(province))
    assert len(large) == len(small)
