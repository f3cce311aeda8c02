"""Reception sessions, dialogues and the commitments made in them, and reception compliance."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from danvan.core.errors import NotFound
from danvan.core.pagination import Pagination

from .. import queries, services
from .common import _org, _range, _unit
from .schemas import (
    AnswerIn,
    CommitmentIn,
    CommitmentOut,
    ComplianceRow,
    DialogueDetail,
    DialogueIn,
    DialogueOut,
    PeriodFilter,
    RangeFilter,
    ReceptionIn,
    ReceptionOut,
)

router = Router()


def _held(qs, filters: PeriodFilter):
    if filters.held_from:
        qs = qs.filter(held_on__gte=filters.held_from)
    if filters.held_to:
        qs = qs.filter(held_on__lte=filters.held_to)
    return qs


@router.get(
    "/receptions",
    operation_id="danvan_voices_api_list_receptions",
    response=list[ReceptionOut],
    summary="List reception sessions",
)
@paginate(Pagination)
def list_receptions(request: HttpRequest, filters: Query[PeriodFilter]):
    qs = queries.reception_sessions(request.user, unit=_unit(request, filters.unit))
    return _held(qs, filters).order_by("-held_on", "-pk")


@router.post(
    "/receptions",
    operation_id="danvan_voices_api_record_reception",
    response={201: ReceptionOut},
    summary="Record a reception session",
    description="A citizen-reception day held by a head, or by a delegate when the head was "
    "absent. Needs `voices.intake` on the unit.",
)
def record_reception(request: HttpRequest, payload: ReceptionIn):
    unit = _org(request, payload.unit, "unit")
    data = payload.dict(exclude={"unit"})
    return Status(201, services.record_reception(actor=request.user, unit=unit, **data))


def _dialogue(request, dialogue_id: int):
    found = queries.dialogues(request.user).filter(pk=dialogue_id).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


@router.get(
    "/dialogues",
    operation_id="danvan_voices_api_list_dialogues",
    response=list[DialogueOut],
    summary="List dialogues",
)
@paginate(Pagination)
def list_dialogues(request: HttpRequest, filters: Query[PeriodFilter]):
    qs = queries.dialogues(request.user, unit=_unit(request, filters.unit))
    return _held(qs, filters).prefetch_related("topics").order_by("-held_on", "-pk")


@router.post(
    "/dialogues",
    operation_id="danvan_voices_api_record_dialogue",
    response={201: DialogueDetail},
    summary="Record a dialogue",
    description="A direct dialogue between heads and citizens. Needs `voices.intake`.",
)
def record_dialogue(request: HttpRequest, payload: DialogueIn):
    unit = _org(request, payload.unit, "unit")
    dialogue = services.record_dialogue(
        actor=request.user,
        unit=unit,
        title=payload.title,
        held_on=payload.held_on,
        heads=payload.heads,
        participants=payload.participants,
        topic_codes=payload.topics,
        notes=payload.notes,
    )
    return Status(201, _dialogue(request, dialogue.pk))


@router.get(
    "/dialogues/{dialogue_id}",
    operation_id="danvan_voices_api_get_dialogue",
    response=DialogueDetail,
    summary="A dialogue",
    description="With the commitments made in it.",
)
def get_dialogue(request: HttpRequest, dialogue_id: int):
    return _dialogue(request, dialogue_id)


@router.post(
    "/dialogues/{dialogue_id}/commitments",
    operation_id="danvan_voices_api_add_commitment",
    response={201: CommitmentOut},
    summary="Add a commitment",
    description="What the heads committed to in the dialogue, its owner and due date.",
)
def add_commitment(request: HttpRequest, dialogue_id: int, payload: CommitmentIn):
    dialogue = _dialogue(request, dialogue_id)
    owner = _org(request, payload.owner, "owner")
    commitment = services.add_commitment(
        actor=request.user,
        dialogue=dialogue,
        content=payload.content,
        owner=owner,
        due_on=payload.due_on,
    )
    return Status(201, commitment)


@router.post(
    "/commitments/{commitment_id}/answer",
    operation_id="danvan_voices_api_answer_commitment",
    response=CommitmentOut,
    summary="Answer a commitment",
    description="Needs `voices.intake` on the owning unit.",
)
def answer_commitment(request: HttpRequest, commitment_id: int, payload: AnswerIn):
    commitment = queries.commitments(request.user).filter(pk=commitment_id).first()
    if commitment is None:
        raise NotFound(_("Not found."))
    return services.answer_commitment(
        actor=request.user,
        commitment=commitment,
        answered_on=payload.answered_on,
        answer=payload.answer,
    )


@router.get(
    "/reception-compliance",
    operation_id="danvan_voices_api_reception_compliance",
    response=list[ComplianceRow],
    summary="Reception compliance",
    description="Per head: reception days the rules require over the period, days held (in "
    "person or by delegation), and whether the head met the requirement in person.",
)
def reception_compliance(request: HttpRequest, filters: Query[RangeFilter]):
    _range(filters)
    return queries.reception_compliance(
        request.user, unit=_unit(request, filters.unit), start=filters.start, end=filters.end
    )
