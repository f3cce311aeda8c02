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
}

DEFAULT_ROLES = [
    # code, Vietnamese name, English name, actions
    ("administrator", "Quản trị viên", "Administrator", ["*"]),
    (
        "commission_officer",
        "Cán bộ Ban Dân vận",
        "Commission officer",
        ["org.manage", "audit.view"],
    ),
    ("organization_officer", "Cán bộ tổ chức, đoàn thể", "Organization officer", []),
    ("case_handler", "Cán bộ xử lý đơn thư", "Case handler", []),
    ("leader", "Lãnh đạo", "Leader", ["audit.view"]),
    ("viewer", "Người xem", "Viewer", []),
]


def allows(granted: list[str], action: str) -> bool:
    app = action.split(".", 1)[0]
    return "*" in granted or action in granted or f"{app}.*" in granted
