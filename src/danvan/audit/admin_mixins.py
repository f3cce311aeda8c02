from django.db import transaction

from .log import record, snapshot


class AuditedAdminMixin:
    """Operators' edits in the admin land in the audit log like any service write."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            action = f"{obj._meta.label_lower}.admin_{'change' if change else 'add'}"
            record(actor=request.user, action=action, obj=obj, before=before, after=snapshot(obj))

    def delete_model(self, request, obj):
        before = snapshot(obj)
        with transaction.atomic():
            record(
                actor=request.user,
                action=f"{obj._meta.label_lower}.admin_delete",
                obj=obj,
                before=before,
                after={},
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
