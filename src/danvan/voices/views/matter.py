"""The case (matter) page: its timeline, the forms of the steps the state allows, the
citizens' identity for who may see it (audited), and its documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can, users_who_can, visible
from danvan.core.collation import sort_key
from danvan.core.errors import DomainError, NotFound
from danvan.core.http import is_htmx as _is_htmx
from danvan.core.tree import ancestors
from danvan.core.uploads import attachment
from danvan.org.models import Organization

from .. import queries, services
from ..forms.cases import (
    AcceptForm,
    AssignForm,
    ClassifyForm,
    CloseForm,
    ComplexityForm,
    DecideForm,
    ExtendForm,
    ForwardForm,
    NotAcceptForm,
    SettlingForm,
    WithdrawForm,
)
from ..models import (
    OPEN_STATES,
    ComplexityCriterion,
    Matter,
    MatterDocument,
    MatterKind,
    MatterState,
    Result,
)
from .common import INTAKE_STATES, MAX_CHOICES, SETTLE_STATES, _annotate_due, _matter


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
