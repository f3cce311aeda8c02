"""The actions roles are made of. A role lists action codes; `app.*` and `*` are wildcards.

Seeing a record needs only a grant that covers it; actions guard writes and sensitive reads.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "org.manage": _("Create and change organizations in the subtree"),
    "accounts.manage_grants": _("Grant and revoke roles in the subtree"),
    "audit.view": _("Read the audit log of the subtree"),
    "emulation.manage": _("Run movements and contests organized in the subtree"),
    "emulation.register": _("Register and update the subtree's models, adoptions and entries"),
    "emulation.evaluate": _("Evaluate, recognize and commend models at the unit's level"),
    "voices.intake": _("Receive petitions and record reception sessions and dialogues"),
    "voices.handle": _("Handle matters: classify, accept, forward, settle, decide"),
    "voices.view_identity": _("See who filed complaints and recommendations (each view is logged)"),
    "voices.view_denouncer": _(
        "See a denouncer's identity (each view is logged; never via wildcards)"
    ),
}

# Granted only by name: "*" and "voices.*" never include these (citizens' identity).
EXPLICIT_ONLY = {"voices.view_identity", "voices.view_denouncer"}

DEFAULT_ROLES = [
    # code, Vietnamese name, English name, actions
    ("administrator", "Quản trị viên", "Administrator", ["*"]),
    (
        "commission_officer",
        "Cán bộ Ban Dân vận",
        "Commission officer",
        ["org.manage", "audit.view", "emulation.*", "voices.intake"],
    ),
    (
        "organization_officer",
        "Cán bộ tổ chức, đoàn thể",
        "Organization officer",
        ["emulation.register"],
    ),
    (
        "case_handler",
        "Cán bộ xử lý đơn thư",
        "Case handler",
        ["voices.intake", "voices.handle", "voices.view_identity", "voices.view_denouncer"],
    ),
    ("leader", "Lãnh đạo", "Leader", ["audit.view", "emulation.evaluate", "voices.intake"]),
    ("viewer", "Người xem", "Viewer", []),
]


def allows(granted: list[str], action: str) -> bool:
    if action in EXPLICIT_ONLY:
        return action in granted
    app = action.split(".", 1)[0]
    return "*" in granted or action in granted or f"{app}.*" in granted
