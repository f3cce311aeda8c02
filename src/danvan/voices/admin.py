from django.contrib import admin

from danvan.audit.admin_mixins import AuditedAdminMixin
from danvan.core.rules import ImmutableRuleAdminMixin

from .models import DeadlineRule, ReceptionRule, Topic


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(ImmutableRuleAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Administrators keep the legal time limits current: add a rule with its effective
    date rather than editing one in force, so open matters keep the rule they started with."""

    list_display = [
        "kind",
        "step",
        "condition",
        "days",
        "day_count",
        "max_extensions",
        "extension_days",
        "citation",
        "effective_from",
        "effective_to",
    ]
    list_filter = ["kind", "step", "day_count"]
    search_fields = ["citation"]


@admin.register(ReceptionRule)
class ReceptionRuleAdmin(ImmutableRuleAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["head_role", "days", "per", "citation", "effective_from", "effective_to"]


@admin.register(Topic)
class TopicAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "sort_order"]
    list_editable = ["sort_order"]
