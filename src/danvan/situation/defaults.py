"""Topics, reporting rules, signal rules and campaign types a new installation starts with.
All are data (editable by administrators in the Django admin); nothing here is read by the
code at run time except the migration that loads it."""

TOPICS = [
    # code, Vietnamese, English, count asked for (vi), (en), matching voices topic
    (
        "employment-wages",
        "Việc làm, tiền lương trong doanh nghiệp, khu công nghiệp",
        "Employment and wages in enterprises and industrial parks",
        "Số công nhân bị nợ lương",
        "Workers affected by wage arrears",
        "wages",
    ),
    (
        "land-clearance",
        "Đất đai, giải phóng mặt bằng",
        "Land and site clearance",
        "Số hộ có ý kiến, kiến nghị",
        "Households raising concerns",
        "land",
    ),
    ("ethnic-affairs", "Công tác dân tộc", "Ethnic affairs", "", "", ""),
    ("religion", "Hoạt động tôn giáo", "Religious activities", "", "", ""),
    (
        "prices-livelihoods",
        "Giá cả, đời sống",
        "Prices and livelihoods",
        "Số hộ gặp khó khăn về đời sống",
        "Households in hardship",
        "social-policy",
    ),
    ("public-services", "Dịch vụ công", "Public services", "", "", "public-services"),
    ("environment", "Môi trường", "Environment", "", "", "environment"),
    ("security-order", "An ninh, trật tự", "Security and order", "", "", "security"),
    ("policy-opinion", "Dư luận về chủ trương, chính sách", "Opinion on policies", "", "", ""),
]

# Who reports how often. A local regulation on grasping the people's situation sets these;
# the defaults follow the common practice of monthly reports by the Front and the
# socio-political organizations and quarterly ones by hamlets and commissions.
REPORTING_BASIS = "Quy chế phối hợp nắm tình hình nhân dân của địa phương (mặc định, cần xác minh)"
REPORTING_RULES = [
    # organization type, frequency, due days after the period ends
    ("fatherland-front", "month", 5),
    ("womens-union", "month", 5),
    ("youth-union", "month", 5),
    ("farmers-association", "month", 5),
    ("veterans-association", "month", 5),
    ("trade-union", "month", 5),
    ("hamlet", "quarter", 10),
    ("mass-mobilization-commission", "quarter", 10),
]

SIGNAL_RULES = [
    # code, kind, measure, min level, min units, min increase, description
    (
        "rising-tense",
        "rising",
        "more_units",
        3,
        3,
        2,
        "Ít nhất 3 đơn vị báo “căng thẳng” và nhiều hơn kỳ trước ít nhất 2 đơn vị",
    ),
    (
        "rising-attention",
        "rising",
        "more_units",
        2,
        4,
        3,
        "Ít nhất 4 đơn vị báo từ “cần chú ý” trở lên và nhiều hơn kỳ trước ít nhất 3 đơn vị",
    ),
    (
        "rising-level-up",
        "rising",
        "level_up",
        2,
        3,
        0,
        "Ít nhất 3 đơn vị nâng mức lo ngại so với báo cáo kỳ trước của chính đơn vị",
    ),
    (
        "tense-several",
        "tense",
        "units_at_level",
        3,
        2,
        0,
        "Ít nhất 2 đơn vị báo “căng thẳng” cùng một chủ đề trong kỳ",
    ),
    (
        "tense-attention-many",
        "tense",
        "units_at_level",
        2,
        5,
        0,
        "Ít nhất 5 đơn vị báo từ “cần chú ý” trở lên cùng một chủ đề trong kỳ",
    ),
]

CAMPAIGN_TYPES = [
    # code, Vietnamese, English, revolving loan fund, what a household receives
    (
        "house-elimination",
        "Xóa nhà tạm, nhà dột nát",
        "Temporary-house elimination",
        False,
        "căn nhà",
    ),
    ("storm-relief", "Cứu trợ sau bão, lũ", "Storm relief", False, "suất hỗ trợ"),
    ("support-fund", "Quỹ hỗ trợ nông dân", "Farmers' Support Fund", True, "khoản vay"),
    ("gift-visits", "Thăm, tặng quà", "Gift visits", False, "suất quà"),
    ("other", "Khác", "Other", False, ""),
]


def load(apps, schema_editor=None):
    """Create or complete the defaults (used by the data migration)."""
    Topic = apps.get_model("situation", "Topic")
    ReportingRule = apps.get_model("situation", "ReportingRule")
    SignalRule = apps.get_model("situation", "SignalRule")
    CampaignType = apps.get_model("situation", "CampaignType")
    OrganizationType = apps.get_model("org", "OrganizationType")
    for order, (code, name, name_en, count, count_en, voices) in enumerate(TOPICS, start=1):
        Topic.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "count_label": count,
                "count_label_en": count_en,
                "voices_topic": voices,
                "sort_order": order * 10,
            },
        )
    for type_code, frequency, due in REPORTING_RULES:
        org_type = OrganizationType.objects.filter(code=type_code).first()
        if org_type is not None:
            ReportingRule.objects.update_or_create(
                org_type=org_type,
                defaults={"frequency": frequency, "due_days": due, "citation": REPORTING_BASIS},
            )
    for order, (code, kind, measure, level, units, rise, text) in enumerate(SIGNAL_RULES, 1):
        SignalRule.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "measure": measure,
                "min_level": level,
                "min_units": units,
                "min_increase": rise,
                "description": text,
                "sort_order": order * 10,
            },
        )
    for order, (code, name, name_en, fund, label) in enumerate(CAMPAIGN_TYPES, start=1):
        CampaignType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "is_loan_fund": fund,
                "unit_label": label,
                "sort_order": order * 10,
            },
        )
