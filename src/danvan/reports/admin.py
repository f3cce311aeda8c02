from django.contrib import admin

from danvan.audit.admin_mixins import AuditedAdminMixin

from .models import FormatSpec, PeriodReport


@admin.register(FormatSpec)
class FormatSpecAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Operators keep the document formats current (header lines, number pattern, margins,
    font) when the Party's guidance or the decree changes; no code change needed."""

    list_display = ["document_format", "national_line", "number_pattern", "citation"]


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
