"""Reception days and their compliance, dialogues and commitments, the dashboard figures,
and the daily deadline reminders."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from danvan.audit.models import AuditEvent
from danvan.voices import queries, services
from danvan.voices.models import Notification
from danvan.voices.tasks import notify_deadlines

from ..factories import UserFactory, grant
from .conftest import FRIDAY_BEFORE_TET, TRACES

D = dt.date


# Reception -------------------------------------------------------------------------------


def reception(actor, unit, held_on, **kwargs):
    values = {
        "head_role": "commune_pc_chair",
        "head_name": "Chủ tịch UBND phường",
        "citizens_received": 6,
    }
    values.update(kwargs)
    return services.record_reception(actor=actor, unit=unit, held_on=held_on, **values)


def test_a_reception_day_is_recorded_and_audited(alice, tree):
    audits = AuditEvent.objects.count()
    session = reception(alice, tree["ward"], D(2026, 3, 2), notes="Tiếp 6 lượt công dân")
    assert (session.head_present, session.delegate, session.citizens_received) == (True, "", 6)
    assert AuditEvent.objects.count() == audits + 1
    assert AuditEvent.objects.latest("pk").action == "voices.record_reception"


def test_an_absent_head_needs_a_delegate(alice, tree, nothing_written):
    with nothing_written(), pytest.raises(services.VoicesError) as error:
        reception(alice, tree["ward"], D(2026, 3, 2), head_present=False)
    assert error.value.field == "delegate"
    session = reception(
        alice, tree["ward"], D(2026, 3, 2), head_present=False, delegate="Phó Chủ tịch UBND"
    )
    assert (session.head_present, session.delegate) == (False, "Phó Chủ tịch UBND")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"head_role": "king"}, "head_role"),
        ({"head_name": " "}, "head_name"),
        ({"citizens_received": -1}, "citizens_received"),
        ({"citizens_received": "nhiều"}, "citizens_received"),
        ({"held_on": "2026-02-30"}, "held_on"),
        ({"held_on": D(2099, 1, 5)}, "held_on"),
    ],
)
def test_bad_reception_days_are_refused(alice, tree, nothing_written, kwargs, field):
    held_on = kwargs.pop("held_on", D(2026, 3, 2))
    with nothing_written(), pytest.raises(services.VoicesError) as error:
        reception(alice, tree["ward"], held_on, **kwargs)
    assert error.value.field == field


def test_only_intake_officers_of_the_unit_record_meetings(
    bob, charlie, tree, alice, nothing_written
):
    for user in (bob, charlie):
        with nothing_written(), pytest.raises(PermissionDenied):
            reception(user, tree["ward"], D(2026, 3, 2))
        with nothing_written(), pytest.raises(PermissionDenied):
            services.record_dialogue(
                actor=user,
                unit=tree["ward"],
                title="Đối thoại",
                held_on=D(2026, 3, 2),
                heads="Bí thư",
            )
    with nothing_written(), pytest.raises(PermissionDenied):
        reception(alice, tree["other"], D(2026, 3, 2))


def compliance(user, unit, start, end):
    return {
        row["head_name"]: (row["required"], row["held"], row["in_person"], row["met"])
        for row in queries.reception_compliance(user, unit=unit, start=start, end=end)
    }


def test_a_commune_chair_receives_citizens_one_day_a_week(alice, tree):
    mondays = [D(2026, 3, 2), D(2026, 3, 9), D(2026, 3, 16), D(2026, 3, 23)]
    for day in mondays[:3]:
        reception(alice, tree["ward"], day, head_name="Chủ tịch A")
    reception(
        alice, tree["ward"], mondays[3], head_name="Chủ tịch A", head_present=False, delegate="Phó"
    )
    for day in mondays:
        reception(alice, tree["ward"], day, head_name="Chủ tịch B")
    reception(alice, tree["ward"], mondays[0], head_name="Chủ tịch B")  # the same day twice
    reception(alice, tree["ward"], D(2026, 4, 6), head_name="Chủ tịch B")  # outside the month

    rows = compliance(alice, tree["ward"], D(2026, 3, 1), D(2026, 3, 31))
    assert rows == {"Chủ tịch A": (4, 4, 3, False), "Chủ tịch B": (4, 4, 4, True)}
    row = queries.reception_compliance(
        alice, unit=tree["ward"], start=D(2026, 3, 1), end=D(2026, 3, 31)
    )[0]
    assert "42/2013/QH13" in row["citation"]


def test_a_commune_party_head_receives_citizens_two_days_a_month(alice, tree):
    reception(
        alice, tree["ward"], D(2026, 1, 8), head_role="commune_party_head", head_name="Bí thư"
    )
    january = (D(2026, 1, 1), D(2026, 1, 31))
    assert compliance(alice, tree["ward"], *january) == {"Bí thư": (2, 1, 1, False)}
    reception(
        alice, tree["ward"], D(2026, 1, 22), head_role="commune_party_head", head_name="Bí thư"
    )
    assert compliance(alice, tree["ward"], *january) == {"Bí thư": (2, 2, 2, True)}


# Dialogues and commitments ---------------------------------------------------------------


@pytest.fixture
def dialogue(alice, tree):
    return services.record_dialogue(
        actor=alice,
        unit=tree["ward"],
        title="Đối thoại về giải phóng mặt bằng đường liên xã",
        held_on=D(2026, 2, 10),
        heads="Bí thư Đảng ủy, Chủ tịch UBND phường",
        participants=85,
        topic_codes=["land", "infrastructure"],
    )


def test_a_dialogue_is_recorded_with_its_topics(dialogue, nothing_written, alice, tree):
    assert dialogue.participants == 85
    assert sorted(dialogue.topics.values_list("code", flat=True)) == ["infrastructure", "land"]
    assert AuditEvent.objects.latest("pk").action == "voices.record_dialogue"
    for kwargs, field in (
        ({"topic_codes": ["land", "nope"]}, "topics"),
        ({"participants": "đông"}, "participants"),
        ({"title": ""}, "title"),
        ({"held_on": "10/02/2026"}, "held_on"),
    ):
        values = {"title": "Đối thoại", "held_on": D(2026, 2, 10), "heads": "Bí thư", **kwargs}
        with nothing_written(), pytest.raises(services.VoicesError) as error:
            services.record_dialogue(actor=alice, unit=tree["ward"], **values)
        assert error.value.field == field


def test_commitments_are_due_after_the_dialogue_and_answered(
    dialogue, alice, tree, nothing_written
):
    for due_on in (D(2026, 2, 9), "2026-02-31", "next month", None):
        with nothing_written(), pytest.raises(services.VoicesError) as error:
            services.add_commitment(
                actor=alice,
                dialogue=dialogue,
                content="Công khai phương án",
                owner=tree["ward"],
                due_on=due_on,
            )
        assert error.value.field == "due_on"
    commitment = services.add_commitment(
        actor=alice,
        dialogue=dialogue,
        content="Công khai phương án bồi thường",
        owner=tree["union"],
        due_on="2026-03-15",
    )
    assert commitment.due_on == D(2026, 3, 15)
    assert AuditEvent.objects.latest("pk").action == "voices.add_commitment"

    for answered_on in (D(2026, 2, 1), D(2099, 1, 1), "hôm qua"):
        with nothing_written(), pytest.raises(services.VoicesError) as error:
            services.answer_commitment(
                actor=alice, commitment=commitment, answered_on=answered_on, answer="Đã công khai"
            )
        assert error.value.field == "answered_on"
    with nothing_written(), pytest.raises(services.VoicesError) as error:
        services.answer_commitment(
            actor=alice, commitment=commitment, answered_on=D(2026, 3, 10), answer=" "
        )
    assert error.value.field == "answer"
    commitment = services.answer_commitment(
        actor=alice,
        commitment=commitment,
        answered_on=D(2026, 3, 10),
        answer="Đã niêm yết tại nhà văn hóa",
    )
    assert commitment.answered_on == D(2026, 3, 10)
    assert AuditEvent.objects.latest("pk").changes["answered_on"] == [None, "2026-03-10"]


# Dashboard -------------------------------------------------------------------------------


def test_dashboard_figures(receive, handler, dialogue, alice, tree):
    def one(kind, channel="letter", topic="land", received_on=FRIDAY_BEFORE_TET):
        return receive(
            channel=channel,
            topic_code=topic,
            received_on=received_on,
            matters=[{"kind": kind, "summary": "Nội dung"}],
        ).matters.get()

    on_time = services.accept_matter(actor=handler, matter=one("complaint"), on=D(2026, 2, 23))
    services.decide_matter(
        actor=handler,
        matter=on_time,
        decision_number="1",
        decision_date=D(2026, 3, 2),
        result="upheld",
    )
    late = one("complaint", channel="reception", topic="environment", received_on=D(2026, 2, 2))
    late = services.accept_matter(actor=handler, matter=late, on=D(2026, 2, 3))
    assert late.settle_due_on == D(2026, 3, 5)
    services.decide_matter(
        actor=handler,
        matter=late,
        decision_number="2",
        decision_date=D(2026, 3, 20),
        result="rejected",
    )
    settling = one("denunciation", channel="online")
    services.accept_matter(actor=handler, matter=settling, on=D(2026, 2, 23))  # due 25 March
    one("denunciation")  # to classify by 3 March: overdue on 1 April
    refused = one("recommendation")
    services.not_accept_matter(actor=handler, matter=refused, on=D(2026, 2, 20), reason="Trùng đơn")
    one("complaint", received_on=D(2026, 1, 20))  # before the period
    services.receive_petition(
        actor=UserFactory(username="root4", is_superuser=True),
        unit=tree["other"],
        channel="letter",
        received_on=D(2026, 2, 13),
        area=tree["other"].area,
        topic_code="land",
        contents="Đơn của phường khác",
        matters=[{"kind": "complaint", "summary": "Khác"}],
        anonymous=True,
    )
    services.add_commitment(
        actor=alice,
        dialogue=dialogue,
        content="Sửa đường",
        owner=tree["ward"],
        due_on=D(2026, 3, 1),
    )
    services.add_commitment(
        actor=alice, dialogue=dialogue, content="Lắp đèn", owner=tree["ward"], due_on=D(2026, 4, 30)
    )
    answered = services.add_commitment(
        actor=alice, dialogue=dialogue, content="Họp dân", owner=tree["ward"], due_on=D(2026, 2, 20)
    )
    services.answer_commitment(
        actor=alice, commitment=answered, answered_on=D(2026, 2, 19), answer="Đã họp"
    )
    reception(alice, tree["ward"], D(2026, 3, 2))

    figures = queries.dashboard(
        handler, unit=tree["ward"], start=D(2026, 2, 1), end=D(2026, 3, 31), today=D(2026, 4, 1)
    )
    assert {
        k: figures[k] for k in ("received", "accepted", "decided", "on_time", "late", "overdue_now")
    } == {
        "received": 5,
        "accepted": 3,
        "decided": 2,
        "on_time": 1,
        "late": 1,
        "overdue_now": 2,
    }
    assert figures["by_kind"] == [
        {"kind": "complaint", "n": 2},
        {"kind": "denunciation", "n": 2},
        {"kind": "recommendation", "n": 1},
    ]
    assert {r["petition__channel"]: r["n"] for r in figures["by_channel"]} == {
        "letter": 3,
        "reception": 1,
        "online": 1,
    }
    assert {r["petition__topic__code"]: r["n"] for r in figures["by_topic"]} == {
        "land": 4,
        "environment": 1,
    }
    assert (figures["commitments_open"], figures["commitments_overdue"]) == (2, 1)
    assert [r["held"] for r in figures["reception"]] == [1]
    # Figures never carry a citizen's identity.
    for trace in TRACES:
        assert trace not in repr(figures)

    city = queries.dashboard(
        UserFactory(username="root5", is_superuser=True),
        unit=tree["city"],
        start=D(2026, 2, 1),
        end=D(2026, 3, 31),
        today=D(2026, 4, 1),
    )
    assert city["received"] == 6


# Daily reminders -------------------------------------------------------------------------


def test_daily_reminders_go_once_to_each_handler(receive, handler, tree):
    colleague = UserFactory(username="thanh")
    grant(colleague, "case_handler", tree["city"])

    def matter(kind, **kw):
        return receive(matters=[{"kind": kind, "summary": "Nội dung"}], **kw).matters.get()

    due_soon = matter("denunciation")  # to classify by 3 March
    overdue = matter("complaint")  # to accept by 23 February
    later = services.accept_matter(actor=handler, matter=matter("complaint"), on=D(2026, 2, 23))
    unassigned = matter("complaint")
    closed = matter("complaint")
    services.not_accept_matter(actor=handler, matter=closed, on=D(2026, 2, 20), reason="Trùng")
    for m, who in ((due_soon, handler), (overdue, colleague), (later, handler), (closed, handler)):
        services.assign_handler(actor=handler, matter=m, handler=who)
    assert unassigned.handler is None

    assert notify_deadlines.call("2026-03-02") == 2
    notes = {(n.user, n.key): n for n in Notification.objects.all()}
    assert set(notes) == {
        (handler, f"matter:{due_soon.pk}:due:2026-03-03"),
        (colleague, f"matter:{overdue.pk}:overdue:2026-02-23"),
    }
    note = notes[(colleague, f"matter:{overdue.pk}:overdue:2026-02-23")]
    assert f"#{overdue.pk}" in note.message and "23/02/2026" in note.message
    assert note.link == reverse("voices:matter", args=[overdue.pk])
    for n in notes.values():
        assert not any(trace in n.message for trace in TRACES)

    assert notify_deadlines.call("2026-03-02") == 0
    assert Notification.objects.count() == 2


def test_the_daily_command_runs_the_reminders(receive, handler, django_capture_on_commit_callbacks):
    long_ago = timezone.localdate() - dt.timedelta(days=60)
    matter = receive(received_on=long_ago).matters.get()
    services.assign_handler(actor=handler, matter=matter, handler=handler)
    out = StringIO()
    call_command("voices_daily", "--now", stdout=out)
    assert "reminders sent: 1" in out.getvalue()
    note = Notification.objects.get()
    assert (note.user, note.key) == (
        handler,
        f"matter:{matter.pk}:overdue:{matter.intake_due_on.isoformat()}",
    )
    call_command("voices_daily", "--now", stdout=out)
    assert Notification.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        call_command("voices_daily", stdout=StringIO())
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "danvan.voices.tasks.notify_deadlines"
    assert queued.args_kwargs["args"] == [timezone.localdate().isoformat()]
