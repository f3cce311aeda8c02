"""Documents to implement, work programmes and their tasks (cascaded down the tree), review
conferences and coordination programmes.

Bulk-insert friendly: no save() does anything correctness depends on. What services keep in
step (a task's owner_path, its roll-up figures and pace date) is recomputed by
`services.recompute_rollup(task)` / `services.recompute_all(...)` after a bulk load.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.fields import PathField
from danvan.core.text import fold, search_q
from danvan.core.tree import ScopeSpec
from danvan.org.models import Organization, Period


def _upload_path(instance, filename: str) -> str:
    # A random name: the original is kept in `original_name`, never used as a path.
    return f"plans/{instance._meta.model_name}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """One optional document file (type, size and content checked by core.uploads)."""

    file = models.FileField(_("file"), upload_to=_upload_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True

    @property
    def has_file(self) -> bool:
        return bool(self.file)


class SearchQuerySet(models.QuerySet):
    def search(self, text: str):
        return self.filter(search_q(text))


# Documents to implement --------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    DIRECTIVE = "directive", _("Directive")
    CONCLUSION = "conclusion", _("Conclusion")
    PLAN = "plan", _("Plan")
    PROGRAMME = "programme", _("Programme")
    INSTRUCTION = "instruction", _("Instruction")
    REGULATION = "regulation", _("Regulation")
    OTHER = "other", _("Other document")


class Document(Attachment):
    """A document a higher level issues and lower units must implement, e.g. Directive
    28-CT/TU of 6 Dec 2024."""

    issuer = models.ForeignKey(
        Organization, verbose_name=_("issuing body"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    number = models.CharField(_("number and symbol"), max_length=60, help_text=_("e.g. 28-CT/TU"))
    issued_on = models.DateField(_("issued on"))
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    search_name = models.CharField(max_length=600, editable=False, default="")
    recipients = models.ManyToManyField(
        Organization,
        verbose_name=_("addressed to"),
        through="Recipient",
        related_name="documents_received",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SearchQuerySet.as_manager()
    # Readable by the issuer's subtree and by every unit in the issuer's area (the addressees).
    scope = ScopeSpec(org="issuer__path", area="issuer__area__path", cascades=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="plans_document_number")
        ]
        indexes = [models.Index(fields=["issuer", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.number} · {self.title}"

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.number} {self.title}")
        super().save(*args, **kwargs)


class Recipient(models.Model):
    """A unit a document is addressed to."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipient_rows")
    unit = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")
        constraints = [
            models.UniqueConstraint(fields=["document", "unit"], name="plans_recipient_once")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.unit_id}"


class ActionKind(models.TextChoices):
    IMPLEMENTING_PLAN = "plan", _("Issue an implementing plan")
    REPORT = "report", _("Report")
    PRELIMINARY_REVIEW = "preliminary_review", _("Preliminary review")
    FINAL_REVIEW = "final_review", _("Final review")


class RequiredAction(models.Model):
    """What a document requires of each addressee, by a date."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("required action"), max_length=20, choices=ActionKind.choices)
    due_on = models.DateField(_("due on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("required action")
        verbose_name_plural = _("required actions")
        ordering = ["document", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "kind", "due_on"], name="plans_action_once_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.due_on:%d/%m/%Y}"


class Completion(Attachment):
    """A unit has done a required action: on a date, with its own document number and file."""

    action = models.ForeignKey(RequiredAction, on_delete=models.CASCADE, related_name="completions")
    unit = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    done_on = models.DateField(_("done on"))
    reference = models.CharField(_("document number"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        ordering = ["action", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["action", "unit"], name="plans_completion_once")
        ]

    def __str__(self) -> str:
        return f"{self.action} · {self.unit_id} · {self.done_on:%d/%m/%Y}"


# Work programmes and tasks --------------------------------------------------------------------


class ProgrammeKind(models.TextChoices):
    ANNUAL = "annual", _("Annual")
    HALF = "half", _("6-month")
    QUARTER = "quarter", _("Quarterly")
    OTHER = "other", _("Other")


class WorkProgramme(models.Model):
    """An organization's work programme for a year, half-year or quarter."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ProgrammeKind.choices)
    title = models.CharField(_("title"), max_length=300)
    period = models.ForeignKey(
        Period,
        verbose_name=_("period"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = ScopeSpec(org="organization__path", area="organization__area__path")

    class Meta:
        verbose_name = _("work programme")
        verbose_name_plural = _("work programmes")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="plans_programme_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class TaskState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = (TaskState.PLANNED, TaskState.IN_PROGRESS)


class Rollup(models.TextChoices):
    COUNT = "count", _("Share of units done")
    SUM = "sum", _("Sum of values against targets")
    WEIGHTED = "weighted", _("Weighted percent")


class Task(models.Model):
    """A task of a unit: deadline, target, progress, state; a parent task is cascaded to
    lower units (one child each) and its progress rolls up from theirs.

    Kept by services (recompute with services.recompute_rollup after bulk inserts):
    owner_path = owner.path; percent, value, children_total, children_done; on_pace_until.
    """

    owner = models.ForeignKey(
        Organization, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="+"
    )
    # Denormalized owner.path: "everything under X" is one indexed range (core.tree.under).
    owner_path = PathField(max_length=255, editable=False)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    search_name = models.CharField(max_length=500, editable=False, default="")
    programme = models.ForeignKey(
        WorkProgramme,
        verbose_name=_("work programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cascaded from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    coordination = models.ForeignKey(
        "CoordinationProgramme",
        verbose_name=_("coordination programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    origin = models.CharField(
        _("origin"),
        max_length=120,
        blank=True,
        help_text=_("Where the task came from, e.g. conference:12 or situation.signal:7"),
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("assignees"), blank=True, related_name="+"
    )
    start_on = models.DateField(_("start"))
    deadline = models.DateField(_("deadline"))
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField(
        _("unit of measure"), max_length=50, blank=True, help_text=_("e.g. buổi, hộ, km")
    )
    rollup = models.CharField(
        _("roll-up"), max_length=10, choices=Rollup.choices, default=Rollup.COUNT
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("1"),
        help_text=_("Weight of this task in its parent's weighted roll-up"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=TaskState.choices, default=TaskState.PLANNED
    )
    state_changed_on = models.DateField(_("state changed on"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # Progress: a leaf's latest report, a parent's roll-up (see services.recompute_rollup).
    percent = models.DecimalField(
        _("percent done"), max_digits=5, decimal_places=1, default=Decimal("0")
    )
    value = models.DecimalField(_("achieved"), max_digits=14, decimal_places=2, default=0)
    children_total = models.PositiveIntegerField(default=0)
    children_done = models.PositiveIntegerField(default=0)
    # The last day the progress so far is on a linear pace from start to deadline (rules.py).
    on_pace_until = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SearchQuerySet.as_manager()
    scope = ScopeSpec(org="owner_path", area="owner__area__path")

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="cancelled") | ~Q(cancel_reason=""),
                name="plans_task_cancel_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("start_on")), name="plans_task_order"
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="plans_task_percent"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="plans_task_weight"),
        ]
        indexes = [
            models.Index(fields=["owner_path", "state", "deadline"], name="plans_task_subtree"),
            models.Index(fields=["owner_path", "deadline"], name="plans_task_subtree_dl"),
            models.Index(fields=["state", "deadline"], name="plans_task_state_dl"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_name = fold(self.title)[:500]
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_cascaded(self) -> bool:
        return self.children_total > 0


class ProgressReport(Attachment):
    """What a unit reports on its task: a value towards the target, a percent, a narrative and
    an evidence file."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("date"))
    value = models.DecimalField(
        _("value achieved"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    percent = models.DecimalField(_("percent done"), max_digits=5, decimal_places=1)
    narrative = models.TextField(_("what was done"))
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="plans_report_percent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reported_on:%d/%m/%Y}: {self.percent}%"


# Review conferences ---------------------------------------------------------------------------


class ConferenceKind(models.TextChoices):
    BRIEFING = "briefing", _("Briefing (giao ban)")
    QUARTERLY = "quarterly", _("Quarterly review")
    HALF = "half", _("6-month review")
    ANNUAL = "annual", _("Annual review")
    PRELIMINARY = "preliminary", _("Preliminary review")
    FINAL = "final", _("Final review")


class Conference(Attachment):
    """A review conference (hội nghị giao ban, sơ kết, tổng kết) and what it concluded.
    The attachment is the report presented."""

    organizer = models.ForeignKey(
        Organization, verbose_name=_("organizing unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ConferenceKind.choices)
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    period = models.ForeignKey(
        Period,
        verbose_name=_("period reviewed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    participant_units = models.ManyToManyField(
        Organization, verbose_name=_("participating units"), blank=True, related_name="+"
    )
    participant_count = models.PositiveIntegerField(_("participants"), default=0)
    # A reports.PeriodReport id or URL, or any reference to the report presented.
    report_ref = models.CharField(_("report presented"), max_length=500, blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = ScopeSpec(org="organizer__path", area="organizer__area__path")

    class Meta:
        verbose_name = _("review conference")
        verbose_name_plural = _("review conferences")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class KeyTask(models.Model):
    """A key task a conference concluded for the next period; becomes a task in one step."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="key_tasks")
    text = models.CharField(_("key task"), max_length=500)
    task = models.OneToOneField(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_task",
    )

    class Meta:
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")
        ordering = ["conference", "pk"]

    def __str__(self) -> str:
        return self.text


# Coordination programmes ----------------------------------------------------------------------


class CoordinationProgramme(models.Model):
    """A coordination programme (chương trình phối hợp) between organizations; its
    activities are tasks, and each party is evaluated every year."""

    lead = models.ForeignKey(
        Organization, verbose_name=_("lead party"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    parties = models.ManyToManyField(
        Organization, verbose_name=_("parties"), related_name="coordination_programmes"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Readable by the lead's subtree and every unit in its area (the parties).
    scope = ScopeSpec(org="lead__path", area="lead__area__path", cascades=True)

    class Meta:
        verbose_name = _("coordination programme")
        verbose_name_plural = _("coordination programmes")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="plans_coordination_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellently fulfilled")
    GOOD = "good", _("Well fulfilled")
    FULFILLED = "fulfilled", _("Fulfilled")
    NOT_FULFILLED = "not_fulfilled", _("Not fulfilled")


class PartyEvaluation(models.Model):
    """How one party performed in a coordination programme in one year."""

    programme = models.ForeignKey(
        CoordinationProgramme, on_delete=models.CASCADE, related_name="evaluations"
    )
    party = models.ForeignKey(
        Organization, verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)
    comment = models.TextField(_("comment"), blank=True)
    evaluated_at = models.DateTimeField(default=timezone.now)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["programme", "-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "party", "year"], name="plans_evaluation_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.get_grade_display()}"
