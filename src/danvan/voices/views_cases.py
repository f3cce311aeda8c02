"""The case pages: intake, the worklist, the case (matter) page and public tracking.

Thin: parse, call a query or a service, render. Reads go through `queries` (scoped); writes
through `services`, which check permission and audit. `can()` here only decides whether a
form or a button is shown. A request from htmx gets the partial template (`_name.html`).

No page shows a citizen's identity except the reveal partial, which goes through
`queries.reveal_identity` (role-checked and audited)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, F, Prefetch, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can, has_role, users_who_can, visible
from danvan.core.collation import Vietnamese, sort_key
from danvan.core.dates import parse_day
from danvan.core.errors import DomainError, NotFound
from danvan.core.http import is_htmx as _is_htmx
from danvan.core.http import to_int as _int
from danvan.core.text import fold
from danvan.core.tree import ancestors
from danvan.core.uploads import attachment
from danvan.org.models import Area, Organization
from danvan.org.units import current_unit

from . import queries, services
from .forms_cases import (
    CITIZEN_FIELDS,
    MATTER_FIELDS,
    AcceptForm,
    AssignForm,
    ClassifyForm,
    CloseForm,
    ComplexityForm,
    DecideForm,
    ExtendForm,
    ForwardForm,
    IntakeForm,
    NotAcceptForm,
    SettlingForm,
    TrackForm,
    WithdrawForm,
    parse_rows,
)
from .models import (
    OPEN_STATES,
    Channel,
    ComplexityCriterion,
    Matter,
    MatterDocument,
    MatterKind,
    MatterState,
    Notification,
    Result,
    Topic,
)

PAGE_SIZE = 30
MAX_CHOICES = 300
SIMILAR_MIN_CHARS = 20
TRACK_LIMIT = 20  # lookups per IP and hour
TRACK_WINDOW = 3600


def _matter(request, matter_id: int) -> Matter:
    try:
        return queries.get_matter(request.user, matter_id)
    except NotFound as exc:
        raise Http404 from exc


def _intake_units(user) -> list[Organization]:
    """The units the user may take intake for (a form's choices; the service re-checks)."""
    qs = visible(user, Organization.objects.filter(is_active=True), action="voices.intake")
    return list(qs.select_related("area").order_by("path")[:MAX_CHOICES])


def may_handle(user) -> bool:
    return visible(user, Organization.objects.all(), action="voices.handle").exists()


def _area_choices(text: str):
    today = timezone.localdate()
    return (
        Area.objects.filter(structure="2025")
        .valid_on(today)
        .search(text)
        .order_by("-depth", Vietnamese("name"))[:8]
    )


# Intake -----------------------------------------------------------------------------------

_ROW_FIELD = re.compile(r"^(citizens|matters)\.(\d+)\.(\w+)$")


def _blank_citizen(index: int) -> dict:
    return {"index": index, "name": "", "address": "", "contact": "", "errors": {}}


def _blank_matter(index: int) -> dict:
    return {
        "index": index,
        "kind": MatterKind.COMPLAINT,
        "summary": "",
        "complicated": "",
        "remote_area": "",
        "several_places": "",
        "errors": {},
    }


def _row_error(exc: DomainError, citizens: list[dict], matters: list[dict]) -> str | None:
    """Put a service error about a row on that row; the group's name if it is about the
    group; None if it names a field of the petition."""
    match = _ROW_FIELD.match(exc.field or "")
    if match:
        rows = citizens if match[1] == "citizens" else matters
        position = int(match[2])
        if position < len(rows):
            rows[position]["errors"][match[3]] = str(exc.message)
            return match[1]
    if exc.field in ("citizens", "matters"):
        return exc.field
    return None


@login_required
@sensitive_post_parameters()  # error reports never carry the citizens' names
def intake(request):
    user = request.user
    units = _intake_units(user)
    if not units:
        raise PermissionDenied
    unit = current_unit(request)
    initial = {
        "unit": unit.pk if unit in units else units[0].pk,
        "channel": Channel.RECEPTION,
        "received_on": timezone.localdate(),
    }
    posted = request.method == "POST"
    form = IntakeForm(request.POST if posted else None, units=units, initial=initial)
    citizens = [{**row, "errors": {}} for row in parse_rows(request.POST, "c", CITIZEN_FIELDS)]
    matters = [{**row, "errors": {}} for row in parse_rows(request.POST, "m", MATTER_FIELDS)]
    group_errors: dict[str, str] = {}
    area = None
    if posted and form.is_valid():
        data = form.cleaned_data
        chosen = next(u for u in units if u.pk == data["unit"])
        area = Area.objects.filter(pk=data["area"]).first() if data["area"] else chosen.area
        first = None
        if data["first_complaint"]:
            try:
                first = queries.get_matter(user, data["first_complaint"])
            except NotFound as exc:
                form.add_error("first_complaint", str(exc.message))
        if area is None:
            form.add_error(None, _("Choose the area concerned."))
        if not form.errors:
            try:
                petition = services.receive_petition(
                    actor=user,
                    unit=chosen,
                    channel=data["channel"],
                    received_on=data["received_on"],
                    area=area,
                    topic_code=data["topic"],
                    contents=data["contents"],
                    citizens=[{f: c[f] for f in CITIZEN_FIELDS} for c in citizens],
                    anonymous=data["anonymous"],
                    matters=[{f: m[f] for f in MATTER_FIELDS} for m in matters],
                    first_complaint=first,
                )
            except DomainError as exc:
                group = _row_error(exc, citizens, matters)
                if group is None:
                    form.add_service_error(exc)
                elif not any(row["errors"] for row in citizens + matters):
                    group_errors[group] = str(exc.message)
            else:
                messages.success(
                    request,
                    _("Petition received. Tracking code: %(code)s.")
                    % {"code": petition.tracking_code},
                )
                return redirect("voices:receipt", petition_id=petition.pk)
    elif posted and form.data.get("area"):
        area = Area.objects.filter(pk=_int(form.data.get("area"))).first()
    citizens = citizens or [_blank_citizen(0)]
    matters = matters or [_blank_matter(0)]
    context = {
        "form": form,
        "citizens": citizens,
        "matters": matters,
        "next_citizen": max(c["index"] for c in citizens) + 1,
        "next_matter": max(m["index"] for m in matters) + 1,
        "group_errors": group_errors,
        "area": area,
        "kinds": MatterKind.choices,
        "unit_areas": {u.pk: u.area.name for u in units},
    }
    return render(request, "voices/intake.html", context)


@login_required
def intake_row(request, kind: str):
    """One more citizen or matter row for the intake form (htmx)."""
    if not _intake_units(request.user):
        raise PermissionDenied
    index = min(max(_int(request.GET.get("i")) or 0, 0), 499)
    if kind == "citizen":
        return render(request, "voices/_intake_citizen_row.html", {"row": _blank_citizen(index)})
    if kind == "matter":
        return render(
            request,
            "voices/_intake_matter_row.html",
            {"row": _blank_matter(index), "kinds": MatterKind.choices},
        )
    raise Http404


@login_required
def intake_areas(request):
    """Areas whose name matches, diacritics ignored (htmx picker of the intake form)."""
    text = (request.GET.get("area_q") or "").strip()[:100]
    found = list(_area_choices(text)) if len(fold(text)) >= 2 else []
    parents = {
        a.path: a.name
        for a in Area.objects.filter(path__in={f.path[:4] for f in found if f.depth > 1})
    }
    for a in found:
        a.parent_name = parents.get(a.path[:4], "")
    return render(request, "voices/_intake_areas.html", {"areas": found, "q": text})


@login_required
def intake_similar(request):
    """Likely duplicates of the contents being typed: codes, dates, topics — never names."""
    user = request.user
    if not _intake_units(user):
        raise PermissionDenied
    text = (request.GET.get("contents") or "")[:2000]
    found = []
    if len(text.strip()) >= SIMILAR_MIN_CHARS:
        area_id = _int(request.GET.get("area"))
        found = queries.similar_petitions(
            user,
            text=text,
            area=Area.objects.filter(pk=area_id).first() if area_id else None,
            topic_code=(request.GET.get("topic") or "").strip()[:40] or None,
        )
    first_matter = {}
    if found:
        for pk, petition_id in (
            queries.matters(user)
            .filter(petition_id__in=[p.pk for p, _s in found])
            .order_by("pk")
            .values_list("pk", "petition_id")
        ):
            first_matter.setdefault(petition_id, pk)
    topics = {t.pk: t for t in Topic.objects.filter(pk__in={p.topic_id for p, _s in found})}
    rows = [
        {
            "code": p.tracking_code,
            "received_on": p.received_on,
            "topic": topics.get(p.topic_id),
            "score": round(score * 100),
            "matter_id": first_matter.get(p.pk),
        }
        for p, score in found
    ]
    return render(
        request, "voices/_intake_similar.html", {"rows": rows, "short": len(text.strip()) < 20}
    )


@login_required
def receipt(request, petition_id: int):
    try:
        petition = queries.get_petition(request.user, petition_id)
    except NotFound as exc:
        raise Http404 from exc
    context = {
        "petition": petition,
        "matters": list(petition.matters.order_by("pk")),
        "citizen_count": petition.citizens.count(),
        "track_url": request.build_absolute_uri(reverse("track")),
    }
    return render(request, "voices/intake_receipt.html", context)


# Worklist ---------------------------------------------------------------------------------


def _annotate_due(rows, today) -> None:
    for m in rows:
        due = m.due_on
        m.days_left = (due - today).days if due else None
        m.days_late = -m.days_left if m.days_left is not None and m.days_left < 0 else 0


def _notifications(user) -> list[Notification]:
    return list(
        Notification.objects.filter(user=user, read_at__isnull=True).order_by("-created_at")[:20]
    )


def filtered_matters(request) -> tuple:
    """The worklist's filters (also its export's): the scoped matters, what is due first
    first, and the filters as the page shows them. Only users with a role read the list."""
    user = request.user
    # Everyone with a role may read the list of their subtree (it never shows a citizen's
    # identity): commission officers and leaders follow the drill-downs of the dashboard.
    if not has_role(user):
        raise PermissionDenied
    get = request.GET
    unit = current_unit(request)
    states = [("open", _("Open")), ("all", _("Any")), *MatterState.choices]
    filters = {
        "kind": get.get("kind") if get.get("kind") in MatterKind.values else "",
        "state": get.get("state") if get.get("state") in dict(states) else "open",
        "topic": (get.get("topic") or "").strip()[:40],
        "q": (get.get("q") or "").strip()[:100],
        "mine": get.get("handler") == "me",
    }
    # Drill-downs from the dashboard: carried along, shown, and cleared with one link.
    extra = {
        "channel": get.get("channel") if get.get("channel") in Channel.values else "",
        "received_from": parse_day(get.get("received_from") or "") or "",
        "received_to": parse_day(get.get("received_to") or "") or "",
    }
    extra = {k: v for k, v in extra.items() if v}
    qs = queries.matters(
        user,
        unit=unit,
        kind=filters["kind"] or None,
        state=None if filters["state"] == "all" else filters["state"],
        topic=filters["topic"] or None,
        q=filters["q"] or None,
        **extra,
    )
    if filters["mine"]:
        qs = qs.filter(handler=user)
    # What is due first comes first; matters without a clock follow, newest first.
    qs = qs.annotate(
        due=Case(
            When(state__in=INTAKE_STATES, then=F("intake_due_on")),
            When(state__in=SETTLE_STATES, then=F("settle_due_on")),
            default=None,
        )
    ).order_by(F("due").asc(nulls_last=True), "-petition__received_on", "-pk")
    return qs, {"f": filters, "extra": extra, "unit": unit, "states": states}


@login_required
def worklist(request):
    user = request.user
    qs, shown = filtered_matters(request)
    get, unit, filters, extra = request.GET, shown["unit"], shown["f"], shown["extra"]
    today = timezone.localdate()
    page = Paginator(qs, PAGE_SIZE).get_page(get.get("page"))
    _annotate_due(page.object_list, today)
    context = {"page": page, "f": filters, "today": today, "extra": extra}
    if _is_htmx(request) and request.headers.get("HX-Target") == "worklist-rows":
        return render(request, "voices/_worklist_rows.html", context)
    due = queries.worklist(user, unit=unit, today=today)
    _annotate_due(due["overdue"], today)
    _annotate_due(due["due_soon"], today)
    context.update(
        {
            "unit": unit,
            "due": due,
            "states": shown["states"],
            "kinds": MatterKind.choices,
            "topics": Topic.objects.order_by("sort_order", "code"),
            "notifications": _notifications(user),
            "may_intake": bool(_intake_units(user)[:1]),
        }
    )
    return render(request, "voices/worklist.html", context)


@login_required
@require_POST
def notification_read(request, notification_id: int | None = None):
    """Mark one of the user's notifications (or all of them) read."""
    services.mark_notifications_read(actor=request.user, notification_id=notification_id)
    if _is_htmx(request):
        return render(
            request,
            "voices/_worklist_notifications.html",
            {"notifications": _notifications(request.user)},
        )
    return redirect("voices:worklist")


# The case page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StepSpec:
    form: type
    run: Callable
    states: tuple
    label: str
    done: str
    complaint_only: bool = False


def _complexity(d) -> dict:
    return {
        "complicated": d["complicated"],
        "especially_complicated": d.get("especially_complicated", False),
        "grounds": d.get("grounds", []),
    }


def _run_classify(actor, matter, d):
    return services.classify_matter(
        actor=actor,
        matter=matter,
        kind=d["kind"],
        **_complexity(d),
        remote_area=d["remote_area"],
        several_places=d["several_places"],
        note=d["note"],
    )


def _run_complexity(actor, matter, d):
    return services.set_complexity(
        actor=actor, matter=matter, **_complexity(d), note=d["note"], on=d["on"]
    )


def _run_accept(actor, matter, d):
    return services.accept_matter(
        actor=actor, matter=matter, on=d["on"], note=d["note"], files=d["files"]
    )


def _run_not_accept(actor, matter, d):
    return services.not_accept_matter(
        actor=actor, matter=matter, on=d["on"], reason=d["reason"], files=d["files"]
    )


def _run_forward(actor, matter, d):
    to = Organization.objects.filter(pk=d["to"]).first()
    if to is None:
        raise services.VoicesError(_("Unknown organization."), field="to")
    return services.forward_matter(
        actor=actor, matter=matter, to=to, on=d["on"], note=d["note"], files=d["files"]
    )


def _run_settling(actor, matter, d):
    return services.start_settling(
        actor=actor, matter=matter, on=d["on"], note=d["note"], files=d["files"]
    )


def _run_extend(actor, matter, d):
    return services.extend_matter(
        actor=actor,
        matter=matter,
        on=d["on"],
        decision_number=d["decision_number"],
        note=d["note"],
        files=d["files"],
    )


def _run_decide(actor, matter, d):
    return services.decide_matter(
        actor=actor,
        matter=matter,
        decision_number=d["decision_number"],
        decision_date=d["decision_date"],
        result=d["result"],
        note=d["note"],
        files=d["files"],
    )


def _run_close(actor, matter, d):
    return services.close_matter(actor=actor, matter=matter, on=d["on"], note=d["note"])


def _run_withdraw(actor, matter, d):
    return services.withdraw_matter(
        actor=actor, matter=matter, on=d["on"], note=d["note"], files=d["files"]
    )


def _run_assign(actor, matter, d):
    handler = get_user_model().objects.filter(pk=d["handler"]).first() if d["handler"] else None
    return services.assign_handler(actor=actor, matter=matter, handler=handler)


INTAKE_STATES = (MatterState.RECEIVED, MatterState.CLASSIFIED)
SETTLE_STATES = (MatterState.ACCEPTED, MatterState.SETTLING)

STEPS: dict[str, StepSpec] = {
    "classify": StepSpec(
        ClassifyForm,
        _run_classify,
        INTAKE_STATES,
        gettext_lazy("Classify"),
        gettext_lazy("Classified."),
    ),
    "accept": StepSpec(
        AcceptForm, _run_accept, INTAKE_STATES, gettext_lazy("Accept"), gettext_lazy("Accepted.")
    ),
    "not_accept": StepSpec(
        NotAcceptForm,
        _run_not_accept,
        INTAKE_STATES,
        gettext_lazy("Not accept"),
        gettext_lazy("Not accepted."),
    ),
    "forward": StepSpec(
        ForwardForm,
        _run_forward,
        INTAKE_STATES,
        gettext_lazy("Forward to the competent body"),
        gettext_lazy("Forwarded."),
    ),
    "settling": StepSpec(
        SettlingForm,
        _run_settling,
        SETTLE_STATES,
        gettext_lazy("Record a settling step"),
        gettext_lazy("Recorded."),
    ),
    "complexity": StepSpec(
        ComplexityForm,
        _run_complexity,
        SETTLE_STATES,
        gettext_lazy("Record complexity"),
        gettext_lazy("Complexity recorded."),
    ),
    "extend": StepSpec(
        ExtendForm, _run_extend, SETTLE_STATES, gettext_lazy("Extend"), gettext_lazy("Extended.")
    ),
    "decide": StepSpec(
        DecideForm, _run_decide, SETTLE_STATES, gettext_lazy("Decide"), gettext_lazy("Decided.")
    ),
    "close": StepSpec(
        CloseForm,
        _run_close,
        (MatterState.DECIDED,),
        gettext_lazy("Close"),
        gettext_lazy("Closed."),
    ),
    "withdraw": StepSpec(
        WithdrawForm,
        _run_withdraw,
        tuple(OPEN_STATES),
        gettext_lazy("Withdrawn by the complainant"),
        gettext_lazy("Withdrawal recorded."),
        complaint_only=True,
    ),
    "assign": StepSpec(
        AssignForm,
        _run_assign,
        tuple(OPEN_STATES),
        gettext_lazy("Assign a handler"),
        gettext_lazy("Handler assigned."),
    ),
}


EVENT_LABELS = {
    "received": gettext_lazy("Received"),
    "classified": gettext_lazy("Classified"),
    "accepted": gettext_lazy("Accepted"),
    "not_accepted": gettext_lazy("Not accepted"),
    "forwarded": gettext_lazy("Forwarded"),
    "settling": gettext_lazy("Settling step"),
    "extended": gettext_lazy("Extended"),
    "complexity": gettext_lazy("Complexity recorded"),
    "decided": gettext_lazy("Decided"),
    "closed": gettext_lazy("Closed"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "assigned": gettext_lazy("Handler assigned"),
}


def _forward_targets(user, matter: Matter) -> list[Organization]:
    """The bodies above the handling unit, then the others the user may see."""
    above = Organization.objects.filter(path__in=ancestors(matter.unit.path)).exclude(
        pk=matter.unit_id
    )
    others = (
        visible(user, Organization.objects.filter(is_active=True))
        .exclude(pk=matter.unit_id)
        .order_by("path")[:MAX_CHOICES]
    )
    seen, result = set(), []
    for org in [*above.order_by("-path"), *others]:
        if org.pk not in seen:
            seen.add(org.pk)
            result.append(org)
    return result


def _handlers(matter: Matter) -> list:
    """People who may handle the matter, as the service will check it."""
    people = users_who_can("voices.handle", matter)
    return sorted(people, key=lambda u: sort_key(u.get_full_name() or u.username))


def _form_for(step: str, matter: Matter, user, data=None, files=None):
    spec = STEPS[step]
    today = timezone.localdate()
    kwargs = {"prefix": step}
    if step == "forward":
        kwargs["organizations"] = _forward_targets(user, matter)
    if step == "assign":
        kwargs["people"] = _handlers(matter)
    if step in ("classify", "complexity"):
        kwargs["criteria"] = list(
            ComplexityCriterion.in_force(matter.kind, matter.petition.received_on)
        )
        kwargs["denunciation"] = matter.kind == MatterKind.DENUNCIATION
    form = _build(spec, kwargs, data, files, matter, today)
    if step == "decide":
        allowed = (
            [Result.ANSWERED]
            if matter.kind == MatterKind.RECOMMENDATION
            else [Result.UPHELD, Result.PARTLY_UPHELD, Result.REJECTED]
        )
        form.fields["result"].choices = [("", "—")] + [(r.value, r.label) for r in allowed]
    return form


def _build(spec, kwargs, data, files, matter, today):
    if data is not None:
        return spec.form(data, files, **kwargs)
    initial = {"on": today, "decision_date": today}
    if spec.form in (ClassifyForm, ComplexityForm):
        initial.update(
            kind=matter.kind,
            complicated=matter.complicated,
            especially_complicated=matter.especially_complicated,
            grounds=[c.code for c in matter.complexity_grounds.all()],
            remote_area=matter.remote_area,
            several_places=matter.several_places,
        )
    if spec.form is DecideForm and matter.kind == MatterKind.RECOMMENDATION:
        initial["result"] = Result.ANSWERED
    if spec.form is AssignForm:
        initial["handler"] = matter.handler_id
    return spec.form(initial=initial, **kwargs)


def _allowed_steps(matter: Matter) -> list[str]:
    return [
        step
        for step, spec in STEPS.items()
        if matter.state in spec.states
        and not (spec.complaint_only and matter.kind != MatterKind.COMPLAINT)
    ]


def _case_page(request, matter: Matter, *, bound=None, identity=None, status=200):
    user = request.user
    petition = matter.petition
    today = timezone.localdate()
    handler_may = can(user, "voices.handle", matter)
    steps = _allowed_steps(matter) if handler_may else []
    bound = bound or {}
    forms = []
    for step in [*steps, *(s for s in bound if s not in steps)]:
        forms.append(
            {
                "step": step,
                "label": STEPS[step].label,
                "form": bound.get(step) or _form_for(step, matter, user),
                "open": step in bound,
            }
        )
    events = list(
        matter.events.select_related("actor")
        .prefetch_related(Prefetch("documents", queryset=MatterDocument.objects.order_by("pk")))
        .order_by("on", "pk")
    )
    for event in events:
        event.label = EVENT_LABELS.get(event.step, event.step)
    _annotate_due([matter], today)
    siblings = list(
        queries.matters(user).filter(petition=petition).exclude(pk=matter.pk).order_by("pk")
    )
    first = (
        matter.first_complaint_id
        and queries.matters(user).filter(pk=matter.first_complaint_id).first()
    )
    context = {
        "matter": matter,
        "petition": petition,
        "events": events,
        "forms": forms,
        "citizen_count": petition.citizens.count(),
        "may_reveal": queries.may_reveal(user, petition),
        "identity": identity,
        "siblings": siblings,
        "first": first,
        "first_hidden": bool(matter.first_complaint_id and not first),
        "second": list(queries.matters(user).filter(first_complaint=matter).order_by("pk")),
        "rule_steps": STEPS,
    }
    return render(request, "voices/matter_detail.html", context, status=status)


@login_required
def matter_detail(request, matter_id: int):
    return _case_page(request, _matter(request, matter_id))


@login_required
@require_POST
def matter_act(request, matter_id: int, step: str):
    matter = _matter(request, matter_id)
    spec = STEPS.get(step)
    if spec is None:
        raise Http404
    if not can(request.user, "voices.handle", matter):
        raise PermissionDenied
    form = _form_for(step, matter, request.user, request.POST, request.FILES)
    if form.is_valid():
        try:
            spec.run(request.user, matter, form.cleaned_data)
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, str(spec.done))
            return redirect("voices:matter", matter_id=matter.pk)
    return _case_page(request, matter, bound={step: form})


@login_required
@require_POST
def matter_identity(request, matter_id: int):
    """The citizens' identity, for who may see it; the view is audited."""
    matter = _matter(request, matter_id)
    if not queries.may_reveal(request.user, matter.petition):
        raise PermissionDenied
    try:
        people = queries.reveal_identity(request.user, matter.petition)
    except NotFound as exc:
        raise Http404 from exc
    context = {"people": people, "petition": matter.petition}
    if _is_htmx(request):
        return render(request, "voices/_matter_identity.html", context)
    return _case_page(request, matter, identity=people)


@login_required
def document_download(request, document_id: int):
    document = MatterDocument.objects.select_related("event").filter(pk=document_id).first()
    if document is None:
        raise Http404
    _matter(request, document.event.matter_id)
    try:
        return attachment(document)
    except FileNotFoundError as exc:
        raise Http404 from exc


# Public tracking ---------------------------------------------------------------------------


def _client_ip(request) -> str:
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _over_limit(request) -> bool:
    """Count this lookup; True once the address made more than TRACK_LIMIT in the window."""
    key = f"voices:track:{_client_ip(request)}"
    cache.add(key, 0, TRACK_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, TRACK_WINDOW)
        count = 1
    return count > TRACK_LIMIT


def track(request):
    """A citizen looks up a case by its tracking code: kinds, states and due dates only.
    A wrong code and an unknown one get the same answer."""
    form = TrackForm(request.POST or None)
    result, looked_up = None, False
    if request.method == "POST":
        if _over_limit(request):
            return render(request, "voices/track_limited.html", status=429)
        looked_up = True
        if form.is_valid():
            result = queries.track(form.cleaned_data["code"])
        form = TrackForm(initial={"code": ""})
    return render(
        request, "voices/track.html", {"form": form, "result": result, "looked_up": looked_up}
    )
