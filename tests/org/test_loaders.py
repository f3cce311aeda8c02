"""The official administrative units: counts, idempotent refresh, history links, tree health.

The session fixture in tests/conftest.py has already loaded both structures once.
"""

import datetime as dt
from collections import Counter
from io import StringIO

from django.core.management import call_command

from danvan.audit.models import AuditEvent
from danvan.org.loaders import load_areas
from danvan.org.models import Area


def _counts():
    return Counter(Area.objects.values_list("structure", "level"))


def test_structure_2025_has_34_provinces_and_3321_communes(db):
    counts = _counts()
    assert counts["2025", "province"] == 34
    assert counts["2025", "commune"] == 3321
    assert counts["2025", "district"] == 0
    kinds = Counter(
        Area.objects.filter(structure="2025", level="commune").values_list("kind", flat=True)
    )
    assert kinds == {"xã": 2621, "phường": 687, "đặc khu": 13}


def test_structure_2024_has_63_provinces_696_districts_10051_communes(db):
    counts = _counts()
    assert counts["2024", "province"] == 63
    assert counts["2024", "district"] == 696
    assert counts["2024", "commune"] == 10051


def test_levels_sit_at_the_right_depth(db):
    depths = set(Area.objects.values_list("structure", "level", "depth").distinct())
    assert depths == {
        ("2025", "province", 1),
        ("2025", "commune", 2),
        ("2024", "province", 1),
        ("2024", "district", 2),
        ("2024", "commune", 3),
    }


def test_every_area_has_the_validity_dates_of_its_structure(db):
    new = Area.objects.filter(structure="2025")
    old = Area.objects.filter(structure="2024")
    assert set(new.values_list("valid_from", "valid_to").distinct()) == {
        (dt.date(2025, 7, 1), None)
    }
    assert set(old.values_list("valid_from", "valid_to").distinct()) == {
        (None, dt.date(2025, 6, 30))
    }
    assert Area.objects.valid_on(dt.date(2025, 6, 30)).filter(structure="2025").count() == 0
    assert Area.objects.valid_on(dt.date(2025, 7, 1)).filter(structure="2024").count() == 0
    assert Area.objects.valid_on(dt.date(2025, 7, 1)).count() == 34 + 3321
    assert Area.objects.valid_on(dt.date(2020, 1, 1)).count() == 63 + 696 + 10051


def test_hanoi_commune_sits_under_hanoi(hanoi, hanoi_ward):
    assert hanoi.name == "Thành phố Hà Nội"
    assert hanoi_ward.name == "Phường Ba Đình"
    assert hanoi_ward.kind == "phường"
    assert Area.objects.get_parent(hanoi_ward) == hanoi


def test_ward_predecessors_are_2024_communes(hanoi_ward):
    preds = list(hanoi_ward.predecessors.all())
    assert {p.code for p in preds} == {
        "00004",
        "00013",
        "00016",
        "00019",
        "00022",
        "00028",
        "00112",
        "00040",
        "00055",
        "00073",
    }
    assert {(p.structure, p.level) for p in preds} == {("2024", "commune")}
    truc_bach = next(p for p in preds if p.code == "00004")
    assert truc_bach.name == "Phường Trúc Bạch"
    assert hanoi_ward in truc_bach.successors.all()


def test_merged_province_has_several_predecessor_provinces(db):
    phu_tho = Area.objects.get(structure="2025", level="province", code="25")
    preds = phu_tho.predecessors.all()
    assert {(p.structure, p.level, p.code) for p in preds} == {
        ("2024", "province", "17"),
        ("2024", "province", "25"),
        ("2024", "province", "26"),
    }
    # Every 2025 province comes from at least one 2024 province; links never point forwards.
    provinces = Area.objects.filter(structure="2025", level="province")
    assert not provinces.filter(predecessors__isnull=True).exists()
    assert not Area.objects.filter(structure="2024", predecessors__isnull=False).exists()


def test_tree_has_no_treebeard_problems_in_a_province(hanoi):
    problems = Area.objects.find_problems(parent=hanoi)
    assert problems == ([], [], [], [], [])
    old_hanoi = Area.objects.get(structure="2024", level="province", code="01")
    assert Area.objects.find_problems(parent=old_hanoi) == ([], [], [], [], [])


def test_whole_tree_is_consistent(db):
    # The same checks as treebeard's find_problems, over every area in a few queries.
    rows = list(Area.objects.values_list("path", "depth", "numchild", "structure", "level"))
    by_path = {path: (structure, level) for path, _d, _n, structure, level in rows}
    children = Counter(path[: -Area.steplen] for path, *_ in rows if len(path) > Area.steplen)
    for path, depth, numchild, structure, _level in rows:
        assert set(path) <= set(Area.alphabet), path
        assert len(path) % Area.steplen == 0, path
        assert depth == len(path) // Area.steplen, path
        assert numchild == children.get(path, 0), path
        if depth > 1:
            parent = by_path.get(path[: -Area.steplen])
            assert parent is not None, f"orphan {path}"
            assert parent[0] == structure, f"{path} crosses structures"


def test_loading_again_creates_nothing_and_keeps_paths(db):
    paths = {
        (s, lv, c): p
        for s, lv, c, p in Area.objects.values_list("structure", "level", "code", "path")
    }
    links = Area.predecessors.through.objects.count()
    events = AuditEvent.objects.count()

    result = load_areas(actor=None)

    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == len(paths)
    assert result.counts["2025/commune"] == 3321
    after = {
        (s, lv, c): p
        for s, lv, c, p in Area.objects.values_list("structure", "level", "code", "path")
    }
    assert after == paths
    assert Area.predecessors.through.objects.count() == links
    assert AuditEvent.objects.count() == events


def test_refresh_fixes_a_renamed_area_and_restores_a_missing_one(hanoi):
    ward = Area.objects.get(structure="2025", level="commune", code="00004")
    Area.objects.filter(pk=ward.pk).update(name="Tên cũ", search_name="ten cu")
    last_child = Area.objects.filter(depth=2, path__startswith=hanoi.path).order_by("-path").first()
    lost_key = (last_child.structure, last_child.level, last_child.code)
    lost_preds = set(last_child.predecessors.values_list("code", flat=True))
    assert lost_preds
    last_child.predecessors.clear()
    Area.objects.filter(pk=last_child.pk).delete()
    events = AuditEvent.objects.count()

    result = load_areas(actor=None)

    assert (result.created, result.updated) == (1, 1)
    ward.refresh_from_db()
    assert ward.name == "Phường Ba Đình"
    assert ward.search_name == "phuong ba dinh"
    back = Area.objects.get(structure=lost_key[0], level=lost_key[1], code=lost_key[2])
    assert back.path.startswith(hanoi.path) and back.depth == 2
    assert set(back.predecessors.values_list("code", flat=True)) == lost_preds
    assert Area.objects.find_problems(parent=hanoi) == ([], [], [], [], [])
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "org.load_areas"
    assert event.changes == {"created": 1, "updated": 1}


def test_load_areas_command_changes_nothing_on_a_loaded_database(db):
    before = _counts()
    out = StringIO()
    call_command("load_areas", stdout=out)
    text = out.getvalue()
    assert "2025/commune: 3321" in text
    assert "2024/district: 696" in text
    assert _counts() == before
