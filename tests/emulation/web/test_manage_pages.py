"""The organizers' pages: who may open them, each form's happy path through its service (the
row and one audit event), bad input (the error, and nothing written), htmx partials."""

import pytest
from django.urls import reverse

from danvan.audit.models import AuditEvent
from danvan.emulation import services
from danvan.emulation.models import (
    Adoption,
    Contest,
    ContestCriterion,
    CoverageRule,
    Criterion,
    FieldOfWork,
    Judge,
    Label,
    Level,
    Movement,
    MovementModel,
    Prize,
    Round,
    Team,
    TeamMember,
    Theme,
)

from ..conftest import Unchanged
from .conftest import TODAY, YEAR, errors_of, text

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def adoption(model, tree, alice):
    services.mark_for_replication(actor=alice, model=model)
    return services.adopt_model(actor=alice, model=model, unit=tree["ward"], started_on=TODAY)


def url(name, obj=None):
    return reverse(f"emulation:{name}", args=[obj.pk] if obj is not None else [])


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()


def assert_one_event(before: int, action: str) -> None:
    assert AuditEvent.objects.count() == before + 1
    assert last_event().action == action


# --- who may open what --------------------------------------------------------------------

OBJECT_PAGES = [
    ("theme_set", "movement"),
    ("criterion_add", "movement"),
    ("label_add", "movement"),
    ("team_add", "teams_contest"),
    ("judge_add", "teams_contest"),
    ("prize_award", "teams_contest"),
    ("prize_award", "entries_contest"),
    ("coverage_rule_set", "entries_contest"),
    ("model_edit", "model"),
    ("adoption_reports", "model"),
]


@pytest.mark.parametrize(("name", "obj"), OBJECT_PAGES)
def test_object_pages_render_for_alice_403_for_bob_404_for_charlie(
    request, name, obj, adoption, alice, bob, charlie, client_for
):
    target = url(name, request.getfixturevalue(obj))
    response = client_for(alice).get(target)
    assert response.status_code == 200
    assert 'method="post"' in text(response)
    assert client_for(bob).get(target).status_code == 403
    assert client_for(charlie).get(target).status_code == 404


@pytest.mark.parametrize("name", ["movement_create", "contest_create"])
def test_create_pages_need_a_unit_to_manage(name, alice, bob, charlie, client_for):
    assert client_for(alice).get(url(name)).status_code == 200
    assert client_for(bob).get(url(name)).status_code == 403
    assert client_for(charlie).get(url(name)).status_code == 403


@pytest.mark.parametrize(
    ("name", "obj"),
    [
        ("team_add", "entries_contest"),
        ("judge_add", "entries_contest"),
        ("coverage_rule_set", "teams_contest"),
    ],
)
def test_pages_that_do_not_fit_the_contest_kind_are_not_found(
    request, name, obj, alice, client_for
):
    assert client_for(alice).get(url(name, request.getfixturevalue(obj))).status_code == 404


def test_posts_by_a_viewer_are_refused_and_write_nothing(movement, model, bob, client_for):
    client = client_for(bob)
    with Unchanged():
        assert client.post(url("label_add", movement), {"name": "X"}).status_code == 403
        assert client.post(url("model_edit", model), {"title": "X"}).status_code == 403


def test_posts_by_an_outsider_are_not_found(movement, teams_contest, charlie, client_for):
    client = client_for(charlie)
    with Unchanged():
        assert (
            client.post(url("theme_set", movement), {"year": YEAR, "title": "X"}).status_code == 404
        )
        assert client.post(url("prize_award", teams_contest), {"name": "X"}).status_code == 404


def test_viewer_is_offered_no_manage_link(movement, model, teams_contest, bob, client_for):
    client = client_for(bob)
    pages = {
        url("movement", movement): ["theme_set", "criterion_add", "label_add"],
        url("contest", teams_contest): ["judge_add", "prize_award"],
        url("model", model): ["model_edit"],
    }
    for page, names in pages.items():
        body = text(client.get(page))
        for name in names:
            obj = {"model_edit": model}.get(name) or (
                movement if name in ("theme_set", "criterion_add", "label_add") else teams_contest
            )
            assert url(name, obj) not in body


def test_alice_is_offered_the_links(
    movement, model, teams_contest, entries_contest, alice, client_for
):
    client = client_for(alice)
    body = text(client.get(url("movement", movement)))
    for name in ("theme_set", "criterion_add", "label_add"):
        assert url(name, movement) in body
    body = text(client.get(url("contest", teams_contest)))
    for name in ("team_add", "judge_add", "prize_award"):
        assert url(name, teams_contest) in body
    body = text(client.get(url("contest", entries_contest)))
    for name in ("coverage_rule_set", "prize_award"):
        assert url(name, entries_contest) in body
    assert url("model_edit", model) in text(client.get(url("model", model)))


def test_buttons_on_the_lists_are_probed_by_htmx(alice, bob, client_for):
    assert f"{url('movement_create')}?probe=1" in text(client_for(alice).get(url("movements")))
    assert f"{url('contest_create')}?probe=1" in text(client_for(alice).get(url("contests")))
    for name in ("movement_create", "contest_create"):
        answer = client_for(alice).get(url(name), {"probe": "1"}, **HTMX)
        assert answer.status_code == 200 and url(name) in text(answer)
        assert "<html" not in text(answer)
        assert client_for(bob).get(url(name), {"probe": "1"}, **HTMX).status_code == 204


# --- movements ------------------------------------------------------------------------------


def test_create_a_movement(tree, alice, client_for):
    events = AuditEvent.objects.count()
    response = client_for(alice).post(
        url("movement_create"),
        {
            "organizer": tree["ward"].pk,
            "code": "dvk-2026",
            "name": "Dân vận khéo 2026",
            "start_year": 2026,
            "end_year": 2030,
            "description": "",
        },
    )
    movement = Movement.objects.get(code="dvk-2026")
    assert response.status_code == 302 and response["Location"] == url("movement", movement)
    assert movement.organizer == tree["ward"] and movement.end_year == 2030
    assert FieldOfWork.objects.filter(movement=movement).exists()
    assert Level.objects.filter(movement=movement).exists()
    assert_one_event(events, "emulation.create_movement")


def test_movement_organizer_is_chosen_among_units_alice_manages(tree, alice, client_for):
    body = text(client_for(alice).get(url("movement_create")))
    assert tree["ward"].name in body
    assert tree["other"].name not in body
    with Unchanged():
        response = client_for(alice).post(
            url("movement_create"),
            {"organizer": tree["other"].pk, "code": "x", "name": "X", "start_year": 2026},
        )
    assert response.status_code == 200 and errors_of(response)


def test_movement_errors_from_the_service_sit_on_their_field(movement, tree, alice, client_for):
    data = {"organizer": tree["ward"].pk, "code": movement.code, "name": "X", "start_year": 2026}
    with Unchanged():
        response = client_for(alice).post(url("movement_create"), data)
        assert "already exists" in text(response).split('id="field-code"')[1].split("</div>")[0]
        response = client_for(alice).post(
            url("movement_create"), {**data, "code": "new", "end_year": 2020}
        )
        assert (
            "before the first" in text(response).split('id="field-end_year"')[1].split("</div>")[0]
        )


def test_set_a_theme(movement, alice, client_for):
    events = AuditEvent.objects.count()
    response = client_for(alice).post(
        url("theme_set", movement), {"year": YEAR + 1, "title": "Dân vận khéo – vì dân"}
    )
    assert response.status_code == 302
    assert Theme.objects.get(movement=movement, year=YEAR + 1).title == "Dân vận khéo – vì dân"
    assert_one_event(events, "emulation.set_theme")


def test_theme_errors(movement, alice, client_for):
    with Unchanged():
        response = client_for(alice).post(url("theme_set", movement), {"year": 1900, "title": "X"})
        assert errors_of(response) == ["The year is out of range."]
        response = client_for(alice).post(url("theme_set", movement), {"year": YEAR, "title": " "})
        assert errors_of(response) == ["This field is required."]


def test_add_a_criterion(movement, alice, client_for):
    events = AuditEvent.objects.count()
    response = client_for(alice).post(
        url("criterion_add", movement), {"name": "Sức lan tỏa", "weight": "1.5", "max_score": "20"}
    )
    assert response.status_code == 302
    criterion = Criterion.objects.get(movement=movement, name="Sức lan tỏa")
    assert str(criterion.weight) == "1.50" and str(criterion.max_score) == "20.00"
    assert_one_event(events, "emulation.add_criterion")


def test_criterion_errors(movement, alice, client_for):
    with Unchanged():
        response = client_for(alice).post(
            url("criterion_add", movement), {"name": "X", "weight": "0", "max_score": "10"}
        )
        assert errors_of(response) == ["The weight must be above zero."]
        response = client_for(alice).post(
            url("criterion_add", movement), {"name": "X", "weight": "1", "max_score": "ten"}
        )
        assert errors_of(response) == ["Enter a number."]


def test_add_a_label_and_a_duplicate(movement, alice, client_for):
    events = AuditEvent.objects.count()
    client = client_for(alice)
    assert client.post(url("label_add", movement), {"name": "Chuyển đổi số"}).status_code == 302
    assert Label.objects.filter(movement=movement, name="Chuyển đổi số").exists()
    assert_one_event(events, "emulation.add_label")
    with Unchanged():
        response = client.post(url("label_add", movement), {"name": "Chuyển đổi số"})
        assert errors_of(response) == ["This label already exists."]


def test_htmx_loads_the_form_in_place_and_redirects_after_saving(movement, alice, client_for):
    client = client_for(alice)
    partial = client.get(url("label_add", movement), **HTMX)
    assert partial.status_code == 200
    assert "<html" not in text(partial) and 'name="name"' in text(partial)
    with Unchanged():
        bad = client.post(url("label_add", movement), {"name": ""}, **HTMX)
        assert "<html" not in text(bad) and errors_of(bad) == ["This field is required."]
    done = client.post(url("label_add", movement), {"name": "Nhãn mới"}, **HTMX)
    assert done.status_code == 204 and done["HX-Redirect"] == url("movement", movement)


# --- contests -------------------------------------------------------------------------------


def contest_data(tree, **extra):
    data = {
        "organizer": tree["ward"].pk,
        "code": "hoi-thi-2026",
        "name": "Hội thi Dân vận khéo 2026",
        "kind": "teams",
        "year": YEAR,
        "movement": "",
        "description": "",
        "c0_name": "Nội dung",
        "c0_max_score": "10",
        "c0_weight": "2",
        "c1_name": "Trình bày",
        "r0_name": "Vòng cơ sở",
        "r0_advance": "1",
        "r0_group_by": "area",
        "r1_name": "Chung kết",
        "r1_group_by": "none",
    }
    for i in range(2, 5):
        data.setdefault(f"r{i}_group_by", "none")
    data.setdefault("r1_advance", "")
    data.update(extra)
    return data


def test_create_a_contest_with_criteria_and_rounds(movement, tree, alice, client_for):
    events = AuditEvent.objects.count()
    response = client_for(alice).post(
        url("contest_create"), contest_data(tree, movement=movement.pk)
    )
    contest = Contest.objects.get(code="hoi-thi-2026")
    assert response.status_code == 302 and response["Location"] == url("contest", contest)
    assert contest.movement == movement and contest.kind == "teams"
    criteria = list(ContestCriterion.objects.filter(contest=contest).order_by("pk"))
    assert [(c.name, str(c.max_score), str(c.weight)) for c in criteria] == [
        ("Nội dung", "10.00", "2.00"),
        ("Trình bày", "10.00", "1.00"),
    ]
    rounds = list(Round.objects.filter(contest=contest).order_by("order"))
    assert [(r.order, r.name, r.advance, r.group_by) for r in rounds] == [
        (1, "Vòng cơ sở", 1, "area"),
        (2, "Chung kết", None, "none"),
    ]
    assert_one_event(events, "emulation.create_contest")


def test_contest_row_errors_go_back_to_their_row(tree, alice, client_for):
    with Unchanged():
        response = client_for(alice).post(
            url("contest_create"),
            contest_data(tree, c1_name="", c1_max_score="0", r1_advance="0"),
        )
        assert response.status_code == 200
        assert errors_of(response) == ["Scores and weights must be above zero."]
        # The row on the page is the second criteria row (c1), not the service's index.
        body = text(response)
        row = body.split('name="c1_name"')[1].split("</tr>")[0]
        assert "above zero" in row


def test_contest_round_errors_go_back_to_their_row(tree, alice, client_for):
    with Unchanged():
        response = client_for(alice).post(
            url("contest_create"), contest_data(tree, r3_name="Vòng huyện", r3_advance="0")
        )
        assert errors_of(response) == ["At least one team must advance."]
        assert "must advance" in text(response).split('name="r3_advance"')[1].split("</tr>")[0]


# --- teams, judges, prizes, coverage ------------------------------------------------------


def test_add_a_team_with_members(teams_contest, tree, alice, client_for):
    events = AuditEvent.objects.count()
    response = client_for(alice).post(
        url("team_add", teams_contest),
        {
            "name": "Đội Hội Phụ nữ 2",
            "unit": tree["union"].pk,
            "members": "Nguyễn Thị Lan — đội trưởng\nTrần Thị Mai - thành viên\n\nLê Văn Hùng",
        },
    )
    assert response.status_code == 302
    team = Team.objects.get(contest=teams_contest, name="Đội Hội Phụ nữ 2")
    assert team.unit == tree["union"]
    members = list(TeamMember.objects.filter(team=team).order_by("pk").values_list("name", "role"))
    assert members == [
        ("Nguyễn Thị Lan", "đội trưởng"),
        ("Trần Thị Mai", "thành viên"),
        ("Lê Văn Hùng", ""),
    ]
    assert team.rounds.get().round.order == 1
    assert_one_event(events, "emulation.add_team")


def test_team_errors(teams_contest, tree, alice, client_for):
    with Unchanged():
        response = client_for(alice).post(
            url("team_add", teams_contest), {"name": "Đội Phụ nữ", "unit": tree["union"].pk}
        )
        assert errors_of(response) == ["A team with this name already exists."]
        response = client_for(alice).post(
            url("team_add", teams_contest), {"name": "Đội X", "unit": tree["other"].pk}
        )
        assert response.status_code == 200 and errors_of(response)


def test_add_a_judge_by_username(teams_contest, bob, alice, client_for):
    events = AuditEvent.objects.count()
    first = teams_contest.rounds.get(order=1)
    response = client_for(alice).post(
        url("judge_add", teams_contest), {"round": first.pk, "username": "bob"}
    )
    assert response.status_code == 302
    assert Judge.objects.filter(round=first, user=bob).exists()
    assert_one_event(events, "emulation.add_judge")


def test_unknown_judge_is_an_error_on_the_username(teams_contest, alice, client_for):
    first = teams_contest.rounds.get(order=1)
    with Unchanged():
        response = client_for(alice).post(
            url("judge_add", teams_contest), {"round": first.pk, "username": "nobody"}
        )
        assert errors_of(response) == ["Unknown user: nobody."]


def test_award_a_prize_to_a_team(teams_contest, alice, client_for):
    events = AuditEvent.objects.count()
    team = teams_contest.teams.get(name="Đội Phụ nữ")
    response = client_for(alice).post(
        url("prize_award", teams_contest), {"name": "Giải Nhất", "recipient": f"team:{team.pk}"}
    )
    assert response.status_code == 302
    assert Prize.objects.get(contest=teams_contest).team == team
    assert_one_event(events, "emulation.award_prize")


def test_award_a_prize_to_an_entry(entries_contest, tree, alice, client_for):
    from danvan.emulation.services import contests

    entry = contests.submit_entry(
        actor=alice, contest=entries_contest, unit=tree["union"], title="Bài viết", author="Lan"
    )
    events = AuditEvent.objects.count()
    response = client_for(alice).post(
        url("prize_award", entries_contest), {"name": "Giải B", "recipient": f"entry:{entry.pk}"}
    )
    assert response.status_code == 302
    assert Prize.objects.get(contest=entries_contest).entry == entry
    assert_one_event(events, "emulation.award_prize")


def test_prize_errors(teams_contest, entries_contest, alice, client_for):
    team = teams_contest.teams.first()
    with Unchanged():
        response = client_for(alice).post(
            url("prize_award", teams_contest), {"name": " ", "recipient": f"team:{team.pk}"}
        )
        assert errors_of(response) == ["This field is required."]
        # A team of another contest is not among the choices.
        response = client_for(alice).post(
            url("prize_award", entries_contest), {"name": "X", "recipient": f"team:{team.pk}"}
        )
        assert response.status_code == 200 and errors_of(response)
    assert not Prize.objects.exists()


def test_set_the_coverage_rule(entries_contest, alice, client_for):
    events = AuditEvent.objects.count()
    response = client_for(alice).post(
        url("coverage_rule_set", entries_contest),
        {"unit_type": "party-committee", "area_level": "commune", "minimum": "2"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#coverage")
    rule = CoverageRule.objects.get(contest=entries_contest)
    assert (rule.unit_type.code, rule.area_level, rule.minimum) == ("party-committee", "commune", 2)
    assert_one_event(events, "emulation.set_coverage_rule")
    body = text(client_for(alice).get(url("coverage_rule_set", entries_contest)))
    assert 'value="party-committee" selected' in body


def test_coverage_rule_errors(entries_contest, alice, client_for):
    with Unchanged():
        response = client_for(alice).post(
            url("coverage_rule_set", entries_contest),
            {"unit_type": "womens-union", "area_level": "", "minimum": "0"},
        )
        assert errors_of(response) == ["At least one entry per unit."]


# --- the model and its adoptions ----------------------------------------------------------


def test_edit_the_model(model, alice, client_for):
    events = AuditEvent.objects.count()
    response = client_for(alice).post(
        url("model_edit", model),
        {
            "title": model.title,
            "field_code": "culture-society",
            "target_group": "Hội viên phụ nữ",
            "goals": "150 hộ tham gia",
            "plan": "Ra quân mỗi tháng",
            "start_date": TODAY.isoformat(),
            "end_date": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == url("model", model)
    model = MovementModel.objects.get(pk=model.pk)
    assert model.field.code == "culture-society" and model.goals == "150 hộ tham gia"
    assert model.start_date == TODAY and model.target_group == "Hội viên phụ nữ"
    assert_one_event(events, "emulation.update_model")


def test_model_form_is_filled_and_an_unchanged_save_writes_nothing(model, alice, client_for):
    client = client_for(alice)
    body = text(client.get(url("model_edit", model)))
    assert "120 hộ tham gia" in body
    with Unchanged():
        response = client.post(
            url("model_edit", model),
            {"title": model.title, "field_code": model.field.code, "goals": model.goals},
        )
        assert response.status_code == 302


def test_model_edit_errors(model, alice, client_for):
    data = {"title": model.title, "field_code": model.field.code, "goals": model.goals}
    with Unchanged():
        response = client_for(alice).post(
            url("model_edit", model),
            {**data, "start_date": TODAY.isoformat(), "end_date": "2000-01-01"},
        )
        assert errors_of(response) == ["The end comes before the start."]
        response = client_for(alice).post(url("model_edit", model), {**data, "title": ""})
        assert errors_of(response) == ["This field is required."]


def test_a_model_edit_from_a_stale_page_is_refused_with_both_versions(model, alice, client_for):
    import re

    from danvan.core.versions import version_of
    from danvan.emulation.services import MODEL_VERSIONED

    page = text(client_for(alice).get(url("model_edit", model)))
    version = re.search(r'name="version" value="([^"]*)"', page)[1]
    assert version == version_of(model, MODEL_VERSIONED)
    data = {"title": model.title, "field_code": model.field.code, "version": version}
    first = client_for(alice).post(url("model_edit", model), {**data, "goals": "200 hộ"})
    assert first.status_code == 302
    with Unchanged():
        late = client_for(alice).post(url("model_edit", model), {**data, "goals": "90 hộ"})
        assert late.status_code == 200
        body = text(late)
        assert 'class="conflict"' in body and "200 hộ" in body and "90 hộ" in body
    assert MovementModel.objects.get(pk=model.pk).goals == "200 hộ"


def test_adoption_reports_are_loaded_into_the_model_page(adoption, model, alice, bob, client_for):
    assert url("adoption_reports", model) in text(client_for(alice).get(url("model", model)))
    partial = client_for(alice).get(url("adoption_reports", model), **HTMX)
    assert partial.status_code == 200 and "<html" not in text(partial)
    assert url("adoption_report", adoption) in text(partial)
    assert client_for(bob).get(url("adoption_reports", model), **HTMX).status_code == 204


def test_report_an_adoption(adoption, model, alice, client_for):
    events = AuditEvent.objects.count()
    prefix = f"a{adoption.pk}"
    response = client_for(alice).post(
        url("adoption_report", adoption),
        {f"{prefix}-percent": "45", f"{prefix}-notes": "Đã có 3 tổ dân phố làm theo"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#spread")
    adoption = Adoption.objects.get(pk=adoption.pk)
    assert (adoption.percent, adoption.notes) == (45, "Đã có 3 tổ dân phố làm theo")
    assert_one_event(events, "emulation.report_adoption")


def test_adoption_errors_and_refusals(adoption, alice, bob, charlie, client_for):
    prefix = f"a{adoption.pk}"
    target = url("adoption_report", adoption)
    with Unchanged():
        response = client_for(alice).post(target, {f"{prefix}-percent": "120"})
        assert errors_of(response) == ["Enter a whole number from 0 to 100."]
        assert client_for(bob).post(target, {f"{prefix}-percent": "50"}).status_code == 403
        assert client_for(charlie).post(target, {f"{prefix}-percent": "50"}).status_code == 404


def test_team_link_is_gone_once_the_first_round_is_closed(teams_contest, alice, client_for):
    from danvan.emulation.services import contests

    contests.close_round(actor=alice, round=teams_contest.rounds.get(order=1))
    client = client_for(alice)
    assert url("team_add", teams_contest) not in text(client.get(url("contest", teams_contest)))
    assert "no team can be added" in text(client.get(url("team_add", teams_contest)))


def test_adoption_saved_by_htmx_reloads_the_model_page(adoption, alice, client_for):
    prefix = f"a{adoption.pk}"
    response = client_for(alice).post(
        url("adoption_report", adoption), {f"{prefix}-percent": "10"}, **HTMX
    )
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    assert Adoption.objects.get(pk=adoption.pk).percent == 10
