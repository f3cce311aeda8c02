"""The "Skillful Mass Mobilization" movement and its kin: movements, registrations, models,
evaluation, commendation, replication. Contests live in contests.py."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.collation import Vietnamese
from danvan.core.text import fold, search_q
from danvan.core.tree import ScopeSpec
from danvan.org.models import AreaLevel, Organization


class CompletionRule(models.TextChoices):
    EVALUATED = "evaluated", _("Once evaluated by the accepting level, with progress at 100%")
    REPORTED = "reported", _("Once its unit reports progress at 100%")


class Movement(models.Model):
    """An emulation movement run by an organization, e.g. "Dân vận khéo"."""

    organizer = models.ForeignKey(
        Organization,
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="movements",
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    # Name and code folded (core.text.fold): "dan van kheo" finds "Dân vận khéo".
    search_name = models.CharField(max_length=400, editable=False, blank=True)
    # When a model counts as completed: the movement's rule, not whoever clicks first.
    completion = models.CharField(
        _("a model is completed"),
        max_length=12,
        choices=CompletionRule.choices,
        default=CompletionRule.EVALUATED,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    scope = ScopeSpec(org="organizer__path", area="organizer__area__path", cascades=True)

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["-start_year", Vietnamese("name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.name} {self.code}")
        super().save(*args, **kwargs)


class Theme(models.Model):
    """A movement's theme for one year, e.g. 2025: "Dân vận khéo – Việc gì cũng thành công"."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="themes")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("theme"), max_length=300)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["movement", "year"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "year"], name="theme_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"


class FieldOfWork(models.Model):
    """A field of work (economy; culture–society; defence–security; political system)."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="fields")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["movement", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "code"], name="field_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Level(models.Model):
    """The level a model is registered and recognized at (commune, district, province, central)."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="levels")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("Higher is a higher level"))
    area_level = models.CharField(
        _("accepted by units of areas at level"),
        max_length=16,
        choices=AreaLevel.choices,
        blank=True,
        help_text=_("Empty for the central level: accepted by the movement's organizer or above"),
    )
    valid_until = models.DateField(
        _("exists until"),
        null=True,
        blank=True,
        help_text=_("The last day of a level that was abolished (districts: 30/06/2025)"),
    )

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["movement", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "code"], name="level_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def exists_in(self, year: int) -> bool:
        """Whether models of `year` can be registered at this level (it exists on 1 January)."""
        return self.valid_until is None or self.valid_until >= dt.date(year, 1, 1)


class Criterion(models.Model):
    """An evaluation criterion with its weight and the range of scores it accepts."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=300)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("1"))
    max_score = models.DecimalField(
        _("maximum score"), max_digits=6, decimal_places=2, default=Decimal("10")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["movement", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="criterion_max_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Label(models.Model):
    """A tag with its own roll-up, e.g. "Work celebrating the 70th anniversary of the Liberation
    of the Capital"."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["movement", Vietnamese("name")]
        constraints = [models.UniqueConstraint(fields=["movement", "name"], name="label_unique")]

    def __str__(self) -> str:
        return self.name


class RegistrationWindow(models.Model):
    """When units may register models for a year (optionally only at one level)."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="windows")
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.ForeignKey(
        Level, verbose_name=_("level"), null=True, blank=True, on_delete=models.CASCADE
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        verbose_name = _("registration window")
        verbose_name_plural = _("registration windows")
        ordering = ["movement", "year", "opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="window_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.opens_on} – {self.closes_on}"


class RegistrantKind(models.TextChoices):
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


class Registration(models.Model):
    """A registrant's entry for a year at a level. A collective is an organization; an
    individual is a cadre, by name and position only, in the unit they work for."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="registrations")
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT)
    kind = models.CharField(_("registrant"), max_length=12, choices=RegistrantKind.choices)
    unit = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="registrations"
    )
    person_name = models.CharField(_("name of the individual"), max_length=200, blank=True)
    person_position = models.CharField(_("position"), max_length=200, blank=True)
    person_key = models.CharField(max_length=420, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="collective", person_name="")
                | Q(kind="individual") & ~Q(person_name=""),
                name="registration_person_only_for_individuals",
            ),
            models.UniqueConstraint(
                fields=["movement", "year", "level", "kind", "unit", "person_key"],
                name="registration_unique_registrant",
            ),
        ]
        indexes = [models.Index(fields=["movement", "year", "level"])]

    def __str__(self) -> str:
        who = self.person_name if self.kind == RegistrantKind.INDIVIDUAL else self.unit.name
        return f"{who} · {self.year} · {self.level}"

    def save(self, *args, **kwargs):
        # One individual = same folded name and position in the same unit.
        self.person_key = (
            fold(f"{self.person_name}|{self.person_position}") if self.person_name else ""
        )
        super().save(*args, **kwargs)


class ModelState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    ABANDONED = "abandoned", _("Abandoned")


class MovementModelQuerySet(models.QuerySet):
    def search(self, text: str):
        return self.filter(search_q(text))


class MovementModel(models.Model):
    """A model (mô hình) of the movement, registered by a collective or an individual."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="models")
    # Denormalized from the registration so roll-ups group without joins.
    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="models")
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    search_name = models.CharField(max_length=300, editable=False)
    field = models.ForeignKey(FieldOfWork, verbose_name=_("field"), on_delete=models.PROTECT)
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    goals = models.TextField(_("goals"), blank=True)
    plan = models.TextField(_("plan"), blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ModelState.choices, default=ModelState.REGISTERED
    )
    state_changed_on = models.DateField(_("state changed on"), null=True, blank=True)
    abandon_reason = models.TextField(_("reason for abandoning"), blank=True)
    labels = models.ManyToManyField(
        Label, verbose_name=_("labels"), blank=True, related_name="models"
    )
    recognized_level = models.ForeignKey(
        Level,
        verbose_name=_("recognized at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recognized_on = models.DateField(_("recognized on"), null=True, blank=True)
    score = models.DecimalField(
        _("combined score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    for_replication = models.BooleanField(_("marked for replication"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = MovementModelQuerySet.as_manager()
    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("model")
        verbose_name_plural = _("models")
        ordering = ["-year", Vietnamese("title")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="abandoned") | ~Q(abandon_reason=""),
                name="model_abandon_needs_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["movement", "year", "level", "state"]),
            models.Index(fields=["movement", "year", "field"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_name = fold(self.title)
        super().save(*args, **kwargs)


class Goal(models.Model):
    """A goal with a number: "120 households", "3 km of road"."""

    model = models.ForeignKey(MovementModel, on_delete=models.CASCADE, related_name="goal_rows")
    description = models.CharField(_("goal"), max_length=300)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=50, blank=True)
    achieved = models.DecimalField(
        _("achieved"), max_digits=14, decimal_places=2, default=Decimal("0")
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.description


class ProgressReport(models.Model):
    model = models.ForeignKey(
        MovementModel, on_delete=models.CASCADE, related_name="progress_reports"
    )
    reported_on = models.DateField(_("date"))
    percent = models.PositiveSmallIntegerField(
        _("percent done"), validators=[MaxValueValidator(100)]
    )
    narrative = models.TextField(_("what was done"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.reported_on}: {self.percent}%"


def evidence_path(instance, filename: str) -> str:
    # A random name: the original name is kept in a field, never used as a path.
    import uuid

    return f"emulation/evidence/{instance.report.model_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A document or photo attached to a progress report (type and size checked on upload)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name


class Score(models.Model):
    """One evaluator's score of a model on one criterion."""

    model = models.ForeignKey(MovementModel, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(
        _("score"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["model", "criterion", "evaluator"], name="score_once_per_evaluator"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Commendation(models.Model):
    """A commendation: form (certificate of merit, ...), issuing body, decision number and date."""

    model = models.ForeignKey(MovementModel, on_delete=models.CASCADE, related_name="commendations")
    form = models.CharField(_("form"), max_length=200)
    issuing_body = models.CharField(_("issued by"), max_length=300)
    decision_number = models.CharField(_("decision number"), max_length=100)
    decision_date = models.DateField(_("decision date"))

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-decision_date"]

    def __str__(self) -> str:
        return f"{self.form} · {self.decision_number}"


class Adoption(models.Model):
    """Another unit replicating a model marked for replication, with its own progress."""

    model = models.ForeignKey(MovementModel, on_delete=models.PROTECT, related_name="adoptions")
    unit = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("started on"))
    percent = models.PositiveSmallIntegerField(
        _("percent done"), default=0, validators=[MaxValueValidator(100)]
    )
    notes = models.TextField(_("notes"), blank=True)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints = [
            models.UniqueConstraint(fields=["model", "unit"], name="adoption_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.model} → {self.unit}"
