"""Citizens' voices: petitions and their matters (complaints, denunciations,
recommendations) with legal time limits; citizen reception and dialogues.

Personal data is minimal. Citizens' identity fields are stored encrypted
(danvan.core.crypto) and read only through queries.reveal_identity, which checks the
role and writes an audit event."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.rules import ImmutableOnceInForce
from danvan.core.text import fold
from danvan.core.tree import ScopeSpec
from danvan.org.models import Area, Organization


class Topic(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and not (get_language() or "vi").startswith("vi"):
            return self.name_en
        return self.name


class Channel(models.TextChoices):
    RECEPTION = "reception", _("Citizen reception session")
    DIALOGUE = "dialogue", _("Dialogue")
    LETTER = "letter", _("Letter")
    ONLINE = "online", _("Online form")
    VOTER_CONTACT = "voter_contact", _("Voter contact")
    FRONT_SUPERVISION = "front_supervision", _("Fatherland Front supervision")
    PRESS = "press", _("Press")


class MatterKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    DENUNCIATION = "denunciation", _("Denunciation")
    RECOMMENDATION = "recommendation", _("Recommendation or reflection")


TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))


class Petition(models.Model):
    """A received document (đơn thư), holding one or more matters."""

    unit = models.ForeignKey(
        Organization, verbose_name=_("receiving unit"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    area = models.ForeignKey(
        Area, verbose_name=_("area concerned"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT)
    contents = models.TextField(_("contents"))
    fingerprint = models.TextField(editable=False, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    tracking_code = models.CharField(
        _("tracking code"), max_length=12, unique=True, default=new_tracking_code
    )
    reception = models.ForeignKey(
        "voices.ReceptionSession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
    )
    dialogue = models.ForeignKey(
        "voices.Dialogue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["area", "topic", "received_on"]),
            models.Index(fields=["topic", "received_on"]),
            # Newest first (lists, similar-case candidates) without sorting a million rows.
            models.Index(fields=["received_on", "id"], name="petition_received_idx"),
        ]

    def __str__(self) -> str:
        # Never the citizen's name: petitions appear in lists and logs.
        return f"{self.tracking_code} · {self.received_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.fingerprint = fold(self.contents)[:2000]
        super().save(*args, **kwargs)


class Citizen(models.Model):
    """A person who filed the petition. Identity fields are ciphertext; see core.crypto."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="citizens")
    name_enc = models.TextField()
    address_enc = models.TextField(blank=True)
    contact_enc = models.TextField(blank=True)

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")

    def __str__(self) -> str:
        return f"{_('citizen')} #{self.pk}"


class MatterState(models.TextChoices):
    RECEIVED = "received", _("Received")
    CLASSIFIED = "classified", _("Classified")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    FORWARDED = "forwarded", _("Forwarded")
    SETTLING = "settling", _("Being settled")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


OPEN_STATES = [
    MatterState.RECEIVED,
    MatterState.CLASSIFIED,
    MatterState.ACCEPTED,
    MatterState.SETTLING,
]


class Result(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    REJECTED = "rejected", _("Rejected")
    ANSWERED = "answered", _("Answered")


class Matter(models.Model):
    """One complaint, denunciation or recommendation of a petition, with its clock."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="matters")
    unit = models.ForeignKey(
        Organization, verbose_name=_("handling unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MatterKind.choices)
    summary = models.TextField(_("summary"))
    state = models.CharField(
        _("state"), max_length=16, choices=MatterState.choices, default=MatterState.RECEIVED
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    complicated = models.BooleanField(_("complicated"), default=False)
    # Law on Denunciations 2018, Art. 30: a complicated case may be extended once, an
    # especially complicated case twice; the two are distinct legal categories.
    especially_complicated = models.BooleanField(_("especially complicated"), default=False)
    complexity_grounds = models.ManyToManyField(
        "ComplexityCriterion", verbose_name=_("grounds of complexity"), blank=True,
        related_name="matters",
    )  # fmt: skip
    remote_area = models.BooleanField(_("remote area"), default=False)
    several_places = models.BooleanField(_("checks needed in several places"), default=False)
    first_complaint = models.ForeignKey(
        "self",
        verbose_name=_("first complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="second_complaints",
    )
    forwarded_to = models.ForeignKey(
        Organization,
        verbose_name=_("forwarded to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    not_accepted_reason = models.TextField(_("reason for not accepting"), blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    # The clock: due dates come from the rules in force when each clock started.
    intake_due_on = models.DateField(_("accept or classify by"), null=True, blank=True)
    settle_due_on = models.DateField(_("settle by"), null=True, blank=True)
    # The rules each clock started with: kept, so that a later rule never moves it.
    intake_rule = models.ForeignKey(
        "DeadlineRule", verbose_name=_("intake rule"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    settlement_rule = models.ForeignKey(
        "DeadlineRule", verbose_name=_("settlement rule"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["-petition__received_on", "-pk"]
        indexes = [
            models.Index(fields=["state", "settle_due_on"]),
            models.Index(fields=["state", "intake_due_on"]),
            models.Index(fields=["kind", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="not_accepted") | ~Q(not_accepted_reason=""),
                name="matter_reason_when_not_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def due_on(self):
        if self.state in (MatterState.RECEIVED, MatterState.CLASSIFIED):
            return self.intake_due_on
        if self.state in (MatterState.ACCEPTED, MatterState.SETTLING):
            return self.settle_due_on
        return None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class MatterEvent(models.Model):
    """The matter's timeline: every transition, with its note and documents."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(_("step"), max_length=30)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("matter event")
        verbose_name_plural = _("matter events")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.on}: {self.step}"


def document_path(instance, filename: str) -> str:
    return f"voices/{instance.event.matter_id}/{secrets.token_hex(16)}"


class MatterDocument(models.Model):
    event = models.ForeignKey(MatterEvent, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name


class DayCount(models.TextChoices):
    WORKING = "working", _("Working days")
    CALENDAR = "calendar", _("Calendar days")


class Step(models.TextChoices):
    ACCEPT = "accept", _("Accept or not")
    CLASSIFY = "classify", _("Classify and check")
    FORWARD = "forward", _("Forward to the competent body")
    SETTLE = "settle", _("Settle")
    SETTLE_SECOND = "settle_second", _("Settle a second-time complaint")
    FILE = "file", _("File a complaint")
    FILE_SECOND = "file_second", _("File a second-time complaint")


class Condition(models.TextChoices):
    NORMAL = "normal", _("Normal")
    COMPLICATED = "complicated", _("Complicated")
    REMOTE = "remote", _("Remote area")
    COMPLICATED_REMOTE = "complicated_remote", _("Complicated, remote area")
    ESPECIALLY_COMPLICATED = "especially_complicated", _("Especially complicated")
    SEVERAL_PLACES = "several_places", _("Checks in several places")


class DeadlineRule(ImmutableOnceInForce, models.Model):
    """A legal time limit, as data: which kind and step, how many days of which sort,
    under which condition, how it may be extended, the citation, and when it is in force.
    Never changed once in force or used (core.rules): a new row takes over from its date."""

    kind = models.CharField(_("kind"), max_length=16, choices=MatterKind.choices)
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    condition = models.CharField(
        _("condition"), max_length=24, choices=Condition.choices, default=Condition.NORMAL
    )
    days = models.PositiveSmallIntegerField(_("days"))
    day_count = models.CharField(_("counted in"), max_length=10, choices=DayCount.choices)
    max_extensions = models.PositiveSmallIntegerField(_("extensions allowed"), default=0)
    extension_days = models.PositiveSmallIntegerField(_("days per extension"), default=0)
    citation = models.CharField(_("legal basis"), max_length=300)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["kind", "step", "condition", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "step", "condition", "effective_from"], name="deadline_rule_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_step_display()} · {self.get_condition_display()}: {self.days}"

    def used(self) -> bool:
        return Matter.objects.filter(Q(intake_rule=self) | Q(settlement_rule=self)).exists()

    def clean(self):
        """A new rule cannot reach back over clocks already running: from today, or from a
        past date only when no matter of its kind was received since."""
        from django.core.exceptions import ValidationError

        if self.pk is None and self.effective_from and self.kind:
            since = Matter.objects.filter(
                kind=self.kind, petition__received_on__gte=self.effective_from
            )
            if self.effective_from < timezone.localdate() and since.exists():
                raise ValidationError(
                    {
                        "effective_from": _(
                            "Matters of this kind were received since that date and their clocks "
                            "run under the rules then in force; a new rule takes effect from today "
                            "or later."
                        )
                    }
                )


class ComplexityLevel(models.TextChoices):
    COMPLICATED = "complicated", _("Complicated")
    ESPECIALLY_COMPLICATED = "especially_complicated", _("Especially complicated")


class ComplexityCriterion(ImmutableOnceInForce, models.Model):
    """One ground on which a case counts as complicated (or especially complicated), as set
    by the Government's decree detailing the law; ticked on the matter as its checklist."""

    kind = models.CharField(_("kind"), max_length=16, choices=MatterKind.choices)
    level = models.CharField(
        _("level"), max_length=24, choices=ComplexityLevel.choices,
        default=ComplexityLevel.COMPLICATED,
    )  # fmt: skip
    code = models.CharField(_("code"), max_length=40)
    text = models.CharField(_("criterion"), max_length=300)
    citation = models.CharField(_("legal basis"), max_length=300)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("complexity criterion")
        verbose_name_plural = _("complexity criteria")
        ordering = ["kind", "level", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code", "effective_from"], name="complexity_criterion_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def used(self) -> bool:
        return self.matters.exists()

    @classmethod
    def in_force(cls, kind: str, on) -> models.QuerySet:
        return cls.objects.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on),
            kind=kind,
            effective_from__lte=on,
        )


class HeadRole(models.TextChoices):
    COMMUNE_PC_CHAIR = "commune_pc_chair", _("Chair of the commune People's Committee")
    PROVINCE_PC_CHAIR = "province_pc_chair", _("Chair of the provincial People's Committee")
    AGENCY_HEAD = "agency_head", _("Head of an agency")
    PROVINCE_PARTY_HEAD = "province_party_head", _("Head of the provincial Party committee")
    COMMUNE_PARTY_HEAD = "commune_party_head", _("Head of the commune Party committee")


class ReceptionRule(ImmutableOnceInForce, models.Model):
    """How often a head must receive citizens (days per week or month), with its basis."""

    head_role = models.CharField(_("head"), max_length=24, choices=HeadRole.choices)
    days = models.PositiveSmallIntegerField(_("days at least"))
    per = models.CharField(
        _("per"), max_length=8, choices=[("week", _("week")), ("month", _("month"))]
    )
    citation = models.CharField(_("legal basis"), max_length=300)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("reception rule")
        verbose_name_plural = _("reception rules")
        ordering = ["head_role", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.get_head_role_display()}: {self.days}/{self.per}"


class ReceptionSession(models.Model):
    """A citizen-reception day held (or scheduled) by a head, possibly by delegation."""

    unit = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    head_role = models.CharField(_("head"), max_length=24, choices=HeadRole.choices)
    head_name = models.CharField(_("head's name"), max_length=200)
    held_on = models.DateField(_("date"))
    head_present = models.BooleanField(_("head present"), default=True)
    delegate = models.CharField(_("delegated to"), max_length=200, blank=True)
    citizens_received = models.PositiveIntegerField(_("citizens received"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("reception session")
        verbose_name_plural = _("reception sessions")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.head_name} · {self.held_on:%d/%m/%Y}"


class Dialogue(models.Model):
    """A direct dialogue between a Party-committee or government head and citizens."""

    unit = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    heads = models.CharField(_("heads taking part"), max_length=300)
    participants = models.PositiveIntegerField(_("citizens taking part"), default=0)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class Commitment(models.Model):
    """What a head committed to in a dialogue: an owner, a due date, and the answer."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="commitments")
    content = models.TextField(_("commitment"))
    owner = models.ForeignKey(
        Organization, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    scope = ScopeSpec(org="dialogue__unit__path", area="dialogue__unit__area__path")

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.content[:80]


class Notification(models.Model):
    """A message for a user (deadline reminders); shown on their pages."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("message"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(
        max_length=100, help_text="Deduplication key, e.g. matter:12:due:2026-03-01"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once")]

    def __str__(self) -> str:
        return self.message


class MatterTally(models.Model):
    """Matters counted per handling unit, year received, kind and state: the summary the
    national dashboard reads (a few rows per unit and year instead of every matter). Kept
    exact by the services that write matters; `services.rebuild_tallies` recounts it."""

    unit = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=MatterKind.choices)
    state = models.CharField(max_length=16, choices=MatterState.choices)
    n = models.IntegerField(default=0)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("matter tally")
        verbose_name_plural = _("matter tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "kind", "state"], name="matter_tally_unique"
            )
        ]
        # Covers the roll-up: the figures are read from the index alone.
        indexes = [
            models.Index(fields=["year", "unit", "kind", "state", "n"], name="matter_tally_cover")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.year} · {self.kind} · {self.state}: {self.n}"


MONTH_TALLY_UNIT = ["unit", "year", "month", "kind", "state"]
MONTH_TALLY_MONTH = ["year", "month", "unit", "kind", "state"]
MONTH_TALLY_FIGURES = ["n", "accepted", "decided", "on_time", "late"]


class MatterMonthTally(models.Model):
    """Matters counted per handling unit, month received, kind and state, with how many of
    them were accepted, decided, decided on time and late: the summary the voices panel,
    report section and dashboard read for periods made of whole months (quarters, halves,
    9 months, years). Kept exact with MatterTally by the services that write matters."""

    # Indexed by the unique constraint, which starts with the unit.
    unit = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=MatterKind.choices)
    state = models.CharField(max_length=16, choices=MatterState.choices)
    n = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    decided = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("matter tally by month")
        verbose_name_plural = _("matter tallies by month")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "month", "kind", "state"], name="matter_month_tally_unique"
            )
        ]
        # Both read from the index alone: a subtree's units one by one (the unit first), the
        # whole country by months (the month first).
        indexes = [
            models.Index(
                fields=[*MONTH_TALLY_UNIT, *MONTH_TALLY_FIGURES], name="matter_month_unit"
            ),
            models.Index(
                fields=[*MONTH_TALLY_MONTH, *MONTH_TALLY_FIGURES], name="matter_month_cover"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.unit_id} · {self.year}-{self.month:02d} · {self.kind} · {self.state}: {self.n}"
        )
