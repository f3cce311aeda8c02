"""What a new movement starts with; the organizer can change all of it."""

import datetime as dt

# code, name (data, in Vietnamese like the rest of the reference data)
FIELDS = [
    ("economy", "Kinh tế"),
    ("culture-society", "Văn hóa – xã hội"),
    ("defence-security", "Quốc phòng – an ninh"),
    ("political-system", "Xây dựng hệ thống chính trị"),
]

# The district level ended with the districts: Resolution 202/2025/QH15 and the Law on
# the Organization of Local Government 2025 (Law 72/2025/QH15) run local government at two
# levels from 1 July 2025.
DISTRICTS_ENDED = dt.date(2025, 6, 30)

# code, name, rank, area level of the accepting units ("" = the organizer or above), last day
LEVELS = [
    ("commune", "Cấp xã", 1, "commune", None),
    ("district", "Cấp huyện", 2, "district", DISTRICTS_ENDED),
    ("province", "Cấp tỉnh, thành phố", 3, "province", None),
    ("central", "Cấp Trung ương", 4, "", None),
]
