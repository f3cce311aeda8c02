from django.contrib import admin

from danvan.audit.admin_mixins import AuditedAdminMixin
from danvan.core.rules import ImmutableRuleAdminMixin

from .models import DisclosureCategory, DisclosureRule, MatterType, ThresholdRule


@admin.register(DisclosureCategory)
class DisclosureCategoryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "sort_order"]
    list_editable = ["sort_order"]


@admin.register(DisclosureRule)
class DisclosureRuleAdmin(ImmutableRuleAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Add a rule with its effective date rather than editing one in force: items keep the
    rule of their decision date."""

    list_display = [
        "category", "publish_within", "day_count", "min_posting_days", "citation",
        "effective_from", "effective_to",
    ]  # fmt: skip
    list_filter = ["day_count"]
    search_fields = ["citation"]


@admin.register(MatterType)
class MatterTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "mode", "sort_order"]
    list_editable = ["sort_order"]


@admin.register(ThresholdRule)
class ThresholdRuleAdmin(ImmutableRuleAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """The database refuses a percent outside 0–100; matters keep the rule they opened with."""

    list_display = [
        "matter_type",
        "percent",
        "strict",
        "citation",
        "effective_from",
        "effective_to",
    ]
    search_fields = ["citation"]
