"""What every voices service shares: the error, the matter's audited fields, input checks,
and a timeline event with its documents."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError, clean_text
from danvan.core.uploads import check_upload, sha256_of

from ..models import (
    Matter,
    MatterDocument,
    MatterEvent,
)


class VoicesError(DomainError):
    pass


MATTER_FIELDS = [
    "state", "kind", "complicated", "especially_complicated", "remote_area", "several_places", "accepted_on", "intake_due_on",
    "settle_due_on", "extensions", "decision_number", "decision_date", "result", "closed_on",
    "forwarded_to_id", "handler_id",
]  # fmt: skip


def _text(value, field: str, *, max_length: int, required: bool = True) -> str:
    # Short fields are folded to one line; long ones (contents, notes) keep their lines.
    return clean_text(
        value, field, max_length=max_length, required=required,
        multiline=max_length > 300, error=VoicesError,
    )  # fmt: skip


def _date(value, field: str, *, today: dt.date | None = None) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise VoicesError(_("Enter a valid date."), field=field) from exc
    if not isinstance(value, dt.date):
        raise VoicesError(_("Enter a valid date."), field=field)
    if value > (today or timezone.localdate()):
        raise VoicesError(_("The date cannot be in the future."), field=field)
    return value


def _event(
    actor, matter: Matter, step: str, on: dt.date, note: str = "", files=None
) -> MatterEvent:
    event = MatterEvent.objects.create(
        matter=matter, step=step, on=on, note=note or "", actor=actor
    )
    for upload, name, content_type in files or []:
        document = MatterDocument(
            event=event,
            original_name=name,
            content_type=content_type,
            size=upload.size,
            sha256=sha256_of(upload),
        )
        document.file.save(name, upload, save=False)
        document.save()
    return event


def _checked_files(files: list[UploadedFile] | None):
    return [
        (upload, *check_upload(upload, field="files", error=VoicesError)) for upload in files or []
    ]
