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

EVIDENCE_TYPES = {
    # extension: (content type, magic prefix or None)
    ".pdf": ("application/pdf", b"%PDF"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
