"""The movement's dashboard: the Thanh Trì 2024 figures reproduced from individual records,
the counting rules, the sibling comparison, and what each user sees."""

import datetime as dt
from collections import Counter

import pytest

from danvan.emulation import queries, services
from danvan.emulation.models import MovementModel

from ..factories import UserFactory, complete_model, grant
from .conftest import YEAR, make_movement, make_people, register

AS_OF = dt.date(2024, 6, 30)
FIELDS = ["economy", "culture-society", "defence-security", "political-system"]
LABEL = "Chào mừng 70 năm Giải phóng Thủ đô"


def level_row(figures, code):
    return next(row for row in figures["by_level"] if row["level"].code == code)


def test_thanh_tri_2024_figures_reproduce_from_individual_records(thanh_tri):
    """146 collectives and 18 individuals registered 261 models, 7 at city level; 139
    collectives and 18 individuals registered 254 models at district level; after six months
    185 of 261 were completed (70.9%)."""
    d = thanh_tri
    people = make_people(d)
    movement = make_movement(d, people.commission)
    services.add_label(actor=people.commission, movement=movement, name=LABEL)
    registrar = people.registrar
    collectives = d.all_units[:146]
    assert len({u.pk for u in collectives}) == 146

    entered: list[MovementModel] = []

    def enter(unit, title, level, **kw):
        n = len(entered)
        entered.append(
            register(
                movement,
                registrar,
                unit,
                title,
                level=level,
                field=FIELDS[n % 4],
                label_names=[LABEL] if n % 10 == 0 else [],
                **kw,
            )
        )

    # City level: 7 collectives, one model each.
    for i, unit in enumerate(collectives[:7]):
        enter(unit, f"Mô hình cấp thành phố {i}", "province")
    # District level: 139 other collectives; 96 register two models, 43 one.
    for i, unit in enumerate(collectives[7:]):
        enter(unit, f"Dân vận khéo {i} – phần A", "district")
        if i < 96:
            enter(unit, f"Dân vận khéo {i} – phần B", "district")
    # 18 individuals, cadres of commune units; the first registers a second model under the
    # same name and position written in another case and without diacritics: still one person.
    cadres = [d.communes[i % 16].units[i % 8] for i in range(18)]
    for i, unit in enumerate(cadres):
        enter(
            unit,
            f"Mô hình cá nhân {i}",
            "district",
            kind="individual",
            person_name=f"Nguyễn Thị Hằng {i}",
            person_position="Chủ tịch Hội",
        )
    enter(
        cadres[0],
        "Mô hình cá nhân 0 – mở rộng",
        "district",
        kind="individual",
        person_name="NGUYEN THI HANG 0",
        person_position="chu tich hoi",
    )
    assert len(entered) == 261

    # After six months: 185 completed by 30 June (5 of them on the day itself), 5 more
    # completed in July (not yet on 30 June), 4 abandoned, 20 in progress, the rest registered.
    state_of: dict[int, str] = {}
    for i, model in enumerate(entered):
        if i < 185:
            on = AS_OF if i >= 180 else dt.date(2024, 5, 15)
            complete_model(actor=registrar, model=model, on=on)
        elif i < 190:
            complete_model(actor=registrar, model=model, on=dt.date(2024, 7, 1))
        elif i < 194:
            services.change_state(
                actor=registrar,
                model=model,
                state="abandoned",
                reason="Không còn kinh phí",
                on=dt.date(2024, 4, 1),
            )
        elif i < 214:
            services.change_state(
                actor=registrar, model=model, state="in_progress", on=dt.date(2024, 4, 1)
            )
        state_of[model.pk] = MovementModel.objects.get(pk=model.pk).state

    # Records that must not count: another district (refused outright: outside the
    # organizer's area), the year before, another movement.
    with pytest.raises(services.EmulationError) as refused:
        register(movement, people.other_registrar, d.other_unit, "Mô hình Gia Lâm")
    assert refused.value.field == "unit"
    services.open_registration(
        actor=people.commission,
        movement=movement,
        year=2023,
        opens_on=dt.date(2023, 1, 1),
        closes_on=dt.date(2023, 12, 31),
    )
    for i in range(3):
        last_year = register(
            movement,
            registrar,
            collectives[i],
            f"Mô hình 2023 số {i}",
            year=2023,
            today=dt.date(2023, 2, 1),
        )
        if i < 2:
            complete_model(actor=registrar, model=last_year, on=dt.date(2023, 11, 1))
    second = make_movement(d, people.commission, code="cuu-chien-binh-guong-mau")
    register(second, registrar, collectives[0], "Cựu chiến binh gương mẫu")

    figures = queries.dashboard(
        people.commission, movement=movement, year=YEAR, unit=d.party, as_of=AS_OF
    )

    assert (
        figures["collectives"],
        figures["individuals"],
        figures["models"],
        figures["completed"],
        figures["percent_completed"],
    ) == (146, 18, 261, 185, 70.9)
    province, district = level_row(figures, "province"), level_row(figures, "district")
    assert [row["level"].code for row in figures["by_level"]] == ["province", "district"]
    assert (province["models"], province["collectives"], province["individuals"]) == (7, 7, 0)
    assert (district["models"], district["collectives"], district["individuals"]) == (
        254,
        139,
        18,
    )
    assert (province["completed"], district["completed"]) == (7, 178)
    assert figures["previous"] == {"year": 2023, "models": 3, "completed": 2}

    by_state = {row["state"].value: row["n"] for row in figures["by_state"]}
    assert by_state == {"registered": 47, "in_progress": 20, "completed": 190, "abandoned": 4}
    assert by_state == dict(Counter(state_of.values()))
    by_field = {row["field__code"]: (row["n"], row["done"]) for row in figures["by_field"]}
    assert by_field == {
        code: (
            sum(1 for i in range(261) if i % 4 == k),
            sum(1 for i in range(185) if i % 4 == k),
        )
        for k, code in enumerate(FIELDS)
    }
    assert figures["by_label"] == [{"labels__name": LABEL, "n": 27}]

    # The sibling comparison: the district committee's own models, each district unit, each
    # commune (its whole subtree), from the units the models were entered for.
    expected = Counter()
    for model in entered:
        path = model.unit.path
        expected[path[: (d.party.depth + 1) * 4]] += 1
    rows = figures["by_unit"]
    assert {row["unit"].path: row["models"] for row in rows} == dict(expected)
    assert len(rows) == 1 + 7 + 16
    assert sum(row["completed"] for row in rows) == 185

    # Without a cut-off date every completed model counts.
    assert (
        queries.dashboard(people.commission, movement=movement, year=YEAR, unit=d.party)[
            "completed"
        ]
        == 190
    )


def test_a_registrant_at_two_levels_counts_once_per_level_and_once_in_the_total(
    district, people, movement
):
    d, r = district, people.registrar
    both, only_district = d.communes[0].units[0], d.communes[1].units[1]
    register(movement, r, both, "Xã 1", level="commune")
    register(movement, r, both, "Xã 2", level="commune")
    register(movement, r, both, "Huyện 1", level="district")
    register(movement, r, only_district, "Huyện 2", level="district")
    cadre = {"kind": "individual", "person_name": "Trần Văn Bình", "person_position": "Bí thư"}
    register(movement, r, both, "Cá nhân xã", level="commune", **cadre)
    register(movement, r, both, "Cá nhân huyện", level="district", **cadre)
    # Same name, other position: another individual.
    register(
        movement,
        r,
        both,
        "Cá nhân khác",
        level="district",
        kind="individual",
        person_name="Trần Văn Bình",
        person_position="Phó Bí thư",
    )

    figures = queries.dashboard(people.commission, movement=movement, year=YEAR, unit=d.party)
    commune, district_level = level_row(figures, "commune"), level_row(figures, "district")
    assert (commune["collectives"], commune["individuals"], commune["models"]) == (1, 1, 3)
    assert (district_level["collectives"], district_level["individuals"]) == (2, 2)
    assert district_level["models"] == 4
    assert (figures["collectives"], figures["individuals"], figures["models"]) == (2, 2, 7)
    assert figures["percent_completed"] == 0


def test_empty_dashboard_has_no_percent(district, people, movement):
    figures = queries.dashboard(
        people.commission, movement=movement, year=YEAR, unit=district.party
    )
    assert figures["models"] == 0
    assert figures["percent_completed"] is None
    assert figures["by_level"] == [] and figures["by_unit"] == []
    assert figures["collectives"] == figures["individuals"] == 0


@pytest.fixture
def filled(district, people, movement):
    """A few models across the district: two communes, a district unit, the committee."""
    d, r = district, people.registrar
    c0, c1 = d.communes[0], d.communes[1]
    models = {
        "c0-party": register(movement, r, c0.party, "Dân vận khéo xã 0", field="economy"),
        "c0-union": register(movement, r, c0.units[1], "Phụ nữ xã 0", field="culture-society"),
        "c0-hamlet": register(movement, r, c0.units[6], "Thôn 1 xã 0", field="economy"),
        "c1-front": register(movement, r, c1.units[0], "Mặt trận xã 1", field="economy"),
        "youth": register(movement, r, d.units[3], "Huyện đoàn", field="defence-security"),
        "committee": register(movement, r, d.party, "Huyện ủy", field="political-system"),
    }
    done = dt.date(2024, 6, 1)
    for key in ("c0-party", "c0-union", "c1-front"):
        complete_model(actor=r, model=models[key], on=done)
    services.change_state(actor=r, model=models["youth"], state="in_progress", on=done)
    services.change_state(
        actor=r, model=models["c0-hamlet"], state="abandoned", reason="Sáp nhập thôn", on=done
    )
    return models


def test_by_unit_compares_siblings_each_counting_its_subtree(
    district, people, movement, filled, django_assert_num_queries
):
    d = district
    rows = queries.by_unit(people.commission, movement=movement, year=YEAR, unit=d.party)
    got = {
        row["unit"].code: (row["models"], row["completed"], row["percent_completed"])
        for row in rows
    }
    assert got == {
        d.communes[0].party.code: (3, 2, 66.7),
        d.communes[1].party.code: (1, 1, 100.0),
        d.units[3].code: (1, 0, 0.0),
        d.party.code: (1, 0, 0.0),
    }
    # Most models first, then by name.
    assert rows[0]["unit"] == d.communes[0].party

    # One level down: the commune's own models form a row, each of its units another.
    rows = queries.by_unit(
        people.commission, movement=movement, year=YEAR, unit=d.communes[0].party
    )
    assert {row["unit"].code: row["models"] for row in rows} == {
        d.communes[0].party.code: 1,
        d.communes[0].units[1].code: 1,
        d.communes[0].units[6].code: 1,
    }

    # One grouped query and one for the units' names, however many units there are.
    with django_assert_num_queries(2):
        queries.by_unit(people.commission, movement=movement, year=YEAR, unit=d.party)
    for i in range(3):
        register(movement, people.registrar, d.communes[2].units[i], f"Thêm {i}")
        register(movement, people.registrar, d.units[i], f"Thêm huyện {i}")
    with django_assert_num_queries(2):
        rows = queries.by_unit(people.commission, movement=movement, year=YEAR, unit=d.party)
    assert len(rows) == 4 + 1 + 3


def test_dashboard_roll_ups(district, people, movement, filled):
    d, c = district, people.commission
    label = services.add_label(actor=c, movement=movement, name=LABEL)
    other_label = services.add_label(actor=c, movement=movement, name="Bright spot")
    register(movement, people.registrar, d.units[1], "Mặt trận 1", label_names=[LABEL])
    register(
        movement,
        people.registrar,
        d.units[2],
        "Phụ nữ 1",
        label_names=[LABEL, other_label.name],
    )
    assert label.models.count() == 2
    leader = people.district_leader
    commended = filled["c1-front"]
    services.commend_model(
        actor=leader,
        model=commended,
        form="Giấy khen",
        issuing_body="Huyện ủy Thanh Trì",
        decision_number="125-QĐ/HU",
        decision_date=dt.date(2024, 10, 15),
    )
    services.commend_model(
        actor=leader,
        model=commended,
        form="Bằng khen",
        issuing_body="UBND huyện Thanh Trì",
        decision_number="3001/QĐ-UBND",
        decision_date=dt.date(2024, 12, 20),
    )
    services.mark_for_replication(actor=leader, model=commended)
    services.mark_for_replication(actor=leader, model=filled["c0-party"])
    services.adopt_model(
        actor=people.registrar, model=commended, unit=d.communes[2].party, started_on=AS_OF
    )
    services.adopt_model(
        actor=people.registrar, model=commended, unit=d.communes[0].party, started_on=AS_OF
    )

    figures = queries.dashboard(c, movement=movement, year=YEAR, unit=d.party)
    assert figures["models"] == 8
    assert (figures["commended"], figures["commendations"]) == (1, 2)
    assert (figures["for_replication"], figures["adoptions"]) == (2, 2)
    assert {row["labels__name"]: row["n"] for row in figures["by_label"]} == {
        LABEL: 2,
        "Bright spot": 1,
    }
    assert figures["by_label"][0] == {"labels__name": LABEL, "n": 2}
    assert {row["state"].value: row["n"] for row in figures["by_state"]} == {
        "registered": 3,
        "in_progress": 1,
        "completed": 3,
        "abandoned": 1,
    }
    assert {row["field__code"]: (row["n"], row["done"]) for row in figures["by_field"]} == {
        "economy": (5, 2),
        "culture-society": (1, 1),
        "defence-security": (1, 0),
        "political-system": (1, 0),
    }

    # A commune's dashboard counts only what lies under it.
    figures = queries.dashboard(c, movement=movement, year=YEAR, unit=d.communes[1].party)
    assert (figures["models"], figures["commended"], figures["adoptions"]) == (1, 1, 2)


def test_previous_year_figures(district, people, movement):
    c, r, d = people.commission, people.registrar, district
    services.open_registration(
        actor=c,
        movement=movement,
        year=2023,
        opens_on=dt.date(2023, 1, 1),
        closes_on=dt.date(2023, 3, 1),
    )
    for i in range(4):
        model = register(
            movement, r, d.units[i], f"Năm trước {i}", year=2023, today=dt.date(2023, 2, 1)
        )
        if i % 2:
            complete_model(actor=r, model=model, on=dt.date(2023, 12, 1))
    register(movement, r, d.units[0], "Năm nay")
    figures = queries.dashboard(c, movement=movement, year=YEAR, unit=d.party)
    assert figures["models"] == 1
    assert figures["previous"] == {"year": 2023, "models": 4, "completed": 2}
    assert queries.dashboard(c, movement=movement, year=2023, unit=d.party)["models"] == 4


def test_users_see_only_their_subtree_in_the_figures(district, people, movement, filled, superuser):
    d = district
    commune_viewer = UserFactory(username="viewer-c0")
    grant(commune_viewer, "viewer", d.communes[0].party)
    area_viewer = UserFactory(username="viewer-c1-area")
    grant(area_viewer, "viewer", d.communes[1].area)

    def models_seen(user, unit=d.party):
        return queries.dashboard(user, movement=movement, year=YEAR, unit=unit)

    assert models_seen(superuser)["models"] == 6
    assert models_seen(people.commission)["models"] == 6
    assert models_seen(people.city_leader, unit=None)["models"] == 6
    seen = models_seen(commune_viewer)
    assert (seen["models"], seen["completed"], seen["collectives"]) == (3, 2, 3)
    assert [row["unit"] for row in seen["by_unit"]] == [d.communes[0].party]
    seen = models_seen(area_viewer)
    assert (seen["models"], seen["completed"]) == (1, 1)
    for outsider in (people.outsider, people.other_leader):
        seen = models_seen(outsider)
        assert (seen["models"], seen["collectives"], seen["by_unit"]) == (0, 0, [])
    # The list behind the figures follows the same scope.
    assert {m.unit for m in queries.models(commune_viewer, movement=movement)} == {
        d.communes[0].party,
        d.communes[0].units[1],
        d.communes[0].units[6],
    }


def test_spread_lists_where_a_model_was_adopted(district, people, movement, filled):
    d, leader, r = district, people.district_leader, people.registrar
    model = filled["c1-front"]
    services.mark_for_replication(actor=leader, model=model)
    services.adopt_model(
        actor=r, model=model, unit=d.communes[2].party, started_on=dt.date(2024, 9, 1)
    )
    services.adopt_model(
        actor=r, model=model, unit=d.communes[0].units[0], started_on=dt.date(2024, 8, 1)
    )
    assert [a.unit for a in queries.spread(model)] == [d.communes[0].units[0], d.communes[2].party]
    assert queries.spread(filled["c0-party"]) == []
