"""The categories, matter types and rules a new installation starts with (editable data).

Each rule carries its citation and the date it came into force. The general time limit
and the vote thresholds follow shared/DOMAIN.md (Law 10/2022/QH15, in force 1 July 2023);
the category rules for budgets and land-use plans are defaults to verify against the
text in force before relying on them (docs/democracy.md)."""

import datetime as dt

LAW = "Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15"
FROM_2023 = dt.date(2023, 7, 1)  # Law 10/2022/QH15 in force

# code, Vietnamese, English
CATEGORIES = [
    ("budget", "Dự toán, quyết toán ngân sách", "Budget estimates and final accounts"),
    ("land-use-plan", "Quy hoạch, kế hoạch sử dụng đất", "Land-use plan"),
    ("project-compensation", "Dự án, bồi thường, hỗ trợ, tái định cư",
     "Projects, compensation and resettlement"),
    ("policy", "Chính sách, chế độ", "Policies and entitlements"),
    ("contributions", "Khoản đóng góp của Nhân dân", "Residents' contributions"),
    ("inspection-results", "Kết quả thanh tra, kiểm tra", "Inspection results"),
    ("procedures", "Thủ tục hành chính", "Administrative procedures"),
    ("other", "Nội dung khác", "Other"),
]  # fmt: skip

# category code (None = general), publish within, counted in, minimum posting days,
# citation, in force from
DISCLOSURE_RULES = [
    (None, 10, "working", 30, f"{LAW}, Điều 13 (công khai chậm nhất 10 ngày làm việc kể từ "
     "ngày văn bản được ban hành; niêm yết ít nhất 30 ngày)", FROM_2023),
    ("budget", 30, "calendar", 90, "Thông tư 343/2016/TT-BTC, Điều 5 (công khai ngân sách "
     "cấp xã; niêm yết ít nhất 90 ngày)", dt.date(2017, 1, 1)),
    ("land-use-plan", 15, "calendar", None, "Luật Đất đai 31/2024/QH15, Điều 75 (công bố "
     "công khai quy hoạch, kế hoạch sử dụng đất)", dt.date(2024, 8, 1)),
]  # fmt: skip

# code, Vietnamese, English, mode
MATTER_TYPES = [
    ("contribution", "Chủ trương, mức đóng góp xây dựng công trình công cộng",
     "Contribution to public works", "decide"),
    ("contribution-spending", "Thu, chi, quản lý khoản đóng góp", "Spending of contributions",
     "decide"),
    ("village-convention", "Hương ước, quy ước của cộng đồng", "Village convention", "decide"),
    ("hamlet-head", "Bầu, cho thôi làm Trưởng thôn, Tổ trưởng tổ dân phố",
     "Electing or dismissing a hamlet head", "decide"),
    ("board-members", "Bầu, cho thôi làm thành viên Ban Thanh tra nhân dân, Ban Giám sát đầu tư "
     "của cộng đồng", "Electing inspection or investment-supervision board members", "decide"),
    ("other-decision", "Công việc khác do cộng đồng tự quyết", "Other matter decided by residents",
     "decide"),
    ("draft-plan", "Dự thảo quy hoạch, kế hoạch", "Draft plan", "comment"),
    ("compensation", "Phương án bồi thường, hỗ trợ, tái định cư",
     "Compensation and resettlement plan", "comment"),
    ("boundary-change", "Thành lập, nhập, chia, điều chỉnh địa giới đơn vị hành chính",
     "Administrative boundary change", "comment"),
]  # fmt: skip

MAJORITY = (
    f"{LAW}, Chương II, Mục 2 (Nhân dân bàn và quyết định: quá 50% tổng số đại diện hộ gia đình)"
)
TWO_THIRDS = (
    f"{LAW}, Chương II, Mục 2 (chủ trương, mức đóng góp và việc thu, chi: ít nhất 2/3 tổng số "
    "đại diện hộ gia đình)"
)

# matter type code, percent, strict (more than), citation, in force from
THRESHOLD_RULES = [
    ("contribution", "66.6667", False, TWO_THIRDS, FROM_2023),
    ("contribution-spending", "66.6667", False, TWO_THIRDS, FROM_2023),
    ("village-convention", "50", True, MAJORITY, FROM_2023),
    ("hamlet-head", "50", True, MAJORITY, FROM_2023),
    ("board-members", "50", True, MAJORITY, FROM_2023),
    ("other-decision", "50", True, MAJORITY, FROM_2023),
]
