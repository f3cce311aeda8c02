"""The rules and topics a new installation starts with (administrators add rules; a rule
in force is never edited, see core.rules). docs/legal-rules.md lists each with its source.

Figures follow shared/DOMAIN.md; each carries its citation. Where the law's text says
"ngày" without "làm việc", the limit is counted in calendar days (ending on a working
day); the Law on Denunciations names working days for classification and forwarding."""

import datetime as dt

COMPLAINTS = "Luật Khiếu nại 02/2011/QH13"
DENUNCIATIONS = "Luật Tố cáo 25/2018/QH14"
RECEPTION = "Luật Tiếp công dân 42/2013/QH13"
PARTY_RECEPTION = "Quy định 11-QĐi/TW (2019), sửa đổi bởi Kết luận 215-KL/TW (11/2025)"
FROM_2012 = dt.date(2012, 7, 1)  # Law on Complaints in force
FROM_2014 = dt.date(2014, 7, 1)  # Law on Citizen Reception in force
FROM_2019 = dt.date(2019, 1, 1)  # Law on Denunciations in force

# kind, step, condition, days, day count, max extensions, days per extension, citation, from.
# An article without numbered clauses is cited by its number alone.
DEADLINE_RULES = [
    ("complaint", "accept", "normal", 10, "calendar", 0, 0, f"{COMPLAINTS}, Điều 27", FROM_2012),
    ("complaint", "settle", "normal", 30, "calendar", 0, 0, f"{COMPLAINTS}, Điều 28", FROM_2012),
    ("complaint", "settle", "complicated", 45, "calendar", 0, 0, f"{COMPLAINTS}, Điều 28",
     FROM_2012),
    ("complaint", "settle", "remote", 45, "calendar", 0, 0, f"{COMPLAINTS}, Điều 28", FROM_2012),
    ("complaint", "settle", "complicated_remote", 60, "calendar", 0, 0, f"{COMPLAINTS}, Điều 28",
     FROM_2012),
    ("complaint", "settle_second", "normal", 45, "calendar", 0, 0, f"{COMPLAINTS}, Điều 37",
     FROM_2012),
    ("complaint", "settle_second", "complicated", 60, "calendar", 0, 0, f"{COMPLAINTS}, Điều 37",
     FROM_2012),
    ("complaint", "settle_second", "remote", 60, "calendar", 0, 0, f"{COMPLAINTS}, Điều 37",
     FROM_2012),
    ("complaint", "settle_second", "complicated_remote", 70, "calendar", 0, 0,
     f"{COMPLAINTS}, Điều 37", FROM_2012),
    ("complaint", "file", "normal", 90, "calendar", 0, 0, f"{COMPLAINTS}, Điều 9", FROM_2012),
    ("complaint", "file_second", "normal", 30, "calendar", 0, 0, f"{COMPLAINTS}, Điều 33, khoản 1",
     FROM_2012),
    ("complaint", "file_second", "remote", 45, "calendar", 0, 0, f"{COMPLAINTS}, Điều 33, khoản 1",
     FROM_2012),
    ("denunciation", "classify", "normal", 7, "working", 0, 0, f"{DENUNCIATIONS}, Điều 24, khoản 1",
     FROM_2019),
    ("denunciation", "classify", "several_places", 10, "working", 0, 0,
     f"{DENUNCIATIONS}, Điều 24, khoản 1", FROM_2019),
    ("denunciation", "forward", "normal", 5, "working", 0, 0, f"{DENUNCIATIONS}, Điều 24, khoản 2",
     FROM_2019),
    # Art. 30, clause 1: an ordinary case is not extended; a complicated one once, an
    # especially complicated one twice, each extension by at most 30 days.
    ("denunciation", "settle", "normal", 30, "calendar", 0, 0, f"{DENUNCIATIONS}, Điều 30, khoản 1",
     FROM_2019),
    ("denunciation", "settle", "complicated", 30, "calendar", 1, 30,
     f"{DENUNCIATIONS}, Điều 30, khoản 1 (vụ việc phức tạp)", FROM_2019),
    ("denunciation", "settle", "especially_complicated", 30, "calendar", 2, 30,
     f"{DENUNCIATIONS}, Điều 30, khoản 1 (vụ việc đặc biệt phức tạp)", FROM_2019),
]  # fmt: skip

# The grounds on which a denunciation is complicated, from the Government's decree detailing
# the law (Decree 31/2019/NĐ-CP, in force 28 May 2019): code, text, level, citation, from.
# The decree's grounds for "especially complicated" are added by administrators as rows of
# that level once checked against its text (docs/legal-rules.md).
DECREE_31 = "Nghị định 31/2019/NĐ-CP (tiêu chí xác định vụ việc phức tạp)"
FROM_DECREE_31 = dt.date(2019, 5, 28)
COMPLEXITY_CRITERIA = [
    ("denunciation", "several-places", "Tố cáo về một nội dung nhưng phải xác minh từ 02 địa điểm "
     "trở lên"),
    ("denunciation", "several-contents", "Tố cáo có từ 02 nội dung phải xác minh trở lên"),
    ("denunciation", "many-people", "Nhiều người tố cáo về cùng một nội dung hoặc nội dung tố cáo "
     "liên quan đến quyền và lợi ích của nhiều người"),
    ("denunciation", "foreign", "Tố cáo có yếu tố nước ngoài"),
    ("denunciation", "several-bodies", "Nội dung tố cáo liên quan đến trách nhiệm quản lý của "
     "nhiều cơ quan, tổ chức"),
    ("denunciation", "differing-views", "Các cơ quan, tổ chức có liên quan trong quá trình giải "
     "quyết tố cáo còn ý kiến khác nhau"),
    ("denunciation", "conflicting-evidence", "Có tài liệu, chứng cứ mâu thuẫn với nhau cần có thời "
     "gian kiểm tra, xác minh, đánh giá hoặc tham khảo ý kiến của các cơ quan chuyên môn"),
]  # fmt: skip

# head role, days at least, per, citation, from
RECEPTION_RULES = [
    ("commune_pc_chair", 1, "week", f"{RECEPTION}, Điều 15, khoản 2, điểm d", FROM_2014),
    ("province_pc_chair", 1, "month", f"{RECEPTION}, Điều 12, khoản 5", FROM_2014),
    ("agency_head", 1, "month", f"{RECEPTION}, Điều 18, khoản 2", FROM_2014),
    ("province_party_head", 1, "month", PARTY_RECEPTION, dt.date(2025, 11, 1)),
    ("commune_party_head", 2, "month", PARTY_RECEPTION, dt.date(2025, 11, 1)),
]

TOPICS = [
    ("land", "Đất đai, giải phóng mặt bằng", "Land and site clearance"),
    ("environment", "Môi trường", "Environment"),
    ("wages", "Tiền lương, việc làm", "Wages and employment"),
    ("social-policy", "Chính sách xã hội", "Social policy"),
    ("officials", "Tác phong, đạo đức cán bộ", "Officials' conduct"),
    ("infrastructure", "Hạ tầng, giao thông", "Infrastructure and transport"),
    ("public-services", "Dịch vụ công, thủ tục hành chính", "Public services and procedures"),
    ("security", "An ninh, trật tự", "Security and order"),
    ("other", "Khác", "Other"),
]
