"""Dialogues and the commitments made in them: the list, a new dialogue, a dialogue's page,
its commitments and their answers, and the download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can, visible
from danvan.core import tables
from danvan.core.errors import DomainError
from danvan.core.http import is_htmx as _is_htmx
from danvan.org.models import Organization
from danvan.org.units import current_unit

from .. import queries, services
from ..forms.meetings import AnswerForm, CommitmentForm, DialogueForm
from ..models import (
    Dialogue,
    Topic,
)
from .periods import (
    MAX_UNIT_CHOICES,
    PAGE_SIZE,
    PICKS,
    _base,
    _chosen,
    _in_period,
    _intake_units,
    may_record,
    period_params,
)


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
