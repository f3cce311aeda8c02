"""Demo data for the movement: Hải Phòng's "Dân vận khéo" with models, evaluation and
contests, entered through the services like real data."""

import datetime as dt
import random

from danvan.org.models import Organization

from . import services
from .models import ModelState, Movement

MOVEMENT_CODE = "hp-dan-van-kheo"

TITLES = [
    "Dân vận khéo trong xây dựng nông thôn mới kiểu mẫu",
    "Tổ tự quản bảo vệ môi trường khu dân cư",
    "Hiến đất mở rộng đường giao thông nông thôn",
    "Chi hội phụ nữ không sinh con thứ ba",
    "Thanh niên tình nguyện hỗ trợ chuyển đổi số",
    "Nông dân liên kết sản xuất rau an toàn",
    "Cựu chiến binh giúp nhau giảm nghèo",
    "Camera an ninh cộng đồng",
    "Thu gom rác thải nhựa đổi quà",
    "Dòng họ tự quản an ninh trật tự",
]


def build(*, admin, years: tuple[int, ...] = (2025, 2026)) -> Movement | None:
    """Idempotent: does nothing if the demo movement exists. Two years, so that dashboards
    and period reports have a previous year to compare with."""
    if Movement.objects.filter(code=MOVEMENT_CODE).exists():
        return None
    rng = random.Random(2025)  # noqa: S311 (repeatable demo data, not security)
    commission = Organization.objects.get(code="31-bdv")
    movement = services.create_movement(
        actor=admin,
        organizer=commission,
        code=MOVEMENT_CODE,
        name='Phong trào thi đua "Dân vận khéo" thành phố Hải Phòng',
        start_year=2021,
        end_year=2030,
    )
    criteria = [
        services.add_criterion(
            actor=admin, movement=movement, name="Tính sáng tạo, mới", weight=3, max_score=10
        ),
        services.add_criterion(
            actor=admin,
            movement=movement,
            name="Hiệu quả, lợi ích mang lại",
            weight=4,
            max_score=10,
        ),
        services.add_criterion(
            actor=admin, movement=movement, name="Khả năng nhân rộng", weight=3, max_score=10
        ),
    ]
    label = services.add_label(
        actor=admin,
        movement=movement,
        name="Chào mừng Đại hội Đảng bộ thành phố nhiệm kỳ 2025–2030",
    )
    for year in years:
        _year(admin=admin, movement=movement, criteria=criteria, label=label, year=year, rng=rng)
    _contests(admin=admin, movement=movement, year=years[-1], rng=rng)
    return movement


def _year(*, admin, movement, criteria, label, year, rng):
    """One year of the movement: its theme and window, registrations, progress and
    evaluation, and the best models recognized, commended and spread (same random draws
    in the same order as ever)."""
    services.set_theme(
        actor=admin, movement=movement, year=year, title="Dân vận khéo – Việc gì cũng thành công"
    )
    services.open_registration(
        actor=admin,
        movement=movement,
        year=year,
        opens_on=dt.date(year, 1, 1),
        closes_on=dt.date(year, 12, 31),
    )
    units = _units()
    made = _register(admin=admin, movement=movement, label=label, year=year, rng=rng, units=units)
    _progress(admin=admin, criteria=criteria, year=year, rng=rng, made=made)
    _recognize_best(admin=admin, year=year, made=made, units=units)


def _units() -> list:
    """The units that register models in the demo."""
    return list(
        Organization.objects.filter(
            depth__gte=2,
            type__code__in=[
                "party-committee",
                "peoples-committee",
                "fatherland-front",
                "womens-union",
                "youth-union",
                "farmers-association",
                "veterans-association",
            ],
        )
        .exclude(code__startswith="31-")
        .order_by("path")
    )


def _register(*, admin, movement, label, year, rng, units) -> list:
    """Commune-level models of some units, three at the city's level and one individual."""
    today = dt.date(year, 3, 15)
    made = []
    for i, unit in enumerate(units):
        if rng.random() < 0.45:
            continue
        model = services.register_model(
            actor=admin,
            movement=movement,
            data=services.RegistrationIn(
                year=year,
                level_code="commune",
                unit=unit,
                title=TITLES[i % len(TITLES)],
                field_code=rng.choice(
                    ["economy", "culture-society", "defence-security", "political-system"]
                ),
                target_group="Hội viên, nhân dân trên địa bàn",
                goals="100% hộ gia đình tham gia",
                start_date=dt.date(year, 2, 1),
                end_date=dt.date(year, 11, 30),
                label_names=[label.name] if i % 4 == 0 else [],
            ),
            today=today,
        )
        made.append(model)
    for unit in units[:3]:
        made.append(
            services.register_model(
                actor=admin,
                movement=movement,
                data=services.RegistrationIn(
                    year=year,
                    level_code="province",
                    unit=unit,
                    title="Mô hình điểm cấp thành phố: "
                    + TITLES[rng.randrange(len(TITLES))].lower(),
                    field_code="political-system",
                ),
                today=today,
            )
        )
    first_party = (
        Organization.objects.filter(type__code="party-committee", depth=2).order_by("path").first()
    )
    made.append(
        services.register_model(
            actor=admin,
            movement=movement,
            data=services.RegistrationIn(
                year=year,
                level_code="commune",
                unit=first_party,
                kind="individual",
                person_name="Nguyễn Thị Hoa",
                person_position="Trưởng ban Dân vận",
                title="Cán bộ dân vận gần dân, sát dân",
                field_code="political-system",
            ),
            today=today,
        )
    )
    return made


def _progress(*, admin, criteria, year, rng, made) -> None:
    for model in made:
        roll = rng.random()
        if roll < 0.15:
            continue
        services.report_progress(
            actor=admin,
            model=model,
            reported_on=dt.date(year, 5, 1),
            percent=rng.choice([30, 50, 70]),
            narrative="Đã tổ chức tuyên truyền, vận động nhân dân tham gia.",
        )
        if roll > 0.4:
            # Completed the movement's way: progress at 100%, evaluated, then completed.
            services.report_progress(
                actor=admin,
                model=model,
                reported_on=dt.date(year, 6, 10),
                percent=100,
                narrative="Hoàn thành các nội dung đăng ký, nhân dân đồng tình hưởng ứng.",
            )
            services.score_model(
                actor=admin,
                model=model,
                scores={c.pk: rng.choice([6, 7, 8, 9, 10]) for c in criteria},
            )
            services.change_state(
                actor=admin, model=model, state=ModelState.COMPLETED, on=dt.date(year, 6, 20)
            )
        elif roll < 0.2:
            services.change_state(
                actor=admin,
                model=model,
                state=ModelState.ABANDONED,
                reason="Địa bàn sáp nhập, điều chỉnh kế hoạch",
            )


def _recognize_best(*, admin, year, made, units) -> None:
    best = sorted((m for m in made if m.score is not None), key=lambda m: -m.score)[:3]
    for model in best:
        services.recognize_model(
            actor=admin, model=model, level_code="province", on=dt.date(year, 9, 1)
        )
        services.commend_model(
            actor=admin,
            model=model,
            form="Giấy khen",
            issuing_body="Ban Thường vụ Thành ủy Hải Phòng",
            decision_number=f"{100 + model.pk}-QĐ/TU",
            decision_date=dt.date(year, 10, 15),
        )
        services.mark_for_replication(actor=admin, model=model)
    if best:
        adopters = [
            u for u in units if u.pk != best[0].unit_id and u.type_id == best[0].unit.type_id
        ][:3]
        for unit in adopters:
            services.adopt_model(
                actor=admin, model=best[0], unit=unit, started_on=dt.date(year, 11, 1)
            )


def _contests(*, admin, movement, year, rng):
    commission = movement.organizer
    contest = services.create_contest(
        actor=admin,
        data=services.NewContest(
            organizer=commission,
            movement=movement,
            code="hp-hoi-thi-dvk",
            kind="teams",
            year=year,
            name=f'Hội thi "Dân vận khéo" năm {year}',
            criteria=[
                {"name": "Phần chào hỏi", "max_score": 20},
                {"name": "Kiến thức", "max_score": 40},
                {"name": "Tiểu phẩm", "max_score": 40},
            ],
            rounds=[
                {"name": "Vòng cơ sở", "advance": 1, "group_by": "area"},
                {"name": "Vòng chung kết thành phố"},
            ],
        ),
    )
    hamlets = list(Organization.objects.filter(type__code="hamlet").order_by("path"))
    for hamlet in hamlets:
        services.add_team(actor=admin, contest=contest, name=f"Đội {hamlet.name}", unit=hamlet)
    first = contest.rounds.order_by("order").first()
    judge = services.add_judge(actor=admin, round=first, user=admin)
    del judge
    for participant in first.participants.all():
        services.score_team(
            actor=admin,
            participant=participant,
            scores={
                c.pk: rng.randint(int(c.max_score) // 2, int(c.max_score))
                for c in contest.criteria.all()
            },
        )
    services.close_round(actor=admin, round=first)
    press = services.create_contest(
        actor=admin,
        data=services.NewContest(
            organizer=commission,
            movement=movement,
            code="hp-bao-chi-dvk",
            kind="entries",
            year=year,
            name=f"Cuộc thi viết về gương điển hình Dân vận khéo năm {year}",
        ),
    )
    services.set_coverage_rule(
        actor=admin, contest=press, unit_type_code="party-committee", area_level="commune"
    )
    parties = list(
        Organization.objects.filter(type__code="party-committee", area__level="commune").order_by(
            "path"
        )
    )
    for unit in parties[: max(1, len(parties) - 3)]:
        services.submit_entry(
            actor=admin,
            contest=press,
            unit=unit,
            title=f"Dân vận khéo ở {unit.area.name}",
            author="Phóng viên Báo Hải Phòng",
            outlet="Báo Hải Phòng",
            link="https://example.org/bai-viet",
        )
