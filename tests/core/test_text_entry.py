"""One Unicode form for every way text comes in, and no control characters.

Text typed in decomposed form (NFD) is stored composed (NFC) whether it came through a
page's form, the API, an import, the admin or a management command. A control character
is refused with a clear error at the field (forms, services), the parameter (API, query
strings) or the row (imports), and nothing is written.
"""

import datetime as dt
import io
import unicodedata

import pytest
from django.core.management import call_command
from django.test import Client

from danvan.accounts.models import ApiToken
from danvan.core.tables import read_rows
from danvan.core.text import bad_characters, nfc
from danvan.org.models import Organization, OrganizationType
from danvan.plans.models import Task
from danvan.voices.models import Petition, Topic

from ..api.conftest import ApiClient, token_for
from ..conftest import login

pytestmark = pytest.mark.django_db

NAME = "Hội Liên hiệp Phụ nữ phường Đống Đa"  # composed, as stored
NFD = unicodedata.normalize("NFD", NAME)


def test_the_decomposed_text_really_differs():
    assert NFD != NAME and nfc(NFD) == NAME and len(NFD) > len(NAME)


def _nfc(value: str) -> bool:
    return unicodedata.is_normalized("NFC", value)


def test_a_page_form_stores_nfc(alice, tree, client_for):
    response = client_for(alice).post(
        f"/organizations/new/?parent={tree['ward'].pk}",
        {"code": "dd-hlhpn", "name": NFD, "short_name": "", "public_contact": NFD,
         "type": "womens-union", "area": tree["ward"].area.code},
    )  # fmt: skip
    assert response.status_code == 302
    org = Organization.objects.get(code="dd-hlhpn")
    assert org.name == NAME and org.public_contact == NAME
    assert _nfc(org.search_name)


def test_the_api_stores_nfc(alice, tree, hanoi_ward):
    api = ApiClient(token_for(alice))
    response = api.post(
        "plans/tasks",
        {
            "owner": tree["ward"].pk,
            "title": NFD,
            "deadline": "2026-12-31",
            "start_on": "2026-01-01",
        },
    )
    assert response.status_code == 201, response.content
    assert Task.objects.get().title == NAME
    response = api.post(
        "voices/petitions",
        {"unit": tree["ward"].pk, "channel": "letter", "received_on": "2026-02-13",
         "area": hanoi_ward.pk, "topic": "land", "contents": NFD,
         "matters": [{"kind": "complaint", "summary": NFD}],
         "citizens": [{"name": NFD, "address": "", "contact": ""}]},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    petition = Petition.objects.get()
    assert petition.contents == NAME and petition.matters.get().summary == NAME


def test_an_import_reads_nfc():
    content = f"Tên,Hạn\n{NFD},31/12/2026\n".encode()
    (_n, header), (_m, row) = read_rows("tasks.csv", content)
    assert header == ["Tên", "Hạn"] and row[0] == NAME


def test_the_admin_stores_nfc(superuser):
    client = Client()
    login(superuser, client)
    topic = Topic.objects.first()
    response = client.post(
        f"/admin/voices/topic/{topic.pk}/change/",
        {"code": topic.code, "name": NFD, "name_en": topic.name_en or "x", "sort_order": 1,
         "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    topic.refresh_from_db()
    assert topic.name == NAME


def test_a_management_command_stores_nfc(alice):
    call_command("create_token", alice.username, "--name", NFD, stdout=io.StringIO())
    assert ApiToken.objects.get(user=alice).name == NAME


def test_any_save_stores_nfc(tree):
    OrganizationType.objects.filter(code="hamlet").update(name=NFD)  # .update skips save()
    kind = OrganizationType.objects.get(code="hamlet")
    assert kind.name == NFD
    kind.save()
    kind.refresh_from_db()
    assert kind.name == nfc(NFD)


# Control characters ---------------------------------------------------------------------------

BAD = "Tên có ký tự\x01 ẩn"


def test_a_form_refuses_control_characters_at_the_field(alice, tree, client_for):
    before = Organization.objects.count()
    response = client_for(alice).post(
        f"/organizations/new/?parent={tree['ward'].pk}",
        {"code": "bad-org", "name": BAD, "type": "womens-union", "area": tree["ward"].area.code},
    )
    assert response.status_code == 200
    assert "ký tự điều khiển ẩn" in response.content.decode()
    assert Organization.objects.count() == before


def test_the_api_refuses_control_characters_with_the_field(alice, tree):
    api = ApiClient(token_for(alice))
    response = api.post(
        "plans/tasks", {"owner": tree["ward"].pk, "title": BAD, "deadline": "2026-12-31"}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "title"
    nul = api.post(
        "plans/tasks", {"owner": tree["ward"].pk, "title": "a\x00b", "deadline": "2026-12-31"}
    )
    assert nul.status_code == 400
    assert not Task.objects.exists()


def test_a_query_string_with_a_nul_is_refused_not_a_500(alice, client_for):
    response = client_for(alice).get("/plans/tasks/", {"q": "a\x00b"})
    assert response.status_code == 400
    api = ApiClient(token_for(alice))
    assert api.get("plans/tasks", q="a\x00b").status_code == 400


def test_a_service_refuses_control_characters(alice, tree):
    from danvan.plans import services
    from danvan.plans.services import PlansError

    with pytest.raises(PlansError) as error:
        services.create_task(
            actor=alice, owner=tree["ward"], title=BAD, deadline=dt.date(2026, 12, 31)
        )
    assert error.value.field == "title"
    assert not Task.objects.exists()


def test_an_import_row_with_control_characters_is_an_error_of_that_row(alice, tree):
    from danvan.plans import io as plans_io

    content = (
        "Mã đơn vị,Tên nhiệm vụ,Hạn hoàn thành\n"
        f"{tree['ward'].code},Việc tốt,31/12/2026\n"
        f"{tree['ward'].code},Việc\x02 lạ,31/12/2026\n"
    ).encode()
    rows = plans_io.parse_tasks(file_name="t.csv", content=content)
    assert rows[0].ok and not rows[1].ok
    assert [e["field"] for e in rows[1].errors] == ["title"]


def test_the_check_itself():
    for text in ("\x00", "a\x1fb", "\x7f", "\x85", "\ud800"):
        assert bad_characters(text)
    for text in ("Dòng 1\nDòng 2\tcột", "Đồng\r\n", NAME):
        assert not bad_characters(text)
