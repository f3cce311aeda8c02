"""Reads of citizens' voices, through the scope choke point. Lists, figures and exports
never carry a citizen's identity; `reveal_identity` is the one way to read it."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

from django.db.models import CharField, Count, F, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import may_read_identity, visible
from danvan.audit.log import record
from danvan.core import crypto
from danvan.core.errors import NotFound
from danvan.core.text import fold
from danvan.core.tree import under
from danvan.org.models import Organization

from .models import (
    OPEN_STATES,
    Commitment,
    Dialogue,
    HeadRole,
    Matter,
    MatterKind,
    MatterMonthTally,
    MatterState,
    MatterTally,
    Petition,
    ReceptionRule,
    ReceptionSession,
    Topic,
)

DUE_SOON_DAYS = 3


def petitions(user, *, unit: Organization | None = None) -> QuerySet:
    qs = visible(user, Petition.objects.select_related("unit", "area", "topic"))
    if unit is not None:
        qs = qs.filter(under(unit.path, "unit__path"))
    return qs


def get_petition(user, petition_id: int) -> Petition:
    found = petitions(user).filter(pk=petition_id).first()
    if found is None:
        raise NotFound(_("Unknown petition: %(id)s.") % {"id": petition_id}, field="petition")
    return found


def matters(
    user,
    *,
    unit: Organization | None = None,
    kind: str | None = None,
    state: str | None = None,
    topic: str | None = None,
    channel: str | None = None,
    q: str | None = None,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
) -> QuerySet:
    qs = visible(
        user, Matter.objects.select_related("petition__topic", "petition__area", "unit", "handler")
    )
    if unit is not None:
        qs = qs.filter(under(unit.path, "unit__path"))
    if kind:
        qs = qs.filter(kind=kind)
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if topic:
        qs = qs.filter(petition__topic__code=topic)
    if channel:
        qs = qs.filter(petition__channel=channel)
    if received_from or received_to:
        received = F("petition__received_on")
        if _narrow(user, unit):
            # A subtree is read fastest from its units' matters. SQLite cannot estimate a
            # path range and would start from the date index (every matter of the period in
            # the country): comparing the date as text leaves it the units' index instead.
            received = Cast("petition__received_on", CharField())
            received_from = received_from and str(received_from)
            received_to = received_to and str(received_to)
        qs = qs.alias(received=received)
        if received_from:
            qs = qs.filter(received__gte=received_from)
        if received_to:
            qs = qs.filter(received__lte=received_to)
    if q:
        for word in fold(q).split()[:8]:
            qs = qs.filter(petition__fingerprint__contains=word)
    return qs.order_by("-petition__received_on", "-pk")


def _narrow(user, unit: Organization | None) -> bool:
    """Whether the rows are one subtree's rather than the whole country's."""
    return unit is not None or not getattr(user, "is_superuser", False)


def get_matter(user, matter_id: int) -> Matter:
    found = matters(user).filter(pk=matter_id).first()
    if found is None:
        raise NotFound(_("Unknown matter: %(id)s.") % {"id": matter_id}, field="matter")
    return found


def _due_q(today: dt.date, *, until: dt.date | None = None, before: dt.date | None = None) -> Q:
    intake = Q(state__in=[MatterState.RECEIVED, MatterState.CLASSIFIED])
    settle = Q(state__in=[MatterState.ACCEPTED, MatterState.SETTLING])
    if before is not None:
        return (intake & Q(intake_due_on__lt=before)) | (settle & Q(settle_due_on__lt=before))
    return (intake & Q(intake_due_on__gte=today, intake_due_on__lte=until)) | (
        settle & Q(settle_due_on__gte=today, settle_due_on__lte=until)
    )


def worklist(user, *, unit: Organization | None = None, today: dt.date | None = None) -> dict:
    """Open matters of the subtree: overdue, due within three days, and the rest."""
    today = today or timezone.localdate()
    open_matters = matters(user, unit=unit, state="open")
    return {
        "today": today,
        "overdue": list(open_matters.filter(_due_q(today, before=today))),
        "due_soon": list(
            open_matters.filter(_due_q(today, until=today + dt.timedelta(days=DUE_SOON_DAYS)))
        ),
        "open": open_matters.count(),
    }


# Identity ------------------------------------------------------------------------------


def identity_action(petition: Petition) -> str:
    kinds = set(petition.matters.values_list("kind", flat=True))
    return "voices.view_denouncer" if MatterKind.DENUNCIATION in kinds else "voices.view_identity"


def may_reveal(user, petition: Petition) -> bool:
    """Only holders of the right role covering the petition's unit."""
    return may_read_identity(user, identity_action(petition), petition)


def reveal_identity(user, petition: Petition) -> list[dict]:
    """The citizens' names, addresses and contacts, decrypted; each call is audited."""
    if not may_reveal(user, petition):
        raise NotFound(_("Not found."))
    if petition.anonymous:
        return []
    from django.db import transaction

    citizens = list(petition.citizens.order_by("pk"))
    with transaction.atomic():
        record(
            actor=user,
            action="voices.reveal_identity",
            obj=petition,
            changes={"citizens": [None, len(citizens)], "rule": [None, identity_action(petition)]},
        )
    return [
        {
            "name": crypto.decrypt(c.name_enc),
            "address": crypto.decrypt(c.address_enc),
            "contact": crypto.decrypt(c.contact_enc),
        }
        for c in citizens
    ]


# Public tracking -----------------------------------------------------------------------


def track(code: str, *, today: dt.date | None = None) -> dict | None:
    """What a citizen may see with the tracking code: states and due dates (and whether
    they have passed), and the office that handles it; nothing else."""
    code = (code or "").strip().upper()
    if len(code) != 12 or not code.isalnum():
        return None
    petition = Petition.objects.filter(tracking_code=code).select_related("unit").first()
    if petition is None:
        return None
    today = today or timezone.localdate()
    return {
        "code": petition.tracking_code,
        "received_on": petition.received_on,
        # The receiving office and how to reach it: a public office, never a person.
        "office": petition.unit.name,
        "office_contact": petition.unit.public_contact,
        "matters": [
            {
                "kind": m.get_kind_display(),
                "state": m.get_state_display(),
                "state_code": m.state,
                "due_on": m.due_on,
                "closed_on": m.closed_on,
                "overdue": bool(m.due_on and m.due_on < today and m.closed_on is None),
                "days_late": (today - m.due_on).days if m.due_on and m.due_on < today else 0,
            }
            for m in petition.matters.order_by("pk")
        ],
    }


# Similar cases and hot spots -------------------------------------------------------------


def _grams(text: str, n: int = 3) -> Counter:
    text = f" {text} "
    if n == 3:  # the common case, without a slice per position
        return Counter(map("".join, zip(text, text[1:], text[2:], strict=False)))
    return Counter(text[i : i + n] for i in range(max(len(text) - n + 1, 0)))


def _norm(grams: Counter) -> float:
    return math.sqrt(sum(v * v for v in grams.values()))


def _cosine(a: Counter, b: Counter, a_norm: float | None = None) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    # Integer counts: the dot product is exact whichever side is walked.
    dot = sum(v * large.get(k, 0) for k, v in small.items())
    return dot / ((a_norm if a_norm is not None else _norm(a)) * _norm(b))


def similar_petitions(
    user,
    *,
    text: str,
    area=None,
    topic_code: str | None = None,
    exclude_id: int | None = None,
    limit: int = 5,
    candidates: int = 400,
    threshold: float = 0.35,
) -> list[tuple[Petition, float]]:
    """Likely duplicates and related petitions: same area or same topic, recent, scored by
    cosine similarity of character trigrams of the folded text (diacritics ignored)."""
    probe = _grams(fold(text)[:2000])
    if not probe:
        return []
    filters = Q()
    if area is not None:
        filters |= Q(area=area)
    if topic_code:
        filters |= Q(topic__code=topic_code)
    pool = petitions(user).filter(filters) if filters else petitions(user)
    if exclude_id:
        pool = pool.exclude(pk=exclude_id)
    pool = pool.order_by("-received_on", "-pk").only(
        "pk", "fingerprint", "received_on", "tracking_code", "area", "topic", "unit"
    )[:candidates]
    probe_norm = _norm(probe)
    scored = [(p, _cosine(probe, _grams(p.fingerprint), probe_norm)) for p in pool]
    scored = [(p, round(s, 3)) for p, s in scored if s >= threshold]
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]


def hot_spots(
    user,
    *,
    unit: Organization | None = None,
    today: dt.date | None = None,
    months: int = 3,
    minimum: int = 3,
) -> list[dict]:
    """Area × topic groups whose petitions rose in the last `months` against the months
    before, with at least `minimum` petitions now. Groups of cases, never of people."""
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=30 * months)
    previous_start = start - dt.timedelta(days=30 * months)
    base = petitions(user, unit=unit).filter(received_on__gt=previous_start, received_on__lte=today)
    rows = (
        base.values("area_id", "area__name", "topic_id", "topic__name", "topic__name_en")
        .annotate(
            now=Count("id", filter=Q(received_on__gt=start)),
            before=Count("id", filter=Q(received_on__lte=start)),
        )
        .filter(now__gte=minimum)
        .order_by()
    )
    spots = [
        dict(row, rise=row["now"] - row["before"]) for row in rows if row["now"] > row["before"]
    ]
    spots.sort(key=lambda row: (-row["rise"], -row["now"]))
    return spots


# Figures ---------------------------------------------------------------------------------


def dashboard(
    user, *, unit: Organization | None, start: dt.date, end: dt.date, today: dt.date | None = None
) -> dict:
    """Received by kind, channel and topic; accepted; settled on time, late; overdue now;
    reception compliance and open dialogue commitments — for a subtree and a period."""
    today = today or timezone.localdate()
    period = matters(user, unit=unit, received_from=start, received_to=end)
    cells = tallied_cells(user, unit=unit, start=start, end=end, by=("kind", "state"))
    if cells is not None:
        # Whole months: the counts by kind and state come from the monthly tallies.
        total = {name: sum(row[name] for row in cells) for name in FLAGS}
        figures = {"received": total["n"]} | {
            name: total[name] for name in ("accepted", "on_time", "decided", "late")
        }
        overdue = overdue_by_unit(user, unit=unit, start=start, end=end, today=today)
        figures["overdue_now"] = sum(overdue.values())
        by_kind, by_state = Counter(), Counter()
        for row in cells:
            by_kind[row["kind"]] += row["n"]
            by_state[row["state"]] += row["n"]
        by_kind = [{"kind": k, "n": n} for k, n in sorted(by_kind.items()) if n]
        by_state = [{"state": s, "n": n} for s, n in sorted(by_state.items()) if n]
    else:
        decided = period.filter(decision_date__isnull=False, settle_due_on__isnull=False)
        figures = period.aggregate(
            received=Count("id"),
            accepted=Count("id", filter=Q(accepted_on__isnull=False)),
            on_time=Count("id", filter=Q(decision_date__lte=F("settle_due_on"))),
            decided=Count("id", filter=Q(decision_date__isnull=False)),
        )
        figures["late"] = decided.filter(decision_date__gt=F("settle_due_on")).count()
        figures["overdue_now"] = period.filter(_due_q(today, before=today)).count()
        by_kind = list(period.values("kind").annotate(n=Count("id")).order_by("kind"))
        by_state = list(period.values("state").annotate(n=Count("id")).order_by("state"))
    return {
        **figures,
        "unit": unit,
        "start": start,
        "end": end,
        "by_kind": by_kind,
        **_by_channel_and_topic(period),
        "by_state": by_state,
        "reception": reception_compliance(user, unit=unit, start=start, end=end),
        "commitments_open": commitments(user, unit=unit).filter(answered_on__isnull=True).count(),
        "commitments_overdue": commitments(user, unit=unit)
        .filter(answered_on__isnull=True, due_on__lt=today)
        .count(),
    }


def _by_channel_and_topic(period: QuerySet) -> dict:
    """Matters by channel and by topic, largest first (ties by code), from one pass over the
    period's matters grouped by both, then the few topics' names."""
    by_channel, by_topic = Counter(), Counter()
    pairs = period.order_by().values_list("petition__channel", "petition__topic_id")
    for channel, topic_id, n in pairs.annotate(n=Count("id")):
        by_channel[channel] += n
        by_topic[topic_id] += n
    topics = {t.pk: t for t in Topic.objects.filter(pk__in=list(by_topic))}
    return {
        "by_channel": [
            {"petition__channel": channel, "n": n}
            for channel, n in sorted(by_channel.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "by_topic": [
            {
                "petition__topic__code": topic.code,
                "petition__topic__name": topic.name,
                "petition__topic__name_en": topic.name_en,
                "n": n,
            }
            for topic, n in sorted(
                ((topics[pk], n) for pk, n in by_topic.items()), key=lambda tn: (-tn[1], tn[0].code)
            )
        ],
    }


def case_counts(user, *, unit: Organization | None, year: int) -> dict:
    """Matters received in `year` in the subtree, by kind and state: the same figures as
    counting `matters(user, unit=unit, received_from=1 Jan, received_to=31 Dec)`, read from
    the tallies (services keep them exact), so a national figure stays a few milliseconds.
    Tallies share the matters' scope (the handling unit), so `visible` narrows them alike."""
    qs = visible(user, MatterTally.objects.filter(year=year))
    if unit is not None:
        qs = qs.filter(under(unit.path, "unit__path"))
    cells = {
        (row["kind"], row["state"]): row["n"]
        for row in qs.order_by().values("kind", "state").annotate(n=Sum("n"))
        if row["n"]
    }
    by_kind = Counter()
    by_state = Counter()
    for (kind, state), n in cells.items():
        by_kind[kind] += n
        by_state[state] += n
    return {
        "year": year,
        "unit": unit,
        "received": sum(cells.values()),
        "open": sum(by_state[s] for s in OPEN_STATES),
        "by_kind": [{"kind": k, "label": k.label, "n": by_kind[k.value]} for k in MatterKind],
        "by_state": [{"state": s, "label": s.label, "n": by_state[s.value]} for s in MatterState],
        "cells": cells,
    }


# Figures of whole months, from the monthly tallies ----------------------------------------

FLAGS = ("n", "accepted", "decided", "on_time", "late")


def whole_months(start: dt.date | None, end: dt.date | None) -> tuple | None:
    """((year, month), (year, month)) when [start, end] selects the same petitions as whole
    months, else None. A period ending today (the dashboards' "this quarter so far") is
    whole months when no petition was received after its end — one index probe."""
    if start is None or end is None or start.day != 1 or end < start:
        return None
    month_end = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)
    if end != month_end and Petition.objects.filter(received_on__gt=end).exists():
        return None
    return (start.year, start.month), (end.year, end.month)


def _months_q(first: tuple, last: tuple) -> Q:
    (y1, m1), (y2, m2) = first, last
    if y1 == y2:
        return Q(year=y1, month__gte=m1, month__lte=m2)
    return Q(year=y1, month__gte=m1) | Q(year__gt=y1, year__lt=y2) | Q(year=y2, month__lte=m2)


def tallied_cells(
    user,
    *,
    unit: Organization | None,
    start: dt.date,
    end: dt.date,
    by: tuple[str, ...] = ("unit_id", "kind", "state"),
) -> list[dict] | None:
    """The monthly tallies of a period of whole months, summed per `by` (fields of the
    tally; () for one row of totals): n, accepted, decided, on_time, late, open and n_<kind>
    per kind; rows with no matter are left out. None when the period is not whole months
    (read the matters then). The same figures as counting
    `matters(user, unit=unit, received_from=start, received_to=end)`."""
    months = whole_months(start, end)
    if months is None:
        return None
    qs = visible(user, MatterMonthTally.objects.filter(_months_q(*months)))
    if unit is not None:
        qs = qs.filter(under(unit.path, "unit__path"))
    # (The sums named after a column come last: an annotation hides the column it names.)
    sums = {"open": Sum("n", filter=Q(state__in=OPEN_STATES))}
    sums |= {f"n_{kind}": Sum("n", filter=Q(kind=kind)) for kind in MatterKind.values}
    sums |= {name: Sum(name) for name in FLAGS}
    rows = qs.order_by().values(*by).annotate(**sums) if by else [qs.aggregate(**sums)]
    return [{k: v or 0 for k, v in row.items()} if not by else row for row in rows if row["n"]]


def overdue_by_unit(
    user, *, unit: Organization | None, start: dt.date, end: dt.date, today: dt.date
) -> dict[int, int]:
    """Matters received in the period and overdue on `today`, per handling unit: read from
    the open matters (a few percent of them), which the state indexes find directly."""
    # The overdue matters of the period first (from the state indexes; the date compared
    # as text so that the planner does not start from every matter of the period), then
    # the scope on those few rows: SQLite cannot estimate date or path ranges.
    received = Cast("petition__received_on", CharField())
    overdue = (
        Matter.objects.filter(_due_q(today, before=today))
        .alias(received=received)
        .filter(received__gte=str(start), received__lte=str(end))
        .values("pk")
    )
    qs = visible(user, Matter.objects.filter(pk__in=overdue))
    if unit is not None:
        qs = qs.filter(under(unit.path, "unit__path"))
    return Counter(qs.order_by().values_list("unit_id", flat=True))


def reception_sessions(user, *, unit: Organization | None = None) -> QuerySet:
    qs = visible(user, ReceptionSession.objects.select_related("unit"))
    return qs.filter(under(unit.path, "unit__path")) if unit is not None else qs


def dialogues(user, *, unit: Organization | None = None) -> QuerySet:
    qs = visible(user, Dialogue.objects.select_related("unit"))
    return qs.filter(under(unit.path, "unit__path")) if unit is not None else qs


def commitments(user, *, unit: Organization | None = None) -> QuerySet:
    qs = visible(user, Commitment.objects.select_related("dialogue", "owner"))
    return qs.filter(under(unit.path, "dialogue__unit__path")) if unit is not None else qs


def _periods_in(per: str, start: dt.date, end: dt.date) -> int:
    days = (end - start).days + 1
    return max(1, round(days / 7)) if per == "week" else max(1, round(days / 30.44))


def reception_compliance(
    user, *, unit: Organization | None, start: dt.date, end: dt.date
) -> list[dict]:
    """Per head: reception days required by the rules in force, held (in person or by
    delegation), and whether the head met the requirement in person."""
    sessions = reception_sessions(user, unit=unit).filter(held_on__gte=start, held_on__lte=end)
    held = {
        (row["unit_id"], row["head_role"], row["head_name"]): row
        for row in sessions.values("unit_id", "unit__name", "head_role", "head_name").annotate(
            days=Count("held_on", distinct=True),
            in_person=Count("held_on", filter=Q(head_present=True), distinct=True),
        )
    }
    # The rules in force during the period, newest first per head role: one query.
    in_force = ReceptionRule.objects.filter(effective_from__lte=end).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=start)
    )
    rules_by_role: dict[str, ReceptionRule] = {}
    for candidate in in_force.order_by("-effective_from"):
        rules_by_role.setdefault(candidate.head_role, candidate)
    result = []
    for (_unit_id, role, name), row in sorted(
        held.items(), key=lambda kv: (kv[1]["unit__name"], kv[0][2])
    ):
        rule = rules_by_role.get(role)
        required = rule.days * _periods_in(rule.per, start, end) if rule else None
        result.append(
            {
                "unit": row["unit__name"],
                "head_role": HeadRole(role).label,
                "head_name": name,
                "required": required,
                "held": row["days"],
                "in_person": row["in_person"],
                "met": required is None or row["in_person"] >= required,
                "citation": rule.citation if rule else "",
            }
        )
    return result
