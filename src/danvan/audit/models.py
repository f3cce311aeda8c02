"""The append-only, hash-chained audit log.

Each event stores the seal of the one before it; `AuditHead` holds the seal of the last
event, so a changed, deleted or truncated chain no longer verifies. Seals are keyed with a
key kept outside the database, and checkpoints of the head are appended to a file outside
it (audit.checkpoints), so a history rewritten and re-sealed is caught too.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.fields import PathField
from danvan.core.tree import ScopeSpec


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    actor_repr = models.CharField(_("actor name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    # Where the object sits in the organization tree when the event was written, so
    # holders of `audit.view` read the log of their subtree (accounts.scope).
    org_path = PathField(max_length=255, blank=True, db_index=True)
    # ... and in the area tree, so holders of an area grant read it too.
    area_path = PathField(max_length=255, blank=True, db_index=True)
    prev_hash = models.CharField(max_length=64)
    # HMAC-SHA256 seal (audit.log.seal) under the key named by key_id.
    hash = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(max_length=16, blank=True)

    scope = ScopeSpec(org="org_path", area="area_path")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not kwargs.pop("_append", False):
            raise AuditLogIsAppendOnly("Audit events are written only by danvan.audit.log.record")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Audit events cannot be deleted")


class AuditHead(models.Model):
    """One row: the last event's id and hash. Also the lock that serializes appends."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.count} events, last {self.last_id}"
