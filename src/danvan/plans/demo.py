"""Demo data for the plans app, built by `python -m danvan demo` (safe to run again):
Hải Phòng's city Mass Mobilization Commission issues a directive to the communes (some have
issued their implementing plans, some not), runs its 2026 work programme with a task
cascaded to the communes, holds a quarterly review conference, and coordinates with the
People's Committee and the Fatherland Front. Entered through the services like real data."""

import datetime as dt
import random

from django.utils import timezone

from danvan.org.models import Organization

from . import services
from .models import Document

NUMBER = "28-CT/TU"


def build(*, admin) -> Document | None:
    commission = Organization.objects.filter(code="31-bdv").select_related("area").first()
    if commission is None or Document.objects.filter(issuer=commission, number=NUMBER).exists():
        return None
    rng = random.Random(2026)  # noqa: S311 (repeatable demo data, not security)
    today = timezone.localdate()
    year = today.year
    party = Organization.objects.get(code="31-tu")
    communes = list(
        Organization.objects.filter(type__code="party-committee", depth=party.depth + 1)
        .filter(path__startswith=party.path)
        .order_by("path")
    )
    # 1. A directive to the communes' Party committees; most have issued their plans.
    issued = dt.date(year - 1, 12, 6)
    document = services.create_document(
        actor=admin,
        issuer=commission,
        kind="directive",
        number=NUMBER,
        issued_on=issued,
        title="Về tăng cường công tác dân vận trong thực hiện sắp xếp tổ chức bộ máy",
        summary="Các đảng ủy xã, phường xây dựng kế hoạch thực hiện, báo cáo sơ kết 6 tháng "
        "và tổng kết cuối năm.",
        recipients=communes,
        actions=[
            ("plan", issued + dt.timedelta(days=30)),
            ("preliminary_review", dt.date(year, 6, 30)),
            ("final_review", dt.date(year, 12, 15)),
        ],
    )
    actions = {a.kind: a for a in document.actions.all()}
    for index, unit in enumerate(communes):
        if index < len(communes) - 3:
            services.record_completion(
                actor=admin,
                action=actions["plan"],
                unit=unit,
                done_on=issued + dt.timedelta(days=10 + 3 * index),
                reference=f"{10 + index}-KH/ĐU",
            )
        if index < len(communes) // 2 and today > dt.date(year, 7, 10):
            services.record_completion(
                actor=admin,
                action=actions["preliminary_review"],
                unit=unit,
                done_on=dt.date(year, 7, 5 + index),
                reference=f"{40 + index}-BC/ĐU",
            )
    # 2. The commission's 2026 work programme, with a task cascaded to the communes.
    programme = services.create_programme(
        actor=admin,
        organization=commission,
        kind="annual",
        title=f"Chương trình công tác dân vận năm {year}",
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
    )
    dialogue = services.create_task(
        actor=admin,
        owner=commission,
        programme=programme,
        title="Tổ chức đối thoại trực tiếp giữa người đứng đầu cấp ủy với Nhân dân",
        start_on=dt.date(year, 1, 15),
        deadline=dt.date(year, 11, 30),
        target=2,
        target_unit="buổi",
        rollup="count",
    )
    children = services.cascade_task(
        actor=admin, task=dialogue, units=communes, targets={c.pk: 2 for c in communes}
    )
    for index, child in enumerate(children):
        if index < len(children) - 3:
            services.report_progress(
                actor=admin,
                task=child,
                reported_on=min(today, dt.date(year, min(4 + index, 11), 20)),
                narrative="Đã tổ chức 2 buổi đối thoại với Nhân dân về sắp xếp địa giới.",
                value=2,
                done=True,
            )
        elif index < len(children) - 1:
            services.report_progress(
                actor=admin,
                task=child,
                reported_on=min(today, dt.date(year, 8, 10)),
                narrative="Đã tổ chức 1 buổi; buổi thứ hai dự kiến trong quý IV.",
                value=1,
            )
    weighted = services.create_task(
        actor=admin,
        owner=commission,
        programme=programme,
        title="Xóa nhà tạm, nhà dột nát cho hộ nghèo",
        start_on=dt.date(year, 2, 1),
        deadline=min(dt.date(year, 12, 31), today + dt.timedelta(days=10)),
        rollup="weighted",
    )
    shares = services.cascade_task(
        actor=admin,
        task=weighted,
        units=communes[:4],
        weights={c.pk: w for c, w in zip(communes[:4], (3, 2, 1, 1), strict=False)},
    )
    for share, percent in zip(shares, (100, 60, 40, 20), strict=False):
        services.report_progress(
            actor=admin,
            task=share,
            reported_on=today - dt.timedelta(days=rng.randint(5, 30)),
            narrative="Cập nhật số nhà đã khởi công, bàn giao.",
            percent=percent,
            done=percent == 100,
        )
    own = [
        ("Tham mưu sơ kết 6 tháng công tác dân vận", dt.date(year, 7, 15), True),
        ("Hướng dẫn các xã tổ chức Ngày truyền thống công tác dân vận 15/10", dt.date(year, 10, 5), True),
        ("Khảo sát tình hình Nhân dân tại khu công nghiệp", dt.date(year, 9, 30), False),
        ("Báo cáo tổng kết công tác dân vận năm", dt.date(year, 12, 20), False),
    ]  # fmt: skip
    for title, deadline, done in own:
        task = services.create_task(
            actor=admin,
            owner=commission,
            programme=programme,
            title=title,
            start_on=dt.date(year, 1, 1),
            deadline=deadline,
        )
        if done:
            services.complete_task(actor=admin, task=task, on=min(today, deadline))
    # 3. A quarterly review conference whose key tasks become next quarter's tasks.
    conference = services.create_conference(
        actor=admin,
        organizer=commission,
        kind="quarterly",
        title=f"Hội nghị giao ban công tác dân vận quý III/{year}",
        held_on=min(today, dt.date(year, 10, 8)),
        participant_units=[party, *communes],
        participant_count=64,
        report_ref="Báo cáo số 12-BC/BDVTU",
        conclusions="Các đảng ủy xã tập trung hoàn thành đối thoại trong quý IV; chú trọng nắm "
        "tình hình Nhân dân tại các dự án giải phóng mặt bằng.",
        key_tasks=[
            "Hoàn thành đối thoại với Nhân dân ở các xã còn lại",
            "Nắm tình hình Nhân dân tại các dự án giải phóng mặt bằng",
        ],
    )
    services.key_task_to_task(
        actor=admin,
        key_task=conference.key_tasks.order_by("pk").first(),
        deadline=dt.date(year, 12, 31),
        programme=programme,
    )
    # 4. A coordination programme with the People's Committee and the Front.
    ubnd = Organization.objects.get(code="31-ubnd")
    mttq = Organization.objects.get(code="31-mttq")
    coordination = services.create_coordination(
        actor=admin,
        lead=commission,
        title="Chương trình phối hợp thực hiện công tác dân vận chính quyền giai đoạn 2025–2030",
        start=dt.date(2025, 1, 1),
        end=dt.date(2030, 12, 31),
        signed_on=dt.date(2025, 1, 10),
        parties=[ubnd, mttq],
        content="Phối hợp nắm tình hình Nhân dân, giải quyết kiến nghị, đối thoại và thực hiện "
        "Quy chế dân chủ ở cơ sở.",
    )
    activity = services.add_activity(
        actor=admin,
        programme=coordination,
        owner=ubnd,
        title="Giao ban liên ngành 6 tháng về công tác dân vận chính quyền",
        deadline=dt.date(year, 7, 31),
        start_on=dt.date(year, 1, 1),
    )
    services.complete_task(actor=admin, task=activity, on=min(today, dt.date(year, 7, 25)))
    services.add_activity(
        actor=admin,
        programme=coordination,
        owner=mttq,
        title="Giám sát việc giải quyết kiến nghị của cử tri",
        deadline=dt.date(year, 12, 31),
        start_on=dt.date(year, 1, 1),
    )
    for party_org, grade, score in ((commission, "excellent", 95), (ubnd, "good", 85),
                                    (mttq, "good", 88)):  # fmt: skip
        services.evaluate_party(
            actor=admin,
            programme=coordination,
            party=party_org,
            year=2025,
            grade=grade,
            score=score,
            comment="Thực hiện tốt nội dung phối hợp năm 2025.",
        )
    return document
