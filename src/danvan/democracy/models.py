"""Grassroots democracy (Law 10/2022/QH15): what the commune publicizes and when, what
residents decide by household representatives or comment on, and the people's and the
Front's supervision with its recommendations tracked until answered.

Rules (publication time limits, vote thresholds) are data with a citation and the dates
they are in force; a record keeps the rule that applied when its clock started.
Household representatives' names are personal data: never in lists for the public,
exports, roll-ups or the audit log."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from danvan.core.collation import Vietnamese
from danvan.core.rules import ImmutableOnceInForce
from danvan.core.text import fold
from danvan.core.tree import ScopeSpec
from danvan.org.models import Organization


class NamedData(models.Model):
    """A row of editable reference data with a Vietnamese and an English name."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        if self.name_en and not (get_language() or "vi").startswith("vi"):
            return self.name_en
        return self.name


class DayCount(models.TextChoices):
    WORKING = "working", _("Working days")
    CALENDAR = "calendar", _("Calendar days")


# Disclosures -------------------------------------------------------------------------------


class DisclosureCategory(NamedData):
    class Meta(NamedData.Meta):
        verbose_name = _("disclosure category")
        verbose_name_plural = _("disclosure categories")


class DisclosureRule(ImmutableOnceInForce, models.Model):
    """How soon after its decision an item must be publicized, and how long it stays posted.
    A rule without a category is the general one; a category's own rule wins."""

    category = models.ForeignKey(
        DisclosureCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rules",
        help_text=_("Empty: the general rule for every category without its own"),
    )
    publish_within = models.PositiveSmallIntegerField(_("publish within (days)"))
    day_count = models.CharField(_("counted in"), max_length=10, choices=DayCount.choices)
    min_posting_days = models.PositiveSmallIntegerField(
        _("minimum posting period (days)"), null=True, blank=True
    )
    citation = models.CharField(_("legal basis"), max_length=300)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("disclosure rule")
        verbose_name_plural = _("disclosure rules")
        ordering = ["category__sort_order", "-effective_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "effective_from"], name="disclosure_rule_unique"
            ),
            models.UniqueConstraint(
                fields=["effective_from"],
                condition=Q(category__isnull=True),
                name="disclosure_rule_general_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or _('General')}: {self.publish_within} ({self.citation})"

    def used(self) -> bool:
        return Disclosure.objects.filter(rule=self).exists()


class DisclosureForm(models.TextChoices):
    NOTICE_BOARD = "notice_board", _("Notice board")
    LOUDSPEAKER = "loudspeaker", _("Loudspeaker")
    WEBSITE = "website", _("Website")
    MEETING = "meeting", _("Meeting")


class DisclosureStatus(models.TextChoices):
    ON_TIME = "on_time", _("Publicized on time")
    LATE = "late", _("Publicized late")
    MISSING = "missing", _("Not publicized, overdue")
    PENDING = "pending", _("Not publicized yet, within the time limit")


class Disclosure(models.Model):
    """An item a unit must publicize: its decision, the due date from the rule in force on
    the decision date, and when, how and for how long it was posted."""

    unit = models.ForeignKey(
        Organization, verbose_name=_("publicizing unit"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        DisclosureCategory, verbose_name=_("category"), on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=300)
    search_name = models.CharField(max_length=400, editable=False, blank=True)
    content = models.TextField(_("content"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"))
    rule = models.ForeignKey(
        DisclosureRule, verbose_name=_("rule applied"), null=True, on_delete=models.PROTECT
    )
    due_on = models.DateField(_("publicize by"), null=True)
    min_posting_days = models.PositiveSmallIntegerField(
        _("minimum posting period (days)"), null=True, blank=True
    )
    published_on = models.DateField(_("publicized on"), null=True, blank=True)
    forms = models.JSONField(_("forms"), default=list, blank=True)
    posted_until = models.DateField(_("posted until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-decision_date", "-pk"]
        indexes = [
            models.Index(fields=["decision_date"]),
            models.Index(fields=["published_on", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(published_on__gte=F("decision_date")),
                name="disclosure_published_after_decision",
            ),
            models.CheckConstraint(
                condition=Q(posted_until__isnull=True)
                | (Q(published_on__isnull=False) & Q(posted_until__gte=F("published_on"))),
                name="disclosure_posting_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.title} {self.decision_number}")[:400]
        super().save(*args, **kwargs)

    def status(self, today=None) -> str:
        today = today or timezone.localdate()
        if self.published_on is not None:
            if self.due_on is None or self.published_on <= self.due_on:
                return DisclosureStatus.ON_TIME
            return DisclosureStatus.LATE
        if self.due_on is not None and today > self.due_on:
            return DisclosureStatus.MISSING
        return DisclosureStatus.PENDING

    def status_label(self, today=None) -> str:
        return DisclosureStatus(self.status(today)).label

    @property
    def posting_days(self) -> int | None:
        if self.published_on and self.posted_until:
            return (self.posted_until - self.published_on).days + 1
        return None

    @property
    def posting_too_short(self) -> bool:
        days = self.posting_days
        return bool(self.min_posting_days and days is not None and days < self.min_posting_days)

    def form_labels(self) -> list[str]:
        return [str(DisclosureForm(f).label) for f in self.forms if f in DisclosureForm.values]


def document_path(instance, filename: str) -> str:
    return f"democracy/{instance.disclosure_id}/{secrets.token_hex(16)}"


class DisclosureDocument(models.Model):
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    scope = ScopeSpec(org="disclosure__unit__path", area="disclosure__unit__area__path")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


# Consultations ------------------------------------------------------------------------------


class MatterMode(models.TextChoices):
    DECIDE = "decide", _("Residents discuss and decide")
    COMMENT = "comment", _("Residents comment")


class MatterType(NamedData):
    """What is put to residents: a contribution, a village convention, a draft plan..."""

    mode = models.CharField(_("mode"), max_length=10, choices=MatterMode.choices)

    class Meta(NamedData.Meta):
        verbose_name = _("matter type")
        verbose_name_plural = _("matter types")


class ThresholdRule(ImmutableOnceInForce, models.Model):
    """The share of all household representatives that makes a decision valid."""

    matter_type = models.ForeignKey(
        MatterType, verbose_name=_("matter type"), on_delete=models.PROTECT, related_name="rules"
    )
    percent = models.DecimalField(_("threshold (%)"), max_digits=7, decimal_places=4)
    strict = models.BooleanField(
        _("more than (not at least)"),
        default=False,
        help_text=_("On: more than the threshold; off: at least the threshold"),
    )
    citation = models.CharField(_("legal basis"), max_length=300)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("threshold rule")
        verbose_name_plural = _("threshold rules")
        ordering = ["matter_type__sort_order", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter_type", "effective_from"], name="threshold_rule_unique"
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="threshold_rule_range"
            ),
        ]

    def __str__(self) -> str:
        sign = ">" if self.strict else "≥"
        return f"{self.matter_type}: {sign} {self.percent.normalize():f}% ({self.citation})"

    def used(self) -> bool:
        return Consultation.objects.filter(rule=self).exists()


class Household(models.Model):
    """A household registered in a residential community (hamlet, residential group).
    Reports know it by its code; the representative's name is for the officers only."""

    community = models.ForeignKey(
        Organization, verbose_name=_("residential community"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    code = models.CharField(_("household code"), max_length=40)
    representative = models.CharField(_("representative"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    registered_at = models.DateTimeField(default=timezone.now)

    scope = ScopeSpec(org="community__path", area="community__area__path")

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["community", "code"]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="household_code_unique")
        ]

    def __str__(self) -> str:
        # Never the representative: households appear in lists and logs.
        return self.code


class ConsultationForm(models.TextChoices):
    MEETING = "meeting", _("Meeting of household representatives")
    BALLOT = "ballot", _("Ballot")
    ONLINE = "online", _("Online vote")


class ConsultationState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    RECOGNIZED = "recognized", _("Recognized by the commune")


class Consultation(models.Model):
    """A matter put to a residential community: decided by its household representatives,
    or commented on. The threshold is the rule in force on the day it opened."""

    unit = models.ForeignKey(
        Organization, verbose_name=_("organizing unit"), on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        Organization, verbose_name=_("residential community"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    matter_type = models.ForeignKey(
        MatterType, verbose_name=_("matter type"), on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    form = models.CharField(_("form"), max_length=10, choices=ConsultationForm.choices)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    state = models.CharField(
        _("state"), max_length=12, choices=ConsultationState.choices, default="open"
    )
    households_total = models.PositiveIntegerField(_("households registered"), default=0)
    rule = models.ForeignKey(
        ThresholdRule, verbose_name=_("threshold rule"), null=True, blank=True,
        on_delete=models.PROTECT,
    )  # fmt: skip
    threshold_percent = models.DecimalField(
        _("threshold (%)"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    threshold_strict = models.BooleanField(_("more than (not at least)"), default=False)
    yes = models.PositiveIntegerField(_("yes"), default=0)
    no = models.PositiveIntegerField(_("no"), default=0)
    abstain = models.PositiveIntegerField(_("abstain"), default=0)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    is_valid = models.BooleanField(_("valid"), null=True, blank=True)
    recognized_on = models.DateField(_("recognized on"), null=True, blank=True)
    recognition_number = models.CharField(_("recognition decision"), max_length=100, blank=True)
    recognized_by = models.ForeignKey(
        Organization, verbose_name=_("recognized by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    response = models.TextField(_("response of the proposing body"), blank=True)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_on", "-pk"]
        indexes = [models.Index(fields=["opens_on"]), models.Index(fields=["state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="consultation_dates_order"
            ),
            models.CheckConstraint(
                condition=Q(threshold_percent__isnull=True)
                | (Q(threshold_percent__gte=0) & Q(threshold_percent__lte=100)),
                name="consultation_threshold_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_decision(self) -> bool:
        return self.matter_type.mode == MatterMode.DECIDE

    @property
    def votes_cast(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def yes_percent(self) -> float | None:
        if not self.households_total:
            return None
        return round(100 * self.yes / self.households_total, 1)

    @property
    def turnout_percent(self) -> float | None:
        if not self.households_total:
            return None
        return round(100 * self.votes_cast / self.households_total, 1)

    @property
    def threshold_label(self) -> str:
        if self.threshold_percent is None:
            return ""
        sign = ">" if self.threshold_strict else "≥"
        return f"{sign} {self.threshold_percent.normalize():f}%"


class VoteChoice(models.TextChoices):
    YES = "yes", _("Agree")
    NO = "no", _("Disagree")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    """One household's vote; the choice is never shown outside the officers' pages."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="votes")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("choice"), max_length=8, choices=VoteChoice.choices)
    cast_on = models.DateField(_("cast on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = ScopeSpec(org="consultation__unit__path", area="consultation__unit__area__path")

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "household"], name="one_vote_per_household"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}/{self.household_id}"


class Comment(models.Model):
    """A comment received on a matter for comment, grouped by a topic tag. No author."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    topic = models.CharField(_("topic"), max_length=100)
    content = models.TextField(_("comment"))
    received_on = models.DateField(_("received on"))

    scope = ScopeSpec(org="consultation__unit__path", area="consultation__unit__area__path")

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["topic", "pk"]

    def __str__(self) -> str:
        return f"{self.topic}: {self.content[:60]}"


# Supervision --------------------------------------------------------------------------------


class BodyKind(models.TextChoices):
    INSPECTION = "inspection", _("People's Inspection Board")
    INVESTMENT = "investment", _("Community Investment Supervision Board")
    FRONT = "front", _("Fatherland Front committee")
    SOCIO_POLITICAL = "socio_political", _("Socio-political organization")


class SupervisionBody(models.Model):
    """Who supervises: a board (with members and a term) or the Front / an organization."""

    unit = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+",
        help_text=_("The Front committee that set up the board, or the supervising body"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=16, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=300)
    term_start = models.DateField(_("term from"), null=True, blank=True)
    term_end = models.DateField(_("term until"), null=True, blank=True)
    projects = models.TextField(
        _("projects supervised"), blank=True, help_text=_("One project per line")
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("supervision body")
        verbose_name_plural = _("supervision bodies")
        ordering = ["kind", Vietnamese("name"), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=F("term_start")),
                name="supervision_body_term_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def project_list(self) -> list[str]:
        return [line.strip() for line in self.projects.splitlines() if line.strip()]


class BoardMember(models.Model):
    """A member of a board: personal data, shown to officers only, never on the portal."""

    body = models.ForeignKey(SupervisionBody, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position in the board"), max_length=100, blank=True)

    scope = ScopeSpec(org="body__unit__path", area="body__unit__area__path")

    class Meta:
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{_('member')} #{self.pk}"


class ActivityKind(models.TextChoices):
    SUPERVISION = "supervision", _("Supervision")
    SOCIAL_CRITICISM = "social_criticism", _("Social criticism of a draft")


class Activity(models.Model):
    """A supervision (of a project, a policy's implementation...) or a social-criticism
    opinion on a draft, within a programme, with its findings."""

    body = models.ForeignKey(
        SupervisionBody, verbose_name=_("supervising body"), on_delete=models.PROTECT,
        related_name="activities",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    programme = models.CharField(_("programme"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    held_on = models.DateField(_("date"))
    findings = models.TextField(_("findings"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    scope = ScopeSpec(org="body__unit__path", area="body__unit__area__path")

    class Meta:
        verbose_name = _("supervision activity")
        verbose_name_plural = _("supervision activities")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.subject


class Recommendation(models.Model):
    """A recommendation to a body concerned, with a deadline, tracked until answered."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="recommendations")
    addressee = models.ForeignKey(
        Organization, verbose_name=_("body concerned"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    content = models.TextField(_("recommendation"))
    made_on = models.DateField(_("made on"))
    due_on = models.DateField(_("answer by"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    scope = ScopeSpec(org="activity__body__unit__path", area="activity__body__unit__area__path")

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["answered_on", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("made_on")), name="recommendation_due_after_made"
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("made_on")),
                name="recommendation_answer_after_made",
            ),
        ]

    def __str__(self) -> str:
        return self.content[:80]

    def status(self, today=None) -> str:
        today = today or timezone.localdate()
        if self.answered_on is not None:
            return "answered_late" if self.answered_on > self.due_on else "answered"
        return "overdue" if today > self.due_on else "open"

    def status_label(self, today=None) -> str:
        return str(RECOMMENDATION_STATUS[self.status(today)])


RECOMMENDATION_STATUS = {
    "open": _("Awaiting an answer"),
    "overdue": _("Overdue, not answered"),
    "answered": _("Answered on time"),
    "answered_late": _("Answered late"),
}


class Response(models.Model):
    """The body concerned's answer to a recommendation (several may follow each other)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="responses"
    )
    responded_on = models.DateField(_("responded on"))
    content = models.TextField(_("response"))
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = ScopeSpec(
        org="recommendation__activity__body__unit__path",
        area="recommendation__activity__body__unit__area__path",
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["responded_on", "pk"]

    def __str__(self) -> str:
        return f"{self.responded_on}: {self.content[:60]}"


class SatisfactionSurvey(models.Model):
    """Residents' satisfaction with a service of the unit: counts per level, no individuals."""

    unit = models.ForeignKey(
        Organization, verbose_name=_("unit rated"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.CharField(_("service"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    very_satisfied = models.PositiveIntegerField(_("very satisfied"), default=0)
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    neutral = models.PositiveIntegerField(_("neutral"), default=0)
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"), default=0)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-period_end", "service", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="satisfaction_period_order"
            ),
            models.UniqueConstraint(
                fields=["unit", "service", "period_start", "period_end"],
                name="satisfaction_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.period_start}–{self.period_end}"

    @property
    def total(self) -> int:
        return self.very_satisfied + self.satisfied + self.neutral + self.dissatisfied

    @property
    def satisfied_percent(self) -> float | None:
        if not self.total:
            return None
        return round(100 * (self.very_satisfied + self.satisfied) / self.total, 1)
