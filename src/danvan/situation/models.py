"""The people's situation (periodic reports by topic and place), signals, welfare campaigns
and land handover for projects.

Aggregate only: reports are about topics and places; no table here describes a citizen.
Beneficiaries and affected households are known by a household code; a beneficiary's name,
when recorded at all, is stored encrypted and shown only to the handling unit's holders of
`situation.view_beneficiaries`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from danvan.core.tree import ScopeSpec
from danvan.org.models import Area, Organization, OrganizationType, Period


def _localized(obj) -> str:
    if obj.name_en and not (get_language() or "vi").startswith("vi"):
        return obj.name_en
    return obj.name


# Reference data ---------------------------------------------------------------------------


class Topic(models.Model):
    """A subject of the people's situation; editable data, not code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    count_label = models.CharField(
        _("count asked for (Vietnamese)"),
        max_length=200,
        blank=True,
        help_text=_("e.g. workers affected by wage arrears; empty when the topic has no count"),
    )
    count_label_en = models.CharField(_("count asked for (English)"), max_length=200, blank=True)
    voices_topic = models.CharField(
        _("citizens' voices topic"),
        max_length=40,
        blank=True,
        help_text=_("Code of the matching topic of citizens' cases, to combine hot spots"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("situation topic")
        verbose_name_plural = _("situation topics")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return _localized(self)

    @property
    def count_question(self) -> str:
        if self.count_label_en and not (get_language() or "vi").startswith("vi"):
            return self.count_label_en
        return self.count_label


class Level(models.IntegerChoices):
    """The scale of concern, in order: a higher number is more serious."""

    STABLE = 1, _("Stable")
    ATTENTION = 2, _("Needs attention")
    TENSE = 3, _("Tense")


LEVEL_CODES = {"stable": Level.STABLE, "attention": Level.ATTENTION, "tense": Level.TENSE}
CODE_OF_LEVEL = {v: k for k, v in LEVEL_CODES.items()}


class Source(models.TextChoices):
    ACTIVITIES = "activities", _("Activities of the organization")
    DIALOGUE = "dialogue", _("Dialogue")
    VOTER_CONTACT = "voter_contact", _("Voter contact")
    SUPERVISION = "supervision", _("Supervision")
    PETITIONS = "petitions", _("Petitions received")
    MEDIA = "media", _("Press and media")


class Frequency(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")


class ReportingRule(models.Model):
    """Which organization types report, how often, and how many days after the period
    ends the report is due."""

    org_type = models.OneToOneField(
        OrganizationType,
        verbose_name=_("organization type"),
        on_delete=models.CASCADE,
        related_name="situation_rule",
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    due_days = models.PositiveSmallIntegerField(_("due (days after the period ends)"), default=5)
    is_active = models.BooleanField(_("active"), default=True)
    citation = models.CharField(_("basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("reporting rule")
        verbose_name_plural = _("reporting rules")
        ordering = ["org_type__sort_order", "org_type__code"]

    def __str__(self) -> str:
        return f"{self.org_type}: {self.get_frequency_display()}"


class SignalKind(models.TextChoices):
    TENSE = "tense", _("Tense")
    RISING = "rising", _("Rising")
    HOT_SPOT = "hot_spot", _("Hot spot of citizens' cases")


class SignalMeasure(models.TextChoices):
    UNITS_AT_LEVEL = "units_at_level", _("Units reporting the topic at or above a level")
    MORE_UNITS = "more_units", _("More units at or above a level than in the previous period")
    LEVEL_UP = "level_up", _("Units whose level went up since their previous report")


class SignalRule(models.Model):
    """A rule that raises a signal; thresholds are data. For one topic and kind only the
    first matching rule (by order) raises a signal, so the reports behind it are that
    rule's reports."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("signal"), max_length=10, choices=SignalKind.choices)
    measure = models.CharField(_("measure"), max_length=20, choices=SignalMeasure.choices)
    min_level = models.PositiveSmallIntegerField(
        _("level at or above"), choices=Level.choices, default=Level.TENSE
    )
    min_units = models.PositiveSmallIntegerField(_("at least this many units"), default=2)
    min_increase = models.PositiveSmallIntegerField(
        _("increase of at least"), default=0, help_text=_("For 'more units' rules")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("signal rule")
        verbose_name_plural = _("signal rules")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.code


# Reports -----------------------------------------------------------------------------------


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("report state", "Sent")
    REVIEWED = "reviewed", _("Reviewed")
    RETURNED = "returned", _("Returned for changes")


class SituationReport(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="situation_reports",
    )
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.SUBMITTED
    )
    summary = models.TextField(_("general remarks"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    flagged = models.BooleanField(
        _("may name a private person"),
        default=False,
        help_text=_("Set by the personal-data check on the narratives; shown to reviewers"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.TextField(_("review note"), blank=True)

    scope = ScopeSpec(org="organization__path", area="organization__area__path")

    class Meta:
        verbose_name = _("situation report")
        verbose_name_plural = _("situation reports")
        ordering = ["-period__start", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period"], name="situation_report_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["period", "organization"])]

    def __str__(self) -> str:
        return f"{self.organization} · {self.period}"


class ReportEntry(models.Model):
    report = models.ForeignKey(SituationReport, on_delete=models.CASCADE, related_name="entries")
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT)
    level = models.PositiveSmallIntegerField(_("level of concern"), choices=Level.choices)
    narrative = models.TextField(_("narrative"), blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    flags = models.JSONField(
        _("personal-data flags"), default=list, blank=True, help_text=_("What the check found")
    )

    scope = ScopeSpec(org="report__organization__path", area="report__organization__area__path")

    class Meta:
        verbose_name = _("report entry")
        verbose_name_plural = _("report entries")
        ordering = ["report", "topic__sort_order", "topic__code"]
        constraints = [
            models.UniqueConstraint(fields=["report", "topic"], name="situation_entry_per_topic"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="situation_level"),
        ]
        indexes = [models.Index(fields=["topic", "level"])]

    def __str__(self) -> str:
        return f"{self.topic}: {self.get_level_display()}"

    @property
    def level_code(self) -> str:
        return CODE_OF_LEVEL[self.level]


class FollowUpKind(models.TextChoices):
    TASK = "task", _("Task")
    DIALOGUE = "dialogue", _("Dialogue")


class SignalFollowUp(models.Model):
    """A signal turned into a task (plans) or a dialogue (voices): what, for which subtree
    and period, and which reports were behind it then."""

    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("signal"), max_length=10, choices=SignalKind.choices)
    follow_up = models.CharField(_("follow-up"), max_length=10, choices=FollowUpKind.choices)
    target_id = models.PositiveIntegerField()
    reports = models.ManyToManyField(SituationReport, related_name="+", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("signal follow-up")
        verbose_name_plural = _("signal follow-ups")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.topic} → {self.get_follow_up_display()}"


# Welfare campaigns -------------------------------------------------------------------------


class CampaignType(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    is_loan_fund = models.BooleanField(
        _("revolving loan fund"), default=False, help_text=_("e.g. the Farmers' Support Fund")
    )
    unit_label = models.CharField(
        _("what a household receives (Vietnamese)"), max_length=100, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("campaign type")
        verbose_name_plural = _("campaign types")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return _localized(self)


class Campaign(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organizing unit"),
        on_delete=models.PROTECT,
        related_name="welfare_campaigns",
    )
    type = models.ForeignKey(CampaignType, verbose_name=_("type"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=300)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    target_households = models.PositiveIntegerField(_("target households"), default=0)
    target_money = models.DecimalField(
        _("target money (VND)"), max_digits=18, decimal_places=0, default=Decimal(0)
    )
    target_items = models.PositiveIntegerField(_("target items"), default=0)
    items_label = models.CharField(_("items"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # Units under the organizer take part (they record their beneficiaries), so they see it.
    scope = ScopeSpec(org="organization__path", area="organization__area__path", cascades=True)

    class Meta:
        verbose_name = _("welfare campaign")
        verbose_name_plural = _("welfare campaigns")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name


class FundingKind(models.TextChoices):
    STATE_BUDGET = "state_budget", _("State budget")
    RELIEF_FUND = "relief_fund", _("Fatherland Front relief fund")
    ENTERPRISES = "enterprises", _("Enterprises")
    CONTRIBUTIONS = "contributions", _("Contributions of people and organizations")


class Funding(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="fundings")
    kind = models.CharField(_("source"), max_length=20, choices=FundingKind.choices)
    amount = models.DecimalField(_("amount (VND)"), max_digits=18, decimal_places=0)
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope = ScopeSpec(org="campaign__organization__path", area="campaign__organization__area__path")

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        ordering = ["campaign", "received_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount}"


class BeneficiaryCategory(models.TextChoices):
    POOR = "poor", _("Poor household")
    NEAR_POOR = "near_poor", _("Near-poor household")
    POLICY = "policy", _("Policy family (war invalids, martyrs, people with merit)")
    DISASTER = "disaster", _("Affected by natural disaster")
    OTHER = "other", _("Other hardship")


class Progress(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    BUILDING = "building", _("Being built")
    BUILT = "built", _("Built")
    HANDED_OVER = "handed_over", _("Handed over")


PROGRESS_ORDER = [p.value for p in Progress]


class Beneficiary(models.Model):
    """A household helped by a campaign: a code, a place, a category. The name is optional,
    encrypted, and never leaves the handling unit."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="beneficiaries")
    unit = models.ForeignKey(
        Organization,
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="welfare_beneficiaries",
    )
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT)
    household_code = models.CharField(_("household code"), max_length=40)
    category = models.CharField(_("category"), max_length=12, choices=BeneficiaryCategory.choices)
    funding_kind = models.CharField(
        _("funded by"), max_length=20, choices=FundingKind.choices, blank=True
    )
    name_enc = models.TextField(blank=True)
    progress = models.CharField(
        _("progress"), max_length=12, choices=Progress.choices, default=Progress.REGISTERED
    )
    built_on = models.DateField(_("built on"), null=True, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    disbursed = models.DecimalField(
        _("disbursed (VND)"), max_digits=18, decimal_places=0, default=Decimal(0)
    )
    items = models.PositiveIntegerField(_("items given"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("beneficiary household")
        verbose_name_plural = _("beneficiary households")
        ordering = ["campaign", "household_code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "household_code"], name="beneficiary_once_per_campaign"
            ),
            models.CheckConstraint(condition=Q(disbursed__gte=0), name="beneficiary_disbursed"),
        ]
        indexes = [models.Index(fields=["campaign", "unit"])]

    def __str__(self) -> str:
        return self.household_code


class Disbursement(models.Model):
    """Money paid to a beneficiary household; over the campaign's funds only with an
    override and its reason (both audited)."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="disbursements"
    )
    amount = models.DecimalField(_("amount (VND)"), max_digits=18, decimal_places=0)
    paid_on = models.DateField(_("paid on"))
    override_reason = models.CharField(
        _("reason for exceeding the funds"), max_length=500, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = ScopeSpec(org="beneficiary__unit__path", area="beneficiary__unit__area__path")

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.paid_on})"


class Loan(models.Model):
    """A loan from a revolving fund (the Farmers' Support Fund) to a household, by code."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="loans")
    unit = models.ForeignKey(
        Organization, verbose_name=_("handling unit"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT)
    household_code = models.CharField(_("household code"), max_length=40)
    purpose = models.CharField(_("purpose"), max_length=300)
    amount = models.DecimalField(_("amount lent (VND)"), max_digits=18, decimal_places=0)
    lent_on = models.DateField(_("lent on"))
    due_on = models.DateField(_("due on"))
    repaid = models.DecimalField(
        _("repaid (VND)"), max_digits=18, decimal_places=0, default=Decimal(0)
    )
    override_reason = models.CharField(
        _("reason for exceeding the funds"), max_length=500, blank=True
    )

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["campaign", "lent_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_positive"),
            models.CheckConstraint(
                condition=Q(repaid__gte=0, repaid__lte=models.F("amount")), name="loan_repaid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_code}: {self.amount}"

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.repaid


# Land handover -----------------------------------------------------------------------------


class LandProject(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("mobilizing unit"),
        on_delete=models.PROTECT,
        related_name="land_projects",
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    investor = models.CharField(_("investor"), max_length=300, blank=True)
    total_area_m2 = models.DecimalField(
        _("land to recover (m²)"), max_digits=14, decimal_places=1, default=Decimal(0)
    )
    starts_on = models.DateField(_("starts on"))
    deadline = models.DateField(_("handover deadline"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    scope = ScopeSpec(org="organization__path", area="organization__area__path", cascades=True)

    class Meta:
        verbose_name = _("land-handover project")
        verbose_name_plural = _("land-handover projects")
        ordering = ["-starts_on", "code"]

    def __str__(self) -> str:
        return self.name


class HandoverState(models.TextChoices):
    INFORMED = "informed", _("Informed")
    AGREED = "agreed", _("Agreed")
    HANDED_OVER = "handed_over", _("Handed over")


HANDOVER_ORDER = [s.value for s in HandoverState]


class IssueType(models.TextChoices):
    COMPENSATION = "compensation", _("Compensation price")
    RESETTLEMENT = "resettlement", _("Resettlement")
    LAND_ORIGIN = "land_origin", _("Origin of the land")
    GRAVES = "graves", _("Graves to move")
    JOBS = "jobs", _("Jobs and livelihoods")
    OTHER = "other", _("Other")


class AffectedHousehold(models.Model):
    project = models.ForeignKey(LandProject, on_delete=models.CASCADE, related_name="households")
    unit = models.ForeignKey(
        Organization, verbose_name=_("mobilizing unit"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT)
    household_code = models.CharField(_("household code"), max_length=40)
    area_m2 = models.DecimalField(_("land (m²)"), max_digits=12, decimal_places=1)
    state = models.CharField(
        _("state"), max_length=12, choices=HandoverState.choices, default=HandoverState.INFORMED
    )
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    issue_type = models.CharField(
        _("outstanding issue"), max_length=20, choices=IssueType.choices, blank=True
    )
    issue_note = models.CharField(_("issue"), max_length=500, blank=True)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("affected household")
        verbose_name_plural = _("affected households")
        ordering = ["project", "household_code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "household_code"], name="household_once_per_project"
            ),
            models.CheckConstraint(condition=Q(area_m2__gte=0), name="household_area"),
        ]

    def __str__(self) -> str:
        return self.household_code


class ProjectMeeting(models.Model):
    project = models.ForeignKey(LandProject, on_delete=models.CASCADE, related_name="meetings")
    unit = models.ForeignKey(Organization, verbose_name=_("unit"), on_delete=models.PROTECT)
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=300)
    households = models.PositiveIntegerField(_("households attending"), default=0)
    outcome = models.TextField(_("outcome"), blank=True)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("project meeting")
        verbose_name_plural = _("project meetings")
        ordering = ["project", "-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title
