"""Contests (hội thi): rounds with advancement rules, teams, judges, scores, prizes; and
entry contests (journalism) with a coverage rule."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.collation import Vietnamese
from danvan.core.text import fold
from danvan.core.tree import ScopeSpec
from danvan.org.models import AreaLevel, Organization, OrganizationType


class ContestKind(models.TextChoices):
    TEAMS = "teams", _("Teams compete in rounds")
    ENTRIES = "entries", _("Entries (e.g. journalism)")


class Contest(models.Model):
    organizer = models.ForeignKey(
        Organization, verbose_name=_("organizer"), on_delete=models.PROTECT, related_name="+"
    )
    movement = models.ForeignKey(
        "emulation.Movement",
        verbose_name=_("movement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=ContestKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    # Name and code folded (core.text.fold): "hoi thi" finds "Hội thi".
    search_name = models.CharField(max_length=400, editable=False, blank=True)

    scope = ScopeSpec(org="organizer__path", area="organizer__area__path", cascades=True)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-year", Vietnamese("name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.name} {self.code}")
        super().save(*args, **kwargs)


class ContestCriterion(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=300)
    max_score = models.DecimalField(
        _("maximum score"), max_digits=6, decimal_places=2, default=Decimal("10")
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("1"))

    class Meta:
        verbose_name = _("contest criterion")
        verbose_name_plural = _("contest criteria")
        ordering = ["contest", "pk"]

    def __str__(self) -> str:
        return self.name


class GroupBy(models.TextChoices):
    NONE = "none", _("All teams together")
    AREA = "area", _("Each area (e.g. each commune)")
    PARENT = "parent", _("Each parent organization")


class Round(models.Model):
    """A round: grassroots, district or commune cluster, province. The best `advance` teams of
    each group go on to the next round."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    advance = models.PositiveSmallIntegerField(
        _("teams advancing per group"),
        null=True,
        blank=True,
        help_text=_("Empty for the final round"),
    )
    group_by = models.CharField(
        _("group by"), max_length=10, choices=GroupBy.choices, default=GroupBy.NONE
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["contest", "order"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "order"], name="round_order_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        Organization, verbose_name=_("represents"), on_delete=models.PROTECT, related_name="+"
    )

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["contest", Vietnamese("name")]
        constraints = [models.UniqueConstraint(fields=["contest", "name"], name="team_name_unique")]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return self.name


class RoundTeam(models.Model):
    """A team taking part in a round; `advanced` is set when the round is closed."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participants")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rounds")
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    advanced = models.BooleanField(_("advanced"), default=False)

    class Meta:
        verbose_name = _("team in a round")
        verbose_name_plural = _("teams in rounds")
        constraints = [models.UniqueConstraint(fields=["round", "team"], name="round_team_unique")]

    def __str__(self) -> str:
        return f"{self.round}: {self.team}"


class Judge(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="judge_once_per_round")
        ]

    def __str__(self) -> str:
        return str(self.user)


class RoundScore(models.Model):
    participant = models.ForeignKey(RoundTeam, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT)
    criterion = models.ForeignKey(ContestCriterion, on_delete=models.PROTECT)
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("contest score")
        verbose_name_plural = _("contest scores")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "judge", "criterion"], name="round_score_once"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="round_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Prize(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="prizes")
    name = models.CharField(_("prize"), max_length=200)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="prizes"
    )
    entry = models.ForeignKey(
        "emulation.Entry", null=True, blank=True, on_delete=models.SET_NULL, related_name="prizes"
    )

    class Meta:
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")

    def __str__(self) -> str:
        return self.name


class Entry(models.Model):
    """An entry to an entries contest: an article, a report, a film."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=200)
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    link = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="emulation/entries/", blank=True)
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate)

    scope = ScopeSpec(org="unit__path", area="unit__area__path")

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["contest", "-submitted_on"]

    def __str__(self) -> str:
        return self.title


class CoverageRule(models.Model):
    """Every unit of a type (optionally in areas of a level) under the organizer must send at
    least `minimum` entries — e.g. 100% of district-level units."""

    contest = models.OneToOneField(Contest, on_delete=models.CASCADE, related_name="coverage_rule")
    unit_type = models.ForeignKey(
        OrganizationType, verbose_name=_("unit type"), on_delete=models.PROTECT
    )
    area_level = models.CharField(
        _("area level"), max_length=16, choices=AreaLevel.choices, blank=True
    )
    minimum = models.PositiveSmallIntegerField(_("entries per unit at least"), default=1)

    class Meta:
        verbose_name = _("coverage rule")
        verbose_name_plural = _("coverage rules")

    def __str__(self) -> str:
        return f"{self.contest}: {self.unit_type}"
