"""Movements, models, evaluation, replication and contests over /api/v1/emulation/.

Thin: parse → query or service → schema. Access is decided by `queries` (what the user sees:
anything else is 404) and `services` (what the user may change: 403). One router, whose
operations the resource modules add in this order: movements, models, contests.
"""

# The order of the operations in the schema: movements, models, contests.
# isort: off
from .common import router
from . import movements, models, contests

# isort: on

__all__ = ["contests", "models", "movements", "router"]
