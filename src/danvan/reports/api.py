"""Dashboards and period reports over /api/v1/reports/.

Thin: parse → query or service → schema. What a user may see is decided by `queries`
(anything else is 404); what they may change by `services` (403 without `reports.issue`).
The files of an issued version are downloaded from the pages (`download_urls`)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from danvan.core import versions
from danvan.core.pagination import Pagination
from danvan.org import queries as org_queries

from . import queries, services
from .periods import current, parse

router = Router(tags=["Reports"])

PERIOD_HELP = (
    "2026-q1 .. 2026-q4, 2026-h1, 2026-h2, 2026-9m or 2026; the current quarter if omitted"
)


# Dashboard --------------------------------------------------------------------------------


class FigureOut(Schema):
    label: str
    value: int | float | str
    previous: int | float | None = None
    unit: str = ""
    url: str = ""
    tone: str = ""


class TableOut(Schema):
    title: str
    columns: list[str]
    rows: list[list[Any]]
    row_urls: list[str] = []


class SeriesOut(Schema):
    label: str
    data: list[int | float]


class ChartOut(Schema):
    kind: str
    title: str
    labels: list[str]
    series: list[SeriesOut]


class PanelOut(Schema):
    key: str
    title: str
    url: str = ""
    figures: list[FigureOut]
    tables: list[TableOut]
    charts: list[ChartOut]


class PeriodOut(Schema):
    key: str
    label: str
    start: dt.date
    end: dt.date
    previous_key: str


class ReportsDashboardOut(Schema):
    unit: int | None = Field(None, description="The organization whose subtree is shown")
    period: PeriodOut
    panels: list[PanelOut]


class ReportsDashboardFilter(Schema):
    unit: int | None = Field(None, description="An organization id: its subtree")
    period: str | None = Field(None, max_length=20, description=PERIOD_HELP)


def _unit(request, unit_id: int | None):
    if unit_id is None:
        return None
    return org_queries.get_organization(request.user, unit_id, field="unit")


def _period_out(period) -> dict:
    return {
        "key": period.key,
        "label": str(period.label),
        "start": period.start,
        "end": period.end,
        "previous_key": period.previous.key,
    }


def _panel_out(panel) -> dict:
    return {
        "key": panel.key,
        "title": str(panel.title),
        "url": panel.url,
        "figures": [
            {
                "label": str(f.label),
                "value": f.value if not hasattr(f.value, "__html__") else str(f.value),
                "previous": f.previous,
                "unit": f.unit,
                "url": f.url,
                "tone": f.tone,
            }
            for f in panel.figures
        ],
        "tables": [
            {
                "title": str(t.title),
                "columns": [str(c) for c in t.columns],
                "rows": [
                    [v if isinstance(v, int | float) or v is None else str(v) for v in row]
                    for row in t.rows
                ],
                "row_urls": list(t.row_urls),
            }
            for t in panel.tables
        ],
        "charts": [
            {
                "kind": c.kind,
                "title": str(c.title),
                "labels": [str(x) for x in c.labels],
                "series": [{"label": str(s[0]), "data": list(s[1])} for s in c.series],
            }
            for c in panel.charts
        ],
    }


@router.get(
    "/dashboard",
    response=ReportsDashboardOut,
    summary="Dashboard of a subtree for a period",
    description="One panel per contributing app (tasks and documents, the movement, citizens' "
    "voices, ...): figures with the previous period's value, sibling comparison tables and "
    "chart data — counts only, never personal data, within what the user may see.",
)
def dashboard(request: HttpRequest, filters: Query[ReportsDashboardFilter]):
    unit = _unit(request, filters.unit)
    period = parse(filters.period) if filters.period else current()
    panels = queries.panels(request.user, unit=unit, period=period)
    return {
        "unit": unit.pk if unit else None,
        "period": _period_out(period),
        "panels": [_panel_out(p) for p in panels],
    }


# Reports ----------------------------------------------------------------------------------


class SectionOut(Schema):
    id: int
    key: str
    title: str
    paragraphs: list[str]
    tables: list[dict]
    version: str = Field(description="Send it as If-Match when replacing the narrative")

    @staticmethod
    def resolve_version(obj) -> str:
        return versions.version_of(obj, services.SECTION_FIELDS)


class VersionOut(Schema):
    number: int
    issued_at: dt.datetime
    docx_sha256: str
    xlsx_sha256: str
    pdf_sha256: str
    download_urls: dict[str, str]

    @staticmethod
    def resolve_download_urls(obj) -> dict[str, str]:
        return {
            fmt: reverse("reports:version", args=[obj.report_id, obj.number, fmt])
            for fmt in ("docx", "pdf", "xlsx")
        }


class ReportsReportOut(Schema):
    id: int
    unit: int = Field(..., alias="unit_id")
    kind: str
    year: int
    index: int
    period: str
    start: dt.date
    end: dt.date
    document_format: str
    number: str
    place: str
    date: dt.date
    title: str
    state: str
    job_state: str = Field(..., description="queued, running, done or failed")
    progress: int

    @staticmethod
    def resolve_period(obj) -> str:
        return obj.period.key


class ReportsReportDetail(ReportsReportOut):
    superior: str
    issuer: str
    abbreviation: str
    signer_name: str
    signer_title: str
    recipients: str
    sections: list[SectionOut]
    versions: list[VersionOut]

    @staticmethod
    def resolve_sections(obj):
        return list(obj.sections.order_by("position"))

    @staticmethod
    def resolve_versions(obj):
        return list(obj.versions.order_by("number"))


class ReportsReportFilter(Schema):
    unit: int | None = Field(None, description="Only this organization's subtree")


class ReportsReportIn(Schema):
    unit: int
    period: str = Field(..., max_length=20, description=PERIOD_HELP)


class DetailsIn(Schema):
    title: str | None = Field(None, max_length=300)
    place: str | None = Field(None, max_length=100)
    date: dt.date | None = None
    superior: str | None = Field(None, max_length=200)
    issuer: str | None = Field(None, max_length=200)
    abbreviation: str | None = Field(None, max_length=30)
    signer_name: str | None = Field(None, max_length=120)
    signer_title: str | None = Field(None, max_length=120)
    recipients: str | None = Field(None, max_length=2000)


class SectionIn(Schema):
    paragraphs: list[str] = Field(..., max_length=services.MAX_PARAGRAPHS)


@router.get("/reports", response=list[ReportsReportOut], summary="List period reports")
@paginate(Pagination)
def list_reports(request: HttpRequest, filters: Query[ReportsReportFilter]):
    return queries.reports(request.user, unit=_unit(request, filters.unit))


@router.post(
    "/reports",
    response={201: ReportsReportDetail},
    summary="Generate a period report",
    description="Drafts the unit's report for the period from the data; the figures are "
    "collected in the background (follow `job_state` and `progress`). Needs `reports.issue` on "
    "the unit. One report per unit and period (409 for a second).",
)
def generate_report(request: HttpRequest, payload: ReportsReportIn):
    unit = _unit(request, payload.unit)
    period = parse(payload.period)
    report = services.generate_report(actor=request.user, unit=unit, period=period)
    return Status(201, queries.get_report(request.user, report.pk))


@router.get("/reports/{report_id}", response=ReportsReportDetail, summary="Read a period report")
def get_report(request: HttpRequest, response: HttpResponse, report_id: int):
    report = queries.get_report(request.user, report_id)
    versions.tag(response, report, services.DETAIL_FIELDS)
    return report


@router.patch(
    "/reports/{report_id}",
    response=ReportsReportDetail,
    summary="Change a report's title, place, date, header or signer",
)
def update_report(request: HttpRequest, response: HttpResponse, report_id: int, payload: DetailsIn):
    """With If-Match (the report's ETag), refused with 412 when it changed meanwhile."""
    report = queries.get_report(request.user, report_id)
    values = payload.dict(exclude_unset=True)
    values = {k: v for k, v in values.items() if v is not None or k != "date"}
    services.update_details(
        actor=request.user, report=report, expected_version=versions.if_match(request), **values
    )
    report = queries.get_report(request.user, report_id)
    versions.tag(response, report, services.DETAIL_FIELDS)
    return report


@router.put(
    "/reports/{report_id}/sections/{section_id}",
    response=SectionOut,
    summary="Replace a section's narrative",
    description="The paragraphs only: a section's tables are figures from the data. Editing an "
    "issued report makes it a draft of its next version.",
)
def update_section(
    request: HttpRequest, response: HttpResponse, report_id: int, section_id: int,
    payload: SectionIn,
):  # fmt: skip
    """With If-Match (the section's `version`), refused with 412 when it changed meanwhile."""
    report = queries.get_report(request.user, report_id)
    section = queries.get_section(request.user, report, section_id)
    section = services.update_section(
        actor=request.user,
        section=section,
        paragraphs=payload.paragraphs,
        expected_version=versions.if_match(request),
    )
    versions.tag(response, section, services.SECTION_FIELDS)
    return section


@router.post(
    "/reports/{report_id}/issue",
    response={201: VersionOut},
    summary="Issue a period report",
    description="Freezes the report as its next version (DOCX, XLSX annex, PDF, each stored with "
    "its SHA-256); the first issue gives it its number. 409 while figures are being collected "
    "or when nothing changed since the last issue.",
)
def issue_report(request: HttpRequest, report_id: int):
    report = queries.get_report(request.user, report_id)
    return Status(201, services.issue_report(actor=request.user, report=report))
