"""Matters: the list, a matter and its timeline, its transitions, its documents, and the
worklist.

Transitions that may carry documents (`accept`, `not-accept`, `forward`, `settling`,
`extend`, `decide`, `withdraw`) take multipart/form-data with any number of `files`; every
other write takes a JSON object."""

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, UploadedFile
from ninja.pagination import paginate

from danvan.core.errors import NotFound
from danvan.core.pagination import Pagination
from danvan.core.uploads import attachment

from .. import queries, services
from ..models import (
    ComplexityCriterion,
    MatterDocument,
)
from .common import _files, _matter, _org, _unit
from .schemas import (
    AssignIn,
    ClassifyIn,
    ComplexityIn,
    DecideIn,
    ExtendIn,
    ForwardIn,
    MatterDetail,
    MatterFilter,
    MatterOut,
    NotAcceptIn,
    OnIn,
    VoicesCriterionOut,
    WorklistOut,
)

router = Router()


MULTIPART = (
    "multipart/form-data: the fields below, and any number of `files` (PDF, JPEG, PNG, DOCX, "
    "XLSX; 10 MB each at most; the content must match the type)."
)


@router.get(
    "/matters",
    operation_id="danvan_voices_api_list_matters",
    response=list[MatterOut],
    summary="List matters",
    description="Complaints, denunciations and recommendations of the units the user sees, "
    "newest first, with their state and the date the current step is due.",
)
@paginate(Pagination)
def list_matters(request: HttpRequest, filters: Query[MatterFilter]):
    return queries.matters(
        request.user,
        unit=_unit(request, filters.unit),
        kind=filters.kind,
        state=filters.state,
        topic=filters.topic,
        channel=filters.channel,
        q=filters.q,
        received_from=filters.received_from,
        received_to=filters.received_to,
    )


@router.get(
    "/matters/{matter_id}",
    operation_id="danvan_voices_api_get_matter",
    response=MatterDetail,
    summary="A matter",
    description="With its timeline: every step, its note, and its documents' metadata and "
    "download links.",
)
def get_matter(request: HttpRequest, matter_id: int):
    return _matter(request, matter_id)


def _done(request, matter_id: int):
    return _matter(request, matter_id)


@router.post(
    "/matters/{matter_id}/classify",
    operation_id="danvan_voices_api_classify_matter",
    response=MatterDetail,
    summary="Classify a matter",
    description="JSON. Confirm or correct the kind and conditions; the intake time limit is "
    "recomputed with the rules in force on the day of receipt. Needs `voices.handle`.",
)
def classify_matter(request: HttpRequest, matter_id: int, payload: ClassifyIn):
    services.classify_matter(
        actor=request.user, matter=_matter(request, matter_id), **payload.dict()
    )
    return _done(request, matter_id)


@router.post(
    "/matters/{matter_id}/complexity",
    operation_id="danvan_voices_api_set_complexity",
    response=MatterDetail,
    summary="Record a matter's complexity",
    description="JSON. While a matter is open: complicated or especially complicated (a "
    "denunciation, with the criteria that apply), or no longer so. Once accepted, the "
    "settlement time limit follows the rule for the new condition in force on the day of "
    "acceptance. Needs `voices.handle`.",
)
def set_complexity(request: HttpRequest, matter_id: int, payload: ComplexityIn):
    services.set_complexity(
        actor=request.user, matter=_matter(request, matter_id), **payload.dict()
    )
    return _done(request, matter_id)


@router.get(
    "/complexity-criteria",
    operation_id="danvan_voices_api_complexity_criteria",
    response=list[VoicesCriterionOut],
    summary="Complexity criteria",
    description="The criteria a complicated matter is judged by, each with its legal basis "
    "and the dates it is in force.",
)
def complexity_criteria(request: HttpRequest):
    return ComplexityCriterion.objects.all()


@router.post(
    "/matters/{matter_id}/accept",
    operation_id="danvan_voices_api_accept_matter",
    response=MatterDetail,
    summary="Accept a matter",
    description=f"{MULTIPART} The settlement clock starts on `on`.",
)
def accept_matter(
    request: HttpRequest,
    matter_id: int,
    payload: Form[OnIn],
    files: File[list[UploadedFile]] = None,
):
    services.accept_matter(
        actor=request.user,
        matter=_matter(request, matter_id),
        on=payload.on,
        note=payload.note,
        files=_files(files),
    )
    return _done(request, matter_id)


@router.post(
    "/matters/{matter_id}/not-accept",
    operation_id="danvan_voices_api_not_accept_matter",
    response=MatterDetail,
    summary="Refuse a matter",
    description=f"{MULTIPART} Not accepted, with the reason; the matter is closed.",
)
def not_accept_matter(
    request: HttpRequest,
    matter_id: int,
    payload: Form[NotAcceptIn],
    files: File[list[UploadedFile]] = None,
):
    services.not_accept_matter(
        actor=request.user,
        matter=_matter(request, matter_id),
        on=payload.on,
        reason=payload.reason,
        files=_files(files),
    )
    return _done(request, matter_id)


@router.post(
    "/matters/{matter_id}/forward",
    operation_id="danvan_voices_api_forward_matter",
    response=MatterDetail,
    summary="Forward a matter",
    description=f"{MULTIPART} To the competent body (an organization the user sees).",
)
def forward_matter(
    request: HttpRequest,
    matter_id: int,
    payload: Form[ForwardIn],
    files: File[list[UploadedFile]] = None,
):
    matter = _matter(request, matter_id)
    to = _org(request, payload.to, "to")
    services.forward_matter(
        actor=request.user,
        matter=matter,
        to=to,
        on=payload.on,
        note=payload.note,
        files=_files(files),
    )
    return _done(request, matter_id)


@router.post(
    "/matters/{matter_id}/settling",
    operation_id="danvan_voices_api_start_settling",
    response=MatterDetail,
    summary="Record a settlement step",
    description=f"{MULTIPART} Verification, meetings: the matter is being settled.",
)
def start_settling(
    request: HttpRequest,
    matter_id: int,
    payload: Form[OnIn],
    files: File[list[UploadedFile]] = None,
):
    services.start_settling(
        actor=request.user,
        matter=_matter(request, matter_id),
        on=payload.on,
        note=payload.note,
        files=_files(files),
    )
    return _done(request, matter_id)


@router.post(
    "/matters/{matter_id}/extend",
    operation_id="danvan_voices_api_extend_matter",
    response=MatterDetail,
    summary="Extend the settlement time",
    description=f"{MULTIPART} By decision, within the maximum the rule allows.",
)
def extend_matter(
    request: HttpRequest,
    matter_id: int,
    payload: Form[ExtendIn],
    files: File[list[UploadedFile]] = None,
):
    services.extend_matter(
        actor=request.user,
        matter=_matter(request, matter_id),
        on=payload.on,
        decision_number=payload.decision_number,
        note=payload.note,
        files=_files(files),
    )
    return _done(request, matter_id)


@router.post(
    "/matters/{matter_id}/decide",
    operation_id="danvan_voices_api_decide_matter",
    response=MatterDetail,
    summary="Decide a matter",
    description=f"{MULTIPART} The decision or answer, after acceptance.",
)
def decide_matter(
    request: HttpRequest,
    matter_id: int,
    payload: Form[DecideIn],
    files: File[list[UploadedFile]] = None,
):
    services.decide_matter(
        actor=request.user,
        matter=_matter(request, matter_id),
        decision_number=payload.decision_number,
        decision_date=payload.decision_date,
        result=payload.result,
        note=payload.note,
        files=_files(files),
    )
    return _done(request, matter_id)


@router.post(
    "/matters/{matter_id}/close",
    operation_id="danvan_voices_api_close_matter",
    response=MatterDetail,
    summary="Close a decided matter",
    description="JSON.",
)
def close_matter(request: HttpRequest, matter_id: int, payload: OnIn):
    services.close_matter(
        actor=request.user, matter=_matter(request, matter_id), on=payload.on, note=payload.note
    )
    return _done(request, matter_id)


@router.post(
    "/matters/{matter_id}/withdraw",
    operation_id="danvan_voices_api_withdraw_matter",
    response=MatterDetail,
    summary="Record a complaint's withdrawal",
    description=f"{MULTIPART} Only a complaint, while open.",
)
def withdraw_matter(
    request: HttpRequest,
    matter_id: int,
    payload: Form[OnIn],
    files: File[list[UploadedFile]] = None,
):
    services.withdraw_matter(
        actor=request.user,
        matter=_matter(request, matter_id),
        on=payload.on,
        note=payload.note,
        files=_files(files),
    )
    return _done(request, matter_id)


@router.post(
    "/matters/{matter_id}/assign",
    operation_id="danvan_voices_api_assign_handler",
    response=MatterDetail,
    summary="Assign a matter's handler",
    description="JSON. The officer must be able to handle matters of the unit.",
)
def assign_handler(request: HttpRequest, matter_id: int, payload: AssignIn):
    matter = _matter(request, matter_id)
    handler = None
    if payload.handler is not None:
        handler = get_user_model().objects.filter(username=payload.handler, is_active=True).first()
        if handler is None:
            raise services.VoicesError(
                _("This person cannot handle matters of this unit."), field="handler"
            )
    services.assign_handler(actor=request.user, matter=matter, handler=handler)
    return _done(request, matter_id)


@router.get(
    "/documents/{document_id}",
    operation_id="danvan_voices_api_download_document",
    url_name="voices_document",
    summary="Download a matter's document",
    description="As an attachment under its original name, if the user may see the matter.",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def download_document(request: HttpRequest, document_id: int):
    document = (
        MatterDocument.objects.filter(
            pk=document_id, event__matter__in=queries.matters(request.user).values("pk")
        )
        .select_related("event")
        .first()
    )
    if document is None:
        raise NotFound(_("Not found."))
    try:
        return attachment(document)
    except FileNotFoundError as exc:
        raise NotFound(_("The file is missing.")) from exc


@router.get(
    "/worklist",
    operation_id="danvan_voices_api_worklist",
    response=WorklistOut,
    summary="The worklist",
    description="Open matters of the subtree that are overdue, or due within three days.",
)
def worklist(request: HttpRequest, unit: int | None = None):
    return queries.worklist(request.user, unit=_unit(request, unit))
