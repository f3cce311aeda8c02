"""Citizen reception sessions and dialogues, with the commitments made in them."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.accounts.scope import require
from danvan.audit.log import record, snapshot
from danvan.org.models import Organization

from ..models import Commitment, Dialogue, HeadRole, ReceptionSession, Topic
from .common import VoicesError, _date, _text


@transaction.atomic
def record_reception(
    *,
    actor,
    unit: Organization,
    head_role: str,
    head_name: str,
    held_on,
    head_present: bool = True,
    delegate: str = "",
    citizens_received: int = 0,
    notes: str = "",
) -> ReceptionSession:
    """A reception day held by a head (or by a delegate when the head was absent)."""
    require(actor, "voices.intake", unit)
    if head_role not in HeadRole.values:
        raise VoicesError(_("Unknown head: %(role)s.") % {"role": head_role}, field="head_role")
    delegate = _text(delegate, "delegate", max_length=200, required=not head_present)
    try:
        citizens_received = int(citizens_received)
    except (TypeError, ValueError) as exc:
        raise VoicesError(_("Enter a whole number."), field="citizens_received") from exc
    if citizens_received < 0:
        raise VoicesError(_("Enter a whole number."), field="citizens_received")
    session = ReceptionSession.objects.create(
        unit=unit,
        head_role=head_role,
        head_name=_text(head_name, "head_name", max_length=200),
        held_on=_date(held_on, "held_on"),
        head_present=bool(head_present),
        delegate=delegate if not head_present else "",
        citizens_received=citizens_received,
        notes=_text(notes, "notes", max_length=5000, required=False),
    )
    record(actor=actor, action="voices.record_reception", obj=session, after=snapshot(session))
    return session


@transaction.atomic
def record_dialogue(
    *,
    actor,
    unit: Organization,
    title: str,
    held_on,
    heads: str,
    participants: int = 0,
    topic_codes: list[str] | None = None,
    notes: str = "",
) -> Dialogue:
    require(actor, "voices.intake", unit)
    topics = list(Topic.objects.filter(code__in=topic_codes or []))
    if len(topics) != len(set(topic_codes or [])):
        raise VoicesError(_("Unknown topic."), field="topics")
    try:
        participants = int(participants)
    except (TypeError, ValueError) as exc:
        raise VoicesError(_("Enter a whole number."), field="participants") from exc
    dialogue = Dialogue.objects.create(
        unit=unit,
        title=_text(title, "title", max_length=300),
        held_on=_date(held_on, "held_on"),
        heads=_text(heads, "heads", max_length=300),
        participants=max(participants, 0),
        notes=_text(notes, "notes", max_length=5000, required=False),
    )
    dialogue.topics.set(topics)
    record(actor=actor, action="voices.record_dialogue", obj=dialogue, after=snapshot(dialogue))
    return dialogue


@transaction.atomic
def add_commitment(
    *, actor, dialogue: Dialogue, content: str, owner: Organization, due_on
) -> Commitment:
    """What the heads committed to, who owns it and by when."""
    require(actor, "voices.intake", dialogue)
    import datetime as dt

    if isinstance(due_on, str):
        try:
            due_on = dt.date.fromisoformat(due_on)
        except ValueError as exc:
            raise VoicesError(_("Enter a valid date."), field="due_on") from exc
    if not isinstance(due_on, dt.date) or due_on < dialogue.held_on:
        raise VoicesError(_("The due date comes after the dialogue."), field="due_on")
    commitment = Commitment.objects.create(
        dialogue=dialogue,
        content=_text(content, "content", max_length=2000),
        owner=owner,
        due_on=due_on,
    )
    record(actor=actor, action="voices.add_commitment", obj=commitment, after=snapshot(commitment))
    return commitment


@transaction.atomic
def answer_commitment(*, actor, commitment: Commitment, answered_on, answer: str) -> Commitment:
    require(actor, "voices.intake", commitment.owner)
    answered_on = _date(answered_on, "answered_on")
    if answered_on < commitment.dialogue.held_on:
        raise VoicesError(_("The answer comes after the dialogue."), field="answered_on")
    before = snapshot(commitment, ["answered_on", "answer"])
    commitment.answered_on, commitment.answer = (
        answered_on,
        _text(answer, "answer", max_length=5000),
    )
    commitment.save(update_fields=["answered_on", "answer"])
    record(
        actor=actor,
        action="voices.answer_commitment",
        obj=commitment,
        before=before,
        after=snapshot(commitment, ["answered_on", "answer"]),
    )
    return commitment
