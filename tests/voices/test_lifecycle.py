"""Every write on a matter: one audit event and one timeline event on the happy path; a
clear VoicesError naming the field, and nothing written, on bad input; PermissionDenied for
who may not act."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.audit.models import AuditEvent
from danvan.core.uploads import MAX_BYTES
from danvan.voices import services
from danvan.voices.models import (
    Citizen,
    Matter,
    MatterDocument,
    MatterEvent,
    MatterState,
    Petition,
)

from ..factories import UserFactory, grant
from .conftest import CITIZEN, FRIDAY_BEFORE_TET, SECOND_CITIZEN, counts, pdf

D = dt.date
ACCEPTED_ON = D(2026, 2, 23)


def one_audit_and_one_event(call, matter: Matter, *, step: str, action: str):
    audits, events = AuditEvent.objects.count(), MatterEvent.objects.count()
    result = call()
    assert AuditEvent.objects.count() == audits + 1
    assert MatterEvent.objects.count() == events + 1
    audit = AuditEvent.objects.latest("pk")
    assert (audit.action, audit.object_type, audit.object_id) == (
        action,
        "voices.matter",
        str(matter.pk),
    )
    assert MatterEvent.objects.filter(matter=matter).latest("pk").step == step
    return result


# Intake ---------------------------------------------------------------------------------


def test_receiving_a_petition_writes_one_audit_event_and_starts_each_clock(receive, tree):
    before = counts()
    petition = receive(
        matters=[
            {"kind": "complaint", "summary": "Khiếu nại thu hồi đất"},
            {"kind": "recommendation", "summary": "Kiến nghị làm lại đường"},
        ]
    )
    after = counts()
    assert after["Petition"] == before["Petition"] + 1
    assert after["Citizen"] == before["Citizen"] + 1
    assert after["Matter"] == before["Matter"] + 2
    assert after["MatterEvent"] == before["MatterEvent"] + 2
    assert after["AuditEvent"] == before["AuditEvent"] + 1
    audit = AuditEvent.objects.latest("pk")
    assert audit.action == "voices.receive_petition"
    assert audit.changes["citizens"] == [None, 1]
    assert audit.changes["matters"] == [None, ["complaint", "recommendation"]]
    for matter in petition.matters.all():
        assert matter.state == MatterState.RECEIVED
        assert matter.unit == tree["ward"]
        assert [e.step for e in matter.events.all()] == ["received"]
    # The complaint's 10 days end on Tết Monday, so on the next working day; the rule table
    # holds no time limit for recommendations.
    assert petition.matters.get(kind="complaint").intake_due_on == D(2026, 2, 23)
    assert petition.matters.get(kind="recommendation").intake_due_on is None


def test_a_collective_petition_records_several_citizens(receive):
    people = [dict(CITIZEN), dict(SECOND_CITIZEN), {"name": "Phạm Văn Đức"}]
    petition = receive(citizens=people)
    assert petition.citizens.count() == 3
    assert AuditEvent.objects.latest("pk").changes["citizens"] == [None, 3]


def test_an_anonymous_denunciation_is_not_accepted_under_article_25(receive, handler):
    petition = receive(
        anonymous=True,
        citizens=[dict(CITIZEN)],  # ignored: an anonymous petition stores nobody
        matters=[
            {"kind": "denunciation", "summary": "Tố cáo cán bộ địa chính"},
            {"kind": "recommendation", "summary": "Kiến nghị công khai quy hoạch"},
        ],
    )
    assert not Citizen.objects.filter(petition=petition).exists()
    denunciation = petition.matters.get(kind="denunciation")
    assert denunciation.state == MatterState.NOT_ACCEPTED
    assert denunciation.not_accepted_reason == services.ANONYMOUS_REASON
    assert "Điều 25" in denunciation.not_accepted_reason
    assert denunciation.closed_on == FRIDAY_BEFORE_TET
    assert denunciation.intake_due_on is None and not denunciation.is_open
    assert [e.step for e in denunciation.events.all()] == ["received", "not_accepted"]
    # The recommendation in the same letter is handled as usual.
    assert petition.matters.get(kind="recommendation").state == MatterState.RECEIVED
    with pytest.raises(services.VoicesError) as error:
        services.accept_matter(actor=handler, matter=denunciation, on=ACCEPTED_ON)
    assert error.value.field == "state"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"matters": [{"summary": "Không rõ loại"}]}, "matters.0.kind"),
        ({"matters": [{"kind": "petition", "summary": "Sai loại"}]}, "matters.0.kind"),
        ({"matters": [{"kind": "complaint", "summary": "  "}]}, "matters.0.summary"),
        ({"matters": []}, "matters"),
        ({"received_on": "13/02/2026"}, "received_on"),
        ({"received_on": "2026-02-30"}, "received_on"),
        ({"received_on": None}, "received_on"),
        ({"received_on": D(2099, 1, 1)}, "received_on"),
        ({"channel": "pigeon"}, "channel"),
        ({"topic_code": "nope"}, "topic"),
        ({"contents": "   "}, "contents"),
        ({"citizens": []}, "citizens"),
        ({"citizens": [{"name": " "}]}, "citizens.0.name"),
        ({"citizens": [{"name": "x" * 201}]}, "citizens.0.name"),
    ],
)
def test_bad_petitions_are_refused_with_the_field_and_nothing_written(
    receive, nothing_written, overrides, field
):
    with nothing_written(), pytest.raises(services.VoicesError) as error:
        receive(**overrides)
    assert error.value.field == field
    assert str(error.value.message)


def test_who_may_receive(receive, alice, bob, charlie, other_handler, nothing_written):
    assert receive(actor=alice).created_by == alice  # commission officer: voices.intake
    for outsider in (bob, charlie, other_handler):
        with nothing_written(), pytest.raises(PermissionDenied):
            receive(actor=outsider)


# Second-time complaints ------------------------------------------------------------------


def decided(handler, matter, *, result="rejected"):
    matter = services.accept_matter(actor=handler, matter=matter, on=ACCEPTED_ON)
    return services.decide_matter(
        actor=handler,
        matter=matter,
        decision_number="12/QĐ-UBND",
        decision_date=D(2026, 3, 2),
        result=result,
    )


def test_a_second_time_complaint_follows_a_decided_first_complaint(
    matter_of, receive, handler, nothing_written
):
    first = matter_of("complaint")
    second_matters = [{"kind": "complaint", "summary": "Khiếu nại lần hai"}]
    with nothing_written(), pytest.raises(services.VoicesError) as error:
        receive(received_on=D(2026, 3, 5), first_complaint=first, matters=second_matters)
    assert error.value.field == "first_complaint"

    first = decided(handler, first)
    with nothing_written(), pytest.raises(services.VoicesError) as error:
        receive(
            received_on=D(2026, 3, 5),
            first_complaint=first,
            matters=[*second_matters, {"kind": "denunciation", "summary": "Tố cáo"}],
        )
    assert error.value.field == "first_complaint"

    second = receive(
        received_on=D(2026, 3, 5), first_complaint=first, matters=second_matters
    ).matters.get()
    assert second.first_complaint == first
    assert list(first.second_complaints.all()) == [second]


def test_a_decided_denunciation_is_no_first_complaint(matter_of, receive, handler):
    denunciation = decided(handler, matter_of("denunciation"), result="upheld")
    with pytest.raises(services.VoicesError) as error:
        receive(
            received_on=D(2026, 3, 5),
            first_complaint=denunciation,
            matters=[{"kind": "complaint", "summary": "Khiếu nại lần hai"}],
        )
    assert error.value.field == "first_complaint"


# Transitions: happy paths -----------------------------------------------------------------


def test_classify(matter_of, handler):
    matter = matter_of("complaint")
    matter = one_audit_and_one_event(
        lambda: services.classify_matter(
            actor=handler, matter=matter, kind="denunciation", on=D(2026, 2, 23), note="Là tố cáo"
        ),
        matter,
        step="classified",
        action="voices.classify",
    )
    assert (matter.state, matter.kind) == (MatterState.CLASSIFIED, "denunciation")
    assert matter.intake_due_on == D(2026, 3, 3)  # now the denunciation's 7 working days
    assert AuditEvent.objects.latest("pk").changes["kind"] == ["complaint", "denunciation"]


def test_accept_with_a_document(matter_of, handler, media):
    matter = matter_of("complaint")
    matter = one_audit_and_one_event(
        lambda: services.accept_matter(
            actor=handler, matter=matter, on=ACCEPTED_ON, files=[pdf("thong-bao-thu-ly.pdf")]
        ),
        matter,
        step="accepted",
        action="voices.accept",
    )
    assert (matter.state, matter.accepted_on) == (MatterState.ACCEPTED, ACCEPTED_ON)
    assert matter.settle_due_on == D(2026, 3, 25)
    document = MatterDocument.objects.get(event__matter=matter)
    assert document.original_name == "thong-bao-thu-ly.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(b"%PDF-1.4\n% decision\n")
    assert len(document.sha256) == 64
    stored = Path(document.file.path)
    assert stored.is_relative_to(media) and stored.read_bytes().startswith(b"%PDF")
    assert "thong-bao" not in stored.name  # stored under a random name


def test_not_accept_with_a_reason(matter_of, handler, nothing_written):
    matter = matter_of("complaint")
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.not_accept_matter(actor=handler, matter=matter, on=ACCEPTED_ON, reason="  ")
    assert error.value.field == "reason"
    matter = one_audit_and_one_event(
        lambda: services.not_accept_matter(
            actor=handler, matter=matter, on=ACCEPTED_ON, reason="Quá thời hiệu khiếu nại"
        ),
        matter,
        step="not_accepted",
        action="voices.not_accept",
    )
    assert matter.state == MatterState.NOT_ACCEPTED
    assert (matter.not_accepted_reason, matter.closed_on) == (
        "Quá thời hiệu khiếu nại",
        ACCEPTED_ON,
    )
    assert matter.due_on is None


def test_forward_to_the_competent_body(matter_of, handler, tree, nothing_written):
    matter = matter_of("denunciation")
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.forward_matter(actor=handler, matter=matter, to=tree["ward"], on=ACCEPTED_ON)
    assert error.value.field == "to"
    matter = one_audit_and_one_event(
        lambda: services.forward_matter(
            actor=handler, matter=matter, to=tree["other"], on=ACCEPTED_ON
        ),
        matter,
        step="forwarded",
        action="voices.forward",
    )
    assert (matter.state, matter.forwarded_to) == (MatterState.FORWARDED, tree["other"])
    assert matter.closed_on == ACCEPTED_ON


def test_settle_extend_decide_close(matter_of, handler, media):
    matter = services.classify_matter(
        actor=handler, matter=matter_of("denunciation"), complicated=True,
        grounds=["several-contents"], on=ACCEPTED_ON,
    )  # fmt: skip
    matter = services.accept_matter(actor=handler, matter=matter, on=ACCEPTED_ON)
    matter = one_audit_and_one_event(
        lambda: services.start_settling(actor=handler, matter=matter, on=D(2026, 2, 24)),
        matter,
        step="settling",
        action="voices.settle_step",
    )
    assert matter.state == MatterState.SETTLING
    matter = one_audit_and_one_event(
        lambda: services.extend_matter(
            actor=handler, matter=matter, on=D(2026, 3, 20), decision_number="3/QĐ-GH"
        ),
        matter,
        step="extended",
        action="voices.extend",
    )
    assert matter.extensions == 1
    matter = one_audit_and_one_event(
        lambda: services.decide_matter(
            actor=handler,
            matter=matter,
            decision_number="15/KL-UBND",
            decision_date=D(2026, 4, 10),
            result="partly_upheld",
            files=[pdf("ket-luan.pdf")],
        ),
        matter,
        step="decided",
        action="voices.decide",
    )
    assert (matter.state, matter.result, matter.decision_number) == (
        MatterState.DECIDED,
        "partly_upheld",
        "15/KL-UBND",
    )
    assert matter.due_on is None
    assert MatterDocument.objects.filter(event__step="decided", event__matter=matter).count() == 1
    matter = one_audit_and_one_event(
        lambda: services.close_matter(actor=handler, matter=matter, on=D(2026, 4, 15)),
        matter,
        step="closed",
        action="voices.close",
    )
    assert (matter.state, matter.closed_on) == (MatterState.CLOSED, D(2026, 4, 15))
    assert [e.step for e in matter.events.all()] == [
        "received",
        "classified",
        "accepted",
        "settling",
        "extended",
        "decided",
        "closed",
    ]


@pytest.mark.parametrize(
    ("kind", "result", "ok"),
    [
        ("recommendation", "answered", True),
        ("recommendation", "upheld", False),
        ("complaint", "upheld", True),
        ("complaint", "partly_upheld", True),
        ("complaint", "rejected", True),
        ("complaint", "answered", False),
        ("denunciation", "answered", False),
        ("denunciation", "bogus", False),
    ],
)
def test_the_result_fits_the_kind(matter_of, handler, nothing_written, kind, result, ok):
    matter = services.accept_matter(actor=handler, matter=matter_of(kind), on=ACCEPTED_ON)
    decide = lambda: services.decide_matter(  # noqa: E731
        actor=handler,
        matter=matter,
        decision_number="9/TB",
        decision_date=D(2026, 3, 2),
        result=result,
    )
    if ok:
        assert decide().result == result
    else:
        with nothing_written(matter), pytest.raises(services.VoicesError) as error:
            decide()
        assert error.value.field == "result"


def test_withdraw_a_complaint_only(matter_of, handler, nothing_written):
    complaint = services.accept_matter(actor=handler, matter=matter_of("complaint"), on=ACCEPTED_ON)
    complaint = one_audit_and_one_event(
        lambda: services.withdraw_matter(actor=handler, matter=complaint, on=D(2026, 2, 27)),
        complaint,
        step="withdrawn",
        action="voices.withdraw",
    )
    assert (complaint.state, complaint.closed_on) == (MatterState.WITHDRAWN, D(2026, 2, 27))

    for kind in ("denunciation", "recommendation"):
        matter = matter_of(kind)
        with nothing_written(matter), pytest.raises(services.VoicesError) as error:
            services.withdraw_matter(actor=handler, matter=matter, on=D(2026, 2, 27))
        assert error.value.field == "kind"
    finished = decided(handler, matter_of("complaint"))
    with nothing_written(finished), pytest.raises(services.VoicesError) as error:
        services.withdraw_matter(actor=handler, matter=finished, on=D(2026, 3, 5))
    assert error.value.code == "wrong_state"


def test_assign_a_handler(matter_of, handler, tree, other_handler, bob, nothing_written):
    colleague = UserFactory(username="cuong")
    grant(colleague, "case_handler", tree["union"])  # the union is under the ward...
    matter = matter_of("complaint")
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.assign_handler(actor=handler, matter=matter, handler=colleague)
    assert error.value.field == "handler"  # ...but the matter sits at the ward itself
    for wrong in (other_handler, bob):
        with nothing_written(matter), pytest.raises(services.VoicesError):
            services.assign_handler(actor=handler, matter=matter, handler=wrong)

    matter = one_audit_and_one_event(
        lambda: services.assign_handler(actor=handler, matter=matter, handler=handler),
        matter,
        step="assigned",
        action="voices.assign",
    )
    assert matter.handler == handler
    assert AuditEvent.objects.latest("pk").changes["handler_id"] == [None, handler.pk]


# Transitions: bad input -------------------------------------------------------------------


def test_a_decision_before_acceptance_is_refused(matter_of, handler, nothing_written):
    matter = matter_of("complaint")
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.decide_matter(
            actor=handler,
            matter=matter,
            decision_number="1/QĐ",
            decision_date=D(2026, 3, 2),
            result="rejected",
        )
    assert error.value.field == "decision_date"


@pytest.mark.parametrize(
    ("decision_date", "field"),
    [
        (D(2026, 2, 20), "decision_date"),  # before acceptance
        ("2026-13-01", "decision_date"),
        ("hôm qua", "decision_date"),
        (D(2099, 1, 1), "decision_date"),
    ],
)
def test_bad_decision_dates(matter_of, handler, nothing_written, decision_date, field):
    matter = services.accept_matter(actor=handler, matter=matter_of("complaint"), on=ACCEPTED_ON)
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.decide_matter(
            actor=handler,
            matter=matter,
            decision_number="1/QĐ",
            decision_date=decision_date,
            result="rejected",
        )
    assert error.value.field == field


def test_a_decision_needs_a_number(matter_of, handler, nothing_written):
    matter = services.accept_matter(actor=handler, matter=matter_of("complaint"), on=ACCEPTED_ON)
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.decide_matter(
            actor=handler,
            matter=matter,
            decision_number=" ",
            decision_date=D(2026, 3, 2),
            result="rejected",
        )
    assert error.value.field == "decision_number"


@pytest.mark.parametrize(
    ("on", "field"),
    [
        ("2026-02-30", "on"),
        ("23/02/2026", "on"),
        (12345, "on"),
        (D(2099, 1, 1), "on"),
        (D(2026, 2, 12), "on"),  # before receipt
    ],
)
def test_bad_acceptance_dates(matter_of, handler, nothing_written, on, field):
    matter = matter_of("complaint")
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.accept_matter(actor=handler, matter=matter, on=on)
    assert error.value.field == field


def test_wrong_state_transitions(matter_of, handler, tree, nothing_written):
    received = matter_of("complaint")
    accepted = services.accept_matter(actor=handler, matter=matter_of("complaint"), on=ACCEPTED_ON)
    closed = decided(handler, matter_of("complaint"))
    closed = services.close_matter(actor=handler, matter=closed, on=D(2026, 3, 3))
    attempts = [
        (received, lambda m: services.start_settling(actor=handler, matter=m, on=ACCEPTED_ON)),
        (received, lambda m: services.close_matter(actor=handler, matter=m, on=ACCEPTED_ON)),
        (
            received,
            lambda m: services.extend_matter(
                actor=handler, matter=m, on=ACCEPTED_ON, decision_number="1"
            ),
        ),
        (accepted, lambda m: services.accept_matter(actor=handler, matter=m, on=ACCEPTED_ON)),
        (accepted, lambda m: services.classify_matter(actor=handler, matter=m, on=ACCEPTED_ON)),
        (
            accepted,
            lambda m: services.not_accept_matter(
                actor=handler, matter=m, on=ACCEPTED_ON, reason="Muộn"
            ),
        ),
        (
            accepted,
            lambda m: services.forward_matter(
                actor=handler, matter=m, to=tree["other"], on=ACCEPTED_ON
            ),
        ),
        (accepted, lambda m: services.close_matter(actor=handler, matter=m, on=D(2026, 3, 3))),
        (closed, lambda m: services.close_matter(actor=handler, matter=m, on=D(2026, 3, 4))),
        (closed, lambda m: services.withdraw_matter(actor=handler, matter=m, on=D(2026, 3, 4))),
        (
            closed,
            lambda m: services.decide_matter(
                actor=handler,
                matter=m,
                decision_number="2",
                decision_date=D(2026, 3, 4),
                result="upheld",
            ),
        ),
    ]
    for matter, attempt in attempts:
        with nothing_written(matter), pytest.raises(services.VoicesError) as error:
            attempt(matter)
        assert error.value.field == "state", attempt
        assert error.value.code == "wrong_state"


def test_settling_and_closing_keep_the_order_of_dates(matter_of, handler, nothing_written):
    matter = services.accept_matter(actor=handler, matter=matter_of("complaint"), on=ACCEPTED_ON)
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.start_settling(actor=handler, matter=matter, on=D(2026, 2, 20))
    assert error.value.field == "on"
    matter = decided(handler, matter_of("complaint"))
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.close_matter(actor=handler, matter=matter, on=D(2026, 2, 27))
    assert error.value.field == "on"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "virus.exe"),
        (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"), "fake.pdf"),
        (SimpleUploadedFile("photo.png", b"\xff\xd8\xff a jpeg"), "photo.png"),
        (SimpleUploadedFile("huge.pdf", b"%PDF" + b"0" * MAX_BYTES), "10 MB"),
    ],
)
def test_documents_are_checked_before_anything_is_stored(
    matter_of, handler, media, nothing_written, upload, message
):
    matter = matter_of("complaint")
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.accept_matter(actor=handler, matter=matter, on=ACCEPTED_ON, files=[pdf(), upload])
    assert error.value.field == "files"
    assert message in str(error.value.message)
    assert not any(p.is_file() for p in media.rglob("*"))


# Permissions ------------------------------------------------------------------------------


def test_only_case_handlers_covering_the_unit_may_handle(
    matter_of, alice, bob, charlie, other_handler, admin_user, nothing_written
):
    matter = matter_of("complaint")
    for user in (alice, bob, charlie, other_handler):
        for attempt in (
            lambda u: services.classify_matter(actor=u, matter=matter, on=ACCEPTED_ON),
            lambda u: services.accept_matter(actor=u, matter=matter, on=ACCEPTED_ON),
            lambda u: services.assign_handler(actor=u, matter=matter, handler=None),
        ):
            with nothing_written(matter), pytest.raises(PermissionDenied):
                attempt(user)
    # "*" includes voices.handle.
    assert services.accept_matter(actor=admin_user, matter=matter, on=ACCEPTED_ON).accepted_on


def test_a_case_handler_higher_up_may_handle_the_wards_matters(matter_of, tree):
    city_handler = UserFactory(username="thanh")
    grant(city_handler, "case_handler", tree["city"])
    matter = services.accept_matter(actor=city_handler, matter=matter_of(), on=ACCEPTED_ON)
    assert matter.state == MatterState.ACCEPTED
    assert Petition.objects.count() == 1


def test_no_step_is_dated_before_the_matter_was_received(matter_of, handler, tree, nothing_written):
    before_receipt = D(2026, 2, 12)
    received = matter_of("complaint")
    attempts = [
        lambda m: services.classify_matter(actor=handler, matter=m, on=before_receipt),
        lambda m: services.not_accept_matter(
            actor=handler, matter=m, on=before_receipt, reason="Trùng đơn"
        ),
        lambda m: services.forward_matter(
            actor=handler, matter=m, to=tree["other"], on=before_receipt
        ),
        lambda m: services.withdraw_matter(actor=handler, matter=m, on=before_receipt),
    ]
    for attempt in attempts:
        with nothing_written(received), pytest.raises(services.VoicesError) as error:
            attempt(received)
        assert error.value.field == "on"
    accepted = services.accept_matter(
        actor=handler, matter=matter_of("denunciation"), on=ACCEPTED_ON
    )
    with nothing_written(accepted), pytest.raises(services.VoicesError) as error:
        services.extend_matter(
            actor=handler, matter=accepted, on=D(2026, 2, 20), decision_number="1/GH"
        )
    assert error.value.field == "on"


def test_an_anonymous_letter_found_to_be_a_denunciation_is_not_settled(
    receive, handler, nothing_written
):
    petition = receive(
        anonymous=True, matters=[{"kind": "complaint", "summary": "Thực chất là tố cáo"}]
    )
    matter = petition.matters.get()
    matter = services.classify_matter(
        actor=handler, matter=matter, kind="denunciation", on=ACCEPTED_ON
    )
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.accept_matter(actor=handler, matter=matter, on=ACCEPTED_ON)
    assert error.value.field == "kind"
    assert "25" in str(error.value.message)
    matter = services.not_accept_matter(
        actor=handler, matter=matter, on=ACCEPTED_ON, reason=services.ANONYMOUS_REASON
    )
    assert matter.state == MatterState.NOT_ACCEPTED


def test_a_second_time_complaint_stays_a_complaint(matter_of, receive, handler, nothing_written):
    first = decided(handler, matter_of("complaint"))
    second = receive(
        received_on=D(2026, 3, 5),
        first_complaint=first,
        matters=[{"kind": "complaint", "summary": "Khiếu nại lần hai"}],
    ).matters.get()
    with nothing_written(second), pytest.raises(services.VoicesError) as error:
        services.classify_matter(
            actor=handler, matter=second, kind="denunciation", on=D(2026, 3, 6)
        )
    assert error.value.field == "kind"
    second = services.classify_matter(
        actor=handler, matter=second, complicated=True, on=D(2026, 3, 6)
    )
    second = services.accept_matter(actor=handler, matter=second, on=D(2026, 3, 9))
    assert second.settle_due_on == D(2026, 5, 8)  # 60 days for a complicated second complaint
