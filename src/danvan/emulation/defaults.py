"""What a new movement starts with; the organizer can change all of it."""

# code, name (data, in Vietnamese like the rest of the reference data)
FIELDS = [
    ("economy", "Kinh tế"),
    ("culture-society", "Văn hóa – xã hội"),
    ("defence-security", "Quốc phòng – an ninh"),
    ("political-system", "Xây dựng hệ thống chính trị"),
]

# code, name, rank, area level of the accepting units ("" = the organizer or above)
LEVELS = [
    ("commune", "Cấp xã", 1, "commune"),
    ("district", "Cấp huyện", 2, "district"),
    ("province", "Cấp tỉnh, thành phố", 3, "province"),
    ("central", "Cấp Trung ương", 4, ""),
]
