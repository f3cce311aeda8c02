"""Contests: rounds, teams, judges, scores, prizes, entries and coverage."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from danvan.core import versions
from danvan.core.errors import NotFound
from danvan.core.pagination import Pagination
from danvan.core.schemas import OrgRef
from danvan.org.models import AreaLevel

from .. import queries, services
from ..models import ContestKind, GroupBy
from .common import YEAR, _org, router

# Contests --------------------------------------------------------------------------------


class ContestOut(Schema):
    id: int
    code: str
    name: str
    kind: ContestKind
    year: int
    description: str
    organizer: OrgRef
    movement_id: int | None


class ContestCriterionOut(Schema):
    id: int
    name: str
    max_score: Decimal
    weight: Decimal


class RoundOut(Schema):
    id: int
    order: int
    name: str
    advance: int | None
    group_by: GroupBy
    held_on: dt.date | None
    closed: bool
    judges: list[str] = Field(..., description="Usernames of the round's judges")

    @staticmethod
    def resolve_judges(obj):
        return [judge.user.username for judge in obj.judges.select_related("user")]


class EmulationMemberOut(Schema):
    name: str
    role: str


class TeamOut(Schema):
    id: int
    name: str
    unit: OrgRef
    members: list[EmulationMemberOut]


class PrizeOut(Schema):
    id: int
    name: str
    team_id: int | None
    entry_id: int | None


class CoverageRuleOut(Schema):
    unit_type: str = Field(..., alias="unit_type.code")
    area_level: str
    minimum: int


class ContestDetail(ContestOut):
    criteria: list[ContestCriterionOut]
    rounds: list[RoundOut]
    teams: list[TeamOut]
    prizes: list[PrizeOut]
    coverage_rule: CoverageRuleOut | None

    @staticmethod
    def resolve_teams(obj):
        return obj.teams.select_related("unit").prefetch_related("members")

    @staticmethod
    def resolve_coverage_rule(obj):
        return getattr(obj, "coverage_rule", None)


class ContestFilter(Schema):
    year: int | None = Field(None, **YEAR)
    kind: ContestKind | None = None
    movement: int | None = Field(None, description="Movement id")
    q: str | None = Field(None, max_length=100, description="Words of the name or code")


@router.get(
    "/contests",
    response=list[ContestOut],
    summary="List contests",
    description="Contests the user runs, takes part in, or judges.",
    operation_id="danvan_emulation_api_list_contests",
)
@paginate(Pagination)
def list_contests(request: HttpRequest, filters: Query[ContestFilter]):
    movement = queries.get_movement(request.user, filters.movement) if filters.movement else None
    return queries.contests(
        request.user, year=filters.year, kind=filters.kind, movement=movement, q=filters.q
    )


@router.get(
    "/contests/{contest_id}",
    response=ContestDetail,
    summary="A contest",
    description="With criteria, rounds (and judges), teams, prizes and the coverage rule.",
    operation_id="danvan_emulation_api_get_contest",
)
def get_contest(request: HttpRequest, contest_id: int):
    return queries.get_contest(request.user, contest_id)


class ContestCriterionIn(Schema):
    name: str = Field(..., min_length=1, max_length=300)
    max_score: Decimal = Field(Decimal("10"), gt=0, max_digits=6, decimal_places=2)
    weight: Decimal = Field(Decimal("1"), gt=0, max_digits=6, decimal_places=2)


class RoundIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    advance: int | None = Field(
        None, ge=1, le=1000, description="Teams advancing per group; omit for the final"
    )
    group_by: GroupBy = GroupBy.NONE


class ContestIn(Schema):
    organizer: int = Field(..., description="Organization id of the organizer")
    code: str = Field(..., min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=300)
    kind: ContestKind
    year: int = Field(..., **YEAR)
    movement: int | None = Field(None, description="Movement id, if the contest belongs to one")
    description: str = Field("", max_length=5000)
    criteria: list[ContestCriterionIn] = Field(default_factory=list, max_length=50)
    rounds: list[RoundIn] = Field(
        default_factory=list, max_length=20, description="In order: grassroots first, final last"
    )


@router.post(
    "/contests",
    response={201: ContestDetail},
    summary="Create a contest",
    description="With its criteria and rounds. Needs `emulation.manage` on the organizer.",
    operation_id="danvan_emulation_api_create_contest",
)
def create_contest(request: HttpRequest, payload: ContestIn):
    organizer = _org(request, payload.organizer, "organizer")
    movement = queries.get_movement(request.user, payload.movement) if payload.movement else None
    contest = services.create_contest(
        actor=request.user,
        data=services.NewContest(
            organizer=organizer,
            code=payload.code,
            name=payload.name,
            kind=payload.kind,
            year=payload.year,
            criteria=[c.dict() for c in payload.criteria],
            rounds=[r.dict() for r in payload.rounds],
            movement=movement,
            description=payload.description,
        ),
    )
    return Status(201, queries.get_contest(request.user, contest.pk))


def _contest(request, contest_id: int):
    return queries.get_contest(request.user, contest_id)


def _round(contest, round_id: int):
    found = contest.rounds.select_related("contest").filter(pk=round_id).first()
    if found is None:
        raise NotFound(_("Unknown round: %(id)s.") % {"id": round_id}, field="round")
    return found


class EmulationMemberIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    role: str = Field("", max_length=100)


class TeamIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    unit: int = Field(..., description="Organization id the team represents")
    members: list[EmulationMemberIn] = Field(default_factory=list, max_length=100)


@router.post(
    "/contests/{contest_id}/teams",
    response={201: TeamOut},
    summary="Enter a team",
    description="A team representing a unit, entered in the first round. Needs "
    "`emulation.register` on the unit.",
    operation_id="danvan_emulation_api_add_team",
)
def add_team(request: HttpRequest, contest_id: int, payload: TeamIn):
    contest = _contest(request, contest_id)
    unit = _org(request, payload.unit, "unit")
    team = services.add_team(
        actor=request.user,
        contest=contest,
        name=payload.name,
        unit=unit,
        members=[m.dict() for m in payload.members],
    )
    return Status(201, team)


class JudgeIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)


class JudgeOut(Schema):
    id: int
    round_id: int
    username: str = Field(..., alias="user.username")


@router.post(
    "/contests/{contest_id}/rounds/{round_id}/judges",
    response={201: JudgeOut},
    summary="Add a judge to a round",
    operation_id="danvan_emulation_api_add_judge",
)
def add_judge(request: HttpRequest, contest_id: int, round_id: int, payload: JudgeIn):
    round_ = _round(_contest(request, contest_id), round_id)
    judge = services.add_judge(actor=request.user, round=round_, username=payload.username)
    return Status(201, judge)


class ParticipantOut(Schema):
    team: TeamOut
    total: Decimal | None
    rank: int | None
    advanced: bool


class TeamScoresIn(Schema):
    team: int = Field(..., description="Team id")
    scores: dict[int, Decimal] = Field(
        ..., description="Contest criterion id → score, from 0 to the criterion's maximum"
    )


@router.post(
    "/contests/{contest_id}/rounds/{round_id}/scores",
    response=ParticipantOut,
    summary="Score a team in a round",
    description="Only the round's judges score, while the round is open.",
    operation_id="danvan_emulation_api_score_team",
)
def score_team(request: HttpRequest, contest_id: int, round_id: int, payload: TeamScoresIn):
    round_ = _round(_contest(request, contest_id), round_id)
    participant = (
        round_.participants.select_related("round__contest", "team__unit")
        .filter(team_id=payload.team)
        .first()
    )
    if participant is None:
        raise NotFound(_("This team does not take part in the round."), field="team")
    services.score_team(actor=request.user, participant=participant, scores=payload.scores)
    return services.ranking(round_).get(pk=participant.pk)


@router.post(
    "/contests/{contest_id}/rounds/{round_id}/close",
    response=list[ParticipantOut],
    summary="Close a round",
    description="Ranks the teams within each group, marks the best `advance` of each group "
    "as advanced and enters them in the next round. Returns the ranking.",
    operation_id="danvan_emulation_api_close_round",
)
def close_round(request: HttpRequest, contest_id: int, round_id: int):
    round_ = _round(_contest(request, contest_id), round_id)
    services.close_round(actor=request.user, round=round_)
    return services.ranking(round_)


@router.get(
    "/contests/{contest_id}/rounds/{round_id}/ranking",
    response=list[ParticipantOut],
    summary="A round's ranking",
    operation_id="danvan_emulation_api_ranking",
)
def ranking(request: HttpRequest, contest_id: int, round_id: int):
    return services.ranking(_round(_contest(request, contest_id), round_id))


class PrizeIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    team: int | None = Field(None, description="Team id (or give entry)")
    entry: int | None = Field(None, description="Entry id (or give team)")


@router.post(
    "/contests/{contest_id}/prizes",
    response={201: PrizeOut},
    summary="Award a prize",
    description="To one team or one entry of the contest.",
    operation_id="danvan_emulation_api_award_prize",
)
def award_prize(request: HttpRequest, contest_id: int, payload: PrizeIn):
    contest = _contest(request, contest_id)
    team = entry = None
    if payload.team is not None:
        team = contest.teams.filter(pk=payload.team).first()
        if team is None:
            raise NotFound(_("Unknown team: %(id)s.") % {"id": payload.team}, field="team")
    if payload.entry is not None:
        entry = contest.entries.filter(pk=payload.entry).first()
        if entry is None:
            raise NotFound(_("Unknown entry: %(id)s.") % {"id": payload.entry}, field="entry")
    prize = services.award_prize(
        actor=request.user, contest=contest, name=payload.name, team=team, entry=entry
    )
    return Status(201, prize)


class EmulationEntryOut(Schema):
    id: int
    unit: OrgRef
    title: str
    author: str
    outlet: str
    link: str
    submitted_on: dt.date


class EmulationEntryIn(Schema):
    unit: int = Field(..., description="Organization id of the sending unit")
    title: str = Field(..., min_length=1, max_length=300)
    author: str = Field(..., min_length=1, max_length=200)
    outlet: str = Field("", max_length=200)
    link: str = Field("", max_length=200, description="http:// or https:// address")
    submitted_on: dt.date | None = None


@router.get(
    "/contests/{contest_id}/entries",
    response=list[EmulationEntryOut],
    summary="List a contest's entries",
    description="The entries sent by units the user sees.",
    operation_id="danvan_emulation_api_list_entries",
)
@paginate(Pagination)
def list_entries(request: HttpRequest, contest_id: int):
    return queries.contest_entries(request.user, _contest(request, contest_id))


@router.post(
    "/contests/{contest_id}/entries",
    response={201: EmulationEntryOut},
    summary="Submit an entry",
    description="Needs `emulation.register` on the sending unit.",
    operation_id="danvan_emulation_api_submit_entry",
)
def submit_entry(request: HttpRequest, contest_id: int, payload: EmulationEntryIn):
    contest = _contest(request, contest_id)
    unit = _org(request, payload.unit, "unit")
    entry = services.submit_entry(
        actor=request.user,
        contest=contest,
        unit=unit,
        title=payload.title,
        author=payload.author,
        outlet=payload.outlet,
        link=payload.link,
        submitted_on=payload.submitted_on,
    )
    return Status(201, entry)


class CoverageRuleIn(Schema):
    unit_type: str = Field(..., max_length=40, description="Organization type code")
    area_level: AreaLevel | None = Field(None, description="Only units in areas of this level")
    minimum: int = Field(1, ge=1, le=1000, description="Entries per unit at least")


@router.put(
    "/contests/{contest_id}/coverage-rule",
    response=CoverageRuleOut,
    summary="Set the coverage rule",
    description="e.g. every district-level Party committee sends at least one entry.",
    operation_id="danvan_emulation_api_set_coverage_rule",
)
def set_coverage_rule(
    request: HttpRequest, response: HttpResponse, contest_id: int, payload: CoverageRuleIn
):
    """With If-Match (the ETag of the last answer), refused with 412 when it changed since."""
    contest = _contest(request, contest_id)
    rule = services.set_coverage_rule(
        actor=request.user,
        contest=contest,
        unit_type_code=payload.unit_type,
        area_level=payload.area_level or "",
        minimum=payload.minimum,
        expected_version=versions.if_match(request),
    )
    versions.tag(response, rule, services.COVERAGE_FIELDS)
    return rule


class CoverageRow(Schema):
    unit: OrgRef
    entries: int
    covered: bool


class CoverageOut(Schema):
    rule: CoverageRuleOut | None
    expected: int
    covered: int
    percent: float | None
    missing: list[OrgRef]
    rows: list[CoverageRow] = []


@router.get(
    "/contests/{contest_id}/coverage",
    response=CoverageOut,
    summary="Coverage of an entries contest",
    description="Which units the coverage rule expects, how many entries each sent, and which "
    "are missing. For those who see the organizer.",
    operation_id="danvan_emulation_api_coverage",
)
def coverage(request: HttpRequest, contest_id: int):
    return queries.contest_coverage(request.user, _contest(request, contest_id))
