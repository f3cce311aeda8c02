"""The Vietnamese catalogue is complete and current: `make messages` on the source as it is
would change nothing, and every entry is translated (none fuzzy). A string hidden from
extraction (an alias of gettext that xgettext does not know, as `L = gettext_lazy` once
was) shows up here as a msgid the catalogue lacks once it is written the normal way — and
the source scan below catches the alias itself."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

SRC = Path(settings.BASE_DIR)
CATALOGUE = SRC / "locale" / "vi" / "LC_MESSAGES" / "django.po"
GETTEXT_NAMES = {"gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext",
                 "pgettext_lazy", "npgettext", "npgettext_lazy", "gettext_noop"}  # fmt: skip


def _msgids(path: Path) -> set[tuple[str, str]]:
    return {(e.msgctxt or "", e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}


def test_no_alias_hides_strings_from_extraction():
    """Translation functions are imported as themselves or as `_` (what xgettext reads)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                for alias in node.names:
                    if alias.name in GETTEXT_NAMES and alias.asname not in (None, "_"):
                        offenders.append(f"{path.relative_to(SRC)}: {alias.name} as {alias.asname}")
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Name)
                and node.value.id in GETTEXT_NAMES
            ):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                offenders.append(f"{path.relative_to(SRC)}: {names} = {node.value.id}")
    assert not offenders, offenders


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are not installed")
def test_catalogue_is_current_and_complete(tmp_path):
    copy = tmp_path / "danvan"
    shutil.copytree(
        SRC,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "node_modules", "static"),
    )
    settings_module = tmp_path / "catalogue_settings.py"
    settings_module.write_text(
        f"from danvan.settings import *  # noqa\nLOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
    )
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "vi", "--no-obsolete",
         "--ignore", "node_modules/*", "--settings", "catalogue_settings"],
        cwd=copy,
        env={"PYTHONPATH": f"{tmp_path}:{SRC.parent}", "PATH": "/usr/bin:/bin",
             "DANVAN_VAR_DIR": str(tmp_path / "var")},
        check=True,
        capture_output=True,
    )  # fmt: skip
    fresh = _msgids(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    committed = _msgids(CATALOGUE)
    assert fresh - committed == set(), "strings in the source missing from the catalogue"
    assert committed - fresh == set(), "strings in the catalogue no longer in the source"
    po = polib.pofile(str(CATALOGUE))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
