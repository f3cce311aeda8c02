"""Citizens' voices over /api/v1/voices/: petitions, matters and their clocks, reception
sessions, dialogues, figures, the rule table, and public tracking by code — one router
module per resource, mounted here in the order the OpenAPI document lists them.

Thin: parse → query or service → schema. Access is decided by `queries` (what the user sees:
anything else is 404) and `services` (what the user may change: 403).

A citizen's name, address and contact appear in one schema only, `CitizenIdentityOut`, served
by `GET /petitions/{id}/identity` (audited). Every other answer carries a count at most.
"""

from ninja import Router

from . import figures, matters, meetings, petitions, rules, tracking

router = Router(tags=["voices"])
for module in (rules, petitions, matters, meetings, figures, tracking):
    router.add_router("", module.router)
