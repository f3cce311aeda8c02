"""The case pages: intake, worklist, case page, documents, identity reveal, public tracking.

Every petition is received through the service (or the intake page); the pages are driven
with the Django test Client. A citizen's name must appear in no page of a user without the
identity right."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from danvan.accounts.models import Role
from danvan.audit.models import AuditEvent
from danvan.voices import services
from danvan.voices.models import Citizen, Matter, MatterDocument, Notification, Petition
from tests.factories import UserFactory, grant

TODAY = timezone.localdate()
NAME = "Trần Văn Khải"
TRACES = [NAME, "Tran Van Khai", "Khải", "0912 345 678", "ngõ Hòa Bình"]
CONTENTS = "Đề nghị xem xét việc thu hồi đất làm đường liên xã tại tổ dân phố số 3."
PDF = b"%PDF-1.4\n% decision\n"


@pytest.fixture(autouse=True)
def _english_media_cache(settings, tmp_path):
    """English msgids; uploads in a temporary folder; a fresh rate-limit counter."""
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = str(tmp_path)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clerk(tree):
    """Case handler of the ward Party committee: intake, handle, identity."""
    user = UserFactory(username="huy", first_name="Huy", last_name="Vũ Quốc")
    grant(user, "case_handler", tree["ward"])
    return user


@pytest.fixture
def plain_handler(tree):
    """Handles the ward's matters but has no identity right."""
    Role.objects.get_or_create(
        code="handler-only", defaults={"name": "Xử lý", "actions": ["voices.handle"]}
    )
    user = UserFactory(username="thu")
    grant(user, "handler-only", tree["ward"])
    return user


@pytest.fixture
def petition(tree, clerk, hanoi_ward):
    return services.receive_petition(
        actor=clerk,
        unit=tree["ward"],
        channel="letter",
        received_on=TODAY - dt.timedelta(days=2),
        area=hanoi_ward,
        topic_code="land",
        contents=CONTENTS,
        matters=[{"kind": "complaint", "summary": "Khiếu nại quyết định thu hồi đất"}],
        citizens=[{"name": NAME, "address": "Số 7 ngõ Hòa Bình", "contact": "0912 345 678"}],
    )


@pytest.fixture
def matter(petition):
    return petition.matters.get()


def no_traces(html: str) -> None:
    for trace in TRACES:
        assert trace not in html, trace


def counts() -> dict:
    return {
        "petitions": Petition.objects.count(),
        "citizens": Citizen.objects.count(),
        "matters": Matter.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def intake_post(unit, **overrides) -> dict:
    data = {
        "unit": unit.pk,
        "channel": "reception",
        "received_on": TODAY.isoformat(),
        "topic": "land",
        "area": "",
        "contents": CONTENTS,
        "c-0-name": NAME,
        "c-0-address": "Số 7 ngõ Hòa Bình",
        "c-0-contact": "0912 345 678",
        "m-0-kind": "complaint",
        "m-0-summary": "Khiếu nại việc thu hồi đất",
        "first_complaint": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# Access ---------------------------------------------------------------------------------


def test_pages_for_allowed_users_and_others(client_for, clerk, alice, bob, charlie, matter):
    petition = matter.petition
    handler = client_for(clerk)
    for url in ["/voices/", "/voices/intake/", f"/voices/matters/{matter.pk}/"]:
        assert handler.get(url).status_code == 200, url
    assert handler.get(f"/voices/petitions/{petition.pk}/receipt/").status_code == 200
    # alice takes intake but does not handle: she reads the worklist, without step forms
    assert client_for(alice).get("/voices/intake/").status_code == 200
    assert client_for(alice).get("/voices/").status_code == 200
    # bob only views: no intake, but he reads the worklist and the case; no step forms
    assert client_for(bob).get("/voices/intake/").status_code == 403
    assert client_for(bob).get("/voices/").status_code == 200
    assert client_for(charlie).get("/voices/").status_code == 403
    page = client_for(bob).get(f"/voices/matters/{matter.pk}/")
    assert page.status_code == 200 and b'action="/voices/matters/' not in page.content
    response = client_for(bob).post(
        f"/voices/matters/{matter.pk}/accept/", {"accept-on": TODAY.isoformat()}
    )
    assert response.status_code == 403
    # charlie is an outsider: the case and the receipt do not exist for him
    assert client_for(charlie).get(f"/voices/matters/{matter.pk}/").status_code == 404
    assert client_for(charlie).get(f"/voices/petitions/{petition.pk}/receipt/").status_code == 404
    assert client_for(charlie).post(f"/voices/matters/{matter.pk}/identity/").status_code == 404
    assert client_for(charlie).get("/voices/").status_code == 403
    # signed out: to the login page
    response = client_for(clerk).__class__().get("/voices/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_nav_link_to_the_worklist(client_for, clerk):
    html = client_for(clerk).get("/").content.decode()
    assert 'href="/voices/"' in html and "Citizens" in html


# Intake ---------------------------------------------------------------------------------


def test_intake_creates_the_petition_through_the_service(client_for, alice, tree):
    client = client_for(alice)
    before = counts()
    data = intake_post(
        tree["ward"],
        **{
            "c-3-name": "Lê Thị Nga",
            "m-1-kind": "recommendation",
            "m-1-summary": "Kiến nghị làm rõ mức bồi thường",
            "m-1-complicated": "1",
        },
    )
    response = client.post("/voices/intake/", data)
    assert response.status_code == 302
    petition = Petition.objects.latest("pk")
    assert response["Location"] == f"/voices/petitions/{petition.pk}/receipt/"
    assert petition.unit == tree["ward"] and petition.area == tree["ward"].area
    assert petition.channel == "reception" and petition.received_on == TODAY
    assert petition.citizens.count() == 2
    assert NAME not in petition.citizens.first().name_enc  # encrypted by the service
    kinds = sorted(petition.matters.values_list("kind", "complicated"))
    assert kinds == [("complaint", False), ("recommendation", True)]
    assert AuditEvent.objects.filter(action="voices.receive_petition").count() == 1
    assert counts()["petitions"] == before["petitions"] + 1
    # the receipt: the code for the citizen, links to the matters, never the name
    html = client.get(response["Location"]).content.decode()
    assert petition.tracking_code in html
    for m in petition.matters.all():
        assert f"/voices/matters/{m.pk}/" in html
    assert "/tra-cuu/" in html
    no_traces(html)


def test_intake_chosen_area_and_anonymous(client_for, clerk, tree, hanoi):
    client = client_for(clerk)
    data = intake_post(
        tree["ward"], area=str(hanoi.pk), anonymous="on", **{"m-0-kind": "denunciation"}
    )
    response = client.post("/voices/intake/", data)
    assert response.status_code == 302
    petition = Petition.objects.latest("pk")
    assert petition.area == hanoi and petition.anonymous and petition.citizens.count() == 0
    assert petition.matters.get().state == "not_accepted"  # anonymous denunciations


@pytest.mark.parametrize(
    "overrides, field_text",
    [
        ({"contents": ""}, "This field is required."),
        ({"m-0-summary": ""}, "A petition holds at least one matter."),
        ({"c-0-name": "", "c-0-address": "Số 7"}, "This field is required."),
        ({"c-0-name": "", "c-0-address": "", "c-0-contact": ""}, "Record at least one citizen"),
        ({"received_on": (TODAY + dt.timedelta(days=3)).isoformat()}, "cannot be in the future"),
        ({"topic": "nope"}, "Select a valid choice"),
        ({"first_complaint": "999999"}, "Unknown matter"),
        ({"m-0-kind": "gossip"}, "Each matter is a complaint"),
    ],
)
def test_intake_bad_input_shows_errors_and_writes_nothing(
    client_for, clerk, tree, overrides, field_text
):
    before = counts()
    response = client_for(clerk).post("/voices/intake/", intake_post(tree["ward"], **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert field_text in html
    assert 'role="alert"' in html
    assert counts() == before


def test_intake_second_time_complaint_needs_a_decided_first(client_for, clerk, tree, matter):
    before = counts()
    data = intake_post(tree["ward"], first_complaint=str(matter.pk))
    response = client_for(clerk).post("/voices/intake/", data)
    assert "follows a decided first complaint" in response.content.decode()
    assert counts() == before
    services.accept_matter(actor=clerk, matter=matter, on=TODAY)
    services.decide_matter(
        actor=clerk, matter=matter, decision_number="12/QĐ", decision_date=TODAY, result="rejected"
    )
    response = client_for(clerk).post("/voices/intake/", data)
    assert response.status_code == 302
    second = Matter.objects.latest("pk")
    assert second.first_complaint == matter
    html = client_for(clerk).get(f"/voices/matters/{second.pk}/").content.decode()
    assert f'href="/voices/matters/{matter.pk}/"' in html
    html = client_for(clerk).get(f"/voices/matters/{matter.pk}/").content.decode()
    assert f'href="/voices/matters/{second.pk}/"' in html


def test_intake_is_keyboard_ready(client_for, clerk):
    html = client_for(clerk).get("/voices/intake/").content.decode()
    assert "autofocus" in html and 'type="submit"' in html
    assert 'name="c-0-name"' in html and 'name="m-0-summary"' in html
    # Today, as offices write it (not the clock's date at import: this runs across midnight).
    field = re.search(r'<input[^>]*name="received_on"[^>]*>', html).group(0)
    assert re.search(r'value="\d{2}/\d{2}/\d{4}"', field) and 'inputmode="numeric"' in field


def test_intake_partials(client_for, clerk, petition):
    client = client_for(clerk)
    htmx = {"HTTP_HX_REQUEST": "true"}
    row = client.get("/voices/intake/rows/citizen/", {"i": 4}, **htmx).content.decode()
    assert 'name="c-4-name"' in row and "<html" not in row
    row = client.get("/voices/intake/rows/matter/", {"i": 2}, **htmx).content.decode()
    assert 'name="m-2-kind"' in row and 'name="m-2-complicated"' in row and "<html" not in row
    assert client.get("/voices/intake/rows/nope/", **htmx).status_code == 404
    areas = client.get("/voices/intake/areas/", {"area_q": "ba dinh"}, **htmx).content.decode()
    assert "Ba Đình" in areas and "<html" not in areas
    similar = client.get(
        "/voices/intake/similar/",
        {"contents": "xem xét việc thu hồi đất làm đường liên xã tổ dân phố 3", "topic": "land"},
        **htmx,
    ).content.decode()
    assert petition.tracking_code in similar and "<html" not in similar
    assert f"/voices/matters/{petition.matters.get().pk}/" in similar
    no_traces(similar)


def test_similar_panel_is_scoped(client_for, charlie, petition, tree):
    outsider = UserFactory(username="oanh")
    grant(outsider, "case_handler", tree["other"])
    html = client_for(outsider).get("/voices/intake/similar/", {"contents": CONTENTS}).content
    assert petition.tracking_code.encode() not in html
    assert (
        client_for(charlie).get("/voices/intake/similar/", {"contents": CONTENTS}).status_code
        == 403
    )


# Worklist -------------------------------------------------------------------------------


def test_worklist_filters_and_htmx(client_for, clerk, tree, hanoi_ward, matter):
    services.receive_petition(
        actor=clerk,
        unit=tree["union"],
        channel="online",
        received_on=TODAY,
        area=hanoi_ward,
        topic_code="wages",
        contents="Công nhân phản ánh việc chậm trả lương tại khu công nghiệp.",
        matters=[{"kind": "recommendation", "summary": "Chậm trả lương"}],
        citizens=[{"name": "Người khác"}],
    )
    client = client_for(clerk)
    html = client.get("/voices/").content.decode()
    assert "Chậm trả lương" in html and "Khiếu nại quyết định thu hồi đất" in html
    html = client.get("/voices/", {"q": "tra luong"}).content.decode()
    assert "Chậm trả lương" in html and "Khiếu nại quyết định thu hồi đất" not in html
    html = client.get("/voices/", {"kind": "complaint"}).content.decode()
    assert "Chậm trả lương" not in html and "Khiếu nại quyết định thu hồi đất" in html
    html = client.get("/voices/", {"topic": "wages"}).content.decode()
    assert "Chậm trả lương" in html and "Khiếu nại quyết định thu hồi đất" not in html
    html = client.get("/voices/", {"state": "closed"}).content.decode()
    assert "No matter matches." in html
    partial = client.get(
        "/voices/", {"q": "thu hoi"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="worklist-rows"
    ).content.decode()
    assert "<html" not in partial and "Khiếu nại quyết định thu hồi đất" in partial


def test_worklist_overdue_and_due_soon(client_for, clerk, tree, hanoi_ward):
    old = services.receive_petition(
        actor=clerk,
        unit=tree["ward"],
        channel="letter",
        received_on=TODAY - dt.timedelta(days=60),
        area=hanoi_ward,
        topic_code="land",
        contents="Một đơn đã quá hạn",
        matters=[{"kind": "complaint", "summary": "Quá hạn"}],
        citizens=[{"name": "A"}],
    ).matters.get()
    html = client_for(clerk).get("/voices/").content.decode()
    overdue = html.split("Overdue", 1)[1].split("Due within three days", 1)[0]
    assert f"#{old.pk}" in overdue and "days late" in overdue


def test_worklist_query_count_does_not_grow(client_for, clerk, tree, hanoi_ward):
    client = client_for(clerk)
    client.get("/voices/")

    def add(n, start):
        for i in range(start, start + n):
            petition = services.receive_petition(
                actor=clerk,
                unit=tree["ward"] if i % 2 else tree["union"],
                channel="letter",
                received_on=TODAY - dt.timedelta(days=i % 20),
                area=hanoi_ward,
                topic_code="land" if i % 3 else "environment",
                contents=f"Đơn số {i} về ô nhiễm và đất đai",
                matters=[{"kind": "complaint", "summary": f"Việc {i}"}],
                citizens=[{"name": f"Công dân {i}"}],
            )
            m = petition.matters.get()
            if i % 4 == 0:
                services.assign_handler(actor=clerk, matter=m, handler=clerk)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/voices/")
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["page"].object_list)

    add(3, 0)
    few, rows_few = measure()
    add(25, 3)
    many, rows_many = measure()
    assert rows_many > rows_few
    assert many == few, f"{few} queries for {rows_few} rows, {many} for {rows_many}"


def test_notifications_on_the_worklist(client_for, clerk, matter):
    note = Notification.objects.create(
        user=clerk, message="Matter is due soon", link=f"/voices/matters/{matter.pk}/", key="k1"
    )
    Notification.objects.create(user=clerk, message="Another reminder", key="k2")
    other = UserFactory(username="someone")
    theirs = Notification.objects.create(user=other, message="Not for the clerk", key="k3")
    client = client_for(clerk)
    html = client.get("/voices/").content.decode()
    assert "Matter is due soon" in html and "Not for the clerk" not in html
    partial = client.post(
        f"/voices/notifications/{note.pk}/read/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in partial and "Matter is due soon" not in partial
    assert "Another reminder" in partial
    note.refresh_from_db()
    assert note.read_at is not None
    client.post(f"/voices/notifications/{theirs.pk}/read/")
    theirs.refresh_from_db()
    assert theirs.read_at is None  # someone else's: untouched
    response = client.post("/voices/notifications/read/")
    assert response.status_code == 302
    assert not Notification.objects.filter(user=clerk, read_at__isnull=True).exists()
    from danvan.audit.models import AuditEvent

    # Each marking is a write like any other: in the log, with how many it marked.
    marked = AuditEvent.objects.filter(action="voices.read_notifications").order_by("id")
    assert [e.changes["count"] for e in marked] == [[None, 1], [None, 1]]


# Case page and transitions ----------------------------------------------------------------


def test_case_page_shows_the_petition_and_the_steps(client_for, clerk, matter):
    html = client_for(clerk).get(f"/voices/matters/{matter.pk}/").content.decode()
    assert matter.petition.tracking_code in html and CONTENTS in html
    assert "Letter" in html and "Phường Ba Đình" in html
    assert matter.intake_due_on.strftime("%d/%m/%Y") in html
    for step in ("classify", "accept", "not_accept", "forward", "withdraw", "assign"):
        assert f"/voices/matters/{matter.pk}/{step}/" in html, step
    assert f"/voices/matters/{matter.pk}/decide/" not in html
    assert "1 citizen" in html and "Show the citizen's identity" in html
    no_traces(html)


def test_accept_with_a_document_then_decide_and_close(client_for, clerk, matter):
    client = client_for(clerk)
    url = f"/voices/matters/{matter.pk}/"
    upload = SimpleUploadedFile("thu-ly.pdf", PDF, content_type="application/pdf")
    response = client.post(
        url + "accept/",
        {"accept-on": TODAY.isoformat(), "accept-note": "Đủ điều kiện", "accept-files": upload},
    )
    assert response.status_code == 302 and response["Location"] == url
    matter.refresh_from_db()
    assert matter.state == "accepted" and matter.settle_due_on
    document = MatterDocument.objects.get()
    html = client.get(url).content.decode()
    assert f"/voices/documents/{document.pk}/" in html and "thu-ly.pdf" in html
    assert f"{url}decide/" in html and f"{url}extend/" in html
    download = client.get(f"/voices/documents/{document.pk}/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF

    response = client.post(
        url + "settling/", {"settling-on": TODAY.isoformat(), "settling-note": "Xác minh"}
    )
    assert response.status_code == 302
    response = client.post(
        url + "extend/", {"extend-on": TODAY.isoformat(), "extend-decision_number": ""}
    )
    assert "This field is required." in response.content.decode()
    response = client.post(
        url + "decide/",
        {
            "decide-decision_number": "15/QĐ-UBND",
            "decide-decision_date": TODAY.isoformat(),
            "decide-result": "partly_upheld",
        },
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.state == "decided" and matter.decision_number == "15/QĐ-UBND"
    response = client.post(url + "close/", {"close-on": TODAY.isoformat()})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.state == "closed"
    html = client.get(url).content.decode()
    for label in ("Received", "Accepted", "Settling step", "Decided", "Closed"):
        assert label in html
    assert "Xác minh" in html


def test_documents_only_for_who_may_see_the_matter(client_for, clerk, charlie, matter):
    services.accept_matter(
        actor=clerk,
        matter=matter,
        on=TODAY,
        files=[SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")],
    )
    document = MatterDocument.objects.get()
    assert client_for(charlie).get(f"/voices/documents/{document.pk}/").status_code == 404
    assert client_for(clerk).get("/voices/documents/999999/").status_code == 404


def test_bad_transitions_show_errors_and_change_nothing(client_for, clerk, matter):
    client = client_for(clerk)
    url = f"/voices/matters/{matter.pk}/"
    before = Matter.objects.filter(pk=matter.pk).values().get()
    # a decision before acceptance
    response = client.post(
        url + "decide/",
        {
            "decide-decision_number": "1/QĐ",
            "decide-decision_date": TODAY.isoformat(),
            "decide-result": "upheld",
        },
    )
    assert response.status_code == 200
    assert "A decision comes after the matter is accepted." in response.content.decode()
    # not accepting without a reason
    response = client.post(url + "not_accept/", {"not_accept-on": TODAY.isoformat()})
    assert "This field is required." in response.content.decode()
    # accepting before receipt, and in the future
    response = client.post(
        url + "accept/", {"accept-on": (TODAY - dt.timedelta(days=30)).isoformat()}
    )
    assert "cannot be accepted before it was received" in response.content.decode()
    response = client.post(
        url + "accept/", {"accept-on": (TODAY + dt.timedelta(days=3)).isoformat()}
    )
    assert "cannot be in the future" in response.content.decode()
    # a file that is not what it says
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post(url + "accept/", {"accept-on": TODAY.isoformat(), "accept-files": fake})
    assert "is not really a PDF file" in response.content.decode()
    # closing what is not decided; an unknown step
    response = client.post(url + "close/", {"close-on": TODAY.isoformat()})
    assert "Not possible while the matter is" in response.content.decode()
    assert client.post(url + "explode/", {}).status_code == 404
    assert Matter.objects.filter(pk=matter.pk).values().get() == before
    assert not MatterDocument.objects.exists()


def test_classify_forward_not_accept_withdraw_assign(client_for, clerk, tree, receive_many):
    client = client_for(clerk)
    a, b, c, d = receive_many(4)
    response = client.post(
        f"/voices/matters/{a.pk}/classify/",
        {
            "classify-kind": "denunciation",
            "classify-several_places": "on",
            "classify-note": "Tố cáo",
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.kind == "denunciation" and a.several_places and a.state == "classified"
    response = client.post(
        f"/voices/matters/{b.pk}/forward/",
        {"forward-to": tree["city"].pk, "forward-on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.state == "forwarded" and b.forwarded_to == tree["city"]
    response = client.post(
        f"/voices/matters/{c.pk}/not_accept/",
        {"not_accept-on": TODAY.isoformat(), "not_accept-reason": "Đã hết thời hiệu"},
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.state == "not_accepted" and c.not_accepted_reason == "Đã hết thời hiệu"
    response = client.post(f"/voices/matters/{d.pk}/assign/", {"assign-handler": clerk.pk})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.handler == clerk
    response = client.post(f"/voices/matters/{d.pk}/withdraw/", {"withdraw-on": TODAY.isoformat()})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == "withdrawn"


@pytest.fixture
def receive_many(tree, clerk, hanoi_ward):
    def _many(n):
        return [
            services.receive_petition(
                actor=clerk,
                unit=tree["ward"],
                channel="letter",
                received_on=TODAY - dt.timedelta(days=1),
                area=hanoi_ward,
                topic_code="land",
                contents=f"Đơn {i}",
                matters=[{"kind": "complaint", "summary": f"Việc {i}"}],
                citizens=[{"name": NAME}],
            ).matters.get()
            for i in range(n)
        ]

    return _many


# Identity -------------------------------------------------------------------------------


def test_no_page_shows_the_name_without_the_right(
    client_for, alice, bob, plain_handler, clerk, matter
):
    petition = matter.petition
    for user in (alice, bob, plain_handler):
        client = client_for(user)
        pages = [
            f"/voices/matters/{matter.pk}/",
            f"/voices/petitions/{petition.pk}/receipt/",
            "/voices/intake/similar/?contents=" + CONTENTS,
        ]
        if user is plain_handler:
            pages += ["/voices/", "/voices/?q=thu+hoi+dat", "/voices/?state=all"]
        for url in pages:
            response = client.get(url)
            if response.status_code == 200:
                no_traces(response.content.decode())
                assert "Show the citizen" not in response.content.decode()
        assert client.post(f"/voices/matters/{matter.pk}/identity/").status_code == 403
    # even the clerk's own pages never show it until asked
    for url in ["/voices/", f"/voices/matters/{matter.pk}/", "/voices/?q=thu+hoi"]:
        no_traces(client_for(clerk).get(url).content.decode())
    assert not AuditEvent.objects.filter(action="voices.reveal_identity").exists()


def test_reveal_writes_an_audit_event(client_for, clerk, matter):
    client = client_for(clerk)
    response = client.post(f"/voices/matters/{matter.pk}/identity/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert NAME in html and "0912 345 678" in html and "logged" in html
    event = AuditEvent.objects.get(action="voices.reveal_identity")
    assert event.actor == clerk and NAME not in str(event.changes)
    # without htmx: the whole case page, with the names
    html = client.post(f"/voices/matters/{matter.pk}/identity/").content.decode()
    assert "<html" in html and NAME in html
    assert AuditEvent.objects.filter(action="voices.reveal_identity").count() == 2
    assert client.get(f"/voices/matters/{matter.pk}/identity/").status_code == 405


def test_anonymous_petition_says_so(client_for, clerk, tree, hanoi_ward):
    petition = services.receive_petition(
        actor=clerk,
        unit=tree["ward"],
        channel="letter",
        received_on=TODAY,
        area=hanoi_ward,
        topic_code="land",
        contents="Một đơn không ký tên",
        matters=[{"kind": "recommendation", "summary": "Kiến nghị"}],
        anonymous=True,
    )
    html = client_for(clerk).get(f"/voices/matters/{petition.matters.get().pk}/").content.decode()
    assert "anonymous" in html and "Show the citizen" not in html


# Public tracking --------------------------------------------------------------------------


def test_tracking_shows_states_and_due_dates_only(client, matter):
    petition = matter.petition
    page = client.get("/tra-cuu/")
    assert page.status_code == 200 and "Tracking code" in page.content.decode()
    html = client.post("/tra-cuu/", {"code": petition.tracking_code.lower()}).content.decode()
    assert "Complaint" in html and "Received" in html
    assert matter.intake_due_on.strftime("%d/%m/%Y") in html
    for secret in [*TRACES, CONTENTS, "Khiếu nại quyết định"]:
        assert secret not in html
    # The office that received it is named, so the citizen knows where to ask.
    assert petition.unit.name in html.split('id="office"', 1)[1]


def test_wrong_and_unknown_codes_get_the_same_answer(client, matter):
    def answer(code):
        response = client.post("/tra-cuu/", {"code": code})
        assert response.status_code == 200
        html = response.content.decode()
        return html.split('<section id="track-result"', 1)[1].split("</section>", 1)[0]

    unknown = answer("ABCDEFGHJKLM")
    assert answer("x") == unknown == answer("") == answer("ABCDEFGHJKL!")
    assert "No petition was found" in unknown and "Complaint" not in unknown


def test_tracking_is_rate_limited_per_address(client, matter):
    code = matter.petition.tracking_code
    for _i in range(20):
        assert client.post("/tra-cuu/", {"code": "ABCDEFGHJKLM"}).status_code == 200
    response = client.post("/tra-cuu/", {"code": code})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many lookups" in html and "Complaint" not in html
    other = client.post("/tra-cuu/", {"code": code}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200 and "Complaint" in other.content.decode()


def test_worklist_drill_down_filters(client_for, clerk, matter):
    client = client_for(clerk)
    received = matter.petition.received_on
    html = client.get(
        "/voices/",
        {"state": "all", "received_from": received.isoformat(), "channel": "letter"},
    ).content.decode()
    assert f"#{matter.pk}" in html and "Also filtered by" in html
    assert 'name="received_from"' in html
    after = (received + dt.timedelta(days=1)).isoformat()
    html = client.get("/voices/", {"state": "all", "received_from": after}).content.decode()
    assert "No matter matches." in html
    html = client.get("/voices/", {"channel": "press", "received_to": "nonsense"}).content.decode()
    assert "No matter matches." in html


def test_a_denunciation_made_complicated_on_its_page_then_extended(
    client_for, clerk, tree, hanoi_ward
):
    """The case page offers the decree's criteria as a checklist, refuses complexity without
    grounds, and once grounds are ticked the extension of Art. 30 goes through."""
    petition = services.receive_petition(
        actor=clerk, unit=tree["ward"], channel="letter", received_on=TODAY - dt.timedelta(days=2),
        area=hanoi_ward, topic_code="officials", contents="Tố cáo cán bộ địa chính",
        matters=[{"kind": "denunciation", "summary": "Tố cáo cán bộ"}],
        citizens=[{"name": NAME}],
    )  # fmt: skip
    matter = services.accept_matter(actor=clerk, matter=petition.matters.get(), on=TODAY)
    client, url = client_for(clerk), f"/voices/matters/{matter.pk}/"
    html = client.get(url).content.decode()
    assert f"{url}complexity/" in html
    assert "Tố cáo có yếu tố nước ngoài" in html and "Nghị định 31/2019/NĐ-CP" in html

    extend = {"extend-on": TODAY.isoformat(), "extend-decision_number": "5/QĐ-GH"}
    refused = client.post(url + "extend/", extend).content.decode()
    assert "Điều 30" in refused
    missing = client.post(url + "complexity/", {"complexity-on": TODAY.isoformat(),
                                                "complexity-complicated": "on"})  # fmt: skip
    assert "Tick the grounds" in missing.content.decode()
    response = client.post(
        url + "complexity/",
        {"complexity-on": TODAY.isoformat(), "complexity-complicated": "on",
         "complexity-grounds": ["several-contents", "conflicting-evidence"]},
    )  # fmt: skip
    assert response.status_code == 302
    assert client.post(url + "extend/", extend).status_code == 302
    matter.refresh_from_db()
    assert matter.extensions == 1 and matter.settlement_rule.max_extensions == 1
    html = client.get(url).content.decode()
    assert "Tố cáo có từ 02 nội dung phải xác minh trở lên" in html
    assert "Điều 30, khoản 1 (vụ việc phức tạp)" in html
