"""One set of rules, two ways to apply them: `services.register_models` (an import, checked
against lookups fetched once, written in bulk) gives the same models and the same errors as
`services.register_model` called row after row; it makes a fixed number of queries whatever
the number of rows, and writes every row or none."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danvan.audit.log import verify
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError
from danvan.core.imports import rolled_back
from danvan.emulation import services
from danvan.emulation.models import MovementModel, Registration

from ..factories import UserFactory
from .conftest import IN_WINDOW, YEAR, register

LABEL = "Chào mừng Đại hội Đảng"


@pytest.fixture
def setup(district, people, movement):
    services.add_label(actor=people.commission, movement=movement, name=LABEL)
    # Already in the database: the duplicate-against-the-DB case.
    register(movement, people.registrar, district.units[2], "Chợ văn minh", level="district")
    return district, people, movement


def case_rows(d) -> dict[str, dict]:
    """Named rows: good ones and one for each rule."""
    women, front = d.units[2], d.units[1]
    base = {"year": YEAR, "level_code": "district", "field_code": "economy"}
    return {
        "ok collective": {**base, "unit": front, "title": "Đường hoa", "label_names": [LABEL]},
        "ok individual": {
            **base,
            "unit": women,
            "title": "Tổ tiết kiệm",
            "kind": "individual",
            "person_name": " Lê  Thị Mai ",
            "person_position": "Chi hội trưởng",
            "start_date": dt.date(2024, 3, 1),
        },
        "ok commune level": {
            **base,
            "unit": d.communes[0].units[0],
            "title": "Camera an ninh",
            "level_code": "commune",
            "field_code": "defence-security",
        },
        "ok collective drops a name": {
            **base,
            "unit": front,
            "title": "Nhà nhân ái",
            "person_name": "Bỏ qua",
            "goals": "10 nhà",
        },
        "duplicate in the batch": {**base, "unit": front, "title": "  đường HOA "},
        "duplicate in the database": {**base, "unit": women, "title": "chợ văn minh"},
        "closed window": {**base, "unit": front, "title": "Năm sau", "year": YEAR + 1},
        "year not a number": {**base, "unit": front, "title": "Năm chữ", "year": "hai"},
        "unknown level": {**base, "unit": front, "title": "Cấp lạ", "level_code": "thon"},
        "unknown field": {**base, "unit": front, "title": "Lĩnh vực lạ", "field_code": "x"},
        "outsider unit": {**base, "unit": d.other_unit, "title": "Ngoài huyện"},
        "individual without a name": {
            **base,
            "unit": women,
            "title": "Thiếu tên",
            "kind": "individual",
        },
        "neither individual nor collective": {
            **base,
            "unit": women,
            "title": "Loại lạ",
            "kind": "group",
        },
        "unknown label": {**base, "unit": front, "title": "Nhãn lạ", "label_names": ["Không có"]},
        "end before start": {
            **base,
            "unit": front,
            "title": "Ngày ngược",
            "start_date": dt.date(2024, 5, 1),
            "end_date": dt.date(2024, 4, 1),
        },
        "no title": {**base, "unit": front, "title": "  "},
    }


EXPECTED_FIELD = {
    "duplicate in the batch": "title",
    "duplicate in the database": "title",
    "closed window": "year",
    "year not a number": "year",
    "unknown level": "level",
    "unknown field": "field",
    "outsider unit": "unit",
    "individual without a name": "person_name",
    "neither individual nor collective": "kind",
    "unknown label": "labels",
    "end before start": "end_date",
    "no title": "title",
}


def one_by_one(actor, movement, rows, today=IN_WINDOW) -> tuple[list[MovementModel], list[dict]]:
    """The per-row path: `register_model` for each row in turn, a failing row rolled back."""
    created, errors = [], []
    for index, row in enumerate(rows):
        try:
            with transaction.atomic():
                created.append(
                    services.register_model(
                        actor=actor,
                        movement=movement,
                        data=services.RegistrationIn(**row),
                        today=today,
                    )
                )
        except PermissionDenied as exc:
            errors.append(
                {"index": index, "field": "unit", "message": str(exc), "code": "forbidden"}
            )
        except DomainError as exc:
            errors.append(
                {
                    "index": index,
                    "field": exc.field or "",
                    "message": str(exc.message),
                    "code": exc.code,
                }
            )
    return created, errors


def described(models) -> list[tuple]:
    """What a model is, without ids or timestamps."""
    out = []
    for model in MovementModel.objects.filter(pk__in=[m.pk for m in models]).order_by("pk"):
        r = model.registration
        out.append(
            (
                (r.year, r.level.code, r.kind, r.unit_id, r.person_name, r.person_position),
                r.person_key,
                r.created_by_id,
                (model.movement_id, model.year, model.level.code, model.unit_id),
                (model.title, model.search_name, model.field.code, model.target_group),
                (model.goals, model.plan, model.start_date, model.end_date, model.state),
                sorted(label.name for label in model.labels.all()),
            )
        )
    return out


def counts() -> tuple[int, int, int]:
    return (MovementModel.objects.count(), Registration.objects.count(), AuditEvent.objects.count())


# The same errors -------------------------------------------------------------------------


def test_every_rule_gives_the_same_error_both_ways(setup):
    d, people, movement = setup
    cases = case_rows(d)
    rows = list(cases.values())
    before = counts()

    bulk = services.register_models(
        actor=people.registrar, movement=movement, rows=rows, today=IN_WINDOW
    )
    assert bulk.models == [] and counts() == before  # nothing written: some rows fail

    with rolled_back():
        _created, per_row = one_by_one(people.registrar, movement, rows)
    assert bulk.errors == per_row
    names = list(cases)
    assert {names[e["index"]]: e["field"] for e in bulk.errors} == EXPECTED_FIELD
    assert counts() == before


def test_a_clean_batch_writes_the_same_models_both_ways(setup):
    d, people, movement = setup
    rows = [row for name, row in case_rows(d).items() if name.startswith("ok")]

    with rolled_back():
        created, errors = one_by_one(people.registrar, movement, rows)
        assert errors == []
        per_row = described(created)

    before = counts()
    result = services.register_models(
        actor=people.registrar, movement=movement, rows=rows, today=IN_WINDOW
    )
    assert result.ok and len(result.models) == len(rows)
    assert described(result.models) == per_row
    # Two new registrants (the front's two models share one); one audit event.
    assert counts() == (before[0] + 4, before[1] + 3, before[2] + 1)
    event = AuditEvent.objects.latest("pk")
    ids = sorted(m.pk for m in result.models)
    assert event.action == "emulation.import_models"
    assert event.object_id == str(movement.pk)
    assert event.changes["models"] == [None, 4]
    assert event.changes["ids"] == [None, [ids[0], ids[-1]]]
    assert event.changes["registrations_created"] == [None, 3]
    assert verify().ok


def test_an_outsider_is_refused_both_ways(setup):
    d, _people, movement = setup
    outsider = UserFactory(username="nguoi-ngoai")
    rows = [case_rows(d)["ok collective"]]
    bulk = services.register_models(actor=outsider, movement=movement, rows=rows, today=IN_WINDOW)
    with rolled_back():
        _created, per_row = one_by_one(outsider, movement, rows)
    assert (
        bulk.errors
        == per_row
        == [{"index": 0, "field": "unit", "message": per_row[0]["message"], "code": "forbidden"}]
    )


def test_outside_the_organizers_area_both_ways(setup, superuser):
    d, _people, movement = setup
    rows = [case_rows(d)["outsider unit"]]
    bulk = services.register_models(actor=superuser, movement=movement, rows=rows, today=IN_WINDOW)
    with rolled_back():
        _created, per_row = one_by_one(superuser, movement, rows)
    assert bulk.errors == per_row
    assert per_row[0]["field"] == "unit" and per_row[0]["code"] == "invalid"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_mix_of_rows_gives_the_same_result_both_ways(setup, data):
    """Random batches (with repeats, in any order) of the case rows, on a closed window too."""
    d, people, movement = setup
    cases = list(case_rows(d).values())
    rows = data.draw(st.lists(st.sampled_from(cases), min_size=1, max_size=8))
    today = data.draw(st.sampled_from([IN_WINDOW, dt.date(YEAR, 4, 1)]))
    with rolled_back():
        bulk = services.register_models(
            actor=people.registrar, movement=movement, rows=rows, today=today
        )
        bulk_models = described(bulk.models)
    with rolled_back():
        created, errors = one_by_one(people.registrar, movement, rows, today)
        per_row_models = described(created)
    assert bulk.errors == errors
    assert bulk_models == (per_row_models if not errors else [])


# Queries -------------------------------------------------------------------------------


def batch(d, n: int, prefix: str) -> list[dict]:
    units = [u for c in d.communes for u in c.all_units] + d.units
    return [
        {
            "year": YEAR,
            "level_code": "commune",
            "field_code": "economy",
            "unit": units[i % len(units)],
            "title": f"{prefix} {i}",
            "kind": "individual" if i % 3 == 0 else "collective",
            "person_name": f"Người {i}" if i % 3 == 0 else "",
            "label_names": [LABEL] if i % 2 else [],
        }
        for i in range(n)
    ]


def test_queries_do_not_grow_with_the_rows(setup):
    d, people, movement = setup
    queries = []
    for n, prefix in ((3, "Nhỏ"), (40, "Lớn")):
        with CaptureQueriesContext(connection) as captured:
            result = services.register_models(
                actor=people.registrar, movement=movement, rows=batch(d, n, prefix), today=IN_WINDOW
            )
        assert result.ok and len(result.models) == n
        queries.append(len(captured))
    assert queries[0] == queries[1], queries
    # The checks alone (the preview) likewise.
    checks = []
    for n in (3, 40):
        with CaptureQueriesContext(connection) as captured:
            _checked, errors = services.check_registrations(
                actor=people.registrar, movement=movement, rows=batch(d, n, "Xem"), today=IN_WINDOW
            )
        assert errors == []
        checks.append(len(captured))
    assert checks[0] == checks[1], checks


# All or nothing ----------------------------------------------------------------------------


def test_one_bad_row_and_nothing_is_written(setup):
    d, people, movement = setup
    rows = batch(d, 20, "Tốt")
    rows.insert(7, case_rows(d)["unknown level"])
    before = counts()
    result = services.register_models(
        actor=people.registrar, movement=movement, rows=rows, today=IN_WINDOW
    )
    assert not result.ok and result.models == []
    assert [(e["index"], e["field"]) for e in result.errors] == [(7, "level")]
    assert counts() == before
    # Without it, every row is written.
    del rows[7]
    result = services.register_models(
        actor=people.registrar, movement=movement, rows=rows, today=IN_WINDOW
    )
    assert result.ok and counts()[0] == before[0] + 20


def test_a_failure_while_writing_leaves_nothing(setup, monkeypatch):
    d, people, movement = setup
    before = counts()

    def broken(*args, **kwargs):
        raise RuntimeError("the audit chain is unavailable")

    monkeypatch.setattr(services.registrations, "record", broken)
    with pytest.raises(RuntimeError):
        services.register_models(
            actor=people.registrar, movement=movement, rows=batch(d, 5, "Hỏng"), today=IN_WINDOW
        )
    assert counts() == before


def test_an_empty_batch_writes_nothing(setup):
    _d, people, movement = setup
    before = counts()
    result = services.register_models(
        actor=people.registrar, movement=movement, rows=[], today=IN_WINDOW
    )
    assert result.ok and result.models == [] and counts() == before
