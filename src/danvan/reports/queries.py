"""Reads: the dashboard's panels for a subtree and period, and the reports a user may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from danvan.accounts.scope import visible
from danvan.core.errors import NotFound
from danvan.core.tree import under
from danvan.org.models import Organization

from . import contrib, cutoff
from .models import PeriodReport, ReportSection, ReportVersion
from .periods import ReportPeriod


def data_window(unit: Organization | None, period: ReportPeriod) -> cutoff.Window:
    """The dates the dashboard counts: the cut-off of the unit's type, or the calendar
    period for "all my units" (which may mix types)."""
    return cutoff.window(period, unit.type if unit is not None else None)


def scope_for(user, unit: Organization | None, period: ReportPeriod) -> contrib.Scope:
    window = data_window(unit, period)
    previous = cutoff.window(period.previous, rule=window.rule)
    return contrib.Scope(
        user=user,
        org=unit,
        start=window.start,
        end=window.end,
        previous_start=previous.start,
        previous_end=previous.end,
    )


def panel_keys() -> list[str]:
    """The apps that contribute a panel, in order (one htmx request each)."""
    return [m.__name__.split(".")[1] for m in contrib.contributors()]


def panel(user, *, unit: Organization | None, period: ReportPeriod, key: str):
    """One app's panel; NotFound for an app that contributes none."""
    for module in contrib.contributors():
        if module.__name__.split(".")[1] == key:
            return module.dashboard_panel(scope_for(user, unit, period))
    raise NotFound(_("Unknown panel: %(key)s.") % {"key": key[:40]}, field="panel")


def panels(user, *, unit: Organization | None, period: ReportPeriod) -> list[contrib.Panel]:
    return contrib.panels(scope_for(user, unit, period))


def reports(user, *, unit: Organization | None = None) -> QuerySet:
    qs = visible(user, PeriodReport.objects.select_related("unit", "unit__type"))
    if unit is not None:
        qs = qs.filter(under(unit.path, "unit_path"))
    return qs.order_by("-end", "-pk")


def get_report(user, report_id: int) -> PeriodReport:
    found = reports(user).filter(pk=report_id).first()
    if found is None:
        raise NotFound(_("Unknown report: %(id)s.") % {"id": report_id}, field="report")
    return found


def get_section(user, report: PeriodReport, section_id: int) -> ReportSection:
    found = report.sections.filter(pk=section_id).first()
    if found is None:
        raise NotFound(_("Unknown section: %(id)s.") % {"id": section_id}, field="section")
    return found


def get_version(user, report: PeriodReport, number: int) -> ReportVersion:
    found = visible(user, ReportVersion.objects.filter(report=report, number=number)).first()
    if found is None:
        raise NotFound(_("Unknown version: %(n)s.") % {"n": number}, field="version")
    return found
