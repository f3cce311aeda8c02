from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.audit.admin_mixins import AuditedAdminMixin

from .models import ApiToken, Grant, Role, User


class GrantInline(admin.TabularInline):
    model = Grant
    fk_name = "user"
    extra = 0
    raw_id_fields = ["organization", "area"]
    readonly_fields = ["granted_by", "created_at"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("danvan"), {"fields": ("position", "language")}))
    list_display = ["username", "last_name", "first_name", "position", "is_active", "is_superuser"]
    inlines = [GrantInline]


@admin.register(Role)
class RoleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "actions"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Grant)
class GrantAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "organization", "area", "granted_by", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "organization__name", "area__name"]
    raw_id_fields = ["user", "organization", "area"]
    readonly_fields = ["granted_by", "created_at"]
    list_select_related = ["user", "role", "organization", "area", "granted_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Tokens are created by their owners (the raw value is shown once); operators can revoke."""

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["user", "name", "prefix", "key_hash", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoked_at = timezone.now()
            self.save_model(request, token, None, change=True)
