"""Filters for the dashboard's panels: figures in the active language's format, the change
against the previous period, chart data for json_script."""

from django import template
from django.apps import apps
from django.utils.translation import gettext as _

from danvan.core import charts
from danvan.reports.contrib import number

register = template.Library()


@register.filter
def figure(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value)
    return "" if value is None else value


@register.filter
def delta(fig) -> dict:
    """The change since the previous period, with its direction (up, down, same)."""
    if not isinstance(fig.value, int | float) or not isinstance(fig.previous, int | float):
        return {"direction": "", "text": ""}
    change = round(fig.value - fig.previous, 1)
    if change == 0:
        return {"direction": "same", "text": _("unchanged")}
    sign = "+" if change > 0 else "−"
    return {
        "direction": "up" if change > 0 else "down",
        "text": f"{sign}{number(abs(change))}{fig.unit}",
    }


@register.filter
def chart_data(chart) -> dict:
    return charts.chart_data(
        chart.kind, chart.labels, chart.series, stacked=chart.stacked, tones=chart.tones
    )


@register.filter
def rows_with_urls(table):
    urls = list(table.row_urls) + [""] * (len(table.rows) - len(table.row_urls))
    return zip(table.rows, urls, strict=False)


@register.filter
def app_name(key: str) -> str:
    try:
        return str(apps.get_app_config(key).verbose_name)
    except LookupError:
        return key
