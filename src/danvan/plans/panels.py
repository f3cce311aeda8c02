"""The plans app's contribution to dashboards and period reports (reports/contrib.py).

Figures are counts about units (queries.py states the counting rules); no personal data.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.accounts.scope import can
from danvan.core import home, tones
from danvan.core.collation import Vietnamese
from danvan.reports.contrib import Chart, Figure, Panel, Scope, Section, Table

from . import queries


def _url(name: str, scope: Scope, **params) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if scope.org is not None:
        query["unit"] = scope.org.pk
    return reverse(f"plans:{name}") + ("?" + urlencode(query) if query else "")


def _period(scope: Scope) -> dict:
    return {"start": scope.start.isoformat(), "end": scope.end.isoformat()}


def _figures(scope: Scope) -> tuple[dict, dict | None]:
    current = queries.task_figures(
        queries.tasks(scope.user, unit=scope.org, start=scope.start, end=scope.end)
    )
    previous = None
    if scope.previous_start and scope.previous_end:
        previous = queries.task_figures(
            queries.tasks(
                scope.user, unit=scope.org, start=scope.previous_start, end=scope.previous_end
            )
        )
    return current, previous


def _outstanding(scope: Scope) -> tuple[int, int]:
    """Documents with actions outstanding in the subtree (due by the period's end), and
    how many (addressee, action) pairs are outstanding."""
    pairs = queries.outstanding_actions(scope.user, unit=scope.org, due_by=scope.end)
    return pairs.values("document_id").distinct().count(), pairs.count()


def dashboard_panel(scope: Scope) -> Panel | None:
    current, previous = _figures(scope)
    documents, pairs = _outstanding(scope)
    if not current["total"] and not documents and not (previous and previous["total"]):
        return None
    prev = previous or {}
    period = _period(scope)
    figures = [
        Figure(
            _("Tasks"),
            current["total"],
            previous=prev.get("total"),
            url=_url("tasks", scope, **period),
        ),
        Figure(
            _("Done"),
            current["done"],
            previous=prev.get("done"),
            url=_url("tasks", scope, status="done", **period),
            tone="ok",
        ),
        Figure(
            _("Percent done"),
            current["percent_done"] if current["percent_done"] is not None else "–",
            previous=prev.get("percent_done"),
            unit="%",
        ),
        Figure(
            _("Overdue"),
            current["overdue"],
            previous=prev.get("overdue"),
            url=_url("tasks", scope, status="overdue", **period),
            tone="bad" if current["overdue"] else "",
        ),
        Figure(
            _("At risk"),
            current["at_risk"],
            url=_url("tasks", scope, status="at_risk", **period),
            tone="warn" if current["at_risk"] else "",
        ),
        Figure(
            _("Documents with actions outstanding"),
            documents,
            url=_url("documents", scope),
            tone="warn" if documents else "",
        ),
        Figure(_("Actions outstanding (unit × action)"), pairs),
    ]
    rows = queries.by_unit(scope.user, unit=scope.org, start=scope.start, end=scope.end)
    table = Table(
        title=_("Tasks by unit"),
        columns=[_("Unit"), _("Tasks"), _("Done"), _("Percent done"), _("Overdue"), _("At risk")],
        rows=[
            [
                r["unit"].name,
                r["total"],
                r["done"],
                r["percent_done"] if r["percent_done"] is not None else "",
                r["overdue"],
                r["at_risk"],
            ]
            for r in rows
        ],
        row_urls=[
            reverse("plans:tasks") + "?" + urlencode({"unit": r["unit"].pk, **period}) for r in rows
        ],
    )
    chart = Chart(
        kind="bar",
        title=_("Tasks by unit"),
        labels=[r["unit"].short_name or r["unit"].name for r in rows],
        series=[
            (_("Done"), [r["done"] for r in rows], "ok"),
            (_("Overdue"), [r["overdue"] for r in rows], "bad"),
            (
                _("Other open tasks"),
                [max(0, r["total"] - r["done"] - r["overdue"]) for r in rows],
                "neutral",
            ),
        ],
        stacked=True,
    )
    return Panel(
        key="plans",
        title=_("Tasks and documents to implement"),
        figures=figures,
        tables=[table],
        charts=[chart] if rows else [],
        url=_url("tasks", scope, **period),
    )


def _n(value) -> str:
    return "–" if value is None else str(value).replace(".", ",")


def report_section(scope: Scope) -> Section | None:
    current, previous = _figures(scope)
    docs = queries.document_progress(scope.user, unit=scope.org, start=scope.start, end=scope.end)
    if not current["total"] and not docs:
        return None
    paragraphs = []
    if current["total"]:
        text = _(
            "In the period, %(total)d tasks fell due; %(done)d were done (%(percent)s%%), "
            "%(late)d of them after the deadline; %(overdue)d are overdue."
        ) % {
            "total": current["total"],
            "done": current["done"],
            "percent": _n(current["percent_done"]),
            "late": current["done_late"],
            "overdue": current["overdue"],
        }
        if previous and previous["total"]:
            text += " " + _(
                "In the previous period: %(done)d of %(total)d done (%(percent)s%%)."
            ) % {
                "done": previous["done"],
                "total": previous["total"],
                "percent": _n(previous["percent_done"]),
            }
        paragraphs.append(text)
    if docs:
        complete = sum(1 for d in docs if d["not_done"] == 0)
        paragraphs.append(
            _(
                "Documents to implement: %(complete)d of %(actions)d required actions were done "
                "by every unit addressed; %(missing)d units still have an action outstanding."
            )
            % {
                "complete": complete,
                "actions": len(docs),
                "missing": sum(d["not_done"] for d in docs),
            }
        )
    rows = queries.by_unit(scope.user, unit=scope.org, start=scope.start, end=scope.end)
    tasks_table = Table(
        title=_("Tasks done and late"),
        columns=[
            _("Unit"),
            _("Tasks"),
            _("Done"),
            _("Done late"),
            _("Overdue"),
            _("Percent done"),
        ],
        rows=[
            [
                r["unit"].name,
                r["total"],
                r["done"],
                r["done_late"],
                r["overdue"],
                r["percent_done"] if r["percent_done"] is not None else "",
            ]
            for r in rows
        ],
    )
    docs_table = Table(
        title=_("Documents implemented"),
        columns=[
            _("Document"),
            _("Issued on"),
            _("Required action"),
            _("Due on"),
            _("Units addressed"),
            _("Done"),
            _("Not done"),
        ],
        rows=[
            [
                f"{d['document'].number} · {d['document'].title}",
                d["document"].issued_on,
                d["action"].get_kind_display(),
                d["action"].due_on,
                d["addressed"],
                d["done"],
                d["not_done"],
            ]
            for d in docs
        ],
        row_urls=[reverse("plans:document", args=[d["document"].pk]) for d in docs],
    )
    return Section(
        key="plans",
        title=_("Implementing tasks and documents"),
        paragraphs=paragraphs,
        tables=[tasks_table, docs_table],
    )


# The home page (core/home.py) ---------------------------------------------------------------

SOON_DAYS = 14


def home_items(user, unit) -> list[home.Item]:
    """To do: this level's open tasks that are overdue or due within two weeks, and the
    documents this level's units must still act on. Attention: overdue and at-risk tasks
    across the subtree, and the units that have not acted on a document by its due date."""
    day = queries.today()
    subtree = queries.tasks(user, unit=unit)
    base = {"unit": unit.pk} if unit is not None else {}

    def tasks_url(**params) -> str:
        return reverse("plans:tasks") + "?" + urlencode({**base, **params})

    items = []
    if unit is not None and can(user, "plans.report", unit):
        own = subtree.filter(owner__area_id=unit.area_id)
        overdue = own.filter(queries.overdue_q(day)).count()
        soon = own.filter(
            queries.status_q("open", day),
            deadline__gte=day,
            deadline__lte=day + dt.timedelta(days=SOON_DAYS),
        ).count()
        items += [
            home.Item(home.TODO, ngettext("%(n)d task of this level is overdue",
                      "%(n)d tasks of this level are overdue", overdue) % {"n": overdue},
                      overdue, tasks_url(level=1, status="overdue"), tones.BAD),
            home.Item(home.TODO, ngettext("%(n)d task due within two weeks",
                      "%(n)d tasks due within two weeks", soon) % {"n": soon},
                      soon, tasks_url(level=1, status="open", end=(day + dt.timedelta(days=SOON_DAYS)).isoformat()),
                      tones.WARN),
        ]  # fmt: skip
        to_act = (
            queries.outstanding_actions(user, unit=unit).filter(unit__area_id=unit.area_id).count()
        )
        items.append(
            home.Item(home.TODO, ngettext("%(n)d action on a document to carry out",
                      "%(n)d actions on documents to carry out", to_act) % {"n": to_act},
                      to_act, reverse("plans:documents") + "?" + urlencode(base), tones.WARN)
        )  # fmt: skip
    overdue = subtree.filter(queries.overdue_q(day))
    n_overdue = overdue.count()
    worst = (
        overdue.values("owner__name", "owner_id")
        .annotate(n=Count("id"))
        .order_by("-n", Vietnamese("owner__name"))[:3]
    )
    at_risk = subtree.filter(queries.at_risk_q(day)).count()
    late_pairs = queries.outstanding_actions(user, unit=unit, due_by=day - dt.timedelta(days=1))
    not_acted = late_pairs.values("unit_id").distinct().count()
    items += [
        home.Item(home.ATTENTION, ngettext("%(n)d task overdue", "%(n)d tasks overdue",
                  n_overdue) % {"n": n_overdue}, n_overdue, tasks_url(status="overdue"), tones.BAD,
                  examples=[(f"{row['owner__name']}: {row['n']}",
                             reverse("plans:tasks") + "?" + urlencode({"unit": row["owner_id"], "status": "overdue"}))
                            for row in worst]),
        home.Item(home.ATTENTION, ngettext("%(n)d task at risk", "%(n)d tasks at risk", at_risk)
                  % {"n": at_risk}, at_risk, tasks_url(status="at_risk"), tones.WARN),
        home.Item(home.ATTENTION, ngettext("%(n)d unit has not acted on a document past its due date",
                  "%(n)d units have not acted on documents past their due date", not_acted)
                  % {"n": not_acted}, not_acted, reverse("plans:documents") + "?" + urlencode(base),
                  tones.BAD),
    ]  # fmt: skip
    return items
