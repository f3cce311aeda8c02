"""Contests: rounds, teams, judges, scores, advancement, prizes; entries and coverage."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from danvan.accounts.scope import require
from danvan.audit.log import record, snapshot
from danvan.core import versions
from danvan.core.collation import Vietnamese, sort_key
from danvan.core.errors import Conflict
from danvan.core.tree import under
from danvan.org.models import AreaLevel, Organization, OrganizationType

from ..models import (
    Contest,
    ContestCriterion,
    ContestKind,
    CoverageRule,
    Entry,
    GroupBy,
    Judge,
    Prize,
    Round,
    RoundScore,
    RoundTeam,
    Team,
    TeamMember,
)
from .common import (
    EmulationError,
    NotAllowedHere,
    _decimal,
    _text,
    _year,
    require_in_reach,
)
from .evaluation import checked_scores


@dataclasses.dataclass(frozen=True)
class NewContest:
    """A contest as typed: its criteria ({name, max_score, weight}) and rounds ({name,
    advance, group_by}), in order: grassroots first, final last."""

    organizer: Organization
    code: str
    name: str
    kind: str
    year: int
    criteria: list[dict] | None = None
    rounds: list[dict] | None = None
    movement: object = None
    description: str = ""


@transaction.atomic
def create_contest(*, actor, data: NewContest) -> Contest:
    """A contest with its criteria and rounds."""
    organizer, kind, movement = data.organizer, data.kind, data.movement
    require(actor, "emulation.manage", organizer)
    code = _text(data.code, "code", max_length=60)
    if Contest.objects.filter(code=code).exists():
        raise Conflict(
            _("A contest with code %(code)s already exists.") % {"code": code}, field="code"
        )
    if kind not in ContestKind.values:
        raise EmulationError(_("Unknown contest kind: %(kind)s.") % {"kind": kind}, field="kind")
    contest = Contest.objects.create(
        organizer=organizer,
        movement=movement,
        code=code,
        name=_text(data.name, "name", max_length=300),
        kind=kind,
        year=_year(data.year),
        description=data.description or "",
    )
    for i, spec in enumerate(data.criteria or []):
        max_score = _decimal(spec.get("max_score", 10), f"criteria.{i}.max_score")
        weight = _decimal(spec.get("weight", 1), f"criteria.{i}.weight")
        if max_score <= 0 or weight <= 0:
            raise EmulationError(_("Scores and weights must be above zero."), field=f"criteria.{i}")
        ContestCriterion.objects.create(
            contest=contest,
            name=_text(spec.get("name"), f"criteria.{i}.name", max_length=300),
            max_score=max_score,
            weight=weight,
        )
    for i, spec in enumerate(data.rounds or []):
        group_by = spec.get("group_by", GroupBy.NONE)
        if group_by not in GroupBy.values:
            raise EmulationError(
                _("Unknown grouping: %(g)s.") % {"g": group_by}, field=f"rounds.{i}.group_by"
            )
        advance = spec.get("advance")
        if advance is not None and int(advance) < 1:
            raise EmulationError(_("At least one team must advance."), field=f"rounds.{i}.advance")
        Round.objects.create(
            contest=contest,
            order=i + 1,
            name=_text(spec.get("name"), f"rounds.{i}.name", max_length=200),
            advance=int(advance) if advance is not None else None,
            group_by=group_by,
        )
    record(actor=actor, action="emulation.create_contest", obj=contest, after=snapshot(contest))
    return contest


@transaction.atomic
def add_team(
    *, actor, contest: Contest, name: str, unit: Organization, members: list[dict] | None = None
) -> Team:
    """A team representing a unit, entered in the contest's first round."""
    require(actor, "emulation.register", unit)
    require_in_reach(unit, contest.organizer)
    if contest.kind != ContestKind.TEAMS:
        raise EmulationError(_("This contest takes entries, not teams."), field="contest")
    first = contest.rounds.order_by("order").first()
    if first is None:
        raise EmulationError(_("The contest has no rounds yet."), field="contest")
    if first.closed:
        raise EmulationError(_("The first round is closed."), field="contest")
    try:
        with transaction.atomic():
            team = Team.objects.create(
                contest=contest, name=_text(name, "name", max_length=200), unit=unit
            )
    except IntegrityError as exc:
        raise Conflict(_("A team with this name already exists."), field="name") from exc
    for i, member in enumerate(members or []):
        TeamMember.objects.create(
            team=team,
            name=_text(member.get("name"), f"members.{i}.name", max_length=200),
            role=_text(member.get("role"), f"members.{i}.role", max_length=100, required=False),
        )
    RoundTeam.objects.create(round=first, team=team)
    record(actor=actor, action="emulation.add_team", obj=team, after=snapshot(team))
    return team


@transaction.atomic
def add_judge(*, actor, round: Round, user=None, username: str | None = None) -> Judge:
    """A judge of the round, given as a user or by username."""
    require(actor, "emulation.manage", round.contest)
    if user is None:
        from django.contrib.auth import get_user_model

        from danvan.core.errors import NotFound

        User = get_user_model()

        # Looked up only after the permission check, so outsiders cannot probe for usernames.
        user = User.objects.filter(username=username or "", is_active=True).first()
        if user is None:
            raise NotFound(_("Unknown user: %(name)s.") % {"name": username}, field="username")
    judge, created = Judge.objects.get_or_create(round=round, user=user)
    if created:
        record(
            actor=actor,
            action="emulation.add_judge",
            obj=judge,
            after={"round": round.pk, "user": user.pk},
        )
    return judge


@transaction.atomic
def score_team(*, actor, participant: RoundTeam, scores: dict[int, object]) -> RoundTeam:
    """A judge of the round scores a team on the contest's criteria."""
    judge = Judge.objects.filter(round=participant.round_id, user=actor).first()
    if judge is None:
        raise NotAllowedHere(
            _("Only the round's judges can score it."), field="judge", code="not_a_judge"
        )
    # Read the round afresh, locked: a round closed meanwhile takes no more scores.
    round = Round.objects.select_for_update().get(pk=participant.round_id)
    if round.closed:
        raise EmulationError(_("The round is closed."), field="round")
    criteria = {c.pk: c for c in ContestCriterion.objects.filter(contest=round.contest_id)}
    for criterion, value in checked_scores(criteria, scores):
        RoundScore.objects.update_or_create(
            participant=participant, judge=judge, criterion=criterion, defaults={"value": value}
        )
    record(
        actor=actor,
        action="emulation.score_team",
        obj=participant.team,
        changes={
            "round": [None, participant.round_id],
            "scores": [None, {str(k): str(v) for k, v in scores.items()}],
        },
    )
    return participant


def _totals(round: Round) -> dict[int, Decimal]:
    """Each team's total: per judge the weighted sum of scores, averaged over judges."""
    weights = {c.pk: c.weight for c in ContestCriterion.objects.filter(contest=round.contest_id)}
    per_judge: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for participant_id, judge_id, criterion_id, value in RoundScore.objects.filter(
        participant__round=round
    ).values_list("participant_id", "judge_id", "criterion_id", "value"):
        per_judge[participant_id][judge_id] += value * weights[criterion_id]
    return {
        pid: (sum(judges.values(), Decimal(0)) / len(judges)).quantize(Decimal("0.01"))
        for pid, judges in per_judge.items()
    }


def _group_key(round: Round, team: Team):
    if round.group_by == GroupBy.AREA:
        return team.unit.area_id
    if round.group_by == GroupBy.PARENT:
        return team.unit.path[: -Organization.steplen] or team.unit.path
    return None


@transaction.atomic
def close_round(*, actor, round: Round) -> list[RoundTeam]:
    """Rank the round's teams within each group, mark the best `advance` of each group as
    advanced, and enter them in the next round. Ties rank by team name (stable, stated)."""
    require(actor, "emulation.manage", round.contest)
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.closed:
        raise EmulationError(_("The round is already closed."), field="round")
    totals = _totals(round)
    participants = list(round.participants.select_related("team__unit"))
    if not participants:
        raise EmulationError(_("No team takes part in this round."), field="round")
    groups: dict[object, list[RoundTeam]] = defaultdict(list)
    for p in participants:
        p.total = totals.get(p.pk, Decimal(0))
        groups[_group_key(round, p.team)].append(p)
    next_round = round.contest.rounds.filter(order__gt=round.order).order_by("order").first()
    advancing = []
    for members in groups.values():
        members.sort(key=lambda p: (-p.total, sort_key(p.team.name)))
        for rank, p in enumerate(members, start=1):
            p.rank = rank
            p.advanced = bool(next_round and round.advance and rank <= round.advance)
            if p.advanced:
                advancing.append(p)
    RoundTeam.objects.bulk_update(participants, ["total", "rank", "advanced"])
    if next_round:
        RoundTeam.objects.bulk_create(
            [RoundTeam(round=next_round, team=p.team) for p in advancing], ignore_conflicts=True
        )
    round.closed = True
    round.save(update_fields=["closed"])
    record(
        actor=actor,
        action="emulation.close_round",
        obj=round,
        changes={"teams": [None, len(participants)], "advanced": [None, len(advancing)]},
    )
    return sorted(participants, key=lambda p: (str(_group_key(round, p.team)), p.rank))


@transaction.atomic
def award_prize(
    *, actor, contest: Contest, name: str, team: Team | None = None, entry: Entry | None = None
) -> Prize:
    require(actor, "emulation.manage", contest)
    if (team is None) == (entry is None):
        raise EmulationError(_("A prize goes to one team or one entry."), field="team")
    if (team and team.contest_id != contest.pk) or (entry and entry.contest_id != contest.pk):
        raise EmulationError(_("That team or entry belongs to another contest."), field="team")
    prize = Prize.objects.create(
        contest=contest, name=_text(name, "name", max_length=200), team=team, entry=entry
    )
    record(actor=actor, action="emulation.award_prize", obj=prize, after=snapshot(prize))
    return prize


@transaction.atomic
def submit_entry(
    *,
    actor,
    contest: Contest,
    unit: Organization,
    title: str,
    author: str,
    outlet: str = "",
    link: str = "",
    submitted_on: dt.date | None = None,
) -> Entry:
    require(actor, "emulation.register", unit)
    if contest.kind != ContestKind.ENTRIES:
        raise EmulationError(_("This contest has teams, not entries."), field="contest")
    require_in_reach(unit, contest.organizer)
    if link and not link.startswith(("http://", "https://")):
        raise EmulationError(_("The link must start with http:// or https://."), field="link")
    entry = Entry.objects.create(
        contest=contest,
        unit=unit,
        title=_text(title, "title", max_length=300),
        author=_text(author, "author", max_length=200),
        outlet=_text(outlet, "outlet", max_length=200, required=False),
        link=link[:200],
        **({"submitted_on": submitted_on} if submitted_on else {}),
    )
    record(actor=actor, action="emulation.submit_entry", obj=entry, after=snapshot(entry))
    return entry


COVERAGE_FIELDS = ["unit_type", "area_level", "minimum"]


@transaction.atomic
def set_coverage_rule(
    *,
    actor,
    contest: Contest,
    unit_type_code: str,
    area_level: str = "",
    minimum: int = 1,
    expected_version: str | None = None,
) -> CoverageRule:
    """e.g. every district-level Party committee under the organizer sends at least one entry.
    Replaces the contest's rule; with `expected_version`, only over that one."""
    require(actor, "emulation.manage", contest)
    existing = CoverageRule.objects.select_for_update().filter(contest=contest).first()
    if existing:
        versions.check(existing, COVERAGE_FIELDS, expected_version)
    unit_type = OrganizationType.objects.filter(code=unit_type_code).first()
    if unit_type is None:
        raise EmulationError(
            _("Unknown organization type: %(code)s.") % {"code": unit_type_code}, field="unit_type"
        )
    if area_level and area_level not in AreaLevel.values:
        raise EmulationError(
            _("Unknown area level: %(level)s.") % {"level": area_level}, field="area_level"
        )
    if int(minimum) < 1:
        raise EmulationError(_("At least one entry per unit."), field="minimum")
    rule, _created = CoverageRule.objects.update_or_create(
        contest=contest,
        defaults={"unit_type": unit_type, "area_level": area_level, "minimum": int(minimum)},
    )
    record(actor=actor, action="emulation.set_coverage_rule", obj=contest, after=snapshot(rule))
    return rule


def coverage(contest: Contest) -> dict:
    """Which units the coverage rule expects, how many entries each has, which have too few.

    The contest covers the organizer's area (a provincial commission's contest covers the
    province). An entry counts for a unit when it was sent by the unit or any unit under it."""
    rule = getattr(contest, "coverage_rule", None)
    if rule is None:
        return {"rule": None, "expected": 0, "covered": 0, "percent": None, "missing": []}
    expected = Organization.objects.filter(
        under(contest.organizer.area.path, "area__path"), type=rule.unit_type, is_active=True
    )
    if rule.area_level:
        expected = expected.filter(area__level=rule.area_level)
    expected = list(expected.select_related("area").order_by("path"))
    entry_paths = list(Entry.objects.filter(contest=contest).values_list("unit__path", flat=True))
    rows = []
    for unit in expected:
        count = sum(1 for path in entry_paths if path.startswith(unit.path))
        rows.append({"unit": unit, "entries": count, "covered": count >= rule.minimum})
    covered = sum(1 for row in rows if row["covered"])
    return {
        "rule": rule,
        "expected": len(rows),
        "covered": covered,
        "percent": round(100 * covered / len(rows), 1) if rows else None,
        "rows": rows,
        "missing": [row["unit"] for row in rows if not row["covered"]],
    }


def ranking(round: Round):
    return (
        round.participants.select_related("team__unit__area")
        .prefetch_related(Prefetch("team__members"))
        .order_by("-advanced", "rank", Vietnamese("team__name"))
    )
