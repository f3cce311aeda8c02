"""A model marked for replication is open to the other units the movement reaches, so they
can adopt it; everything else stays inside its subtree."""

import datetime as dt

import pytest

from danvan.core.errors import NotFound
from danvan.emulation import queries, services

from ..factories import UserFactory, grant
from .conftest import YEAR, register


@pytest.fixture(params=[1])
def neighbour(request, district):
    """An organization officer of another commune of the same district."""
    user = UserFactory(username="neighbour-officer")
    grant(user, "organization_officer", district.communes[1].party)
    return user


def test_replicated_model_is_open_to_units_the_movement_reaches(
    district, people, movement, neighbour
):
    own_unit = district.communes[0].party
    model = register(movement, people.registrar, own_unit, "Dòng họ tự quản", level="commune")
    quiet = register(movement, people.registrar, own_unit, "Tổ hòa giải", level="commune")
    services.mark_for_replication(actor=people.commune_leader, model=model)

    assert queries.get_model(neighbour, model.pk) == model
    with pytest.raises(NotFound):
        queries.get_model(neighbour, quiet.pk)
    listed = {m.pk for m in queries.models(neighbour, for_replication=True)}
    assert model.pk in listed and quiet.pk not in listed
    # Figures never borrow other units' models.
    figures = queries.dashboard(neighbour, movement=movement, year=YEAR)
    assert figures["models"] == 0

    adoption = services.adopt_model(
        actor=neighbour,
        model=model,
        unit=district.communes[1].party,
        started_on=dt.date(YEAR, 5, 1),
    )
    assert [a.pk for a in queries.spread(model)] == [adoption.pk]


def test_outsider_of_the_movement_does_not_see_replicated_models(people, movement, district):
    model = register(
        movement, people.registrar, district.communes[0].party, "Camera an ninh", level="commune"
    )
    services.mark_for_replication(actor=people.commune_leader, model=model)
    with pytest.raises(NotFound):
        queries.get_model(people.outsider, model.pk)
    with pytest.raises(NotFound):
        queries.get_model(people.other_registrar, model.pk)
