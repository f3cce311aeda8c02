"""Grassroots democracy on the dashboard and in the period report (reports.contrib):
counts only — disclosures on time / late / missing, consultations held and valid,
recommendations answered / overdue. Never a household, a vote or a person."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.accounts.scope import can
from danvan.core import home, tones
from danvan.reports.contrib import Chart, Figure, Panel, Scope, Section, Table

from . import queries


def _figures(scope: Scope) -> dict:
    return queries.dashboard(scope.user, unit=scope.org, start=scope.start, end=scope.end)


def _previous(scope: Scope) -> dict | None:
    if scope.previous_start is None or scope.previous_end is None:
        return None
    return queries.dashboard(
        scope.user, unit=scope.org, start=scope.previous_start, end=scope.previous_end
    )


def _empty(d: dict) -> bool:
    return not (
        d["disclosures"]["total"] or d["consultations"]["total"] or d["recommendations"]["total"]
    )


def _url(name: str, scope: Scope, **params) -> str:
    query = {"start": f"{scope.start:%Y-%m-%d}", "end": f"{scope.end:%Y-%m-%d}", **params}
    if scope.org is not None:
        query["unit"] = scope.org.pk
    return reverse(name) + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def dashboard_panel(scope: Scope) -> Panel | None:
    d = _figures(scope)
    if _empty(d):
        return None
    prev = _previous(scope)
    dis, con, rec = d["disclosures"], d["consultations"], d["recommendations"]

    def before(section, key):
        return prev[section][key] if prev else None

    figures = [
        Figure(_("Disclosures on time"), dis["on_time"], before("disclosures", "on_time"),
               url=_url("democracy:disclosures", scope, status="on_time"), tone="ok"),
        Figure(_("Disclosures late"), dis["late"], before("disclosures", "late"),
               url=_url("democracy:disclosures", scope, status="late"),
               tone="warn" if dis["late"] else ""),
        Figure(_("Disclosures missing"), dis["missing"], before("disclosures", "missing"),
               url=_url("democracy:disclosures", scope, status="missing"),
               tone="bad" if dis["missing"] else ""),
        Figure(_("Consultations held"), con["held"], before("consultations", "held"),
               url=_url("democracy:consultations", scope, mode="decide")),
        Figure(_("Consultations valid"), con["valid"], before("consultations", "valid"),
               tone="ok"),
        Figure(_("Recommendations answered"), rec["answered"], before("recommendations", "answered"),
               url=_url("democracy:recommendations", scope, status="answered"), tone="ok"),
        Figure(_("Recommendations overdue"), rec["overdue"], before("recommendations", "overdue"),
               url=_url("democracy:recommendations", scope, status="overdue"),
               tone="bad" if rec["overdue"] else ""),
    ]  # fmt: skip
    chart = Chart(
        kind="bar",
        title=_("Disclosures and recommendations"),
        labels=[_("Disclosures"), _("Recommendations")],
        series=[
            (_("On time / answered"), [dis["on_time"], rec["answered"]], "ok"),
            (_("Late / awaiting"), [dis["late"], rec["open"]], "warn"),
            (_("Missing / overdue"), [dis["missing"], rec["overdue"]], "bad"),
        ],
        stacked=True,
    )
    return Panel(
        key="democracy",
        title=_("Grassroots democracy"),
        figures=figures,
        tables=[_category_table(d)],
        charts=[chart],
        url=_url("democracy:index", scope),
    )


def _category_table(d: dict) -> Table:
    return Table(
        title=_("Disclosures by category"),
        columns=[_("Category"), _("Items"), _("On time"), _("Late"), _("Missing")],
        rows=[
            [row["category__name"], row["n"], row["on_time"], row["late"], row["missing"]]
            for row in d["by_category"]
        ],
    )


def report_section(scope: Scope) -> Section | None:
    d = _figures(scope)
    if _empty(d):
        return None
    dis, con, rec, sat = (
        d["disclosures"], d["consultations"], d["recommendations"], d["satisfaction"],
    )  # fmt: skip
    paragraphs = [
        _(
            "Publicity: %(total)d items were to be publicized; %(on_time)d were publicized on "
            "time, %(late)d late, and %(missing)d were not publicized by their due date."
        )
        % dis,
        _(
            "Residents discussed and decided %(decisions)d matters by household "
            "representatives; %(held)d votes were held, %(valid)d were valid and %(recognized)d "
            "were recognized by the commune. %(for_comment)d matters were put to residents for "
            "comment (%(comments)d comments, %(answered_comments)d answered by the proposing "
            "body)."
        )
        % con,
        _(
            "Supervision and social criticism made %(total)d recommendations: %(answered)d "
            "answered (%(answered_late)d after the deadline), %(open)d awaiting an answer, "
            "%(overdue)d overdue."
        )
        % rec,
    ]
    if sat["total"]:
        paragraphs.append(
            _("Residents gave %(total)d ratings of the commune's services; %(percent)s%% were "
              "satisfied or very satisfied.") % sat
        )  # fmt: skip
    tables = [
        _category_table(d),
        Table(
            title=_("Recommendations by body concerned"),
            columns=[_("Body concerned"), _("Recommendations"), _("Answered"), _("Overdue")],
            rows=[
                [row["addressee__name"], row["n"], row["answered"], row["overdue"]]
                for row in d["by_addressee"]
            ],
        ),
    ]
    return Section(
        key="democracy",
        title=_("Implementing grassroots democracy; supervision and social criticism"),
        paragraphs=paragraphs,
        tables=tables,
    )


# The home page (core/home.py) ---------------------------------------------------------------


def home_items(user, unit) -> list[home.Item]:
    """To do: disclosures to publicize before their time limit runs out, and supervision
    recommendations addressed to this level awaiting an answer. Attention: disclosures not
    publicized in time and recommendations overdue across the subtree."""
    day = timezone.localdate()
    base = {"unit": unit.pk} if unit is not None else {}

    def url(name: str, **params) -> str:
        return reverse(name) + "?" + urlencode({**base, **params})

    items = []
    if unit is not None and can(user, "democracy.manage", unit):
        pending = queries.disclosures(user, unit=unit, status="pending", today=day).count()
        items.append(
            home.Item(home.TODO, ngettext("%(n)d disclosure to publicize", "%(n)d disclosures to publicize",
                      pending) % {"n": pending}, pending, url("democracy:disclosures", status="pending"),
                      tones.WARN)
        )  # fmt: skip
    if unit is not None and can(user, "democracy.respond", unit):
        to_answer = (
            queries.recommendations(user, unit=unit, today=day)
            .filter(answered_on__isnull=True, addressee__area_id=unit.area_id)
            .count()
        )
        items.append(
            home.Item(home.TODO, ngettext("%(n)d recommendation to answer", "%(n)d recommendations to answer",
                      to_answer) % {"n": to_answer}, to_answer, url("democracy:recommendations", status="open"),
                      tones.WARN)
        )  # fmt: skip
    missing = queries.disclosures(user, unit=unit, status="missing", today=day).count()
    overdue = queries.recommendations(user, unit=unit, status="overdue", today=day).count()
    items += [
        home.Item(home.ATTENTION, ngettext("%(n)d disclosure not publicized in time",
                  "%(n)d disclosures not publicized in time", missing) % {"n": missing}, missing,
                  url("democracy:disclosures", status="missing"), tones.BAD),
        home.Item(home.ATTENTION, ngettext("%(n)d supervision recommendation overdue",
                  "%(n)d supervision recommendations overdue", overdue) % {"n": overdue}, overdue,
                  url("democracy:recommendations", status="overdue"), tones.BAD),
    ]  # fmt: skip
    return items
