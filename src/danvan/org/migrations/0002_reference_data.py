"""Organization types and terms that every installation starts with (editable afterwards)."""

import datetime as dt

from django.db import migrations

ORGANIZATION_TYPES = [
    # code, Vietnamese name, English name, document format
    ("party-committee", "Đảng ủy / Tỉnh ủy / Thành ủy", "Party committee", "party"),
    ("mass-mobilization-commission", "Ban Dân vận", "Mass Mobilization Commission", "party"),
    ("propaganda-mass-mobilization-commission", "Ban Tuyên giáo và Dân vận", "Propaganda and Mass Mobilization Commission", "party"),
    ("peoples-committee", "Ủy ban nhân dân", "People's Committee", "state"),
    ("peoples-council", "Hội đồng nhân dân", "People's Council", "state"),
    ("fatherland-front", "Ủy ban Mặt trận Tổ quốc Việt Nam", "Vietnam Fatherland Front committee", "other"),
    ("womens-union", "Hội Liên hiệp Phụ nữ", "Women's Union", "other"),
    ("youth-union", "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Ho Chi Minh Communist Youth Union", "other"),
    ("farmers-association", "Hội Nông dân", "Farmers' Association", "other"),
    ("veterans-association", "Hội Cựu chiến binh", "Veterans' Association", "other"),
    ("trade-union", "Liên đoàn Lao động", "Trade Union", "other"),
    ("mass-mobilization-block", "Khối dân vận", "Mass mobilization block", "other"),
    ("hamlet", "Thôn / Tổ dân phố", "Hamlet / residential group", "other"),
    ("department", "Sở, ban, ngành", "Department or agency", "state"),
]

TERMS = [("party", 2025, 2030), ("front", 2024, 2029), ("unions", 2024, 2029)]


def load(apps, schema_editor):
    OrganizationType = apps.get_model("org", "OrganizationType")
    Period = apps.get_model("org", "Period")
    for order, (code, name, name_en, fmt) in enumerate(ORGANIZATION_TYPES, start=1):
        OrganizationType.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "document_format": fmt, "sort_order": order * 10},
        )
    for body, start, end in TERMS:
        Period.objects.get_or_create(
            kind="term", start=dt.date(start, 1, 1), body=body, defaults={"end": dt.date(end, 12, 31)}
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
