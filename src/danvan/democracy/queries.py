"""Reads of grassroots democracy, through the scope choke point; and the public portal's
reads, which need no sign-in and therefore return only what may be published: items,
aggregates and organizations — never a household's representative, a household's vote or
a board member's name."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import scope_q, visible
from danvan.core.collation import Vietnamese
from danvan.core.errors import NotFound
from danvan.core.text import search_q
from danvan.core.tree import under
from danvan.org.models import Area, AreaLevel, Organization, Structure

from .models import (
    Activity,
    Consultation,
    ConsultationState,
    Disclosure,
    DisclosureCategory,
    DisclosureDocument,
    DisclosureRule,
    DisclosureStatus,
    Household,
    MatterMode,
    MatterType,
    Recommendation,
    SatisfactionSurvey,
    SupervisionBody,
    ThresholdRule,
)


def _today(today):
    return today or timezone.localdate()


def _in(qs: QuerySet, unit: Organization | None, field: str) -> QuerySet:
    return qs.filter(under(unit.path, field)) if unit is not None else qs


def status_q(status: str, today: dt.date) -> Q:
    """The disclosure status as a filter (the same rule as Disclosure.status)."""
    published = Q(published_on__isnull=False)
    if status == DisclosureStatus.ON_TIME:
        return published & (Q(due_on__isnull=True) | Q(published_on__lte=F("due_on")))
    if status == DisclosureStatus.LATE:
        return published & Q(published_on__gt=F("due_on"))
    if status == DisclosureStatus.MISSING:
        return Q(published_on__isnull=True, due_on__lt=today)
    if status == DisclosureStatus.PENDING:
        return Q(published_on__isnull=True) & (Q(due_on__isnull=True) | Q(due_on__gte=today))
    return Q()


# Rules ---------------------------------------------------------------------------------------


def rule_tables() -> dict:
    return {
        "disclosure": list(
            DisclosureRule.objects.select_related("category").order_by(
                F("category__sort_order").asc(nulls_first=True), "-effective_from", "pk"
            )
        ),
        "threshold": list(
            ThresholdRule.objects.select_related("matter_type").order_by(
                "matter_type__sort_order", "-effective_from", "pk"
            )
        ),
        "categories": list(DisclosureCategory.objects.all()),
        "matter_types": list(MatterType.objects.all()),
    }


# Disclosures ---------------------------------------------------------------------------------


def disclosures(
    user,
    *,
    unit: Organization | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    status: str | None = None,
    category: str | None = None,
    q: str | None = None,
    today: dt.date | None = None,
) -> QuerySet:
    qs = visible(user, Disclosure.objects.select_related("unit", "category", "rule"))
    qs = _in(qs, unit, "unit__path")
    if start:
        qs = qs.filter(decision_date__gte=start)
    if end:
        qs = qs.filter(decision_date__lte=end)
    if status in DisclosureStatus.values:
        qs = qs.filter(status_q(status, _today(today)))
    if category:
        qs = qs.filter(category__code=category)
    if q:
        qs = qs.filter(search_q(q))
    return qs


def get_disclosure(user, disclosure_id: int) -> Disclosure:
    found = disclosures(user).prefetch_related("documents").filter(pk=disclosure_id).first()
    if found is None:
        raise NotFound(_("Unknown disclosure: %(id)s.") % {"id": disclosure_id}, field="disclosure")
    return found


def get_document(user, document_id: int):
    from .models import DisclosureDocument

    found = visible(user, DisclosureDocument.objects.all()).filter(pk=document_id).first()
    if found is None:
        raise NotFound(_("Not found."), field="document")
    return found


# Households and consultations ------------------------------------------------------------------


def communities(user, *, unit: Organization | None = None, action: str | None = None):
    qs = visible(
        user,
        Organization.objects.filter(type__code="hamlet", is_active=True).select_related("area"),
        action=action,
    )
    return _in(qs, unit, "path").order_by("path")


def get_community(user, org_id: int) -> Organization:
    found = communities(user).filter(pk=org_id).first()
    if found is None:
        raise NotFound(_("Unknown residential community: %(id)s.") % {"id": org_id},
                       field="community")  # fmt: skip
    return found


def households(user, community: Organization) -> QuerySet:
    return visible(user, Household.objects.filter(community=community)).order_by("code")


def consultations(
    user,
    *,
    unit: Organization | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    state: str | None = None,
    mode: str | None = None,
    matter_type: str | None = None,
) -> QuerySet:
    qs = visible(
        user,
        Consultation.objects.select_related("unit", "community", "matter_type", "recognized_by"),
    )
    qs = _in(qs, unit, "unit__path")
    if start:
        qs = qs.filter(opens_on__gte=start)
    if end:
        qs = qs.filter(opens_on__lte=end)
    if state in ConsultationState.values:
        qs = qs.filter(state=state)
    if mode in MatterMode.values:
        qs = qs.filter(matter_type__mode=mode)
    if matter_type:
        qs = qs.filter(matter_type__code=matter_type)
    return qs


def get_consultation(user, consultation_id: int) -> Consultation:
    found = consultations(user).filter(pk=consultation_id).first()
    if found is None:
        raise NotFound(
            _("Unknown consultation: %(id)s.") % {"id": consultation_id}, field="consultation"
        )
    return found


def comment_groups(consultation: Consultation) -> list[dict]:
    """Comments grouped by topic, the largest group first."""
    groups: dict[str, list] = {}
    for comment in consultation.comments.order_by("topic", "pk"):
        groups.setdefault(comment.topic, []).append(comment)
    return sorted(
        ({"topic": t, "comments": c, "n": len(c)} for t, c in groups.items()),
        key=lambda g: (-g["n"], g["topic"]),
    )


# Supervision --------------------------------------------------------------------------------


def bodies(user, *, unit: Organization | None = None, kind: str | None = None) -> QuerySet:
    qs = visible(user, SupervisionBody.objects.select_related("unit"))
    qs = _in(qs, unit, "unit__path")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.annotate(
        n_activities=Count("activities", distinct=True), n_members=Count("members", distinct=True)
    )


def get_body(user, body_id: int) -> SupervisionBody:
    found = visible(user, SupervisionBody.objects.select_related("unit")).filter(pk=body_id)
    body = found.first()
    if body is None:
        raise NotFound(_("Unknown supervising body: %(id)s.") % {"id": body_id}, field="body")
    return body


def activities(user, *, unit: Organization | None = None, kind: str | None = None) -> QuerySet:
    qs = visible(user, Activity.objects.select_related("body", "body__unit"))
    qs = _in(qs, unit, "body__unit__path")
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def get_activity(user, activity_id: int) -> Activity:
    found = activities(user).filter(pk=activity_id).first()
    if found is None:
        raise NotFound(_("Unknown activity: %(id)s.") % {"id": activity_id}, field="activity")
    return found


def _recommendation_q(user) -> Q:
    """Seen by the supervisor's subtree, and by the body concerned's (it must answer)."""
    if user.is_superuser:
        return Q()
    addressed = scope_q(user, Organization)
    addressed_paths = Organization.objects.filter(addressed).values("pk")
    return scope_q(user, Recommendation) | Q(addressee__in=addressed_paths)


def recommendations(
    user,
    *,
    unit: Organization | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    status: str | None = None,
    kind: str | None = None,
    today: dt.date | None = None,
) -> QuerySet:
    if not (user and user.is_authenticated and user.is_active):
        return Recommendation.objects.none()
    qs = Recommendation.objects.select_related(
        "activity", "activity__body", "activity__body__unit", "addressee"
    ).filter(_recommendation_q(user))
    if unit is not None:
        qs = qs.filter(
            under(unit.path, "activity__body__unit__path") | under(unit.path, "addressee__path")
        )
    if start:
        qs = qs.filter(made_on__gte=start)
    if end:
        qs = qs.filter(made_on__lte=end)
    if kind:
        qs = qs.filter(activity__kind=kind)
    day = _today(today)
    if status == "open":
        qs = qs.filter(answered_on__isnull=True, due_on__gte=day)
    elif status == "overdue":
        qs = qs.filter(answered_on__isnull=True, due_on__lt=day)
    elif status == "answered":
        qs = qs.filter(answered_on__isnull=False)
    return qs.distinct()


def get_recommendation(user, rec_id: int) -> Recommendation:
    found = recommendations(user).filter(pk=rec_id).prefetch_related("responses").first()
    if found is None:
        raise NotFound(
            _("Unknown recommendation: %(id)s.") % {"id": rec_id}, field="recommendation"
        )
    return found


def satisfaction(user, *, unit: Organization | None = None) -> QuerySet:
    qs = visible(user, SatisfactionSurvey.objects.select_related("unit"))
    return _in(qs, unit, "unit__path")


# Figures --------------------------------------------------------------------------------------


def _disclosure_figures(qs: QuerySet, today: dt.date) -> dict:
    return qs.aggregate(
        total=Count("id"),
        on_time=Count("id", filter=status_q(DisclosureStatus.ON_TIME, today)),
        late=Count("id", filter=status_q(DisclosureStatus.LATE, today)),
        missing=Count("id", filter=status_q(DisclosureStatus.MISSING, today)),
        pending=Count("id", filter=status_q(DisclosureStatus.PENDING, today)),
    )


def _consultation_figures(qs: QuerySet) -> dict:
    return qs.aggregate(
        total=Count("id"),
        decisions=Count("id", filter=Q(matter_type__mode=MatterMode.DECIDE)),
        held=Count("id", filter=Q(closed_on__isnull=False, matter_type__mode=MatterMode.DECIDE)),
        valid=Count("id", filter=Q(is_valid=True)),
        not_valid=Count("id", filter=Q(is_valid=False)),
        recognized=Count("id", filter=Q(state=ConsultationState.RECOGNIZED)),
        for_comment=Count("id", filter=Q(matter_type__mode=MatterMode.COMMENT)),
        answered_comments=Count("id", filter=Q(responded_on__isnull=False)),
        comments=Count("comments"),
    )


def _recommendation_figures(qs: QuerySet, today: dt.date) -> dict:
    return qs.aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(answered_on__isnull=False)),
        answered_late=Count("id", filter=Q(answered_on__gt=F("due_on"))),
        overdue=Count("id", filter=Q(answered_on__isnull=True, due_on__lt=today)),
        open=Count("id", filter=Q(answered_on__isnull=True, due_on__gte=today)),
    )


def dashboard(
    user,
    *,
    unit: Organization | None,
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
) -> dict:
    """Disclosures on time / late / missing, consultations held and valid, recommendations
    answered / overdue — for a subtree and a period (decision, opening and making dates)."""
    today = _today(today)
    d_qs = disclosures(user, unit=unit, start=start, end=end)
    c_qs = consultations(user, unit=unit, start=start, end=end)
    r_qs = recommendations(user, unit=unit, start=start, end=end)
    by_category = list(
        d_qs.values("category__code", "category__name", "category__name_en")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=status_q(DisclosureStatus.ON_TIME, today)),
            late=Count("id", filter=status_q(DisclosureStatus.LATE, today)),
            missing=Count("id", filter=status_q(DisclosureStatus.MISSING, today)),
        )
        .order_by("category__code")
    )
    by_addressee = list(
        r_qs.order_by()
        .values("addressee__name")
        .annotate(
            n=Count("id", distinct=True),
            answered=Count("id", filter=Q(answered_on__isnull=False), distinct=True),
            overdue=Count(
                "id", filter=Q(answered_on__isnull=True, due_on__lt=today), distinct=True
            ),
        )
        .order_by("-n", Vietnamese("addressee__name"))
    )
    ratings = satisfaction(user, unit=unit).filter(period_end__gte=start, period_start__lte=end)
    sat = ratings.aggregate(
        very_satisfied=Sum("very_satisfied"), satisfied=Sum("satisfied"),
        neutral=Sum("neutral"), dissatisfied=Sum("dissatisfied"),
    )  # fmt: skip
    sat = {k: v or 0 for k, v in sat.items()}
    total = sum(sat.values())
    sat["total"] = total
    sat["percent"] = (
        round(100 * (sat["very_satisfied"] + sat["satisfied"]) / total, 1) if total else None
    )
    return {
        "unit": unit,
        "start": start,
        "end": end,
        "today": today,
        "disclosures": _disclosure_figures(d_qs, today),
        "consultations": _consultation_figures(c_qs),
        "recommendations": _recommendation_figures(r_qs.order_by(), today),
        "by_category": by_category,
        "by_addressee": by_addressee,
        "satisfaction": sat,
    }


# The public portal ------------------------------------------------------------------------------


def provinces() -> QuerySet:
    return Area.objects.filter(structure=Structure.TWO_LEVEL_2025, level=AreaLevel.PROVINCE)


def communes_of(province: Area) -> QuerySet:
    return Area.objects.filter(structure=Structure.TWO_LEVEL_2025, level=AreaLevel.COMMUNE).filter(
        under(province.path, include_self=False)
    )


def active_communes() -> list[int]:
    """Ids of communes that have published something (listed first on the portal)."""
    published = Disclosure.objects.filter(published_on__isnull=False)
    ids = set(published.values_list("unit__area_id", flat=True).distinct())
    ids |= set(Consultation.objects.values_list("unit__area_id", flat=True).distinct())
    return sorted(ids)


def public_commune(code: str) -> Area:
    found = Area.objects.filter(
        structure=Structure.TWO_LEVEL_2025, level=AreaLevel.COMMUNE, code=code
    ).first()
    if found is None:
        raise NotFound(_("Unknown commune: %(code)s.") % {"code": code}, field="commune")
    return found


def public_disclosures(area: Area, *, today: dt.date | None = None) -> list[dict]:
    """What the commune's bodies publicized (or should have), newest decision first."""
    today = _today(today)
    rows = []
    for d in (
        Disclosure.objects.filter(unit__area=area)
        .select_related("unit", "category")
        .order_by("-decision_date", "-pk")[:500]
    ):
        rows.append(
            {
                "id": d.pk,
                "title": d.title,
                "category": str(d.category),
                "unit": d.unit.name,
                "decision_number": d.decision_number,
                "decision_date": d.decision_date,
                "due_on": d.due_on,
                "published_on": d.published_on,
                "posted_until": d.posted_until,
                "posting_days": d.posting_days,
                "forms": ", ".join(d.form_labels()),
                "status": d.status(today),
                "status_label": str(d.status_label(today)),
            }
        )
    return rows


def public_disclosure(area: Area, disclosure_id: int, *, today: dt.date | None = None) -> dict:
    """One disclosure of the commune, with its content and — once publicized — its documents
    (what was publicized is public by law). NotFound for another commune's."""
    found = next(
        (d for d in public_disclosures(area, today=today) if d["id"] == disclosure_id), None
    )
    if found is None:
        raise NotFound(_("Not found."))
    disclosure = Disclosure.objects.get(pk=disclosure_id)
    found["content"] = disclosure.content
    found["documents"] = (
        list(disclosure.documents.order_by("pk")) if disclosure.published_on else []
    )
    return found


def public_document(area: Area, document_id: int):
    """A document of a publicized disclosure of the commune; NotFound otherwise."""
    found = (
        DisclosureDocument.objects.filter(
            pk=document_id, disclosure__unit__area=area, disclosure__published_on__isnull=False
        )
        .select_related("disclosure")
        .first()
    )
    if found is None:
        raise NotFound(_("Not found."))
    return found


def public_consultations(area: Area) -> list[dict]:
    """Results of residents' decisions and comments: totals only, never who voted how."""
    rows = []
    qs = (
        Consultation.objects.filter(unit__area=area)
        .select_related("community", "matter_type", "recognized_by")
        .annotate(n_comments=Count("comments"))
        .order_by("-opens_on", "-pk")[:300]
    )
    for c in qs:
        decide = c.matter_type.mode == MatterMode.DECIDE
        closed = c.state != ConsultationState.OPEN
        rows.append(
            {
                "id": c.pk,
                "title": c.title,
                "matter_type": str(c.matter_type),
                "mode": c.matter_type.mode,
                "community": c.community.name,
                "form": str(c.get_form_display()),
                "opens_on": c.opens_on,
                "closes_on": c.closes_on,
                "state": str(c.get_state_display()),
                "households": c.households_total,
                # Tallies are published once voting has closed, as a meeting's minutes are.
                "yes": c.yes if decide and closed else None,
                "no": c.no if decide and closed else None,
                "abstain": c.abstain if decide and closed else None,
                "threshold": c.threshold_label,
                "valid": c.is_valid if decide and closed else None,
                "recognition": c.recognition_number,
                "recognized_on": c.recognized_on,
                "comments": c.n_comments if not decide else None,
                "responded_on": c.responded_on,
                "response": c.response if not decide else "",
            }
        )
    return rows


def public_recommendations(area: Area, *, today: dt.date | None = None) -> list[dict]:
    today = _today(today)
    qs = (
        Recommendation.objects.filter(Q(activity__body__unit__area=area) | Q(addressee__area=area))
        .select_related("activity", "activity__body", "addressee")
        .distinct()
        .order_by("-made_on", "-pk")[:300]
    )
    return [
        {
            "id": r.pk,
            "body": r.activity.body.name,
            "body_kind": str(r.activity.body.get_kind_display()),
            "activity": str(r.activity.get_kind_display()),
            "subject": r.activity.subject,
            "recommendation": r.content,
            "addressee": r.addressee.name,
            "made_on": r.made_on,
            "due_on": r.due_on,
            "answered_on": r.answered_on,
            "status": r.status(today),
            "status_label": r.status_label(today),
        }
        for r in qs
    ]


def public_satisfaction(area: Area) -> list[dict]:
    return [
        {
            "unit": s.unit.name,
            "service": s.service,
            "period_start": s.period_start,
            "period_end": s.period_end,
            "very_satisfied": s.very_satisfied,
            "satisfied": s.satisfied,
            "neutral": s.neutral,
            "dissatisfied": s.dissatisfied,
            "total": s.total,
            "satisfied_percent": s.satisfied_percent,
        }
        for s in SatisfactionSurvey.objects.filter(unit__area=area)
        .select_related("unit")
        .order_by("-period_end", "service", "pk")[:100]
    ]


def public_cases(area: Area, *, today: dt.date | None = None) -> dict | None:
    """Citizens' cases handled by the commune's bodies: decided on time / late (counts only;
    read from the voices app's tables, never a citizen's data)."""
    try:
        from danvan.voices.models import Matter
    except ImportError:  # pragma: no cover - voices is installed with danvan
        return None
    qs = Matter.objects.filter(unit__area=area)
    figures = qs.aggregate(
        received=Count("id"),
        decided=Count("id", filter=Q(decision_date__isnull=False)),
        on_time=Count(
            "id",
            filter=Q(
                decision_date__isnull=False,
                settle_due_on__isnull=False,
                decision_date__lte=F("settle_due_on"),
            ),
        ),
        late=Count("id", filter=Q(decision_date__gt=F("settle_due_on"))),
    )
    if not figures["received"]:
        return None
    figures["percent_on_time"] = (
        round(100 * figures["on_time"] / figures["decided"], 1) if figures["decided"] else None
    )
    return figures


def public_models(area: Area) -> list[dict]:
    """Commended models of the movement registered by the commune's collectives (an
    individual registrant's name is never shown)."""
    try:
        from danvan.emulation.models import Commendation
    except ImportError:  # pragma: no cover
        return []
    rows = (
        Commendation.objects.filter(model__unit__area=area, model__registration__kind="collective")
        .select_related("model", "model__unit", "model__registration")
        .order_by("-decision_date", "pk")[:100]
    )
    return [
        {
            "model": c.model.title,
            "unit": c.model.unit.name,
            "year": c.model.year,
            "form": c.form,
            "issuing_body": c.issuing_body,
            "decision_date": c.decision_date,
        }
        for c in rows
    ]


def addressees(activity: Activity) -> QuerySet:
    """Bodies a recommendation may go to: organizations of the supervising body's area or
    of an area above it (a commune's Front addresses the commune's and the city's bodies)."""
    from danvan.core.tree import ancestors

    area_path = activity.body.unit.area.path
    return Organization.objects.filter(
        is_active=True, area__path__in=ancestors(area_path)
    ).order_by("path")
