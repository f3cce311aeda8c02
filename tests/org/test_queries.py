"""Subtree filters and diacritic-insensitive search."""

import pytest

from danvan.core import tree as core_tree
from danvan.core.text import fold
from danvan.org import queries
from danvan.org.models import Area, Organization

from ..factories import AreaFactory, OrganizationFactory


def _descendants_by_parent_links(root, model):
    """Everything under root (itself included), found with get_parent, not path prefixes."""
    nodes = list(model.objects.all())
    parent_of = {n.pk: (model.objects.get_parent(n).pk if n.depth > 1 else None) for n in nodes}
    found = {root.pk}
    changed = True
    while changed:
        changed = False
        for pk, parent in parent_of.items():
            if parent in found and pk not in found:
                found.add(pk)
                changed = True
    return found


@pytest.fixture
def area_tree(db):
    """Two test provinces; the first has two communes, one with a sub-unit."""
    p1 = AreaFactory(name="Tỉnh Thử Một")
    p2 = AreaFactory(name="Tỉnh Thử Hai")
    c1 = AreaFactory(parent=p1, name="Xã Đông Hòa", kind="xã")
    c2 = AreaFactory(parent=Area.objects.get(pk=p1.pk), name="Phường Tây", kind="phường")
    sub = AreaFactory(parent=Area.objects.get(pk=c1.pk), name="Thôn Một", kind="thôn")
    return {
        k: Area.objects.get(pk=v.pk)
        for k, v in {"p1": p1, "p2": p2, "c1": c1, "c2": c2, "sub": sub}.items()
    }


def test_area_under_returns_exactly_the_subtree(area_tree):
    p1, c1 = area_tree["p1"], area_tree["c1"]
    test_areas = Area.objects.filter(code__startswith="T")
    assert set(test_areas.under(p1).values_list("pk", flat=True)) == {
        area_tree[k].pk for k in ("p1", "c1", "c2", "sub")
    }
    assert set(Area.objects.under(c1).values_list("pk", flat=True)) == {
        c1.pk,
        area_tree["sub"].pk,
    }
    assert set(Area.objects.under(c1, include_self=False).values_list("pk", flat=True)) == {
        area_tree["sub"].pk
    }
    assert list(Area.objects.under(area_tree["p2"])) == [area_tree["p2"]]


def test_area_under_matches_parent_links_for_an_official_province(hanoi):
    # Only the new Hà Nội's own subtree: 1 province + its communes, nothing from the 2024 Hà Nội.
    under = set(Area.objects.under(hanoi).values_list("pk", flat=True))
    communes = Area.objects.filter(structure="2025", level="commune", path__startswith=hanoi.path)
    assert under == {hanoi.pk, *communes.values_list("pk", flat=True)}
    assert Area.objects.under(hanoi).filter(structure="2024").count() == 0
    assert len(under) == 1 + hanoi.numchild


def test_organization_under_and_in_area(tree, hanoi, hanoi_ward):
    city, ward, union, other = tree["city"], tree["ward"], tree["union"], tree["other"]
    assert set(Organization.objects.under(city)) == {city, ward, union, other}
    assert set(Organization.objects.under(ward)) == {ward, union}
    assert set(Organization.objects.under(ward, include_self=False)) == {union}
    assert set(Organization.objects.under(union)) == {union}
    assert set(Organization.objects.under(ward)) == {
        Organization.objects.get(pk=pk) for pk in _descendants_by_parent_links(ward, Organization)
    }
    assert set(Organization.objects.in_area(hanoi)) == {city, ward, union, other}
    assert set(Organization.objects.in_area(hanoi_ward)) == {ward, union}
    elsewhere = Area.objects.get(structure="2025", level="province", code="79")
    assert not Organization.objects.in_area(elsewhere).exists()


def test_core_tree_under_excludes_siblings_with_a_longer_common_prefix(db):
    # Sibling paths share prefixes: 0001 and 00010001 vs 0002; the range must stop at the prefix.
    a = OrganizationFactory()
    b = OrganizationFactory()
    a1 = OrganizationFactory(parent=Organization.objects.get(pk=a.pk))
    mine = Organization.objects.filter(code__in=[a.code, b.code, a1.code])
    assert set(mine.filter(core_tree.under(a.path))) == {a, a1}
    assert set(mine.filter(core_tree.under(a.path, include_self=False))) == {a1}
    assert set(mine.filter(core_tree.under(b.path))) == {b}


def test_core_tree_under_any_merges_nested_paths(tree):
    city, ward, union, other = tree["city"], tree["ward"], tree["union"], tree["other"]
    qs = Organization.objects.all()
    assert set(qs.filter(core_tree.under_any([ward.path, union.path]))) == {ward, union}
    assert set(qs.filter(core_tree.under_any([union.path, other.path]))) == {union, other}
    assert set(qs.filter(core_tree.under_any([ward.path, city.path]))) == {
        city,
        ward,
        union,
        other,
    }
    assert not qs.filter(core_tree.under_any([])).exists()
    assert set(
        Organization.objects.filter(core_tree.under_any([hanoi_path(tree)], "area__path"))
    ) == {city, ward, union, other}


def hanoi_path(tree):
    return tree["city"].area.path


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Thành phố Hà Nội", "thanh pho ha noi"),
        ("ĐẢNG ỦY", "dang uy"),
        ("đ", "d"),
        ("Đ", "d"),
        ("  Dân   vận\tkhéo ", "dan van kheo"),
        ("Hội Liên hiệp Phụ nữ", "hoi lien hiep phu nu"),
        ("", ""),
        (None, ""),
        ("Phường Ba Đình", "phuong ba dinh"),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_fold_is_idempotent_and_handles_composed_and_decomposed_forms():
    import unicodedata

    text = "Quảng Ngãi Đắk Lắk"
    nfd = unicodedata.normalize("NFD", text)
    assert fold(text) == fold(nfd) == "quang ngai dak lak"
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize("query", ["ha noi", "HA NOI", "Hà Nội", "hà nội", "  ha   noi "])
def test_area_search_ignores_case_and_diacritics(db, query):
    found = Area.objects.filter(structure="2025", level="province").search(query)
    assert [a.name for a in found] == ["Thành phố Hà Nội"]


def test_area_search_d_with_stroke(db):
    names = set(
        Area.objects.filter(structure="2025", level="province")
        .search("da nang")
        .values_list("name", flat=True)
    )
    assert names == {"Thành phố Đà Nẵng"}
    special = Area.objects.filter(structure="2025", level="commune").search("DAC KHU")
    assert set(special.values_list("kind", flat=True)) == {"đặc khu"}
    assert special.count() == 13


def test_area_search_finds_communes_by_unaccented_name(db):
    found = Area.objects.filter(structure="2025", level="commune").search("phuong ba dinh")
    assert {a.code for a in found} == {"00004"}


def test_organization_search(tree):
    qs = Organization.objects.all()
    assert set(qs.search("dang uy").values_list("code", flat=True)) == {"bd-du", "other-du"}
    assert set(qs.search("ĐẢNG ỦY phường ba đình").values_list("code", flat=True)) == {"bd-du"}
    assert set(qs.search("phu nu").values_list("code", flat=True)) == {"bd-hlhpn"}
    assert set(qs.search("HN-TU").values_list("code", flat=True)) == {"hn-tu"}
    assert qs.search("").count() == qs.count()
    assert not qs.search("không có").exists()


def test_search_name_follows_renames(tree):
    org = tree["union"]
    org.name = "Đoàn Thanh niên"
    org.save()
    assert set(Organization.objects.search("doan thanh nien")) == {org}
    assert not Organization.objects.search("phu nu").exists()


def test_queries_organizations_filters_by_subtree_area_type_and_text(tree, superuser, hanoi_ward):
    city, ward = tree["city"], tree["ward"]
    codes = lambda qs: {o.code for o in qs}  # noqa: E731
    assert codes(queries.organizations(superuser, under=ward.pk)) == {"bd-du", "bd-hlhpn"}
    assert codes(queries.organizations(superuser, area=hanoi_ward.pk)) == {"bd-du", "bd-hlhpn"}
    assert codes(queries.organizations(superuser, type="party-committee", under=city.pk)) == {
        "hn-tu",
        "bd-du",
        "other-du",
    }
    assert codes(queries.organizations(superuser, q="dang uy")) == {"bd-du", "other-du"}
    parents = {o.code: o.parent_id for o in queries.organizations(superuser, under=city.pk)}
    assert parents == {
        "hn-tu": None,
        "bd-du": city.pk,
        "bd-hlhpn": ward.pk,
        "other-du": city.pk,
    }


def test_queries_hide_what_is_outside_the_users_scope(tree, alice, charlie):
    from danvan.core.errors import NotFound

    assert {o.code for o in queries.organizations(alice)} == {"bd-du", "bd-hlhpn"}
    with pytest.raises(NotFound) as exc:
        queries.organizations(alice, under=tree["city"].pk)
    assert exc.value.field == "under"
    with pytest.raises(NotFound):
        queries.get_organization(charlie, tree["ward"].pk)
    assert not queries.organizations(charlie).exists()
    # Areas are public reference data for any signed-in user.
    assert queries.areas(charlie, structure="2025", level="province").count() == 34
