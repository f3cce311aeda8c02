"""Operators keep the situation app's rules current: topics, who reports how often, the
signal thresholds and campaign types. Records of units (reports, campaigns, households) are
changed through the pages and the API only, so they stay scoped and audited."""

from django.contrib import admin

from danvan.audit.admin_mixins import AuditedAdminMixin

from .models import CampaignType, ReportingRule, SignalRule, Topic


@admin.register(Topic)
class TopicAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "name_en",
        "count_label",
        "voices_topic",
        "sort_order",
        "is_active",
    ]
    list_editable = ["sort_order", "is_active"]


@admin.register(ReportingRule)
class ReportingRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["org_type", "frequency", "due_days", "is_active", "citation"]
    list_editable = ["frequency", "due_days", "is_active"]


@admin.register(SignalRule)
class SignalRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "code", "kind", "measure", "min_level", "min_units", "min_increase", "sort_order",
        "is_active",
    ]  # fmt: skip
    list_editable = ["min_level", "min_units", "min_increase", "sort_order", "is_active"]


@admin.register(CampaignType)
class CampaignTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "is_loan_fund", "sort_order"]
