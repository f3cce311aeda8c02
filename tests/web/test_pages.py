"""The pages: health, sign-in redirects, the home counts, areas, organizations, the unit
picker, the organization form and the profile's tokens."""

import json

import pytest
from django.test import Client

from danvan.accounts.models import ApiToken
from danvan.audit.models import AuditEvent
from danvan.org.models import Organization

from ..factories import UserFactory, grant
from .conftest import db_state, messages_of, overdue_task, text

# --- health and redirects -----------------------------------------------------------------


def test_healthz(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["vendor"] in ("sqlite", "postgresql")
    assert body["version"]


def test_healthz_is_get_only(db):
    assert Client().post("/healthz").status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/areas/",
        "/areas/1/",
        "/organizations/",
        "/organizations/1/",
        "/organizations/new/",
        "/profile/",
    ],
)
def test_anonymous_users_are_sent_to_login(db, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("url", ["/unit/", "/profile/tokens/", "/profile/tokens/1/revoke/"])
def test_anonymous_posts_are_sent_to_login(db, url):
    before = db_state()
    response = Client().post(url, {"unit": "1", "name": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert db_state() == before


def test_unknown_page_is_html_404(alice, client_for):
    response = client_for(alice).get("/no-such-page/")
    assert response.status_code == 404
    assert "<html" in text(response)


# --- the page permission table ------------------------------------------------------------

PAGES = [
    # url, {user: status}
    ("/", {"alice": 200, "bob": 200, "charlie": 200, "superuser": 200}),
    ("/areas/", {"alice": 200, "bob": 200, "charlie": 200, "superuser": 200}),
    ("/areas/{hanoi_ward}/", {"alice": 200, "bob": 200, "charlie": 200, "superuser": 200}),
    ("/areas/999999999/", {"alice": 404, "bob": 404, "charlie": 404, "superuser": 404}),
    ("/organizations/", {"alice": 200, "bob": 200, "charlie": 200, "superuser": 200}),
    ("/organizations/{ward}/", {"alice": 200, "bob": 200, "charlie": 404, "superuser": 200}),
    ("/organizations/{union}/", {"alice": 200, "bob": 200, "charlie": 404, "superuser": 200}),
    ("/organizations/{city}/", {"alice": 404, "bob": 404, "charlie": 404, "superuser": 200}),
    ("/organizations/{other}/", {"alice": 404, "bob": 404, "charlie": 404, "superuser": 200}),
    ("/organizations/999999999/", {"alice": 404, "bob": 404, "charlie": 404, "superuser": 404}),
    (
        "/organizations/new/?parent={ward}",
        {"alice": 200, "bob": 403, "charlie": 404, "superuser": 200},
    ),
    (
        "/organizations/new/?parent={other}",
        {"alice": 404, "bob": 404, "charlie": 404, "superuser": 200},
    ),
    (
        "/organizations/new/?parent=abc",
        {"alice": 404, "bob": 404, "charlie": 404, "superuser": 404},
    ),
    ("/profile/", {"alice": 200, "bob": 200, "charlie": 200, "superuser": 200}),
]


@pytest.mark.parametrize(
    ("url", "user", "status"),
    [
        pytest.param(url, user, status, id=f"{url} {user}")
        for url, table in PAGES
        for user, status in table.items()
    ],
)
def test_page_permission_table(request, tree, hanoi_ward, client_for, url, user, status):
    ids = {name: org.pk for name, org in tree.items()} | {"hanoi_ward": hanoi_ward.pk}
    client = client_for(request.getfixturevalue(user))
    response = client.get(url.format(**ids))
    assert response.status_code == status
    if status == 404 and user != "superuser":
        # Hidden and missing look the same: the name of a hidden organization never shows.
        assert "Thành ủy Hà Nội" not in text(response)
        assert "phường khác" not in text(response)


# --- home ---------------------------------------------------------------------------------


def _sections(response) -> tuple[int, int]:
    """Where the to-do list and the attention list start on the page."""
    body = text(response)
    return body.find('id="todo"'), body.find('id="attention"')


def test_home_officer_sees_her_to_do_first(alice, tree, client_for, after_deadline):
    overdue_task(alice, tree["ward"])
    response = client_for(alice).get("/")
    assert response.status_code == 200
    todo, attention = _sections(response)
    assert 0 < todo < attention
    body = text(response)
    assert "1 nhiệm vụ của cấp này đã quá hạn" in body
    assert "1 nhiệm vụ quá hạn" in body
    assert "Đảng ủy phường Ba Đình" in body


def test_home_leader_sees_the_subtree_first(tree, client_for, after_deadline, alice):
    leader = UserFactory(username="lead")
    grant(leader, "leader", tree["city"])
    overdue_task(alice, tree["ward"])
    response = client_for(leader).get("/")
    todo, attention = _sections(response)
    assert attention > 0 and (todo == -1 or todo > attention)
    # The unit with the most overdue tasks is named, with a drill-down.
    assert "Đảng ủy phường Ba Đình: 1" in text(response)
    assert f"status=overdue&amp;unit={tree['ward'].pk}" in text(response) or (
        f"unit={tree['ward'].pk}&amp;status=overdue" in text(response)
    )


def test_home_with_nothing_due_says_so(alice, client_for):
    body = text(client_for(alice).get("/"))
    assert "Không có việc nào đang chờ bạn." in body
    assert "Không có việc quá hạn, chậm trễ hay vấn đề nổi lên trong phạm vi này." in body


def test_home_for_an_outsider_shows_nothing(charlie, tree, client_for, alice, after_deadline):
    overdue_task(alice, tree["ward"])
    body = text(client_for(charlie).get("/"))
    for org in tree.values():
        assert org.name not in body
    assert "nhiệm vụ quá hạn" not in body


def test_home_viewer_has_no_to_do(bob, tree, client_for, alice, after_deadline):
    overdue_task(alice, tree["ward"])
    response = client_for(bob).get("/")
    todo, attention = _sections(response)
    assert todo == -1 and attention > 0
    assert "1 nhiệm vụ quá hạn" in text(response)


# --- unit picker --------------------------------------------------------------------------


def test_unit_picker_refuses_a_unit_outside_access(alice, tree, client_for):
    client = client_for(alice)
    for unit in (tree["other"].pk, tree["city"].pk, 999999999, "abc"):
        response = client.post("/unit/", {"unit": unit, "next": "/"}, follow=True)
        assert response.status_code == 200
        assert "Đơn vị này không tồn tại hoặc nằm ngoài phạm vi của bạn." in messages_of(response)
        assert client.session.get("danvan_unit_id") is None
        assert "Đảng ủy phường khác" not in text(response)


def test_unit_picker_narrows_to_a_unit_inside_access(alice, tree, client_for):
    client = client_for(alice)
    response = client.post("/unit/", {"unit": tree["union"].pk, "next": "/"}, follow=True)
    assert response.status_code == 200
    assert not messages_of(response)
    assert client.session["danvan_unit_id"] == tree["union"].pk
    assert 'id="current-unit">Hội Liên hiệp Phụ nữ phường Ba Đình<' in text(response)


def test_unit_picker_lists_the_subtree_and_searches_without_diacritics(alice, tree, client_for):
    client = client_for(alice)
    page = text(client.get("/unit/", {"next": "/plans/"}))
    assert "Đảng ủy phường Ba Đình" in page and "Hội Liên hiệp Phụ nữ phường Ba Đình" in page
    assert "Thành ủy Hà Nội" not in page and "phường khác" not in page
    found = client.get("/unit/", {"q": "hoi lien hiep phu nu"}, headers={"HX-Request": "true"})
    body = text(found)
    assert "<html" not in body
    assert "Hội Liên hiệp Phụ nữ phường Ba Đình" in body
    assert "Đảng ủy phường Ba Đình<" not in body
    nothing = text(client.get("/unit/", {"q": "phuong khac"}))
    assert "Không có đơn vị nào trong phạm vi của bạn khớp với" in nothing


# --- areas --------------------------------------------------------------------------------


def test_areas_search_page(alice, client_for):
    response = client_for(alice).get("/areas/", {"q": "ha noi", "level": "province"})
    assert response.status_code == 200
    assert "<html" in text(response)
    assert "Thành phố Hà Nội" in text(response)
    assert "Thành phố Hải Phòng" not in text(response)


def test_areas_search_partial_for_htmx(alice, client_for):
    response = client_for(alice).get("/areas/", {"q": "ha noi"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = text(response)
    assert "Thành phố Hà Nội" in body
    assert "<html" not in body
    assert "<body" not in body
    assert "<table" in body


def test_areas_page_without_search_lists_provinces(alice, client_for):
    response = client_for(alice).get("/areas/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 34


@pytest.mark.parametrize(
    "params", [{"structure": "1999"}, {"level": "hamlet"}, {"q": "x" * 500}, {"page": "abc"}]
)
def test_areas_page_ignores_bad_filters(alice, client_for, params):
    assert client_for(alice).get("/areas/", params).status_code == 200


def test_area_detail_page(alice, hanoi_ward, tree, client_for):
    response = client_for(alice).get(f"/areas/{hanoi_ward.pk}/")
    assert response.status_code == 200
    assert "Phường Ba Đình" in text(response)
    assert "Phường Trúc Bạch" in text(response)  # formed from
    assert "Đảng ủy phường Ba Đình" in text(response)  # alice's organization there


def test_area_detail_lists_only_visible_organizations(charlie, hanoi_ward, tree, client_for):
    response = client_for(charlie).get(f"/areas/{hanoi_ward.pk}/")
    assert response.status_code == 200
    assert "Đảng ủy phường Ba Đình" not in text(response)


# --- organizations ------------------------------------------------------------------------


def test_organizations_page_is_scoped(alice, tree, client_for):
    response = client_for(alice).get("/organizations/")
    body = text(response)
    assert "Đảng ủy phường Ba Đình" in body
    assert "Hội Liên hiệp Phụ nữ phường Ba Đình" in body
    assert "Thành ủy Hà Nội" not in body
    assert "Đảng ủy phường khác" not in body
    assert response.context["page"].paginator.count == 2


def test_organizations_page_for_an_outsider(charlie, tree, client_for):
    response = client_for(charlie).get("/organizations/")
    assert response.context["page"].paginator.count == 0
    for org in tree.values():
        assert org.name not in text(response)


def test_organizations_page_search_and_htmx(alice, tree, client_for):
    client = client_for(alice)
    response = client.get("/organizations/", {"q": "phu nu"})
    assert response.context["page"].paginator.count == 1
    partial = client.get("/organizations/", {"q": "phu nu"}, headers={"HX-Request": "true"})
    assert "<html" not in text(partial)
    assert "Hội Liên hiệp Phụ nữ phường Ba Đình" in text(partial)
    typed = client.get("/organizations/", {"type": "party-committee"})
    assert typed.context["page"].paginator.count == 1


def test_organization_detail_page(alice, tree, client_for):
    response = client_for(alice).get(f"/organizations/{tree['ward'].pk}/")
    body = text(response)
    assert "Đảng ủy phường Ba Đình" in body
    assert "Hội Liên hiệp Phụ nữ phường Ba Đình" in body  # its child
    assert "Thành ủy Hà Nội" not in body  # an ancestor alice cannot see
    assert response.context["can_manage"] is True


def test_organization_detail_for_a_viewer(bob, tree, client_for):
    response = client_for(bob).get(f"/organizations/{tree['ward'].pk}/")
    assert response.status_code == 200
    assert response.context["can_manage"] is False
    assert response.context["grants"] is None


# --- organization form --------------------------------------------------------------------


def _form(parent, **overrides):
    data = {
        "parent": parent.pk,
        "code": "bd-hnd",
        "name": "Hội Nông dân phường Ba Đình",
        "short_name": "HND",
        "type": "farmers-association",
        "area": "00004",
    }
    data.update(overrides)
    return data


def test_create_organization_form(alice, tree, client_for):
    audit = AuditEvent.objects.count()
    response = client_for(alice).post(
        f"/organizations/new/?parent={tree['ward'].pk}", _form(tree["ward"])
    )
    assert response.status_code == 302
    org = Organization.objects.get(code="bd-hnd")
    assert response["Location"] == f"/organizations/{org.pk}/"
    assert Organization.objects.get_parent(org).pk == tree["ward"].pk
    assert org.type.code == "farmers-association"
    assert AuditEvent.objects.filter(action="org.create").count() == 1
    assert AuditEvent.objects.count() == audit + 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "bd-hlhpn"}, "code"),  # duplicate
        ({"code": "hn-tu"}, "code"),  # duplicate of an organization alice cannot see
        ({"code": "has space"}, "code"),
        ({"area": "99999"}, "area"),
        ({"type": "no-such-type"}, "type"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "n" * 256}, "name"),
    ],
)
def test_create_organization_form_errors(alice, tree, client_for, overrides, field):
    before = db_state()
    response = client_for(alice).post(
        f"/organizations/new/?parent={tree['ward'].pk}", _form(tree["ward"], **overrides)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    assert 'role="alert"' in text(response)
    assert db_state() == before


def test_create_organization_form_duplicate_shows_the_message(alice, tree, client_for):
    response = client_for(alice).post(
        f"/organizations/new/?parent={tree['ward'].pk}", _form(tree["ward"], code="bd-hlhpn")
    )
    [error] = response.context["form"].errors["code"]
    assert "bd-hlhpn" in error
    assert error in text(response)


def test_viewer_cannot_create(bob, tree, client_for):
    before = db_state()
    client = client_for(bob)
    assert client.get(f"/organizations/new/?parent={tree['ward'].pk}").status_code == 403
    assert (
        client.post(
            f"/organizations/new/?parent={tree['ward'].pk}", _form(tree["ward"])
        ).status_code
        == 403
    )
    assert client.post("/organizations/new/", _form(tree["ward"])).status_code == 403
    assert db_state() == before


def test_create_without_parent_needs_a_grant_on_the_area(alice, tree, client_for):
    before = db_state()
    data = _form(tree["ward"])
    del data["parent"]
    response = client_for(alice).post("/organizations/new/", data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert db_state() == before


def test_outsider_cannot_create_under_a_hidden_parent(charlie, tree, client_for):
    before = db_state()
    response = client_for(charlie).post(
        f"/organizations/new/?parent={tree['ward'].pk}", _form(tree["ward"])
    )
    assert response.status_code == 404
    assert db_state() == before


# --- profile and tokens -------------------------------------------------------------------


def test_create_token_shown_once_then_only_its_prefix(alice, client_for):
    client = client_for(alice)
    response = client.post("/profile/tokens/", {"name": "báo cáo"})
    assert response.status_code == 302
    token = ApiToken.objects.get(user=alice)
    assert token.name == "báo cáo"

    first = text(client.get("/profile/"))
    raw = first.split('<p class="token">', 1)[1].split("</p>", 1)[0]
    assert raw.startswith(token.prefix)
    assert len(raw) > len(token.prefix) + 20
    assert 'id="new-token"' in first

    # The raw value works against the API, once shown...
    api = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert api.json()["username"] == "alice"

    # ...and is never shown again: only its prefix.
    second = text(client.get("/profile/"))
    assert raw not in second
    assert 'id="new-token"' not in second
    assert f"{token.prefix}…" in second


def test_create_token_needs_a_name(alice, client_for):
    before = db_state()
    response = client_for(alice).post("/profile/tokens/", {"name": ""}, follow=True)
    assert messages_of(response)
    assert db_state() == before
    response = client_for(alice).post("/profile/tokens/", {"name": "x" * 101}, follow=True)
    assert messages_of(response)
    assert db_state() == before


def test_revoke_token(alice, client_for):
    from danvan.accounts.services import create_token

    token, raw = create_token(actor=alice, user=alice, name="script")
    client = client_for(alice)
    response = client.post(f"/profile/tokens/{token.pk}/revoke/", follow=True)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert messages_of(response) == ["Đã thu hồi mã truy cập."]
    api = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 401


def test_revoke_token_with_htmx(alice, client_for):
    from danvan.accounts.services import create_token

    token, _raw = create_token(actor=alice, user=alice, name="script")
    response = client_for(alice).post(
        f"/profile/tokens/{token.pk}/revoke/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"


def test_cannot_revoke_someone_elses_token(alice, bob, client_for):
    from danvan.accounts.services import create_token

    token, _raw = create_token(actor=bob, user=bob, name="bob's")
    before = db_state()
    response = client_for(alice).post(f"/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert db_state() == before


def test_token_pages_need_post(alice, client_for):
    client = client_for(alice)
    assert client.get("/profile/tokens/").status_code == 405
    assert client.get("/profile/tokens/1/revoke/").status_code == 405
