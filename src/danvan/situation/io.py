"""Tables out (XLSX/CSV through core.tables) and the beneficiary import.

No export has a personal field: beneficiaries and affected households appear by household
code, place and category; narratives of reports are exported only as the reporting unit
wrote them about topics (flagged ones are marked, for the reviewer)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.scope import can, visible
from danvan.core import imports
from danvan.core.tables import Sheet, cell_text, export_sheets, export_table, header_key, read_rows
from danvan.core.text import fold
from danvan.core.tree import under
from danvan.org.models import Area, Organization

from .models import BeneficiaryCategory, FundingKind, Level, Progress

# Exports --------------------------------------------------------------------------------


def _level(value) -> str:
    return str(Level(value).label) if value else ""


def export_reports(qs, fmt: str):
    headers = [
        _("Period"), _("Organization"), _("Area"), _("State"), _("Submitted at"), _("Late"),
        _("May name a person"), _("Topics"), _("Tense"), _("Needs attention"),
    ]  # fmt: skip
    rows = []
    for report in qs.prefetch_related("entries"):
        levels = [e.level for e in report.entries.all()]
        rows.append(
            [
                report.period.label,
                report.organization.name,
                report.organization.area.name,
                report.get_state_display(),
                report.submitted_at,
                report.late,
                report.flagged,
                len(levels),
                levels.count(Level.TENSE),
                levels.count(Level.ATTENTION),
            ]
        )
    return export_table(headers=headers, rows=rows, fmt=fmt, filename="bao-cao-tinh-hinh")


def export_matrix(m: dict, fmt: str):
    headers = [_("Topic"), _("Subtree"), _("Trend")] + [c.name for c in m["columns"]]
    trend = {"up": "↑", "down": "↓", "same": "→", "new": "+", "": ""}
    rows = [
        [str(r["topic"]), _level(r["level"]), trend[r["trend"]]]
        + [
            f"{_level(c['level'])} {trend[c['trend']]}".strip() if c["level"] else ""
            for c in r["cells"]
        ]
        for r in m["rows"]
    ]
    return export_table(headers=headers, rows=rows, fmt=fmt, filename="ma-tran-tinh-hinh")


def export_signals(found: list, fmt: str):
    headers = [
        _("Signal"),
        _("Topic"),
        _("Rule"),
        _("Units"),
        _("Previous period"),
        _("Reports behind it"),
        _("Hot spots"),
    ]
    rows = [
        [
            s.label,
            str(s.topic),
            s.rule.code if s.rule else "",
            s.now,
            s.before,
            "; ".join(r.organization.name for r in s.report_rows),
            "; ".join(f"{h.get('area__name')} ({h.get('now')})" for h in s.hot_spots),
        ]
        for s in found
    ]
    return export_table(headers=headers, rows=rows, fmt=fmt, filename="tin-hieu")


def export_missing(result: dict, fmt: str):
    headers = [_("Organization"), _("Area"), _("Due on"), _("Overdue")]
    rows = [
        [m["organization"].name, m["organization"].area.name, m["due_on"], m["overdue"]]
        for m in result["missing"]
    ]
    return export_table(headers=headers, rows=rows, fmt=fmt, filename="chua-bao-cao")


def export_campaigns(overview: list[dict], fmt: str):
    headers = [
        _("Campaign"), _("Type"), _("Organizing unit"), _("Starts on"), _("Target households"),
        _("Registered"), _("Built"), _("Handed over"), _("Percent of target"), _("Disbursed (VND)"),
    ]  # fmt: skip
    rows = [
        [
            r["campaign"].name,
            str(r["campaign"].type),
            r["campaign"].organization.name,
            r["campaign"].starts_on,
            r["campaign"].target_households,
            r["registered"],
            r["built"],
            r["handed_over"],
            r["percent_of_target"],
            r["disbursed"],
        ]
        for r in overview
    ]
    return export_table(headers=headers, rows=rows, fmt=fmt, filename="chien-dich")


def _figure_rows(rows, key):
    return [[r[key], r["registered"], r["built"], r["handed_over"], r["disbursed"]] for r in rows]


def export_campaign(rollup: dict, beneficiaries, fmt: str):
    """The roll-up by area, funding source and unit, and the households by code (no name)."""
    figures = [_("Registered"), _("Built"), _("Handed over"), _("Disbursed (VND)")]
    campaign = rollup["campaign"]
    t = rollup["totals"]
    sheets = [
        Sheet(
            _("Summary"),
            [
                _("Campaign"),
                _("Target households"),
                *figures,
                _("Percent of target"),
                _("Funds (VND)"),
            ],
            [
                [
                    campaign.name,
                    rollup["target_households"],
                    t["registered"],
                    t["built"],
                    t["handed_over"],
                    t["disbursed"],
                    rollup["percent_of_target"],
                    rollup["funds_total"],
                ]
            ],
        ),
        Sheet(_("By area"), [_("Area"), *figures], _figure_rows(rollup["by_area"], "area__name")),
        Sheet(
            _("By funding source"),
            [_("Funded by"), *figures],
            _figure_rows(rollup["by_funding"], "label"),
        ),
        Sheet(_("By unit"), [_("Unit"), *figures], _figure_rows(rollup["by_unit"], "unit")),
        Sheet(
            _("Households"),
            [
                _("Household code"),
                _("Area"),
                _("Handling unit"),
                _("Category"),
                _("Funded by"),
                _("Progress"),
                _("Handed over on"),
                _("Disbursed (VND)"),
            ],
            [
                [
                    b.household_code,
                    b.area.name,
                    b.unit.name,
                    b.get_category_display(),
                    b.get_funding_kind_display(),
                    b.get_progress_display(),
                    b.handed_over_on,
                    b.disbursed,
                ]
                for b in beneficiaries
            ],
        ),
    ]
    if rollup["loans"]:
        loans = rollup["loans"]
        sheets.append(
            Sheet(
                _("Loans"),
                [_("Area"), _("Loans"), _("Lent (VND)"), _("Repaid (VND)"), _("Outstanding (VND)")],
                [
                    [r["area__name"], r["n"], r["out"], r["repaid"], r["outstanding"]]
                    for r in loans["by_area"]
                ],
            )
        )
    return export_sheets(sheets, fmt, f"chien-dich-{campaign.pk}")


def export_projects(overview: list[dict], fmt: str):
    headers = [
        _("Project"), _("Mobilizing unit"), _("Households"), _("Informed"), _("Agreed"),
        _("Handed over"), _("With outstanding issues"), _("Land (m²)"), _("Handed over (m²)"),
        _("Percent of households"), _("Meetings"),
    ]  # fmt: skip
    rows = [
        [
            r["project"].name,
            r["project"].organization.name,
            r["households"],
            r["informed"],
            r["agreed"],
            r["handed_over"],
            r["with_issues"],
            r["total_m2"],
            r["handed_over_m2"],
            r["percent_households"],
            r["meetings"],
        ]
        for r in overview
    ]
    return export_table(headers=headers, rows=rows, fmt=fmt, filename="giai-phong-mat-bang")


def export_project(rollup: dict, households, fmt: str):
    figures = [
        _("Households"),
        _("Informed"),
        _("Agreed"),
        _("Handed over"),
        _("With outstanding issues"),
        _("Land (m²)"),
        _("Handed over (m²)"),
    ]

    def figs(r):
        return [
            r["households"],
            r["informed"],
            r["agreed"],
            r["handed_over"],
            r["with_issues"],
            r["total_m2"],
            r["handed_over_m2"],
        ]

    sheets = [
        Sheet(
            _("By unit"),
            [_("Unit"), *figures],
            [[r["unit__name"], *figs(r)] for r in rollup["by_unit"]],
        ),
        Sheet(
            _("By area"),
            [_("Area"), *figures],
            [[r["area__name"], *figs(r)] for r in rollup["by_area"]],
        ),
        Sheet(
            _("Households"),
            [
                _("Household code"),
                _("Area"),
                _("Unit"),
                _("Land (m²)"),
                _("State"),
                _("Outstanding issue"),
                _("Handed over on"),
            ],
            [
                [
                    h.household_code,
                    h.area.name,
                    h.unit.name,
                    h.area_m2,
                    h.get_state_display(),
                    h.get_issue_type_display(),
                    h.handed_over_on,
                ]
                for h in households
            ],
        ),
    ]
    return export_sheets(sheets, fmt, f"du-an-{rollup['project'].code}")


# Import of beneficiaries ------------------------------------------------------------------

IMPORT_COLUMNS = [
    # key, label, aliases (folded)
    ("household_code", gettext_lazy("Household code"), ["ma ho", "ma ho gia dinh", "household code"]),
    ("area", gettext_lazy("Commune code"), ["ma xa", "ma xa phuong", "commune code", "area code", "ma dia ban"]),
    ("unit", gettext_lazy("Handling unit code"), ["ma don vi", "don vi", "unit code", "handling unit code"]),
    ("category", gettext_lazy("Category"), ["doi tuong", "loai ho", "category"]),
    ("funding_kind", gettext_lazy("Funded by"), ["nguon kinh phi", "nguon", "funded by", "funding"]),
    ("progress", gettext_lazy("Progress"), ["tien do", "trang thai", "progress"]),
    ("name", gettext_lazy("Name of the household head (optional)"), ["ho ten", "ten chu ho", "name", "name of the household head optional", "ho ten chu ho"]),
]  # fmt: skip
REQUIRED_COLUMNS = {"household_code", "area", "unit", "category"}
# A header may also be a column's own key ("area", "unit", ...).
_HEADER_COLUMNS = [(key, label, [*aliases, key]) for key, label, aliases in IMPORT_COLUMNS]


def column_label(key: str) -> str:
    return next((str(label) for k, label, _a in IMPORT_COLUMNS if k == key), key)


def _choice_lookup(choices) -> dict[str, str]:
    """A choice by its code, its English label or its label in the user's language."""
    from django.utils import translation

    lookup = {}
    for value, label in choices.choices:
        lookup[fold(value)] = value
        lookup[header_key(value)] = value
        lookup[header_key(str(label))] = value
        with translation.override("en"):
            lookup[header_key(str(label))] = value
    return lookup


# Vietnamese names people type in sheets, whatever the catalogue holds.
VI_ALIASES = {
    "poor": ["ho ngheo", "ngheo"],
    "near_poor": ["ho can ngheo", "can ngheo"],
    "policy": ["gia dinh chinh sach", "chinh sach", "ho chinh sach", "nguoi co cong"],
    "disaster": ["bi thien tai", "anh huong thien tai", "thien tai", "bao lu"],
    "other": ["khac", "kho khan khac"],
    "state_budget": ["ngan sach nha nuoc", "ngan sach"],
    "relief_fund": ["quy cuu tro cua mat tran", "quy cuu tro", "quy vi nguoi ngheo", "mat tran"],
    "enterprises": ["doanh nghiep"],
    "contributions": ["dong gop", "nhan dan dong gop", "xa hoi hoa"],
    "registered": ["dang ky", "da dang ky", "moi dang ky"],
    "building": ["dang xay", "dang xay dung", "dang thi cong"],
    "built": ["da xay xong", "xay xong", "hoan thanh"],
    "handed_over": ["da ban giao", "ban giao"],
}


def _vi_labels(choices) -> dict[str, str]:
    from django.utils import translation

    with translation.override("vi"):
        found = {header_key(str(label)): value for value, label in choices.choices}
    for value in choices.values:
        for alias in VI_ALIASES.get(value, []):
            found[alias] = value
    return found


def template_rows() -> tuple[list[str], list[list]]:
    return [str(label) for _k, label, _a in IMPORT_COLUMNS], [
        ["HP-0001", "11311", "11311-mttq", "poor", "state_budget", "registered", ""]
    ]


def check_beneficiaries(user, campaign, file_name: str, content: bytes) -> dict:
    """Read and check every row; nothing is written. Returns {"rows": [clean rows],
    "errors": [{"row", "field", "message"}], "count"}: import only when errors is empty."""
    raw = read_rows(file_name, content)
    header_number, headers = raw[0]
    try:
        columns = imports.map_columns(
            headers, _HEADER_COLUMNS, sorted(REQUIRED_COLUMNS), strict=False
        )
    except imports.MissingColumns as exc:
        return {
            "rows": [],
            "errors": [
                {
                    "row": header_number,
                    "field": m,
                    "message": _("Missing column: %(col)s.") % {"col": column_label(m)},
                }
                for m in exc.missing
            ],
            "count": 0,
        }
    errors: list[dict] = []
    categories = {**_choice_lookup(BeneficiaryCategory), **_vi_labels(BeneficiaryCategory)}
    fundings = {**_choice_lookup(FundingKind), **_vi_labels(FundingKind)}
    progresses = {**_choice_lookup(Progress), **_vi_labels(Progress)}
    seen: dict[str, int] = {}
    existing = set(campaign.beneficiaries.values_list("household_code", flat=True))
    unit_cache: dict[str, Organization | None] = {}
    area_cache: dict[str, Area | None] = {}
    org = campaign.organization
    units = visible(user, Organization.objects.select_related("area")).filter(
        under(org.path) | under(org.area.path, "area__path")
    )
    rows = []
    for number, cells in imports.raw_rows(raw[1:], columns):
        checked = imports.ImportRow(number)
        fail = checked.error
        for key in imports.bad_cells(cells):
            fail(key, imports.BAD_CELL)

        def cell(key, cells=cells):
            return cell_text(cells.get(key))

        code = cell("household_code")
        if not code:
            fail("household_code", _("This field is required."))
        elif len(code) > 40:
            fail("household_code", _("Too long: %(max)d characters at most.") % {"max": 40})
        elif code in seen:
            fail(
                "household_code",
                _("Household %(code)s is also on row %(row)d.") % {"code": code, "row": seen[code]},
            )
        elif code in existing:
            fail(
                "household_code",
                _("Household %(code)s is already in this campaign.") % {"code": code},
            )
        else:
            seen[code] = number
        unit_code = cell("unit")
        if unit_code not in unit_cache:
            unit_cache[unit_code] = units.filter(code=unit_code).first() if unit_code else None
        unit = unit_cache[unit_code]
        if unit is None:
            fail(
                "unit",
                _("Unknown unit, or not one of this campaign: %(code)s.") % {"code": unit_code},
            )
        elif not (can(user, "situation.manage", unit) or can(user, "situation.report", unit)):
            fail("unit", _("You may not record households for %(unit)s.") % {"unit": unit.name})
        area_code = cell("area")
        if area_code not in area_cache:
            area_cache[area_code] = (
                Area.objects.filter(code=area_code, valid_to__isnull=True)
                .order_by("-level")
                .first()
                if area_code
                else None
            )
        area = area_cache[area_code]
        if area is None:
            fail("area", _("Unknown area code: %(code)s.") % {"code": area_code})
        category = categories.get(header_key(cell("category")))
        if category is None:
            fail("category", _("Not a valid choice: %(value)s.") % {"value": cell("category")})
        funding_raw = cell("funding_kind")
        funding = fundings.get(header_key(funding_raw)) if funding_raw else ""
        if funding is None:
            fail("funding_kind", _("Not a valid choice: %(value)s.") % {"value": funding_raw})
        progress_raw = cell("progress")
        progress = progresses.get(header_key(progress_raw)) if progress_raw else Progress.REGISTERED
        if progress is None:
            fail("progress", _("Not a valid choice: %(value)s.") % {"value": progress_raw})
        name = cell("name")
        if len(name) > 200:
            fail("name", _("Too long: %(max)d characters at most.") % {"max": 200})
        errors.extend(checked.errors)
        if checked.ok:
            rows.append(
                {
                    "row": number,
                    "household_code": code,
                    "unit": unit,
                    "area": area,
                    "category": category,
                    "funding_kind": funding,
                    "progress": progress,
                    "name": name,
                }
            )
    return {"rows": rows if not errors else [], "errors": errors, "count": len(raw) - 1}
