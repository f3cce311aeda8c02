"""Action codes are checked where they are used: a misspelt one fails loudly, for
superusers too, instead of quietly refusing every officer."""

import ast
from pathlib import Path

import pytest

from danvan.accounts.actions import ACTIONS
from danvan.accounts.scope import can, holds, require, visible
from danvan.org.models import Organization

SRC = Path(__file__).resolve().parents[2] / "src" / "danvan"
CHECKS = {"require", "can", "holds", "granted_at", "units_for", "visible", "scope_q"}


def _codes_in_source():
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in CHECKS:
                continue
            values = [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "action")]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    yield path.relative_to(SRC), node.lineno, value.value


def test_every_action_code_written_in_the_source_exists():
    found = list(_codes_in_source())
    assert len(found) > 100  # the scan sees the calls
    unknown = [f"{path}:{line} {code}" for path, line, code in found if code not in ACTIONS]
    assert unknown == []


@pytest.mark.django_db
def test_an_unknown_code_is_refused_even_for_a_superuser(superuser, tree):
    unit = tree["ward"]
    for check in (
        lambda: require(superuser, "plans.mange", unit),
        lambda: can(superuser, "plans.mange", unit),
        lambda: holds(superuser, "plans.mange"),
        lambda: visible(superuser, Organization.objects.all(), action="plans.mange"),
    ):
        with pytest.raises(ValueError, match=r"plans\.mange"):
            check()
    assert can(superuser, "plans.manage", unit)
