"""Security review of the democracy app and its public portal (/cong-khai/): scoped lookups,
outsider 404s, and personal data (household representatives, board members, a household's
vote) kept off public pages, exports and roll-ups."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.democracy import services
from danvan.democracy.models import Household, Vote
from danvan.org.models import Organization, OrganizationType

from ..factories import OrganizationFactory
from .conftest import PDF

TODAY = dt.date.today()
REPRESENTATIVE = "Trịnh Văn Đại Diện"
MEMBER = "Lò Thị Thành Viên"


@pytest.fixture(autouse=True)
def _no_cached_portal():
    cache.clear()
    yield
    cache.clear()


def _type(code):
    return OrganizationType.objects.get(code=code)


def _fresh(org):
    return Organization.objects.select_related("type", "area").get(pk=org.pk)


def build(actor, parent, area, prefix):
    """A People's Committee, a hamlet with 3 named households, a Front with a board (one
    named member), an activity with a recommendation, a disclosure with a file, and an open
    consultation with one vote."""
    ubnd = OrganizationFactory(code=f"{prefix}-ubnd", name=f"UBND {prefix}", area=area,
                               parent=parent, type=_type("peoples-committee"))  # fmt: skip
    hamlet = OrganizationFactory(code=f"{prefix}-tdp", name=f"Tổ dân phố {prefix}", area=area,
                                 parent=ubnd, type=_type("hamlet"))  # fmt: skip
    front = OrganizationFactory(code=f"{prefix}-mttq", name=f"MTTQ {prefix}", area=area,
                                parent=parent, type=_type("fatherland-front"))  # fmt: skip
    ubnd, hamlet, front = _fresh(ubnd), _fresh(hamlet), _fresh(front)
    for i in range(1, 4):
        services.register_household(
            actor=actor, community=hamlet, code=f"H{i:03d}", representative=REPRESENTATIVE
        )
    disclosure = services.create_disclosure(
        actor=actor, unit=ubnd, category_code="policy", title=f"Chính sách {prefix}",
        decision_date=TODAY - dt.timedelta(days=10),
        files=[SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf")],
    )  # fmt: skip
    consultation = services.open_consultation(
        actor=actor, unit=ubnd, community=hamlet, matter_type_code="contribution",
        title=f"Đóng góp {prefix}", form="meeting", opens_on=TODAY - dt.timedelta(days=2),
        closes_on=TODAY + dt.timedelta(days=10),
    )  # fmt: skip
    services.record_vote(actor=actor, consultation=consultation, household_code="H001",
                         choice="no", cast_on=TODAY)  # fmt: skip
    body = services.create_body(actor=actor, unit=front, kind="investment",
                                name=f"Ban Giám sát đầu tư {prefix}")  # fmt: skip
    services.add_member(actor=actor, body=body, name=MEMBER, position="Trưởng ban")
    activity = services.record_activity(
        actor=actor, body=body, kind="supervision", subject="Đường ngõ 5",
        held_on=TODAY - dt.timedelta(days=5),
    )  # fmt: skip
    rec = services.add_recommendation(
        actor=actor, activity=activity, addressee=ubnd, content="Công khai dự toán",
        made_on=TODAY - dt.timedelta(days=4), due_on=TODAY + dt.timedelta(days=20),
    )  # fmt: skip
    return {
        "ubnd": ubnd, "hamlet": hamlet, "front": front, "disclosure": disclosure,
        "document": disclosure.documents.get(), "consultation": consultation, "body": body,
        "activity": activity, "recommendation": rec,
    }  # fmt: skip


@pytest.fixture
def far_dem(far, superuser, media):
    return build(superuser, far["org"], far["org"].area, "hp")


@pytest.fixture
def ward_dem(tree, superuser, media):
    return build(superuser, tree["ward"], tree["ward"].area, "bd")


GET_PAGES = [
    ("democracy:disclosure", "disclosure_id", "disclosure"),
    ("democracy:document", "document_id", "document"),
    ("democracy:households", "community_id", "hamlet"),
    ("democracy:households_export", "community_id", "hamlet"),
    ("democracy:households_import", "community_id", "hamlet"),
    ("democracy:consultation", "consultation_id", "consultation"),
    ("democracy:body", "body_id", "body"),
    ("democracy:activity", "activity_id", "activity"),
    ("democracy:recommendation", "recommendation_id", "recommendation"),
]

POST_PAGES = [
    ("democracy:disclosure", "disclosure_id", "disclosure"),
    ("democracy:households", "community_id", "hamlet"),
    ("democracy:vote", "consultation_id", "consultation"),
    ("democracy:close", "consultation_id", "consultation"),
    ("democracy:recognize", "consultation_id", "consultation"),
    ("democracy:comment", "consultation_id", "consultation"),
    ("democracy:comment_response", "consultation_id", "consultation"),
    ("democracy:body", "body_id", "body"),
    ("democracy:activity", "activity_id", "activity"),
    ("democracy:recommendation", "recommendation_id", "recommendation"),
]

API_GETS = [
    "/api/v1/democracy/disclosures/{disclosure}",
    "/api/v1/democracy/communities/{hamlet}/households",
    "/api/v1/democracy/consultations/{consultation}",
    "/api/v1/democracy/bodies/{body}",
    "/api/v1/democracy/recommendations/{recommendation}",
]


@pytest.mark.parametrize(("name", "kwarg", "key"), GET_PAGES)
def test_outsider_gets_404_on_each_detail_page(far_dem, alice, client_for, name, kwarg, key):
    response = client_for(alice).get(reverse(name, kwargs={kwarg: far_dem[key].pk}))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "kwarg", "key"), POST_PAGES)
def test_outsider_gets_404_on_each_write(far_dem, alice, client_for, name, kwarg, key):
    response = client_for(alice).post(
        reverse(name, kwargs={kwarg: far_dem[key].pk}),
        {"household_code": "H002", "choice": "yes", "code": "H099", "m-name": "X",
         "topic": "x", "content": "x", "response": "x", "closed_on": TODAY.isoformat()},
    )  # fmt: skip
    assert response.status_code == 404
    assert Vote.objects.count() == 1
    assert Household.objects.count() == 3


@pytest.mark.parametrize("url", API_GETS)
def test_api_outsider_gets_404(far_dem, alice, client_for, url):
    keys = {k: v.pk for k, v in far_dem.items()}
    assert client_for(alice).get(url.format(**keys)).status_code == 404


def test_api_foreign_ids_in_bodies_give_404(far_dem, ward_dem, alice, client_for):
    client = client_for(alice)
    cases = [
        ("/api/v1/democracy/consultations",
         {"unit": ward_dem["ubnd"].pk, "community": far_dem["hamlet"].pk,
          "matter_type": "contribution", "title": "x", "form": "meeting",
          "opens_on": TODAY.isoformat(), "closes_on": TODAY.isoformat()}),
        ("/api/v1/democracy/bodies",
         {"unit": far_dem["front"].pk, "kind": "investment", "name": "x"}),
        ("/api/v1/democracy/recommendations",
         {"activity": far_dem["activity"].pk, "addressee": far_dem["ubnd"].pk,
          "content": "x", "made_on": TODAY.isoformat(), "due_on": TODAY.isoformat()}),
        (f"/api/v1/democracy/consultations/{far_dem['consultation'].pk}/votes",
         {"household": "H002", "choice": "yes"}),
    ]  # fmt: skip
    for url, payload in cases:
        response = client.post(url, payload, content_type="application/json")
        assert response.status_code == 404, url
    assert Vote.objects.count() == 2  # ward_dem's and far_dem's own


def test_viewer_gets_403_on_writes(ward_dem, bob, client_for):
    client = client_for(bob)
    c = ward_dem["consultation"]
    assert client.get(reverse("democracy:consultation", args=[c.pk])).status_code == 200
    assert client.post(reverse("democracy:vote", args=[c.pk]),
                       {"household_code": "H002", "choice": "yes"}).status_code == 403  # fmt: skip
    response = client.post(f"/api/v1/democracy/consultations/{c.pk}/votes",
                           {"household": "H002", "choice": "yes"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 403
    assert Vote.objects.filter(consultation=c).count() == 1


def test_household_exports_and_api_carry_codes_only(ward_dem, alice, client_for):
    client = client_for(alice)
    hamlet = ward_dem["hamlet"].pk
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("democracy:households_export", args=[hamlet]),
                              {"format": fmt})  # fmt: skip
        assert response.status_code == 200
        assert REPRESENTATIVE.encode() not in response.content
    response = client.get(f"/api/v1/democracy/communities/{hamlet}/households")
    assert response.status_code == 200
    assert REPRESENTATIVE not in response.content.decode()


def test_api_never_answers_a_member_name_or_a_representative(ward_dem, alice, client_for):
    client = client_for(alice)
    for url in (
        f"/api/v1/democracy/bodies/{ward_dem['body'].pk}",
        "/api/v1/democracy/bodies",
        f"/api/v1/democracy/consultations/{ward_dem['consultation'].pk}",
    ):
        text = client.get(url).content.decode()
        assert MEMBER not in text and REPRESENTATIVE not in text, url


def test_audit_log_keeps_names_out(ward_dem):
    from danvan.audit.models import AuditEvent as Event

    text = json.dumps(list(Event.objects.values_list("changes", flat=True)), ensure_ascii=False)
    assert REPRESENTATIVE not in text
    assert MEMBER not in text


def test_portal_shows_no_personal_data_and_no_open_tally(ward_dem, client):
    code = ward_dem["hamlet"].area.code
    page = client.get(reverse("portal:commune", args=[code]))
    assert page.status_code == 200
    bodies = [page.content.decode()]
    for name in ("cong-khai", "lay-y-kien", "kien-nghi", "hai-long"):
        for fmt in ("json", "csv"):
            response = client.get(reverse("portal:open_data", args=[code, name, fmt]))
            assert response.status_code == 200
            bodies.append(response.content.decode())
    text = "\n".join(bodies)
    assert REPRESENTATIVE not in text
    assert MEMBER not in text
    assert "H001" not in text  # never a household, let alone how it voted
    rows = json.loads(bodies[3])["rows"]  # lay-y-kien json
    assert rows and all(r["no"] is None for r in rows)  # tallies only once voting closed


def test_portal_is_not_a_door_into_other_levels(ward_dem, client):
    """Only 2025 communes have a portal page; a province code or a guessed one is 404."""
    assert client.get(reverse("portal:commune", args=["01"])).status_code == 404
    assert client.get(reverse("portal:commune", args=["zzz"])).status_code == 404
    code = ward_dem["hamlet"].area.code
    assert client.get(reverse("portal:open_data", args=[code, "ho", "json"])).status_code == 404


# Findings -----------------------------------------------------------------------------------


def test_viewer_does_not_see_board_members_names(ward_dem, bob, client_for):
    response = client_for(bob).get(reverse("democracy:body", args=[ward_dem["body"].pk]))
    assert response.status_code == 200
    assert MEMBER not in response.content.decode()


def test_viewer_does_not_see_household_representatives(ward_dem, bob, client_for):
    """Pinned: the household list shows representatives only to democracy.manage."""
    response = client_for(bob).get(reverse("democracy:households", args=[ward_dem["hamlet"].pk]))
    assert response.status_code == 200
    assert REPRESENTATIVE not in response.content.decode()
