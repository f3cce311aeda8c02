"""Evaluation, recognition, commendation, replication and adoption of models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import granted_at, require
from danvan.audit.log import record, snapshot
from danvan.core.errors import Conflict
from danvan.org.models import Area, Organization

from ..models import (
    Adoption,
    Commendation,
    Criterion,
    MovementModel,
    Score,
)
from .common import (
    EmulationError,
    NotAllowedHere,
    _criterion_key,
    _date,
    _decimal,
    _text,
    plain,
)
from .movements import level_by_code

# Evaluation, recognition, commendation, replication ------------------------------------


def _at_accepting_level(actor, model: MovementModel) -> bool:
    """The evaluator holds `emulation.evaluate` on a unit of the model's level that covers it:
    a commune-level model is evaluated by the commune, a district-level one by the district."""
    if actor.is_superuser:
        return True
    level = model.level
    for org_path, area_path in granted_at(actor, "emulation.evaluate", model):
        if org_path:
            org = Organization.objects.select_related("area").filter(path=org_path).first()
            if org is None:
                continue
            if level.area_level and org.area.level == level.area_level:
                return True
            if not level.area_level and model.movement.organizer.path.startswith(org.path):
                return True
        elif area_path and level.area_level:
            area = Area.objects.filter(path=area_path).first()
            if area is not None and area.level == level.area_level:
                return True
    return False


def require_accepting_level(actor, model: MovementModel) -> None:
    require(actor, "emulation.evaluate", model)
    if not _at_accepting_level(actor, model):
        raise NotAllowedHere(
            _("Only the accepting level (%(level)s) evaluates this model.")
            % {"level": model.level.name},
            field="evaluator",
            code="wrong_level",
        )


def combined_score(model: MovementModel) -> Decimal | None:
    """Each criterion's mean over evaluators, as a share of its maximum, weighted; 0–100."""
    rows = (
        Score.objects.filter(model=model)
        .values("criterion_id", "criterion__weight", "criterion__max_score")
        .annotate(mean=Avg("value"))
    )
    total_weight = sum((row["criterion__weight"] for row in rows), Decimal(0))
    if not total_weight:
        return None
    weighted = sum(
        (
            Decimal(row["mean"]) / row["criterion__max_score"] * row["criterion__weight"]
            for row in rows
        ),
        Decimal(0),
    )
    return (weighted / total_weight * 100).quantize(Decimal("0.01"))


def checked_scores(criteria: dict, scores: dict) -> list[tuple]:
    """(criterion, value) pairs, each value a number between 0 and the criterion's maximum;
    all are checked before anything is written."""
    checked = []
    for criterion_id, raw in scores.items():
        criterion = criteria.get(_criterion_key(criterion_id))
        if criterion is None:
            raise EmulationError(
                _("Unknown criterion: %(id)s.") % {"id": criterion_id}, field="scores"
            )
        value = _decimal(raw, f"scores.{criterion_id}")
        if not 0 <= value <= criterion.max_score:
            raise EmulationError(
                _("The score for “%(name)s” must be between 0 and %(max)s.")
                % {"name": criterion.name, "max": plain(criterion.max_score)},
                field=f"scores.{criterion_id}",
            )
        checked.append((criterion, value))
    return checked


@transaction.atomic
def score_model(*, actor, model: MovementModel, scores: dict[int, object]) -> MovementModel:
    """The evaluator's scores on some or all criteria; the model's combined score follows."""
    require_accepting_level(actor, model)
    if not scores:
        raise EmulationError(_("Give at least one score."), field="scores")
    criteria = {c.pk: c for c in Criterion.objects.filter(movement=model.movement_id)}
    before = {"score": str(model.score) if model.score is not None else None}
    for criterion, value in checked_scores(criteria, scores):
        Score.objects.update_or_create(
            model=model,
            criterion=criterion,
            evaluator=actor,
            defaults={"value": value, "scored_at": timezone.now()},
        )
    model.score = combined_score(model)
    model.save(update_fields=["score"])
    record(
        actor=actor,
        action="emulation.score_model",
        obj=model,
        changes={
            "score": [before["score"], str(model.score)],
            "criteria": [None, sorted(int(k) for k in scores)],
        },
    )
    return model


@transaction.atomic
def recognize_model(
    *, actor, model: MovementModel, level_code: str, on: dt.date | None = None
) -> MovementModel:
    require_accepting_level(actor, model)
    level = level_by_code(model.movement, level_code)
    before = snapshot(model, ["recognized_level_id", "recognized_on"])
    model.recognized_level, model.recognized_on = level, on or timezone.localdate()
    model.save(update_fields=["recognized_level", "recognized_on"])
    record(
        actor=actor,
        action="emulation.recognize_model",
        obj=model,
        before=before,
        after=snapshot(model, ["recognized_level_id", "recognized_on"]),
    )
    return model


@transaction.atomic
def commend_model(
    *,
    actor,
    model: MovementModel,
    form: str,
    issuing_body: str,
    decision_number: str,
    decision_date: dt.date,
) -> Commendation:
    require_accepting_level(actor, model)
    decision_date = _date(decision_date, "decision_date")
    commendation = Commendation.objects.create(
        model=model,
        form=_text(form, "form", max_length=200),
        issuing_body=_text(issuing_body, "issuing_body", max_length=300),
        decision_number=_text(decision_number, "decision_number", max_length=100),
        decision_date=decision_date,
    )
    record(actor=actor, action="emulation.commend_model", obj=model, after=snapshot(commendation))
    return commendation


@transaction.atomic
def mark_for_replication(*, actor, model: MovementModel, replicate: bool = True) -> MovementModel:
    require_accepting_level(actor, model)
    before = {"for_replication": model.for_replication}
    model.for_replication = bool(replicate)
    model.save(update_fields=["for_replication"])
    record(
        actor=actor,
        action="emulation.mark_for_replication",
        obj=model,
        before=before,
        after={"for_replication": model.for_replication},
    )
    return model


@transaction.atomic
def adopt_model(
    *, actor, model: MovementModel, unit: Organization, started_on: dt.date, notes: str = ""
) -> Adoption:
    """Another unit takes up a model marked for replication."""
    require(actor, "emulation.register", unit)
    model = MovementModel.objects.select_for_update().get(pk=model.pk)
    if not model.for_replication:
        raise EmulationError(_("This model is not marked for replication."), field="model")
    if unit.pk == model.unit_id:
        raise EmulationError(_("A unit cannot adopt its own model."), field="unit")
    started_on = _date(started_on, "started_on")
    try:
        with transaction.atomic():
            adoption = Adoption.objects.create(
                model=model, unit=unit, started_on=started_on, notes=notes or ""
            )
    except IntegrityError as exc:
        raise Conflict(_("This unit has already adopted this model."), field="unit") from exc
    record(actor=actor, action="emulation.adopt_model", obj=adoption, after=snapshot(adoption))
    return adoption


@transaction.atomic
def report_adoption(
    *, actor, adoption: Adoption, percent: int, notes: str | None = None
) -> Adoption:
    require(actor, "emulation.register", adoption)
    try:
        percent = int(percent)
    except (TypeError, ValueError) as exc:
        raise EmulationError(_("Enter a whole number from 0 to 100."), field="percent") from exc
    if not 0 <= percent <= 100:
        raise EmulationError(_("Enter a whole number from 0 to 100."), field="percent")
    before = snapshot(adoption, ["percent", "notes"])
    adoption.percent = int(percent)
    if notes is not None:
        adoption.notes = notes
    adoption.save(update_fields=["percent", "notes"])
    record(
        actor=actor,
        action="emulation.report_adoption",
        obj=adoption,
        before=before,
        after=snapshot(adoption, ["percent", "notes"]),
    )
    return adoption
