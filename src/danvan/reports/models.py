"""Period reports, their issued versions, and the document formats they are laid out in."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.core.fields import PathField
from danvan.core.rules import ImmutableOnceInForce
from danvan.core.tree import ScopeSpec
from danvan.org.models import DocumentFormat, Organization, OrganizationType

from .periods import KINDS


class FormatSpec(models.Model):
    """How a document of one format (org.OrganizationType.document_format) is laid out.

    Data, seeded by migration reports/0001_initial from the Party's guidance 36-HD/VPTW
    (2018) and Decree 30/2020/NĐ-CP, Appendix I; an operator may change it in the admin."""

    document_format = models.CharField(
        _("document format"), max_length=10, choices=DocumentFormat.choices, unique=True
    )
    citation = models.CharField(_("legal basis"), max_length=200)
    national_line = models.CharField(
        _("national line"), max_length=120, help_text=_("Top right, upper case")
    )
    motto_line = models.CharField(_("motto"), max_length=120, blank=True)
    underline_national = models.BooleanField(
        _("underline the national line"),
        default=False,
        help_text=_("The Party's format underlines its name; the state's underlines its motto."),
    )
    show_superior = models.BooleanField(
        _("show the superior body"),
        default=True,
        help_text=_("Top left: the superior body's name above the issuing body's."),
    )
    body_mark = models.CharField(
        _("mark under the issuing body"), max_length=4, blank=True, help_text=_("e.g. *")
    )
    number_pattern = models.CharField(
        _("number pattern"),
        max_length=60,
        help_text=_("{n} the number, {abbr} the issuing body's abbreviation"),
    )
    place_date_pattern = models.CharField(
        _("place and date pattern"),
        max_length=80,
        default="{place}, ngày {day} tháng {month} năm {year}",
    )
    kind_line = models.CharField(_("kind of document"), max_length=40, default="BÁO CÁO")
    title_pattern = models.CharField(
        _("title pattern"),
        max_length=200,
        default="Kết quả công tác dân vận {period}",
        help_text=_("{period}: the period in words"),
    )
    signature_pattern = models.CharField(
        _("signature authority pattern"), max_length=80, default="T/M {body}"
    )
    signer_title = models.CharField(_("signer's title"), max_length=80, default="TRƯỞNG BAN")
    recipients = models.TextField(
        _("recipients"), default="- Như trên,\n- Lưu VT.", help_text=_("One per line")
    )
    font_name = models.CharField(_("font"), max_length=60, default="Times New Roman")
    font_size = models.DecimalField(
        _("body font size (pt)"), max_digits=4, decimal_places=1, default=14
    )
    header_font_size = models.DecimalField(
        _("header font size (pt)"), max_digits=4, decimal_places=1, default=13
    )
    margin_top_mm = models.PositiveSmallIntegerField(_("top margin (mm)"), default=20)
    margin_bottom_mm = models.PositiveSmallIntegerField(_("bottom margin (mm)"), default=20)
    margin_left_mm = models.PositiveSmallIntegerField(_("left margin (mm)"), default=30)
    margin_right_mm = models.PositiveSmallIntegerField(_("right margin (mm)"), default=15)

    class Meta:
        verbose_name = _("document format")
        verbose_name_plural = _("document formats")
        ordering = ["document_format"]

    def __str__(self) -> str:
        return self.get_document_format_display()


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Collecting figures")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class CutOffRule(ImmutableOnceInForce, models.Model):
    """Which days a period's figures count, for one type of organization: from day
    `start_day` of the month before the period to the day before it in the period's last
    month (Decree 09/2019/NĐ-CP, Art. 12: the 15th to the 14th), or the calendar period
    when `start_day` is 1. A type without a rule reports on calendar periods."""

    org_type = models.ForeignKey(
        OrganizationType, verbose_name=_("organization type"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    start_day = models.PositiveSmallIntegerField(
        _("data counted from day"),
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("1: calendar periods; 15: from the 15th of the month before the period "
                    "to the 14th of its last month"),
    )  # fmt: skip
    citation = models.CharField(_("legal basis"), max_length=300)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("data cut-off rule")
        verbose_name_plural = _("data cut-off rules")
        ordering = ["org_type", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_type", "effective_from"], name="cutoff_rule_unique"
            ),
            models.CheckConstraint(
                condition=Q(start_day__gte=1, start_day__lte=28), name="cutoff_rule_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_type}: {self.citation}"

    def used(self) -> bool:
        return PeriodReport.objects.filter(cutoff_rule=self).exists()


class PeriodReport(models.Model):
    """A unit's report for a period: drafted from the data, edited, then issued."""

    unit = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = PathField(_("unit path"), max_length=255, db_index=True, editable=False)
    # Whose work the report covers: a commission reports on its Party committee's subtree.
    subject = models.ForeignKey(
        Organization, verbose_name=_("covers"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=KINDS)
    year = models.PositiveSmallIntegerField(_("year"))
    index = models.PositiveSmallIntegerField(_("index"), default=1)
    # The data window: the calendar period, or the cut-off of the unit's type (CutOffRule).
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    cutoff_rule = models.ForeignKey(
        CutOffRule, verbose_name=_("data cut-off"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    document_format = models.CharField(
        _("document format"), max_length=10, choices=DocumentFormat.choices
    )
    number = models.CharField(_("number"), max_length=60, blank=True)
    place = models.CharField(_("place"), max_length=100)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    superior = models.CharField(_("superior body"), max_length=200, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=30)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    job_state = models.CharField(
        _("generation"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    job_error = models.TextField(_("generation error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    # Like every record of a unit: under an organization grant by its path, under an area
    # grant by the unit's area (a city commission officer granted on the city).
    scope = ScopeSpec(org="unit_path", area="unit__area__path")

    class Meta:
        verbose_name = _("period report")
        verbose_name_plural = _("period reports")
        ordering = ["-end", "-pk"]
        indexes = [models.Index(fields=["unit_path", "end"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year", "index"], name="reports_one_report_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or self.title} — {self.issuer}"

    def save(self, *args, **kwargs):
        self.unit_path = self.unit.path
        super().save(*args, **kwargs)

    @property
    def period(self):
        from .periods import ReportPeriod

        return ReportPeriod(self.kind, self.year, self.index)

    @property
    def worker_lost(self) -> bool:
        """Failed because the worker collecting it stopped (core.jobs), not an app error."""
        return self.job_state == JobState.FAILED and self.job_error.startswith("WorkerLost")

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()


class ReportSection(models.Model):
    """One app's part of a report: its heading, editable paragraphs and its tables."""

    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40)
    title = models.CharField(_("heading"), max_length=300)
    paragraphs = models.JSONField(_("paragraphs"), default=list)
    # [{"title", "columns", "rows"}]: figures from the data, not edited by hand
    tables = models.JSONField(default=list)

    scope = ScopeSpec(org="report__unit_path", area="report__unit__area__path")

    class Meta:
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="reports_section_unique_key")
        ]

    def __str__(self) -> str:
        return self.title


def version_path(instance, filename: str) -> str:
    return f"reports/{instance.report_id}/v{instance.number}/{filename}"


class ReportVersion(models.Model):
    """An issued, frozen version: the files as issued, with their SHA-256."""

    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    content = models.JSONField(default=dict)  # the report's fields and sections as issued
    docx = models.FileField(upload_to=version_path, max_length=300)
    docx_sha256 = models.CharField(max_length=64)
    xlsx = models.FileField(upload_to=version_path, max_length=300)
    xlsx_sha256 = models.CharField(max_length=64)
    pdf = models.FileField(upload_to=version_path, max_length=300)
    pdf_sha256 = models.CharField(max_length=64)

    scope = ScopeSpec(org="report__unit_path", area="report__unit__area__path")

    class Meta:
        verbose_name = _("issued version")
        verbose_name_plural = _("issued versions")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="reports_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"
