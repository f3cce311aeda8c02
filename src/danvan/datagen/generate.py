"""A believable national dataset, deterministic given a seed.

The real 34 provinces and 3,321 communes (org.loaders.load_areas) get their bodies
(Party committee, commission, People's Committee, Front, unions, hamlets), users with
grants, and — for the apps that exist — emulation models and citizens' cases spread over
five years, heavier in the big cities and wards. Every commune draws from its own random
stream (seed + commune code), so a province-scale run holds exactly that province's
slice of the national one.

Rows are written in bulk (explicit ids, executemany / COPY), not through the services:
they are bulk data and the audit log does not contain them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import lru_cache

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from danvan.core import crypto
from danvan.core.text import fold
from danvan.org.models import Area, Organization, OrganizationType

from . import bulk

SCALES = ("national", "province", "commune")
# Province-scale runs take the demo city (Hải Phòng); commune scale its first communes.
PROVINCE_CODE = "31"
COMMUNES_AT_COMMUNE_SCALE = 3

TARGET_MODELS = 300_000
TARGET_MATTERS = 1_000_000
TARGET_TASKS = 200_000
FIRST_YEAR, LAST_YEAR = 2022, 2026
END = dt.date(2026, 11, 20)  # "today" of the generated world: fixed, for determinism
GENERATED_AT = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)
PASSWORD = "danvan-bench-2026"

# Centrally-run cities: more people, more cases, more models.
BIG_CITIES = {"01": 3.0, "79": 3.0, "31": 2.0, "48": 1.8, "92": 1.6, "46": 1.4}

PROVINCE_ORGS = [
    ("tu", None, "party-committee", "Tỉnh ủy {name}"),
    ("bdv", "tu", "mass-mobilization-commission", "Ban Dân vận Tỉnh ủy {name}"),
    ("ubnd", "tu", "peoples-committee", "Ủy ban nhân dân {name}"),
    ("mttq", "tu", "fatherland-front", "Ủy ban MTTQ Việt Nam {name}"),
    ("hlhpn", "mttq", "womens-union", "Hội Liên hiệp Phụ nữ {name}"),
    ("doan", "mttq", "youth-union", "Tỉnh đoàn {name}"),
    ("hnd", "mttq", "farmers-association", "Hội Nông dân {name}"),
    ("hccb", "mttq", "veterans-association", "Hội Cựu chiến binh {name}"),
    ("ldld", "mttq", "trade-union", "Liên đoàn Lao động {name}"),
]
COMMUNE_ORGS = [
    ("du", None, "party-committee", "Đảng ủy {name}"),
    ("bdv", "du", "mass-mobilization-commission", "Ban Dân vận Đảng ủy {name}"),
    ("ubnd", "du", "peoples-committee", "Ủy ban nhân dân {name}"),
    ("mttq", "du", "fatherland-front", "Ủy ban MTTQ Việt Nam {name}"),
    ("hlhpn", "mttq", "womens-union", "Hội Liên hiệp Phụ nữ {name}"),
    ("doan", "mttq", "youth-union", "Đoàn Thanh niên {name}"),
]
# (username suffix, role, org suffix) per province and per commune
PROVINCE_USERS = [
    ("bdv", "commission_officer", "tu"),
    ("lanhdao", "leader", "tu"),
    ("xuly", "case_handler", "ubnd"),
]
COMMUNE_USERS = [
    ("bdv", "commission_officer", "du"),
    ("xuly", "case_handler", "ubnd"),
    ("hoi", "organization_officer", "hlhpn"),
]

MODEL_THEMES = [
    "Dân vận khéo trong xây dựng nông thôn mới",
    "Chung sức làm đường giao thông nông thôn",
    "Tuyến đường hoa, đường sáng, xanh, sạch, đẹp",
    "Phân loại rác thải tại nguồn",
    "Nhà nhân ái cho hộ nghèo",
    "Hỗ trợ phụ nữ khởi nghiệp",
    "Tổ tự quản an ninh trật tự",
    "Camera an ninh khu dân cư",
    "Vận động hiến đất mở rộng đường",
    "Chuyển đổi số trong thủ tục hành chính",
    "Quỹ khuyến học dòng họ",
    "Thanh niên tình nguyện giúp dân",
    "Cựu chiến binh giúp nhau làm kinh tế",
    "Nông dân sản xuất kinh doanh giỏi",
    "Tiếp dân lắng nghe, đối thoại",
]
ISSUES = {
    "land": [
        "bồi thường giải phóng mặt bằng dự án khu đô thị",
        "tranh chấp ranh giới đất ở giữa các hộ",
        "cấp giấy chứng nhận quyền sử dụng đất chậm",
        "thu hồi đất nông nghiệp làm đường",
    ],
    "environment": [
        "ô nhiễm mùi từ trại chăn nuôi",
        "xả nước thải ra kênh tưới tiêu",
        "khói bụi từ nhà máy gạch",
        "rác thải tồn đọng tại bãi tập kết",
    ],
    "wages": [
        "công ty nợ lương công nhân ba tháng",
        "không đóng bảo hiểm xã hội cho người lao động",
        "cắt giảm phụ cấp ca đêm",
    ],
    "social-policy": [
        "xét hộ nghèo chưa công khai",
        "chậm chi trả trợ cấp người có công",
        "hỗ trợ nhà ở cho hộ khó khăn",
    ],
    "officials": [
        "cán bộ địa chính gây khó khăn khi làm hồ sơ",
        "thái độ của cán bộ một cửa",
        "thu tiền đóng góp không đúng quy định",
    ],
    "infrastructure": [
        "đường liên thôn xuống cấp",
        "đèn chiếu sáng hỏng kéo dài",
        "cống thoát nước bị tắc gây ngập",
    ],
    "public-services": [
        "cấp nước sinh hoạt không ổn định",
        "trạm y tế thiếu thuốc",
        "điểm trường xuống cấp",
    ],
    "security": [
        "tụ tập gây mất trật tự ban đêm",
        "đua xe trái phép trên đê",
        "trộm cắp vặt trong khu dân cư",
    ],
    "other": ["kiến nghị sửa chữa nhà văn hóa thôn", "đề nghị mở lớp học nghề"],
}
CHANNELS = [
    ("letter", 30),
    ("reception", 25),
    ("online", 20),
    ("voter_contact", 10),
    ("dialogue", 7),
    ("front_supervision", 5),
    ("press", 3),
]
TOPIC_WEIGHTS = {
    "land": 30,
    "environment": 12,
    "wages": 6,
    "social-policy": 12,
    "officials": 8,
    "infrastructure": 14,
    "public-services": 8,
    "security": 6,
    "other": 4,
}
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Đức Dũng", "Thu Hà", "Quốc Huy", "Thị Lan", "Văn Nam"]
POSITIONS = ["Bí thư chi bộ", "Trưởng thôn", "Chi hội trưởng phụ nữ", "Bí thư đoàn", "Công chức"]


@dataclass
class Node:
    """An organization being generated: its path and how many children it has so far."""

    id: int
    path: str
    depth: int
    code: str
    area_id: int
    children: int = 0


@dataclass
class Commune:
    area: Area
    province: Area
    weight: float
    orgs: dict[str, Node] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)


@dataclass
class Province:
    area: Area
    orgs: dict[str, Node] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    communes: list[Commune] = field(default_factory=list)
    movement_id: int | None = None
    fields: list[int] = field(default_factory=list)
    levels: dict[str, int] = field(default_factory=dict)


@dataclass
class Result:
    scale: str
    seed: int
    counts: dict[str, int]
    seconds: float


class GenerationError(Exception):
    pass


def _rng(seed: int, *parts) -> random.Random:
    return random.Random(":".join([str(seed), *map(str, parts)]))  # noqa: S311 (data, not secrets)


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


# The tree ----------------------------------------------------------------------------


def _select(scale: str, seed: int) -> tuple[list[Province], float]:
    """The provinces and communes of the scale, and the national sum of commune weights
    (so that every scale uses national densities)."""
    provinces = list(Area.objects.filter(structure="2025", level="province").order_by("path"))
    if len(provinces) != 34:
        raise GenerationError("Load the administrative units first: python -m danvan load_areas")
    by_path = {p.path: Province(area=p) for p in provinces}
    total = 0.0
    for area in Area.objects.filter(structure="2025", level="commune").order_by("path"):
        province = by_path[area.path[: Area.steplen]]
        rng = _rng(seed, area.code, "weight")
        ward = 1.5 if area.kind.lower().startswith("phường") else 1.0
        weight = BIG_CITIES.get(province.area.code, 1.0) * ward * rng.lognormvariate(0, 0.5)
        total += weight
        province.communes.append(Commune(area=area, province=province.area, weight=weight))
    chosen = list(by_path.values())
    if scale != "national":
        chosen = [p for p in chosen if p.area.code == PROVINCE_CODE]
    if scale == "commune":
        chosen[0].communes = chosen[0].communes[:COMMUNES_AT_COMMUNE_SCALE]
    return chosen, total


# Long on purpose: the organization tree of a province as rows, level by level, in the
# order the path column needs.
def _org_rows(provinces: list[Province], seed: int, progress: bulk.Progress) -> list[Node]:
    if Organization.objects.exists():
        raise GenerationError("Generate into a database without organizations (a fresh one).")
    types = dict(OrganizationType.objects.values_list("code", "pk"))
    next_id = bulk.next_id(Organization)
    rows: list[tuple] = []
    nodes: list[Node] = []
    roots = 0

    def add(parent: Node | None, code: str, name: str, type_code: str, area: Area) -> Node:
        nonlocal next_id, roots
        if parent is None:
            roots += 1
            path, depth = Organization._get_path(None, 1, roots), 1
        else:
            parent.children += 1
            depth = parent.depth + 1
            path = Organization._get_path(parent.path, depth, parent.children)
        node = Node(id=next_id, path=path, depth=depth, code=code, area_id=area.pk)
        next_id += 1
        nodes.append(node)
        rows.append((node, code, name, types[type_code], fold(f"{name} {code}")))
        return node

    for province in provinces:
        p_name = province.area.name
        for suffix, parent, type_code, pattern in PROVINCE_ORGS:
            province.orgs[suffix] = add(
                province.orgs.get(parent),
                f"{province.area.code}-{suffix}",
                pattern.format(name=p_name),
                type_code,
                province.area,
            )
        for commune in province.communes:
            c_name = commune.area.name
            for suffix, parent, type_code, pattern in COMMUNE_ORGS:
                parent_node = commune.orgs[parent] if parent else province.orgs["tu"]
                commune.orgs[suffix] = add(
                    parent_node,
                    f"{commune.area.code}-{suffix}",
                    pattern.format(name=c_name),
                    type_code,
                    commune.area,
                )
            rng = _rng(seed, commune.area.code, "hamlets")
            ward = commune.area.kind.lower().startswith("phường")
            for i in range(1, rng.choice([0, 1, 1, 2]) + 1):
                label = "Tổ dân phố" if ward else "Thôn"
                commune.orgs[f"thon{i}"] = add(
                    commune.orgs["ubnd"],
                    f"{commune.area.code}-thon{i}",
                    f"{label} {i}, {c_name}",
                    "hamlet",
                    commune.area,
                )
    bulk.insert(
        Organization,
        [
            "id",
            "path",
            "depth",
            "numchild",
            "code",
            "name",
            "short_name",
            "public_contact",
            "type_id",
            "area_id",
            "search_name",
            "is_active",
            "valid_from",
            "valid_to",
        ],
        (
            (
                n.id,
                n.path,
                n.depth,
                n.children,
                code,
                name,
                "",
                "",
                type_id,
                n.area_id,
                search,
                True,
                None,
                None,
            )
            for n, code, name, type_id, search in rows
        ),
        progress=progress,
        label="organizations",
    )
    return nodes


def _users(provinces: list[Province], progress: bulk.Progress) -> int:
    from django.contrib.auth import get_user_model

    from danvan.accounts.models import Grant, Role

    User = get_user_model()
    roles = dict(Role.objects.values_list("code", "pk"))
    hashed = make_password(PASSWORD, salt="danvanbench")  # one hash: 10k PBKDF2 runs take minutes
    user_id = bulk.next_id(User)
    grant_id = bulk.next_id(Grant)
    users: list[tuple] = []
    grants: list[tuple] = []

    def add(username: str, role: str, org: Node | None, *, superuser: bool = False) -> int:
        nonlocal user_id, grant_id
        uid = user_id
        user_id += 1
        users.append(
            (
                uid,
                hashed,
                None,
                superuser,
                username,
                "",
                username,
                "",
                superuser,
                True,
                GENERATED_AT,
                "",
                "",
            )
        )
        if org is not None:
            grants.append((grant_id, uid, roles[role], org.id, None, None, GENERATED_AT))
            grant_id += 1
        return uid

    if not User.objects.filter(username="bench.admin").exists():
        add("bench.admin", "", None, superuser=True)
    for province in provinces:
        for suffix, role, org in PROVINCE_USERS:
            province.users[suffix] = add(
                f"p{province.area.code}.{suffix}", role, province.orgs[org]
            )
        for commune in province.communes:
            for suffix, role, org in COMMUNE_USERS:
                commune.users[suffix] = add(
                    f"c{commune.area.code}.{suffix}", role, commune.orgs[org]
                )
    bulk.insert(
        User,
        [
            "id",
            "password",
            "last_login",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "language",
            "position",
        ],
        users,
        progress=progress,
        label="users",
    )
    bulk.insert(
        Grant,
        ["id", "user_id", "role_id", "organization_id", "area_id", "granted_by_id", "created_at"],
        grants,
        progress=progress,
        label="grants",
    )
    return len(users)


# Emulation ---------------------------------------------------------------------------


# Long on purpose: one pass writing the emulation tables in dependency order, sharing the
# id counters and the per-province lookups; split, they would travel through every call.
def _emulation(provinces, total_weight: float, seed: int, progress: bulk.Progress) -> None:
    from danvan.emulation import defaults
    from danvan.emulation.models import (
        FieldOfWork,
        Level,
        Movement,
        MovementModel,
        ProgressReport,
        Registration,
    )

    movement_id = bulk.next_id(Movement)
    field_id = bulk.next_id(FieldOfWork)
    level_id = bulk.next_id(Level)
    movements, fields, levels = [], [], []
    for province in provinces:
        province.movement_id = movement_id
        movements.append(
            (
                movement_id,
                province.orgs["bdv"].id,
                f"dvk-{province.area.code}",
                f"Phong trào thi đua “Dân vận khéo” {province.area.name}",
                fold(
                    f"Phong trào thi đua “Dân vận khéo” {province.area.name} "
                    f"dvk-{province.area.code}"
                ),
                "",
                FIRST_YEAR,
                None,
                "evaluated",
                GENERATED_AT,
            )
        )
        for order, (code, name) in enumerate(defaults.FIELDS, start=1):
            fields.append((field_id, movement_id, code, name, order))
            province.fields.append(field_id)
            field_id += 1
        for code, name, rank, area_level, until in defaults.LEVELS:
            levels.append((level_id, movement_id, code, name, rank, area_level, until))
            province.levels[code] = level_id
            level_id += 1
        movement_id += 1
    bulk.insert(
        Movement,
        [
            "id",
            "organizer_id",
            "code",
            "name",
            "search_name",
            "description",
            "start_year",
            "end_year",
            "completion",
            "created_at",
        ],
        movements,
        progress=progress,
        label="movements",
    )
    bulk.insert(FieldOfWork, ["id", "movement_id", "code", "name", "sort_order"], fields)
    bulk.insert(
        Level,
        ["id", "movement_id", "code", "name", "rank", "area_level", "valid_until"],
        levels,
    )

    reg_id = bulk.next_id(Registration)
    model_id = bulk.next_id(MovementModel)
    report_id = bulk.next_id(ProgressReport)
    registrations: list[tuple] = []
    reports: list[tuple] = []

    # Long on purpose: the models of every unit, generated lazily to stream into the insert.
    def models():
        nonlocal reg_id, model_id, report_id
        for province in provinces:
            units = [(province.orgs[s], province.users["bdv"]) for s, *_ in PROVINCE_ORGS]
            sources = [(province, None, units, 40, "province")]
            for commune in province.communes:
                c_units = [(node, commune.users["bdv"]) for node in commune.orgs.values()]
                n = round(TARGET_MODELS * commune.weight / total_weight)
                sources.append((province, commune, c_units, n, "commune"))
            for province_, commune, c_units, n, where in sources:
                rng = _rng(seed, commune.area.code if commune else province_.area.code, "models")
                seen: dict[tuple, int] = {}
                for i in range(n):
                    year = FIRST_YEAR + (i * (LAST_YEAR - FIRST_YEAR + 1)) // max(n, 1)
                    unit, actor = c_units[rng.randrange(len(c_units))]
                    r = rng.random()
                    if where == "commune":
                        level = "commune" if r < 0.85 else ("province" if r < 0.98 else "central")
                    else:
                        level = "province" if r < 0.8 else "central"
                    person = ""
                    position = ""
                    if rng.random() < 0.12:
                        person = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
                        position = rng.choice(POSITIONS)
                    kind = "individual" if person else "collective"
                    person_key = fold(f"{person}|{position}") if person else ""
                    key = (year, level, kind, unit.id, person_key)
                    rid = seen.get(key)
                    if rid is None:
                        rid = seen[key] = reg_id
                        reg_id += 1
                        registrations.append(
                            (
                                rid,
                                province_.movement_id,
                                year,
                                province_.levels[level],
                                kind,
                                unit.id,
                                person,
                                position,
                                person_key,
                                dt.datetime(year, 2, 1, 2, 0, tzinfo=dt.UTC),
                                actor,
                            )
                        )
                    title = f"{rng.choice(MODEL_THEMES)} ({unit.code} {year}-{i + 1})"
                    state, changed, reason = _model_state(rng, year)
                    start = dt.date(year, 3, 1)
                    mid = model_id
                    model_id += 1
                    if state in ("in_progress", "completed"):
                        reported = changed or min(dt.date(year, 9, 30), END)
                        reports.append(
                            (
                                report_id,
                                mid,
                                reported,
                                100 if state == "completed" else rng.randrange(10, 95, 5),
                                "Đã triển khai theo kế hoạch.",
                                actor,
                            )
                        )
                        report_id += 1
                    yield (
                        mid,
                        rid,
                        province_.movement_id,
                        year,
                        province_.levels[level],
                        unit.id,
                        title,
                        fold(title),
                        province_.fields[rng.randrange(4)],
                        rng.choice(["Hộ gia đình", "Đoàn viên, hội viên", "Nhân dân khu dân cư"]),
                        "",
                        "",
                        start,
                        dt.date(year, 12, 31),
                        state,
                        changed,
                        reason,
                        None,
                        None,
                        None,
                        state == "completed" and rng.random() < 0.03,
                        dt.datetime(year, 2, 1, 2, 0, tzinfo=dt.UTC),
                    )

    # Models first (the generator fills registrations and reports on the way), then those.
    model_rows = list(models())
    bulk.insert(
        Registration,
        [
            "id",
            "movement_id",
            "year",
            "level_id",
            "kind",
            "unit_id",
            "person_name",
            "person_position",
            "person_key",
            "created_at",
            "created_by_id",
        ],
        registrations,
        progress=progress,
        label="registrations",
    )
    bulk.insert(
        MovementModel,
        [
            "id",
            "registration_id",
            "movement_id",
            "year",
            "level_id",
            "unit_id",
            "title",
            "search_name",
            "field_id",
            "target_group",
            "goals",
            "plan",
            "start_date",
            "end_date",
            "state",
            "state_changed_on",
            "abandon_reason",
            "recognized_level_id",
            "recognized_on",
            "score",
            "for_replication",
            "created_at",
        ],
        model_rows,
        progress=progress,
        label="models",
    )
    bulk.insert(
        ProgressReport,
        ["id", "model_id", "reported_on", "percent", "narrative", "created_by_id"],
        reports,
        progress=progress,
        label="progress reports",
    )


def _model_state(rng: random.Random, year: int):
    r = rng.random()
    current = year == LAST_YEAR
    completed, in_progress, abandoned = (0.3, 0.75, 0.77) if current else (0.75, 0.85, 0.9)
    if r < completed:
        day = dt.date(year, 6, 1) + dt.timedelta(days=rng.randrange(150 if current else 200))
        return "completed", min(day, END), ""
    if r < in_progress:
        return "in_progress", dt.date(year, 4, 1), ""
    if r < abandoned:
        return "abandoned", dt.date(year, 8, 1), "Không còn điều kiện thực hiện."
    return "registered", None, ""


# Citizens' voices --------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def _intake_due(kind: str, complicated: bool, remote: bool, several: bool, on: dt.date):
    from danvan.voices import rules
    from danvan.voices.models import Matter

    m = Matter(kind=kind, complicated=complicated, remote_area=remote, several_places=several)
    return rules.intake_due(m, on)


@lru_cache(maxsize=200_000)
def _settle_due(kind: str, complicated: bool, remote: bool, accepted: dt.date):
    from danvan.voices import rules
    from danvan.voices.models import Matter

    m = Matter(kind=kind, complicated=complicated, remote_area=remote, accepted_on=accepted)
    return rules.settle_due(m)


def _tracking_code(pk: int, rng: random.Random) -> str:
    from danvan.voices.models import TRACKING_ALPHABET

    digits = []
    for _ in range(7):  # the id in base 32: unique by construction
        pk, rest = divmod(pk, 32)
        digits.append(TRACKING_ALPHABET[rest])
    return "".join(digits) + "".join(rng.choice(TRACKING_ALPHABET) for _ in range(5))


# Long on purpose: as _emulation, one pass over the voices tables with shared id counters.
def _voices(provinces, total_weight: float, seed: int, progress: bulk.Progress) -> None:
    from danvan.voices.models import Citizen, Matter, MatterEvent, Petition, Topic
    from danvan.voices.services import ANONYMOUS_REASON

    topics = dict(Topic.objects.values_list("code", "pk"))
    topic_pairs = [(code, w) for code, w in TOPIC_WEIGHTS.items() if code in topics]
    # A pool of real ciphertexts: valid, decryptable, and cheap (Fernet per row is slow).
    pool = [crypto.encrypt(f"{s} {g}") for s in SURNAMES for g in GIVEN]
    days = (END - dt.date(FIRST_YEAR, 1, 1)).days
    ids = {m: bulk.next_id(m) for m in (Petition, Citizen, Matter, MatterEvent)}
    petitions: list[tuple] = []
    citizens: list[tuple] = []
    matters: list[tuple] = []
    events: list[tuple] = []

    def flush():
        bulk.insert(
            Petition,
            [
                "id",
                "unit_id",
                "channel",
                "received_on",
                "area_id",
                "topic_id",
                "contents",
                "fingerprint",
                "anonymous",
                "tracking_code",
                "reception_id",
                "dialogue_id",
                "created_by_id",
                "created_at",
            ],
            petitions,
            progress=progress,
            label="petitions",
        )
        bulk.insert(
            Citizen,
            ["id", "petition_id", "name_enc", "address_enc", "contact_enc"],
            citizens,
            progress=progress,
            label="citizens",
        )
        bulk.insert(
            Matter,
            [
                "id",
                "petition_id",
                "unit_id",
                "kind",
                "summary",
                "state",
                "handler_id",
                "complicated",
                "especially_complicated",
                "remote_area",
                "several_places",
                "first_complaint_id",
                "forwarded_to_id",
                "not_accepted_reason",
                "accepted_on",
                "intake_due_on",
                "settle_due_on",
                "extensions",
                "decision_number",
                "decision_date",
                "result",
                "closed_on",
            ],
            matters,
            progress=progress,
            label="matters",
        )
        bulk.insert(
            MatterEvent,
            ["id", "matter_id", "step", "on", "note", "actor_id", "created_at"],
            events,
            progress=progress,
            label="matter events",
        )
        for rows in (petitions, citizens, matters, events):
            rows.clear()

    for province in provinces:
        p_ubnd, p_handler = province.orgs["ubnd"], province.users["xuly"]
        for commune in province.communes:
            rng = _rng(seed, commune.area.code, "voices")
            n = round(TARGET_MATTERS * commune.weight / total_weight)
            c_ubnd, c_handler = commune.orgs["ubnd"], commune.users["xuly"]
            for _ in range(n):
                # Later years are heavier (more channels online, more reporting).
                received = dt.date(FIRST_YEAR, 1, 1) + dt.timedelta(
                    days=int(days * rng.random() ** 0.8)
                )
                upper = rng.random() < 0.07
                unit, handler = (p_ubnd, p_handler) if upper else (c_ubnd, c_handler)
                topic = _weighted(rng, topic_pairs)
                channel = _weighted(rng, CHANNELS)
                issue = rng.choice(ISSUES.get(topic, ISSUES["other"]))
                place = f"thôn {rng.randrange(1, 12)}" if rng.random() < 0.6 else "khu dân cư"
                contents = (
                    f"Công dân phản ánh việc {issue} tại {place}, {commune.area.name}. "
                    f"Đề nghị cơ quan có thẩm quyền xem xét, giải quyết dứt điểm."
                )
                r = rng.random()
                kind = (
                    "recommendation" if r < 0.55 else ("complaint" if r < 0.88 else "denunciation")
                )
                anonymous = kind == "denunciation" and rng.random() < 0.15
                pid = ids[Petition]
                ids[Petition] += 1
                created = dt.datetime.combine(received, dt.time(2, 0), tzinfo=dt.UTC)
                petitions.append(
                    (
                        pid,
                        unit.id,
                        channel,
                        received,
                        commune.area.pk,
                        topics[topic],
                        contents,
                        fold(contents)[:2000],
                        anonymous,
                        _tracking_code(pid, rng),
                        None,
                        None,
                        handler,
                        created,
                    )
                )
                if not anonymous:
                    citizens.append((ids[Citizen], pid, rng.choice(pool), "", ""))
                    ids[Citizen] += 1
                mid = ids[Matter]
                ids[Matter] += 1
                matter, final = _matter(
                    rng,
                    mid,
                    pid,
                    unit.id,
                    kind,
                    received,
                    anonymous,
                    handler,
                    p_ubnd.id,
                    ANONYMOUS_REASON,
                )
                matters.append(matter)
                events.append((ids[MatterEvent], mid, "received", received, "", handler, created))
                ids[MatterEvent] += 1
                if final is not None:
                    step, on = final
                    events.append(
                        (
                            ids[MatterEvent],
                            mid,
                            step,
                            on,
                            "",
                            handler,
                            dt.datetime.combine(on, dt.time(3, 0), tzinfo=dt.UTC),
                        )
                    )
                    ids[MatterEvent] += 1
            if len(petitions) >= 50_000:
                flush()
    flush()


# Many parameters on purpose: one generated case's columns, called in the inner loop where a
# dataclass per row would cost more than the row itself.
# Long on purpose for the same reason: the columns of a case, in one place.
def _matter(rng, mid, pid, unit_id, kind, received, anonymous, handler, upper_id, anon_reason):
    """One matter's row and its last step, its state following its age."""
    # A complicated denunciation needs its grounds ticked: generated ones are never complicated.
    complicated = rng.random() < 0.1 and kind == "complaint"
    remote = rng.random() < 0.05
    several = kind == "denunciation" and rng.random() < 0.1
    row = {
        "state": "received",
        "accepted_on": None,
        "settle_due_on": None,
        "decision_number": "",
        "decision_date": None,
        "result": "",
        "closed_on": None,
        "forwarded_to": None,
        "reason": "",
        "intake_due": None,
    }
    final = None
    age = (END - received).days
    if anonymous:
        row.update(state="not_accepted", reason=anon_reason, closed_on=received)
        final = ("not_accepted", received)
    else:
        row["intake_due"] = _intake_due(kind, complicated, remote, several, received)
        r = rng.random()
        if age < 6:
            if kind == "denunciation" and r < 0.5:
                row["state"] = "classified"
                final = ("classified", received)
        elif r < 0.06:
            on = min(received + dt.timedelta(days=rng.randrange(1, 8)), END)
            row.update(state="not_accepted", reason="Không đủ điều kiện thụ lý.", closed_on=on)
            final = ("not_accepted", on)
        elif r < 0.12:
            on = min(received + dt.timedelta(days=rng.randrange(1, 6)), END)
            row.update(state="forwarded", forwarded_to=upper_id, closed_on=on)
            final = ("forwarded", on)
        elif r < 0.14:
            on = min(received + dt.timedelta(days=rng.randrange(1, 20)), END)
            row.update(state="withdrawn", closed_on=on)
            final = ("withdrawn", on)
        else:
            accepted = min(received + dt.timedelta(days=rng.randrange(1, 9)), END)
            due = _settle_due(kind, complicated, remote, accepted)
            row.update(state="accepted", accepted_on=accepted, settle_due_on=due)
            final = ("accepted", accepted)
            span = max(((due or accepted) - accepted).days, 10)
            took = (
                rng.randrange(3, span + 1) if rng.random() < 0.85 else span + rng.randrange(1, 40)
            )
            decided = accepted + dt.timedelta(days=took)
            if decided > END:
                if rng.random() < 0.6:
                    row["state"] = "settling"
                    final = ("settling", accepted)
            else:
                result = {
                    "complaint": rng.choice(["upheld", "partly_upheld", "rejected"]),
                    "denunciation": rng.choice(["upheld", "rejected"]),
                }.get(kind, "answered")
                row.update(
                    state="decided",
                    decision_date=decided,
                    result=result,
                    decision_number=f"{mid % 997 + 1}/QĐ-UBND",
                )
                final = ("decided", decided)
                closed = decided + dt.timedelta(days=rng.randrange(5, 25))
                if closed <= END and rng.random() < 0.9:
                    row.update(state="closed", closed_on=closed)
                    final = ("closed", closed)
    return (
        mid,
        pid,
        unit_id,
        kind,
        f"Nội dung {kind} số {mid}",
        row["state"],
        handler,
        complicated,
        False,
        remote,
        several,
        None,
        row["forwarded_to"],
        row["reason"],
        row["accepted_on"],
        row["intake_due"],
        row["settle_due_on"],
        0,
        row["decision_number"],
        row["decision_date"],
        row["result"],
        row["closed_on"],
    ), final


# Plans -------------------------------------------------------------------------------

TASK_TITLES = [
    "Triển khai Chỉ thị về tinh gọn bộ máy",
    "Tổ chức hội nghị sơ kết 6 tháng",
    "Tổ chức hội nghị tổng kết năm",
    "Đối thoại trực tiếp với nhân dân",
    "Vận động hiến đất làm đường",
    "Thăm, tặng quà gia đình chính sách dịp Tết",
    "Xóa nhà tạm, nhà dột nát",
    "Kỷ niệm Ngày truyền thống công tác dân vận 15/10",
    "Tập huấn nghiệp vụ cho cán bộ dân vận",
    "Giám sát việc thực hiện quy chế dân chủ ở cơ sở",
]


# Long on purpose: as _emulation, one pass over the plans tables with shared id counters.
def _plans(provinces, total_weight: float, seed: int, progress: bulk.Progress) -> None:
    from decimal import Decimal

    from danvan.plans import rules as plan_rules
    from danvan.plans.models import Task

    task_id = bulk.next_id(Task)

    def rows():
        nonlocal task_id
        for province in provinces:
            sources = [
                (province.area.code, list(province.orgs.values()), 60, province.users["bdv"])
            ]
            for commune in province.communes:
                n = round(TARGET_TASKS * commune.weight / total_weight)
                sources.append(
                    (commune.area.code, list(commune.orgs.values()), n, commune.users["bdv"])
                )
            for code, units, n, actor in sources:
                rng = _rng(seed, code, "tasks")
                for i in range(n):
                    owner = units[rng.randrange(len(units))]
                    year = FIRST_YEAR + (i * (LAST_YEAR - FIRST_YEAR + 1)) // max(n, 1)
                    start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 240))
                    deadline = start + dt.timedelta(days=rng.randrange(14, 200))
                    title = f"{rng.choice(TASK_TITLES)} ({owner.code} {year}-{i + 1})"
                    r = rng.random()
                    cancel = ""
                    if deadline < END:
                        if r < 0.8:
                            state, percent, changed = "done", 100, min(deadline, END)
                        elif r < 0.83:
                            state, percent, changed = "cancelled", 0, start
                            cancel = "Không còn phù hợp."
                        else:  # overdue and still open: what the dashboards surface
                            state, percent, changed = "in_progress", rng.randrange(10, 95), start
                    elif start > END:
                        state, percent, changed = "planned", 0, None
                    elif r < 0.6:
                        state, percent, changed = "in_progress", rng.randrange(5, 95), start
                    else:
                        state, percent, changed = "planned", 0, None
                    task = task_id
                    task_id += 1
                    yield (
                        task,
                        owner.id,
                        owner.path,
                        title,
                        "",
                        fold(title)[:500],
                        None,
                        None,
                        None,
                        "",
                        start,
                        deadline,
                        None,
                        "",
                        "count",
                        Decimal("1"),
                        state,
                        changed,
                        cancel,
                        Decimal(percent),
                        Decimal(0),
                        0,
                        0,
                        plan_rules.on_pace_until(start, deadline, percent),
                        dt.datetime.combine(start, dt.time(2, 0), tzinfo=dt.UTC),
                        actor,
                    )

    bulk.insert(
        Task,
        [
            "id",
            "owner_id",
            "owner_path",
            "title",
            "description",
            "search_name",
            "programme_id",
            "parent_id",
            "coordination_id",
            "origin",
            "start_on",
            "deadline",
            "target",
            "target_unit",
            "rollup",
            "weight",
            "state",
            "state_changed_on",
            "cancel_reason",
            "percent",
            "value",
            "children_total",
            "children_done",
            "on_pace_until",
            "created_at",
            "created_by_id",
        ],
        rows(),
        progress=progress,
        label="tasks",
    )


# Entry point -------------------------------------------------------------------------


def generated_models() -> list:
    """The models the generator writes, for counts, checksums and sequence resets."""
    from django.contrib.auth import get_user_model

    from danvan.accounts.models import Grant

    names = [
        (
            "emulation",
            ["Movement", "FieldOfWork", "Level", "Registration", "MovementModel", "ProgressReport"],
        ),
        ("voices", ["Petition", "Citizen", "Matter", "MatterEvent", "MatterTally"]),
        ("plans", ["Task"]),
    ]
    found = [Organization, get_user_model(), Grant]
    for app, models in names:
        if not apps.is_installed(f"danvan.{app}"):
            continue
        for name in models:
            try:
                found.append(apps.get_model(app, name))
            except LookupError:
                continue
    return found


APPS = ("emulation", "voices", "plans")


def _attach(provinces: list[Province]) -> None:
    """Fill the provinces' nodes and users from a database generated before (same seed and
    scale), so `add` writes exactly what a full run would have."""
    from django.contrib.auth import get_user_model

    orgs = {
        o.code: Node(id=o.id, path=o.path, depth=o.depth, code=o.code, area_id=o.area_id)
        for o in Organization.objects.only("id", "path", "depth", "code", "area_id")
    }
    users = dict(get_user_model().objects.values_list("username", "id"))
    try:
        for province in provinces:
            code = province.area.code
            province.orgs = {s: orgs[f"{code}-{s}"] for s, *_ in PROVINCE_ORGS}
            province.users = {s: users[f"p{code}.{s}"] for s, *_ in PROVINCE_USERS}
            for commune in province.communes:
                c = commune.area.code
                suffixes = [s for s, *_ in COMMUNE_ORGS] + ["thon1", "thon2"]
                commune.orgs = {s: orgs[f"{c}-{s}"] for s in suffixes if f"{c}-{s}" in orgs}
                commune.users = {s: users[f"c{c}.{s}"] for s, *_ in COMMUNE_USERS}
    except KeyError as exc:
        raise GenerationError(f"No generated {exc} here: generate the same scale first.") from exc


def generate(
    *, scale: str, seed: int = 1, out=None, quiet: bool = False, add: list[str] | None = None
) -> Result:
    """Generate a dataset into a fresh database; with `add`, only those apps' rows into a
    database generated before at the same scale and seed (for an app that landed later)."""
    import time

    if scale not in SCALES:
        raise GenerationError(f"Unknown scale {scale!r}: one of {', '.join(SCALES)}")
    wanted = [a for a in (add or APPS) if apps.is_installed(f"danvan.{a}")]
    progress = bulk.Progress(out, quiet=quiet)
    started = time.perf_counter()
    provinces, total_weight = _select(scale, seed)
    progress.note(
        f"Generating scale={scale} seed={seed}: {len(provinces)} province(s), "
        f"{sum(len(p.communes) for p in provinces)} commune(s) on {connection.vendor}"
    )
    if connection.vendor == "sqlite":
        # A million rows land in random places of several indexes: with SQLite's default
        # 2 MB page cache every insert then reads pages from disk. 1 GB keeps them in memory.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1000000")
    with transaction.atomic():
        if add:
            _attach(provinces)
        else:
            _org_rows(provinces, seed, progress)
            _users(provinces, progress)
        if "emulation" in wanted:
            _emulation(provinces, total_weight, seed, progress)
        if "voices" in wanted:
            _voices(provinces, total_weight, seed, progress)
            _refresh_tallies(progress)
        if "plans" in wanted:
            _plans(provinces, total_weight, seed, progress)
        bulk.reset_sequences(generated_models())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    counts = {m._meta.label: m.objects.count() for m in generated_models()}
    progress.note(f"Done in {seconds:.1f} s.")
    return Result(scale=scale, seed=seed, counts=counts, seconds=seconds)


def _refresh_tallies(progress: bulk.Progress) -> None:
    import time

    from danvan.voices.services import rebuild_tallies

    started = time.perf_counter()
    n = rebuild_tallies()
    progress.done("matter tallies (rebuilt)", n, time.perf_counter() - started)
