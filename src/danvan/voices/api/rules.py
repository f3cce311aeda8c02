"""The rule table and the topics (read-only)."""

from django.http import HttpRequest
from ninja import Query, Router

from ..models import (
    DeadlineRule,
    Topic,
)
from .schemas import DeadlineRuleOut, RuleFilter, VoicesTopicOut

router = Router()


@router.get(
    "/deadline-rules",
    operation_id="danvan_voices_api_list_deadline_rules",
    response=list[DeadlineRuleOut],
    summary="List the legal time limits",
    description="The rule table the clocks are computed from (read-only here): per kind, step "
    "and condition, the days and whether they are working or calendar days, the extensions "
    "allowed, the citation and when each rule is in force. A case is judged by the rules in "
    "force when its clock started.",
)
def list_deadline_rules(request: HttpRequest, filters: Query[RuleFilter]):
    qs = DeadlineRule.objects.all()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.in_force_on:
        on = filters.in_force_on
        qs = qs.filter(effective_from__lte=on).exclude(effective_to__lt=on)
    return qs


@router.get(
    "/topics",
    operation_id="danvan_voices_api_list_topics",
    response=list[VoicesTopicOut],
    summary="List the topics",
)
def list_topics(request: HttpRequest):
    return Topic.objects.all()
