"""Reads of the movement: scoped lists and the dashboard roll-ups.

Counting rules (stated once, used everywhere):
- A registrant is a collective (one organization) or an individual (same name and position
  in the same unit). At each level a registrant counts once, however many models it
  registered there; across levels ("total") it counts once too, so a registrant present at
  two levels adds one to each level and one to the total.
- A model counts at the level it was registered at. "Completed" means its state is
  completed on the date asked about (state_changed_on on or before it).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from danvan.accounts.scope import visible
from danvan.core.collation import Vietnamese, sort_key
from danvan.core.errors import NotFound
from danvan.core.text import search_q
from danvan.core.tree import under
from danvan.org.models import Organization

from .models import (
    Adoption,
    Commendation,
    ModelState,
    Movement,
    MovementModel,
    RegistrantKind,
    Registration,
)


def movements(user) -> QuerySet:
    return visible(user, Movement.objects.select_related("organizer")).order_by(
        "-start_year", Vietnamese("name")
    )


def get_movement(user, movement_id: int, *, field: str = "movement") -> Movement:
    found = movements(user).filter(pk=movement_id).first()
    if found is None:
        raise NotFound(_("Unknown movement: %(id)s.") % {"id": movement_id}, field=field)
    return found


def models(
    user,
    *,
    movement: Movement | None = None,
    year: int | None = None,
    unit: Organization | None = None,
    level: str | None = None,
    field: str | None = None,
    state: str | None = None,
    q: str | None = None,
    for_replication: bool | None = None,
    include_replicable: bool = False,
) -> QuerySet:
    base = MovementModel.objects.select_related(
        "unit", "level", "field", "registration", "movement"
    )
    qs = visible(user, base)
    if for_replication or include_replicable:
        # Models marked for replication are shown to every unit the movement reaches, so
        # that others can adopt them; figures (dashboards) never include them.
        qs = qs | base.filter(
            for_replication=True, movement__in=visible(user, Movement.objects.all())
        )
    if movement is not None:
        qs = qs.filter(movement=movement)
    if year:
        qs = qs.filter(year=year)
    if unit is not None:
        qs = qs.filter(under(unit.path, "unit__path"))
    if level:
        qs = qs.filter(level__code=level)
    if field:
        qs = qs.filter(field__code=field)
    if state:
        qs = qs.filter(state=state)
    if for_replication is not None:
        qs = qs.filter(for_replication=for_replication)
    if q:
        qs = qs.search(q)
    return qs.order_by("-year", "unit__path", Vietnamese("title"))


def get_model(user, model_id: int, *, field: str = "model") -> MovementModel:
    found = models(user, include_replicable=True).filter(pk=model_id).first()
    if found is None:
        raise NotFound(_("Unknown model: %(id)s.") % {"id": model_id}, field=field)
    return found


def _registrant_counts(registrations: QuerySet) -> dict:
    collectives = registrations.filter(kind=RegistrantKind.COLLECTIVE)
    individuals = registrations.filter(kind=RegistrantKind.INDIVIDUAL)
    return {
        "collectives": collectives.values("unit_id").distinct().count(),
        "individuals": individuals.values("unit_id", "person_key").distinct().count(),
    }


def _completed_q(as_of: dt.date | None) -> Q:
    q = Q(state=ModelState.COMPLETED)
    if as_of is not None:
        q &= Q(state_changed_on__lte=as_of)
    return q


def dashboard(
    user,
    *,
    movement: Movement,
    year: int,
    unit: Organization | None = None,
    as_of: dt.date | None = None,
) -> dict:
    """The movement's figures for a subtree and year, per the counting rules above."""
    scoped = models(user, movement=movement, year=year, unit=unit)
    model_ids = scoped.values("pk")
    registrations = Registration.objects.filter(models__in=model_ids).distinct()
    completed_q = _completed_q(as_of)

    total = scoped.count()
    completed = scoped.filter(completed_q).count()
    by_level = []
    for level in movement.levels.order_by("-rank"):
        level_models = scoped.filter(level=level)
        n = level_models.count()
        if not n:
            continue
        by_level.append(
            {
                "level": level,
                "models": n,
                "completed": level_models.filter(completed_q).count(),
                **_registrant_counts(
                    Registration.objects.filter(models__in=level_models.values("pk")).distinct()
                ),
            }
        )
    by_field = list(
        scoped.values("field__code", "field__name")
        .annotate(n=Count("id"), done=Count("id", filter=completed_q))
        .order_by(Vietnamese("field__name"))
    )
    by_state = dict(scoped.values_list("state").annotate(n=Count("id")).order_by())
    previous = models(user, movement=movement, year=year - 1, unit=unit)
    return {
        "movement": movement,
        "year": year,
        "unit": unit,
        "as_of": as_of,
        "models": total,
        "completed": completed,
        "percent_completed": round(100 * completed / total, 1) if total else None,
        **_registrant_counts(registrations),
        "by_level": by_level,
        "by_field": by_field,
        "by_state": [
            {"state": s, "label": s.label, "n": by_state.get(s.value, 0)} for s in ModelState
        ],
        "by_unit": by_unit(user, movement=movement, year=year, unit=unit, as_of=as_of),
        "commended": scoped.filter(commendations__isnull=False).distinct().count(),
        "commendations": Commendation.objects.filter(model__in=model_ids).count(),
        "for_replication": scoped.filter(for_replication=True).count(),
        "adoptions": Adoption.objects.filter(model__in=model_ids).count(),
        "by_label": list(
            scoped.filter(labels__isnull=False)
            .values("labels__name")
            .annotate(n=Count("id"))
            .order_by("-n")
        ),
        "previous": {
            "year": year - 1,
            "models": previous.count(),
            "completed": previous.filter(_completed_q(None)).count(),
        },
    }


def by_unit(
    user, *, movement: Movement, year: int, unit: Organization | None, as_of: dt.date | None = None
) -> list[dict]:
    """One row per unit directly under `unit` (or per top-level unit), counting its whole
    subtree, in one grouped query: the sibling comparison. The unit's own models form a row
    of their own."""
    depth = (unit.depth + 1) if unit is not None else 1
    prefix = Substr("unit__path", 1, depth * Organization.steplen)
    grouped = (
        models(user, movement=movement, year=year, unit=unit)
        .order_by()
        .annotate(prefix=prefix)
        .values("prefix")
        .annotate(n=Count("id"), done=Count("id", filter=_completed_q(as_of)))
    )
    figures = {row["prefix"]: row for row in grouped}
    units = {org.path: org for org in Organization.objects.filter(path__in=list(figures))}
    rows = [
        {
            "unit": units[path],
            "models": row["n"],
            "completed": row["done"],
            "percent_completed": round(100 * row["done"] / row["n"], 1),
        }
        for path, row in figures.items()
        if path in units
    ]
    rows.sort(key=lambda row: (-row["models"], sort_key(row["unit"].name)))
    return rows


def spread(model: MovementModel) -> list[Adoption]:
    """Where a replicated model has spread."""
    return list(model.adoptions.select_related("unit__area").order_by("started_on", "pk"))


# Lists and single rows the API reads ------------------------------------------------------


def movement_list(
    user,
    *,
    q: str | None = None,
    year: int | None = None,
    organizer: Organization | None = None,
) -> QuerySet:
    """Movements the user runs or takes part in, filtered."""
    qs = movements(user)
    if q:
        qs = qs.filter(search_q(q))
    if year:
        qs = qs.filter(start_year__lte=year).filter(
            Q(end_year__isnull=True) | Q(end_year__gte=year)
        )
    if organizer is not None:
        qs = qs.filter(under(organizer.path, "organizer__path"))
    return qs


def contests(
    user,
    *,
    year: int | None = None,
    kind: str | None = None,
    movement: Movement | None = None,
    q: str | None = None,
) -> QuerySet:
    """Contests the user runs or takes part in (cascading scope), or judges a round of."""
    from .models import Contest, Judge

    qs = Contest.objects.select_related("organizer", "movement")
    judged = (
        Judge.objects.filter(user=user).values("round__contest_id") if user.is_authenticated else []
    )
    qs = qs.filter(Q(pk__in=visible(user, Contest.objects.all()).values("pk")) | Q(pk__in=judged))
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if movement is not None:
        qs = qs.filter(movement=movement)
    if q:
        qs = qs.filter(search_q(q))
    return qs.order_by("-year", Vietnamese("name"))


def get_contest(user, contest_id: int, *, field: str = "contest"):
    found = contests(user).filter(pk=contest_id).first()
    if found is None:
        raise NotFound(_("Unknown contest: %(id)s.") % {"id": contest_id}, field=field)
    return found


def contest_entries(user, contest) -> QuerySet:
    from .models import Entry

    return visible(user, Entry.objects.filter(contest=contest).select_related("unit")).order_by(
        "-submitted_on", "pk"
    )


def contest_coverage(user, contest) -> dict:
    """The coverage of an entries contest, for those who see its organizer."""
    from .services.contests import coverage

    if not visible(user, Organization.objects.filter(pk=contest.organizer_id)).exists():
        raise NotFound(_("Not found."))
    return coverage(contest)


def get_adoption(user, adoption_id: int, *, field: str = "adoption") -> Adoption:
    found = (
        visible(user, Adoption.objects.select_related("unit", "model"))
        .filter(pk=adoption_id)
        .first()
    )
    if found is None:
        raise NotFound(_("Not found."), field=field)
    return found


def get_evidence(user, evidence_id: int):
    """A file of a progress report, if the user may see the model it documents."""
    from .models import Evidence

    evidence = Evidence.objects.select_related("report").filter(pk=evidence_id).first()
    if evidence is None or not models(user).filter(pk=evidence.report.model_id).exists():
        raise NotFound(_("Not found."))
    return evidence


def score_summary(model: MovementModel) -> list[dict]:
    """Per criterion of the movement: weight, maximum, mean over evaluators, how many scored."""
    from django.db.models import Avg

    from .models import Criterion

    rows = {
        row["criterion_id"]: row
        for row in model.scores.values("criterion_id").annotate(mean=Avg("value"), n=Count("id"))
    }
    return [
        {
            "criterion_id": c.pk,
            "name": c.name,
            "weight": c.weight,
            "max_score": c.max_score,
            "mean": rows[c.pk]["mean"] if c.pk in rows else None,
            "evaluators": rows[c.pk]["n"] if c.pk in rows else 0,
        }
        for c in Criterion.objects.filter(movement=model.movement_id)
    ]
