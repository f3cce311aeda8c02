"""Receiving a petition: its citizens (encrypted) and its matters, whose clocks start."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.accounts.scope import require
from danvan.audit.log import record, snapshot
from danvan.core import crypto
from danvan.org.models import Area, Organization

from .. import rules
from ..models import (
    Channel,
    Citizen,
    Matter,
    MatterKind,
    MatterState,
    Petition,
    Topic,
)
from .common import MATTER_FIELDS, VoicesError, _date, _event, _text
from .tallies import _cell, _count, _count_month

ANONYMOUS_REASON = "Đơn tố cáo nặc danh: không thụ lý giải quyết (Luật Tố cáo 2018, Điều 25)."


@transaction.atomic
def receive_petition(
    *,
    actor,
    unit: Organization,
    channel: str,
    received_on,
    area: Area,
    topic_code: str,
    contents: str,
    matters: list[dict],
    citizens: list[dict] | None = None,
    anonymous: bool = False,
    first_complaint: Matter | None = None,
    reception=None,
    dialogue=None,
    today: dt.date | None = None,
) -> Petition:
    """Record a received petition with its citizens (encrypted) and its matters.

    `matters`: [{kind, summary, complicated?, remote_area?, several_places?}];
    `citizens`: [{name, address?, contact?}] (none when anonymous). Collective petitions
    list several citizens. The clocks start on `received_on`."""
    require(actor, "voices.intake", unit)
    if channel not in Channel.values:
        raise VoicesError(_("Unknown channel: %(c)s.") % {"c": channel}, field="channel")
    received_on = _date(received_on, "received_on", today=today)
    topic = Topic.objects.filter(code=topic_code).first()
    if topic is None:
        raise VoicesError(_("Unknown topic: %(code)s.") % {"code": topic_code}, field="topic")
    contents = _text(contents, "contents", max_length=20000)
    if not matters:
        raise VoicesError(_("A petition holds at least one matter."), field="matters")
    if len(matters) > 20:
        raise VoicesError(_("At most 20 matters per petition."), field="matters")
    citizens = [] if anonymous else list(citizens or [])
    if not anonymous and not citizens:
        raise VoicesError(
            _("Record at least one citizen, or mark the petition anonymous."), field="citizens"
        )
    if len(citizens) > 500:
        raise VoicesError(_("At most 500 citizens per petition."), field="citizens")
    cleaned_citizens = [
        (
            _text(c.get("name"), f"citizens.{i}.name", max_length=200),
            _text(c.get("address"), f"citizens.{i}.address", max_length=300, required=False),
            _text(c.get("contact"), f"citizens.{i}.contact", max_length=100, required=False),
        )
        for i, c in enumerate(citizens)
    ]
    cleaned_matters = []
    for i, m in enumerate(matters):
        kind = m.get("kind")
        if kind not in MatterKind.values:
            raise VoicesError(
                _("Each matter is a complaint, a denunciation or a recommendation."),
                field=f"matters.{i}.kind",
            )
        if kind == MatterKind.DENUNCIATION and m.get("complicated"):
            raise VoicesError(
                _(
                    "Whether a denunciation is complicated is decided when it is classified, "
                    "with the grounds that make it so."
                ),
                field=f"matters.{i}.complicated",
            )
        cleaned_matters.append(
            {
                "kind": kind,
                "summary": _text(m.get("summary"), f"matters.{i}.summary", max_length=5000),
                "complicated": bool(m.get("complicated")),
                "remote_area": bool(m.get("remote_area")),
                "several_places": bool(m.get("several_places")),
            }
        )
    if first_complaint is not None:
        if first_complaint.kind != MatterKind.COMPLAINT or (
            first_complaint.state != MatterState.DECIDED
            and first_complaint.state != MatterState.CLOSED
        ):
            raise VoicesError(
                _("A second-time complaint follows a decided first complaint."),
                field="first_complaint",
            )
        if any(m["kind"] != MatterKind.COMPLAINT for m in cleaned_matters):
            raise VoicesError(
                _("A second-time complaint holds complaints only."), field="first_complaint"
            )
    petition = Petition.objects.create(
        unit=unit,
        channel=channel,
        received_on=received_on,
        area=area,
        topic=topic,
        contents=contents,
        anonymous=anonymous,
        reception=reception,
        dialogue=dialogue,
        created_by=actor,
    )
    Citizen.objects.bulk_create(
        [
            Citizen(
                petition=petition,
                name_enc=crypto.encrypt(name),
                address_enc=crypto.encrypt(address),
                contact_enc=crypto.encrypt(contact),
            )
            for name, address, contact in cleaned_citizens
        ]
    )
    for spec in cleaned_matters:
        matter = Matter(petition=petition, unit=unit, first_complaint=first_complaint, **spec)
        matter.intake_due_on = rules.intake_due(matter, received_on)
        if anonymous and matter.kind == MatterKind.DENUNCIATION:
            matter.state, matter.not_accepted_reason, matter.closed_on = (
                MatterState.NOT_ACCEPTED,
                ANONYMOUS_REASON,
                received_on,
            )
            matter.intake_due_on = None
        matter.save()
        _count(matter, matter.kind, matter.state, +1)
        _count_month(matter, _cell(matter, snapshot(matter, MATTER_FIELDS)), +1)
        _event(actor, matter, "received", received_on)
        if matter.state == MatterState.NOT_ACCEPTED:
            _event(actor, matter, "not_accepted", received_on, ANONYMOUS_REASON)
    record(
        actor=actor,
        action="voices.receive_petition",
        obj=petition,
        # Counts only: the audit log never holds a citizen's identity.
        changes={
            "channel": [None, channel],
            "citizens": [None, len(cleaned_citizens)],
            "matters": [None, [m["kind"] for m in cleaned_matters]],
            "anonymous": [None, anonymous],
        },
    )
    return petition
