"""The layout every page shares: error pages in it, in the user's language, with a way
back; the skip link and the menu; dates typed as dd/mm/yyyy; Django's blank choice in
Vietnamese; state codes mapped to one tone each."""

import datetime as dt

import pytest
from django import forms
from django.test import RequestFactory

from danvan.core import charts, tones
from danvan.core.dates import parse_day
from danvan.core.forms import DateField
from danvan.web import views

from .conftest import overdue_task, text


def test_403_is_a_page_of_the_layout_in_vietnamese(bob, tree, client_for):
    response = client_for(bob).get(f"/organizations/new/?parent={tree['ward'].pk}")
    assert response.status_code == 403
    body = text(response)
    assert '<html lang="vi">' in body and 'class="site-header"' in body
    assert "Bạn không thể thực hiện việc này ở đây" in body
    assert 'href="/"' in body and "Về trang chủ" in body
    assert "Forbidden" not in body


def test_404_is_a_page_of_the_layout_in_vietnamese(alice, client_for):
    response = client_for(alice).get("/no-such-page/")
    assert response.status_code == 404
    body = text(response)
    assert 'class="site-header"' in body and "Không tìm thấy trang" in body
    assert "Về trang chủ" in body


def test_500_renders_without_the_database_in_the_users_language(db, settings):
    from django.utils import translation

    request = RequestFactory().get("/plans/")
    with translation.override("vi"):
        response = views.server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Đã xảy ra lỗi" in body
    assert 'class="site-header"' in body and 'href="/"' in body


def test_api_errors_stay_json(alice, client_for):
    response = client_for(alice).get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_every_page_has_the_skip_link_and_the_menu(alice, client_for):
    body = text(client_for(alice).get("/"))
    assert '<a class="skip-link" href="#main">Bỏ qua, đến nội dung chính</a>' in body
    assert 'id="main"' in body
    assert 'aria-controls="site-nav"' in body and 'id="site-nav"' in body


def test_blank_choice_reads_vietnamese(alice, client_for):
    body = text(client_for(alice).get("/plans/tasks/new/"))
    assert "Select an option" not in body
    assert "— Chọn —" in body


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("02/12/2026", dt.date(2026, 12, 2)),
        ("2/12/2026", dt.date(2026, 12, 2)),
        ("02-12-2026", dt.date(2026, 12, 2)),
        ("02.12.2026", dt.date(2026, 12, 2)),
        ("2026-12-02", dt.date(2026, 12, 2)),
        (" 29/02/2028 ", dt.date(2028, 2, 29)),
        ("31/02/2026", None),
        ("12/31/2026", None),
        ("", None),
        ("hôm nay", None),
    ],
)
def test_dates_are_read_day_first(typed, day):
    assert parse_day(typed) == day


def test_date_fields_show_and_take_day_month_year():
    class Form(forms.Form):
        on = DateField()

    form = Form(initial={"on": dt.date(2026, 3, 5)})
    rendered = str(form["on"])
    assert 'value="05/03/2026"' in rendered and 'inputmode="numeric"' in rendered
    assert 'type="text"' in rendered
    assert Form({"on": "05/03/2026"}).is_valid()
    bad = Form({"on": "31/02/2026"})
    assert not bad.is_valid()


def test_tones_give_each_state_its_meaning():
    assert tones.tone("done") == tones.tone("completed") == tones.OK
    assert tones.tone("overdue") == tones.tone("missing") == tones.BAD
    assert tones.tone("at_risk") == tones.tone("attention") == tones.WARN
    assert tones.tone("cancelled") == tones.tone("no-such-state") == tones.NEUTRAL


def test_charts_keep_a_series_colour_with_its_meaning():
    data = charts.chart_data(
        "bar", ["A", "B"], [("Đã xong", [1, 2], "ok"), ("Quá hạn", [0, 1], "bad"), ("Khác", [3, 3])]
    )
    assert [d["tone"] for d in data["datasets"]] == ["ok", "bad", ""]
    with pytest.raises(ValueError):
        charts.series("x", [1], "green")


def test_the_plans_chart_colours_overdue_red_whatever_the_order(alice, tree, after_deadline):
    from danvan.plans.panels import dashboard_panel
    from danvan.reports.periods import ReportPeriod
    from danvan.reports.queries import scope_for

    overdue_task(alice, tree["ward"])
    panel = dashboard_panel(scope_for(alice, tree["ward"], ReportPeriod("year", 2026, 1)))
    tones_by_name = {str(s[0]): s[2] for s in panel.charts[0].series}
    assert tones_by_name == {
        "Hoàn thành": "ok",
        "Quá hạn": "bad",
        "Nhiệm vụ khác chưa hoàn thành": "neutral",
    }
