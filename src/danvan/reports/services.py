"""Every write of the reports app: generate a period report, edit it, issue it.

Generation collects each contributing app's section in a background task (tasks.py);
issuing freezes a numbered version whose three files are stored with their SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import can, require
from danvan.audit.log import record, snapshot
from danvan.core import versions
from danvan.core.errors import Conflict, clean_text
from danvan.org.models import Organization

from . import contrib, cutoff, documents
from .errors import ReportsError
from .models import JobState, PeriodReport, ReportSection, ReportState, ReportVersion
from .periods import ReportPeriod, parse

ACTION = "reports.issue"
MAX_PARAGRAPHS = 40
MAX_PARAGRAPH = 5000
# Words that open an area's name and are left out of the place line ("Hải Phòng, ngày ...").
AREA_WORDS = ("thành phố", "tỉnh", "phường", "xã", "đặc khu", "thị trấn", "huyện", "quận")
SECTION_FIELDS = ["paragraphs"]
DETAIL_FIELDS = [
    "title",
    "place",
    "date",
    "superior",
    "issuer",
    "abbreviation",
    "signer_name",
    "signer_title",
    "recipients",
]


# Defaults drawn from the unit -------------------------------------------------------------


def _strip_area_word(name: str) -> str:
    for word in AREA_WORDS:
        if name.lower().startswith(word + " "):
            return name[len(word) + 1 :].strip()
    return name


def _initials(words: str) -> str:
    letters = []
    for word in words.split():
        first = unicodedata.normalize("NFD", word[0].upper())[0]
        if first.isalpha():
            letters.append(first)
    return "".join(letters)


def issuer_parts(unit: Organization, spec) -> tuple[str, str, str]:
    """(superior, issuing body, abbreviation) as the header's top left says them.

    "Ban Dân vận Thành ủy Hải Phòng" under "Thành ủy Hải Phòng" → superior "Thành ủy Hải
    Phòng", body "Ban Dân vận", abbreviation "BDVTU"; "Ủy ban nhân dân Phường Thành Đông" →
    body on two lines "Ủy ban nhân dân / Phường Thành Đông", abbreviation "UBND"."""
    name = unit.name.strip()
    area_name = unit.area.name.strip()
    short_area = _strip_area_word(area_name)
    parent = Organization.objects.get_parent(unit) if unit.depth > 1 else None
    superior, body = "", name
    if spec.show_superior and parent is not None and name.endswith(parent.name.strip()):
        superior = parent.name.strip()
        body = name[: -len(superior)].strip() or name
    elif name.endswith(area_name) and len(name) > len(area_name):
        body = name[: -len(area_name)].strip() + "\n" + area_name
    core = name
    for tail in (area_name, short_area):
        if core.endswith(tail) and len(core) > len(tail):
            core = core[: -len(tail)].strip()
            break
    return superior, body, _initials(core)[:30] or "BC"


# A commission advises its Party committee and reports on the committee's whole subtree.
COMMISSION_TYPES = ("mass-mobilization-commission", "propaganda-mass-mobilization-commission")


def default_subject(actor, unit: Organization) -> Organization:
    """The subtree a unit's report covers: its own, or its Party committee's for a
    commission (when the author may see it)."""
    if unit.type.code in COMMISSION_TYPES and unit.depth > 1:
        parent = Organization.objects.get_parent(unit)
        if can(actor, None, parent):
            return parent
    return unit


def _place(unit: Organization) -> str:
    return _strip_area_word(unit.area.name.strip())


# Generate ---------------------------------------------------------------------------------


def generate_report(
    *,
    actor,
    unit: Organization,
    period: str | ReportPeriod,
    date: dt.date | None = None,
    run_now: bool = False,
) -> PeriodReport:
    """A draft report of `unit` for `period`, its figures collected in the background (or
    at once with run_now, as the demo does). One report per unit and period."""
    from .tasks import collect_sections

    require(actor, ACTION, unit)
    if not isinstance(period, ReportPeriod):
        period = parse(period)
    from .documents import format_of

    with transaction.atomic():
        existing = (
            PeriodReport.objects.select_for_update()
            .filter(unit=unit, kind=period.kind, year=period.year, index=period.index)
            .first()
        )
        if existing is not None and existing.job_state == JobState.FAILED:
            report = _retry(actor, existing, run_now=run_now)
        elif existing is not None:
            raise Conflict(
                _("%(unit)s already has a report for %(period)s.")
                % {"unit": unit.name, "period": period.label},
                field="period",
            )
        else:
            fmt = unit.type.document_format
            data_window = cutoff.window(period, unit.type)
            report = PeriodReport(
                unit=unit,
                subject=default_subject(actor, unit),
                kind=period.kind,
                year=period.year,
                index=period.index,
                start=data_window.start,
                end=data_window.end,
                cutoff_rule=data_window.rule,
                document_format=fmt,
                created_by=actor,
            )
            spec = format_of(report)
            report.superior, report.issuer, report.abbreviation = issuer_parts(unit, spec)
            report.place = _place(unit)
            report.date = date or min(timezone.localdate(), period.end + dt.timedelta(days=10))
            report.title = spec.title_pattern.format(period=period.title_words)
            report.signer_title = spec.signer_title
            report.recipients = spec.recipients
            report.save()
            record(actor=actor, action="reports.generate", obj=report, after=snapshot(report))
            if not run_now:
                transaction.on_commit(lambda: collect_sections.enqueue(report.pk))
    if run_now:
        collect_sections.call(report.pk)
        report.refresh_from_db()
    return report


def _retry(actor, report: PeriodReport, *, run_now: bool = False) -> PeriodReport:
    from .tasks import collect_sections

    report.job_state, report.progress, report.job_error = JobState.QUEUED, 0, ""
    report.save(update_fields=["job_state", "progress", "job_error", "changed_at"])
    record(actor=actor, action="reports.retry", obj=report)
    if not run_now:
        transaction.on_commit(lambda: collect_sections.enqueue(report.pk))
    return report


def retry_report(*, actor, report: PeriodReport) -> PeriodReport:
    """Collect the figures again after the collection failed (an app's error, now fixed,
    or a worker that stopped): the report and its details are kept."""
    require(actor, ACTION, report.unit)
    with transaction.atomic():
        report = PeriodReport.objects.select_for_update().get(pk=report.pk)
        if report.job_state != JobState.FAILED:
            raise Conflict(_("Only a report whose figures could not be collected is retried."))
        return _retry(actor, report)


def scope_of(report: PeriodReport) -> contrib.Scope:
    """The report's data window, and the period before counted by the same rule."""
    previous = cutoff.window(report.period.previous, rule=report.cutoff_rule)
    return contrib.Scope(
        user=report.created_by,
        org=report.subject,
        start=report.start,
        end=report.end,
        previous_start=previous.start,
        previous_end=previous.end,
    )


def closing_sections() -> list[contrib.Section]:
    """The parts only people can write: left for the user to fill in before issue."""
    return [
        contrib.Section(
            key="assessment",
            title=_("Overall assessment"),
            paragraphs=[_("Strengths, limitations and their causes (to be completed).")],
        ),
        contrib.Section(
            key="next",
            title=_("Tasks for the next period"),
            paragraphs=[_("Key tasks for the next period (to be completed).")],
        ),
    ]


def _stored(value):
    """A table cell as JSON: numbers stay numbers, dates read the Vietnamese way."""
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def store_sections(report: PeriodReport, sections: list[contrib.Section]) -> None:
    """Replace the report's sections by freshly collected ones (the task's last step)."""
    with transaction.atomic():
        report = PeriodReport.objects.select_for_update().get(pk=report.pk)
        report.sections.all().delete()
        ReportSection.objects.bulk_create(
            ReportSection(
                report=report,
                position=i,
                key=section.key,
                title=str(section.title)[:300],
                paragraphs=[str(p) for p in section.paragraphs],
                tables=[
                    {
                        "title": str(t.title),
                        "columns": [str(c) for c in t.columns],
                        "rows": [[_stored(v) for v in row] for row in t.rows],
                    }
                    for t in section.tables
                ],
            )
            for i, section in enumerate([*sections, *closing_sections()])
        )
        report.job_state, report.progress, report.job_error = JobState.DONE, 100, ""
        report.save(update_fields=["job_state", "progress", "job_error", "changed_at"])
        record(
            actor=None,
            action="reports.collect",
            obj=report,
            changes={"sections": [None, [s.key for s in sections]]},
        )


# Edit -------------------------------------------------------------------------------------


def _editable(actor, report: PeriodReport) -> PeriodReport:
    require(actor, ACTION, report)
    report = PeriodReport.objects.select_for_update().get(pk=report.pk)
    if report.job_state != JobState.DONE:
        raise Conflict(_("The report's figures are still being collected."), field="report")
    return report


def _reopen(report: PeriodReport) -> None:
    # An issued report that is edited becomes a draft of its next version.
    if report.state == ReportState.ISSUED:
        report.state = ReportState.DRAFT


def update_section(
    *, actor, section: ReportSection, paragraphs: list[str], expected_version: str | None = None
) -> ReportSection:
    """Replace a section's narrative; its tables (figures from the data) stay as collected.
    With `expected_version` (core.versions), refused when someone saved it meanwhile."""
    if not isinstance(paragraphs, list) or len(paragraphs) > MAX_PARAGRAPHS:
        raise ReportsError(
            _("At most %(n)d paragraphs.") % {"n": MAX_PARAGRAPHS}, field="paragraphs"
        )
    cleaned = [
        clean_text(
            p,
            "paragraphs",
            max_length=MAX_PARAGRAPH,
            required=False,
            multiline=True,
            error=ReportsError,
        )
        for p in paragraphs
    ]
    cleaned = [p for p in cleaned if p]
    with transaction.atomic():
        report = _editable(actor, section.report)
        section = ReportSection.objects.select_for_update().get(pk=section.pk, report=report)
        versions.check(section, SECTION_FIELDS, expected_version)
        before = section.paragraphs
        section.paragraphs = cleaned
        section.save(update_fields=["paragraphs"])
        _reopen(report)
        report.save(update_fields=["state", "changed_at"])
        record(
            actor=actor,
            action="reports.edit_section",
            obj=report,
            changes={f"section:{section.key}": [before, cleaned]},
        )
    return section


def update_details(
    *, actor, report: PeriodReport, expected_version: str | None = None, **values
) -> PeriodReport:
    """Title, place, date, header lines, signer and recipients."""
    unknown = set(values) - set(DETAIL_FIELDS)
    if unknown:
        raise ReportsError(_("Unknown field."), field=sorted(unknown)[0])
    limits = {
        "title": 300,
        "place": 100,
        "superior": 200,
        "issuer": 200,
        "abbreviation": 30,
        "signer_name": 120,
        "signer_title": 120,
        "recipients": 2000,
    }
    cleaned = {}
    for name, value in values.items():
        if name == "date":
            if not isinstance(value, dt.date):
                raise ReportsError(_("Enter a valid date."), field="date")
            cleaned[name] = value
            continue
        required = name in ("title", "place", "issuer", "abbreviation")
        multiline = name in ("issuer", "recipients")
        cleaned[name] = clean_text(
            value,
            name,
            max_length=limits[name],
            required=required,
            multiline=multiline,
            error=ReportsError,
        )
    with transaction.atomic():
        report = _editable(actor, report)
        versions.check(report, DETAIL_FIELDS, expected_version)
        before = snapshot(report, DETAIL_FIELDS)
        for name, value in cleaned.items():
            setattr(report, name, value)
        if report.date < report.start:
            raise ReportsError(_("The report cannot be dated before its period."), field="date")
        _reopen(report)
        report.save()
        record(
            actor=actor,
            action="reports.edit",
            obj=report,
            before=before,
            after=snapshot(report, DETAIL_FIELDS),
        )
    return report


# Issue ------------------------------------------------------------------------------------


def _next_number(report: PeriodReport) -> int:
    """The issuing body's next report number of the year (numbers restart each January)."""
    issued = PeriodReport.objects.filter(
        unit=report.unit, date__year=report.date.year, versions__isnull=False
    ).exclude(pk=report.pk)
    return issued.values("pk").distinct().count() + 1


def issue_report(*, actor, report: PeriodReport) -> ReportVersion:
    """Freeze the report as its next version: DOCX, XLSX annex and PDF, stored with their
    SHA-256. The first issue gives the report its number."""
    with transaction.atomic():
        report = _editable(actor, report)
        if report.state == ReportState.ISSUED:
            raise Conflict(
                _("This version is already issued; edit the report to issue a new one."),
                field="report",
            )
        spec = documents.format_of(report)
        if not report.number:
            report.number = spec.number_pattern.format(
                n=_next_number(report), abbr=report.abbreviation
            )
        data = documents.content(report)
        files = {
            "docx": documents.docx_bytes(data),
            "xlsx": documents.xlsx_bytes(data),
            "pdf": documents.pdf_bytes(data),
        }
        number = (
            report.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        version = ReportVersion(
            report=report, number=number, issued_at=timezone.now(), issued_by=actor, content=data
        )
        stem = f"bao-cao-{report.pk}-v{number}"
        for ext, blob in files.items():
            getattr(version, ext).save(f"{stem}.{ext}", ContentFile(blob), save=False)
            setattr(version, f"{ext}_sha256", hashlib.sha256(blob).hexdigest())
        version.save()
        report.state = ReportState.ISSUED
        report.save(update_fields=["state", "number", "changed_at"])
        record(
            actor=actor,
            action="reports.issue",
            obj=report,
            changes={
                "version": [None, number],
                "number": [None, report.number],
                **{f"{ext}_sha256": [None, getattr(version, f"{ext}_sha256")] for ext in files},
            },
        )
    return version
