"""Fixtures of the emulation tests: Thanh Trì district of Hà Nội in the 2024 structure, with
its Party committees and units, the people who work there, and a movement it organizes.

Everything the figures count is entered through the services; only the organization tree
and the grants are test setup."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from danvan.audit.models import AuditEvent
from danvan.emulation import services
from danvan.emulation.models import (
    Adoption,
    Commendation,
    Contest,
    ContestCriterion,
    CoverageRule,
    Criterion,
    Entry,
    Evidence,
    FieldOfWork,
    Goal,
    Judge,
    Label,
    Level,
    Movement,
    MovementModel,
    Prize,
    ProgressReport,
    Registration,
    RegistrationWindow,
    Round,
    RoundScore,
    RoundTeam,
    Score,
    Team,
    TeamMember,
    Theme,
)
from danvan.org.models import Area, Organization, OrganizationType

from ..factories import OrganizationFactory, UserFactory, grant

YEAR = 2024
OPENS, CLOSES = dt.date(2024, 1, 1), dt.date(2024, 3, 31)
IN_WINDOW = dt.date(2024, 2, 15)

# The organizations of a district and of each commune under its Party committee.
DISTRICT_UNITS = [
    ("mass-mobilization-commission", "Ban Dân vận Huyện ủy"),
    ("fatherland-front", "Ủy ban MTTQ huyện"),
    ("womens-union", "Hội LHPN huyện"),
    ("youth-union", "Huyện đoàn"),
    ("farmers-association", "Hội Nông dân huyện"),
    ("veterans-association", "Hội Cựu chiến binh huyện"),
    ("peoples-committee", "UBND huyện"),
]
COMMUNE_UNITS = [
    ("fatherland-front", "Ủy ban MTTQ"),
    ("womens-union", "Hội LHPN"),
    ("youth-union", "Đoàn Thanh niên"),
    ("farmers-association", "Hội Nông dân"),
    ("veterans-association", "Hội Cựu chiến binh"),
    ("peoples-committee", "UBND"),
    ("hamlet", "Thôn 1"),
    ("hamlet", "Thôn 2"),
]


def org_type(code: str) -> OrganizationType:
    return OrganizationType.objects.get(code=code)


@dataclass
class Commune:
    area: Area
    party: Organization
    units: list[Organization]

    @property
    def all_units(self) -> list[Organization]:
        return [self.party, *self.units]


@dataclass
class District:
    """City Party committee → district Party committee → district units and communes; plus a
    second district (Gia Lâm) under the same city, for outsiders."""

    city: Organization
    area: Area
    party: Organization
    commission: Organization
    units: list[Organization]
    communes: list[Commune]
    other_party: Organization
    other_unit: Organization
    extra: dict = field(default_factory=dict)

    @property
    def all_units(self) -> list[Organization]:
        """Every organization under the district Party committee, itself included."""
        return [self.party, *self.units, *(u for c in self.communes for u in c.all_units)]


def build_district(n_communes: int = 16, *, units_per_commune: int = len(COMMUNE_UNITS)):
    hanoi = Area.objects.get(structure="2024", level="province", code="01")
    area = Area.objects.get(structure="2024", level="district", name="Huyện Thanh Trì")
    other_area = Area.objects.get(structure="2024", level="district", name="Huyện Gia Lâm")
    city = OrganizationFactory(
        code="hn24-tu", name="Thành ủy Hà Nội", area=hanoi, type=org_type("party-committee")
    )
    party = OrganizationFactory(
        code="tt-hu",
        name="Huyện ủy Thanh Trì",
        area=area,
        parent=city,
        type=org_type("party-committee"),
    )
    units = [
        OrganizationFactory(
            code=f"tt-d{i}", name=f"{name} Thanh Trì", area=area, parent=party, type=org_type(t)
        )
        for i, (t, name) in enumerate(DISTRICT_UNITS)
    ]
    communes = []
    commune_areas = Area.objects.filter(path__startswith=area.path, depth=area.depth + 1)
    for ci, commune_area in enumerate(commune_areas.order_by("code")[:n_communes]):
        commune_party = OrganizationFactory(
            code=f"tt-c{ci:02d}",
            name=f"Đảng ủy {commune_area.name}",
            area=commune_area,
            parent=party,
            type=org_type("party-committee"),
        )
        commune_units = [
            OrganizationFactory(
                code=f"tt-c{ci:02d}-{ui}",
                name=f"{name} {commune_area.name}",
                area=commune_area,
                parent=commune_party,
                type=org_type(t),
            )
            for ui, (t, name) in enumerate(COMMUNE_UNITS[:units_per_commune])
        ]
        communes.append(Commune(commune_area, commune_party, commune_units))
    other_party = OrganizationFactory(
        code="gl-hu",
        name="Huyện ủy Gia Lâm",
        area=other_area,
        parent=city,
        type=org_type("party-committee"),
    )
    other_unit = OrganizationFactory(
        code="gl-hlhpn", name="Hội LHPN huyện Gia Lâm", area=other_area, parent=other_party
    )
    fresh = {o.pk: o for o in Organization.objects.select_related("area", "type")}
    return District(
        city=fresh[city.pk],
        area=area,
        party=fresh[party.pk],
        commission=fresh[units[0].pk],
        units=[fresh[u.pk] for u in units],
        communes=[
            Commune(c.area, fresh[c.party.pk], [fresh[u.pk] for u in c.units]) for c in communes
        ],
        other_party=fresh[other_party.pk],
        other_unit=fresh[other_unit.pk],
    )


@pytest.fixture
def district(db):
    """Thanh Trì with three communes: enough for the rules, small enough to be quick."""
    return build_district(3)


@pytest.fixture
def thanh_tri(db):
    """Thanh Trì with all 16 communes and towns, 9 units each (152 organizations)."""
    return build_district(16)


@dataclass
class People:
    commission: object  # commission officer on the district Party committee
    registrar: object  # organization officer on the district Party committee
    commune_registrar: object  # organization officer on the first commune's Party committee
    district_leader: object  # leader on the district Party committee
    city_leader: object  # leader on the city Party committee
    commune_leader: object  # leader on the first commune's Party committee
    other_leader: object  # leader on Gia Lâm's Party committee
    other_registrar: object  # organization officer on Gia Lâm's Party committee
    outsider: object  # signed in, no grant


@pytest.fixture
def people(district) -> People:
    return make_people(district)


def make_people(d: District) -> People:
    def user(name, role, node):
        u = UserFactory(username=name)
        grant(u, role, node)
        return u

    return People(
        commission=user("hang", "commission_officer", d.party),
        registrar=user("minh", "organization_officer", d.party),
        commune_registrar=user("lan", "organization_officer", d.communes[0].party),
        district_leader=user("tuan", "leader", d.party),
        city_leader=user("quang", "leader", d.city),
        commune_leader=user("hoa", "leader", d.communes[0].party),
        other_leader=user("son", "leader", d.other_party),
        other_registrar=user("thu", "organization_officer", d.other_party),
        outsider=UserFactory(username="khach"),
    )


def make_movement(d: District, actor, *, code: str = "dvk-thanh-tri") -> Movement:
    """The district's "Dân vận khéo" movement, open for 2024 registrations Jan–Mar."""
    movement = services.create_movement(
        actor=actor,
        organizer=d.commission,
        code=code,
        name="Phong trào thi đua “Dân vận khéo” huyện Thanh Trì",
        start_year=2021,
        completion="reported",
        end_year=2025,
    )
    services.open_registration(
        actor=actor, movement=movement, year=YEAR, opens_on=OPENS, closes_on=CLOSES
    )
    return movement


@pytest.fixture
def movement(district, people) -> Movement:
    return make_movement(district, people.commission)


def register(movement, actor, unit, title, *, level="district", field="economy", **kw):
    today = kw.pop("today", IN_WINDOW)
    data = services.RegistrationIn(
        year=kw.pop("year", YEAR), level_code=level, unit=unit, title=title, field_code=field, **kw
    )
    return services.register_model(actor=actor, movement=movement, data=data, today=today)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


COUNTED = [
    Movement,
    Theme,
    FieldOfWork,
    Level,
    Criterion,
    Label,
    RegistrationWindow,
    Registration,
    MovementModel,
    Goal,
    ProgressReport,
    Evidence,
    Score,
    Commendation,
    Adoption,
    Contest,
    ContestCriterion,
    Round,
    Team,
    TeamMember,
    RoundTeam,
    Judge,
    RoundScore,
    Prize,
    Entry,
    CoverageRule,
    AuditEvent,
]


def db_state() -> dict:
    return {m.__name__: m.objects.count() for m in COUNTED}


class Unchanged:
    """Asserts that a block wrote nothing: no emulation row, no audit event, no file, and that
    the models' states, scores and windows are as they were."""

    def __init__(self, media_root: Path | None = None):
        self.media_root = media_root

    def _state(self):
        files = (
            sorted(p for p in self.media_root.rglob("*") if p.is_file()) if self.media_root else []
        )
        return (
            db_state(),
            list(
                MovementModel.objects.order_by("pk").values_list(
                    "pk",
                    "title",
                    "state",
                    "state_changed_on",
                    "abandon_reason",
                    "score",
                    "for_replication",
                    "recognized_level",
                    "start_date",
                    "end_date",
                )
            ),
            list(RegistrationWindow.objects.order_by("pk").values_list("pk", "closes_on")),
            list(Score.objects.order_by("pk").values_list("pk", "value")),
            list(RoundTeam.objects.order_by("pk").values_list("pk", "total", "rank", "advanced")),
            list(Round.objects.order_by("pk").values_list("pk", "closed")),
            list(Adoption.objects.order_by("pk").values_list("pk", "percent", "notes")),
            files,
        )

    def __enter__(self):
        self.before = self._state()
        return self

    def __exit__(self, *exc):
        assert self._state() == self.before
        return False


def events_since(count: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id")[count:])
