"""Load official administrative units from the vietnam-provinces package, idempotently.

Two structures are held side by side: the 2025 two-level one (34 provinces, 3,321
communes) and the 2024 three-level one (63 provinces, 696 districts, 10,051 communes).
A first load writes paths in bulk; a refresh updates names and adds only what is new.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count

from danvan.audit.log import record
from danvan.core.text import fold

from .models import STRUCTURE_DATES, Area, AreaLevel, Structure


@dataclass
class UnitRow:
    structure: str
    level: str
    code: str
    name: str
    kind: str
    codename: str
    parent_key: tuple | None
    children: list[UnitRow] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return (self.structure, self.level, self.code)


def _code(value, width: int) -> str:
    return str(int(value)).zfill(width)


def _rows() -> list[UnitRow]:
    """All units of both structures as a forest, in the package's order."""
    from vietnam_provinces import Province, Ward
    from vietnam_provinces.legacy import District as LDistrict
    from vietnam_provinces.legacy import Province as LProvince
    from vietnam_provinces.legacy import Ward as LWard

    roots: list[UnitRow] = []
    by_key: dict[tuple, UnitRow] = {}

    def add(row: UnitRow) -> None:
        by_key[row.key] = row
        if row.parent_key is None:
            roots.append(row)
        else:
            by_key[row.parent_key].children.append(row)

    new, old = Structure.TWO_LEVEL_2025.value, Structure.THREE_LEVEL_2024.value
    P, D, C = AreaLevel.PROVINCE.value, AreaLevel.DISTRICT.value, AreaLevel.COMMUNE.value
    for p in Province.iter_all():
        add(UnitRow(new, P, _code(p.code, 2), p.name, p.division_type.value, p.codename, None))
    for w in Ward.iter_all():
        parent = (new, P, _code(w.province_code, 2))
        add(UnitRow(new, C, _code(w.code, 5), w.name, w.division_type.value, w.codename, parent))
    for p in LProvince.iter_all():
        add(UnitRow(old, P, _code(p.code, 2), p.name, p.division_type.value, p.codename, None))
    for d in LDistrict.iter_all():
        parent = (old, P, _code(d.province_code, 2))
        add(UnitRow(old, D, _code(d.code, 3), d.name, d.division_type.value, d.codename, parent))
    for w in LWard.iter_all():
        parent = (old, D, _code(w.district_code, 3))
        add(UnitRow(old, C, _code(w.code, 5), w.name, w.division_type.value, w.codename, parent))
    return roots


def _predecessor_links() -> list[tuple[tuple, tuple]]:
    """(new unit key, old unit key) pairs from the package's conversion tables."""
    from vietnam_provinces import Province, Ward

    new, old = Structure.TWO_LEVEL_2025.value, Structure.THREE_LEVEL_2024.value
    P, C = AreaLevel.PROVINCE.value, AreaLevel.COMMUNE.value
    links = []
    for p in Province.iter_all():
        for src in p.get_legacy_sources():
            links.append(((new, P, _code(p.code, 2)), (old, P, _code(src.code, 2))))
    for w in Ward.iter_all():
        for src in w.get_legacy_sources():
            links.append(((new, C, _code(w.code, 5)), (old, C, _code(src.code, 5))))
    return links


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links: int = 0
    counts: dict = field(default_factory=dict)


@transaction.atomic
def load_areas(*, actor=None) -> LoadResult:
    result = LoadResult()
    tree = _Placer(result)
    tree.walk(_rows(), None)
    Area.objects.bulk_create(tree.new_areas, batch_size=2000)
    Area.objects.bulk_update(
        tree.changed, ["name", "kind", "codename", "search_name"], batch_size=2000
    )
    _recount_children()
    result.links = _link_predecessors()
    result.counts = {
        f"{s}/{lv}": n
        for s, lv, n in Area.objects.values_list("structure", "level")
        .order_by("structure", "level")
        .annotate(n=Count("id"))
    }
    if result.created or result.updated:
        record(
            actor=actor,
            action="org.load_areas",
            object_type="org.area",
            object_repr="vietnam-provinces",
            changes={"created": result.created, "updated": result.updated},
        )
    return result


class _Placer:
    """Puts each unit of the package's tree on a path: an existing area is kept (renamed if
    the package renamed it), a new one gets the next free step under its parent."""

    def __init__(self, result: LoadResult):
        self.result = result
        self.existing = {(a.structure, a.level, a.code): a for a in Area.objects.all()}
        self.new_areas: list[Area] = []
        self.changed: list[Area] = []
        self.next_child: dict = {}

    def walk(self, rows: list[UnitRow], parent: Area | None) -> None:
        for row in rows:
            self.walk(row.children, self.place(row, parent))

    def place(self, row: UnitRow, parent: Area | None) -> Area:
        area = self.existing.get(row.key)
        if area is None:
            area = self._new(row, parent)
        elif (area.name, area.kind, area.codename) != (row.name, row.kind, row.codename):
            area.name, area.kind, area.codename = row.name, row.kind, row.codename
            area.search_name = fold(row.name)
            self.changed.append(area)
            self.result.updated += 1
        else:
            self.result.unchanged += 1
        return area

    def _new(self, row: UnitRow, parent: Area | None) -> Area:
        slot = parent.path if parent else None
        if slot not in self.next_child:
            self.next_child[slot] = _next_step(parent)
        step = self.next_child[slot]
        self.next_child[slot] = step + 1
        if parent is None:
            path = Area._get_path(None, 1, step)
        else:
            path = Area._get_path(parent.path, parent.depth + 1, step)
        valid_from, valid_to = STRUCTURE_DATES[Structure(row.structure)]
        area = Area(
            path=path,
            depth=len(path) // Area.steplen,
            numchild=0,
            structure=row.structure,
            level=row.level,
            code=row.code,
            name=row.name,
            kind=row.kind,
            codename=row.codename,
            search_name=fold(row.name),
            valid_from=valid_from,
            valid_to=valid_to,
        )
        self.new_areas.append(area)
        self.existing[row.key] = area
        self.result.created += 1
        return area


def _next_step(parent: Area | None) -> int:
    # Steps after the last existing sibling, so a refresh never reuses a path.
    if parent is None:
        siblings = Area.objects.filter(depth=1)
    elif parent.pk is None:
        return 1
    else:
        siblings = Area.objects.filter(depth=parent.depth + 1, path__startswith=parent.path)
    last = siblings.order_by("-path").values_list("path", flat=True).first()
    return Area._str2int(last[-Area.steplen :]) + 1 if last else 1


def _link_predecessors() -> int:
    keys = {
        (s, lv, c): pk
        for s, lv, c, pk in Area.objects.values_list("structure", "level", "code", "pk")
    }
    Through = Area.predecessors.through
    links = [
        Through(from_area_id=keys[new_key], to_area_id=keys[old_key])
        for new_key, old_key in _predecessor_links()
        if new_key in keys and old_key in keys
    ]
    Through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    return len(links)


def _recount_children() -> None:
    # numchild is treebeard's cached child count; recompute it from the paths in one pass.
    counts: dict[str, int] = {}
    for path in Area.objects.filter(depth__gt=1).values_list("path", flat=True):
        parent = path[: -Area.steplen]
        counts[parent] = counts.get(parent, 0) + 1
    stale = []
    for area in Area.objects.only("id", "path", "numchild"):
        n = counts.get(area.path, 0)
        if area.numchild != n:
            area.numchild = n
            stale.append(area)
    Area.objects.bulk_update(stale, ["numchild"], batch_size=2000)
