"""Legal rules as data are never edited once they apply.

A rule row (a time limit, a threshold, a reception rule) takes effect on `effective_from`.
From that day, or once any record has used it, its values are law as applied: changing
them would silently move the clocks and results already computed from them. A change of
the law is a new row with the date it takes effect; the old row stays as it was.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import Conflict


class RuleInForce(Conflict):
    def __init__(self):
        super().__init__(
            _(
                "This rule is in force or already used, so it is never changed: add a new "
                "rule with the date it takes effect."
            ),
            field="effective_from",
        )


class ImmutableOnceInForce:
    """For rule models with `effective_from`. `used()` says whether records rely on the row
    (override where records point to their rule)."""

    def used(self) -> bool:
        return False

    def locked(self) -> bool:
        if self.pk is None:
            return False
        stored = type(self)._default_manager.filter(pk=self.pk).values("effective_from").first()
        if stored is None:
            return False
        return stored["effective_from"] <= timezone.localdate() or self.used()

    def _changed_fields(self) -> list[str]:
        """Fields changed since stored; closing the rule (an end date where there was none,
        when its successor is added) is the one change allowed."""
        stored = type(self)._default_manager.get(pk=self.pk)
        return [
            f.attname
            for f in self._meta.concrete_fields
            if getattr(stored, f.attname) != getattr(self, f.attname)
            and not (f.attname == "effective_to" and getattr(stored, f.attname) is None)
        ]

    def save(self, *args, **kwargs):
        if self.locked() and self._changed_fields():
            raise RuleInForce()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.locked():
            raise RuleInForce()
        return super().delete(*args, **kwargs)


class ImmutableRuleAdminMixin:
    """The admin shows a rule in force read-only and offers no delete for it."""

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.locked():
            return [f.name for f in obj._meta.concrete_fields]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.locked():
            return False
        return super().has_delete_permission(request, obj)
