"""Demo data for the situation app, built by `python -m danvan demo` (safe to run again).

For the Hải Phòng demo tree: monthly reports from the communes' Fronts, Women's Unions and
Farmers' Associations (land and site clearance rising this month), quarterly ones from
hamlets; a temporary-house elimination campaign, the Farmers' Support Fund with loans, and
a land-handover project. All through the services, as the admin. Household codes and the
few names are invented.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from danvan.org import periods as org_periods
from danvan.org.models import Organization

from . import services
from .models import Campaign, LandProject, SituationReport

PROVINCE = "31"

NARRATIVES = {
    "employment-wages": [
        "Một số doanh nghiệp trong cụm công nghiệp chậm trả lương, công nhân lo lắng dịp cuối năm.",
        "Việc làm của đoàn viên, hội viên cơ bản ổn định; một doanh nghiệp giảm ca.",
    ],
    "land-clearance": [
        "Nhiều hộ chưa đồng thuận với đơn giá bồi thường dự án đường ven biển, đề nghị đối thoại.",
        "Nhân dân phản ánh chậm chi trả tiền bồi thường, hỗ trợ tái định cư.",
        "Ông Nguyễn Văn Toàn ở thôn 2 tập hợp các hộ ký đơn đề nghị xem lại giá đất.",
    ],
    "prices-livelihoods": [
        "Giá vật liệu xây dựng và thực phẩm tăng, đời sống hộ nghèo còn khó khăn.",
        "Đời sống nhân dân cơ bản ổn định.",
    ],
    "environment": [
        "Phản ánh mùi hôi từ cơ sở chế biến phế liệu gần khu dân cư.",
        "Vệ sinh môi trường được duy trì, rác thải thu gom đúng giờ.",
    ],
    "public-services": ["Thủ tục hành chính sau sáp nhập được giải quyết nhanh hơn."],
    "security-order": ["An ninh trật tự được giữ vững."],
    "policy-opinion": [
        "Nhân dân đồng tình với chủ trương sắp xếp đơn vị hành chính, quan tâm việc đặt tên xã mới."
    ],
    "religion": ["Các cơ sở tôn giáo hoạt động đúng quy định."],
}
MONTHLY = ("mttq", "hlhpn", "doan", "hnd", "hccb")
PROVINCE_MONTHLY = ("mttq", "hlhpn", "doan", "hnd", "hccb", "ldld")


def _entries(rng: random.Random, *, land: str, org: str = "") -> list[dict]:
    entries = [
        {
            "topic": "land-clearance",
            "level": land,
            "narrative": rng.choice(NARRATIVES["land-clearance"][:2])
            if land != "stable"
            else "Công tác giải phóng mặt bằng thuận lợi.",
            "sources": ["voter_contact", "dialogue"] if land != "stable" else ["activities"],
            "count": rng.randint(8, 40) if land != "stable" else None,
        }
    ]
    for code in ("employment-wages", "prices-livelihoods", "environment", "security-order"):
        # The same unit sees the same level on a topic month after month: only land moves.
        steady = random.Random(f"{org}:{code}")  # noqa: S311
        level = steady.choices(["stable", "attention", "tense"], weights=[92, 7, 1])[0]
        entry = {
            "topic": code,
            "level": level,
            "narrative": rng.choice(NARRATIVES[code]),
            "sources": rng.sample(["activities", "dialogue", "petitions", "media"], 2),
        }
        if code == "employment-wages" and level != "stable":
            entry["count"] = rng.randint(20, 180)
        if code == "prices-livelihoods" and level != "stable":
            entry["count"] = rng.randint(10, 60)
        entries.append(entry)
    if rng.random() < 0.4:
        entries.append(
            {
                "topic": "policy-opinion",
                "level": "stable",
                "narrative": NARRATIVES["policy-opinion"][0],
                "sources": ["voter_contact"],
            }
        )
    return entries


def _reports(admin, communes: list[str], rng: random.Random, today: dt.date) -> None:
    this_month = services.period_of("month", today.year, today.month)
    previous = [services.period_of("month", *_month_back(today, n)) for n in (2, 1)]  # oldest first
    for step, period in enumerate([*previous, this_month]):
        for i, code in enumerate(communes):
            for suffix in MONTHLY:
                org = Organization.objects.filter(code=f"{code}-{suffix}").first()
                if org is None:
                    continue
                # This month three organizations have not reported yet.
                if period == this_month and (i, suffix) in ((5, "hnd"), (6, "hlhpn"), (7, "mttq")):
                    continue
                # Land clearance: 1 Front tense two months ago, 2 last month, 5 this month.
                tense_fronts = (1, 2, 5)[step]
                land = "tense" if suffix == "mttq" and i < tense_fronts else "stable"
                if suffix == "hnd" and i in (0, 1) and step == 2:
                    land = "attention"
                entries = _entries(rng, land=land, org=org.code)
                if period == this_month and i == 0 and suffix == "mttq":
                    entries[0]["narrative"] = NARRATIVES["land-clearance"][2]
                services.submit_report(
                    actor=admin,
                    organization=org,
                    period=period,
                    entries=entries,
                    summary="Tình hình nhân dân trên địa bàn cơ bản ổn định.",
                    now=timezone.now()
                    if period == this_month
                    else timezone.make_aware(
                        dt.datetime.combine(
                            period.end + dt.timedelta(days=rng.randint(1, 8)), dt.time(9)
                        )
                    ),
                )
        for suffix in PROVINCE_MONTHLY:
            org = Organization.objects.filter(code=f"{PROVINCE}-{suffix}").first()
            if org is not None:
                services.submit_report(
                    actor=admin,
                    organization=org,
                    period=period,
                    entries=_entries(rng, land="stable", org=org.code),
                    now=timezone.now()
                    if period == this_month
                    else timezone.make_aware(
                        dt.datetime.combine(period.end + dt.timedelta(days=3), dt.time(9))
                    ),
                )
    # Hamlets report quarterly: the last full quarter.
    q = org_periods.index_of("quarter", today)
    year, q = (today.year, q - 1) if q > 1 else (today.year - 1, 4)
    quarter = services.period_of("quarter", year, q)
    for i, code in enumerate(communes):
        for n in (1, 2, 3):
            org = Organization.objects.filter(code=f"{code}-thon{n}").first()
            if org is None or (i == 4 and n == 3):
                continue
            services.submit_report(
                actor=admin,
                organization=org,
                period=quarter,
                entries=_entries(
                    rng, land="attention" if i < 3 and n == 1 else "stable", org=org.code
                ),
            )


def _month_back(today: dt.date, n: int) -> tuple[int, int]:
    month, year = today.month - n, today.year
    while month < 1:
        month += 12
        year -= 1
    return year, month


def _houses(admin, communes: list[str], rng: random.Random, today: dt.date) -> None:
    front = Organization.objects.get(code=f"{PROVINCE}-mttq")
    campaign = services.create_campaign(
        actor=admin,
        organization=front,
        type_code="house-elimination",
        name="Xóa nhà tạm, nhà dột nát trên địa bàn thành phố năm 2025",
        starts_on=dt.date(today.year, 1, 15),
        ends_on=dt.date(today.year, 12, 31),
        target_households=240,
        target_money=14_400_000_000,
        description="Hỗ trợ 60 triệu đồng/căn xây mới, 30 triệu đồng/căn sửa chữa.",
    )
    for kind, amount in (
        ("state_budget", 8_000_000_000),
        ("relief_fund", 3_500_000_000),
        ("enterprises", 2_000_000_000),
        ("contributions", 600_000_000),
    ):
        services.add_funding(
            actor=admin,
            campaign=campaign,
            kind=kind,
            amount=amount,
            received_on=dt.date(today.year, 2, 1),
        )
    names = ["Nguyễn Thị Hoa", "Trần Văn Lực", "Lê Thị Nụ", "Phạm Văn Khải"]
    n = 0
    for i, code in enumerate(communes):
        unit = Organization.objects.get(code=f"{code}-mttq")
        for _ in range(rng.randint(22, 30)):
            n += 1
            b = services.add_beneficiary(
                actor=admin,
                campaign=campaign,
                unit=unit,
                area=unit.area,
                household_code=f"HP-{code}-{n:04d}",
                category=rng.choice(["poor", "poor", "near_poor", "policy", "disaster"]),
                funding_kind=rng.choice(
                    ["state_budget", "state_budget", "relief_fund", "enterprises", "contributions"]
                ),
                name=names[n % len(names)] if n % 9 == 0 else "",
            )
            stage = rng.random()
            if stage < 0.78 - i * 0.03:
                services.record_progress(actor=admin, beneficiary=b, progress="handed_over")
                services.disburse(actor=admin, beneficiary=b, amount=50_000_000)
            elif stage < 0.9:
                services.record_progress(actor=admin, beneficiary=b, progress="building")


def _fund(admin, communes: list[str], rng: random.Random, today: dt.date) -> None:
    farmers = Organization.objects.get(code=f"{PROVINCE}-hnd")
    fund = services.create_campaign(
        actor=admin,
        organization=farmers,
        type_code="support-fund",
        name="Quỹ Hỗ trợ nông dân thành phố Hải Phòng",
        starts_on=dt.date(today.year - 1, 1, 1),
        description="Cho vay vốn phát triển sản xuất theo các dự án tổ, nhóm hộ.",
    )
    services.add_funding(
        actor=admin,
        campaign=fund,
        kind="state_budget",
        amount=3_000_000_000,
        received_on=dt.date(today.year - 1, 1, 10),
    )
    services.add_funding(
        actor=admin,
        campaign=fund,
        kind="contributions",
        amount=450_000_000,
        received_on=dt.date(today.year - 1, 6, 1),
    )
    purposes = ["Nuôi bò sinh sản", "Trồng rau an toàn", "Nuôi tôm", "Chăn nuôi gà", "Trồng hoa"]
    for i in range(14):
        code = communes[i % len(communes)]
        unit = Organization.objects.get(code=f"{code}-hnd")
        lent_on = today - dt.timedelta(days=rng.randint(60, 500))
        loan = services.lend(
            actor=admin,
            campaign=fund,
            unit=unit,
            area=unit.area,
            household_code=f"ND-{code}-{i + 1:03d}",
            purpose=rng.choice(purposes),
            amount=rng.choice([50, 80, 100, 150, 200]) * 1_000_000,
            lent_on=lent_on,
            due_on=lent_on + dt.timedelta(days=rng.choice([365, 730])),
        )
        if rng.random() < 0.6:
            services.repay(
                actor=admin, loan=loan, amount=int(loan.amount) * rng.choice([1, 2, 4]) // 4
            )


def _project(admin, communes: list[str], rng: random.Random, today: dt.date) -> None:
    city = Organization.objects.get(code=f"{PROVINCE}-ubnd")
    project = services.create_project(
        actor=admin,
        organization=city,
        code="hp-duong-ven-bien",
        name="Đường bộ ven biển đoạn qua thành phố Hải Phòng",
        investor="Ban Quản lý dự án đầu tư xây dựng các công trình giao thông thành phố",
        total_area_m2=18_500,
        starts_on=today - dt.timedelta(days=200),
        deadline=today + dt.timedelta(days=120),
    )
    issues = ["compensation", "compensation", "resettlement", "land_origin", "graves"]
    for i, code in enumerate(communes[:2]):
        unit = Organization.objects.get(code=f"{code}-mttq")
        for n in range(1, 24):
            state = rng.choices(["handed_over", "agreed", "informed"], weights=[55, 25, 20])[0]
            issue = rng.choice(issues) if state != "handed_over" and rng.random() < 0.5 else ""
            services.add_household(
                actor=admin,
                project=project,
                unit=unit,
                area=unit.area,
                household_code=f"GPMB-{code}-{n:03d}",
                area_m2=rng.choice([120, 180, 250, 300, 420, 560]),
                state=state,
                issue_type=issue,
                issue_note="Đề nghị xem lại đơn giá bồi thường" if issue == "compensation" else "",
            )
        services.record_meeting(
            actor=admin,
            project=project,
            unit=unit,
            held_on=today - dt.timedelta(days=30 + 20 * i),
            title="Đối thoại với các hộ bị ảnh hưởng",
            households=rng.randint(15, 23),
            outcome="Giải đáp về đơn giá bồi thường; ghi nhận 5 kiến nghị.",
        )


def build(*, admin) -> bool:
    """Idempotent: does nothing once demo situation reports exist."""
    if (
        SituationReport.objects.exists()
        or Campaign.objects.exists()
        or LandProject.objects.exists()
    ):
        return False
    communes = list(
        Organization.objects.filter(type__code="party-committee", depth=2, code__endswith="-du")
        .order_by("path")
        .values_list("code", flat=True)
    )
    communes = [c[: -len("-du")] for c in communes]
    if not communes:
        return False
    rng = random.Random(2025)  # noqa: S311 (repeatable demo data, not security)
    today = timezone.localdate()
    _reports(admin, communes, rng, today)
    _houses(admin, communes, rng, today)
    _fund(admin, communes, rng, today)
    _project(admin, communes, rng, today)
    return True
