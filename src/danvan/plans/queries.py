"""Reads of the plans app: scoped lists, the "who has not done it" matrix, overdue and
at-risk tasks over a subtree, and the roll-ups behind the dashboard panel.

Counting rules (stated once):
- A unit's subtree is its organization subtree: one indexed range on Task.owner_path.
- Figures about tasks count work items: tasks that are not cascaded. A cascaded task counts
  through its units' tasks, never again itself (its own roll-up is shown on its page).
- A task belongs to a period when its deadline falls in it. Done = state done; overdue and
  at risk follow rules.py, judged today.
- A document's action is outstanding for an addressee until the addressee records it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import visible
from danvan.core.errors import NotFound
from danvan.core.tree import under
from danvan.org.models import Organization

from . import rules
from .models import (
    OPEN_STATES,
    Completion,
    Conference,
    CoordinationProgramme,
    Document,
    KeyTask,
    Recipient,
    RequiredAction,
    Task,
    TaskState,
    WorkProgramme,
)

STATUSES = ("overdue", "at_risk", "open", "done", "cancelled")


def today() -> dt.date:
    return timezone.localdate()


def overdue_q(day: dt.date | None = None) -> Q:
    return Q(state__in=OPEN_STATES, deadline__lt=day or today())


def at_risk_q(day: dt.date | None = None) -> Q:
    day = day or today()
    first, last = rules.at_risk_window(day)
    return Q(state__in=OPEN_STATES, deadline__gte=first, deadline__lte=last, on_pace_until__lt=day)


def status_q(status: str, day: dt.date | None = None) -> Q:
    if status == "overdue":
        return overdue_q(day)
    if status == "at_risk":
        return at_risk_q(day)
    if status == "open":
        return Q(state__in=OPEN_STATES)
    if status == "done":
        return Q(state=TaskState.DONE)
    if status == "cancelled":
        return Q(state=TaskState.CANCELLED)
    return Q()


# Documents ------------------------------------------------------------------------------------


def documents(
    user,
    *,
    unit: Organization | None = None,
    kind: str | None = None,
    year: int | None = None,
    q: str | None = None,
) -> QuerySet:
    """Documents the user may see; with `unit`, those issued in its subtree or addressed to
    a unit in it."""
    qs = visible(user, Document.objects.select_related("issuer")).annotate(
        n_recipients=Count("recipient_rows", distinct=True),
        n_actions=Count("actions", distinct=True),
    )
    if unit is not None:
        addressed = Recipient.objects.filter(under(unit.path, "unit__path")).values("document_id")
        qs = qs.filter(Q(under(unit.path, "issuer__path")) | Q(pk__in=addressed))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(issued_on__year=year)
    if q:
        qs = qs.search(q)
    return qs.order_by("-issued_on", "-pk")


def get_document(user, document_id: int, *, field: str = "document") -> Document:
    found = (
        visible(user, Document.objects.select_related("issuer__area"))
        .filter(pk=document_id)
        .first()
    )
    if found is None:
        raise NotFound(_("Unknown document: %(id)s.") % {"id": document_id}, field=field)
    return found


def get_action(user, action_id: int, *, field: str = "action") -> RequiredAction:
    found = RequiredAction.objects.select_related("document__issuer").filter(pk=action_id).first()
    if found is None or not visible(user, Document.objects.filter(pk=found.document_id)).exists():
        raise NotFound(_("Not found."), field=field)
    return found


def get_completion(user, completion_id: int, *, field: str = "completion") -> Completion:
    """A unit's completion, for those who see the unit or the document's issuer: the rule of
    the document's matrix, where addressees see only their own rows."""
    found = Completion.objects.select_related("action__document").filter(pk=completion_id).first()
    if found is None or not (
        visible(user, Completion.objects.filter(pk=found.pk)).exists()
        or visible(user, Organization.objects.filter(pk=found.action.document.issuer_id)).exists()
    ):
        raise NotFound(_("Not found."), field=field)
    return found


@dataclass
class MatrixRow:
    unit: Organization
    cells: list  # one Completion or None per action


def matrix(document: Document, *, unit: Organization | None = None) -> dict:
    """Per addressed unit (optionally only those under `unit`) and required action: the
    completion, or None when the unit has not done it. Three queries whatever the size."""
    actions = list(document.actions.order_by("due_on", "pk"))
    recipients = Recipient.objects.filter(document=document).select_related("unit")
    if unit is not None:
        recipients = recipients.filter(under(unit.path, "unit__path"))
    units = [r.unit for r in recipients.order_by("unit__path")]
    done = {
        (c.action_id, c.unit_id): c
        for c in Completion.objects.filter(
            action__document=document, unit__in=[u.pk for u in units]
        )
    }
    rows = [MatrixRow(u, [done.get((a.pk, u.pk)) for a in actions]) for u in units]
    summary = [
        {
            "action": a,
            "done": sum(1 for r in rows if r.cells[i] is not None),
            "not_done": [r.unit for r in rows if r.cells[i] is None],
        }
        for i, a in enumerate(actions)
    ]
    return {"actions": actions, "rows": rows, "summary": summary, "units": units}


def not_done(action: RequiredAction) -> QuerySet:
    """The addressed units that have not recorded `action`, by path."""
    done = Completion.objects.filter(action=action, unit=OuterRef("pk"))
    addressed = Recipient.objects.filter(document=action.document_id).values("unit_id")
    return (
        Organization.objects.filter(pk__in=addressed)
        .annotate(done=Exists(done))
        .filter(done=False)
        .order_by("path")
    )


def outstanding_actions(
    user, *, unit: Organization | None = None, due_by: dt.date | None = None
) -> QuerySet:
    """(addressee, action) pairs not yet done, for addressees the user sees under `unit`:
    Recipient rows annotated with the action's id, kind and due date."""
    qs = visible(user, Recipient.objects.all())
    if unit is not None:
        qs = qs.filter(under(unit.path, "unit__path"))
    qs = qs.annotate(
        action_id=F("document__actions__id"), due_on=F("document__actions__due_on")
    ).filter(action_id__isnull=False)
    if due_by is not None:
        qs = qs.filter(due_on__lte=due_by)
    done = Completion.objects.filter(action_id=OuterRef("action_id"), unit_id=OuterRef("unit_id"))
    return qs.annotate(done=Exists(done)).filter(done=False)


# Programmes, conferences, coordination ---------------------------------------------------------


def programmes(
    user,
    *,
    unit: Organization | None = None,
    kind: str | None = None,
    year: int | None = None,
) -> QuerySet:
    qs = visible(user, WorkProgramme.objects.select_related("organization", "period")).annotate(
        n_tasks=Count("tasks")
    )
    if unit is not None:
        qs = qs.filter(under(unit.path, "organization__path"))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(start__year__lte=year, end__year__gte=year)
    return qs.order_by("-start", "organization__path", "pk")


def get_programme(user, programme_id: int, *, field: str = "programme") -> WorkProgramme:
    found = programmes(user).filter(pk=programme_id).first()
    if found is None:
        raise NotFound(_("Unknown work programme: %(id)s.") % {"id": programme_id}, field=field)
    return found


def conferences(
    user,
    *,
    unit: Organization | None = None,
    kind: str | None = None,
    year: int | None = None,
) -> QuerySet:
    qs = visible(user, Conference.objects.select_related("organizer", "period"))
    if unit is not None:
        qs = qs.filter(under(unit.path, "organizer__path"))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(held_on__year=year)
    return qs.order_by("-held_on", "-pk")


def get_conference(user, conference_id: int, *, field: str = "conference") -> Conference:
    found = conferences(user).filter(pk=conference_id).first()
    if found is None:
        raise NotFound(_("Unknown conference: %(id)s.") % {"id": conference_id}, field=field)
    return found


def get_key_task(user, key_task_id: int) -> KeyTask:
    found = KeyTask.objects.select_related("conference").filter(pk=key_task_id).first()
    if found is None or not conferences(user).filter(pk=found.conference_id).exists():
        raise NotFound(_("Not found."), field="key_task")
    return found


def coordinations(user, *, unit: Organization | None = None, year: int | None = None) -> QuerySet:
    qs = visible(user, CoordinationProgramme.objects.select_related("lead")).annotate(
        n_parties=Count("parties", distinct=True), n_activities=Count("activities", distinct=True)
    )
    if unit is not None:
        qs = qs.filter(
            Q(under(unit.path, "lead__path"))
            | Q(
                pk__in=CoordinationProgramme.parties.through.objects.filter(
                    under(unit.path, "organization__path")
                ).values("coordinationprogramme_id")
            )
        )
    if year:
        qs = qs.filter(start__year__lte=year, end__year__gte=year)
    return qs.order_by("-start", "pk")


def get_coordination(user, programme_id: int, *, field: str = "programme"):
    found = coordinations(user).filter(pk=programme_id).first()
    if found is None:
        raise NotFound(
            _("Unknown coordination programme: %(id)s.") % {"id": programme_id}, field=field
        )
    return found


# Tasks ----------------------------------------------------------------------------------------


def tasks(
    user,
    *,
    unit: Organization | None = None,
    programme: WorkProgramme | None = None,
    state: str | None = None,
    status: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    q: str | None = None,
    parent: Task | None = None,
    top_level: bool = False,
    same_level: bool = False,
    day: dt.date | None = None,
) -> QuerySet:
    """Tasks the user sees; `unit` = its subtree (an indexed range on owner_path); with
    `same_level`, only the tasks of units in the unit's own area (the commune's, the
    city's), not those of the levels below."""
    qs = visible(user, Task.objects.select_related("owner", "programme", "parent"))
    if unit is not None:
        qs = qs.filter(under(unit.path, "owner_path"))
        if same_level:
            qs = qs.filter(owner__area_id=unit.area_id)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if top_level:
        qs = qs.filter(parent__isnull=True)
    if state:
        qs = qs.filter(state=state)
    if status:
        qs = qs.filter(status_q(status, day))
    if start:
        qs = qs.filter(deadline__gte=start)
    if end:
        qs = qs.filter(deadline__lte=end)
    if q:
        qs = qs.search(q)
    return qs.order_by("deadline", "owner_path", "pk")


def get_task(user, task_id: int, *, field: str = "task") -> Task:
    found = (
        visible(user, Task.objects.select_related("owner__area", "programme", "parent__owner"))
        .filter(pk=task_id)
        .first()
    )
    if found is None:
        raise NotFound(_("Unknown task: %(id)s.") % {"id": task_id}, field=field)
    return found


def task_figures(qs: QuerySet, day: dt.date | None = None) -> dict:
    """Total, done, overdue, at risk and % done of the work items in `qs`, in one query."""
    day = day or today()
    agg = qs.filter(children_total=0).aggregate(
        total=Count("id", filter=~Q(state=TaskState.CANCELLED)),
        done=Count("id", filter=Q(state=TaskState.DONE)),
        done_late=Count("id", filter=Q(state=TaskState.DONE, state_changed_on__gt=F("deadline"))),
        overdue=Count("id", filter=overdue_q(day)),
        at_risk=Count("id", filter=at_risk_q(day)),
    )
    total = agg["total"]
    agg["percent_done"] = round(100 * agg["done"] / total, 1) if total else None
    return agg


def by_unit(user, *, unit: Organization | None, start=None, end=None, day=None) -> list[dict]:
    """The sibling comparison: one row per unit directly under `unit` (or per top-level unit),
    counting its whole subtree, in one grouped query; the unit's own tasks form a row."""
    day = day or today()
    depth = (unit.depth + 1) if unit is not None else 1
    grouped = (
        tasks(user, unit=unit, start=start, end=end)
        .filter(children_total=0)
        .order_by()
        .annotate(prefix=Substr("owner_path", 1, depth * Organization.steplen))
        .values("prefix")
        .annotate(
            total=Count("id", filter=~Q(state=TaskState.CANCELLED)),
            done=Count("id", filter=Q(state=TaskState.DONE)),
            done_late=Count(
                "id", filter=Q(state=TaskState.DONE, state_changed_on__gt=F("deadline"))
            ),
            overdue=Count("id", filter=overdue_q(day)),
            at_risk=Count("id", filter=at_risk_q(day)),
        )
    )
    figures = {row["prefix"]: row for row in grouped}
    units = {o.path: o for o in Organization.objects.filter(path__in=list(figures))}
    rows = []
    for path, row in figures.items():
        if path not in units:
            continue
        rows.append(
            {
                "unit": units[path],
                **{k: row[k] for k in ("total", "done", "done_late", "overdue", "at_risk")},
                "percent_done": round(100 * row["done"] / row["total"], 1)
                if row["total"]
                else None,
            }
        )
    rows.sort(key=lambda r: r["unit"].path)
    return rows


def document_progress(
    user, *, unit: Organization | None, start: dt.date, end: dt.date
) -> list[dict]:
    """Per document addressed in the subtree and action due in the period (or earlier and
    still outstanding): addressees, done, not done. Grouped queries, no loop over units."""
    recipients = visible(user, Recipient.objects.all())
    if unit is not None:
        recipients = recipients.filter(under(unit.path, "unit__path"))
    actions = (
        RequiredAction.objects.filter(document__in=recipients.values("document_id"))
        .filter(due_on__lte=end)
        .select_related("document")
        .order_by("due_on", "pk")
    )
    addressed = dict(
        recipients.values("document_id").annotate(n=Count("id")).values_list("document_id", "n")
    )
    done_counts = dict(
        Completion.objects.filter(unit_id__in=recipients.values("unit_id"))
        .filter(action__in=actions.values("pk"))
        .filter(
            Exists(
                recipients.filter(
                    document_id=OuterRef("action__document_id"), unit_id=OuterRef("unit_id")
                )
            )
        )
        .values("action_id")
        .annotate(n=Count("id"))
        .values_list("action_id", "n")
    )
    rows = []
    for action in actions:
        n = addressed.get(action.document_id, 0)
        done = done_counts.get(action.pk, 0)
        if action.due_on < start and done >= n:
            continue  # finished before the period: not news
        rows.append(
            {
                "action": action,
                "document": action.document,
                "addressed": n,
                "done": done,
                "not_done": n - done,
            }
        )
    return rows
