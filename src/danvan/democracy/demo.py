"""Demo data for the democracy app, built by `python -m danvan demo` (safe to run again):
in the first two Hải Phòng demo communes, a few disclosures (one late, one missing), a
contribution decided by the ~240 households of Thôn 1 and recognized by the commune, a
draft plan put to comment, a People's Inspection Board with a recommendation answered and
one overdue, a social-criticism opinion of the Front, and satisfaction counts. Everything
goes through the services; names are invented."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from danvan.org.models import Organization

from . import services
from .models import Disclosure

HOUSEHOLDS = 240
INVENTED = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường", "Phạm Thị Dung", "Đỗ Văn Em"]


def _org(code: str) -> Organization | None:
    return Organization.objects.select_related("type", "area").filter(code=code).first()


def build(*, admin) -> None:
    today = timezone.localdate()
    communes = list(
        Organization.objects.filter(type__code="peoples-committee", area__level="commune")
        .select_related("area")
        .order_by("path")[:2]
    )
    for index, ubnd in enumerate(communes):
        prefix = ubnd.code.removesuffix("-ubnd")
        if Disclosure.objects.filter(unit=ubnd).exists():
            continue
        _commune(admin, ubnd, prefix, today, rng=random.Random(31 + index), full=index == 0)  # noqa: S311


def _days(today: dt.date, n: int) -> dt.date:
    return today - dt.timedelta(days=n)


def _commune(admin, ubnd: Organization, prefix: str, today: dt.date, *, rng, full: bool):
    name = ubnd.area.name
    year = today.year
    # Disclosures: on time, late, missing, posted.
    services.create_disclosure(
        actor=admin, unit=ubnd, category_code="budget",
        title=f"Dự toán thu, chi ngân sách {name} năm {year}",
        decision_number="12/QĐ-UBND", decision_date=dt.date(year, 1, 6),
        content="Dự toán thu ngân sách trên địa bàn, chi đầu tư phát triển và chi thường xuyên.",
        published_on=dt.date(year, 1, 15), forms=["notice_board", "website"],
        posted_until=dt.date(year, 4, 30),
    )  # fmt: skip
    late_decision = _days(today, 60)
    services.create_disclosure(
        actor=admin, unit=ubnd, category_code="contributions",
        title="Mức huy động đóng góp xây dựng đường bê tông liên thôn",
        decision_number="45/QĐ-UBND", decision_date=late_decision,
        content="Mức đóng góp bình quân 500.000 đồng/hộ; hộ nghèo, hộ chính sách được miễn.",
        published_on=late_decision + dt.timedelta(days=25), forms=["loudspeaker", "meeting"],
        posted_until=late_decision + dt.timedelta(days=60),
    )  # fmt: skip
    services.create_disclosure(
        actor=admin, unit=ubnd, category_code="land-use-plan",
        title=f"Kế hoạch sử dụng đất năm {year}", decision_number="08/QĐ-UBND",
        decision_date=_days(today, 40), published_on=_days(today, 35),
        forms=["notice_board", "website"], posted_until=today,
    )  # fmt: skip
    services.create_disclosure(
        actor=admin, unit=ubnd, category_code="policy",
        title="Danh sách hộ được hỗ trợ sửa chữa nhà ở sau bão",
        decision_number="51/QĐ-UBND", decision_date=_days(today, 30),
    )  # fmt: skip
    if not full:
        return
    hamlet = _org(f"{prefix}-thon1")
    front = _org(f"{prefix}-mttq")
    if hamlet is None or front is None:
        return
    # Households of Thôn 1 and a contribution decided by them.
    for i in range(1, HOUSEHOLDS + 1):
        services.register_household(
            actor=admin, community=hamlet, code=f"T1-{i:03d}",
            representative=INVENTED[i - 1] if i <= len(INVENTED) else "",
        )  # fmt: skip
    opens = _days(today, 50)
    consultation = services.open_consultation(
        actor=admin, unit=ubnd, community=hamlet, matter_type_code="contribution",
        title="Chủ trương, mức đóng góp làm đường bê tông ngõ xóm Thôn 1",
        description="Đóng góp 500.000 đồng/hộ, Nhà nước hỗ trợ xi măng; thi công trong quý.",
        form="meeting", opens_on=opens, closes_on=opens + dt.timedelta(days=7),
    )  # fmt: skip
    choices = ["yes"] * 181 + ["no"] * 27 + ["abstain"] * 12
    rng.shuffle(choices)
    for i, choice in enumerate(choices, start=1):
        services.record_vote(
            actor=admin, consultation=consultation, household_code=f"T1-{i:03d}",
            choice=choice, cast_on=opens + dt.timedelta(days=rng.randint(0, 7)),
        )  # fmt: skip
    services.close_consultation(
        actor=admin, consultation=consultation, closed_on=opens + dt.timedelta(days=7)
    )
    services.recognize_consultation(
        actor=admin, consultation=consultation, recognized_by=ubnd, number="60/QĐ-UBND",
        recognized_on=opens + dt.timedelta(days=12),
    )  # fmt: skip
    draft = services.open_consultation(
        actor=admin, unit=ubnd, community=hamlet, matter_type_code="draft-plan",
        title="Dự thảo kế hoạch chỉnh trang khu dân cư Thôn 1", form="online",
        opens_on=_days(today, 20), closes_on=_days(today, 5),
    )  # fmt: skip
    for day, topic, text in [
        (19, "Thoát nước", "Đề nghị làm rãnh thoát nước hai bên đường trước khi đổ bê tông."),
        (18, "Thoát nước", "Cống cuối ngõ thường ngập khi mưa lớn, cần nâng cốt."),
        (15, "Chiếu sáng", "Đề nghị lắp thêm đèn chiếu sáng đoạn gần nhà văn hóa."),
        (12, "Cây xanh", "Giữ lại hàng cây cũ, trồng bổ sung cây bóng mát."),
    ]:
        services.add_comment(actor=admin, consultation=draft, topic=topic, content=text,
                             received_on=_days(today, day))  # fmt: skip
    services.respond_to_comments(
        actor=admin, consultation=draft, responded_on=_days(today, 3),
        response="Ủy ban tiếp thu: bổ sung rãnh thoát nước và nâng cốt cống cuối ngõ vào kế "
        "hoạch; đèn chiếu sáng đưa vào kế hoạch năm sau; giữ hàng cây hiện có.",
    )  # fmt: skip
    # Supervision.
    board = services.create_body(
        actor=admin, unit=front, kind="inspection", name=f"Ban Thanh tra nhân dân {name}",
        term_start=dt.date(2024, 10, 1), term_end=dt.date(2029, 9, 30),
        projects="Đường bê tông ngõ xóm Thôn 1\nNhà văn hóa Thôn 2",
    )  # fmt: skip
    for person, position in [("Vũ Văn Hòa", "Trưởng ban"), ("Ngô Thị Lý", "Phó Trưởng ban")]:
        services.add_member(actor=admin, body=board, name=person, position=position)
    activity = services.record_activity(
        actor=admin, body=board, kind="supervision", programme=f"Chương trình giám sát năm {year}",
        subject="Thu, chi khoản đóng góp làm đường Thôn 1", held_on=_days(today, 30),
        findings="Thu đúng mức đã quyết định; sổ sách chưa công khai chi tiết từng khoản chi.",
    )  # fmt: skip
    answered = services.add_recommendation(
        actor=admin, activity=activity, addressee=ubnd,
        content="Công khai chi tiết các khoản chi tại nhà văn hóa thôn.",
        made_on=_days(today, 29), due_on=_days(today, 14),
    )  # fmt: skip
    services.respond_to_recommendation(
        actor=admin, recommendation=answered, responded_on=_days(today, 16),
        content="Đã niêm yết bảng kê chi tiết thu, chi tại nhà văn hóa Thôn 1.",
    )  # fmt: skip
    services.add_recommendation(
        actor=admin, activity=activity, addressee=ubnd,
        content="Bổ sung biên bản nghiệm thu từng đoạn đường có đại diện Nhân dân tham gia.",
        made_on=_days(today, 29), due_on=_days(today, 7),
    )  # fmt: skip
    front_body = services.create_body(
        actor=admin, unit=front, kind="front", name=f"Ủy ban MTTQ Việt Nam {name}"
    )
    criticism = services.record_activity(
        actor=admin, body=front_body, kind="social_criticism",
        programme="Phản biện xã hội dự thảo văn bản của Ủy ban nhân dân",
        subject="Dự thảo phương án hỗ trợ sửa chữa nhà ở sau bão", held_on=_days(today, 10),
        findings="Tiêu chí xét hỗ trợ chưa rõ với hộ thuê nhà.",
    )  # fmt: skip
    services.add_recommendation(
        actor=admin, activity=criticism, addressee=ubnd,
        content="Làm rõ tiêu chí hỗ trợ đối với hộ thuê nhà, hộ ở nhờ.",
        made_on=_days(today, 9), due_on=today + dt.timedelta(days=20),
    )  # fmt: skip
    services.record_satisfaction(
        actor=admin, unit=ubnd, service="Giải quyết thủ tục hành chính",
        period_start=dt.date(year, 1, 1), period_end=dt.date(year, 6, 30),
        counts={"very_satisfied": 212, "satisfied": 340, "neutral": 41, "dissatisfied": 9},
    )  # fmt: skip
