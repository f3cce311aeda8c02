"""Pages of citizen reception, dialogues, the voices dashboard, hot spots and the rule
tables. Thin: parse the request, call a query or a service, render.

Reads go through `queries` (scoped); writes through `meetings`, which checks permission and
audits; `can()` here only decides whether to show a form. A request from htmx gets the
partial template (`_name.html`). Exports carry no citizen's name, address or contact: the
lists they mirror hold none.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can, visible
from danvan.core import tables
from danvan.core.dates import parse_day
from danvan.core.errors import DomainError
from danvan.core.http import is_htmx as _is_htmx
from danvan.org.models import Area, Organization
from danvan.org.units import current_unit

from . import queries, services
from .forms_meetings import AnswerForm, CommitmentForm, DialogueForm, ReceptionForm
from .models import (
    Channel,
    DeadlineRule,
    Dialogue,
    HeadRole,
    MatterKind,
    MatterState,
    ReceptionRule,
    Topic,
)

PAGE_SIZE = 50
MAX_UNIT_CHOICES = 300
PICKS = {
    "month": gettext_lazy("This month"),
    "quarter": gettext_lazy("This quarter"),
    "half": gettext_lazy("This half-year"),
    "year": gettext_lazy("This year"),
}


def _int(value, default: int, *, low: int, high: int) -> int:
    try:
        return min(max(int(value), low), high)
    except (TypeError, ValueError):
        return default


# Periods ---------------------------------------------------------------------------------


def pick_period(pick: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """A quick pick as (first day, today): the current month, quarter, half-year or year
    so far. The end is today, so that what is required (reception days) is what was due."""
    if pick == "month":
        return today.replace(day=1), today
    if pick == "quarter":
        return today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1), today
    if pick == "half":
        return today.replace(month=1 if today.month <= 6 else 7, day=1), today
    return today.replace(month=1, day=1), today


def period_params(request, *, default: str | None = "year") -> dict:
    """The period of a page from ?period= (a quick pick) or ?start=&end= (dates); with
    `default=None`, no dates means no period (lists show everything)."""
    get, today = request.GET, timezone.localdate()
    start_raw, end_raw = (get.get("start") or "").strip(), (get.get("end") or "").strip()
    pick = get.get("period") if get.get("period") in PICKS else ""
    invalid = ""
    if start_raw or end_raw:
        start = parse_day(start_raw) if start_raw else None
        end = parse_day(end_raw) if end_raw else None
        if (start_raw and start is None) or (end_raw and end is None):
            invalid = _("A date was not understood; use YYYY-MM-DD.")
        elif start and end and start > end:
            invalid = _("The period starts after it ends.")
        else:
            return {"start": start, "end": end, "pick": "", "invalid": ""}
    if pick or default:
        start, end = pick_period(pick or default, today)
        return {"start": start, "end": end, "pick": pick or default, "invalid": invalid}
    return {"start": None, "end": None, "pick": "", "invalid": invalid}


def _period_qs(period: dict) -> str:
    if period["pick"]:
        return urlencode({"period": period["pick"]})
    return urlencode({k: period[k].isoformat() for k in ("start", "end") if period[k] is not None})


def _in_period(qs, period: dict, field: str = "held_on"):
    if period["start"]:
        qs = qs.filter(**{f"{field}__gte": period["start"]})
    if period["end"]:
        qs = qs.filter(**{f"{field}__lte": period["end"]})
    return qs


# Shared ----------------------------------------------------------------------------------


def worklist_url() -> str | None:
    """The case worklist (another page of the app), if it is there."""
    try:
        return reverse("voices:worklist")
    except NoReverseMatch:
        return None


def _intake_units(request) -> list[Organization]:
    """Units where the user may record sessions and dialogues, under the chosen unit."""
    qs = visible(request.user, Organization.objects.filter(is_active=True), action="voices.intake")
    unit = current_unit(request)
    if unit is not None:
        narrowed = qs.filter(path__startswith=unit.path)
        if narrowed.exists():
            qs = narrowed
    return list(qs.order_by("path")[:MAX_UNIT_CHOICES])


def may_record(user) -> bool:
    return visible(
        user, Organization.objects.filter(is_active=True), action="voices.intake"
    ).exists()


def _chosen(units: list[Organization], pk: int) -> Organization:
    return next(u for u in units if u.pk == pk)


def _base(request, **context) -> dict:
    return {"unit": current_unit(request), "worklist_url": worklist_url(), **context}


# Reception --------------------------------------------------------------------------------


def filtered_sessions(request) -> tuple:
    """The reception list's filters (also its export's)."""
    unit = current_unit(request)
    head = request.GET.get("head") if request.GET.get("head") in HeadRole.values else ""
    period = period_params(request, default=None)
    qs = queries.reception_sessions(request.user, unit=unit)
    if head:
        qs = qs.filter(head_role=head)
    qs = _in_period(qs, period).order_by("-held_on", "-pk")
    return qs, {"head": head, "period": period}


@login_required
def reception_list(request):
    qs, shown = filtered_sessions(request)
    if shown["period"]["invalid"]:
        messages.error(request, shown["period"]["invalid"])
    totals = qs.aggregate(
        sessions=Count("id"),
        in_person=Count("id", filter=Q(head_present=True)),
        citizens=Sum("citizens_received", default=0),
    )
    context = _base(
        request,
        page=Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        totals=totals,
        heads=HeadRole.choices,
        picks=PICKS,
        may_record=may_record(request.user),
        keep={"head": shown["head"]} if shown["head"] else {},
        **shown,
    )
    template = "voices/_reception_rows.html" if _is_htmx(request) else "voices/reception_list.html"
    return render(request, template, context)


@login_required
def reception_new(request):
    units = _intake_units(request)
    if not units:
        raise PermissionDenied
    unit = current_unit(request)
    initial = {
        "held_on": timezone.localdate(),
        "unit": unit.pk if unit in units else units[0].pk,
        "head_present": True,
    }
    form = ReceptionForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.record_reception(
                actor=request.user,
                unit=_chosen(units, data["unit"]),
                head_role=data["head_role"],
                head_name=data["head_name"],
                held_on=data["held_on"],
                head_present=data["head_present"],
                delegate=data["delegate"],
                citizens_received=data["citizens_received"],
                notes=data["notes"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("Reception session of %(day)s recorded.")
                % {"day": session.held_on.strftime("%d/%m/%Y")},
            )
            return redirect("voices:reception")
    return render(request, "voices/reception_form.html", _base(request, form=form))


def _compliance(request):
    period = period_params(request)
    rows = queries.reception_compliance(
        request.user, unit=current_unit(request), start=period["start"], end=period["end"]
    )
    return rows, period


@login_required
def reception_compliance(request):
    rows, period = _compliance(request)
    if period["invalid"]:
        messages.error(request, period["invalid"])
    context = _base(
        request,
        rows=rows,
        period=period,
        period_qs=_period_qs(period),
        picks=PICKS,
        missed=sum(1 for r in rows if not r["met"]),
        rules=ReceptionRule.objects.order_by("head_role", "-effective_from"),
    )
    return render(request, "voices/reception_compliance.html", context)


RECEPTION_HEADERS = [
    gettext_lazy("Date"),
    gettext_lazy("Unit"),
    gettext_lazy("Head"),
    gettext_lazy("Head's name"),
    gettext_lazy("Head present"),
    gettext_lazy("Delegated to"),
    gettext_lazy("Citizens received"),
    gettext_lazy("Notes"),
]


@login_required
def reception_export(request):
    qs, _shown = filtered_sessions(request)
    rows = (
        [
            s.held_on,
            s.unit.name,
            s.get_head_role_display(),
            s.head_name,
            s.head_present,
            s.delegate,
            s.citizens_received,
            s.notes,
        ]
        for s in qs.iterator(chunk_size=1000)
    )
    return tables.download(
        request,
        lambda fmt: tables.export_table(
            headers=RECEPTION_HEADERS, rows=rows, fmt=fmt, filename=_("reception-sessions")
        ),
    )


COMPLIANCE_HEADERS = [
    gettext_lazy("Unit"),
    gettext_lazy("Head"),
    gettext_lazy("Head's name"),
    gettext_lazy("Days required"),
    gettext_lazy("Days held"),
    gettext_lazy("In person"),
    gettext_lazy("Met"),
    gettext_lazy("Legal basis"),
]


def _compliance_rows(rows: list[dict]) -> list[list]:
    return [
        [
            r["unit"],
            str(r["head_role"]),
            r["head_name"],
            r["required"],
            r["held"],
            r["in_person"],
            r["met"],
            r["citation"],
        ]
        for r in rows
    ]


@login_required
def compliance_export(request):
    rows, _period = _compliance(request)
    return tables.download(
        request,
        lambda fmt: tables.export_table(
            headers=COMPLIANCE_HEADERS,
            rows=_compliance_rows(rows),
            fmt=fmt,
            filename=_("reception-compliance"),
        ),
    )


# Dialogues --------------------------------------------------------------------------------


def filtered_dialogues(request) -> tuple:
    today = timezone.localdate()
    period = period_params(request, default=None)
    qs = _in_period(queries.dialogues(request.user, unit=current_unit(request)), period)
    qs = qs.annotate(
        n_commitments=Count("commitments", distinct=True),
        n_open=Count("commitments", filter=Q(commitments__answered_on__isnull=True), distinct=True),
        n_overdue=Count(
            "commitments",
            filter=Q(commitments__answered_on__isnull=True, commitments__due_on__lt=today),
            distinct=True,
        ),
    ).order_by("-held_on", "-pk")
    return qs, {"period": period}


@login_required
def dialogue_list(request):
    qs, shown = filtered_dialogues(request)
    if shown["period"]["invalid"]:
        messages.error(request, shown["period"]["invalid"])
    context = _base(
        request,
        page=Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        picks=PICKS,
        may_record=may_record(request.user),
        **shown,
    )
    template = "voices/_dialogue_rows.html" if _is_htmx(request) else "voices/dialogue_list.html"
    return render(request, template, context)


@login_required
def dialogue_new(request):
    units = _intake_units(request)
    if not units:
        raise PermissionDenied
    unit = current_unit(request)
    topics = list(Topic.objects.all())
    initial = {"held_on": timezone.localdate(), "unit": unit.pk if unit in units else units[0].pk}
    form = DialogueForm(request.POST or None, units=units, topics=topics, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dialogue = services.record_dialogue(
                actor=request.user,
                unit=_chosen(units, data["unit"]),
                title=data["title"],
                held_on=data["held_on"],
                heads=data["heads"],
                participants=data["participants"],
                topic_codes=data["topic_codes"],
                notes=data["notes"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Dialogue recorded."))
            return redirect("voices:dialogue", dialogue_id=dialogue.pk)
    return render(request, "voices/dialogue_form.html", _base(request, form=form))


def _dialogue(request, dialogue_id: int) -> Dialogue:
    found = queries.dialogues(request.user).filter(pk=dialogue_id).first()
    if found is None:
        raise Http404
    return found


def _owners(user) -> list[Organization]:
    return list(
        visible(user, Organization.objects.filter(is_active=True)).order_by("path")[
            :MAX_UNIT_CHOICES
        ]
    )


def _dialogue_page(request, dialogue: Dialogue, *, commitment_form=None, answer_forms=None):
    user, today = request.user, timezone.localdate()
    answer_forms = answer_forms or {}
    commitments = list(dialogue.commitments.select_related("owner").order_by("due_on", "pk"))
    # One query for all rows: the owners whose commitments this user may answer.
    answerable = set(
        visible(
            user,
            Organization.objects.filter(
                pk__in={c.owner_id for c in commitments if not c.answered_on}
            ),
            action="voices.intake",
        ).values_list("pk", flat=True)
    )
    for c in commitments:
        c.is_open = c.answered_on is None
        c.is_overdue = c.is_open and c.due_on < today
        c.answer_form = answer_forms.get(c.pk) or (
            AnswerForm(prefix=f"c{c.pk}", initial={"answered_on": today})
            if c.is_open and c.owner_id in answerable
            else None
        )
    may_add = can(user, "voices.intake", dialogue)
    context = _base(
        request,
        dialogue=dialogue,
        topics=dialogue.topics.all(),
        commitments=commitments,
        n_open=sum(1 for c in commitments if c.is_open),
        n_overdue=sum(1 for c in commitments if c.is_overdue),
        commitment_form=commitment_form
        or (
            CommitmentForm(owners=_owners(user), initial={"owner": dialogue.unit_id})
            if may_add
            else None
        ),
        petitions=dialogue.petitions.count(),
    )
    return render(request, "voices/dialogue_detail.html", context)


@login_required
def dialogue_detail(request, dialogue_id: int):
    return _dialogue_page(request, _dialogue(request, dialogue_id))


@login_required
@require_POST
def commitment_add(request, dialogue_id: int):
    dialogue = _dialogue(request, dialogue_id)
    if not can(request.user, "voices.intake", dialogue):
        raise PermissionDenied
    owners = _owners(request.user)
    form = CommitmentForm(request.POST, owners=owners)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_commitment(
                actor=request.user,
                dialogue=dialogue,
                content=data["content"],
                owner=_chosen(owners, data["owner"]),
                due_on=data["due_on"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Commitment added."))
            return redirect("voices:dialogue", dialogue_id=dialogue.pk)
    return _dialogue_page(request, dialogue, commitment_form=form)


@login_required
@require_POST
def commitment_answer(request, commitment_id: int):
    commitment = queries.commitments(request.user).filter(pk=commitment_id).first()
    if commitment is None:
        raise Http404
    if not can(request.user, "voices.intake", commitment.owner):
        raise PermissionDenied
    form = AnswerForm(request.POST, prefix=f"c{commitment.pk}")
    if form.is_valid():
        try:
            services.answer_commitment(
                actor=request.user,
                commitment=commitment,
                answered_on=form.cleaned_data["answered_on"],
                answer=form.cleaned_data["answer"],
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Answer recorded."))
            return redirect("voices:dialogue", dialogue_id=commitment.dialogue_id)
    return _dialogue_page(request, commitment.dialogue, answer_forms={commitment.pk: form})


DIALOGUE_HEADERS = [
    gettext_lazy("Date"),
    gettext_lazy("Unit"),
    gettext_lazy("Title"),
    gettext_lazy("Heads taking part"),
    gettext_lazy("Citizens taking part"),
    gettext_lazy("Commitments"),
    gettext_lazy("Open"),
    gettext_lazy("Overdue"),
]


@login_required
def dialogues_export(request):
    qs, _shown = filtered_dialogues(request)
    rows = (
        [
            d.held_on,
            d.unit.name,
            d.title,
            d.heads,
            d.participants,
            d.n_commitments,
            d.n_open,
            d.n_overdue,
        ]
        for d in qs.iterator(chunk_size=1000)
    )
    return tables.download(
        request,
        lambda fmt: tables.export_table(
            headers=DIALOGUE_HEADERS, rows=rows, fmt=fmt, filename=_("dialogues")
        ),
    )


# Dashboard --------------------------------------------------------------------------------


def _bars(rows: list[dict], key: str = "n") -> list[dict]:
    top = max((row[key] for row in rows), default=0)
    for row in rows:
        row["bar"] = round(100 * row[key] / top) if top else 0
    return rows


def _labelled(figures: dict) -> dict:
    kinds, channels, states = (
        dict(MatterKind.choices),
        dict(Channel.choices),
        dict(MatterState.choices),
    )
    for row in figures["by_kind"]:
        row["label"] = kinds.get(row["kind"], row["kind"])
    for row in figures["by_channel"]:
        row["label"] = channels.get(row["petition__channel"], row["petition__channel"])
    english = translation_is_english()
    for row in figures["by_topic"]:
        row["label"] = (english and row["petition__topic__name_en"]) or row["petition__topic__name"]
    for row in figures["by_state"]:
        row["label"] = states.get(row["state"], row["state"])
    for key in ("by_kind", "by_channel", "by_topic", "by_state"):
        _bars(figures[key])
    decided = figures["on_time"] + figures["late"]
    figures["on_time_percent"] = round(100 * figures["on_time"] / decided) if decided else None
    return figures


def translation_is_english() -> bool:
    return not (get_language() or "vi").startswith("vi")


def _dashboard(request) -> tuple[dict, dict]:
    period = period_params(request)
    figures = queries.dashboard(
        request.user, unit=current_unit(request), start=period["start"], end=period["end"]
    )
    return _labelled(figures), period


@login_required
def dashboard(request):
    d, period = _dashboard(request)
    if period["invalid"]:
        messages.error(request, period["invalid"])
    wl = worklist_url()
    # The worklist lists open matters unless told otherwise: drill-downs ask for all states
    # (a later state= wins) and pass the period.
    received = urlencode(
        {
            "state": "all",
            "received_from": period["start"].isoformat(),
            "received_to": period["end"].isoformat(),
        }
    )
    context = _base(
        request,
        d=d,
        period=period,
        period_qs=_period_qs(period),
        picks=PICKS,
        drill=f"{wl}?{received}" if wl else None,
        missed=sum(1 for r in d["reception"] if not r["met"]),
    )
    return render(request, "voices/dashboard.html", context)


def _dashboard_rows(d: dict) -> list[list]:
    unit = d["unit"]
    rows = [
        [_("Unit"), unit.name if unit is not None else _("All units"), ""],
        [_("Period"), f"{d['start']:%d/%m/%Y} – {d['end']:%d/%m/%Y}", ""],
        [_("Matters received"), "", d["received"]],
        [_("Accepted"), "", d["accepted"]],
        [_("Decided"), "", d["decided"]],
        [_("Settled on time"), "", d["on_time"]],
        [_("Settled late"), "", d["late"]],
        [_("Overdue now"), "", d["overdue_now"]],
        [_("Dialogue commitments open"), "", d["commitments_open"]],
        [_("Dialogue commitments overdue"), "", d["commitments_overdue"]],
    ]
    for key, title in (
        ("by_kind", _("By kind")),
        ("by_channel", _("By channel")),
        ("by_topic", _("By topic")),
        ("by_state", _("By state")),
    ):
        rows += [[title, str(row["label"]), row["n"]] for row in d[key]]
    for r in d["reception"]:
        rows.append(
            [
                _("Reception days held in person / required"),
                f"{r['head_name']} ({r['head_role']}, {r['unit']})",
                f"{r['in_person']}/{r['required'] if r['required'] is not None else '–'}",
            ]
        )
    return rows


@login_required
def dashboard_export(request):
    d, _period = _dashboard(request)
    return tables.download(
        request,
        lambda fmt: tables.export_table(
            headers=[_("Table"), _("Item"), _("Number")],
            rows=_dashboard_rows(d),
            fmt=fmt,
            filename=_("citizens-voices-dashboard"),
        ),
    )


# Hot spots --------------------------------------------------------------------------------


def _hot_params(request) -> dict:
    return {
        "months": _int(request.GET.get("months"), 3, low=1, high=24),
        "minimum": _int(request.GET.get("minimum"), 3, low=1, high=1000),
    }


def _hot_spots(request) -> tuple[list[dict], dict]:
    params = _hot_params(request)
    spots = queries.hot_spots(request.user, unit=current_unit(request), **params)
    english = translation_is_english()
    for spot in spots:
        spot["topic"] = (english and spot["topic__name_en"]) or spot["topic__name"]
        spot["topic_code"] = None
    if spots:
        codes = dict(
            Topic.objects.filter(pk__in={s["topic_id"] for s in spots}).values_list("pk", "code")
        )
        for spot in spots:
            spot["topic_code"] = codes.get(spot["topic_id"])
    return _bars(spots, "now"), params


@login_required
def hot_spots(request):
    spots, params = _hot_spots(request)
    context = _base(request, spots=spots, **params, params_qs=urlencode(params))
    return render(request, "voices/hotspots.html", context)


@login_required
def hot_spot_matters(request):
    """The matters of one area × topic group over the hot-spot window: cases, never people."""
    params = _hot_params(request)
    area = Area.objects.filter(pk=_int(request.GET.get("area"), 0, low=0, high=2**31)).first()
    topic = Topic.objects.filter(code=(request.GET.get("topic") or "")[:40]).first()
    if area is None or topic is None:
        raise Http404
    today = timezone.localdate()
    start = today - dt.timedelta(days=30 * params["months"])
    previous = start - dt.timedelta(days=30 * params["months"])
    qs = queries.matters(
        request.user, unit=current_unit(request), topic=topic.code, received_to=today
    ).filter(petition__area=area, petition__received_on__gt=previous)
    context = _base(
        request,
        area=area,
        topic=topic,
        start=start,
        previous=previous,
        page=Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        **params,
        params_qs=urlencode(params),
    )
    return render(request, "voices/hotspots_matters.html", context)


HOT_HEADERS = [
    gettext_lazy("Area"),
    gettext_lazy("Topic"),
    gettext_lazy("Petitions now"),
    gettext_lazy("Petitions before"),
    gettext_lazy("Rise"),
]


@login_required
def hot_spots_export(request):
    spots, _params = _hot_spots(request)
    rows = [[s["area__name"], s["topic"], s["now"], s["before"], s["rise"]] for s in spots]
    return tables.download(
        request,
        lambda fmt: tables.export_table(
            headers=HOT_HEADERS, rows=rows, fmt=fmt, filename=_("hot-spots")
        ),
    )


# Rules ------------------------------------------------------------------------------------


@login_required
def rules(request):
    context = _base(
        request,
        deadline_rules=DeadlineRule.objects.all(),
        reception_rules=ReceptionRule.objects.all(),
        today=timezone.localdate(),
    )
    return render(request, "voices/rules.html", context)


# Home panel (called by the web app's home view) -------------------------------------------
