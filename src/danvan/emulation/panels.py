"""The movement's part of the reports dashboard and of period reports (reports.contrib).

Counts only, read through queries.models (so the user's scope applies). Models belong to a
year; for a period the figures are the models of the period's year, "completed" as of the
period's last day, and "completed in the period" by the date their state changed."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.accounts.scope import can
from danvan.core import home, tones
from danvan.reports.contrib import (
    Chart,
    Figure,
    Panel,
    Scope,
    Section,
    Table,
    by_child_unit,
    number,
    percent,
)

from . import queries
from .models import ModelState, ProgressReport


def _figures(scope: Scope, year: int, start, end) -> dict:
    qs = queries.models(scope.user, year=year, unit=scope.org).order_by()
    done = Q(state=ModelState.COMPLETED, state_changed_on__lte=end)
    return qs.aggregate(
        models=Count("id"),
        completed=Count("id", filter=done),
        completed_in_period=Count("id", filter=done & Q(state_changed_on__gte=start)),
        in_progress=Count("id", filter=Q(state=ModelState.IN_PROGRESS)),
        abandoned=Count("id", filter=Q(state=ModelState.ABANDONED)),
    )


def _collect(scope: Scope) -> dict | None:
    year = scope.end.year
    now = _figures(scope, year, scope.start, scope.end)
    if not now["models"]:
        return None
    before = None
    if scope.previous_start and scope.previous_end:
        before = _figures(scope, scope.previous_end.year, scope.previous_start, scope.previous_end)
    qs = queries.models(scope.user, year=year, unit=scope.org)
    done = Q(state=ModelState.COMPLETED, state_changed_on__lte=scope.end)
    # Drill-downs go to the list of the movement with the most models in the subtree.
    main = (
        qs.order_by().values("movement_id").annotate(n=Count("id")).order_by("-n", "movement_id")
    ).first()
    units = by_child_unit(
        qs, "unit__path", scope.org, models=Count("id"), completed=Count("id", filter=done)
    )
    fields = list(
        qs.order_by()
        .values("field__code", "field__name")
        .annotate(n=Count("id"), done=Count("id", filter=done))
        .order_by("-n", "field__code")
    )
    return {
        "year": year,
        "now": now,
        "before": before,
        "main": main,
        "units": units,
        "fields": fields,
    }


def _list_url(scope: Scope, data: dict, **params) -> str:
    if not data["main"]:
        return ""
    query = {"year": data["year"], **params}
    if scope.org is not None and "unit" not in params:
        query["unit"] = scope.org.pk
    return reverse("emulation:models", args=[data["main"]["movement_id"]]) + "?" + urlencode(query)


def _unit_table(scope: Scope, data: dict, *, links: bool) -> Table:
    rows, urls = [], []
    for unit, row in data["units"]:
        rows.append(
            [unit.name, row["models"], row["completed"], percent(row["completed"], row["models"])]
        )
        urls.append(_list_url(scope, data, unit=unit.pk) if links else "")
    return Table(
        title=_("Units compared"),
        columns=[_("Unit"), _("Models"), _("Completed"), _("Percent completed")],
        rows=rows,
        row_urls=urls if links else [],
    )


def _field_table(data: dict) -> Table:
    return Table(
        title=_("By field"),
        columns=[_("Field"), _("Models"), _("Completed")],
        rows=[[row["field__name"], row["n"], row["done"]] for row in data["fields"]],
    )


def dashboard_panel(scope: Scope) -> Panel | None:
    data = _collect(scope)
    if data is None:
        return None
    now, before = data["now"], data["before"] or {}
    share = percent(now["completed"], now["models"])
    previous_share = percent(before.get("completed", 0), before.get("models", 0))
    end = scope.end.isoformat()
    units = data["units"]
    return Panel(
        key="emulation",
        title=_("Skillful Mass Mobilization"),
        url=_list_url(scope, data),
        figures=[
            Figure(
                _("Models registered"),
                now["models"],
                before.get("models"),
                url=_list_url(scope, data),
            ),
            Figure(
                _("Completed"),
                now["completed"],
                before.get("completed"),
                url=_list_url(scope, data, state=ModelState.COMPLETED, as_of=end),
                tone="ok" if now["completed"] else "",
            ),
            Figure(
                _("Percent completed"),
                share if share is not None else 0,
                previous_share,
                unit="%",
                tone="ok" if (share or 0) >= 50 else "warn",
            ),
            Figure(
                _("Completed in the period"),
                now["completed_in_period"],
                before.get("completed_in_period"),
            ),
            Figure(
                _("Abandoned"),
                now["abandoned"],
                before.get("abandoned"),
                url=_list_url(scope, data, state=ModelState.ABANDONED),
                tone="bad" if now["abandoned"] else "",
            ),
        ],
        tables=[_unit_table(scope, data, links=True), _field_table(data)],
        charts=[
            Chart(
                kind="bar",
                title=_("Models by unit"),
                labels=[unit.short_name or unit.name for unit, _row in units],
                series=[
                    (_("Models"), [row["models"] for _unit, row in units], "info"),
                    (_("Completed"), [row["completed"] for _unit, row in units], "ok"),
                ],
            ),
            Chart(
                kind="doughnut",
                title=_("Models by field"),
                labels=[row["field__name"] for row in data["fields"]],
                series=[(_("Models"), [row["n"] for row in data["fields"]])],
            ),
        ],
    )


def report_section(scope: Scope) -> Section | None:
    data = _collect(scope)
    if data is None:
        return None
    now, before = data["now"], data["before"]
    paragraphs = [
        _(
            "In the %(year)d Skillful Mass Mobilization movement, %(models)d models were "
            "registered; by the end of the period %(done)d/%(models)d were completed "
            "(%(share)s%%), %(new)d of them during the period."
        )
        % {
            "year": data["year"],
            "models": now["models"],
            "done": now["completed"],
            "share": number(percent(now["completed"], now["models"])),
            "new": now["completed_in_period"],
        }
    ]
    if before is not None and before["models"]:
        paragraphs.append(
            _("In the previous period: %(done)d/%(models)d models completed (%(share)s%%).")
            % {
                "done": before["completed"],
                "models": before["models"],
                "share": number(percent(before["completed"], before["models"])),
            }
        )
    if now["abandoned"]:
        paragraphs.append(
            _("%(n)d models were abandoned; their reasons are recorded with each model.")
            % {"n": now["abandoned"]}
        )
    return Section(
        key="emulation",
        title=_("The Skillful Mass Mobilization movement"),
        paragraphs=paragraphs,
        tables=[_unit_table(scope, data, links=False), _field_table(data)],
    )


# The home page (core/home.py) ---------------------------------------------------------------

STALE_DAYS = 90


def home_items(user, unit) -> list[home.Item]:
    """To do: this level's models in progress without a progress report for three months.
    Attention: models abandoned this year across the subtree."""
    day = timezone.localdate()
    items = []
    models = queries.models(user, unit=unit)
    movement = queries.movements(user).first()
    if unit is not None and movement is not None and can(user, "emulation.register", unit):
        recent = ProgressReport.objects.filter(
            model=OuterRef("pk"), reported_on__gte=day - dt.timedelta(days=STALE_DAYS)
        )
        stale = (
            models.filter(
                unit__area_id=unit.area_id,
                state__in=[ModelState.REGISTERED, ModelState.IN_PROGRESS],
            )
            .filter(~Exists(recent))
            .count()
        )
        url = (
            reverse("emulation:models", args=[movement.pk])
            + "?"
            + urlencode({"unit": unit.pk, "state": ModelState.IN_PROGRESS})
        )
        items.append(
            home.Item(home.TODO, ngettext("%(n)d model needs a progress report",
                      "%(n)d models need a progress report", stale) % {"n": stale},
                      stale, url, tones.WARN)
        )  # fmt: skip
    abandoned = models.filter(state=ModelState.ABANDONED, year=day.year).count()
    if movement is not None:
        url = (
            reverse("emulation:models", args=[movement.pk])
            + "?"
            + urlencode(
                {
                    **({"unit": unit.pk} if unit else {}),
                    "state": ModelState.ABANDONED,
                    "year": day.year,
                }
            )
        )
        items.append(
            home.Item(home.ATTENTION, ngettext("%(n)d model abandoned this year",
                      "%(n)d models abandoned this year", abandoned) % {"n": abandoned},
                      abandoned, url, tones.BAD)
        )  # fmt: skip
    return items
