"""What every page of a journey must pass, at every width.

- no sideways scroll: the document is no wider than the viewport;
- no English left: the rendered text holds none of the catalogue's English msgids that
  Vietnamese translates differently;
- no console error and no 4xx/5xx response from our own server;
- axe-core (from the npm registry, injected) finds no serious or critical violation.

Each check is recorded in RESULTS; tests/e2e/conftest.py writes them to var/e2e/checks.json
at the end of the session (pages × widths checked, violations by impact, English found).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import polib
from django.conf import settings

PROJECT = Path(settings.BASE_DIR).parent.parent
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
BLOCKING = ("serious", "critical")


@dataclass
class PageCheck:
    role: str
    journey: str
    width: int
    url: str
    overflow: int = 0
    english: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    axe: dict[str, list[str]] = field(default_factory=dict)  # impact -> rule ids

    @property
    def problems(self) -> list[str]:
        found = []
        if self.overflow:
            found.append(f"scrolls sideways by {self.overflow}px")
        if self.english:
            found.append(f"English left: {self.english}")
        if self.console:
            found.append(f"console errors: {self.console}")
        if self.failed:
            found.append(f"failed requests: {self.failed}")
        for impact in BLOCKING:
            if self.axe.get(impact):
                found.append(f"axe {impact}: {self.axe[impact]}")
        return found


RESULTS: list[PageCheck] = []


@cache
def english_msgids() -> tuple[re.Pattern, ...]:
    """The English source strings Vietnamese says differently, as whole-word patterns.
    Placeholders are split out: only the literal words around them are looked for."""
    patterns = []
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete or (not entry.msgstr and not entry.msgstr_plural):
            continue
        translated = entry.msgstr or entry.msgstr_plural.get(0, "")
        if translated == entry.msgid:
            continue
        for piece in re.split(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}", entry.msgid):
            piece = piece.strip(" .,:;·—–-()“”\"'")
            # Long enough to be words, not a symbol or an abbreviation.
            if len(piece) >= 4 and re.search(r"[A-Za-z]{3}", piece) and piece not in translated:
                patterns.append(re.compile(r"(?<![\w])" + re.escape(piece) + r"(?![\w])"))
    return tuple(patterns)


def english_in(text: str) -> list[str]:
    found = []
    for pattern in english_msgids():
        match = pattern.search(text)
        if match:
            found.append(match.group(0))
    return sorted(set(found))


class Checker:
    """Attached to a Playwright page: collects console errors and failed responses, and
    checks the page as it stands when asked."""

    def __init__(self, page, *, role: str, journey: str, width: int, base_url: str):
        self.page, self.role, self.journey, self.width = page, role, journey, width
        self.base_url = base_url
        self.console: list[str] = []
        self.failed: list[str] = []
        self.expected_statuses: set[int] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.console.append(f"page error: {exc}"))
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error":
            self.console.append(message.text)

    def _response(self, response):
        if (
            response.url.startswith(self.base_url)
            and response.status >= 400
            and response.status not in self.expected_statuses
        ):
            self.failed.append(f"{response.status} {response.url[len(self.base_url) :]}")

    def check(self) -> PageCheck:
        page = self.page
        page.wait_for_load_state("networkidle")
        state = page.evaluate(
            "() => ({width: document.documentElement.scrollWidth, viewport: window.innerWidth,"
            " text: document.body.innerText})"
        )
        # Evaluated through the DevTools protocol: the page's Content-Security-Policy
        # allows no inline script, so a <script> tag injected with axe would be refused.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']}))"
            ".violations.map(v => [v.impact, v.id + ' ' + v.nodes.slice(0, 3)"
            ".map(n => n.target.join(' ')).join(' | ')])"
        )
        axe: dict[str, list[str]] = {}
        for impact, rule in violations:
            axe.setdefault(impact or "unknown", []).append(rule)
        # Console messages for failed responses are already counted as failed requests.
        console = [c for c in self.console if "Failed to load resource" not in c]
        result = PageCheck(
            role=self.role,
            journey=self.journey,
            width=self.width,
            url=page.url[len(self.base_url) :] or "/",
            overflow=max(0, state["width"] - state["viewport"]),
            english=english_in(state["text"]),
            console=console,
            failed=list(self.failed),
            axe=axe,
        )
        self.console.clear()
        self.failed.clear()
        RESULTS.append(result)
        return result


def write_report(path: Path) -> dict:
    """Totals for the closing note; the page-by-page detail in the same file."""
    by_impact: dict[str, int] = {}
    for result in RESULTS:
        for impact, rules in result.axe.items():
            by_impact[impact] = by_impact.get(impact, 0) + len(rules)
    summary = {
        "pages_checked": len(RESULTS),
        "distinct_pages": len({(r.role, r.url.split("?")[0]) for r in RESULTS}),
        "by_width": {str(w): sum(1 for r in RESULTS if r.width == w) for w in (1366, 390)},
        "axe_violations_by_impact": by_impact,
        "pages_with_english": sum(1 for r in RESULTS if r.english),
        "pages_scrolling_sideways": sum(1 for r in RESULTS if r.overflow),
        "pages_with_problems": sum(1 for r in RESULTS if r.problems),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {"summary": summary, "pages": [asdict(r) for r in RESULTS]},
            ensure_ascii=False,
            indent=1,
        )
    )
    return summary
