from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJobState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class ImportJob(models.Model):
    """A large checked import, written by the task worker rather than in the request
    (core/import_jobs.py); its owner follows it on its page."""

    kind = models.CharField(max_length=40)
    scope_id = models.PositiveIntegerField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    file_name = models.CharField(max_length=255)
    stored = models.CharField(max_length=64, help_text="File name under MEDIA_ROOT/imports/")
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    state = models.CharField(
        max_length=10, choices=ImportJobState.choices, default=ImportJobState.QUEUED
    )
    created = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.state in (ImportJobState.DONE, ImportJobState.FAILED)
