from django.contrib import admin

from danvan.audit.admin_mixins import AuditedAdminMixin

from .models import Area, CalendarDay, Organization, OrganizationType, Period


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    """Areas come from the official data (`load_areas`); operators look, they do not type them."""

    list_display = ["code", "name", "kind", "level", "structure", "valid_from", "valid_to"]
    list_filter = ["structure", "level", "kind"]
    search_fields = ["code", "name", "search_name"]
    readonly_fields = ["path", "depth", "numchild", "search_name", "predecessors"]
    fields = [
        "structure",
        "level",
        "code",
        "name",
        "kind",
        "codename",
        "valid_from",
        "valid_to",
        *readonly_fields,
    ]
    ordering = ["path"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrganizationType)
class OrganizationTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "document_format", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Organization)
class OrganizationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Corrections by operators. New units and moves go through the app, which keeps the tree."""

    list_display = ["name", "code", "type", "area", "is_active"]
    list_filter = ["type", "is_active"]
    search_fields = ["code", "name", "search_name"]
    list_select_related = ["type", "area"]
    raw_id_fields = ["area"]
    readonly_fields = ["path", "depth", "numchild", "search_name"]
    fields = [
        "code",
        "name",
        "short_name",
        "type",
        "area",
        "is_active",
        "valid_from",
        "valid_to",
        *readonly_fields,
    ]
    ordering = ["path"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Period)
class PeriodAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "start", "end", "body"]
    list_filter = ["kind", "body"]


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Days off and swapped working days announced after the `holidays` package's data."""

    list_display = ["day", "kind", "reason", "citation"]
    list_filter = ["kind"]
    date_hierarchy = "day"
