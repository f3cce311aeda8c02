"""Every write on citizens' voices: atomic, permission-checked, audited, and never putting a
citizen's identity into the audit log, an error message or a log line."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import can, require
from danvan.audit.log import record, snapshot
from danvan.core import crypto
from danvan.core.errors import DomainError, clean_text
from danvan.core.uploads import check_upload, sha256_of
from danvan.org.models import Area, Organization

from . import rules
from .models import (
    OPEN_STATES,
    Channel,
    Citizen,
    ComplexityCriterion,
    Matter,
    MatterDocument,
    MatterEvent,
    MatterKind,
    MatterMonthTally,
    MatterState,
    MatterTally,
    Notification,
    Petition,
    Result,
    Topic,
)


class VoicesError(DomainError):
    pass


ANONYMOUS_REASON = "Đơn tố cáo nặc danh: không thụ lý giải quyết (Luật Tố cáo 2018, Điều 25)."
MATTER_FIELDS = [
    "state", "kind", "complicated", "especially_complicated", "remote_area", "several_places", "accepted_on", "intake_due_on",
    "settle_due_on", "extensions", "decision_number", "decision_date", "result", "closed_on",
    "forwarded_to_id", "handler_id",
]  # fmt: skip


def _text(value, field: str, *, max_length: int, required: bool = True) -> str:
    # Short fields are folded to one line; long ones (contents, notes) keep their lines.
    return clean_text(
        value, field, max_length=max_length, required=required,
        multiline=max_length > 300, error=VoicesError,
    )  # fmt: skip


def _date(value, field: str, *, today: dt.date | None = None) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise VoicesError(_("Enter a valid date."), field=field) from exc
    if not isinstance(value, dt.date):
        raise VoicesError(_("Enter a valid date."), field=field)
    if value > (today or timezone.localdate()):
        raise VoicesError(_("The date cannot be in the future."), field=field)
    return value


def _event(
    actor, matter: Matter, step: str, on: dt.date, note: str = "", files=None
) -> MatterEvent:
    event = MatterEvent.objects.create(
        matter=matter, step=step, on=on, note=note or "", actor=actor
    )
    for upload, name, content_type in files or []:
        document = MatterDocument(
            event=event,
            original_name=name,
            content_type=content_type,
            size=upload.size,
            sha256=sha256_of(upload),
        )
        document.file.save(name, upload, save=False)
        document.save()
    return event


def _checked_files(files: list[UploadedFile] | None):
    return [
        (upload, *check_upload(upload, field="files", error=VoicesError)) for upload in files or []
    ]


def _audit(actor, action: str, matter: Matter, before: dict) -> None:
    # Classification may change the kind as well as the state: both are tally keys.
    if (before.get("kind"), before.get("state")) != (matter.kind, matter.state):
        _count(matter, before.get("kind"), before.get("state"), -1)
        _count(matter, matter.kind, matter.state, +1)
    # The monthly tallies also count accepted / decided / on time / late.
    old, new = _cell(matter, before), _cell(matter, snapshot(matter, MATTER_FIELDS))
    if old != new:
        _count_month(matter, old, -1)
        _count_month(matter, new, +1)
    record(
        actor=actor, action=action, obj=matter, before=before, after=snapshot(matter, MATTER_FIELDS)
    )


# Tallies (the summary behind queries.case_counts) -----------------------------------


def _count(matter: Matter, kind: str | None, state: str | None, delta: int) -> None:
    """Move one matter in or out of a tally row, in the caller's transaction."""
    if not kind or not state:
        return
    key = {
        "unit_id": matter.unit_id,
        "year": matter.petition.received_on.year,
        "kind": kind,
        "state": state,
    }
    if MatterTally.objects.filter(**key).update(n=F("n") + delta):
        return
    try:
        with transaction.atomic():
            MatterTally.objects.create(n=delta, **key)
    except IntegrityError:  # created meanwhile by a concurrent write
        MatterTally.objects.filter(**key).update(n=F("n") + delta)


def _cell(matter: Matter, fields: dict) -> tuple | None:
    """The monthly tally cell a matter counts in and what it adds there, from a snapshot
    of its fields (dates as dates or ISO strings): (kind, state, accepted, decided,
    on_time, late)."""
    kind, state = fields.get("kind"), fields.get("state")
    if not kind or not state:
        return None
    decision, settle = fields.get("decision_date"), fields.get("settle_due_on")
    both = decision is not None and settle is not None
    return (
        kind,
        state,
        int(fields.get("accepted_on") is not None),
        int(decision is not None),
        int(both and str(decision) <= str(settle)),
        int(both and str(decision) > str(settle)),
    )


def _count_month(matter: Matter, cell: tuple | None, delta: int) -> None:
    if cell is None:
        return
    kind, state, accepted, decided, on_time, late = cell
    received = matter.petition.received_on
    key = {
        "unit_id": matter.unit_id,
        "year": received.year,
        "month": received.month,
        "kind": kind,
        "state": state,
    }
    values = {"n": delta, "accepted": accepted * delta, "decided": decided * delta}
    values |= {"on_time": on_time * delta, "late": late * delta}
    if MatterMonthTally.objects.filter(**key).update(
        **{name: F(name) + value for name, value in values.items()}
    ):
        return
    try:
        with transaction.atomic():
            MatterMonthTally.objects.create(**key, **values)
    except IntegrityError:  # created meanwhile by a concurrent write
        MatterMonthTally.objects.filter(**key).update(
            **{name: F(name) + value for name, value in values.items()}
        )


def month_tally_rows():
    """A recount of the monthly tallies from the matters, in a stable order."""
    return (
        Matter.objects.order_by()
        .annotate(
            year=ExtractYear("petition__received_on"), month=ExtractMonth("petition__received_on")
        )
        .values("unit_id", "year", "month", "kind", "state")
        .annotate(
            n=Count("id"),
            accepted=Count("id", filter=Q(accepted_on__isnull=False)),
            decided=Count("id", filter=Q(decision_date__isnull=False)),
            on_time=Count("id", filter=Q(decision_date__lte=F("settle_due_on"))),
            late=Count("id", filter=Q(decision_date__gt=F("settle_due_on"))),
        )
        .order_by("unit_id", "year", "month", "kind", "state")
    )


@transaction.atomic
def rebuild_tallies() -> int:
    """Recount every tally from the matters (after bulk loads or restructuring)."""
    MatterMonthTally.objects.all().delete()
    batch = []
    for row in month_tally_rows().iterator(chunk_size=5000):
        batch.append(MatterMonthTally(**row))
        if len(batch) == 5000:  # a batch at a time: a national recount is ~0.5M rows
            MatterMonthTally.objects.bulk_create(batch)
            batch = []
    MatterMonthTally.objects.bulk_create(batch)
    MatterTally.objects.all().delete()
    year = ExtractYear("petition__received_on")
    rows = (
        Matter.objects.order_by()
        .annotate(year=year)
        .values("unit_id", "year", "kind", "state")
        .annotate(n=Count("id"))
        .order_by("unit_id", "year", "kind", "state")  # the same rows in the same order
    )
    tallies = [MatterTally(**row) for row in rows]
    MatterTally.objects.bulk_create(tallies, batch_size=5000)
    return len(tallies)


# Intake -------------------------------------------------------------------------------


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


def _matter_for_update(matter: Matter) -> Matter:
    return Matter.objects.select_for_update().select_related("petition", "unit").get(pk=matter.pk)


def _expect(matter: Matter, *states) -> None:
    if matter.state not in states:
        raise VoicesError(
            _("Not possible while the matter is %(state)s.")
            % {"state": matter.get_state_display().lower()},
            field="state",
            code="wrong_state",
        )


def _step_date(matter: Matter, on) -> dt.date:
    on = _date(on, "on")
    if on < matter.petition.received_on:
        raise VoicesError(_("A step cannot be dated before the matter was received."), field="on")
    return on


@transaction.atomic
def classify_matter(
    *,
    actor,
    matter: Matter,
    kind: str | None = None,
    complicated: bool | None = None,
    especially_complicated: bool | None = None,
    grounds: list[str] | None = None,
    remote_area: bool | None = None,
    several_places: bool | None = None,
    note: str = "",
    on=None,
) -> Matter:
    """Confirm or correct the kind and the conditions; the intake clock is recomputed with
    the rules in force on the day it started (receipt). `grounds`: the codes of the
    complexity criteria that apply (required for a complicated denunciation)."""
    require(actor, "voices.handle", matter)
    matter = _matter_for_update(matter)
    _expect(matter, MatterState.RECEIVED, MatterState.CLASSIFIED)
    before = snapshot(matter, MATTER_FIELDS)
    on = _step_date(matter, on or timezone.localdate())
    if kind is not None:
        if kind not in MatterKind.values:
            raise VoicesError(
                _("Each matter is a complaint, a denunciation or a recommendation."), field="kind"
            )
        if matter.first_complaint_id and kind != MatterKind.COMPLAINT:
            raise VoicesError(_("A second-time complaint holds complaints only."), field="kind")
        matter.kind = kind
    for name, value in (("remote_area", remote_area), ("several_places", several_places)):
        if value is not None:
            setattr(matter, name, bool(value))
    _apply_complexity(matter, complicated, especially_complicated, grounds)
    matter.intake_due_on = rules.intake_due(matter, matter.petition.received_on)
    matter.state = MatterState.CLASSIFIED
    matter.save()
    _event(actor, matter, "classified", on, note)
    _audit(actor, "voices.classify", matter, before)
    return matter


def _apply_complexity(matter: Matter, complicated, especially_complicated, grounds) -> None:
    """Set the complexity flags and their grounds (None keeps what is recorded), after
    checking them against the law: only a denunciation is "especially complicated" (Law on
    Denunciations 2018, Art. 30), which implies complicated; a complicated denunciation
    names the criteria in force on the day it was received that make it so."""
    if complicated is not None:
        matter.complicated = bool(complicated)
    if especially_complicated is not None:
        matter.especially_complicated = bool(especially_complicated)
    if matter.especially_complicated and matter.kind != MatterKind.DENUNCIATION:
        raise VoicesError(
            _("Only a denunciation can be especially complicated (Law on Denunciations 2018, "
              "Art. 30)."),
            field="especially_complicated",
        )  # fmt: skip
    if matter.especially_complicated:
        matter.complicated = True
    chosen = None
    if grounds is not None:
        codes = sorted({str(code) for code in grounds})
        in_force = ComplexityCriterion.in_force(matter.kind, matter.petition.received_on)
        chosen = list(in_force.filter(code__in=codes))
        unknown = set(codes) - {c.code for c in chosen}
        if unknown:
            raise VoicesError(
                _("Unknown ground of complexity: %(codes)s.")
                % {"codes": ", ".join(sorted(unknown))},
                field="grounds",
            )
        if not matter.complicated:
            chosen = []
    if matter.pk and chosen is not None:
        matter.complexity_grounds.set(chosen)
    if (
        matter.kind == MatterKind.DENUNCIATION
        and matter.complicated
        and not (chosen if chosen is not None else matter.complexity_grounds.exists())
    ):
        raise VoicesError(
            _("Tick the grounds that make this denunciation complicated."), field="grounds"
        )


@transaction.atomic
def set_complexity(
    *,
    actor,
    matter: Matter,
    complicated: bool,
    especially_complicated: bool = False,
    grounds: list[str] | None = None,
    note: str = "",
    on=None,
) -> Matter:
    """Record, while a matter is open, that it is (especially) complicated — or no longer
    so — with its grounds. Once accepted, the settlement clock takes the rule for the new
    condition among the rules in force on the day of acceptance; extensions already
    granted must stay within it."""
    require(actor, "voices.handle", matter)
    matter = _matter_for_update(matter)
    _expect(
        matter, MatterState.RECEIVED, MatterState.CLASSIFIED, MatterState.ACCEPTED,
        MatterState.SETTLING,
    )  # fmt: skip
    on = _step_date(matter, on or timezone.localdate())
    note = _text(note, "note", max_length=2000, required=False)
    before = snapshot(matter, MATTER_FIELDS)
    _apply_complexity(matter, complicated, especially_complicated, grounds or [])
    if matter.accepted_on is not None:
        matter.settlement_rule = rules.rule_for(
            matter.kind, rules.settle_step(matter), rules.conditions_of(matter), matter.accepted_on
        )
        allowed = matter.settlement_rule.max_extensions if matter.settlement_rule else 0
        if matter.extensions > allowed:
            raise VoicesError(
                _("%(n)d extensions were already granted; the rule for this condition allows "
                  "%(allowed)d (%(rule)s).")
                % {"n": matter.extensions, "allowed": allowed,
                   "rule": matter.settlement_rule.citation if matter.settlement_rule else "—"},
                field="complicated",
            )  # fmt: skip
        matter.settle_due_on = rules.settle_due(matter)
    else:
        matter.intake_due_on = rules.intake_due(matter, matter.petition.received_on)
    matter.save()
    grounds_text = "; ".join(c.text for c in matter.complexity_grounds.all())
    _event(actor, matter, "complexity", on, "\n".join(filter(None, [grounds_text, note])))
    _audit(actor, "voices.complexity", matter, before)
    return matter


@transaction.atomic
def accept_matter(*, actor, matter: Matter, on, note: str = "", files=None) -> Matter:
    """Accept for settlement; the settlement clock starts on `on` with the rules in force then."""
    require(actor, "voices.handle", matter)
    matter = _matter_for_update(matter)
    _expect(matter, MatterState.RECEIVED, MatterState.CLASSIFIED)
    on = _date(on, "on")
    if on < matter.petition.received_on:
        raise VoicesError(_("A matter cannot be accepted before it was received."), field="on")
    if matter.petition.anonymous and matter.kind == MatterKind.DENUNCIATION:
        raise VoicesError(
            _("An anonymous denunciation is not settled (Law on Denunciations 2018, Art. 25)."),
            field="kind",
        )
    checked = _checked_files(files)
    before = snapshot(matter, MATTER_FIELDS)
    matter.state, matter.accepted_on = MatterState.ACCEPTED, on
    matter.settle_due_on = rules.settle_due(matter)
    matter.save()
    _event(actor, matter, "accepted", on, note, checked)
    _audit(actor, "voices.accept", matter, before)
    return matter


@transaction.atomic
def not_accept_matter(*, actor, matter: Matter, on, reason: str, files=None) -> Matter:
    require(actor, "voices.handle", matter)
    matter = _matter_for_update(matter)
    _expect(matter, MatterState.RECEIVED, MatterState.CLASSIFIED)
    on = _step_date(matter, on)
    reason = _text(reason, "reason", max_length=2000)
    checked = _checked_files(files)
    before = snapshot(matter, MATTER_FIELDS)
    matter.state, matter.not_accepted_reason, matter.closed_on = (
        MatterState.NOT_ACCEPTED,
        reason,
        on,
    )
    matter.save()
    _event(actor, matter, "not_accepted", on, reason, checked)
    _audit(actor, "voices.not_accept", matter, before)
    return matter


@transaction.atomic
def forward_matter(
    *, actor, matter: Matter, to: Organization, on, note: str = "", files=None
) -> Matter:
    """Send a matter outside this unit's competence to the competent body."""
    require(actor, "voices.handle", matter)
    matter = _matter_for_update(matter)
    _expect(matter, MatterState.RECEIVED, MatterState.CLASSIFIED)
    if to.pk == matter.unit_id:
        raise VoicesError(_("Forward to another body than the one handling it."), field="to")
    on = _step_date(matter, on)
    checked = _checked_files(files)
    before = snapshot(matter, MATTER_FIELDS)
    matter.state, matter.forwarded_to, matter.closed_on = MatterState.FORWARDED, to, on
    matter.save()
    _event(actor, matter, "forwarded", on, note or to.name, checked)
    _audit(actor, "voices.forward", matter, before)
    return matter


@transaction.atomic
def start_settling(*, actor, matter: Matter, on, note: str = "", files=None) -> Matter:
    """Verification, meetings: the matter is being settled."""
    require(actor, "voices.handle", matter)
    matter = _matter_for_update(matter)
    _expect(matter, MatterState.ACCEPTED, MatterState.SETTLING)
    on = _date(on, "on")
    if on < matter.accepted_on:
        raise VoicesError(_("Settling cannot start before acceptance."), field="on")
    checked = _checked_files(files)
    before = snapshot(matter, MATTER_FIELDS)
    matter.state = MatterState.SETTLING
    matter.save(update_fields=["state"])
    _event(actor, matter, "settling", on, note, checked)
    _audit(actor, "voices.settle_step", matter, before)
    return matter


@transaction.atomic
def extend_matter(
    *, actor, matter: Matter, on, decision_number: str, note: str = "", files=None
) -> Matter:
    """Extend the settlement time by decision, within the rule's maximum."""
    require(actor, "voices.handle", matter)
    matter = _matter_for_update(matter)
    _expect(matter, MatterState.ACCEPTED, MatterState.SETTLING)
    on = _date(on, "on")
    if on < matter.accepted_on:
        raise VoicesError(_("An extension cannot be dated before acceptance."), field="on")
    decision_number = _text(decision_number, "decision_number", max_length=100)
    rule = rules.settle_rule(matter)
    if rule is not None and rule.max_extensions == 0 and matter.kind == MatterKind.DENUNCIATION:
        raise VoicesError(
            _("An ordinary denunciation is not extended (%(rule)s): only a complicated one, once, "
              "or an especially complicated one, twice, each by at most 30 days.")
            % {"rule": rule.citation},
            field="extensions",
        )  # fmt: skip
    if rule is None or matter.extensions >= rule.max_extensions:
        raise VoicesError(
            _("No further extension is allowed (at most %(n)d under %(rule)s).")
            % {"n": rule.max_extensions if rule else 0, "rule": rule.citation if rule else "—"},
            field="extensions",
        )
    checked = _checked_files(files)
    before = snapshot(matter, MATTER_FIELDS)
    matter.extensions += 1
    matter.settle_due_on = rules.settle_due(matter)
    matter.save(update_fields=["extensions", "settle_due_on"])
    _event(actor, matter, "extended", on, f"{decision_number} {note}".strip(), checked)
    _audit(actor, "voices.extend", matter, before)
    return matter


@transaction.atomic
def decide_matter(
    *,
    actor,
    matter: Matter,
    decision_number: str,
    decision_date,
    result: str,
    note: str = "",
    files=None,
) -> Matter:
    require(actor, "voices.handle", matter)
    matter = _matter_for_update(matter)
    if matter.state in (MatterState.RECEIVED, MatterState.CLASSIFIED):
        raise VoicesError(
            _("A decision comes after the matter is accepted."), field="decision_date"
        )
    _expect(matter, MatterState.ACCEPTED, MatterState.SETTLING)
    decision_date = _date(decision_date, "decision_date")
    if decision_date < matter.accepted_on:
        raise VoicesError(
            _("The decision cannot be dated before acceptance."), field="decision_date"
        )
    allowed = (
        [Result.ANSWERED]
        if matter.kind == MatterKind.RECOMMENDATION
        else [Result.UPHELD, Result.PARTLY_UPHELD, Result.REJECTED]
    )
    if result not in allowed:
        raise VoicesError(
            _("The result must be one of: %(r)s.")
            % {"r": ", ".join(str(Result(r).label) for r in allowed)},
            field="result",
        )
    checked = _checked_files(files)
    before = snapshot(matter, MATTER_FIELDS)
    matter.state, matter.result = MatterState.DECIDED, result
    matter.decision_number = _text(decision_number, "decision_number", max_length=100)
    matter.decision_date = decision_date
    matter.save()
    _event(actor, matter, "decided", decision_date, note, checked)
    _audit(actor, "voices.decide", matter, before)
    return matter


@transaction.atomic
def close_matter(*, actor, matter: Matter, on, note: str = "") -> Matter:
    require(actor, "voices.handle", matter)
    matter = _matter_for_update(matter)
    _expect(matter, MatterState.DECIDED)
    on = _date(on, "on")
    if on < matter.decision_date:
        raise VoicesError(_("A matter cannot close before its decision."), field="on")
    before = snapshot(matter, MATTER_FIELDS)
    matter.state, matter.closed_on = MatterState.CLOSED, on
    matter.save(update_fields=["state", "closed_on"])
    _event(actor, matter, "closed", on, note)
    _audit(actor, "voices.close", matter, before)
    return matter


@transaction.atomic
def withdraw_matter(*, actor, matter: Matter, on, note: str = "", files=None) -> Matter:
    """The complainant withdraws the complaint."""
    require(actor, "voices.handle", matter)
    matter = _matter_for_update(matter)
    if matter.kind != MatterKind.COMPLAINT:
        raise VoicesError(_("Only a complaint can be withdrawn."), field="kind")
    _expect(matter, *OPEN_STATES)
    on = _step_date(matter, on)
    checked = _checked_files(files)
    before = snapshot(matter, MATTER_FIELDS)
    matter.state, matter.closed_on = MatterState.WITHDRAWN, on
    matter.save(update_fields=["state", "closed_on"])
    _event(actor, matter, "withdrawn", on, note, checked)
    _audit(actor, "voices.withdraw", matter, before)
    return matter


@transaction.atomic
def assign_handler(*, actor, matter: Matter, handler) -> Matter:
    require(actor, "voices.handle", matter)
    if handler is not None and not can(handler, "voices.handle", matter):
        raise VoicesError(_("This person cannot handle matters of this unit."), field="handler")
    matter = _matter_for_update(matter)
    before = snapshot(matter, MATTER_FIELDS)
    matter.handler = handler
    matter.save(update_fields=["handler"])
    # The timeline shows who handles the matter since when, like every other step.
    note = (handler.get_full_name() or handler.get_username()) if handler is not None else ""
    _event(actor, matter, "assigned", timezone.localdate(), note)
    _audit(actor, "voices.assign", matter, before)
    return matter


@transaction.atomic
def mark_notifications_read(*, actor, notification_id: int | None = None) -> int:
    """The actor's own unread notifications (one, or all) marked read; how many."""
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    marked = unread.update(read_at=timezone.now())
    if marked:
        record(actor=actor, action="voices.read_notifications", obj=actor, after={"count": marked})
    return marked
