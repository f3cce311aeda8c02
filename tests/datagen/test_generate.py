"""The generator at commune scale: deterministic for a seed, valid trees, and data that the
apps' own queries read back with the expected totals."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import transaction
from django.db.models import Count

from danvan.audit.models import AuditEvent
from danvan.core import crypto
from danvan.datagen.generate import (
    COMMUNES_AT_COMMUNE_SCALE,
    GenerationError,
    generate,
    generated_models,
)
from danvan.org.models import Area, Organization

CHECKED_FIELDS = {
    "org.Organization": ["path", "depth", "numchild", "code", "name", "type_id", "area_id"],
    "accounts.User": ["username", "is_superuser"],
    "accounts.Grant": ["user_id", "role_id", "organization_id"],
    "emulation.Registration": ["movement_id", "year", "level_id", "kind", "unit_id", "person_key"],
    "emulation.MovementModel": ["registration_id", "unit_id", "title", "state", "state_changed_on"],
    "voices.Petition": [
        "unit_id",
        "channel",
        "received_on",
        "area_id",
        "topic_id",
        "contents",
        "tracking_code",
    ],
    "voices.Matter": [
        "petition_id",
        "kind",
        "state",
        "accepted_on",
        "intake_due_on",
        "settle_due_on",
        "decision_date",
        "closed_on",
    ],
    "voices.MatterTally": ["unit_id", "year", "kind", "state", "n"],
    "plans.Task": ["owner_id", "owner_path", "title", "state", "start_on", "deadline", "percent"],
}


class Undo(Exception):
    pass


def checksums() -> dict[str, tuple[int, str]]:
    result = {}
    for model in generated_models():
        label = model._meta.label
        fields = CHECKED_FIELDS.get(label, ["pk"])
        digest = hashlib.sha256()
        for row in model.objects.order_by("pk").values_list(*fields):
            digest.update(repr(row).encode())
        result[label] = (model.objects.count(), digest.hexdigest())
    return result


def generate_and_sum(seed: int) -> dict:
    try:
        with transaction.atomic():
            generate(scale="commune", seed=seed, quiet=True)
            sums = checksums()
            raise Undo
    except Undo:
        return sums


@pytest.mark.django_db
def test_same_seed_same_data_other_seed_other_data():
    first = generate_and_sum(7)
    assert first == generate_and_sum(7)
    other = generate_and_sum(8)
    assert other["voices.Matter"] != first["voices.Matter"]
    assert first["voices.Matter"][0] > 500
    assert first["emulation.MovementModel"][0] > 100


@pytest.fixture
def generated(db):
    before = AuditEvent.objects.count()
    result = generate(scale="commune", seed=3, quiet=True)
    return result, before


def test_trees_are_valid(generated):
    assert all(problems == [] for problems in Organization.objects.find_problems())
    communes = Organization.objects.filter(code__endswith="-du")
    assert communes.count() == COMMUNES_AT_COMMUNE_SCALE
    for org in Organization.objects.all():
        assert (
            org.numchild
            == Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).count()
        )
        assert org.area.structure == "2025"
    city = Organization.objects.get(code="31-tu")
    assert city.is_root()
    front = Organization.objects.get(code="31-mttq")
    children = Organization.objects.filter(path__startswith=front.path, depth=front.depth + 1)
    assert {o.code for o in children} >= {
        "31-hlhpn",
        "31-doan",
    }


def test_the_audit_log_does_not_contain_generated_rows(generated):
    result, before = generated
    assert AuditEvent.objects.count() == before
    assert result.counts["voices.Matter"] > 0


def test_identities_are_valid_ciphertexts(generated):
    from danvan.voices.models import Citizen

    for citizen in Citizen.objects.all()[:200]:
        assert crypto.decrypt(citizen.name_enc)
        assert citizen.address_enc == "" or crypto.decrypt(citizen.address_enc)


def test_dashboards_return_the_generated_totals(generated):
    from django.contrib.auth import get_user_model

    from danvan.emulation import queries as eq
    from danvan.emulation.models import Movement, MovementModel
    from danvan.voices import queries as vq
    from danvan.voices.models import Matter

    User = get_user_model()
    admin = User.objects.get(username="bench.admin")
    for year in (2022, 2025, 2026):
        in_year = Matter.objects.filter(petition__received_on__year=year)
        counts = vq.case_counts(admin, unit=None, year=year)
        assert counts["received"] == in_year.count()
        board = vq.dashboard(admin, unit=None, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
        assert board["received"] == in_year.count()
        assert {r["kind"]: r["n"] for r in board["by_kind"]} == dict(
            in_year.values_list("kind").annotate(n=Count("id")).order_by()
        )

    # A commune's officer sees exactly that commune's share.
    commune_org = Organization.objects.filter(code__endswith="-du").order_by("path").first()
    code = commune_org.code.split("-")[0]
    officer = User.objects.get(username=f"c{code}.bdv")
    mine = Matter.objects.filter(unit__path__startswith=commune_org.path)
    assert (
        vq.case_counts(officer, unit=None, year=2025)["received"]
        == mine.filter(petition__received_on__year=2025).count()
    )
    assert vq.matters(officer).count() == mine.count()

    movement = Movement.objects.get(code="dvk-31")
    board = eq.dashboard(admin, movement=movement, year=2025)
    assert board["models"] == MovementModel.objects.filter(movement=movement, year=2025).count()
    assert (
        board["completed"]
        == MovementModel.objects.filter(movement=movement, year=2025, state="completed").count()
    )
    own = eq.dashboard(officer, movement=movement, year=2025, unit=commune_org)
    assert (
        own["models"]
        == MovementModel.objects.filter(
            movement=movement, year=2025, unit__path__startswith=commune_org.path
        ).count()
    )


def test_refuses_a_database_with_organizations(generated):
    with pytest.raises(GenerationError):
        generate(scale="commune", seed=3, quiet=True)


def test_areas_must_be_loaded(db):
    Area.objects.filter(structure="2025", level="province", code="31").update(level="district")
    with pytest.raises(GenerationError):
        generate(scale="commune", seed=1, quiet=True)


def test_adding_an_app_later_writes_what_a_full_run_would(generated):
    from danvan.plans.models import Task

    def tasks():
        return list(
            Task.objects.order_by("pk").values_list(
                "owner_id", "owner_path", "title", "state", "deadline", "percent"
            )
        )

    full = tasks()
    assert len(full) > 100
    Task.objects.all().delete()
    generate(scale="commune", seed=3, quiet=True, add=["plans"])
    assert tasks() == full


def test_generated_tasks_read_back_through_the_plans_queries(generated):
    from django.contrib.auth import get_user_model

    from danvan.plans.models import Task

    admin = get_user_model().objects.get(username="bench.admin")
    assert Task.objects.filter(state="cancelled").exclude(cancel_reason="").count() == (
        Task.objects.filter(state="cancelled").count()
    )
    commune_org = Organization.objects.filter(code__endswith="-du").order_by("path").first()
    assert all(t.owner_path == t.owner.path for t in Task.objects.select_related("owner")[:200])
    from danvan.accounts.scope import visible

    assert visible(admin, Task.objects.all()).count() == Task.objects.count()
    officer = get_user_model().objects.get(username=f"c{commune_org.code.split('-')[0]}.bdv")
    assert (
        visible(officer, Task.objects.all()).count()
        == Task.objects.filter(owner__path__startswith=commune_org.path).count()
    )
