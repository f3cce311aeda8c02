"""A matter's steps: classification, complexity, acceptance or not, forwarding, settling,
extension, decision, closing, withdrawal and its handler."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import can, require
from danvan.audit.log import record, snapshot
from danvan.org.models import Organization

from .. import rules
from ..models import (
    OPEN_STATES,
    ComplexityCriterion,
    Matter,
    MatterKind,
    MatterState,
    Result,
)
from .common import MATTER_FIELDS, VoicesError, _checked_files, _date, _event, _text
from .tallies import _cell, _count, _count_month


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
