"""A citizen's identity: ciphertext at rest, read only through reveal_identity by who the law
names (each read audited, the log holding no name), and absent from every list, log, error
message and timeline note."""

import datetime as dt
import json

import pytest
from cryptography.fernet import Fernet
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from danvan.accounts.models import Role
from danvan.audit.models import AuditEvent
from danvan.core import crypto
from danvan.core.errors import NotFound
from danvan.voices import queries, services
from danvan.voices.models import Citizen, MatterEvent, Notification, Petition
from danvan.voices.tasks import notify_deadlines

from ..factories import UserFactory, grant
from .conftest import CITIZEN, SECOND_CITIZEN, TRACES

D = dt.date


def no_trace(text: str) -> None:
    for trace in TRACES:
        assert trace.casefold() not in text.casefold(), trace


def table_text(model) -> str:
    return json.dumps(list(model.objects.values()), cls=DjangoJSONEncoder, ensure_ascii=False)


def raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return repr(cursor.fetchall())


def role(code: str, actions: list[str]) -> Role:
    return Role.objects.create(code=code, name=code, actions=actions)


@pytest.fixture
def complaint_petition(receive):
    return receive(citizens=[dict(CITIZEN), dict(SECOND_CITIZEN)])


@pytest.fixture
def denunciation_petition(receive):
    return receive(matters=[{"kind": "denunciation", "summary": "Tố cáo cán bộ địa chính"}])


def test_identity_fields_are_stored_encrypted(complaint_petition):
    raw = raw_rows(Citizen._meta.db_table)
    no_trace(raw)
    assert "Quỳnh Nga" not in raw and "nga@example.vn" not in raw
    first, second = complaint_petition.citizens.order_by("pk")
    assert crypto.decrypt(first.name_enc) == CITIZEN["name"]
    assert crypto.decrypt(first.address_enc) == CITIZEN["address"]
    assert crypto.decrypt(first.contact_enc) == CITIZEN["contact"]
    assert (crypto.decrypt(second.name_enc), second.address_enc) == (SECOND_CITIZEN["name"], "")
    no_trace(raw_rows(Petition._meta.db_table))


def revealed(user, petition):
    audits = AuditEvent.objects.count()
    people = queries.reveal_identity(user, petition)
    assert AuditEvent.objects.count() == audits + 1
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_id) == ("voices.reveal_identity", str(petition.pk))
    assert event.actor == user
    no_trace(json.dumps(event.changes, ensure_ascii=False) + event.object_repr)
    return [person["name"] for person in people]


def refused(user, petition):
    audits = AuditEvent.objects.count()
    assert not queries.may_reveal(user, petition)
    with pytest.raises(NotFound) as error:
        queries.reveal_identity(user, petition)
    no_trace(str(error.value.message))
    assert AuditEvent.objects.count() == audits


def test_the_case_handler_of_the_unit_sees_the_citizens_and_each_read_is_audited(
    complaint_petition, denunciation_petition, handler, tree
):
    assert revealed(handler, complaint_petition) == [CITIZEN["name"], SECOND_CITIZEN["name"]]
    assert revealed(handler, complaint_petition) == [CITIZEN["name"], SECOND_CITIZEN["name"]]
    assert revealed(handler, denunciation_petition) == [CITIZEN["name"]]
    assert AuditEvent.objects.filter(action="voices.reveal_identity").count() == 3
    rule = AuditEvent.objects.latest("pk").changes["rule"]
    assert rule == [None, "voices.view_denouncer"]
    city_handler = UserFactory(username="thanh")
    grant(city_handler, "case_handler", tree["city"])
    assert revealed(city_handler, denunciation_petition) == [CITIZEN["name"]]


def test_nobody_else_sees_a_denouncer(
    denunciation_petition, superuser, admin_user, other_handler, alice, bob, charlie, tree
):
    voices_all = UserFactory(username="vo")
    grant(voices_all, "administrator", tree["ward"])
    wildcard = role("voices-all", ["voices.*", "voices.view_identity"])
    wildcard_user = UserFactory(username="wild")
    grant(wildcard_user, wildcard.code, tree["ward"])
    union_handler = UserFactory(username="union")
    grant(union_handler, "case_handler", tree["union"])  # below the unit, not covering it
    for user in (
        superuser,
        admin_user,
        voices_all,
        wildcard_user,
        other_handler,
        union_handler,
        alice,
        bob,
        charlie,
    ):
        refused(user, denunciation_petition)


def test_explicit_grants_decide_per_kind(
    complaint_petition, denunciation_petition, admin_user, tree
):
    denouncers_only = UserFactory(username="inspector")
    grant(denouncers_only, role("inspector", ["voices.view_denouncer"]).code, tree["ward"])
    assert revealed(denouncers_only, denunciation_petition) == [CITIZEN["name"]]
    refused(denouncers_only, complaint_petition)

    identity_only = UserFactory(username="clerk")
    grant(identity_only, role("clerk", ["voices.view_identity"]).code, tree["city"])
    assert revealed(identity_only, complaint_petition)[0] == CITIZEN["name"]
    refused(identity_only, denunciation_petition)

    # A wildcard covers no citizen's identity: it is granted by name only.
    refused(admin_user, complaint_petition)
    refused(admin_user, denunciation_petition)


def test_a_petition_with_any_denunciation_is_protected_as_a_denunciation(receive, admin_user):
    mixed = receive(
        matters=[
            {"kind": "complaint", "summary": "Khiếu nại"},
            {"kind": "denunciation", "summary": "Tố cáo"},
        ]
    )
    refused(admin_user, mixed)


def test_an_anonymous_petition_reveals_nobody(receive, handler, charlie):
    petition = receive(anonymous=True, matters=[{"kind": "denunciation", "summary": "Tố cáo"}])
    assert queries.reveal_identity(handler, petition) == []
    # Outsiders learn nothing, not even that nobody is recorded.
    with pytest.raises(NotFound):
        queries.reveal_identity(charlie, petition)


def test_no_name_anywhere_after_a_full_lifecycle(receive, handler, admin_user, tree):
    petition = receive(
        citizens=[dict(CITIZEN)],
        matters=[
            {"kind": "complaint", "summary": "Khiếu nại thu hồi đất"},
            {"kind": "denunciation", "summary": "Tố cáo cán bộ"},
            {"kind": "recommendation", "summary": "Kiến nghị"},
        ],
    )
    complaint = petition.matters.get(kind="complaint")
    denunciation = petition.matters.get(kind="denunciation")
    recommendation = petition.matters.get(kind="recommendation")
    services.assign_handler(actor=handler, matter=complaint, handler=handler)
    services.classify_matter(
        actor=handler, matter=denunciation, complicated=True, grounds=["many-people"],
        on=D(2026, 2, 23),
    )  # fmt: skip
    services.accept_matter(actor=handler, matter=denunciation, on=D(2026, 2, 24))
    services.start_settling(actor=handler, matter=denunciation, on=D(2026, 2, 25))
    services.extend_matter(
        actor=handler, matter=denunciation, on=D(2026, 3, 20), decision_number="2/QĐ-GH"
    )
    services.decide_matter(
        actor=handler,
        matter=denunciation,
        decision_number="9/KL",
        decision_date=D(2026, 4, 2),
        result="upheld",
    )
    services.close_matter(actor=handler, matter=denunciation, on=D(2026, 4, 3))
    services.accept_matter(actor=handler, matter=complaint, on=D(2026, 2, 23))
    services.withdraw_matter(actor=handler, matter=complaint, on=D(2026, 2, 27))
    services.forward_matter(
        actor=handler, matter=recommendation, to=tree["other"], on=D(2026, 2, 23)
    )
    queries.reveal_identity(handler, petition)
    notify_deadlines.call("2026-03-02")
    errors = []
    for bad in (
        lambda: receive(citizens=[{"name": CITIZEN["name"] * 20}]),
        lambda: receive(citizens=[{"name": CITIZEN["name"], "address": CITIZEN["address"] * 30}]),
        lambda: receive(citizens=[{"name": CITIZEN["name"], "contact": CITIZEN["contact"] * 10}]),
        lambda: receive(channel="x", citizens=[dict(CITIZEN)]),
    ):
        with pytest.raises(services.VoicesError) as error:
            bad()
        errors.append(str(error.value.message))

    no_trace(table_text(AuditEvent))
    no_trace(table_text(MatterEvent))
    no_trace(table_text(Notification))
    no_trace(" ".join(errors))
    no_trace(str(petition) + repr(petition))
    for citizen in Citizen.objects.all():
        no_trace(str(citizen))
    for matter in petition.matters.all():
        no_trace(str(matter) + repr(queries.track(petition.tracking_code)))
    assert AuditEvent.objects.filter(object_type="voices.matter").count() == 10


def test_lists_and_search_never_expose_a_name(complaint_petition, denunciation_petition, handler):
    for query in (CITIZEN["name"], "Tran Van Khai", "Khải", SECOND_CITIZEN["name"]):
        assert not queries.matters(handler, q=query).exists()
    assert queries.matters(handler, q="thu hoi dat").count() == 2  # contents are searchable
    listed = json.dumps(
        [
            *queries.petitions(handler).values(),
            *queries.matters(handler).values(),
            *[vars(p) for p in queries.petitions(handler)],
        ],
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        default=str,
    )
    no_trace(listed)


@pytest.fixture
def restore_keys(settings):
    yield settings
    crypto.reset_cache()


def test_key_rotation_keeps_old_ciphertexts_readable(complaint_petition, restore_keys):
    settings = restore_keys
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    citizen = complaint_petition.citizens.order_by("pk").first()
    old_token = citizen.name_enc

    new_key = crypto.new_key()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    crypto.reset_cache()
    assert crypto.decrypt(old_token) == CITIZEN["name"]
    rotated = crypto.rotate(old_token)
    assert rotated != old_token
    assert Fernet(new_key.encode()).decrypt(rotated.encode()).decode() == CITIZEN["name"]
    fresh = crypto.encrypt(CITIZEN["name"])
    assert Fernet(new_key.encode()).decrypt(fresh.encode()).decode() == CITIZEN["name"]
    Citizen.objects.filter(pk=citizen.pk).update(name_enc=rotated)

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key retired
    crypto.reset_cache()
    assert crypto.decrypt(rotated) == CITIZEN["name"]
    with pytest.raises(ValueError, match="cannot decrypt"):
        crypto.decrypt(old_token)
