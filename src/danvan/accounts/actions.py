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
    "plans.manage": _(
        "Issue documents, run work programmes, tasks, review conferences and coordination "
        "programmes in the subtree"
    ),
    "plans.report": _("Report progress on the subtree's tasks and documents to implement"),
    "reports.issue": _("Generate, edit and issue the subtree's period reports"),
    "democracy.manage": _("Publicize information and run consultations in the subtree"),
    "democracy.supervise": _(
        "Record supervision, social criticism and their recommendations in the subtree"
    ),
    "democracy.respond": _("Answer supervision recommendations addressed to the subtree"),
    "situation.report": _("Submit the subtree's people's-situation reports"),
    "situation.manage": _(
        "Run welfare campaigns and land-handover projects; turn signals into tasks"
    ),
    "situation.view_beneficiaries": _(
        "See beneficiaries' names in the units that handle them (never via wildcards)"
    ),
}

# Granted only by name: "*" and "app.*" never include these (citizens' identity).
EXPLICIT_ONLY = {"voices.view_identity", "voices.view_denouncer", "situation.view_beneficiaries"}


def allows(granted: list[str], action: str) -> bool:
    if action in EXPLICIT_ONLY:
        return action in granted
    app = action.split(".", 1)[0]
    return "*" in granted or action in granted or f"{app}.*" in granted
