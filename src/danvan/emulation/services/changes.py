"""A registered model changes: its details, its state, its progress reports."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import require
from danvan.audit.log import record, snapshot
from danvan.core import versions
from danvan.core.errors import Conflict
from danvan.core.text import fold
from danvan.core.uploads import check_upload

from ..models import (
    CompletionRule,
    Evidence,
    FieldOfWork,
    ModelState,
    MovementModel,
    ProgressReport,
)
from .common import (
    EmulationError,
    _date,
    _text,
)

MODEL_EDITABLE = ["title", "target_group", "goals", "plan", "start_date", "end_date"]
# What an edit is checked against (core.versions): the editable fields and the field of work.
MODEL_VERSIONED = [*MODEL_EDITABLE, "field_id"]


@transaction.atomic
def update_model(
    *, actor, model: MovementModel, expected_version: str | None = None, **changes
) -> MovementModel:
    require(actor, "emulation.register", model)
    model = MovementModel.objects.select_for_update().get(pk=model.pk)
    versions.check(model, MODEL_VERSIONED, expected_version)
    unknown = set(changes) - set(MODEL_EDITABLE) - {"field_code"}
    if unknown:
        raise EmulationError(
            _("These fields cannot be changed here: %(f)s.") % {"f": ", ".join(sorted(unknown))}
        )
    before = snapshot(model)
    if "title" in changes:
        changes["title"] = _text(changes["title"], "title", max_length=300)
        # The rule of register_model: one title (folded) per registrant, year and level.
        if (
            MovementModel.objects.filter(
                registration=model.registration_id, search_name=fold(changes["title"])
            )
            .exclude(pk=model.pk)
            .exists()
        ):
            raise Conflict(_("This registrant already has a model with this title."), field="title")
    if "field_code" in changes:
        field = FieldOfWork.objects.filter(
            movement=model.movement_id, code=changes.pop("field_code")
        ).first()
        if field is None:
            raise EmulationError(_("Unknown field."), field="field")
        model.field = field
    for name, value in changes.items():
        # None clears a text to "" but a date to None ("" is not a date).
        if value is None and name not in ("start_date", "end_date"):
            value = ""
        setattr(model, name, value)
    if model.start_date and model.end_date and model.end_date < model.start_date:
        raise EmulationError(_("The end comes before the start."), field="end_date")
    model.save()
    record(
        actor=actor,
        action="emulation.update_model",
        obj=model,
        before=before,
        after=snapshot(model),
    )
    return model


TRANSITIONS = {
    ModelState.REGISTERED: {ModelState.IN_PROGRESS, ModelState.ABANDONED},
    ModelState.IN_PROGRESS: {ModelState.COMPLETED, ModelState.ABANDONED},
    ModelState.COMPLETED: set(),
    ModelState.ABANDONED: set(),
}


def completion_missing(model: MovementModel) -> str:
    """What still keeps a model from being completed under its movement's rule ("" when
    nothing does): progress at 100% in the latest report, and — unless the movement counts
    a model completed on its unit's word — an evaluation by the accepting level."""
    if model.state != ModelState.IN_PROGRESS:
        return _("Only a model in progress can be completed.")
    latest = model.progress_reports.order_by("-reported_on", "-pk").first()
    if latest is None or latest.percent < 100:
        return _("A model is completed when its latest progress report says 100%.")
    if model.movement.completion == CompletionRule.EVALUATED and model.score is None:
        return _(
            "This movement counts a model as completed only after the accepting level has "
            "evaluated it."
        )
    return ""


@transaction.atomic
def change_state(
    *, actor, model: MovementModel, state: str, reason: str = "", on: dt.date | None = None
) -> MovementModel:
    """registered → in progress → completed, or abandoned with a reason."""
    require(actor, "emulation.register", model)
    model = MovementModel.objects.select_for_update().get(pk=model.pk)
    if state not in ModelState.values:
        raise EmulationError(_("Unknown state: %(state)s.") % {"state": state}, field="state")
    if state not in TRANSITIONS[ModelState(model.state)]:
        raise EmulationError(
            _("A model that is %(current)s cannot become %(new)s.")
            % {"current": model.get_state_display(), "new": ModelState(state).label},
            field="state",
        )
    if state == ModelState.COMPLETED:
        missing = completion_missing(model)
        if missing:
            raise EmulationError(missing, field="state")
    before = snapshot(model, ["state", "state_changed_on", "abandon_reason"])
    if state == ModelState.ABANDONED:
        model.abandon_reason = _text(reason, "reason", max_length=2000)
    model.state = state
    model.state_changed_on = on or timezone.localdate()
    model.save(update_fields=["state", "state_changed_on", "abandon_reason"])
    record(
        actor=actor,
        action="emulation.change_state",
        obj=model,
        before=before,
        after=snapshot(model, ["state", "state_changed_on", "abandon_reason"]),
    )
    return model


def _check_evidence(upload: UploadedFile) -> tuple[str, str]:
    return check_upload(upload, field="files", error=EmulationError)


@transaction.atomic
def report_progress(
    *,
    actor,
    model: MovementModel,
    reported_on: dt.date,
    percent: int,
    narrative: str,
    files: list[UploadedFile] | None = None,
) -> ProgressReport:
    require(actor, "emulation.register", model)
    # The state as it is now, locked: a model closed meanwhile takes no more progress.
    model = MovementModel.objects.select_for_update().get(pk=model.pk)
    if model.state in (ModelState.COMPLETED, ModelState.ABANDONED):
        raise EmulationError(
            _("The model is closed; no more progress can be reported."), field="state"
        )
    try:
        percent = int(percent)
    except (TypeError, ValueError) as exc:
        raise EmulationError(_("Enter a whole number from 0 to 100."), field="percent") from exc
    if not 0 <= percent <= 100:
        raise EmulationError(_("Enter a whole number from 0 to 100."), field="percent")
    reported_on = _date(reported_on, "reported_on")
    checked = [(upload, *_check_evidence(upload)) for upload in files or []]
    report = ProgressReport.objects.create(
        model=model,
        reported_on=reported_on,
        percent=percent,
        narrative=_text(narrative, "narrative", max_length=5000),
        created_by=actor,
    )
    for upload, name, content_type in checked:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        evidence = Evidence(
            report=report,
            original_name=name,
            content_type=content_type,
            size=upload.size,
            sha256=digest.hexdigest(),
        )
        evidence.file.save(name, upload, save=False)
        evidence.save()
    if model.state == ModelState.REGISTERED:
        model.state, model.state_changed_on = ModelState.IN_PROGRESS, reported_on
        model.save(update_fields=["state", "state_changed_on"])
    record(
        actor=actor,
        action="emulation.report_progress",
        obj=model,
        changes={"percent": [None, percent], "files": [None, [name for _u, name, _t in checked]]},
    )
    return report
