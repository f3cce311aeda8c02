"""Levels that exist, and completion by the movement's rule.

- Districts ended on 30 June 2025: a movement starting after that offers no district level,
  and models of 2026 or later cannot be registered at one in an older movement.
- A model is completed only in progress, with its latest progress report at 100%, and —
  unless the movement counts a model completed on its unit's word — evaluated.
- The registration form starts at the level of the registering unit's area.
"""

import datetime as dt

import pytest
from django.urls import reverse

from danvan.emulation import services
from danvan.emulation.models import CompletionRule, Level, ModelState

from ..factories import complete_model
from .conftest import IN_WINDOW, Unchanged, db_state, register
from .test_services import rejected


def test_a_movement_starting_after_the_districts_has_no_district_level(district, people):
    movement = services.create_movement(
        actor=people.commission,
        organizer=district.commission,
        code="dvk-2026",
        name="Dân vận khéo 2026–2030",
        start_year=2026,
    )
    assert [lv.code for lv in movement.levels.all()] == ["commune", "province", "central"]
    older = services.create_movement(
        actor=people.commission,
        organizer=district.commission,
        code="dvk-2021",
        name="Dân vận khéo 2021–2025",
        start_year=2021,
    )
    district_level = older.levels.get(code="district")
    assert district_level.valid_until == dt.date(2025, 6, 30)
    assert district_level.exists_in(2025) and not district_level.exists_in(2026)


def test_a_2026_model_cannot_be_registered_at_the_district_level(district, people, movement):
    services.open_registration(
        actor=people.commission,
        movement=movement,
        year=2026,
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 12, 31),
    )
    with Unchanged(), pytest.raises(services.EmulationError) as error:
        register(
            movement,
            people.registrar,
            district.party,
            "Mô hình sau sáp nhập",
            level="district",
            year=2026,
            today=dt.date(2026, 3, 1),
        )
    rejected(error, "level")
    assert "30/06/2025" in str(error.value.message)


def test_an_unknown_completion_rule_is_refused(district, people):
    before = db_state()
    with pytest.raises(services.EmulationError) as error:
        services.create_movement(
            actor=people.commission,
            organizer=district.commission,
            code="dvk-x",
            name="X",
            start_year=2026,
            completion="whenever",
        )
    rejected(error, "completion")
    assert db_state() == before


@pytest.fixture
def model(movement, people, district):
    return register(movement, people.registrar, district.party, "Tổ hòa giải giỏi")


def test_just_registered_is_not_completed(model, people):
    with Unchanged(), pytest.raises(services.EmulationError) as error:
        services.change_state(actor=people.registrar, model=model, state="completed")
    rejected(error, "state")


def test_completed_only_at_100_percent(model, people):
    services.report_progress(
        actor=people.registrar, model=model, reported_on=IN_WINDOW, percent=30, narrative="Đã làm"
    )
    model.refresh_from_db()
    assert model.state == ModelState.IN_PROGRESS
    assert "100%" in services.completion_missing(model)
    with Unchanged(), pytest.raises(services.EmulationError):
        services.change_state(actor=people.registrar, model=model, state="completed")
    model = complete_model(actor=people.registrar, model=model, on=IN_WINDOW)
    assert model.state == ModelState.COMPLETED


def test_an_evaluated_movement_waits_for_the_evaluation(model, people, district):
    movement = model.movement
    movement.completion = CompletionRule.EVALUATED
    movement.save()
    criterion = services.add_criterion(actor=people.commission, movement=movement, name="Hiệu quả")
    services.report_progress(
        actor=people.registrar, model=model, reported_on=IN_WINDOW, percent=100, narrative="Xong"
    )
    model.refresh_from_db()
    assert "đánh giá" in services.completion_missing(model)
    with Unchanged(), pytest.raises(services.EmulationError):
        services.change_state(actor=people.registrar, model=model, state="completed")
    services.score_model(actor=people.district_leader, model=model, scores={criterion.pk: 8})
    model.refresh_from_db()
    assert services.completion_missing(model) == ""
    services.change_state(actor=people.registrar, model=model, state="completed")
    model.refresh_from_db()
    assert model.state == ModelState.COMPLETED


def test_the_register_page_starts_at_the_units_level(movement, people, district, client_for):
    page = client_for(people.registrar).get(reverse("emulation:model_register", args=[movement.pk]))
    form = page.context["form"]
    assert form.initial["level_code"] == "district"  # the district Party committee's level
    page = client_for(people.commune_registrar).get(
        reverse("emulation:model_register", args=[movement.pk])
    )
    assert page.context["form"].initial["level_code"] == "commune"


def test_levels_offered_for_a_year_are_the_levels_that_exist(movement):
    from danvan.emulation.forms import RegisterModelForm

    offered = {
        c
        for c, _ in RegisterModelForm(movement=movement, initial={"year": 2026})
        .fields["level_code"]
        .choices
    }
    assert "district" not in offered and "commune" in offered
    offered = {
        c
        for c, _ in RegisterModelForm(movement=movement, initial={"year": 2024})
        .fields["level_code"]
        .choices
    }
    assert "district" in offered
    assert Level.objects.filter(movement=movement, code="district").exists()
