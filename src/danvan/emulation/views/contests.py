"""Contest pages: the list, a contest's page and coverage, closing a round, a team's scores,
entries; for organizers, creating a contest and adding teams, judges, prizes and the coverage
rule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can, visible
from danvan.core.collation import Vietnamese, sort_key
from danvan.core.errors import DomainError
from danvan.core.forms import submit
from danvan.org.models import Organization, OrganizationType

from .. import services
from ..forms import (
    ContestForm,
    CoverageRuleForm,
    EntryForm,
    JudgeForm,
    PrizeForm,
    TeamForm,
    TeamScoreForm,
    plain_number,
)
from ..models import (
    Contest,
    ContestKind,
    GroupBy,
    Judge,
    Movement,
    Round,
    RoundScore,
    RoundTeam,
)
from .common import (
    _button,
    _contest,
    _contest_crumbs,
    _form_page,
    _managed_contest,
    _probe,
    _register_units,
    _units,
)

# Contests -------------------------------------------------------------------------------


@login_required
def contest_list(request):
    qs = visible(request.user, Contest.objects.select_related("organizer", "movement"))
    return render(
        request,
        "emulation/contest_list.html",
        {"contests": qs.order_by("-year", Vietnamese("name"))},
    )


def _contest_page(request, contest: Contest, *, score_forms=None, entry_form=None):
    user = request.user
    manager = can(user, "emulation.manage", contest)
    criteria = list(contest.criteria.all())
    judged = set(
        Judge.objects.filter(round__contest=contest, user=user.pk).values_list(
            "round_id", flat=True
        )
    )
    mine: dict[int, dict[int, object]] = {}
    for pid, cid, value in RoundScore.objects.filter(
        participant__round__in=judged, judge__user=user.pk
    ).values_list("participant_id", "criterion_id", "value"):
        mine.setdefault(pid, {})[cid] = plain_number(value)
    score_forms = score_forms or {}
    page_errors = []
    rounds = list(contest.rounds.all())
    for rnd in rounds:
        rnd.ranking = _grouped(rnd, list(services.ranking(rnd)))
        rnd.grouped = rnd.group_by != GroupBy.NONE
        rnd.is_judge = rnd.pk in judged and not rnd.closed
        for p in rnd.ranking:
            p.score_form = score_forms.get(p.pk) or (
                TeamScoreForm(criteria=criteria, mine=mine.get(p.pk), prefix=f"p{p.pk}")
                if rnd.is_judge
                else None
            )
            if p.pk in score_forms and not rnd.is_judge:
                page_errors.extend(score_forms[p.pk].non_field_errors())
                p.score_form = None
    context = {
        "contest": contest,
        "manager": manager,
        "criteria": criteria,
        "rounds": rounds,
        "prizes": contest.prizes.select_related("team", "entry"),
        "page_errors": page_errors,
    }
    if contest.kind == ContestKind.ENTRIES:
        units = _register_units(user, under=contest.organizer)
        context.update(
            entries=contest_entries(user, contest),
            entry_form=entry_form or (EntryForm(units=units) if units else None),
            coverage=services.coverage(contest),
        )
    return render(request, "emulation/contest_detail.html", context)


def contest_entries(user, contest: Contest) -> QuerySet:
    """The entries of a contest that the user may see, as listed (also their export's)."""
    return visible(user, contest.entries.select_related("unit")).order_by(
        "-submitted_on", Vietnamese("title")
    )


def _grouped(rnd: Round, participants: list[RoundTeam]) -> list[RoundTeam]:
    """Order a round's teams by group (the area or the parent unit they compete in), then
    rank, and label each group's first row."""
    if rnd.group_by == GroupBy.NONE:
        return participants
    if rnd.group_by == GroupBy.AREA:
        names = {p.pk: p.team.unit.area.name for p in participants}
    else:
        parent_paths = {p.team.unit.path[: -Organization.steplen] for p in participants}
        parents = dict(
            Organization.objects.filter(path__in=parent_paths).values_list("path", "name")
        )
        names = {
            p.pk: parents.get(p.team.unit.path[: -Organization.steplen], "") for p in participants
        }
    participants.sort(key=lambda p: (names[p.pk], p.rank or 10**6, sort_key(p.team.name)))
    previous = None
    for p in participants:
        p.group, p.group_start = names[p.pk], names[p.pk] != previous
        previous = names[p.pk]
    return participants


@login_required
def contest_detail(request, contest_id: int):
    return _contest_page(request, _contest(request, contest_id))


@login_required
def contest_coverage(request, contest_id: int):
    contest = _contest(request, contest_id)
    return render(
        request,
        "emulation/_coverage.html",
        {"contest": contest, "coverage": services.coverage(contest)},
    )


@login_required
@require_POST
def round_close(request, round_id: int):
    rnd = Round.objects.filter(pk=round_id).first()
    if rnd is None:
        raise Http404
    contest = _contest(request, rnd.contest_id)
    try:
        services.close_round(actor=request.user, round=rnd)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Round closed; the ranking is final."))
    return redirect("emulation:contest", contest_id=contest.pk)


@login_required
@require_POST
def team_score(request, participant_id: int):
    participant = (
        RoundTeam.objects.select_related("round", "team").filter(pk=participant_id).first()
    )
    if participant is None:
        raise Http404
    contest = _contest(request, participant.round.contest_id)
    form = TeamScoreForm(request.POST, criteria=contest.criteria.all(), prefix=f"p{participant.pk}")
    done = submit(
        request,
        form,
        lambda data: services.score_team(
            actor=request.user, participant=participant, scores=form.scores()
        ),
        success=_("Scores for %(team)s saved.") % {"team": participant.team.name},
        then=lambda result: ("emulation:contest", contest.pk),
    )
    return done or _contest_page(request, contest, score_forms={participant.pk: form})


@login_required
@require_POST
def entry_submit(request, contest_id: int):
    contest = _contest(request, contest_id)
    units = _register_units(request.user, under=contest.organizer)
    form = EntryForm(request.POST, units=units)
    done = submit(
        request,
        form,
        lambda data: services.submit_entry(
            actor=request.user,
            contest=contest,
            unit=next(u for u in units if u.pk == data["unit"]),
            title=data["title"],
            author=data["author"],
            outlet=data["outlet"],
            link=data["link"],
            submitted_on=data["submitted_on"] or None,
        ),
        success=_("Entry submitted."),
        then=lambda result: ("emulation:contest", contest.pk),
    )
    return done or _contest_page(request, contest, entry_form=form)


# Contests -------------------------------------------------------------------------------


@login_required
def contest_create(request):
    user = request.user
    units = _units(user, "emulation.manage")
    if _probe(request):
        return _button(request, bool(units), gettext_lazy("New contest"))
    if not units:
        raise PermissionDenied
    movements = list(
        visible(user, Movement.objects.all(), action="emulation.manage").order_by(
            "-start_year", Vietnamese("name")
        )
    )
    form = ContestForm(
        request.POST or None,
        units=units,
        movements=movements,
        initial={
            "organizer": units[0].pk,
            "year": timezone.localdate().year,
            "kind": ContestKind.TEAMS,
        },
    )

    def write(data):
        return services.create_contest(
            actor=user,
            data=services.NewContest(
                organizer=next(u for u in units if u.pk == data["organizer"]),
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                year=data["year"],
                movement=next((m for m in movements if m.pk == data["movement"]), None),
                description=data["description"],
                criteria=form.criteria(),
                rounds=form.rounds(),
            ),
        )

    return _form_page(
        request,
        form,
        write=write,
        done=lambda c: reverse("emulation:contest", args=[c.pk]),
        message=lambda c: _("Contest “%(name)s” created.") % {"name": c.name},
        template="emulation/manage_contest_form.html",
        partial="emulation/_manage_contest_form.html",
        context={
            "title": _("New contest"),
            "crumbs": [(reverse("emulation:contests"), _("Contests"))],
        },
    )


def _teams_contest(request, contest_id: int) -> Contest:
    contest = _contest(request, contest_id)
    if contest.kind != ContestKind.TEAMS:
        raise Http404
    return contest


@login_required
def team_add(request, contest_id: int):
    contest = _teams_contest(request, contest_id)
    # The units the contest covers (the organizer's area) that the user may register for.
    units = _units(request.user, "emulation.register", area_path=contest.organizer.area.path)
    if _probe(request):
        return _button(request, bool(units), gettext_lazy("Add a team"))
    if not units:
        raise PermissionDenied
    form = TeamForm(request.POST or None, units=units)
    first = contest.rounds.order_by("order").first()
    if first is None or first.closed:
        intro = _("The first round is closed (or there is none yet): no team can be added now.")
    else:
        intro = _("The team enters the contest's first round, %(round)s.") % {"round": first.name}

    def write(data):
        return services.add_team(
            actor=request.user,
            contest=contest,
            name=data["name"],
            unit=next(u for u in units if u.pk == data["unit"]),
            members=form.member_list(),
        )

    return _form_page(
        request,
        form,
        write=write,
        done=lambda team: reverse("emulation:contest", args=[contest.pk]),
        message=lambda team: _("Team “%(name)s” added to the first round.") % {"name": team.name},
        context={
            "title": _("Add a team"),
            "crumbs": _contest_crumbs(contest),
            "intro": intro,
            "submit": _("Add the team"),
            "wide": "members",
            "listing": [f"{t.name} — {t.unit.name}" for t in contest.teams.select_related("unit")],
            "listing_title": _("Teams"),
        },
    )


@login_required
def judge_add(request, contest_id: int):
    contest = _managed_contest(request, contest_id)
    rounds = list(contest.rounds.all())
    if contest.kind != ContestKind.TEAMS or not rounds:
        raise Http404
    form = JudgeForm(request.POST or None, rounds=rounds)
    judges = Judge.objects.filter(round__contest=contest).select_related("round", "user")
    return _form_page(
        request,
        form,
        write=lambda data: services.add_judge(
            actor=request.user,
            round=next(r for r in rounds if r.pk == data["round"]),
            username=data["username"],
        ),
        done=lambda judge: reverse("emulation:contest", args=[contest.pk]),
        message=lambda judge: (
            _("%(user)s judges %(round)s.")
            % {"user": judge.user.get_full_name() or judge.user.username, "round": judge.round.name}
        ),
        context={
            "title": _("Add a judge"),
            "crumbs": _contest_crumbs(contest),
            "intro": _("A judge scores every team of the round on the contest's criteria."),
            "submit": _("Add the judge"),
            "listing": [
                f"{j.round.order}. {j.round.name}: {j.user.get_full_name() or j.user.username}"
                for j in judges.order_by("round__order", "user__username")
            ],
            "listing_title": _("Judges"),
        },
    )


@login_required
def prize_award(request, contest_id: int):
    contest = _managed_contest(request, contest_id)
    teams = list(contest.teams.order_by(Vietnamese("name")))
    entries = list(visible(request.user, contest.entries.all()).order_by(Vietnamese("title")))
    form = PrizeForm(request.POST or None, teams=teams, entries=entries)

    def write(data):
        kind, _sep, pk = data["recipient"].partition(":")
        return services.award_prize(
            actor=request.user,
            contest=contest,
            name=data["name"],
            team=next((t for t in teams if kind == "team" and str(t.pk) == pk), None),
            entry=next((e for e in entries if kind == "entry" and str(e.pk) == pk), None),
        )

    return _form_page(
        request,
        form,
        write=write,
        done=lambda prize: reverse("emulation:contest", args=[contest.pk]),
        message=lambda prize: _("Prize “%(name)s” awarded.") % {"name": prize.name},
        context={
            "title": _("Award a prize"),
            "crumbs": _contest_crumbs(contest),
            "submit": _("Award the prize"),
            "listing": [
                f"{p.name}: {p.team.name if p.team else p.entry.title if p.entry else ''}"
                for p in contest.prizes.select_related("team", "entry")
            ],
            "listing_title": _("Prizes"),
        },
    )


@login_required
def coverage_rule_set(request, contest_id: int):
    contest = _managed_contest(request, contest_id)
    if contest.kind != ContestKind.ENTRIES:
        raise Http404
    rule = getattr(contest, "coverage_rule", None)
    initial = (
        {"unit_type": rule.unit_type.code, "area_level": rule.area_level, "minimum": rule.minimum}
        if rule
        else {"minimum": 1}
    )
    form = CoverageRuleForm(
        request.POST or None, unit_types=OrganizationType.objects.all(), initial=initial
    )
    return _form_page(
        request,
        form,
        write=lambda data: services.set_coverage_rule(
            actor=request.user,
            contest=contest,
            unit_type_code=data["unit_type"],
            area_level=data["area_level"],
            minimum=data["minimum"],
        ),
        done=lambda r: reverse("emulation:contest", args=[contest.pk]) + "#coverage",
        message=lambda r: _("Coverage rule set."),
        context={
            "title": _("Set the coverage rule"),
            "crumbs": _contest_crumbs(contest),
            "intro": _(
                "Which units under the organizer's area must send entries, e.g. every "
                "district-level Party committee at least one. Setting it again replaces it."
            ),
            "submit": _("Set the rule"),
        },
    )
