"""Topics, deadline rules and reception rules a new installation started with (frozen as
they were; later migrations correct and add rules through voices.loaders)."""

import datetime

from django.db import migrations

DEADLINE_RULES = [
    (
        "complaint",
        "accept",
        "normal",
        10,
        "calendar",
        0,
        0,
        "Luật Khiếu nại 02/2011/QH13, Điều 27",
        datetime.date(2012, 7, 1),
    ),
    (
        "complaint",
        "settle",
        "normal",
        30,
        "calendar",
        0,
        0,
        "Luật Khiếu nại 02/2011/QH13, Điều 28",
        datetime.date(2012, 7, 1),
    ),
    (
        "complaint",
        "settle",
        "complicated",
        45,
        "calendar",
        0,
        0,
        "Luật Khiếu nại 02/2011/QH13, Điều 28",
        datetime.date(2012, 7, 1),
    ),
    (
        "complaint",
        "settle",
        "remote",
        45,
        "calendar",
        0,
        0,
        "Luật Khiếu nại 02/2011/QH13, Điều 28",
        datetime.date(2012, 7, 1),
    ),
    (
        "complaint",
        "settle",
        "complicated_remote",
        60,
        "calendar",
        0,
        0,
        "Luật Khiếu nại 02/2011/QH13, Điều 28",
        datetime.date(2012, 7, 1),
    ),
    (
        "complaint",
        "settle_second",
        "normal",
        45,
        "calendar",
        0,
        0,
        "Luật Khiếu nại 02/2011/QH13, Điều 37",
        datetime.date(2012, 7, 1),
    ),
    (
        "complaint",
        "settle_second",
        "complicated",
        60,
        "calendar",
        0,
        0,
        "Luật Khiếu nại 02/2011/QH13, Điều 37",
        datetime.date(2012, 7, 1),
    ),
    (
        "complaint",
        "settle_second",
        "remote",
        60,
        "calendar",
        0,
        0,
        "Luật Khiếu nại 02/2011/QH13, Điều 37",
        datetime.date(2012, 7, 1),
    ),
    (
        "complaint",
        "settle_second",
        "complicated_remote",
        70,
        "calendar",
        0,
        0,
        "Luật Khiếu nại 02/2011/QH13, Điều 37",
        datetime.date(2012, 7, 1),
    ),
    (
        "complaint",
        "file",
        "normal",
        90,
        "calendar",
        0,
        0,
        "Luật Khiếu nại 02/2011/QH13, Điều 9",
        datetime.date(2012, 7, 1),
    ),
    (
        "complaint",
        "file_second",
        "normal",
        30,
        "calendar",
        0,
        0,
        "Luật Khiếu nại 02/2011/QH13, Điều 33",
        datetime.date(2012, 7, 1),
    ),
    (
        "complaint",
        "file_second",
        "remote",
        45,
        "calendar",
        0,
        0,
        "Luật Khiếu nại 02/2011/QH13, Điều 33",
        datetime.date(2012, 7, 1),
    ),
    (
        "denunciation",
        "classify",
        "normal",
        7,
        "working",
        0,
        0,
        "Luật Tố cáo 25/2018/QH14, Điều 24",
        datetime.date(2019, 1, 1),
    ),
    (
        "denunciation",
        "classify",
        "several_places",
        10,
        "working",
        0,
        0,
        "Luật Tố cáo 25/2018/QH14, Điều 24",
        datetime.date(2019, 1, 1),
    ),
    (
        "denunciation",
        "forward",
        "normal",
        5,
        "working",
        0,
        0,
        "Luật Tố cáo 25/2018/QH14, Điều 24",
        datetime.date(2019, 1, 1),
    ),
    (
        "denunciation",
        "settle",
        "normal",
        30,
        "calendar",
        1,
        30,
        "Luật Tố cáo 25/2018/QH14, Điều 30",
        datetime.date(2019, 1, 1),
    ),
    (
        "denunciation",
        "settle",
        "complicated",
        30,
        "calendar",
        2,
        30,
        "Luật Tố cáo 25/2018/QH14, Điều 30 (vụ việc đặc biệt phức tạp)",
        datetime.date(2019, 1, 1),
    ),
]

RECEPTION_RULES = [
    (
        "commune_pc_chair",
        1,
        "week",
        "Luật Tiếp công dân 42/2013/QH13, Điều 15",
        datetime.date(2014, 7, 1),
    ),
    (
        "province_pc_chair",
        1,
        "month",
        "Luật Tiếp công dân 42/2013/QH13, Điều 13",
        datetime.date(2014, 7, 1),
    ),
    ("agency_head", 1, "month", "Luật Tiếp công dân 42/2013/QH13", datetime.date(2014, 7, 1)),
    (
        "province_party_head",
        1,
        "month",
        "Quy định 11-QĐi/TW (2019), sửa đổi bởi Kết luận 215-KL/TW (11/2025)",
        datetime.date(2025, 11, 1),
    ),
    (
        "commune_party_head",
        2,
        "month",
        "Quy định 11-QĐi/TW (2019), sửa đổi bởi Kết luận 215-KL/TW (11/2025)",
        datetime.date(2025, 11, 1),
    ),
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


def load(apps, schema_editor):
    Topic = apps.get_model("voices", "Topic")
    DeadlineRule = apps.get_model("voices", "DeadlineRule")
    ReceptionRule = apps.get_model("voices", "ReceptionRule")
    for order, (code, name, name_en) in enumerate(TOPICS, start=1):
        Topic.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order * 10}
        )
    for kind, step, condition, days, count, ext, ext_days, citation, start in DEADLINE_RULES:
        DeadlineRule.objects.update_or_create(
            kind=kind,
            step=step,
            condition=condition,
            effective_from=start,
            defaults={
                "days": days,
                "day_count": count,
                "max_extensions": ext,
                "extension_days": ext_days,
                "citation": citation,
            },
        )
    for role, days, per, citation, start in RECEPTION_RULES:
        ReceptionRule.objects.update_or_create(
            head_role=role,
            effective_from=start,
            defaults={"days": days, "per": per, "citation": citation},
        )


class Migration(migrations.Migration):
    dependencies = [("voices", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
