"""Demo petitions, reception sessions and a dialogue for Hải Phòng, entered through the
services. Names are invented; identities are stored encrypted like real ones."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from danvan.accounts.scope import can
from danvan.org.models import Organization

from . import services
from .models import Petition

SAMPLES = [
    (
        "land",
        "complaint",
        "Khiếu nại quyết định thu hồi đất làm đường liên xã, mức bồi thường thấp hơn giá thị trường.",
    ),
    (
        "land",
        "complaint",
        "Khiếu nại việc đo đạc lại ranh giới thửa đất khi cấp giấy chứng nhận quyền sử dụng đất.",
    ),
    (
        "environment",
        "recommendation",
        "Kiến nghị xử lý mùi hôi từ xưởng chế biến phế liệu gần khu dân cư.",
    ),
    ("environment", "recommendation", "Phản ánh bãi rác tự phát ven đê chưa được thu gom."),
    (
        "wages",
        "recommendation",
        "Công nhân khu công nghiệp phản ánh doanh nghiệp chậm trả lương ba tháng.",
    ),
    (
        "officials",
        "denunciation",
        "Tố cáo cán bộ địa chính gây khó khăn, đòi tiền khi làm thủ tục tách thửa.",
    ),
    ("social-policy", "recommendation", "Kiến nghị xem xét hỗ trợ hộ cận nghèo sau bão số 3."),
    (
        "infrastructure",
        "recommendation",
        "Kiến nghị sửa chữa đoạn đường thôn bị sụt lún sau mưa lớn.",
    ),
]
NAMES = [
    "Nguyễn Văn Bình",
    "Trần Thị Mai",
    "Lê Văn Hùng",
    "Phạm Thị Thu",
    "Hoàng Văn Nam",
    "Vũ Thị Hạnh",
]


def build(*, admin) -> bool:
    """Idempotent: does nothing once demo petitions exist."""
    if Petition.objects.exists():
        return False
    rng = random.Random(2026)  # noqa: S311 (repeatable demo data, not security)
    today = timezone.localdate()
    handler = get_user_model().objects.filter(username="xuly.don").first()
    units = list(
        Organization.objects.filter(type__code="peoples-committee", depth__gte=2).order_by("path")[
            :4
        ]
    )
    for i in range(24):
        topic, kind, text = SAMPLES[i % len(SAMPLES)]
        unit = units[i % len(units)]
        received = today - dt.timedelta(days=rng.randint(1, 75))
        anonymous = kind == "denunciation" and i % 3 == 2
        petition = services.receive_petition(
            actor=admin,
            unit=unit,
            channel=rng.choice(["reception", "letter", "online", "voter_contact"]),
            received_on=received,
            area=unit.area,
            topic_code=topic,
            contents=text,
            citizens=[]
            if anonymous
            else [
                {
                    "name": NAMES[i % len(NAMES)],
                    "address": f"Thôn {1 + i % 3}, {unit.area.name}",
                    "contact": f"09{12345670 + i}",
                }
            ],
            anonymous=anonymous,
            matters=[
                {
                    "kind": kind,
                    "summary": text[:120],
                    "complicated": i % 5 == 0 and kind == "complaint",
                }
            ],
            today=today,
        )
        matter = petition.matters.first()
        if (
            handler is not None
            and can(handler, "voices.handle", matter)
            and matter.state == "received"
        ):
            matter = services.assign_handler(actor=admin, matter=matter, handler=handler)
        if matter.state != "received" or i % 4 == 0:
            continue
        accepted = min(received + dt.timedelta(days=rng.randint(2, 8)), today)
        services.accept_matter(actor=admin, matter=matter, on=accepted)
        if i % 3 == 0:
            services.start_settling(
                actor=admin, matter=matter, on=accepted, note="Xác minh tại thực địa"
            )
        elif i % 3 == 1 and accepted + dt.timedelta(days=10) <= today:
            result = (
                "answered"
                if kind == "recommendation"
                else rng.choice(["upheld", "partly_upheld", "rejected"])
            )
            services.decide_matter(
                actor=admin,
                matter=matter,
                decision_number=f"{i + 10}/QĐ-UBND",
                decision_date=accepted + dt.timedelta(days=10),
                result=result,
            )
    for unit in units[:2]:
        for week in range(1, 9):
            day = today - dt.timedelta(days=7 * week)
            if week % 4 == 0:
                continue
            services.record_reception(
                actor=admin,
                unit=unit,
                head_role="commune_pc_chair",
                head_name="Chủ tịch UBND",
                held_on=day,
                head_present=week % 3 != 0,
                delegate="" if week % 3 else "Phó Chủ tịch UBND",
                citizens_received=rng.randint(2, 9),
            )
    dialogue = services.record_dialogue(
        actor=admin,
        unit=units[0],
        title="Đối thoại giữa Bí thư Đảng ủy với nhân dân về giải phóng mặt bằng",
        held_on=today - dt.timedelta(days=20),
        heads="Bí thư Đảng ủy, Chủ tịch UBND",
        participants=85,
        topic_codes=["land", "infrastructure"],
    )
    services.add_commitment(
        actor=admin,
        dialogue=dialogue,
        content="Rà soát lại đơn giá bồi thường đất nông nghiệp",
        owner=units[0],
        due_on=today + dt.timedelta(days=10),
    )
    overdue = services.add_commitment(
        actor=admin,
        dialogue=dialogue,
        content="Sửa chữa cống thoát nước thôn 2",
        owner=units[0],
        due_on=today - dt.timedelta(days=3),
    )
    del overdue
    return True
