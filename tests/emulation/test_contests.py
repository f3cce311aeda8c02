"""Contests: 93 grassroots teams from 16 communes, one per commune to the district round;
totals, ties, closing, prizes; entries contests and their coverage rule; who may do what and
what bad input is refused with nothing written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from danvan.audit.models import AuditEvent
from danvan.core.errors import Conflict, DomainError
from danvan.emulation.models import Contest, Prize, Round, RoundTeam, Team
from danvan.emulation.services import EmulationError, contests
from danvan.org.models import Area

from ..factories import OrganizationFactory, UserFactory, grant
from .conftest import Unchanged, events_since, make_people, org_type

CRITERIA = [
    {"name": "Kiến thức", "max_score": 10, "weight": 2},
    {"name": "Năng khiếu", "max_score": 10, "weight": 1},
]
ROUNDS = [
    {"name": "Vòng cơ sở", "advance": 1, "group_by": "area"},
    {"name": "Vòng huyện"},
]


def refuses(call, error_type=EmulationError, field=None, *, code=None, case=None):
    with Unchanged():
        try:
            call()
        except error_type as exc:
            error = exc
        else:
            pytest.fail(f"not refused: {case!r}")
    if isinstance(error, DomainError):
        assert str(error.message), case
        assert error.field == field, case
        if code:
            assert error.code == code, case
    return error


def one_event(action, actor, call):
    before = AuditEvent.objects.count()
    result = call()
    assert [(e.action, e.actor) for e in events_since(before)] == [(action, actor)]
    return result


def make_contest(actor, organizer, *, code="hoi-thi-dvk", kind="teams", rounds=ROUNDS):
    return contests.create_contest(
        actor=actor,
        data=contests.NewContest(
            organizer=organizer,
            code=code,
            name="Hội thi “Dân vận khéo” huyện Thanh Trì",
            kind=kind,
            year=2024,
            criteria=CRITERIA,
            rounds=rounds,
        ),
    )


def judges_of(contest_round, actor, n=2):
    users = [UserFactory(username=f"giam-khao-{contest_round.pk}-{i}") for i in range(n)]
    for user in users:
        contests.add_judge(actor=actor, round=contest_round, user=user)
    return users


def test_93_teams_from_16_communes_send_one_team_each_to_the_district_round(thanh_tri):
    d = thanh_tri
    people = make_people(d)
    contest = make_contest(people.commission, d.commission)
    grassroots, district_round = contest.rounds.order_by("order")
    # 13 communes send 6 teams, 3 send 5: 93 teams, each representing a unit of its commune.
    teams: dict[int, list[Team]] = {}
    for ci, commune in enumerate(d.communes):
        teams[ci] = [
            contests.add_team(
                actor=people.registrar,
                contest=contest,
                name=f"Đội {ci:02d}-{k}",
                unit=commune.all_units[k % 9],
                members=[{"name": f"Thành viên {ci}-{k}", "role": "Đội trưởng"}],
            )
            for k in range(6 if ci < 13 else 5)
        ]
    assert sum(len(t) for t in teams.values()) == 93
    assert len({t.unit.area_id for ts in teams.values() for t in ts}) == 16

    # In each commune one team scores best; in commune 1 two teams tie at the top and the
    # one whose name sorts first advances; in commune 2 one team was never scored.
    judge_a, judge_b = judges_of(grassroots, people.commission)
    knowledge, talent = contest.criteria.order_by("pk")
    expected = {}
    participants = {p.team_id: p for p in grassroots.participants.all()}
    for ci, commune_teams in teams.items():
        best = ci % len(commune_teams)
        tied = {best, 0} if ci == 1 else {best}
        expected[ci] = commune_teams[min(tied)]
        for k, team in enumerate(commune_teams):
            if ci == 2 and k == 4:
                continue
            top = k in tied
            contests.score_team(
                actor=judge_a,
                participant=participants[team.pk],
                scores={knowledge.pk: 9 if top else 5 + k % 3, talent.pk: 8},
            )
            contests.score_team(
                actor=judge_b,
                participant=participants[team.pk],
                scores={str(knowledge.pk): "8" if top else "6", str(talent.pk): "7.5"},
            )
    assert expected[1].name == "Đội 01-0"

    before = AuditEvent.objects.count()
    ranked = contests.close_round(actor=people.commission, round=grassroots)
    assert [e.action for e in events_since(before)] == ["emulation.close_round"]
    assert len(ranked) == 93
    advanced = RoundTeam.objects.filter(round=grassroots, advanced=True)
    assert advanced.count() == 16
    entered = list(district_round.participants.select_related("team__unit"))
    assert len(entered) == 16
    assert {p.team for p in entered} == set(expected.values())
    assert len({p.team.unit.area_id for p in entered}) == 16
    # Totals: per judge the weighted sum, averaged over judges: (9·2 + 8 + 8·2 + 7.5) / 2.
    winner = grassroots.participants.get(team=expected[0])
    assert (winner.total, winner.rank, winner.advanced) == (Decimal("24.75"), 1, True)
    tie_loser = grassroots.participants.get(team=teams[1][1])
    assert (tie_loser.total, tie_loser.rank, tie_loser.advanced) == (Decimal("24.75"), 2, False)
    unscored = grassroots.participants.get(team=teams[2][4])
    assert (unscored.total, unscored.advanced) == (Decimal("0"), False)
    for ci in range(16):
        ranks = sorted(
            grassroots.participants.filter(team__in=teams[ci]).values_list("rank", flat=True)
        )
        assert ranks == list(range(1, len(teams[ci]) + 1))

    # Closing twice is refused; the closed round takes no more teams or scores.
    refuses(lambda: contests.close_round(actor=people.commission, round=grassroots), field="round")
    refuses(
        lambda: contests.add_team(
            actor=people.registrar, contest=contest, name="Muộn", unit=d.communes[0].party
        ),
        field="contest",
    )
    refuses(
        lambda: contests.score_team(
            actor=judge_a, participant=participants[teams[0][1].pk], scores={knowledge.pk: 10}
        ),
        field="round",
    )
    assert contests.ranking(district_round).count() == 16


@pytest.fixture
def contest(district, people):
    return make_contest(people.commission, district.commission)


def test_totals_ranking_final_round_and_prizes(district, people, contest):
    d, c = district, people.commission
    grassroots, final = contest.rounds.order_by("order")
    names = ["Đội Văn Điển", "Đội Tân Triều", "Đội Thanh Liệt"]
    teams = [
        contests.add_team(actor=people.registrar, contest=contest, name=name, unit=commune.party)
        for name, commune in zip(names, d.communes, strict=True)
    ]
    judge_a, judge_b = judges_of(grassroots, c)
    knowledge, talent = contest.criteria.order_by("pk")
    for p in grassroots.participants.all():
        contests.score_team(
            actor=judge_a, participant=p, scores={knowledge.pk: 8, talent.pk: 6}
        )  # 22
        contests.score_team(
            actor=judge_b, participant=p, scores={knowledge.pk: 6, talent.pk: 10}
        )  # 22
    contests.close_round(actor=c, round=grassroots)
    # Each commune its own group: all three advance.
    assert final.participants.count() == 3
    assert set(grassroots.participants.values_list("total", flat=True)) == {Decimal("22.00")}

    judge = judges_of(final, c, n=1)[0]
    scores = {teams[0]: (7, 7), teams[1]: (9, 5), teams[2]: (9, 9)}
    for p in final.participants.select_related("team"):
        k, t = scores[p.team]
        contests.score_team(actor=judge, participant=p, scores={knowledge.pk: k, talent.pk: t})
    ranked = contests.close_round(actor=c, round=final)
    assert [(p.team.name, p.total, p.rank, p.advanced) for p in ranked] == [
        ("Đội Thanh Liệt", Decimal("27.00"), 1, False),
        ("Đội Tân Triều", Decimal("23.00"), 2, False),
        ("Đội Văn Điển", Decimal("21.00"), 3, False),
    ]
    assert [p.team.name for p in contests.ranking(final)] == [p.team.name for p in ranked]

    prize = one_event(
        "emulation.award_prize",
        c,
        lambda: contests.award_prize(actor=c, contest=contest, name="Giải Nhất", team=teams[2]),
    )
    assert (prize.team, prize.entry) == (teams[2], None)
    other = make_contest(c, d.commission, code="hoi-thi-khac")
    stranger = contests.add_team(
        actor=people.registrar, contest=other, name="Đội lạ", unit=d.communes[0].party
    )
    refuses(lambda: contests.award_prize(actor=c, contest=contest, name="Giải Nhì"), field="team")
    refuses(
        lambda: contests.award_prize(actor=c, contest=contest, name="Giải Nhì", team=stranger),
        field="team",
    )
    refuses(
        lambda: contests.award_prize(actor=c, contest=contest, name=" ", team=teams[1]),
        field="name",
    )
    refuses(
        lambda: contests.award_prize(
            actor=people.registrar, contest=contest, name="Giải Ba", team=teams[0]
        ),
        PermissionDenied,
    )
    assert Prize.objects.count() == 1


def test_round_grouped_by_parent_organization(district, people):
    d, c = district, people.commission
    contest = make_contest(
        c,
        d.commission,
        rounds=[{"name": "Vòng 1", "advance": 2, "group_by": "parent"}, {"name": "Vòng 2"}],
    )
    first, second = contest.rounds.order_by("order")
    knowledge = contest.criteria.order_by("pk").first()
    judge = judges_of(first, c, n=1)[0]
    points = {}
    # Three teams under each of two commune Party committees, one under the district.
    for ci in range(2):
        for k in range(3):
            team = contests.add_team(
                actor=people.registrar,
                contest=contest,
                name=f"Đội {ci}-{k}",
                unit=d.communes[ci].units[k],
            )
            points[team.pk] = k + 1
    solo = contests.add_team(
        actor=people.registrar, contest=contest, name="Đội huyện", unit=d.units[1]
    )
    points[solo.pk] = 1
    for p in first.participants.all():
        contests.score_team(actor=judge, participant=p, scores={knowledge.pk: points[p.team_id]})
    contests.close_round(actor=c, round=first)
    assert sorted(p.team.name for p in second.participants.select_related("team")) == [
        "Đội 0-1",
        "Đội 0-2",
        "Đội 1-1",
        "Đội 1-2",
        "Đội huyện",
    ]


def test_contest_services_write_one_event_each_and_check_permissions(district, people, contest):
    d, c, r = district, people.commission, people.registrar
    grassroots = contest.rounds.order_by("order").first()
    assert [cr.name for cr in contest.criteria.order_by("pk")] == ["Kiến thức", "Năng khiếu"]
    assert [(x.order, x.advance, x.group_by) for x in contest.rounds.order_by("order")] == [
        (1, 1, "area"),
        (2, None, "none"),
    ]
    assert AuditEvent.objects.filter(action="emulation.create_contest").count() == 1

    team = one_event(
        "emulation.add_team",
        r,
        lambda: contests.add_team(
            actor=r,
            contest=contest,
            name="Đội Văn Điển",
            unit=d.communes[0].party,
            members=[{"name": "Nguyễn Văn A", "role": "Đội trưởng"}, {"name": "Trần Thị B"}],
        ),
    )
    assert [m.name for m in team.members.order_by("pk")] == ["Nguyễn Văn A", "Trần Thị B"]
    assert list(grassroots.participants.values_list("team", flat=True)) == [team.pk]
    judge_user = UserFactory(username="giam-khao")
    judge = one_event(
        "emulation.add_judge",
        c,
        lambda: contests.add_judge(actor=c, round=grassroots, user=judge_user),
    )
    # Adding the same judge again changes nothing and logs nothing.
    with Unchanged():
        assert contests.add_judge(actor=c, round=grassroots, user=judge_user) == judge
    participant = grassroots.participants.get()
    knowledge = contest.criteria.order_by("pk").first()
    one_event(
        "emulation.score_team",
        judge_user,
        lambda: contests.score_team(
            actor=judge_user, participant=participant, scores={knowledge.pk: 7}
        ),
    )

    # Outsiders and those without the action.
    for who in ("registrar", "district_leader", "other_leader", "outsider"):
        actor = getattr(people, who)
        refuses(
            lambda actor=actor: make_contest(actor, d.commission, code="khac"),
            PermissionDenied,
            case=who,
        )
        refuses(
            lambda actor=actor: contests.add_judge(
                actor=actor, round=grassroots, user=people.outsider
            ),
            PermissionDenied,
            case=who,
        )
        refuses(
            lambda actor=actor: contests.close_round(actor=actor, round=grassroots),
            PermissionDenied,
            case=who,
        )
    for who, unit in [
        ("commune_registrar", d.communes[1].party),
        ("other_registrar", d.communes[0].party),
        ("district_leader", d.communes[0].party),
        ("outsider", d.communes[0].party),
    ]:
        refuses(
            lambda who=who, unit=unit: contests.add_team(
                actor=getattr(people, who), contest=contest, name="Đội mới", unit=unit
            ),
            PermissionDenied,
            case=who,
        )
    # Only the round's judges score, even a commission officer who runs the contest.
    for actor in (c, people.outsider):
        refuses(
            lambda actor=actor: contests.score_team(
                actor=actor, participant=participant, scores={knowledge.pk: 7}
            ),
            field="judge",
            code="not_a_judge",
        )


def test_bad_contest_input_is_refused(district, people, contest):
    d, c = district, people.commission
    for changes, field, error_type in [
        ({"code": "hoi-thi-dvk"}, "code", Conflict),
        ({"kind": "quiz"}, "kind", EmulationError),
        ({"name": ""}, "name", EmulationError),
        ({"year": "năm nay"}, "year", EmulationError),
        ({"criteria": [{"name": "A", "max_score": 0}]}, "criteria.0", EmulationError),
        ({"criteria": [{"name": "A", "weight": -1}]}, "criteria.0", EmulationError),
        (
            {"criteria": [{"name": "A", "max_score": "mười"}]},
            "criteria.0.max_score",
            EmulationError,
        ),
        ({"criteria": [{"max_score": 10}]}, "criteria.0.name", EmulationError),
        ({"rounds": [{"name": "V1", "group_by": "province"}]}, "rounds.0.group_by", EmulationError),
        ({"rounds": [{"name": "V1", "advance": 0}]}, "rounds.0.advance", EmulationError),
        ({"rounds": [{"name": "V1"}, {"name": ""}]}, "rounds.1.name", EmulationError),
    ]:
        spec = {
            "code": "moi",
            "name": "Hội thi",
            "kind": "teams",
            "year": 2024,
            "criteria": CRITERIA,
            "rounds": ROUNDS,
        } | changes
        refuses(
            lambda spec=spec: contests.create_contest(
                actor=c, data=contests.NewContest(organizer=d.commission, **spec)
            ),
            error_type,
            field,
            case=changes,
        )

    r = people.registrar
    contests.add_team(actor=r, contest=contest, name="Đội Văn Điển", unit=d.communes[0].party)
    refuses(
        lambda: contests.add_team(
            actor=r, contest=contest, name=" Đội  Văn Điển", unit=d.communes[1].party
        ),
        Conflict,
        "name",
    )
    refuses(
        lambda: contests.add_team(
            actor=r,
            contest=contest,
            name="Đội mới",
            unit=d.communes[1].party,
            members=[{"name": ""}],
        ),
        field="members.0.name",
    )
    entries = make_contest(c, d.commission, code="bao-chi", kind="entries", rounds=[])
    refuses(
        lambda: contests.add_team(actor=r, contest=entries, name="Đội", unit=d.communes[0].party),
        field="contest",
    )
    no_rounds = make_contest(c, d.commission, code="chua-co-vong", rounds=[])
    refuses(
        lambda: contests.add_team(actor=r, contest=no_rounds, name="Đội", unit=d.communes[0].party),
        field="contest",
    )
    empty = make_contest(c, d.commission, code="chua-co-doi")
    refuses(
        lambda: contests.close_round(actor=c, round=empty.rounds.order_by("order").first()),
        field="round",
    )

    grassroots = contest.rounds.order_by("order").first()
    judge = judges_of(grassroots, c, n=1)[0]
    participant = grassroots.participants.get()
    knowledge, talent = contest.criteria.order_by("pk")
    foreign = empty.criteria.first()
    for scores, field in [
        ({knowledge.pk: -1}, f"scores.{knowledge.pk}"),
        ({knowledge.pk: "10.5"}, f"scores.{knowledge.pk}"),
        ({talent.pk: 5, knowledge.pk: "tám"}, f"scores.{knowledge.pk}"),
        ({knowledge.pk: None}, f"scores.{knowledge.pk}"),
        ({foreign.pk: 5}, "scores"),
        ({"kiến thức": 5}, "scores"),
    ]:
        refuses(
            lambda scores=scores: contests.score_team(
                actor=judge, participant=participant, scores=scores
            ),
            field=field,
            case=scores,
        )


# Entries and coverage ----------------------------------------------------------------------


@pytest.fixture
def city_contest(district):
    """An entries contest of the city: every district-level Party committee must send one."""
    d = district
    hanoi = d.city.area
    hoan_kiem = Area.objects.get(structure="2024", level="district", name="Quận Hoàn Kiếm")
    ba_dinh = Area.objects.get(structure="2024", level="district", name="Quận Ba Đình")
    d.extra["hoan_kiem"] = OrganizationFactory(
        code="hk-qu",
        name="Quận ủy Hoàn Kiếm",
        area=hoan_kiem,
        parent=d.city,
        type=org_type("party-committee"),
    )
    d.extra["ba_dinh"] = OrganizationFactory(
        code="bd24-qu",
        name="Quận ủy Ba Đình (đã giải thể)",
        area=ba_dinh,
        parent=d.city,
        type=org_type("party-committee"),
        is_active=False,
    )
    officer = UserFactory(username="ban-dan-van-thanh-uy")
    grant(officer, "commission_officer", d.city)
    d.extra["officer"] = officer
    assert hanoi.level == "province"
    return contests.create_contest(
        actor=officer,
        data=contests.NewContest(
            organizer=d.city,
            code="bao-chi-dvk",
            name="Cuộc thi báo chí về mô hình “Dân vận khéo”",
            kind="entries",
            year=2024,
        ),
    )


def test_coverage_lists_units_with_no_entry(district, people, city_contest):
    d, contest = district, city_contest
    officer = d.extra["officer"]
    assert contests.coverage(contest)["rule"] is None
    rule = one_event(
        "emulation.set_coverage_rule",
        officer,
        lambda: contests.set_coverage_rule(
            actor=officer, contest=contest, unit_type_code="party-committee", area_level="district"
        ),
    )
    assert (rule.unit_type.code, rule.area_level, rule.minimum) == (
        "party-committee",
        "district",
        1,
    )
    report = contests.coverage(contest)
    assert report["expected"] == 3
    assert {u.code for u in report["missing"]} == {"tt-hu", "gl-hu", "hk-qu"}
    assert (report["covered"], report["percent"]) == (0, 0.0)

    # An entry from a commune union of Thanh Trì counts for Thanh Trì's committee.
    entry = one_event(
        "emulation.submit_entry",
        people.registrar,
        lambda: contests.submit_entry(
            actor=people.registrar,
            contest=contest,
            unit=d.communes[0].units[1],
            title="Phụ nữ Văn Điển khéo vận động",
            author="Lê Thị Mai",
            outlet="Báo Hà Nội mới",
            link="https://hanoimoi.vn/bai-viet",
            submitted_on=dt.date(2024, 9, 1),
        ),
    )
    assert (entry.unit, entry.submitted_on) == (d.communes[0].units[1], dt.date(2024, 9, 1))
    contests.submit_entry(
        actor=people.other_registrar,
        contest=contest,
        unit=d.other_party,
        title="Gia Lâm",
        author="Phóng viên",
    )
    report = contests.coverage(contest)
    assert [u.code for u in report["missing"]] == ["hk-qu"]
    assert (report["expected"], report["covered"], report["percent"]) == (3, 2, 66.7)
    rows = {row["unit"].code: (row["entries"], row["covered"]) for row in report["rows"]}
    assert rows == {"tt-hu": (1, True), "gl-hu": (1, True), "hk-qu": (0, False)}

    # At least two entries each: only units with two or more are covered.
    contests.set_coverage_rule(
        actor=officer,
        contest=contest,
        unit_type_code="party-committee",
        area_level="district",
        minimum=2,
    )
    contests.submit_entry(
        actor=people.registrar,
        contest=contest,
        unit=d.units[2],
        title="Hội Phụ nữ huyện",
        author="Phóng viên",
    )
    contest = Contest.objects.get(pk=contest.pk)
    report = contests.coverage(contest)
    assert [u.code for u in report["missing"]] == ["gl-hu", "hk-qu"]
    assert (report["covered"], report["percent"]) == (1, 33.3)

    # Another rule: every commune Party committee; entries from a commune's hamlet count.
    contests.set_coverage_rule(
        actor=officer, contest=contest, unit_type_code="party-committee", area_level="commune"
    )
    contest = Contest.objects.get(pk=contest.pk)
    report = contests.coverage(contest)
    assert {u.code for u in report["missing"]} == {c.party.code for c in d.communes[1:]}
    contests.submit_entry(
        actor=people.registrar,
        contest=contest,
        unit=d.communes[2].units[6],
        title="Thôn 1",
        author="Trưởng thôn",
    )
    report = contests.coverage(Contest.objects.get(pk=contest.pk))
    assert [u.code for u in report["missing"]] == [d.communes[1].party.code]


def test_bad_coverage_rules_and_entries_are_refused(district, people, city_contest):
    d, contest, officer = district, city_contest, district.extra["officer"]
    for changes, field in [
        ({"unit_type_code": "hội"}, "unit_type"),
        ({"area_level": "ward"}, "area_level"),
        ({"minimum": 0}, "minimum"),
    ]:
        spec = {"unit_type_code": "party-committee", "area_level": "district"} | changes
        refuses(
            lambda spec=spec: contests.set_coverage_rule(actor=officer, contest=contest, **spec),
            field=field,
            case=changes,
        )
    for who in ("commission", "registrar", "city_leader", "outsider"):
        refuses(
            lambda who=who: contests.set_coverage_rule(
                actor=getattr(people, who), contest=contest, unit_type_code="party-committee"
            ),
            PermissionDenied,
            case=who,
        )

    r = people.registrar
    good = {"title": "Bài viết", "author": "Tác giả", "unit": d.communes[0].party}
    for changes, field in [
        ({"title": ""}, "title"),
        ({"author": " "}, "author"),
        ({"link": "ftp://example.org/a"}, "link"),
        ({"link": "javascript:alert(1)"}, "link"),
    ]:
        refuses(
            lambda changes=changes: contests.submit_entry(
                actor=r, contest=contest, **(good | changes)
            ),
            field=field,
            case=changes,
        )
    teams = make_contest(people.commission, d.commission)
    refuses(lambda: contests.submit_entry(actor=r, contest=teams, **good), field="contest")
    # A district's own entries contest does not take entries from another district.
    district_contest = make_contest(
        people.commission, d.commission, code="bao-chi-huyen", kind="entries", rounds=[]
    )
    refuses(
        lambda: contests.submit_entry(
            actor=people.other_registrar,
            contest=district_contest,
            unit=d.other_unit,
            title="Gia Lâm",
            author="Phóng viên",
        ),
        field="unit",
    )
    for who, unit in [
        ("other_registrar", d.communes[0].party),
        ("commune_registrar", d.communes[1].party),
        ("outsider", d.communes[0].party),
    ]:
        refuses(
            lambda who=who, unit=unit: contests.submit_entry(
                actor=getattr(people, who), contest=contest, **(good | {"unit": unit})
            ),
            PermissionDenied,
            case=who,
        )
    assert not Round.objects.filter(contest=contest).exists()
