"""Migrations carry frozen copies of the seed data they load: editing a defaults module or
a loader later must never change what an old migration does on a new installation."""

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "danvan"
# What Django writes into generated migrations: field classes, validators and callables
# named by the models (a default, an upload path). Never data.
SCHEMA_MODULE = re.compile(r"^danvan\.(core\.(fields|collation|rules)|\w+\.models)$")


def _danvan_imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        else:
            continue
        yield from (name for name in names if name.startswith("danvan"))


def test_migrations_import_no_live_data():
    migrations = sorted(SRC.glob("*/migrations/0*.py"))
    assert len(migrations) > 30  # the scan sees them
    live = [
        f"{path.relative_to(SRC)}: {name}"
        for path in migrations
        for name in _danvan_imports(path)
        if not SCHEMA_MODULE.match(name)
    ]
    assert live == []
