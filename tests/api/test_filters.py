"""Filters of the list endpoints, and the area detail with its history."""

import pytest

from danvan.org.models import Area, Organization

from .conftest import ApiClient, assert_json_error, token_for


@pytest.fixture
def alice_api(alice):
    return ApiClient(token_for(alice))


@pytest.fixture
def root_api(superuser, tree):
    return ApiClient(token_for(superuser))


def _all(api, url, **params):
    """Every item of a paginated list, following limit/offset."""
    items, offset = [], 0
    while True:
        response = api.get(url, limit=100, offset=offset, **params)
        assert response.status_code == 200, response.content[:300]
        page = response.json()
        items += page["items"]
        offset += 100
        if offset >= page["count"]:
            assert len(items) == page["count"]
            return items


# --- areas ----------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["ha noi", "Hà Nội", "HA NOI", "thanh pho ha noi", "  ha   noi "])
def test_area_search_ignores_diacritics_and_case(alice_api, q):
    names = {(a["name"], a["structure"]) for a in _all(alice_api, "areas", q=q, level="province")}
    assert ("Thành phố Hà Nội", "2025") in names
    assert ("Thành phố Hà Nội", "2024") in names
    assert all("Hà Nội" in name for name, _s in names)


def test_area_search_finds_a_ward(alice_api, hanoi):
    found = {
        (a["code"], a["name"]) for a in _all(alice_api, "areas", q="ba dinh", structure="2025")
    }
    assert ("00004", "Phường Ba Đình") in found
    assert ("16171", "Xã Ba Đình") in found  # in Thanh Hóa: "Đình" and "Dinh" fold alike
    in_hanoi = _all(alice_api, "areas", q="ba dinh", structure="2025", under=hanoi.pk)
    assert [(a["code"], a["name"]) for a in in_hanoi] == [("00004", "Phường Ba Đình")]


def test_area_search_without_match_is_empty(alice_api):
    assert alice_api.get("areas", q="zzzz qqqq").json() == {"items": [], "count": 0}


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"structure": "2025", "level": "province"}, 34),
        ({"structure": "2024", "level": "province"}, 63),
        ({"structure": "2024", "level": "district"}, 696),
        ({"structure": "2025", "level": "district"}, 0),
        ({"level": "province"}, 97),
        ({"valid_on": "2025-07-01", "level": "province"}, 34),
        ({"valid_on": "2025-06-30", "level": "province"}, 63),
        ({"valid_on": "2020-01-01", "level": "province"}, 63),
    ],
)
def test_area_filters_count(alice_api, params, count):
    assert alice_api.get("areas", limit=1, **params).json()["count"] == count


def test_area_filter_under(alice_api, hanoi, hanoi_ward):
    found = _all(alice_api, "areas", under=hanoi.pk)
    assert found[0]["id"] == hanoi.pk  # itself first, then what lies under it
    assert len(found) == 1 + Area.objects.get_children(hanoi).count()
    assert all(a["path"].startswith(hanoi.path) for a in found)
    assert hanoi_ward.pk in {a["id"] for a in found}
    only_wards = _all(alice_api, "areas", under=hanoi.pk, level="commune", q="ba dinh")
    assert [a["code"] for a in only_wards] == ["00004"]


def test_area_filters_combine(alice_api, hanoi):
    communes = alice_api.get("areas", under=hanoi.pk, level="commune", limit=1).json()["count"]
    assert communes == Area.objects.get_children(hanoi).count() > 100


def test_area_detail_of_a_2025_ward_shows_its_history(alice_api, hanoi, hanoi_ward):
    detail = alice_api.get(f"areas/{hanoi_ward.pk}").json()
    assert detail["name"] == "Phường Ba Đình"
    assert detail["structure"] == "2025"
    assert detail["valid_from"] == "2025-07-01"
    assert detail["valid_to"] is None
    assert detail["parent"]["id"] == hanoi.pk
    assert detail["children_count"] == 0
    predecessors = {(p["code"], p["name"]) for p in detail["predecessors"]}
    assert ("00004", "Phường Trúc Bạch") in predecessors
    assert ("00028", "Phường Kim Mã") in predecessors
    assert {p["structure"] for p in detail["predecessors"]} == {"2024"}
    assert detail["successors"] == []

    # And the other way round: the 2024 ward points to the 2025 one.
    truc_bach = next(p for p in detail["predecessors"] if p["name"] == "Phường Trúc Bạch")
    old = alice_api.get(f"areas/{truc_bach['id']}").json()
    assert old["valid_to"] == "2025-06-30"
    assert [s["id"] for s in old["successors"]] == [hanoi_ward.pk]


def test_area_detail_of_a_province(alice_api, hanoi):
    detail = alice_api.get(f"areas/{hanoi.pk}").json()
    assert detail["parent"] is None
    assert detail["children_count"] == Area.objects.get_children(hanoi).count()
    assert detail["level"] == "province"


# --- organizations --------------------------------------------------------------------------


def _codes(api, **params):
    return [o["code"] for o in _all(api, "organizations", **params)]


def test_organization_filters(root_api, tree, hanoi, hanoi_ward):
    mine = {"hn-tu", "bd-du", "bd-hlhpn", "other-du"}
    assert set(_codes(root_api, q="ba dinh")) & mine == {"bd-du", "bd-hlhpn"}
    assert set(_codes(root_api, q="BA ĐÌNH")) & mine == {"bd-du", "bd-hlhpn"}
    assert set(_codes(root_api, q="hlhpn")) == {"bd-hlhpn"}  # the code is searched too
    assert set(_codes(root_api, type="party-committee")) & mine == {"hn-tu", "bd-du", "other-du"}
    assert _codes(root_api, under=tree["ward"].pk) == ["bd-du", "bd-hlhpn"]  # in tree order
    assert _codes(root_api, under=tree["city"].pk) == ["hn-tu", "bd-du", "bd-hlhpn", "other-du"]
    assert set(_codes(root_api, area=hanoi_ward.pk)) == {"bd-du", "bd-hlhpn"}
    assert set(_codes(root_api, area=hanoi.pk)) >= mine
    assert _codes(root_api, under=tree["city"].pk, type="party-committee", q="ba dinh") == ["bd-du"]


def test_organization_active_filter(root_api, tree):
    Organization.objects.filter(pk=tree["union"].pk).update(is_active=False)
    assert _codes(root_api, under=tree["city"].pk, active="false") == ["bd-hlhpn"]
    assert _codes(root_api, under=tree["city"].pk, active="true") == ["hn-tu", "bd-du", "other-du"]
    assert len(_codes(root_api, under=tree["city"].pk)) == 4


def test_organization_parent_id_and_shape(root_api, tree, hanoi_ward):
    by_code = {o["code"]: o for o in _all(root_api, "organizations", under=tree["city"].pk)}
    assert by_code["hn-tu"]["parent_id"] is None
    assert by_code["bd-du"]["parent_id"] == tree["city"].pk
    assert by_code["bd-hlhpn"]["parent_id"] == tree["ward"].pk
    assert by_code["other-du"]["parent_id"] == tree["city"].pk
    ward = by_code["bd-du"]
    assert ward["type"] == "party-committee"
    assert ward["area"] == {
        "id": hanoi_ward.pk,
        "code": "00004",
        "name": "Phường Ba Đình",
        "structure": "2025",
    }
    assert ward["depth"] == 2
    assert ward["is_active"] is True
    detail = root_api.get(f"organizations/{tree['union'].pk}").json()
    assert detail["parent_id"] == tree["ward"].pk


def test_organization_filters_stay_in_scope(alice_api, tree, hanoi):
    assert _codes(alice_api) == ["bd-du", "bd-hlhpn"]
    assert _codes(alice_api, area=hanoi.pk) == ["bd-du", "bd-hlhpn"]
    assert _codes(alice_api, type="party-committee") == ["bd-du"]
    # Filtering by an organization alice cannot see says "unknown", like any unknown id.
    assert_json_error(alice_api.get("organizations", under=tree["city"].pk), 404, field="under")
    assert_json_error(alice_api.get("organizations", under=tree["other"].pk), 404, field="under")


def test_organization_pagination(root_api, tree):
    first = root_api.get("organizations", under=tree["city"].pk, limit=2).json()
    rest = root_api.get("organizations", under=tree["city"].pk, limit=2, offset=2).json()
    assert first["count"] == rest["count"] == 4
    assert [o["code"] for o in first["items"] + rest["items"]] == [
        "hn-tu",
        "bd-du",
        "bd-hlhpn",
        "other-du",
    ]


def test_organization_types_and_roles(alice_api):
    types = {t["code"]: t for t in alice_api.get("organization-types").json()}
    assert {"party-committee", "womens-union", "fatherland-front"} <= set(types)
    assert types["womens-union"]["name"]
    roles = {r["code"]: r for r in alice_api.get("roles").json()}
    assert {"org.manage", "audit.view"} <= set(roles["commission_officer"]["actions"])
    assert roles["viewer"]["actions"] == []


def test_me_shows_grants(alice_api, tree):
    me = alice_api.get("me").json()
    assert me["username"] == "alice"
    assert me["is_superuser"] is False
    assert me["language"] == "vi"
    [g] = me["grants"]
    assert g["role"] == "commission_officer"
    assert g["organization"] == {
        "id": tree["ward"].pk,
        "code": "bd-du",
        "name": "Đảng ủy phường Ba Đình",
    }
    assert g["area"] is None
