from django.contrib import admin

from danvan.audit.admin_mixins import AuditedAdminMixin
from danvan.core.rules import ImmutableRuleAdminMixin

from .models import CutOffRule, FormatSpec, PeriodReport


@admin.register(FormatSpec)
class FormatSpecAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Operators keep the document formats current (header lines, number pattern, margins,
    font) when the Party's guidance or the decree changes; no code change needed."""

    list_display = ["document_format", "national_line", "number_pattern", "citation"]


@admin.register(CutOffRule)
class CutOffRuleAdmin(ImmutableRuleAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """A type of organization's data cut-off (a Party body's guidance, say): added with the
    date it takes effect; a rule in force is never edited."""

    list_display = ["org_type", "start_day", "citation", "effective_from", "effective_to"]


@admin.register(PeriodReport)
class PeriodReportAdmin(admin.ModelAdmin):
    """Read-only: reports change through their pages, which check and audit every step."""

    list_display = ["unit", "kind", "year", "index", "number", "state", "job_state"]
    list_filter = ["kind", "state", "document_format"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
