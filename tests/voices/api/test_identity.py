"""A citizen's identity never leaves the API except through /identity, to the case handler
of the unit, with each view in the audit log."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.audit.models import AuditEvent
from danvan.voices import services

from .conftest import ADDRESS, CONTACT, MISSING, NAME, PDF, TODAY, Api, assert_no_identity, fill

DAY = TODAY.isoformat()
GETS = [
    ("petitions", {}),
    ("petitions", {"topic": "land", "unit": "{ward}"}),
    ("petitions/{petition}", {}),
    ("petitions/{petition}/identity", {}),
    ("petitions/{other_petition}/identity", {}),
    (f"petitions/{MISSING}/identity", {}),
    ("petitions/similar", {"text": "thu hồi đất làm đường liên xã", "area": "{area}"}),
    ("petitions/similar", {"text": NAME}),
    ("matters", {}),
    ("matters", {"state": "open", "q": NAME}),
    ("matters/{complaint}", {}),
    ("matters/{denunciation}", {}),
    (f"matters/{MISSING}", {}),
    ("worklist", {}),
    ("receptions", {}),
    ("dialogues", {}),
    ("dialogues/{dialogue}", {}),
    ("reception-compliance", {"start": "2000-01-01", "end": DAY}),
    ("dashboard", {"start": "2000-01-01", "end": DAY}),
    ("hot-spots", {"months": 24}),
    ("deadline-rules", {}),
    ("topics", {}),
    ("track/{code}", {}),
    ("track/AAAAAAAAAAAA", {}),
]
# Error answers, which must not echo what was sent.
BAD_WRITES = [
    ("petitions", {"unit": "{ward}", "channel": "letter", "received_on": "x", "area": "{area}",
                   "topic": "land", "contents": NAME, "citizens": [{"name": NAME, "contact": "0" * 101}],
                   "matters": [{"summary": NAME}]}),
    ("petitions", {"unit": "{ward}", "channel": "letter", "received_on": DAY, "area": "{area}",
                   "topic": NAME, "contents": "x", "citizens": [{"name": NAME}],
                   "matters": [{"kind": "complaint", "summary": "x"}]}),
    ("matters/{complaint}/assign", {"handler": NAME}),
]  # fmt: skip


@pytest.fixture
def decided(world, media):
    """The complaint goes through its steps with a document, so the timeline is full."""
    handler = world.users["handler"]
    upload = SimpleUploadedFile("quyet-dinh.pdf", PDF)
    services.accept_matter(actor=handler, matter=world.complaint, on=TODAY, files=[upload])
    services.decide_matter(
        actor=handler, matter=world.complaint, decision_number="1/QĐ", decision_date=TODAY,
        result="rejected",
    )  # fmt: skip
    return world


@pytest.mark.parametrize(
    "who", ["charlie", "bob", "superuser", "admin", "other_handler", "alice", "handler", None]
)
def test_no_answer_carries_the_identity(decided, who):
    world = decided
    ids = world.ids
    api = Api(world.users[who] if who else None)
    for url, params in GETS:
        if who == "handler" and url == "petitions/{petition}/identity":
            continue  # the one place it may appear
        response = api.get(fill(url, ids), **fill(params, ids))
        assert response.status_code < 500, (url, response.content[:300])
        assert_no_identity(response)
    for url, body in BAD_WRITES:
        response = api.post(fill(url, ids), fill(body, ids))
        assert 400 <= response.status_code < 500
        assert_no_identity(response)
    document = world.complaint.events.get(step="accepted").documents.get()
    response = api.get(f"documents/{document.pk}")
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("who", ["charlie", "bob", "superuser", "admin", "other_handler"])
def test_identity_is_refused_like_an_unknown_petition(world, who):
    api = Api(world.users[who])
    audit = AuditEvent.objects.count()
    refused = api.get(f"petitions/{world.petition.pk}/identity")
    unknown = api.get(f"petitions/{MISSING}/identity")
    assert refused.status_code == unknown.status_code == 404
    assert refused.json() == unknown.json()
    assert AuditEvent.objects.count() == audit


def test_the_case_handler_sees_it_and_each_view_is_audited(world):
    api = Api(world.users["handler"])
    audit = AuditEvent.objects.count()
    for n in (1, 2):
        response = api.get(f"petitions/{world.petition.pk}/identity")
        assert response.status_code == 200
        assert response.json() == [{"name": NAME, "address": ADDRESS, "contact": CONTACT}]
        assert AuditEvent.objects.count() == audit + n
        event = AuditEvent.objects.latest("pk")
        assert event.action == "voices.reveal_identity"
        assert event.actor_id == world.users["handler"].pk
        assert event.object_id == str(world.petition.pk)
        assert NAME not in str(event.changes) and NAME not in event.object_repr


def test_an_anonymous_petition_has_no_identity_and_others_still_get_404(world):
    handler = world.users["handler"]
    petition = services.receive_petition(
        actor=handler, unit=world.tree["ward"], channel="online", received_on=TODAY,
        area=world.petition.area, topic_code="officials", contents="Tố cáo nặc danh",
        anonymous=True, matters=[{"kind": "denunciation", "summary": "Nặc danh"}],
    )  # fmt: skip
    assert Api(handler).get(f"petitions/{petition.pk}/identity").json() == []
    assert Api(world.users["bob"]).get(f"petitions/{petition.pk}/identity").status_code == 404
