"""The tree: administrative areas (with history), organizations in them, and periods."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from danvan.core.fields import PathField
from danvan.core.text import fold, search_q
from danvan.core.tree import ScopeSpec, under


class TreeManager(MP_NodeManager):
    """treebeard's manager, keeping the model's own queryset methods."""

    def get_queryset(self):
        return self._queryset_class(self.model, using=self._db).order_by("path")


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class Structure(models.TextChoices):
    """An administrative structure in force over a period: restructuring adds one, never edits."""

    TWO_LEVEL_2025 = "2025", _("Two-level structure (from 1 July 2025)")
    THREE_LEVEL_2024 = "2024", _("Three-level structure (until 30 June 2025)")


STRUCTURE_DATES = {
    Structure.TWO_LEVEL_2025: (dt.date(2025, 7, 1), None),
    Structure.THREE_LEVEL_2024: (None, dt.date(2025, 6, 30)),
}


class AreaQuerySet(MP_NodeQuerySet):
    def valid_on(self, day: dt.date):
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def under(self, area: "Area", *, include_self: bool = True):
        return self.filter(under(area.path, include_self=include_self))

    def search(self, text: str):
        return self.filter(search_q(text))


class Area(MP_Node):
    """A province, district or commune (xã, phường, đặc khu) with its official code."""

    path = PathField(max_length=255, unique=True)
    structure = models.CharField(_("structure"), max_length=8, choices=Structure.choices)
    level = models.CharField(_("level"), max_length=16, choices=AreaLevel.choices)
    code = models.CharField(_("code"), max_length=10, help_text=_("Statistics-office code"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40, help_text=_("e.g. tỉnh, phường, xã, đặc khu"))
    codename = models.CharField(max_length=200, blank=True)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="successors",
        blank=True,
        verbose_name=_("formed from"),
    )

    objects = TreeManager.from_queryset(AreaQuerySet)()
    scope = ScopeSpec(area="path", public=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "level", "code"], name="area_unique_code_per_structure"
            )
        ]
        indexes = [models.Index(fields=["structure", "level"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class DocumentFormat(models.TextChoices):
    STATE = "state", _("State body (Decree 30/2020/NĐ-CP)")
    PARTY = "party", _("Party body (Guidance 36-HD/VPTW)")
    OTHER = "other", _("Fatherland Front or mass organization")


class OrganizationType(models.Model):
    """Kinds of organization are data: names and bodies change (e.g. the 2025 mergers)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    document_format = models.CharField(
        _("document format"), max_length=10, choices=DocumentFormat.choices, default="other"
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("organization type")
        verbose_name_plural = _("organization types")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and not (get_language() or "vi").startswith("vi"):
            return self.name_en
        return self.name


class OrganizationQuerySet(MP_NodeQuerySet):
    def under(self, org: "Organization", *, include_self: bool = True):
        return self.filter(under(org.path, include_self=include_self))

    def in_area(self, area: Area):
        return self.filter(under(area.path, "area__path"))

    def search(self, text: str):
        return self.filter(search_q(text))


class Organization(MP_Node):
    """A body in an area: a Party committee, a commission, the Front, a union, a hamlet..."""

    path = PathField(max_length=255, unique=True)
    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("Short unique code, e.g. 31-bdv")
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    # The office's public contact (address, reception hours, phone), shown to citizens
    # who track a petition the unit received. An office's, never a person's.
    public_contact = models.CharField(_("public contact"), max_length=300, blank=True)
    type = models.ForeignKey(
        OrganizationType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="organizations"
    )
    search_name = models.CharField(max_length=300, editable=False, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = TreeManager.from_queryset(OrganizationQuerySet)()
    scope = ScopeSpec(org="path", area="area__path")

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["path"]
        indexes = [models.Index(fields=["type", "path"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.name} {self.short_name} {self.code}")
        super().save(*args, **kwargs)


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    HALF = "half", _("6 months")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")
    TERM = "term", _("Term")


class Period(models.Model):
    """A reporting period or a term; plans, targets and commendations belong to one."""

    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    body = models.CharField(
        _("body"), max_length=40, blank=True, help_text=_("For terms: party, front, unions")
    )

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "start", "body"], name="period_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_order"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        year = self.start.year
        if self.kind == PeriodKind.YEAR:
            return _("Year %(year)d") % {"year": year}
        if self.kind == PeriodKind.HALF:
            return (
                _("First half of %(year)d") % {"year": year}
                if self.start.month == 1
                else (_("Second half of %(year)d") % {"year": year})
            )
        if self.kind == PeriodKind.QUARTER:
            return _("Quarter %(q)d/%(year)d") % {
                "q": (self.start.month - 1) // 3 + 1,
                "year": year,
            }
        if self.kind == PeriodKind.MONTH:
            return _("Month %(m)d/%(year)d") % {"m": self.start.month, "year": year}
        return _("Term %(start)d–%(end)d") % {"start": year, "end": self.end.year}

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    WORKING_DAY = "working_day", _("Working day (a weekend day worked in exchange)")


class CalendarDay(models.Model):
    """A day the government announced differently from the usual calendar, added by an
    administrator: an extra day off, or a Saturday or Sunday worked in exchange for one.
    The public holidays themselves, Tết included, and the swaps the `holidays` package
    already knows come from it (org/calendar.py); these rows add what it does not know."""

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CalendarDayKind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    citation = models.CharField(
        _("decision"),
        max_length=300,
        help_text=_("The decision or notice that announced it, with its number and date"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} · {self.get_kind_display()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == CalendarDayKind.WORKING_DAY and self.day and self.day.weekday() < 5:
            raise ValidationError({"day": _("A day worked in exchange is a Saturday or a Sunday.")})
